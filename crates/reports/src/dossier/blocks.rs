//! What several sections share: which tracker entities the draft lists, the assessment's
//! findings on the practices a section is about, and the wording of answers, evidence and
//! fairness figures.

use std::collections::BTreeSet;

use assay_assessment::bank::Question;
use assay_assessment::{Answer, Bank, Confidence, EvidenceKind, EvidenceLink, Rating};
use assay_evidence::{
    BiasEvidence, Dataset, EdgeKind, EntityKind, LineageEdge, ModelVersion, Run, Snapshot, display,
};

use super::annex::{FRAMEWORK, SECTIONS, is_monitoring_area};
use super::build::{DossierFacts, TrackerProject, tracker_name};
use super::{Block, Part};

/// Model versions listed per project at most: a registry can hold hundreds.
const MAX_MODELS: usize = 20;
/// Runs listed per project at most: a project can hold thousands.
const MAX_RUNS: usize = 20;
/// Datasets listed per project at most.
const MAX_DATASETS: usize = 25;
/// Characters of a linked file's SHA-256 shown beside it.
const FILE_HASH_CHARS: usize = 16;

/// The tracker entities the draft lists, per project.
#[derive(Debug)]
pub(super) struct Evidence<'a> {
    pub projects: Vec<Selected<'a>>,
}

#[derive(Debug)]
pub(super) struct Selected<'a> {
    pub snapshot: &'a Snapshot,
    /// "MLflow project fraud", for the text.
    pub name: String,
    /// "MLflow project fraud at http://… (evidence SHA-256 …)", for the sources lines.
    pub source: String,
    /// Registered model versions: those in production first, then the latest.
    pub models: Vec<&'a ModelVersion>,
    /// The runs behind a listed model version or a fairness figure (the latest runs when
    /// there are none), by start time.
    pub runs: Vec<&'a Run>,
    /// Lineage edges that touch a listed run or model version.
    pub edges: Vec<&'a LineageEdge>,
    /// Datasets those edges name (every dataset, up to a limit, when they name none).
    pub datasets: Vec<&'a Dataset>,
    /// Fairness figures of the listed runs, a figure read twice (metric and report) once.
    pub bias: Vec<&'a BiasEvidence>,
}

impl<'a> Evidence<'a> {
    pub fn select(projects: &[TrackerProject<'a>]) -> Evidence<'a> {
        Evidence {
            projects: projects.iter().map(select).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.projects.is_empty()
    }

    /// A sources line per project: `what` it gave, and the project.
    pub fn sources(&self, what: &str) -> Vec<String> {
        self.projects
            .iter()
            .map(|p| format!("{what}: {}", p.source))
            .collect()
    }
}

fn select<'a>(project: &TrackerProject<'a>) -> Selected<'a> {
    let snapshot = project.snapshot;
    let started = |run: Option<&str>| {
        run.and_then(|id| snapshot.runs.iter().find(|r| r.external_id == id))
            .and_then(|r| r.started_at)
    };
    let mut models: Vec<&ModelVersion> = snapshot.model_versions.iter().collect();
    models.sort_by(|a, b| {
        let key = |m: &ModelVersion| (m.is_production(), started(m.source_run.as_deref()));
        key(b).cmp(&key(a)).then(a.external_id.cmp(&b.external_id))
    });
    models.truncate(MAX_MODELS);
    // Listed in the registry's order.
    models.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    let shown: BTreeSet<&str> = models.iter().map(|m| m.external_id.as_str()).collect();
    let mut wanted: BTreeSet<&str> = BTreeSet::new();
    for model in &models {
        wanted.extend(model.source_run.as_deref());
    }
    for edge in &snapshot.edges {
        if edge.from.kind == EntityKind::Run
            && edge.to.kind == EntityKind::ModelVersion
            && shown.contains(edge.to.external_id.as_str())
        {
            wanted.insert(&edge.from.external_id);
        }
    }
    wanted.extend(snapshot.bias.iter().map(|b| b.run.as_str()));
    let mut runs: Vec<&Run> = if wanted.is_empty() {
        snapshot.runs.iter().collect()
    } else {
        snapshot
            .runs
            .iter()
            .filter(|r| wanted.contains(r.external_id.as_str()))
            .collect()
    };
    // Latest first to keep the most recent when cut, then listed oldest first.
    runs.sort_by(|a, b| (b.started_at, &b.external_id).cmp(&(a.started_at, &a.external_id)));
    runs.truncate(MAX_RUNS);
    runs.reverse();
    let listed: BTreeSet<&str> = runs.iter().map(|r| r.external_id.as_str()).collect();
    let touches = |kind: EntityKind, id: &str| match kind {
        EntityKind::ModelVersion => shown.contains(id),
        EntityKind::Run => listed.contains(id),
        EntityKind::Dataset => false,
    };
    let edges: Vec<&LineageEdge> = snapshot
        .edges
        .iter()
        .filter(|e| {
            touches(e.from.kind, &e.from.external_id) || touches(e.to.kind, &e.to.external_id)
        })
        .collect();
    let named: BTreeSet<&str> = edges
        .iter()
        .flat_map(|e| [&e.from, &e.to])
        .filter(|r| r.kind == EntityKind::Dataset)
        .map(|r| r.external_id.as_str())
        .collect();
    let datasets: Vec<&Dataset> = snapshot
        .datasets
        .iter()
        .filter(|d| named.is_empty() || named.contains(d.external_id.as_str()))
        .take(MAX_DATASETS)
        .collect();
    let mut seen = BTreeSet::new();
    let bias = snapshot
        .bias
        .iter()
        .filter(|b| listed.contains(b.run.as_str()))
        .filter(|b| {
            seen.insert((
                b.run.clone(),
                b.metric.clone(),
                display::sensitive_feature_text(b),
                display::value_text(b.value),
            ))
        })
        .collect();
    let source = &snapshot.source;
    let hash = project.imports.last().map_or_else(String::new, |i| {
        let short: String = i.content_hash.chars().take(FILE_HASH_CHARS).collect();
        format!(" (evidence SHA-256 {short}…)")
    });
    let name = format!(
        "{} project {}",
        tracker_name(source.tracker),
        source.project
    );
    Selected {
        snapshot,
        source: format!("{name} at {}{hash}", source.instance),
        name,
        models,
        runs,
        edges,
        datasets,
        bias,
    }
}

impl Selected<'_> {
    /// "xgb-train (run-1)": a run by name and id.
    pub fn run_label(&self, id: &str) -> String {
        let name = display::run_name(self.snapshot, id);
        if name == id {
            id.to_owned()
        } else {
            format!("{name} ({id})")
        }
    }

    /// How many runs the project holds beyond those listed, in a sentence; `None` when all
    /// are listed.
    pub fn runs_left_out(&self) -> Option<String> {
        let all = self.snapshot.runs.len();
        (all > self.runs.len()).then(|| {
            format!(
                "The project holds {all} runs; this draft lists the {} behind the model versions \
                 it lists or a fairness figure (or the latest, when none is), {MAX_RUNS} at most.",
                self.runs.len()
            )
        })
    }

    /// The same for model versions: those in production and the latest are listed.
    pub fn models_left_out(&self) -> Option<String> {
        let all = self.snapshot.model_versions.len();
        (all > self.models.len()).then(|| {
            format!(
                "The registry holds {all} model versions; this draft lists {}: those in \
                 production, then the latest.",
                self.models.len()
            )
        })
    }

    /// The same for datasets.
    pub fn datasets_left_out(&self) -> Option<String> {
        let all = self.snapshot.datasets.len();
        (all > self.datasets.len()).then(|| {
            format!(
                "The project holds {all} datasets; this draft lists the {} the lineage of the \
                 listed runs and model versions names ({MAX_DATASETS} at most).",
                self.datasets.len()
            )
        })
    }

    /// The edges of one kind.
    pub fn edges_of(&self, kind: EdgeKind) -> impl Iterator<Item = &&LineageEdge> {
        self.edges.iter().filter(move |e| e.kind == kind)
    }
}

/// A table block from `(title, width %)` columns.
pub(super) fn table(columns: &[(&str, u8)], rows: Vec<Vec<String>>) -> Block {
    Block::Table {
        columns: columns.iter().map(|(t, _)| (*t).to_owned()).collect(),
        widths: columns.iter().map(|(_, w)| *w).collect(),
        rows,
    }
}

pub(super) fn text(text: impl Into<String>) -> Block {
    Block::Text { text: text.into() }
}

pub(super) fn nothing(text: impl Into<String>) -> Block {
    Block::Nothing { text: text.into() }
}

/// A part only the provider can write.
pub(super) fn provider_part(point: &str, title: &str, provider: &[&str]) -> Part {
    Part {
        point: point.to_owned(),
        title: title.to_owned(),
        filled: Vec::new(),
        sources: Vec::new(),
        provider: provider.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Why a point that tracker evidence would fill is empty.
pub(super) const NO_EVIDENCE: &str = "No tracker evidence is linked to this scope, so Assay holds \
    no runs, datasets or model versions for it. Importing the tracker project that holds the \
    system's runs, linked to the scope, fills this point.";

/// The part listing the assessment's answers on the practices the crosswalk ties to section
/// `number`; `None` when the bank maps no question there. It has no point of the Annex.
pub(super) fn findings(facts: &DossierFacts<'_>, number: u8) -> Option<Part> {
    findings_part(facts, number, "", "What the assessment found")
}

/// [`findings`] under another point and title. Section 9 adds every question of the bank's
/// monitoring areas.
pub(super) fn findings_part(
    facts: &DossierFacts<'_>,
    number: u8,
    point: &str,
    title: &str,
) -> Option<Part> {
    let outline = SECTIONS.iter().find(|s| s.number == number)?;
    let bank = facts.bank;
    let questions = section_questions(bank, number);
    if questions.is_empty() {
        return None;
    }
    let rows = questions
        .iter()
        .map(|q| {
            let answer = facts.assessment.answers.get(&q.id);
            let clauses = clauses_of(q, outline.clauses);
            vec![
                format!("{} {}", q.id, q.title),
                if clauses.is_empty() {
                    // In section 9 for its area alone.
                    let code = bank
                        .pillars
                        .iter()
                        .flat_map(|p| &p.areas)
                        .find(|a| a.id == q.area)
                        .map_or(q.area.as_str(), |a| a.code.as_str());
                    format!("area {code}")
                } else {
                    // With the link's type where the bank gives one: `AnnexIV.2 (subset)`.
                    clauses
                        .iter()
                        .map(|clause| match q.relation(FRAMEWORK, clause) {
                            Some(relation) => format!("{clause} ({})", relation.relationship),
                            None => (*clause).to_owned(),
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                },
                answer_text(&bank.levels, answer),
                answer.and_then(|a| a.note.clone()).unwrap_or_default(),
                answer
                    .map(|a| evidence_list(&a.evidence))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut source = format!(
        "Assessment {}: answers to the questions that bank {}@{} maps to {}",
        facts.assessment.id,
        bank.id,
        bank.version,
        outline.clauses.join(", ")
    );
    if number == 9
        && bank
            .pillars
            .iter()
            .flat_map(|p| &p.areas)
            .any(is_monitoring_area)
    {
        source.push_str(", and every question of its monitoring areas");
    }
    Some(Part {
        point: point.to_owned(),
        title: title.to_owned(),
        filled: vec![
            text(
                "The maturity of the practices behind this section, as the assessment rated \
                 them (levels 0 to 4). They describe how the team works, not the system itself: \
                 they show where the provider's content can be found, or is likely missing.",
            ),
            table(
                &[
                    ("Question", 21),
                    ("Clauses", 14),
                    ("Answer", 20),
                    ("Note", 22),
                    ("Evidence linked", 23),
                ],
                rows,
            ),
        ],
        sources: vec![source],
        provider: Vec::new(),
    })
}

/// The questions behind section `number`: those whose crosswalk names one of its clauses, and
/// for section 9 every question of a monitoring area too.
pub(super) fn section_questions(bank: &Bank, number: u8) -> Vec<&Question> {
    let Some(outline) = SECTIONS.iter().find(|s| s.number == number) else {
        return Vec::new();
    };
    let monitoring: BTreeSet<&str> = bank
        .pillars
        .iter()
        .flat_map(|p| &p.areas)
        .filter(|a| number == 9 && is_monitoring_area(a))
        .map(|a| a.id.as_str())
        .collect();
    bank.questions
        .iter()
        .filter(|q| {
            !clauses_of(q, outline.clauses).is_empty() || monitoring.contains(q.area.as_str())
        })
        .collect()
}

/// The clauses of `wanted` the question's EU AI Act crosswalk names.
fn clauses_of<'q>(question: &'q Question, wanted: &[&str]) -> Vec<&'q str> {
    question
        .crosswalk
        .get(FRAMEWORK)
        .map(|ids| {
            ids.iter()
                .map(String::as_str)
                .filter(|id| wanted.contains(id))
                .collect()
        })
        .unwrap_or_default()
}

/// "3 Automated (confidence high)", "N/A: why", or "unanswered".
pub(super) fn answer_text(levels: &[String], answer: Option<&Answer>) -> String {
    let Some(answer) = answer else {
        return "unanswered".to_owned();
    };
    let mut text = match &answer.rating {
        Some(Rating::Level { level }) => {
            let name = levels
                .get(usize::from(level.value()))
                .map(String::as_str)
                .unwrap_or_default();
            format!("{level} {name}")
        }
        Some(Rating::NotApplicable { justification }) => format!("N/A: {justification}"),
        None => "unanswered".to_owned(),
    };
    if let Some(confidence) = answer.confidence {
        let word = match confidence {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        };
        text.push_str(&format!(" (confidence {word})"));
    }
    if answer.carried.is_some() {
        text.push_str("; carried over, not reviewed");
    }
    text
}

/// The links as lines: "label: target (file, SHA-256 …, linked 2026-06-01 by NAME)".
pub(super) fn evidence_list(links: &[EvidenceLink]) -> String {
    links
        .iter()
        .map(|link| {
            let mut about = Vec::new();
            if link.kind != EvidenceKind::Url {
                about.push(link.kind.as_str().to_owned());
            }
            if let Some(p) = &link.provenance {
                if let Some(hash) = &p.sha256 {
                    let short: String = hash.chars().take(FILE_HASH_CHARS).collect();
                    about.push(format!("SHA-256 {short}"));
                }
                about.push(format!(
                    "linked {} by {}",
                    p.added_at.format("%Y-%m-%d"),
                    p.added_by
                ));
            }
            let about = if about.is_empty() {
                String::new()
            } else {
                format!(" ({})", about.join(", "))
            };
            match &link.label {
                Some(label) => format!("{label}: {}{about}", link.target),
                None => format!("{}{about}", link.target),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A fairness figure as a table row: group, metric, value, threshold, verdict, run, read from.
pub(super) fn bias_row(selected: &Selected<'_>, b: &BiasEvidence) -> Vec<String> {
    let mut group = display::sensitive_feature_text(b);
    if let Some(reference) = &b.reference_group {
        group.push_str(&format!(" (against {reference})"));
    }
    vec![
        group,
        display::metric_label(&b.metric),
        display::value_text(b.value),
        display::threshold_text(b.threshold.as_ref()),
        display::verdict_text(b.passed).to_owned(),
        selected.run_label(&b.run),
        display::source_text(&b.source),
    ]
}

pub(super) const BIAS_COLUMNS: [(&str, u8); 7] = [
    ("Group", 16),
    ("Metric", 17),
    ("Value", 8),
    ("Threshold", 12),
    ("Result", 9),
    ("Run", 17),
    ("Read from", 21),
];
