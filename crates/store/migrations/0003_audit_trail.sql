-- The audit trail: an append-only, hash-chained log of every change to answers, votes and
-- governance items. Each event's hash covers its content and the previous event's hash.

CREATE TABLE audit_event (
    seq       INTEGER PRIMARY KEY,      -- 1, 2, 3, ... in chain order
    at        TEXT NOT NULL,            -- RFC 3339, UTC
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('answer', 'vote', 'item', 'signoff')),
    entity_id TEXT NOT NULL,
    before    TEXT,                     -- JSON of the entity before the change, NULL if new
    after     TEXT,                     -- JSON after the change, NULL if removed
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
