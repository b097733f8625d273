//! The log of report files written from an assessment.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use crate::{Result, Store, StoreError, time};

/// One report file as it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportRecord {
    pub assessment_id: String,
    /// `html` or `pdf`.
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
                 exported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                export.assessment_id,
                export.format,
                export.path,
                export.document_id,
                export.content_hash,
                export.exported_at.to_rfc3339(),
            ],
        )?;
        Ok(())
    }

    /// An assessment's exports, oldest first.
    pub fn exports(&self, assessment_id: &str) -> Result<Vec<ExportRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT assessment_id, format, path, document_id, content_hash, exported_at
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
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (assessment_id, format, path, document_id, content_hash, exported_at) = row?;
            let exported_at = time::parse(&exported_at)
                .map_err(|e| StoreError::Invalid(format!("export time: {e}")))?;
            out.push(ExportRecord {
                assessment_id,
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
            format: format.into(),
            path: format!("/tmp/report.{format}"),
            document_id: "ASSAY-1".into(),
            content_hash: "ab".repeat(32),
            exported_at: at,
        };
        store.record_export(&export("a1", "pdf")).unwrap();
        store.record_export(&export("a2", "pdf")).unwrap();
        store.record_export(&export("a1", "html")).unwrap();
        let listed = store.exports("a1").unwrap();
        assert_eq!(listed, vec![export("a1", "pdf"), export("a1", "html")]);
        assert!(store.exports("a3").unwrap().is_empty());
    }
}
