-- The export log lists every document handed out from an assessment, not only its report: the
-- Statement of Applicability and the Annex IV draft carry a content hash too, and an auditor
-- asks which version of each was given to whom. Earlier rows are reports.

ALTER TABLE report_export ADD COLUMN kind TEXT NOT NULL DEFAULT 'report'
    CHECK (kind IN ('report', 'soa', 'dossier'));
