//! The facts the draft is built from, as the API gathers them, and the build: the cover's list
//! of records, then the nine sections in the Annex's order.

use std::collections::BTreeMap;

use assay_assessment::governance::GovernanceItem;
use assay_assessment::history::TrendPoint;
use assay_assessment::{Assessment, Bank};
use assay_evidence::{Snapshot, Tracker};
use chrono::{DateTime, NaiveDate, Utc};

use super::annex::SECTIONS;
use super::blocks::{Evidence, findings};
use super::{DossierDocument, Fact, Section, development, lifecycle, performance};
use crate::soa::SoaApproval;

/// Everything Assay holds that the draft draws on.
#[derive(Debug, Clone)]
pub struct DossierFacts<'a> {
    pub bank: &'a Bank,
    /// SHA-256 (hex) of the bank's canonical form.
    pub bank_digest: String,
    pub assessment: &'a Assessment,
    /// The tracker projects linked to the assessment's scope.
    pub projects: Vec<TrackerProject<'a>>,
    /// The scope's register.
    pub items: &'a [GovernanceItem],
    /// Per register item id, how many changes the audit trail records for it.
    pub item_changes: BTreeMap<String, usize>,
    /// The scope's assessments over time, oldest first.
    pub trend: &'a [TrendPoint],
    pub trail: TrailFacts,
    pub signoffs: Vec<SignoffFact>,
    pub exports: Vec<ExportFact>,
    /// `None` when the bank has no ISO/IEC 42001 catalogue to build a statement from.
    pub soa: Option<SoaFact>,
    /// Whether the assessment is finalised or was reopened, in words; `None` for a draft.
    pub finalisation: Option<String>,
    pub generated_at: DateTime<Utc>,
}

/// One tracker project's evidence and its import log.
#[derive(Debug, Clone)]
pub struct TrackerProject<'a> {
    pub snapshot: &'a Snapshot,
    /// Oldest first.
    pub imports: Vec<ImportFact>,
}

/// One line of a project's import log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFact {
    pub finished_at: DateTime<Utc>,
    pub incremental: bool,
    /// SHA-256 of the project's evidence after the import.
    pub content_hash: String,
    pub datasets: usize,
    pub runs: usize,
    pub model_versions: usize,
}

/// The audit trail about the assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailFacts {
    /// Events about the assessment per kind (`answer`, `vote`, `signoff`, ...), in the order
    /// the kinds first occur.
    pub kinds: Vec<(String, usize)>,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// The end of the trail about the assessment and its register: events, the last
    /// event's number and its hash.
    pub head: Option<(usize, i64, String)>,
}

/// A sign-off of the assessment's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignoffFact {
    pub name: String,
    pub role: String,
    /// In words: "Approved", "Approved with conditions", "Rejected".
    pub decision: String,
    pub comment: String,
    pub signed_on: NaiveDate,
    /// The hash of the report data it was given for.
    pub data_hash: String,
    /// Whether that data is still the data now.
    pub current: bool,
}

/// An export of the assessment's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFact {
    pub format: String,
    /// The file's name, without the folder it was written to.
    pub file: String,
    pub exported_at: DateTime<Utc>,
    pub content_hash: String,
    /// Whether a report exported now would carry the same content hash.
    pub current: bool,
}

/// The ISO/IEC 42001 Statement of Applicability of the assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaFact {
    pub framework: String,
    pub content_hash: String,
    pub controls: u32,
    pub included: u32,
    pub implemented: u32,
    /// Controls whose inclusion is still Assay's proposal.
    pub undecided: u32,
    pub approvals: Vec<SoaApproval>,
}

/// The draft for `facts`.
pub fn build(facts: &DossierFacts<'_>) -> DossierDocument {
    let assessment = facts.assessment;
    let evidence = Evidence::select(&facts.projects);
    let mut sections: Vec<Section> = SECTIONS
        .iter()
        .map(|outline| Section {
            number: outline.number,
            title: outline.title.to_owned(),
            asks: outline.asks.to_owned(),
            parts: Vec::new(),
        })
        .collect();
    for section in &mut sections {
        section.parts = match section.number {
            1 => development::general(facts, &evidence),
            2 => development::development(facts, &evidence),
            3 => performance::functioning(&evidence),
            4 => performance::metrics(&evidence),
            5 => lifecycle::risk(facts),
            6 => lifecycle::changes(facts, &evidence),
            7 => lifecycle::standards(facts),
            8 => lifecycle::declaration(),
            _ => lifecycle::post_market(facts),
        };
        // The assessment's answers on the practices the crosswalk ties to this section close it
        // (section 9 shows its own, with the monitoring areas, first).
        if section.number != 9 {
            section.parts.extend(findings(facts, section.number));
        }
    }
    DossierDocument {
        assessment_id: assessment.id.clone(),
        scope: assessment.scope.clone(),
        title: assessment.title.clone(),
        assessed_on: assessment.assessed_on,
        bank: format!("{}@{}", facts.bank.id, facts.bank.version),
        records: records(facts),
        sections,
        generated_at: facts.generated_at,
    }
}

/// The cover's list of the records the draft was drawn from.
fn records(facts: &DossierFacts<'_>) -> Vec<Fact> {
    let a = facts.assessment;
    let mut rows = vec![
        Fact::new(
            "Assessment",
            format!("{} ({}), id {}", a.title, a.assessed_on, a.id),
        ),
        Fact::new(
            "Question bank",
            format!(
                "{}@{}, SHA-256 {}",
                facts.bank.id, facts.bank.version, facts.bank_digest
            ),
        ),
    ];
    if let Some(state) = &facts.finalisation {
        rows.push(Fact::new("Assessment state", state.clone()));
    }
    if facts.projects.is_empty() {
        rows.push(Fact::new(
            "Tracker evidence",
            "none linked to this scope: import the tracker project that holds the system's \
             runs and link it to the scope, and the lineage, metrics and fairness figures \
             will fill in",
        ));
    }
    for project in &facts.projects {
        let source = &project.snapshot.source;
        let last = project.imports.last().map_or_else(
            || "never imported".to_owned(),
            |i| {
                format!(
                    "imported {}, evidence SHA-256 {}",
                    i.finished_at.format("%Y-%m-%d %H:%M UTC"),
                    i.content_hash
                )
            },
        );
        rows.push(Fact::new(
            "Tracker project",
            format!(
                "{} project {} at {}; {last}",
                tracker_name(source.tracker),
                source.project,
                source.instance
            ),
        ));
    }
    rows.push(Fact::new(
        "Register",
        format!("{} items of the scope", facts.items.len()),
    ));
    if let Some((events, seq, hash)) = &facts.trail.head {
        rows.push(Fact::new(
            "Audit trail",
            format!("{events} events about the assessment and its register, ending at event {seq}, hash {hash}"),
        ));
    }
    rows.push(Fact::new(
        "Report sign-offs",
        match facts.signoffs.len() {
            0 => "none recorded".to_owned(),
            n => format!("{n} recorded (section 2, point 2(g))"),
        },
    ));
    if let Some(soa) = &facts.soa {
        rows.push(Fact::new(
            "Statement of Applicability",
            format!("{}, content SHA-256 {}", soa.framework, soa.content_hash),
        ));
    }
    rows
}

pub(super) fn tracker_name(tracker: Tracker) -> &'static str {
    match tracker {
        Tracker::Mlflow => "MLflow",
        Tracker::Wandb => "Weights & Biases",
    }
}
