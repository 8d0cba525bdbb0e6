-- Every job needs a budget: add the column, backfill existing jobs, then require it.
ALTER TABLE "Job" ADD COLUMN "budget" DECIMAL(10,2);
UPDATE "Job" SET "budget" = 0 WHERE "budget" IS NULL;
ALTER TABLE "Job" ALTER COLUMN "budget" SET NOT NULL;
