-- Tracker evidence: datasets, runs, model versions, lineage edges and bias metrics imported from
-- MLflow or W&B, keyed by tracker + instance + external id so that a re-import updates rows in
-- place. `fingerprint` is the SHA-256 of the entity as imported, which tells new, changed and
-- unchanged apart. Each import is logged with its provenance and the hash of the evidence.

CREATE TABLE evidence_dataset (
    tracker     TEXT NOT NULL CHECK (tracker IN ('mlflow', 'wandb')),
    instance    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    project     TEXT NOT NULL,
    name        TEXT NOT NULL,
    version     TEXT,
    digest      TEXT,
    source      TEXT,
    source_type TEXT,
    context     TEXT,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (tracker, instance, external_id)
) STRICT;

CREATE TABLE evidence_run (
    tracker     TEXT NOT NULL CHECK (tracker IN ('mlflow', 'wandb')),
    instance    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    project     TEXT NOT NULL,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL,
    code_commit TEXT,
    code_repo   TEXT,
    params      TEXT NOT NULL,          -- JSON object
    metrics     TEXT NOT NULL,          -- JSON object
    tags        TEXT NOT NULL,          -- JSON object
    started_at  TEXT,
    ended_at    TEXT,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (tracker, instance, external_id)
) STRICT;
CREATE INDEX evidence_run_project ON evidence_run (tracker, instance, project);

CREATE TABLE evidence_model_version (
    tracker       TEXT NOT NULL CHECK (tracker IN ('mlflow', 'wandb')),
    instance      TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    project       TEXT NOT NULL,
    registry_name TEXT NOT NULL,
    version       TEXT NOT NULL,
    aliases       TEXT NOT NULL,        -- JSON array
    stage         TEXT,
    source_run    TEXT,
    tags          TEXT NOT NULL,        -- JSON object
    fingerprint   TEXT NOT NULL,
    PRIMARY KEY (tracker, instance, external_id)
) STRICT;

CREATE TABLE evidence_edge (
    tracker   TEXT NOT NULL,
    instance  TEXT NOT NULL,
    project   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('used_by', 'produced', 'registered_as', 'evaluated_on')),
    from_kind TEXT NOT NULL,
    from_id   TEXT NOT NULL,
    to_kind   TEXT NOT NULL,
    to_id     TEXT NOT NULL,
    context   TEXT,
    PRIMARY KEY (tracker, instance, kind, from_kind, from_id, to_kind, to_id)
) STRICT;

CREATE TABLE evidence_bias (
    tracker           TEXT NOT NULL,
    instance          TEXT NOT NULL,
    project           TEXT NOT NULL,
    run               TEXT NOT NULL,
    raw_name          TEXT NOT NULL,
    source            TEXT NOT NULL,    -- 'metric' or 'artifact:<path>'
    data              TEXT NOT NULL,    -- the normalised record, JSON
    metric            TEXT NOT NULL,
    value             REAL,
    passed            INTEGER CHECK (passed IN (0, 1)),
    PRIMARY KEY (tracker, instance, run, raw_name, source)
) STRICT;

CREATE TABLE evidence_unmatched (
    tracker  TEXT NOT NULL,
    instance TEXT NOT NULL,
    project  TEXT NOT NULL,
    run      TEXT NOT NULL,
    raw_name TEXT NOT NULL,
    PRIMARY KEY (tracker, instance, run, raw_name)
) STRICT;

-- A user's mapping of a metric name to a canonical fairness metric, per tracker project.
CREATE TABLE fairness_mapping_rule (
    tracker           TEXT NOT NULL,
    instance          TEXT NOT NULL,
    project           TEXT NOT NULL,
    raw_name          TEXT NOT NULL,
    metric            TEXT NOT NULL,
    sensitive_feature TEXT,
    grp               TEXT,
    created_at        TEXT NOT NULL,
    PRIMARY KEY (tracker, instance, project, raw_name)
) STRICT;

CREATE TABLE evidence_import (
    id           INTEGER PRIMARY KEY,
    tracker      TEXT NOT NULL,
    instance     TEXT NOT NULL,
    project      TEXT NOT NULL,
    started_at   TEXT NOT NULL,          -- RFC 3339, UTC
    finished_at  TEXT NOT NULL,
    incremental  INTEGER NOT NULL CHECK (incremental IN (0, 1)),
    counts       TEXT NOT NULL,          -- JSON: entities held, and new / changed / unchanged
    content_hash TEXT NOT NULL,          -- SHA-256 of the project's evidence after this import
    watermark    TEXT                    -- where the next incremental import starts (JSON)
) STRICT;
CREATE INDEX evidence_import_source ON evidence_import (tracker, instance, project, id);
