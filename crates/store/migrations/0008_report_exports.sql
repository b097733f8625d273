-- Reports written to files, so that the app can list an assessment's earlier exports with the
-- content hash each one carries. No foreign key: merging a bundle deletes and re-inserts the
-- assessment row, and this machine's export log must outlive that (bundles do not carry it).

CREATE TABLE report_export (
    seq           INTEGER PRIMARY KEY,
    assessment_id TEXT NOT NULL,
    format        TEXT NOT NULL,
    path          TEXT NOT NULL,
    document_id   TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    exported_at   TEXT NOT NULL
) STRICT;

CREATE INDEX report_export_by_assessment ON report_export (assessment_id, seq);
