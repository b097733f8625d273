-- Bundles: the history that arrives with an imported assessment, kept verbatim, and a log of
-- every import.

CREATE TABLE bundle_event (
    assessment_id TEXT NOT NULL,
    position      INTEGER NOT NULL,       -- order within the assessment's carried history
    seq           INTEGER NOT NULL,       -- as numbered on the machine that recorded it
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    before        TEXT,
    after         TEXT,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    PRIMARY KEY (assessment_id, hash),
    UNIQUE (assessment_id, position)
) STRICT;

CREATE TRIGGER bundle_event_no_update BEFORE UPDATE ON bundle_event
BEGIN SELECT RAISE(ABORT, 'carried history is append-only'); END;
CREATE TRIGGER bundle_event_no_delete BEFORE DELETE ON bundle_event
BEGIN SELECT RAISE(ABORT, 'carried history is append-only'); END;

CREATE TABLE bundle_import (
    id            INTEGER PRIMARY KEY,
    assessment_id TEXT NOT NULL,
    imported_at   TEXT NOT NULL,          -- RFC 3339, UTC
    actor         TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('new', 'merge')),
    bundle_hash   TEXT NOT NULL,          -- SHA-256 of the bundle's content
    exported_at   TEXT NOT NULL,
    exported_by   TEXT NOT NULL,
    conflicts     INTEGER NOT NULL
) STRICT;
