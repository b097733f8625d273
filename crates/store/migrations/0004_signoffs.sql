-- Sign-offs: named, dated approvals of an assessment's report, bound to the hash of its data.

CREATE TABLE signoff (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('approve', 'approve_with_conditions', 'reject')),
    comment       TEXT NOT NULL DEFAULT '',
    signed_on     TEXT NOT NULL,        -- YYYY-MM-DD
    data_hash     TEXT NOT NULL,        -- SHA-256 of the report data when signed
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX signoff_assessment ON signoff (assessment_id, created_at);
