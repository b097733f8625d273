//! The EU AI Act Annex IV technical documentation draft of an assessment: the facts Assay
//! holds about its scope gathered here, built into the draft by `assay_reports::dossier` and
//! exported as HTML or PDF.

use std::collections::BTreeMap;
use std::path::Path;

use assay_reports::dossier::{
    self, DossierDocument, DossierFacts, ExportFact, ImportFact, SignoffFact, SoaFact,
    TrackerProject, TrailFacts,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

use assay_store::ExportKind;

use crate::reports::write_atomically;
use crate::{ApiError, Assay, ReportFormat, Result};

/// Where an exported draft went and the content hash it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportedDossier {
    pub path: String,
    pub content_hash: String,
}

impl Assay {
    /// The Annex IV draft of an assessment as it stands: its scope's tracker evidence,
    /// register, history, audit trail, sign-offs, report exports and Statement of
    /// Applicability, each where Assay holds it.
    pub fn dossier_document(&self, assessment: &str) -> Result<DossierDocument> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let evidence = self.evidence(Some(&current.scope))?;
        let items = self.store.list_items(Some(&current.scope))?;
        let mut item_changes = BTreeMap::new();
        for item in &items {
            let events = self.store.audit_events(&format!("item/{}", item.id))?;
            item_changes.insert(item.id.clone(), events.len());
        }
        let trend = self.history(&current.scope)?;
        let soa = match self.soa_document(&current.id) {
            Ok(doc) => Some(SoaFact {
                framework: doc.soa.framework.clone(),
                content_hash: doc.content_hash(),
                controls: doc.soa.counts.controls,
                included: doc.soa.counts.included,
                implemented: doc.soa.counts.implemented,
                undecided: doc.soa.counts.undecided,
                approvals: doc.approvals,
            }),
            // The bank has no ISO/IEC 42001 catalogue to build a statement from.
            Err(ApiError::Invalid(_)) => None,
            Err(e) => return Err(e),
        };
        let signoffs = self
            .signoffs(&current.id)?
            .into_iter()
            .map(|s| SignoffFact {
                decision: s.decision_label,
                current: !s.stale,
                name: s.signoff.name,
                role: s.signoff.role,
                comment: s.signoff.comment,
                signed_on: s.signoff.signed_on,
                data_hash: s.signoff.data_hash,
            })
            .collect();
        let exports = self
            .report_exports(&current.id)?
            .into_iter()
            .map(|e| ExportFact {
                // Only the name: the folder says where one person keeps files, nothing more.
                file: Path::new(&e.export.path).file_name().map_or_else(
                    || e.export.path.clone(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                format: e.export.format,
                exported_at: e.export.exported_at,
                content_hash: e.export.content_hash,
                current: !e.stale,
            })
            .collect();
        let finalisation = self.store.final_state(&current.id)?.map(|state| {
            let when = state.finalised_at.format("%Y-%m-%d %H:%M UTC");
            match (&state.reopened, state.is_final) {
                (Some(r), false) => format!(
                    "finalised {when} by {}, reopened {} by {}: {}",
                    state.finalised_by,
                    r.at.format("%Y-%m-%d %H:%M UTC"),
                    r.by,
                    r.reason
                ),
                _ => format!(
                    "finalised {when} by {}, kept report data SHA-256 {}",
                    state.finalised_by, state.model_sha256
                ),
            }
        });
        let projects = evidence
            .iter()
            .map(|p| TrackerProject {
                snapshot: &p.snapshot,
                imports: p
                    .imports
                    .iter()
                    .map(|i| ImportFact {
                        finished_at: i.finished_at,
                        incremental: i.incremental,
                        content_hash: i.content_hash.clone(),
                        datasets: i.counts.datasets,
                        runs: i.counts.runs,
                        model_versions: i.counts.model_versions,
                    })
                    .collect(),
            })
            .collect();
        let facts = DossierFacts {
            bank: &bank.bank,
            bank_digest: bank.digest.to_string(),
            assessment: &current,
            projects,
            items: &items,
            item_changes,
            trend: &trend,
            trail: self.trail_facts(&current.id, &current.scope)?,
            signoffs,
            exports,
            soa,
            finalisation,
            generated_at: self.clock.now(),
        };
        Ok(dossier::build(&facts))
    }

    /// The audit trail about the assessment, summed up per kind of change.
    fn trail_facts(&self, assessment_id: &str, scope: &str) -> Result<TrailFacts> {
        let events = self.store.audit_events(&format!("{assessment_id}/"))?;
        let mut kinds: Vec<(String, usize)> = Vec::new();
        for event in &events {
            match kinds.iter_mut().find(|(kind, _)| *kind == event.entity) {
                Some((_, n)) => *n += 1,
                None => kinds.push((event.entity.clone(), 1)),
            }
        }
        let at = |text: Option<&String>| {
            text.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        Ok(TrailFacts {
            kinds,
            first: at(events.first().map(|e| &e.at)),
            last: at(events.last().map(|e| &e.at)),
            head: self
                .trail_point(assessment_id, scope)?
                .map(|p| (p.events, p.seq, p.hash)),
        })
    }

    /// The file name a draft is offered under: `<title> <date> Annex IV draft.<ext>`.
    pub fn dossier_file_name(&self, assessment: &str, format: ReportFormat) -> Result<String> {
        let assessment = self.assessment(assessment)?;
        let stem = crate::reports::file_stem(&format!(
            "{} {} Annex IV draft",
            assessment.title, assessment.assessed_on
        ));
        Ok(format!("{stem}.{}", format.extension()))
    }

    /// Writes the draft to `out` (replaced only once complete).
    pub fn export_dossier(
        &self,
        assessment: &str,
        format: ReportFormat,
        out: &Path,
    ) -> Result<ExportedDossier> {
        let doc = self.dossier_document(assessment)?;
        let bytes = match format {
            ReportFormat::Html => dossier::html::render(&doc)
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .into_bytes(),
            ReportFormat::Pdf => {
                dossier::pdf::render(&doc).map_err(|e| ApiError::Internal(e.to_string()))?
            }
        };
        write_atomically(out, &bytes)?;
        let path = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        let content_hash = doc.content_hash();
        self.log_export(
            &doc.assessment_id,
            ExportKind::Dossier,
            format.extension(),
            &path,
            &content_hash,
        )?;
        Ok(ExportedDossier {
            path: path.display().to_string(),
            content_hash,
        })
    }
}
