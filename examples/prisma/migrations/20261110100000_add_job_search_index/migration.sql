-- Job search filters by title; build the index without blocking writes.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Job_title_idx" ON "Job" ("title");
