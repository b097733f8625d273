-- Evidence carries the day the fact it shows was true, when that differs from the day it was
-- linked, and an assessment may set how long evidence stays current before it must be
-- attested again. Links without a date keep NULL and count from the day they were linked.

ALTER TABLE evidence_link ADD COLUMN as_of TEXT;            -- YYYY-MM-DD
ALTER TABLE governance_item_evidence ADD COLUMN as_of TEXT; -- YYYY-MM-DD

CREATE TABLE reattest_period (
    assessment_id TEXT PRIMARY KEY REFERENCES assessment (id) ON DELETE CASCADE,
    days          INTEGER NOT NULL CHECK (days BETWEEN 1 AND 3650),
    updated_at    TEXT NOT NULL
) STRICT;
