-- Evidence provenance: who added each evidence link and when, and for a linked file the SHA-256
-- of its bytes at that moment, so a file changed afterwards can be told apart. Links recorded
-- before this migration keep NULL: nobody knows who added them.

ALTER TABLE evidence_link ADD COLUMN added_at TEXT;            -- RFC 3339, UTC
ALTER TABLE evidence_link ADD COLUMN added_by TEXT;
ALTER TABLE evidence_link ADD COLUMN file_sha256 TEXT;         -- file links only

ALTER TABLE governance_item_evidence ADD COLUMN added_at TEXT;
ALTER TABLE governance_item_evidence ADD COLUMN added_by TEXT;
ALTER TABLE governance_item_evidence ADD COLUMN file_sha256 TEXT;
