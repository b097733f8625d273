-- The team's decisions for the ISO/IEC 42001 Statement of Applicability of an assessment: per
-- Annex A control, whether it is included, why, what drives it and who owns it. A control
-- without a row is shown with Assay's proposal. Every change is in the audit trail.

CREATE TABLE soa_decision (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    control_id    TEXT NOT NULL,
    included      INTEGER NOT NULL CHECK (included IN (0, 1)),
    justification TEXT NOT NULL,
    drivers       TEXT NOT NULL,            -- JSON array: risk, legal, contractual, good_practice
    owner         TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, control_id)
) STRICT;

-- Management approvals of a statement, each bound to the SHA-256 of the content it approved.
CREATE TABLE soa_approval (
    id             TEXT PRIMARY KEY,
    assessment_id  TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    decision       TEXT NOT NULL CHECK (decision IN ('approve', 'approve_with_conditions', 'reject')),
    comment        TEXT NOT NULL,
    signed_on      TEXT NOT NULL,          -- YYYY-MM-DD
    content_sha256 TEXT NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

-- Decisions and approvals are audit events of the new entities 'soa' and 'soa_approval': the
-- audit trail is rebuilt with the wider CHECK (its rows, hashes and order are copied unchanged).
CREATE TABLE audit_event_v15 (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('answer', 'vote', 'item', 'signoff', 'final', 'soa',
        'soa_approval')),
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO audit_event_v15 SELECT seq, at, actor, entity, entity_id, before, after, prev_hash, hash
    FROM audit_event ORDER BY seq;
DROP TRIGGER audit_event_no_update;
DROP TRIGGER audit_event_no_delete;
DROP TABLE audit_event;
ALTER TABLE audit_event_v15 RENAME TO audit_event;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
