//! The Statement of Applicability as one self-contained HTML file: a handlebars template with
//! default escaping for every text, an inline stylesheet, no script and nothing loaded from
//! elsewhere.

use std::sync::LazyLock;

use assay_assessment::soa::{SoaRow, StatementOfApplicability};
use handlebars::Handlebars;
use serde::Serialize;

use super::{LABELS_NOTE, SoaDocument};
use crate::{ReportError, palette};

const TEMPLATE: &str = include_str!("../../../../templates/soa.html.hbs");
const CSS_RULES: &str = include_str!("../../../../templates/soa.css");

static CSS: LazyLock<String> =
    LazyLock::new(|| format!("{}\n{CSS_RULES}", palette::css_custom_properties()));

static TEMPLATES: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_template_string("soa", TEMPLATE)
        .map_err(|e| e.to_string())?;
    Ok(hb)
});

/// A row as the template shows it: labels and dates already in words.
#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    pub row: &'a SoaRow,
    pub applicable: &'static str,
    pub status: &'static str,
    pub status_class: &'static str,
    pub drivers: String,
    /// Each mapped question with its title and answer.
    pub questions: Vec<String>,
    /// The mapped questions in a line: `DEV-1 3 · FIT-3 –` (a dash for unanswered), each with
    /// its relationship to the control where the bank types its links: `DEV-1 3 (subset)`.
    pub questions_short: String,
    pub items: Vec<String>,
    pub evidence: Vec<String>,
}

#[derive(Serialize)]
struct Group<'a> {
    name: &'a str,
    rows: Vec<RowView<'a>>,
}

#[derive(Serialize)]
struct View<'a> {
    css: &'a str,
    doc: &'a SoaDocument,
    groups: Vec<Group<'a>>,
    counts: Vec<(&'static str, u32)>,
    content_hash: String,
    generated_at: String,
    labels_note: &'static str,
}

pub fn row_view(row: &SoaRow) -> RowView<'_> {
    RowView {
        row,
        applicable: if row.included { "Included" } else { "Excluded" },
        status: row.status.label(),
        status_class: match row.status {
            assay_assessment::soa::ControlStatus::Implemented => "ok",
            assay_assessment::soa::ControlStatus::PartiallyImplemented => "warn",
            assay_assessment::soa::ControlStatus::NotImplemented => "bad",
            _ => "muted",
        },
        drivers: if row.drivers.is_empty() {
            "not stated".to_owned()
        } else {
            row.drivers
                .iter()
                .map(|d| d.label())
                .collect::<Vec<_>>()
                .join(", ")
        },
        questions: row
            .questions
            .iter()
            .map(|q| {
                let answer = match (q.level, q.not_applicable) {
                    (Some(level), _) => format!("level {level}"),
                    (None, true) => "N/A".to_owned(),
                    (None, false) => "unanswered".to_owned(),
                };
                match q.relationship {
                    Some(relationship) => {
                        format!(
                            "{} {}: {answer} ({relationship} of the control)",
                            q.id, q.title
                        )
                    }
                    None => format!("{} {}: {answer}", q.id, q.title),
                }
            })
            .collect(),
        questions_short: row
            .questions
            .iter()
            .map(|q| {
                let answer = match (q.level, q.not_applicable) {
                    (Some(level), _) => level.to_string(),
                    (None, true) => "N/A".to_owned(),
                    (None, false) => "–".to_owned(),
                };
                match q.relationship {
                    Some(relationship) => format!("{} {answer} ({relationship})", q.id),
                    None => format!("{} {answer}", q.id),
                }
            })
            .collect::<Vec<_>>()
            .join(" · "),
        items: row
            .items
            .iter()
            .map(|i| {
                let due = i.due_on.map(|d| format!(", due {d}")).unwrap_or_default();
                let owner = i
                    .owner
                    .as_deref()
                    .map(|o| format!(", {o}"))
                    .unwrap_or_default();
                format!("{} ({}{owner}{due})", i.title, status_word(i.status))
            })
            .collect(),
        evidence: row
            .evidence
            .iter()
            .map(|e| {
                let label = e.label.as_deref().unwrap_or(&e.target);
                let when = e
                    .linked_at
                    .map(|t| format!(", linked {}", t.format("%Y-%m-%d")))
                    .unwrap_or_default();
                let hash = e
                    .sha256
                    .as_deref()
                    .map(|h| format!(", SHA-256 {}", &h[..h.len().min(16)]))
                    .unwrap_or_default();
                format!("{label} [{}{when}{hash}] via {}", e.kind.as_str(), e.source)
            })
            .collect(),
    }
}

fn status_word(status: assay_assessment::governance::ItemStatus) -> &'static str {
    use assay_assessment::governance::ItemStatus;
    match status {
        ItemStatus::Open => "open",
        ItemStatus::InProgress => "in progress",
        ItemStatus::Done => "done",
        ItemStatus::RiskAccepted => "risk accepted",
    }
}

pub(crate) fn counts(soa: &StatementOfApplicability) -> Vec<(&'static str, u32)> {
    let c = &soa.counts;
    vec![
        ("Controls", c.controls),
        ("Included", c.included),
        ("Excluded", c.excluded),
        ("Implemented", c.implemented),
        ("Partially implemented", c.partially_implemented),
        ("Not implemented", c.not_implemented),
        ("Not assessed", c.not_assessed),
        ("No question maps to it", c.uncovered),
        ("Inclusion still a proposal", c.undecided),
    ]
}

/// The statement as HTML.
pub fn render(doc: &SoaDocument) -> Result<String, ReportError> {
    let hb = TEMPLATES
        .as_ref()
        .map_err(|e| ReportError::Template(e.clone()))?;
    let mut groups: Vec<Group<'_>> = Vec::new();
    for row in &doc.soa.rows {
        match groups.last_mut() {
            Some(group) if group.name == row.group => group.rows.push(row_view(row)),
            _ => groups.push(Group {
                name: &row.group,
                rows: vec![row_view(row)],
            }),
        }
    }
    let view = View {
        css: &CSS,
        doc,
        groups,
        counts: counts(&doc.soa),
        content_hash: doc.content_hash(),
        generated_at: doc.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        labels_note: LABELS_NOTE,
    };
    hb.render("soa", &view)
        .map_err(|e| ReportError::Template(e.to_string()))
}
