//! What a version 2 report tells its reader: "not assessed" before any answer, a crosswalk that
//! tells evidenced from self-assessed coverage and lowers it for dissent, gaps ordered by what
//! holds the headline back with their actions, and the approval state of the data shown.

#![allow(clippy::unwrap_used)]

use assay_api::assessment::governance::Decision;
use assay_api::{
    AnswerChange, Assay, NewAssessment, NewItem, NewParticipant, ReportFormat, SteppingClock,
};
use assay_assessment::{EvidenceKind, EvidenceLink, Level, Rating, Targets, VoteValue};
use assay_reports::model::{CoverageStatus, Reading, ReportModel};
use chrono::{Duration, TimeZone, Utc};

fn open(dir: &std::path::Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
    Assay::open(
        &dir.join("r.db"),
        Box::new(SteppingClock::new(start, Duration::minutes(1))),
    )
    .unwrap()
}

fn new_assessment(assay: &mut Assay) -> String {
    assay
        .create_assessment(NewAssessment {
            scope: "Claims".into(),
            bank: Some("assay-mlops@2.0.0".into()),
            participants: ["Ana", "Bo"]
                .map(|name| NewParticipant {
                    name: name.into(),
                    role: "Engineer".into(),
                })
                .to_vec(),
            targets: Targets {
                default: Some(Level::new(2).unwrap()),
                ..Targets::default()
            },
            ..NewAssessment::default()
        })
        .unwrap()
        .id
}

fn set(assay: &mut Assay, id: &str, question: &str, level: u8, evidence: bool) {
    let change = AnswerChange {
        rating: Some(Rating::level(Level::new(level).unwrap())),
        add_evidence: if evidence {
            vec![EvidenceLink {
                kind: EvidenceKind::Url,
                target: format!("https://wiki.example.com/{question}"),
                label: None,
                as_of: None,
                provenance: None,
            }]
        } else {
            Vec::new()
        },
        ..AnswerChange::default()
    };
    assay.update_answer(id, question, change).unwrap();
}

fn model_now(assay: &Assay, id: &str) -> ReportModel {
    assay.report_model(id).unwrap().model
}

/// A clause of the ISO catalogue that exactly one question maps to, with that question.
fn single_question_clause(model: &ReportModel) -> (String, String) {
    model
        .crosswalk
        .iter()
        .flat_map(|f| &f.clauses)
        .find(|c| c.questions.len() == 1)
        .map(|c| (c.id.clone(), c.questions[0].id.clone()))
        .unwrap()
}

fn clause_status(model: &ReportModel, clause: &str) -> CoverageStatus {
    model
        .crosswalk
        .iter()
        .flat_map(|f| &f.clauses)
        .find(|c| c.id == clause)
        .unwrap()
        .status
}

fn pdf_text(assay: &Assay, id: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.pdf");
    assay.export_report(id, ReportFormat::Pdf, &file).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test.sh");
    // One space between words, whatever the line breaks.
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn nothing_answered_reads_not_assessed() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    let model = model_now(&assay, &id);
    let reading = Reading::of(&model);
    assert!(reading.not_assessed);
    assert!(
        model
            .crosswalk
            .iter()
            .flat_map(|f| &f.clauses)
            .all(|c| c.status == CoverageStatus::NotAssessed),
        "no clause is a gap before anything is answered"
    );
    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    assert!(html.contains(r#"<span class="headline-level">Not assessed</span>"#));
    assert!(
        !html.contains("weakest area\n    <strong>-"),
        "no empty weakest area"
    );
    let text = pdf_text(&assay, &id);
    assert!(text.contains("1. Executive summary DRAFT. Not finalised"));
    assert!(text.contains("Not assessed: no question has been answered yet"));
    assert!(text.contains("It is not a legal opinion and not a conformity assessment"));
}

#[test]
fn coverage_is_evidenced_only_with_evidence_and_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    let (clause, question) = single_question_clause(&model_now(&assay, &id));

    set(&mut assay, &id, &question, 3, false);
    assert_eq!(
        clause_status(&model_now(&assay, &id), &clause),
        CoverageStatus::SelfAssessed
    );
    set(&mut assay, &id, &question, 3, true);
    assert_eq!(
        clause_status(&model_now(&assay, &id), &clause),
        CoverageStatus::Covered
    );
    // Votes two levels apart: the same rating is now only partly trusted.
    for (who, level) in [("Ana", 1), ("Bo", 3)] {
        assay
            .cast_vote(
                &id,
                &question,
                who,
                VoteValue::Level(Level::new(level).unwrap()),
            )
            .unwrap();
    }
    let model = model_now(&assay, &id);
    assert_eq!(clause_status(&model, &clause), CoverageStatus::Partial);
    let row = model
        .crosswalk
        .iter()
        .flat_map(|f| &f.clauses)
        .find(|c| c.id == clause)
        .unwrap();
    assert_eq!(row.questions[0].result, "3 / target 2, dissent");
    set(&mut assay, &id, &question, 0, true);
    assert_eq!(
        clause_status(&model_now(&assay, &id), &clause),
        CoverageStatus::Gap
    );
}

#[test]
fn gaps_that_hold_the_headline_back_come_first_with_their_actions() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    let bank = assay.assessment_bank(&id).unwrap().bank.clone();
    let gate: Vec<String> = bank.headline.levels[0].requires.clone();
    // Every question at 1: every one is a gap of 1 against the default target 2, and the
    // questions of the level 1 gate hold the headline back.
    for q in &bank.questions {
        set(&mut assay, &id, &q.id, 1, false);
    }
    let item = assay
        .create_item(NewItem {
            scope: "Claims".into(),
            title: format!("Raise {}", gate[0]),
            description: "Automate the check in the nightly pipeline <b>first</b>".into(),
            questions: vec![gate[0].clone()],
            ..NewItem::default()
        })
        .unwrap();
    let model = model_now(&assay, &id);
    let first: Vec<&str> = model
        .gaps
        .iter()
        .take(gate.len())
        .map(|g| g.question.as_str())
        .collect();
    let mut expected: Vec<&str> = gate.iter().map(String::as_str).collect();
    let mut got = first.clone();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected, "the gate's gaps lead the list");
    // Then those of the next gate, then the rest.
    let order: Vec<(bool, Option<u8>)> = model
        .gaps
        .iter()
        .map(|g| (g.blocks_level.is_none(), g.blocks_level))
        .collect();
    assert!(order.is_sorted(), "{order:?}");
    assert_eq!(model.gaps[gate.len()].blocks_level, Some(2));
    assert!(model.gaps.last().unwrap().blocks_level.is_none());
    let reading = Reading::of(&model);
    assert_eq!(reading.actions[&gate[0]].len(), 1);
    assert!(reading.actions[&gate[0]][0].starts_with(&item.item.id));
    assert!(reading.actions[&gate[1]].is_empty());
    assert!(
        reading.gap_line.starts_with(&format!(
            "{} questions below target; 1 of them has an action",
            bank.questions.len()
        )),
        "{}",
        reading.gap_line
    );
    let finding = model
        .pillars
        .iter()
        .flat_map(|p| &p.areas)
        .flat_map(|a| &a.findings)
        .find(|f| f.id == gate[1])
        .unwrap();
    let question = bank.question(&gate[1]).unwrap();
    assert_eq!(finding.target_anchor.as_ref(), Some(&question.anchors[2]));
    assert_eq!(finding.why.as_ref(), Some(&question.why));
    assert_eq!(finding.blocks_level, Some(1));
    assert_eq!(
        model.register[0].description.as_deref(),
        Some("Automate the check in the nightly pipeline <b>first</b>")
    );
    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    assert!(
        html.contains("<br>Automate the check in the nightly pipeline &lt;b&gt;first&lt;/b&gt;")
    );
    let text = pdf_text(&assay, &id);
    assert!(text.contains("Automate the check in the nightly pipeline <b>first</b>"));
    assert!(text.contains("Target 2 requires"));
    assert!(text.contains("None in the governance register yet."));
}

#[test]
fn the_approval_state_follows_finalisation_and_the_signoffs() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    set(&mut assay, &id, "ORG-1", 2, false);
    let state = |assay: &Assay| Reading::of(&model_now(assay, &id)).approval.label;
    assert_eq!(state(&assay), "DRAFT");
    assay
        .sign_off(&id, "Lena", "Auditor", Decision::Approve, "")
        .unwrap();
    assert_eq!(state(&assay), "DRAFT", "a signed draft is still a draft");
    assay.finalise_assessment(&id).unwrap();
    assert_eq!(state(&assay), "FINAL, NOT YET APPROVED");
    assay
        .sign_off(&id, "Lena", "Auditor", Decision::Approve, "")
        .unwrap();
    assert_eq!(state(&assay), "APPROVED");
    assay.reopen_assessment(&id, "ORG-1 was misread").unwrap();
    assert_eq!(state(&assay), "REOPENED");
    let detail = Reading::of(&model_now(&assay, &id)).approval.detail;
    assert!(detail.contains("ORG-1 was misread"), "{detail}");
    set(&mut assay, &id, "ORG-1", 3, false);
    assay.finalise_assessment(&id).unwrap();
    assert_eq!(state(&assay), "FINAL, NOT YET APPROVED");
    assay
        .sign_off(
            &id,
            "Lena",
            "Auditor",
            Decision::Reject,
            "ORG-1 is not at 3",
        )
        .unwrap();
    assert_eq!(state(&assay), "REJECTED");
}
