-- Undo 20261105120000_add_proposals: the proposals go with their table.
DROP TABLE "Proposal";
