//! Report actions: render an assessment's report, write it to a file, verify a report file.

use std::path::{Path, PathBuf};

use assay_reports::model::{self, HashedModel};
use assay_reports::verify::Verdict;
use assay_reports::verify_audit::{AuditDocument, AuditVerdict, verify_audit_document};
use assay_store::{ExportKind, ExportRecord};
use serde::{Deserialize, Serialize};

use crate::{ApiError, Assay, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Html,
    Pdf,
}

impl ReportFormat {
    pub fn parse(text: &str) -> Result<ReportFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(ReportFormat::Html),
            "pdf" => Ok(ReportFormat::Pdf),
            _ => Err(ApiError::Invalid(format!(
                "`{text}` is not a report format: use html or pdf"
            ))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Pdf => "pdf",
        }
    }
}

/// A rendered report and what identifies it.
#[derive(Debug, Clone)]
pub struct RenderedReport {
    pub bytes: Vec<u8>,
    pub document_id: String,
    pub content_hash: String,
}

/// The report's charts as standalone SVG documents, drawn by the same code as the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Charts {
    /// Area scores against targets.
    pub radar_svg: String,
    /// Mean and minimum per pillar.
    pub pillars_svg: String,
    /// Pillar scores across the scope's assessments; `None` until there are two.
    pub trend_svg: Option<String>,
}

/// An earlier export of an assessment's document, and whether its data has changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportExport {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub export: ExportRecord,
    /// The document would carry another content hash if exported now.
    pub stale: bool,
}

/// What produced the reports: goes into every report's metadata.
pub fn generator() -> String {
    format!("Assay {}", env!("CARGO_PKG_VERSION"))
}

impl Assay {
    /// The report model of an assessment, with its content hash.
    pub fn report_model(&self, assessment: &str) -> Result<HashedModel> {
        let unsigned = self.report_model_unsigned(assessment)?;
        let rows = self.signoff_rows(&unsigned.document.assessment_id)?;
        Ok(HashedModel::new(model::with_signoffs(unsigned, rows)))
    }

    /// The report model before sign-offs are added: what a sign-off approves.
    pub(crate) fn report_model_unsigned(&self, assessment: &str) -> Result<model::ReportModel> {
        let current = self.assessment(assessment)?;
        // A finalised assessment's report is the one kept when it was finalised, whatever has
        // happened in its scope since.
        if let Some(kept) = self.kept_model(&current.id)? {
            return Ok(kept);
        }
        let bank = self.bank_for(&current)?;
        let bank = &bank.bank;
        let items = self.store.list_items(Some(&current.scope))?;
        // The scope's history up to this assessment; later ones are not part of its report.
        let key = |a: &assay_assessment::Assessment| (a.assessed_on, a.created_at);
        let earlier: Vec<_> = self
            .scope_assessments(&current.scope, bank)?
            .into_iter()
            .filter(|a| key(a) <= key(&current))
            .collect();
        let trend = assay_assessment::history::trend(bank, &earlier);
        let previous = trend.iter().rev().nth(1);
        let diff = previous
            .and_then(|p| earlier.iter().find(|a| a.id == p.assessment_id))
            .map(|p| assay_assessment::history::diff(bank, p, &current, &items));
        let built = model::build(bank, &current, &generator());
        let built = model::with_history(built, bank, &trend, previous.zip(diff.as_ref()));
        let built = model::with_register(built, &items);
        let built = model::with_roadmap(built, &self.roadmap(&current.id)?);
        let data_day = built.document.updated_at.date_naive();
        let stale = self.stale_evidence_on(&current.id, data_day)?;
        let mut built = model::with_stale_evidence(built, &stale.stale, &items);
        built.document.trail = self
            .trail_point(&current.id, &current.scope)?
            .map(crate::signoffs::trail_head);
        built.document.finalisation = self
            .store
            .final_state(&current.id)?
            .as_ref()
            .and_then(crate::finalise::reopened);
        self.with_scope_evidence(built, &current.scope)
    }

    /// Adds the evidence of the tracker projects linked to the scope.
    fn with_scope_evidence(
        &self,
        built: model::ReportModel,
        scope: &str,
    ) -> Result<model::ReportModel> {
        let projects = self.evidence(Some(scope))?;
        let inputs: Vec<model::ProjectInput<'_>> = projects
            .iter()
            .filter_map(|p| {
                let last = p.imports.last()?;
                Some(model::ProjectInput {
                    snapshot: &p.snapshot,
                    indicators: &p.indicators,
                    provenance: model::ProvenanceRow {
                        tracker: p.source.tracker.as_str().to_owned(),
                        instance: p.source.instance.clone(),
                        project: p.source.project.clone(),
                        imported_at: last.finished_at,
                        imports: p.imports.len(),
                        runs: last.counts.runs,
                        datasets: last.counts.datasets,
                        model_versions: last.counts.model_versions,
                        bias_metrics: last.counts.bias_metrics,
                        content_hash: last.content_hash.clone(),
                    },
                })
            })
            .collect();
        Ok(model::with_evidence(built, &inputs))
    }

    pub fn render_report(&self, assessment: &str, format: ReportFormat) -> Result<RenderedReport> {
        let hashed = self.report_model(assessment)?;
        let bytes = match format {
            ReportFormat::Html => assay_reports::html::HtmlRenderer::new()?
                .render(&hashed)?
                .into_bytes(),
            ReportFormat::Pdf => {
                assay_reports::pdf::render(&hashed).map_err(assay_reports::ReportError::from)?
            }
        };
        Ok(RenderedReport {
            bytes,
            document_id: hashed.document_id(),
            content_hash: hashed.content_hash,
        })
    }

    /// Renders the report and writes it to `out` (replacing the file only once it is complete),
    /// then records the export so that [`Assay::exports`] lists it.
    pub fn export_report(
        &self,
        assessment: &str,
        format: ReportFormat,
        out: &Path,
    ) -> Result<RenderedReport> {
        let assessment_id = self.assessment(assessment)?.id;
        let report = self.render_report(&assessment_id, format)?;
        write_atomically(out, &report.bytes)?;
        let path = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        self.store.record_export(&ExportRecord {
            assessment_id,
            kind: ExportKind::Report,
            format: format.extension().to_owned(),
            path: path.display().to_string(),
            document_id: report.document_id.clone(),
            content_hash: report.content_hash.clone(),
            exported_at: self.clock.now(),
        })?;
        Ok(report)
    }

    /// [`Assay::export_report`], answering with where the file went (the absolute path the
    /// export log keeps) instead of its bytes.
    pub fn export_report_file(
        &self,
        assessment: &str,
        format: ReportFormat,
        out: &Path,
    ) -> Result<ExportedReport> {
        let report = self.export_report(assessment, format, out)?;
        let path = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        Ok(ExportedReport {
            path: path.display().to_string(),
            document_id: report.document_id,
            content_hash: report.content_hash,
        })
    }

    /// The file name an export of the report is offered under: `<title> <date>.<ext>`, with
    /// the characters that file systems refuse replaced.
    pub fn export_file_name(&self, assessment: &str, format: ReportFormat) -> Result<String> {
        let assessment = self.assessment(assessment)?;
        let stem = file_stem(&format!("{} {}", assessment.title, assessment.assessed_on));
        Ok(format!("{stem}.{}", format.extension()))
    }

    /// The file at `path` if it is one this assessment's report was exported to and it is still
    /// there: the only files the app opens or shows, so a caller cannot name any other.
    pub fn recorded_export(&self, assessment: &str, path: &str) -> Result<PathBuf> {
        // Only the paths matter here: no document is drawn to judge which are outdated.
        let id = self.assessment(assessment)?.id;
        self.store
            .exports(&id)?
            .iter()
            .find(|e| e.path == path)
            .map(|e| PathBuf::from(&e.path))
            .filter(|p| p.exists())
            .ok_or_else(|| ApiError::NotAnExport(path.to_owned()))
    }

    /// The earlier exports of an assessment's documents (report, Statement of Applicability,
    /// Annex IV draft), oldest first, each with whether a new export would differ.
    pub fn exports(&self, assessment: &str) -> Result<Vec<ReportExport>> {
        let current = self.report_model(assessment)?;
        let id = &current.model.document.assessment_id;
        // Each document is drawn once, and only if the log holds one of its kind.
        let mut statement: Option<Option<String>> = None;
        let mut dossier: Option<Option<String>> = None;
        let mut listed = Vec::new();
        for export in self.store.exports(id)? {
            let now = match export.kind {
                ExportKind::Report => Some(current.content_hash.clone()),
                ExportKind::Soa => statement
                    .get_or_insert_with(|| self.soa_document(id).ok().map(|d| d.content_hash()))
                    .clone(),
                ExportKind::Dossier => dossier
                    .get_or_insert_with(|| self.dossier_document(id).ok().map(|d| d.content_hash()))
                    .clone(),
            };
            listed.push(ReportExport {
                stale: now.as_deref() != Some(export.content_hash.as_str()),
                export,
            });
        }
        Ok(listed)
    }

    /// The earlier exports of the assessment's report alone, as [`Assay::exports`] lists them.
    pub(crate) fn report_exports(&self, assessment: &str) -> Result<Vec<ReportExport>> {
        let current = self.report_model(assessment)?;
        let exports = self.store.exports(&current.model.document.assessment_id)?;
        Ok(exports
            .into_iter()
            .filter(|export| export.kind == ExportKind::Report)
            .map(|export| ReportExport {
                stale: export.content_hash != current.content_hash,
                export,
            })
            .collect())
    }

    /// Adds a written document to the assessment's export log.
    pub(crate) fn log_export(
        &self,
        assessment_id: &str,
        kind: ExportKind,
        format: &str,
        path: &Path,
        content_hash: &str,
    ) -> Result<()> {
        self.store.record_export(&ExportRecord {
            assessment_id: assessment_id.to_owned(),
            kind,
            format: format.to_owned(),
            path: path.display().to_string(),
            // Both documents are named by their content hash.
            document_id: content_hash.to_owned(),
            content_hash: content_hash.to_owned(),
            exported_at: self.clock.now(),
        })?;
        Ok(())
    }

    /// The charts of the assessment's report, for the app to show beside the scores.
    pub fn charts(&self, assessment: &str) -> Result<Charts> {
        let unsigned = self.report_model_unsigned(assessment)?;
        let figures = assay_reports::figures::figures(&unsigned);
        Ok(Charts {
            radar_svg: figures.radar.to_svg(),
            pillars_svg: figures.pillars.to_svg(),
            trend_svg: assay_reports::figures::trend(&unsigned).map(|c| c.to_svg()),
        })
    }
}

/// A report written to a file: where, and what identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportedReport {
    pub path: String,
    pub document_id: String,
    pub content_hash: String,
}

/// A report, Statement of Applicability or Annex IV draft file that matches its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedReport {
    /// "report", "Statement of Applicability" or "Annex IV draft".
    pub kind: String,
    pub document_id: String,
    pub content_hash: String,
}

/// A report file checked against this database as well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportAgainstDatabase {
    pub report: VerifiedReport,
    /// The database holds the report's assessment; when it does not, nothing else is compared.
    pub holds_assessment: bool,
    /// The assessment's data (everything but sign-offs) differs from the report's now.
    pub data_changed: bool,
    /// Audit events about the assessment and its register recorded after the report's; `None`
    /// for a report that records no trail head (made before reports carried one).
    pub events_since: Option<usize>,
}

impl ReportAgainstDatabase {
    /// A document whose assessment this database does not hold: nothing more is compared.
    fn not_held(report: VerifiedReport) -> ReportAgainstDatabase {
        ReportAgainstDatabase {
            report,
            holds_assessment: false,
            data_changed: false,
            events_since: None,
        }
    }
}

/// Checks a report file (or a Statement of Applicability or Annex IV draft PDF) against the
/// data embedded in it; a mismatch is an [`ApiError::Tampered`] that says what differs.
pub fn verify_report_file(path: &Path) -> Result<VerifiedReport> {
    verify_document(path).map(|checked| match checked {
        CheckedDocument::Report(report, _) | CheckedDocument::Audit(report, _) => report,
    })
}

/// A document file that matches its data, with that data.
enum CheckedDocument {
    Report(VerifiedReport, Box<model::ReportModel>),
    Audit(VerifiedReport, AuditDocument),
}

fn verify_document(path: &Path) -> Result<CheckedDocument> {
    let bytes = std::fs::read(path)
        .map_err(|e| ApiError::Io(format!("cannot read {}: {e}", path.display())))?;
    if let Some(verdict) = verify_audit_document(&bytes)? {
        return match verdict {
            AuditVerdict::Intact {
                content_hash,
                document,
            } => Ok(CheckedDocument::Audit(
                VerifiedReport {
                    kind: document.kind().to_owned(),
                    // The PDF names the document by its content hash.
                    document_id: content_hash.clone(),
                    content_hash,
                },
                document,
            )),
            AuditVerdict::DataAltered {
                kind,
                recorded,
                recomputed,
            } => Err(ApiError::Tampered(format!(
                "the {kind}'s data was altered: it records SHA-256 {recorded} but hashes to \
                 {recomputed}"
            ))),
            AuditVerdict::ContentAltered { kind, content_hash } => {
                Err(ApiError::Tampered(format!(
                    "the {kind} was edited after export: its data (SHA-256 {content_hash}) \
                     draws a different file"
                )))
            }
        };
    }
    match assay_reports::verify::verify(&bytes)? {
        Verdict::Intact {
            document_id,
            content_hash,
            model,
        } => Ok(CheckedDocument::Report(
            VerifiedReport {
                kind: "report".to_owned(),
                document_id,
                content_hash,
            },
            model,
        )),
        Verdict::DataAltered {
            recorded,
            recomputed,
        } => Err(ApiError::Tampered(format!(
            "the report's data was altered: it records SHA-256 {recorded} but hashes to {recomputed}"
        ))),
        Verdict::ContentAltered { content_hash } => Err(ApiError::Tampered(format!(
            "the report was edited after export: its data (SHA-256 {content_hash}) renders to a different file"
        ))),
    }
}

impl Assay {
    /// Checks a report file, then this database against it: the audit event the report was
    /// made at must still be in the trail (else the trail was cut or rewritten since, which is
    /// [`ApiError::Tampered`]), and says whether the data has moved on since.
    pub fn verify_report_against_database(&self, path: &Path) -> Result<ReportAgainstDatabase> {
        let (report, reported) = match verify_document(path)? {
            CheckedDocument::Report(report, reported) => (report, reported),
            CheckedDocument::Audit(report, document) => {
                return self.audit_document_against_database(report, &document);
            }
        };
        let id = &reported.document.assessment_id;
        let Some(current) = self.held_assessment(id)? else {
            return Ok(ReportAgainstDatabase::not_held(report));
        };
        let now = self.trail_point(&current.id, &current.scope)?;
        let events_since = match &reported.document.trail {
            Some(head) => {
                if !self.trail_holds(head.seq, &head.hash)? {
                    return Err(ApiError::Tampered(format!(
                        "the audit trail no longer holds event {} (SHA-256 {}) that this report \
                         was made at: the trail was cut or rewritten after the report was exported",
                        head.seq, head.hash
                    )));
                }
                Some(now.map_or(0, |now| now.events.saturating_sub(head.events)))
            }
            None => None,
        };
        let unsigned = self.report_model_unsigned(id)?;
        Ok(ReportAgainstDatabase {
            report,
            holds_assessment: true,
            data_changed: model::data_hash(&unsigned) != model::data_hash(&reported),
            events_since,
        })
    }

    /// The assessment a checked document names, if this database holds it.
    fn held_assessment(&self, id: &str) -> Result<Option<assay_assessment::Assessment>> {
        match self.assessment(id) {
            Ok(current) => Ok(Some(current)),
            Err(ApiError::AssessmentNotFound(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// A Statement of Applicability or Annex IV draft against this database: whether the
    /// document drawn from today's data has the same content hash.
    fn audit_document_against_database(
        &self,
        report: VerifiedReport,
        document: &AuditDocument,
    ) -> Result<ReportAgainstDatabase> {
        let id = document.assessment_id();
        if self.held_assessment(id)?.is_none() {
            return Ok(ReportAgainstDatabase::not_held(report));
        }
        let now = match document {
            AuditDocument::Statement(_) => self.soa_document(id)?.content_hash(),
            AuditDocument::Dossier(_) => self.dossier_document(id)?.content_hash(),
        };
        Ok(ReportAgainstDatabase {
            data_changed: now != report.content_hash,
            report,
            holds_assessment: true,
            events_since: None,
        })
    }
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so that a failure
/// (a full disk, say) never leaves a half-written report behind.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| ApiError::Invalid(format!("{shown} is not a file name")))?;
    let temporary = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let result = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(ApiError::Io(format!("cannot write {shown}: {e}")));
    }
    Ok(())
}

/// `text` made safe as a file name on every desktop system: path separators, reserved and
/// control characters become `-`, and leading or trailing dots and spaces go.
pub(crate) fn file_stem(text: &str) -> String {
    let stem: String = text
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    stem.trim_matches(['.', ' ']).to_owned()
}
