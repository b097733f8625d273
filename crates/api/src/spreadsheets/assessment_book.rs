//! An assessment as one Excel workbook for auditors who work in spreadsheets: its findings, the
//! scope's register, the crosswalk to regulations, the roadmap, and the full tracker evidence
//! of the scope (datasets, runs, model versions, lineage, every fairness figure), each a table
//! sheet (`tables`).

use std::path::Path;

use assay_evidence::display;
use assay_evidence::{EntityRef, Snapshot};
use assay_reports::model::{AnswerStatus, ReportModel};
use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Serialize;

use super::tables::{Cell, Column, add_table};
use super::xlsx_failed;
use crate::items::ItemView;
use crate::reports::write_atomically;
use crate::{Assay, Result};

/// Where the workbook went and how many rows each sheet holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportedWorkbook {
    pub path: String,
    /// Sheet name and its number of rows (header not counted), in order.
    #[cfg_attr(feature = "ts", ts(type = "Array<[string, number]>"))]
    pub sheets: Vec<(String, usize)>,
}

impl Assay {
    /// Writes the assessment's workbook to `out` (replaced only once complete).
    pub fn export_workbook(&self, assessment: &str, out: &Path) -> Result<ExportedWorkbook> {
        let model = self.report_model_unsigned(assessment)?;
        let items = self.list_items(Some(&model.document.scope), false)?;
        let roadmap = self.roadmap(&model.document.assessment_id)?;
        let evidence = self.evidence(Some(&model.document.scope))?;
        let snapshots: Vec<&Snapshot> = evidence.iter().map(|p| &p.snapshot).collect();

        let sheets: Vec<Sheet<'_>> = vec![
            ("Findings", &FINDINGS, findings(&model)),
            ("Register", &REGISTER, register(&items)),
            ("Crosswalk", &CROSSWALK, crosswalk(&model)),
            ("Roadmap", &ROADMAP, roadmap_rows(&roadmap)),
            ("Datasets", &DATASETS, datasets(&snapshots)),
            ("Runs", &RUNS, runs(&snapshots)),
            ("Model versions", &MODELS, models(&snapshots)),
            ("Lineage", &LINEAGE, lineage(&snapshots)),
            ("Fairness", &FAIRNESS, fairness(&snapshots)),
        ];
        let bytes = write(&sheets).map_err(xlsx_failed)?;
        write_atomically(out, &bytes)?;
        let path = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        Ok(ExportedWorkbook {
            path: path.display().to_string(),
            sheets: sheets
                .iter()
                .map(|(name, _, rows)| ((*name).to_owned(), rows.len()))
                .collect(),
        })
    }

    /// The file name the workbook is offered under: `<title> <date>.xlsx`.
    pub fn workbook_file_name(&self, assessment: &str) -> Result<String> {
        let assessment = self.assessment(assessment)?;
        let stem =
            crate::reports::file_stem(&format!("{} {}", assessment.title, assessment.assessed_on));
        Ok(format!("{stem}.xlsx"))
    }
}

/// A sheet to write: its name, columns and rows.
type Sheet<'a> = (&'a str, &'a [Column], Vec<Vec<Cell>>);

fn write(sheets: &[Sheet<'_>]) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    for (name, columns, rows) in sheets {
        add_table(&mut workbook, name, columns, rows)?;
    }
    workbook.save_to_buffer()
}

const FINDINGS: [Column; 15] = [
    ("question", 10.0),
    ("area", 22.0),
    ("title", 32.0),
    ("status", 14.0),
    ("level", 7.0),
    ("target", 7.0),
    ("gap", 6.0),
    ("blocks headline level", 10.0),
    ("dissent", 8.0),
    ("votes", 30.0),
    ("note", 40.0),
    ("confidence", 11.0),
    ("N/A justification", 30.0),
    ("evidence", 40.0),
    ("crosswalk", 30.0),
];

fn findings(model: &ReportModel) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for area in model.pillars.iter().flat_map(|p| &p.areas) {
        for f in &area.findings {
            let status = match f.status {
                AnswerStatus::Level => "answered",
                AnswerStatus::NotApplicable => "not applicable",
                AnswerStatus::Unanswered => "unanswered",
            };
            let votes: Vec<String> = f
                .votes
                .iter()
                .map(|v| format!("{}: {}", v.participant, v.vote))
                .collect();
            let evidence: Vec<String> = f
                .evidence
                .iter()
                .map(|e| format!("{} [{}]", e.label.as_deref().unwrap_or(&e.target), e.kind))
                .collect();
            rows.push(vec![
                Cell::text(&f.id),
                Cell::text(&area.name),
                Cell::text(&f.title),
                Cell::text(status),
                Cell::optional_number(f.level),
                Cell::optional_number(f.target),
                Cell::optional_number(f.gap),
                Cell::optional_number(f.blocks_level),
                Cell::yes_no(f.dissent),
                Cell::text(votes.join("; ")),
                Cell::optional_text(f.note.clone()),
                Cell::optional_text(f.confidence.clone()),
                Cell::optional_text(f.justification.clone()),
                Cell::text(evidence.join("\n")),
                Cell::text(f.crosswalk.join(", ")),
            ]);
        }
    }
    rows
}

const REGISTER: [Column; 13] = [
    ("item", 38.0),
    ("title", 40.0),
    ("status", 13.0),
    ("priority", 10.0),
    ("owner", 18.0),
    ("due", 11.0),
    ("overdue", 8.0),
    ("created", 16.0),
    ("updated", 16.0),
    ("questions", 16.0),
    ("clauses", 24.0),
    ("risk accepted by", 20.0),
    ("description", 50.0),
];

fn register(items: &[ItemView]) -> Vec<Vec<Cell>> {
    items
        .iter()
        .map(|view| {
            let i = &view.item;
            vec![
                Cell::text(&i.id),
                Cell::text(&i.title),
                Cell::text(i.status.as_str()),
                Cell::text(i.priority.as_str()),
                Cell::optional_text(i.owner.clone()),
                i.due_on.map_or(Cell::Empty, Cell::Date),
                Cell::yes_no(view.overdue),
                Cell::Time(i.created_at),
                Cell::Time(i.updated_at),
                Cell::text(i.links.questions.join(", ")),
                Cell::text(i.links.clauses.join(", ")),
                Cell::optional_text(
                    i.acceptance
                        .as_ref()
                        .map(|a| format!("{}: {}", a.accepted_by, a.reason)),
                ),
                Cell::text(&i.description),
            ]
        })
        .collect()
}

const CROSSWALK: [Column; 8] = [
    ("framework", 22.0),
    ("clause", 14.0),
    ("title", 36.0),
    ("coverage", 16.0),
    ("questions", 40.0),
    ("relationship", 24.0),
    ("rationale", 50.0),
    ("evidence links", 9.0),
];

/// One row per clause. A clause has several questions, so its typed links are listed by
/// question id (`ORG-1: subset`); untyped links are left out, and a clause none of whose links
/// is typed leaves both cells blank.
fn crosswalk(model: &ReportModel) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for framework in &model.crosswalk {
        for clause in &framework.clauses {
            let questions: Vec<String> = clause
                .questions
                .iter()
                .map(|q| format!("{}: {}", q.id, q.result))
                .collect();
            let relationships: Vec<String> = clause
                .questions
                .iter()
                .filter_map(|q| Some(format!("{}: {}", q.id, q.relationship.as_deref()?)))
                .collect();
            let rationales: Vec<String> = clause
                .questions
                .iter()
                .filter_map(|q| Some(format!("{}: {}", q.id, q.rationale.as_deref()?)))
                .collect();
            rows.push(vec![
                Cell::text(&framework.name),
                Cell::text(&clause.id),
                Cell::text(&clause.title),
                Cell::text(clause.status.label()),
                Cell::text(questions.join("; ")),
                Cell::optional_text((!relationships.is_empty()).then(|| relationships.join("; "))),
                Cell::optional_text((!rationales.is_empty()).then(|| rationales.join("\n"))),
                Cell::number(u32::try_from(clause.evidence_links).unwrap_or(u32::MAX)),
            ]);
        }
    }
    rows
}

const ROADMAP: [Column; 9] = [
    ("order", 6.0),
    ("question", 10.0),
    ("title", 36.0),
    ("level now", 9.0),
    ("goal", 6.0),
    ("climb", 6.0),
    ("gates headline level", 10.0),
    ("blocks the next level", 10.0),
    ("effort", 14.0),
];

fn roadmap_rows(map: &assay_assessment::roadmap::Roadmap) -> Vec<Vec<Cell>> {
    (1u32..)
        .zip(&map.steps)
        .map(|(order, s)| {
            let effort = if s.effort_estimated {
                s.effort.as_str().to_owned()
            } else {
                format!("{} (guess)", s.effort.as_str())
            };
            vec![
                Cell::number(order),
                Cell::text(&s.question),
                Cell::text(&s.title),
                match (s.level, s.not_applicable) {
                    (Some(level), _) => Cell::number(level.value()),
                    (None, true) => Cell::text("N/A"),
                    (None, false) => Cell::text("unanswered"),
                },
                Cell::number(s.goal.value()),
                Cell::number(s.climb),
                Cell::optional_number(s.blocks_level),
                Cell::yes_no(s.blocks_next),
                Cell::text(effort),
            ]
        })
        .collect()
}

fn project(snapshot: &Snapshot) -> String {
    format!(
        "{} {} ({})",
        snapshot.source.tracker.as_str(),
        snapshot.source.project,
        snapshot.source.instance
    )
}

const DATASETS: [Column; 8] = [
    ("project", 30.0),
    ("dataset", 36.0),
    ("name", 24.0),
    ("version", 10.0),
    ("digest", 24.0),
    ("source", 40.0),
    ("source type", 12.0),
    ("used for", 12.0),
];

fn datasets(snapshots: &[&Snapshot]) -> Vec<Vec<Cell>> {
    snapshots
        .iter()
        .flat_map(|s| {
            s.datasets.iter().map(|d| {
                vec![
                    Cell::text(project(s)),
                    Cell::text(&d.external_id),
                    Cell::text(&d.name),
                    Cell::optional_text(d.version.clone()),
                    Cell::optional_text(d.digest.clone()),
                    Cell::optional_text(d.source.clone()),
                    Cell::optional_text(d.source_type.clone()),
                    Cell::optional_text(d.context.clone()),
                ]
            })
        })
        .collect()
}

const RUNS: [Column; 10] = [
    ("project", 30.0),
    ("run", 34.0),
    ("name", 24.0),
    ("experiment", 20.0),
    ("status", 10.0),
    ("started", 16.0),
    ("ended", 16.0),
    ("commit", 14.0),
    ("parameters", 40.0),
    ("metrics", 40.0),
];

fn runs(snapshots: &[&Snapshot]) -> Vec<Vec<Cell>> {
    let pairs = |map: &dyn Fn() -> Vec<String>| map().join("; ");
    snapshots
        .iter()
        .flat_map(|s| {
            s.runs.iter().map(|r| {
                vec![
                    Cell::text(project(s)),
                    Cell::text(&r.external_id),
                    Cell::text(&r.name),
                    Cell::text(&r.project),
                    Cell::text(&r.status),
                    r.started_at.map_or(Cell::Empty, Cell::Time),
                    r.ended_at.map_or(Cell::Empty, Cell::Time),
                    Cell::optional_text(r.code_commit.clone()),
                    Cell::text(pairs(&|| {
                        r.params.iter().map(|(k, v)| format!("{k}={v}")).collect()
                    })),
                    Cell::text(pairs(&|| {
                        r.metrics
                            .iter()
                            .map(|(k, v)| format!("{k}={}", display::value_text(*v)))
                            .collect()
                    })),
                ]
            })
        })
        .collect()
}

const MODELS: [Column; 7] = [
    ("project", 30.0),
    ("model version", 30.0),
    ("registered model", 24.0),
    ("version", 8.0),
    ("aliases", 18.0),
    ("stage", 12.0),
    ("source run", 34.0),
];

fn models(snapshots: &[&Snapshot]) -> Vec<Vec<Cell>> {
    snapshots
        .iter()
        .flat_map(|s| {
            s.model_versions.iter().map(|m| {
                vec![
                    Cell::text(project(s)),
                    Cell::text(&m.external_id),
                    Cell::text(&m.registry_name),
                    Cell::text(&m.version),
                    Cell::text(m.aliases.join(", ")),
                    Cell::optional_text(m.stage.clone()),
                    Cell::optional_text(m.source_run.clone()),
                ]
            })
        })
        .collect()
}

const LINEAGE: [Column; 8] = [
    ("project", 30.0),
    ("relation", 16.0),
    ("from kind", 12.0),
    ("from", 34.0),
    ("from name", 24.0),
    ("to kind", 12.0),
    ("to", 34.0),
    ("to name", 24.0),
];

fn lineage(snapshots: &[&Snapshot]) -> Vec<Vec<Cell>> {
    let end = |s: &Snapshot, e: &EntityRef| {
        [
            Cell::text(e.kind.as_str()),
            Cell::text(&e.external_id),
            Cell::text(display::entity_name(s, e)),
        ]
    };
    snapshots
        .iter()
        .flat_map(|s| {
            s.edges.iter().map(|edge| {
                let mut row = vec![
                    Cell::text(project(s)),
                    Cell::text(display::edge_kind_label(edge.kind)),
                ];
                row.extend(end(s, &edge.from));
                row.extend(end(s, &edge.to));
                row
            })
        })
        .collect()
}

const FAIRNESS: [Column; 11] = [
    ("project", 30.0),
    ("run", 34.0),
    ("run name", 24.0),
    ("metric", 28.0),
    ("name in the tracker", 28.0),
    ("sensitive feature", 16.0),
    ("group", 14.0),
    ("reference group", 14.0),
    ("value", 10.0),
    ("threshold", 18.0),
    ("verdict", 10.0),
];

fn fairness(snapshots: &[&Snapshot]) -> Vec<Vec<Cell>> {
    snapshots
        .iter()
        .flat_map(|s| {
            s.bias.iter().map(|b| {
                vec![
                    Cell::text(project(s)),
                    Cell::text(&b.run),
                    Cell::text(display::run_name(s, &b.run)),
                    Cell::text(display::metric_label(&b.metric)),
                    Cell::text(&b.raw_name),
                    Cell::optional_text(b.sensitive_feature.clone()),
                    Cell::optional_text(b.group.clone()),
                    Cell::optional_text(b.reference_group.clone()),
                    Cell::Number(b.value),
                    Cell::text(display::threshold_text(b.threshold.as_ref())),
                    Cell::text(display::verdict_text(b.passed)),
                ]
            })
        })
        .collect()
}
