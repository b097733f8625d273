-- Point-in-time approval: an assessment can be finalised. Its report model is kept as it stood
-- (its register, evidence and history included), so that later work in the scope cannot change
-- an approved report, and its answers and votes are frozen until it is reopened. Finalising and
-- reopening are audit events of the new entity 'final', so the audit trail is rebuilt with the
-- wider CHECK (its rows, hashes and order are copied unchanged).

CREATE TABLE assessment_final (
    assessment_id TEXT PRIMARY KEY REFERENCES assessment (id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('final', 'reopened')),
    finalised_at  TEXT NOT NULL,        -- RFC 3339, UTC: the last time it was finalised
    finalised_by  TEXT NOT NULL,
    model_json    TEXT NOT NULL,        -- the report model without sign-offs, canonical JSON
    model_sha256  TEXT NOT NULL,        -- the data hash sign-offs bind to
    reopened_at   TEXT,                 -- set while reopened
    reopened_by   TEXT,
    reopen_reason TEXT
) STRICT;

CREATE TABLE audit_event_v10 (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('answer', 'vote', 'item', 'signoff', 'final')),
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO audit_event_v10 SELECT seq, at, actor, entity, entity_id, before, after, prev_hash, hash
    FROM audit_event ORDER BY seq;
DROP TRIGGER audit_event_no_update;
DROP TRIGGER audit_event_no_delete;
DROP TABLE audit_event;
ALTER TABLE audit_event_v10 RENAME TO audit_event;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- A finalised assessment's answers and votes do not change, whoever writes.
CREATE TRIGGER answer_frozen_insert BEFORE INSERT ON answer
WHEN (SELECT status FROM assessment_final WHERE assessment_id = NEW.assessment_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'the assessment is finalised: reopen it first'); END;
CREATE TRIGGER answer_frozen_update BEFORE UPDATE ON answer
WHEN (SELECT status FROM assessment_final WHERE assessment_id = OLD.assessment_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'the assessment is finalised: reopen it first'); END;
CREATE TRIGGER answer_frozen_delete BEFORE DELETE ON answer
WHEN (SELECT status FROM assessment_final WHERE assessment_id = OLD.assessment_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'the assessment is finalised: reopen it first'); END;
CREATE TRIGGER vote_frozen_insert BEFORE INSERT ON vote
WHEN (SELECT status FROM assessment_final WHERE assessment_id = NEW.assessment_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'the assessment is finalised: reopen it first'); END;
CREATE TRIGGER vote_frozen_update BEFORE UPDATE ON vote
WHEN (SELECT status FROM assessment_final WHERE assessment_id = OLD.assessment_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'the assessment is finalised: reopen it first'); END;
CREATE TRIGGER vote_frozen_delete BEFORE DELETE ON vote
WHEN (SELECT status FROM assessment_final WHERE assessment_id = OLD.assessment_id) = 'final'
BEGIN SELECT RAISE(ABORT, 'the assessment is finalised: reopen it first'); END;

-- The report model version a sign-off approved: an approval made on an earlier report format
-- cannot be compared with today's data hash, and says so instead of calling the data changed.
ALTER TABLE signoff ADD COLUMN model_version INTEGER NOT NULL DEFAULT 1;
