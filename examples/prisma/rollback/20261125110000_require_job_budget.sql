-- Undo 20261125110000_require_job_budget: the budgets entered since are lost with the column.
ALTER TABLE "Job" DROP COLUMN "budget";
