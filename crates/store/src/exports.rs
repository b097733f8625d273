//! The log of document files written from an assessment: its report, Statement of
//! Applicability and Annex IV draft.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use crate::{Result, Store, StoreError, time};

/// What an export log row is a file of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Report,
    /// The ISO/IEC 42001 Statement of Applicability.
    Soa,
    /// The EU AI Act Annex IV draft.
    Dossier,
}

impl ExportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Report => "report",
            ExportKind::Soa => "soa",
            ExportKind::Dossier => "dossier",
        }
    }

    fn parse(text: &str) -> Option<ExportKind> {
        [ExportKind::Report, ExportKind::Soa, ExportKind::Dossier]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// One document file as it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportRecord {
    pub assessment_id: String,
    pub kind: ExportKind,
    /// `html`, `pdf` or, for a statement, `xlsx`.
    pub format: String,
    pub path: String,
    pub document_id: String,
    pub content_hash: String,
    pub exported_at: DateTime<Utc>,
}

impl Store {
    /// A single insert, so it needs no transaction (and no `&mut`).
    pub fn record_export(&self, export: &ExportRecord) -> Result<()> {
        self.conn.execute(
            "INSERT INTO report_export (assessment_id, format, path, document_id, content_hash,
                 exported_at, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                export.assessment_id,
                export.format,
                export.path,
                export.document_id,
                export.content_hash,
                export.exported_at.to_rfc3339(),
                export.kind.as_str(),
            ],
        )?;
        Ok(())
    }

    /// An assessment's exports, oldest first.
    pub fn exports(&self, assessment_id: &str) -> Result<Vec<ExportRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT assessment_id, format, path, document_id, content_hash, exported_at, kind
             FROM report_export WHERE assessment_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([assessment_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (assessment_id, format, path, document_id, content_hash, exported_at, kind) = row?;
            let exported_at = time::parse(&exported_at)
                .map_err(|e| StoreError::Invalid(format!("export time: {e}")))?;
            let kind = ExportKind::parse(&kind)
                .ok_or_else(|| StoreError::Invalid(format!("export kind `{kind}`")))?;
            out.push(ExportRecord {
                assessment_id,
                kind,
                format,
                path,
                document_id,
                content_hash,
                exported_at,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_are_listed_oldest_first_per_assessment() {
        let store = Store::open_in_memory().unwrap();
        let at = DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let export = |assessment: &str, format: &str| ExportRecord {
            assessment_id: assessment.into(),
            kind: if format == "xlsx" {
                ExportKind::Soa
            } else {
                ExportKind::Report
            },
            format: format.into(),
            path: format!("/tmp/report.{format}"),
            document_id: "ASSAY-1".into(),
            content_hash: "ab".repeat(32),
            exported_at: at,
        };
        store.record_export(&export("a1", "pdf")).unwrap();
        store.record_export(&export("a2", "pdf")).unwrap();
        store.record_export(&export("a1", "html")).unwrap();
        store.record_export(&export("a1", "xlsx")).unwrap();
        let listed = store.exports("a1").unwrap();
        assert_eq!(
            listed,
            vec![
                export("a1", "pdf"),
                export("a1", "html"),
                export("a1", "xlsx")
            ]
        );
        assert!(store.exports("a3").unwrap().is_empty());
    }
}
