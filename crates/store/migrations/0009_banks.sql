-- Question banks as data: the full content of every bank an assessment in this file was taken
-- with, as canonical JSON with its SHA-256. An assessment names its bank by (bank_id,
-- bank_version), which this table makes unique, so a build that ships a newer bank still scores
-- older assessments with the content they were taken with. A stored bank never changes.

CREATE TABLE bank (
    bank_id    TEXT NOT NULL,
    version    TEXT NOT NULL,
    digest     TEXT NOT NULL UNIQUE CHECK (length(digest) = 64),
    title      TEXT NOT NULL,
    content    TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('builtin', 'imported', 'bundle')),
    stored_at  TEXT NOT NULL,
    PRIMARY KEY (bank_id, version)
) STRICT;

CREATE TRIGGER bank_never_changes BEFORE UPDATE ON bank
BEGIN
    SELECT RAISE(ABORT, 'a stored question bank never changes');
END;

CREATE TRIGGER bank_in_use_stays BEFORE DELETE ON bank
WHEN EXISTS (SELECT 1 FROM assessment
             WHERE assessment.bank_id = OLD.bank_id AND assessment.bank_version = OLD.version)
BEGIN
    SELECT RAISE(ABORT, 'a question bank that assessments were taken with cannot be deleted');
END;

-- An answer carried over from an earlier assessment (`assessment new --from`, possibly mapped
-- across bank versions) records where it came from until someone reviews it: JSON
-- {assessment, bank, questions, change}. NULL for every answer typed in this assessment.
ALTER TABLE answer ADD COLUMN carried_from TEXT
    CHECK (carried_from IS NULL OR json_valid(carried_from));
