-- Payment flow: every proposal gets a payment status; existing rows default to 'pending'.
ALTER TABLE "Proposal" ADD COLUMN "paymentStatus" TEXT NOT NULL DEFAULT 'pending';
