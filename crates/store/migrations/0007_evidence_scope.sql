-- Which assessment scopes (teams or systems) a tracker project's evidence belongs to; the reports
-- of a scope's assessments show that evidence.

CREATE TABLE evidence_scope (
    tracker  TEXT NOT NULL,
    instance TEXT NOT NULL,
    project  TEXT NOT NULL,
    scope    TEXT NOT NULL,
    PRIMARY KEY (tracker, instance, project, scope)
) STRICT;
