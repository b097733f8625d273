//! The reference large report for the rendering benchmark (`scripts/bench-reports.sh`).
//!
//! Builds one generated, seeded, deterministic assessment: the real question bank (47
//! questions) answered by 8 participants, with notes, N/A answers, evidence links and targets,
//! plus 200 governance register items, a 500-edge lineage (datasets -> runs -> model versions),
//! 100 fairness metrics, changes and sign-offs: 58 A4 pages.
//!
//! ```text
//! large_report write DIR          writes DIR/report.html and DIR/report.pdf
//! large_report time html|pdf N    renders N times after one warm-up; prints median_ms=...
//! large_report once html|pdf OUT  renders once and writes OUT (for /usr/bin/time -v)
//! ```
//!
//! A timed render is what one export costs once the model is built: hashing the model, (for
//! HTML) compiling the templates, and rendering to bytes.

#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use assay_assessment::governance::{
    GovernanceItem, ItemLinks, ItemStatus, Priority, RiskAcceptance,
};
use assay_assessment::{
    Answer, Assessment, Bank, Confidence, EvidenceKind, EvidenceLink, Level, Participant, Rating,
    Targets, Vote, VoteValue,
};
use assay_reports::html::HtmlRenderer;
use assay_reports::model::{
    self, BiasRow, ChangeRow, ChangesSection, HashedModel, LineageRow, ReportModel, SignoffRow,
};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

type Error = Box<dyn std::error::Error>;

const SEED: u64 = 0x5EED_A55A_2025_0001;
const PARTICIPANTS: usize = 8;
const REGISTER_ITEMS: usize = 200;
const LINEAGE_EDGES: usize = 500;
const BIAS_METRICS: usize = 100;

/// splitmix64: tiny, seeded and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// One item of a `|`-separated list.
    fn pick(&mut self, list: &'static str) -> &'static str {
        let n = self.below(list.split('|').count());
        list.split('|').nth(n).unwrap_or(list)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const PEOPLE: [(&str, &str); PARTICIPANTS] = [
    ("Ana Costa", "Facilitator"),
    ("Bo Lindqvist", "ML engineer"),
    ("Chidi Okafor", "Data platform engineer"),
    ("Dana Weiss", "MLOps engineer"),
    ("Emre Yilmaz", "Data scientist"),
    ("Fatima Zahra", "ML product manager"),
    ("Grace Liu", "Risk and compliance lead"),
    ("Hugo Martin", "Site reliability engineer"),
];
// Word lists, `|`-separated.
const SYSTEMS: &str =
    "fraud-scorer|chargeback-predictor|merchant-risk|aml-screening|card-velocity|account-takeover";
const VERBS: &str = "Document|Automate|Review|Backfill|Define an owner for|Add alerting to|Retire|\
    Write a runbook for|Re-validate|Agree thresholds for";
const OBJECTS: &str = "the feature freshness checks|the retraining schedule|\
    the drift monitors on transaction amount and merchant category|\
    the approval gate before promotion to production|the label delay estimate used in evaluation|\
    the rollback procedure of the online scorer|the access review of the feature store|\
    the data retention rules for raw card events|the shadow deployment comparison report|\
    the model card and its intended-use statement";
const REASONS: &str = "after the last incident review found it missing|\
    as asked by internal audit in the previous cycle|\
    so that the on-call engineer can act without the model owner|\
    because the regulator's questionnaire asks for it explicitly|\
    before the next quarterly retraining|to close the gap found in this assessment";
/// Shorter objects, for register item titles.
const TOPICS: &str = "feature freshness checks|retraining schedule|drift monitors|promotion gate|\
    label delay estimate|rollback procedure|feature store access review|data retention rules|\
    shadow comparison|model card";
const DATASETS: &str = "card-transactions|chargebacks|merchant-profiles|device-fingerprints|kyc-records|label-feedback";
const METRICS: &str = "Demographic parity difference|Equalized odds difference|\
    Equal opportunity difference|Disparate impact ratio|False positive rate difference|\
    False negative rate difference|Calibration gap|Selection rate ratio";
const FEATURES: &str = "sex|age band|region|income band|preferred language|account tenure";

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{} {} for {} {}.",
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(SYSTEMS),
        rng.pick(REASONS)
    )
}

fn load_bank() -> Result<Bank, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/banks/assay-mlops/1.0.0");
    Ok(Bank::load("bank.toml", |file| {
        std::fs::read_to_string(root.join(file))
    })?)
}

fn assessment(bank: &Bank, rng: &mut Rng) -> Result<Assessment, Error> {
    let participants: Vec<Participant> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (name, role))| Participant {
            id: format!("p{i}"),
            name: (*name).to_owned(),
            role: (*role).to_owned(),
        })
        .collect();
    let mut targets = Targets {
        default: Some(Level::new(2)?),
        ..Targets::default()
    };
    for area in bank.areas().step_by(3) {
        targets.areas.insert(area.id.clone(), Level::new(3)?);
    }
    let (mut answers, mut votes) = (BTreeMap::new(), Vec::new());
    for (n, question) in bank.questions.iter().enumerate() {
        if n % 9 == 4 {
            targets
                .questions
                .insert(question.id.clone(), Level::new(4)?);
        }
        let not_applicable = n % 16 == 7;
        // Votes sit on two neighbouring levels; every sixth question has one outlier (dissent).
        let base = rng.below(4) as i64;
        let outlier = (n % 6 == 0).then(|| rng.below(PARTICIPANTS));
        let mut levels = Vec::new();
        for (i, p) in participants.iter().enumerate() {
            let value = if not_applicable && rng.chance(80) {
                VoteValue::NotApplicable
            } else {
                let level = match outlier {
                    Some(o) if o == i => {
                        Level::saturating(if base >= 2 { base - 2 } else { base + 2 })
                    }
                    _ => Level::saturating(base + rng.below(2) as i64),
                };
                levels.push(level);
                VoteValue::Level(level)
            };
            votes.push(Vote {
                question_id: question.id.clone(),
                participant_id: p.id.clone(),
                value,
            });
        }
        levels.sort();
        let rating = match levels.get(levels.len().saturating_sub(1) / 2) {
            Some(level) if !not_applicable => Rating::level(*level),
            _ => Rating::not_applicable(&format!(
                "{} does not apply: {} {}",
                question.id,
                rng.pick(SYSTEMS),
                "scores in nightly batches only, with no online serving path."
            ))?,
        };
        let evidence = (0..1 + rng.below(2))
            .map(|i| {
                let kind = [EvidenceKind::Url, EvidenceKind::File, EvidenceKind::Tracker][i % 3];
                let target = match kind {
                    EvidenceKind::Url => format!(
                        "https://wiki.example.com/mlops/{}/evidence-{}",
                        question.id.to_lowercase(),
                        rng.below(1000)
                    ),
                    EvidenceKind::File => format!("evidence/{}/review-{}.pdf", question.id, i),
                    EvidenceKind::Tracker => format!("mlflow:runs/{:016x}", rng.next()),
                };
                EvidenceLink {
                    kind,
                    target,
                    label: rng.chance(30).then(|| rng.pick(OBJECTS).to_owned()),
                    as_of: None,
                    provenance: None,
                }
            })
            .collect();
        answers.insert(
            question.id.clone(),
            Answer {
                rating: Some(rating),
                note: Some(format!("{} {}.", rng.pick(VERBS), rng.pick(OBJECTS))),
                confidence: Some([Confidence::Low, Confidence::Medium, Confidence::High][n % 3]),
                evidence,
                carried: None,
            },
        );
    }
    let created_at = Utc
        .with_ymd_and_hms(2025, 3, 3, 9, 0, 0)
        .single()
        .ok_or("bad date")?;
    Ok(Assessment {
        id: format!("{:08x}-bench", rng.next() as u32),
        scope: "Payments fraud models".into(),
        title: "Annual MLOps review 2025".into(),
        assessed_on: NaiveDate::from_ymd_opt(2025, 3, 14).ok_or("bad date")?,
        bank_id: bank.id.clone(),
        bank_version: bank.version.clone(),
        participants,
        targets,
        answers,
        votes,
        created_at,
        updated_at: created_at + Duration::days(12),
    })
}

/// Governance items of the scope, raised in this assessment and linked to its questions.
fn register(rng: &mut Rng, assessment: &Assessment) -> Vec<GovernanceItem> {
    let questions: Vec<&String> = assessment.answers.keys().collect();
    use {ItemStatus as S, Priority as P};
    let statuses = [S::Open, S::InProgress, S::Done, S::RiskAccepted];
    let priorities = [P::Low, P::Medium, P::High, P::Critical];
    (0..REGISTER_ITEMS)
        .map(|i| {
            let status = statuses[rng.below(statuses.len())];
            let linked = (0..1 + rng.below(2))
                .map(|_| questions[rng.below(questions.len())].clone())
                .collect();
            GovernanceItem {
                id: format!("R-{:03}", i + 1),
                scope: assessment.scope.clone(),
                assessment_id: Some(assessment.id.clone()),
                title: format!(
                    "R-{:03} {} the {}",
                    i + 1,
                    rng.pick(VERBS),
                    rng.pick(TOPICS)
                ),
                description: sentence(rng),
                links: ItemLinks {
                    questions: linked,
                    ..ItemLinks::default()
                },
                owner: rng
                    .chance(90)
                    .then(|| PEOPLE[rng.below(PARTICIPANTS)].0.to_owned()),
                due_on: rng
                    .chance(90)
                    .then(|| assessment.assessed_on + Duration::days(rng.below(240) as i64 - 90)),
                priority: priorities[rng.below(priorities.len())],
                status,
                acceptance: (status == ItemStatus::RiskAccepted).then(|| RiskAcceptance {
                    accepted_by: PEOPLE[6].0.to_owned(),
                    reason: format!(
                        "a manual weekly review of {} covers it until the next assessment.",
                        rng.pick(SYSTEMS)
                    ),
                }),
                evidence: Vec::new(),
                created_at: assessment.created_at,
                updated_at: assessment.updated_at - Duration::days(rng.below(30) as i64),
            }
        })
        .collect()
}

/// Datasets feed training runs, runs produce model versions: 500 edges.
fn lineage(rng: &mut Rng) -> Vec<LineageRow> {
    let mut rows = Vec::with_capacity(LINEAGE_EDGES);
    let mut run = 0;
    while rows.len() < LINEAGE_EDGES {
        run += 1;
        let system = rng.pick(SYSTEMS);
        let run_name = format!("run {system}/train-{run:04}");
        for _ in 0..2 + rng.below(2) {
            rows.push(LineageRow {
                from: format!(
                    "dataset {}@2025-{:02}-v{}",
                    rng.pick(DATASETS),
                    1 + rng.below(12),
                    1 + rng.below(9)
                ),
                relation: "input to".into(),
                to: run_name.clone(),
            });
        }
        rows.push(LineageRow {
            from: run_name,
            relation: "produced".into(),
            to: format!("model {system} v{}.{}", 1 + run / 10, run % 10),
        });
    }
    rows.truncate(LINEAGE_EDGES);
    rows
}

fn bias(rng: &mut Rng) -> Vec<BiasRow> {
    (0..BIAS_METRICS)
        .map(|i| {
            let metric = METRICS.split('|').cycle().nth(i).unwrap_or(METRICS);
            let ratio = metric.ends_with("ratio");
            let value = if ratio {
                0.7 + 0.35 * rng.unit()
            } else {
                0.15 * rng.unit()
            };
            let (threshold, passed) = if ratio {
                (">= 0.80".to_owned(), value >= 0.8)
            } else {
                ("<= 0.10".to_owned(), value <= 0.1)
            };
            BiasRow {
                metric: metric.to_owned(),
                feature: rng.pick(FEATURES).to_owned(),
                value,
                threshold,
                passed,
                run: format!("run-{}", value.to_bits() % 1000),
            }
        })
        .collect()
}

fn extras(model: &mut ReportModel, rng: &mut Rng) {
    let on = model.document.assessed_on;
    model.lineage = lineage(rng);
    model.bias = bias(rng);
    let ids: Vec<String> = model
        .pillars
        .iter()
        .flat_map(|p| &p.areas)
        .flat_map(|a| &a.findings)
        .map(|f| f.id.clone())
        .collect();
    let answers = ids
        .iter()
        .step_by(5)
        .map(|id| ChangeRow {
            question: id.clone(),
            title: format!("Question {id}"),
            before: rng.below(3).to_string(),
            after: (1 + rng.below(4)).to_string(),
        })
        .collect();
    model.changes = Some(ChangesSection {
        previous_title: "Previous quarterly review".into(),
        previous_assessed_on: on - Duration::days(91),
        headline_before: 0,
        headline_after: model.summary.headline_level,
        answers,
        dissent_resolved: vec![ids[0].clone()],
        dissent_new: Vec::new(),
        items_opened: 40,
        items_closed: 25,
        items_overdue: 12,
        votes_cast: Some(true),
        notes_to_review: Some(3),
    });
    model.signoffs = PEOPLE[..3]
        .iter()
        .enumerate()
        .map(|(i, (name, role))| SignoffRow {
            name: (*name).to_owned(),
            role: (*role).to_owned(),
            decision: ["Approved", "Approved with conditions", "Approved"][i].into(),
            date: on + Duration::days(14 + i as i64),
            comment: sentence(rng),
            data_hash: format!("{:064x}", rng.below(usize::MAX)),
            stale: i == 2,
            entered_at: None,
            entered_by: None,
            earlier_format: None,
            trail: None,
        })
        .collect();
}

/// The reference large report model; the same on every call and every machine.
fn large_model() -> Result<ReportModel, Error> {
    let bank = load_bank()?;
    let mut rng = Rng(SEED);
    let assessment = assessment(&bank, &mut rng)?;
    let model = model::build(&bank, &assessment, "Assay bench");
    let mut model = model::with_register(model, &register(&mut rng, &assessment));
    extras(&mut model, &mut rng);
    Ok(model)
}

fn render(kind: &str, model: &ReportModel) -> Result<Vec<u8>, Error> {
    let hashed = HashedModel::new(model.clone());
    match kind {
        "html" => Ok(HtmlRenderer::new()?.render(&hashed)?.into_bytes()),
        "pdf" => Ok(assay_reports::pdf::render(&hashed)?),
        other => Err(format!("unknown format `{other}`: use html or pdf").into()),
    }
}

fn median_ms(kind: &str, runs: usize, model: &ReportModel) -> Result<(f64, usize), Error> {
    let bytes = render(kind, model)?.len(); // warm-up
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        std::hint::black_box(render(kind, model)?);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let n = times.len();
    let median = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    };
    Ok((median, bytes))
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let model = large_model()?;
    match args.as_slice() {
        ["write", dir] => {
            let dir = Path::new(dir);
            std::fs::create_dir_all(dir)?;
            for kind in ["html", "pdf"] {
                std::fs::write(dir.join(format!("report.{kind}")), render(kind, &model)?)?;
            }
            println!(
                "questions={} participants={} register={} lineage={} bias={}",
                model.summary.questions,
                model.participants.len(),
                model.register.len(),
                model.lineage.len(),
                model.bias.len()
            );
        }
        ["time", kind, runs] => {
            let (median, bytes) = median_ms(kind, runs.parse()?, &model)?;
            println!("median_ms={median:.2} runs={runs} bytes={bytes}");
        }
        ["once", kind, out] => std::fs::write(out, render(kind, &model)?)?,
        _ => {
            return Err(
                "usage: large_report write DIR | time html|pdf N | once html|pdf OUT".into(),
            );
        }
    }
    Ok(())
}
