-- Assessments, participants, targets, consensus answers, votes and evidence links.
PRAGMA application_id = 1095979865; -- 'ASSY': marks the file as an Assay database

CREATE TABLE assessment (
    id           TEXT PRIMARY KEY,
    scope        TEXT NOT NULL,
    title        TEXT NOT NULL,
    assessed_on  TEXT NOT NULL,            -- YYYY-MM-DD
    bank_id      TEXT NOT NULL,
    bank_version TEXT NOT NULL,
    default_target INTEGER CHECK (default_target BETWEEN 0 AND 4),
    created_at   TEXT NOT NULL,            -- RFC 3339, UTC
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX assessment_scope ON assessment (scope, assessed_on);

CREATE TABLE participant (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, id),
    UNIQUE (assessment_id, name)
) STRICT;

CREATE TABLE target (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    scope_kind    TEXT NOT NULL CHECK (scope_kind IN ('area', 'question')),
    scope_id      TEXT NOT NULL,
    level         INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    PRIMARY KEY (assessment_id, scope_kind, scope_id)
) STRICT;

CREATE TABLE answer (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    level         INTEGER CHECK (level BETWEEN 0 AND 4),
    not_applicable INTEGER NOT NULL DEFAULT 0 CHECK (not_applicable IN (0, 1)),
    justification TEXT,
    note          TEXT,
    confidence    TEXT CHECK (confidence IN ('low', 'medium', 'high')),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, question_id),
    CHECK (NOT (not_applicable = 1 AND level IS NOT NULL)),
    CHECK (not_applicable = 0 OR length(trim(coalesce(justification, ''))) > 0)
) STRICT;

CREATE TABLE evidence_link (
    assessment_id TEXT NOT NULL,
    question_id   TEXT NOT NULL,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('url', 'file', 'tracker')),
    target        TEXT NOT NULL,
    label         TEXT,
    PRIMARY KEY (assessment_id, question_id, position),
    FOREIGN KEY (assessment_id, question_id)
        REFERENCES answer (assessment_id, question_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE vote (
    assessment_id  TEXT NOT NULL,
    question_id    TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    level          INTEGER CHECK (level BETWEEN 0 AND 4),
    not_applicable INTEGER NOT NULL DEFAULT 0 CHECK (not_applicable IN (0, 1)),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (assessment_id, question_id, participant_id),
    FOREIGN KEY (assessment_id, participant_id)
        REFERENCES participant (assessment_id, id) ON DELETE CASCADE,
    CHECK ((level IS NULL) = (not_applicable = 1))
) STRICT;
