-- The governance register: items per scope, what they link to, and evidence that they are done.

CREATE TABLE governance_item (
    id                TEXT PRIMARY KEY,
    scope             TEXT NOT NULL,
    assessment_id     TEXT REFERENCES assessment (id) ON DELETE SET NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    owner             TEXT,
    due_on            TEXT,                  -- YYYY-MM-DD
    priority          TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    status            TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'risk_accepted')),
    accepted_by       TEXT,
    acceptance_reason TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (status <> 'risk_accepted' OR (
        length(trim(coalesce(accepted_by, ''))) > 0
        AND length(trim(coalesce(acceptance_reason, ''))) > 0))
) STRICT;
CREATE INDEX governance_item_scope ON governance_item (scope, status, due_on);

CREATE TABLE governance_item_link (
    item_id  TEXT NOT NULL REFERENCES governance_item (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('question', 'area', 'clause')),
    target   TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (item_id, kind, target)
) STRICT;

CREATE TABLE governance_item_evidence (
    item_id  TEXT NOT NULL REFERENCES governance_item (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('url', 'file', 'tracker')),
    target   TEXT NOT NULL,
    label    TEXT,
    PRIMARY KEY (item_id, position)
) STRICT;
