-- Undo 20261120150000_add_payment_status (the runbook's manual rollback).
ALTER TABLE "Proposal" DROP COLUMN "paymentStatus";
