//! Evidence links as both tables that hold them (`evidence_link` on answers,
//! `governance_item_evidence` on register items) store them: kind, target, label and the
//! provenance recorded when the link was added.

use assay_assessment::{EvidenceKind, EvidenceLink, LinkProvenance};
use rusqlite::Row;

use crate::{Result, StoreError, time};

/// The columns [`read`] expects, in order, after whatever the query selects first.
pub(crate) const COLUMNS: &str = "kind, target, label, added_at, added_by, file_sha256, as_of";

/// How an audit event records one link, as a SQL expression over the link's columns: the
/// provenance fields appear only on links that have them, so a link recorded before provenance
/// was kept snapshots exactly as it did then; so does the day the fact was true, on links
/// that carry one. A macro, so the snapshot queries can `concat!` it.
macro_rules! snapshot_json {
    () => {
        "CASE WHEN as_of IS NULL THEN (CASE WHEN added_at IS NULL
            THEN json_object('kind', kind, 'target', target, 'label', label)
            ELSE json_object('kind', kind, 'target', target, 'label', label,
                'added_at', added_at, 'added_by', added_by, 'file_sha256', file_sha256) END)
        ELSE json_object('kind', kind, 'target', target, 'label', label,
            'added_at', added_at, 'added_by', added_by, 'file_sha256', file_sha256,
            'as_of', as_of) END"
    };
}
pub(crate) use snapshot_json;

/// The link in columns `first..first + 7` of `row`.
pub(crate) fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Result<EvidenceLink>> {
    let kind: String = row.get(first)?;
    let target: String = row.get(first + 1)?;
    let label: Option<String> = row.get(first + 2)?;
    let added_at: Option<String> = row.get(first + 3)?;
    let added_by: Option<String> = row.get(first + 4)?;
    let sha256: Option<String> = row.get(first + 5)?;
    let as_of: Option<String> = row.get(first + 6)?;
    Ok((|| {
        let kind = EvidenceKind::parse(&kind)
            .ok_or_else(|| StoreError::Invalid(format!("evidence kind `{kind}`")))?;
        let provenance = match (added_at, added_by) {
            (Some(at), Some(by)) => Some(LinkProvenance {
                added_at: time::read(&at)?,
                added_by: by,
                sha256,
            }),
            _ => None,
        };
        let as_of = as_of
            .map(|day| {
                day.parse()
                    .map_err(|e| StoreError::Invalid(format!("evidence date `{day}`: {e}")))
            })
            .transpose()?;
        Ok(EvidenceLink {
            kind,
            target,
            label,
            as_of,
            provenance,
        })
    })())
}

/// The values of [`COLUMNS`] for `link`, to bind after the row's key columns.
pub(crate) fn values(link: &EvidenceLink) -> [Option<String>; 7] {
    let provenance = link.provenance.as_ref();
    [
        Some(link.kind.as_str().to_owned()),
        Some(link.target.clone()),
        link.label.clone(),
        provenance.map(|p| p.added_at.to_rfc3339()),
        provenance.map(|p| p.added_by.clone()),
        provenance.and_then(|p| p.sha256.clone()),
        link.as_of.map(|day| day.to_string()),
    ]
}
