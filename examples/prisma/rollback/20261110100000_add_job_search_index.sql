-- Undo 20261110100000_add_job_search_index, without blocking writes as it was built.
DROP INDEX CONCURRENTLY IF EXISTS "Job_title_idx";
