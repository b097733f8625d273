//! An assessment on a bank whose crosswalk links are typed (assay-mlops 2.3.0): the report says
//! how each question relates to each clause, never calls a clause met that its questions check
//! only in part, and names the clauses no question addresses; the Statement of Applicability
//! says the same of ISO/IEC 42001 controls.

#![allow(clippy::unwrap_used)]

use assay_api::{AnswerChange, Assay, NewAssessment, ReportFormat, SteppingClock};
use assay_assessment::soa::ControlStatus;
use assay_assessment::{
    ClauseMapping, EvidenceKind, EvidenceLink, Level, Rating, Relationship, Targets,
};
use assay_reports::model::{CoverageStatus, ReportModel};
use chrono::{Duration, TimeZone, Utc};

const ISO: &str = "iso_42001";

fn open(dir: &std::path::Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    Assay::open(
        &dir.join("typed.db"),
        Box::new(SteppingClock::new(start, Duration::minutes(1))),
    )
    .unwrap()
}

/// Answers every question linked to `clause` at level 4 with evidence, agreed.
fn meet_every_question_of(assay: &mut Assay, id: &str, clause: &str) -> Vec<String> {
    let bank = assay.assessment_bank(id).unwrap();
    let (questions, _) = bank.bank.clause_mapping(ISO, clause);
    let ids: Vec<String> = questions.iter().map(|q| q.id.clone()).collect();
    for question in &ids {
        let change = AnswerChange {
            rating: Some(Rating::level(Level::new(4).unwrap())),
            add_evidence: vec![EvidenceLink {
                kind: EvidenceKind::Url,
                target: format!("https://wiki.example.com/{question}"),
                label: None,
                as_of: None,
                provenance: None,
            }],
            ..AnswerChange::default()
        };
        assay.update_answer(id, question, change).unwrap();
    }
    ids
}

fn iso_section(model: &ReportModel) -> &assay_reports::model::FrameworkSection {
    model.crosswalk.iter().find(|f| f.id == ISO).unwrap()
}

#[test]
fn a_clause_its_questions_check_only_in_part_is_met_where_checked_not_met() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = assay
        .create_assessment(NewAssessment {
            scope: "Claims <triage> & \"routing\"".into(),
            bank: Some("assay-mlops@2.3.0".into()),
            targets: Targets {
                default: Some(Level::new(2).unwrap()),
                ..Targets::default()
            },
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    // A.6.2.8 (event logs) is checked by several questions, each of them a subset of it.
    let met = meet_every_question_of(&mut assay, &id, "A.6.2.8");
    assert!(!met.is_empty());

    let model = assay.report_model(&id).unwrap().model;
    let iso = iso_section(&model);
    let logs = iso.clauses.iter().find(|c| c.id == "A.6.2.8").unwrap();
    assert_eq!(logs.mapping.as_deref(), Some("partial"));
    assert_eq!(logs.status, CoverageStatus::MetInPart, "{logs:?}");
    assert!(
        logs.questions.iter().all(|q| matches!(
            q.relationship.as_deref(),
            Some("subset" | "intersects")
        ) && q.rationale.as_deref().is_some_and(|r| !r.is_empty())),
        "{logs:?}"
    );
    // No ISO control is covered in full by the bank, so none can be reported met.
    assert!(iso.clauses.iter().all(|c| !matches!(
        c.status,
        CoverageStatus::Covered | CoverageStatus::SelfAssessed
    )));
    assert_eq!(iso.covered, 0);
    assert_eq!(iso.met_in_part, Some(1));
    assert_eq!(iso.partly_mapped, Some(iso.clauses.len()));
    // The coverage gaps of the bank are named, not only counted.
    let unmapped = iso.unmapped_clauses.as_ref().unwrap();
    assert_eq!(unmapped.len(), iso.unmapped);
    assert_eq!(
        iso.unmapped + iso.clauses.len(),
        38,
        "every Annex A control is accounted for"
    );
    let bank = assay.assessment_bank(&id).unwrap();
    for clause in unmapped {
        assert_eq!(
            bank.bank.clause_mapping(ISO, &clause.id).1,
            ClauseMapping::None
        );
    }
    assert!(
        model
            .method
            .crosswalk_rule
            .contains("at most partly met, whatever their levels")
            || model.method.crosswalk_rule.contains("only part of it")
    );

    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    let section = &html[html.find("<section id=\"crosswalk\">").unwrap()..];
    assert!(section.contains("Met where checked"));
    assert!(section.contains("(subset)"));
    assert!(section.contains("Not addressed by any question of this bank:"));
    assert!(section.contains(&format!("{} {}", unmapped[0].id, unmapped[0].title)));
    assert!(!html.contains("<triage>"), "user text is escaped");

    let pdf = dir.path().join("typed.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test.sh");
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Met where checked"),
        "the PDF legend and rows say it"
    );
    assert!(text.contains("Not addressed by any question of this bank:"));
}

#[test]
fn the_statement_of_applicability_shows_how_much_of_a_control_its_questions_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = assay
        .create_assessment(NewAssessment {
            scope: "Claims".into(),
            bank: Some("assay-mlops@2.3.0".into()),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    meet_every_question_of(&mut assay, &id, "A.6.2.8");
    let soa = assay.statement_of_applicability(&id).unwrap();
    let logs = soa.rows.iter().find(|r| r.control == "A.6.2.8").unwrap();
    assert_eq!(logs.checked, ClauseMapping::Partial);
    assert!(logs.questions.iter().all(|q| matches!(
        q.relationship,
        Some(Relationship::Subset | Relationship::Intersects)
    )));
    assert_eq!(logs.status, ControlStatus::Implemented);
    assert!(
        logs.status_reason
            .contains("check only part of this control"),
        "{}",
        logs.status_reason
    );
    // The exported statement says it too, per question.
    let html = dir.path().join("soa.html");
    assay
        .export_soa(&id, assay_api::SoaFormat::Html, &html)
        .unwrap();
    let text = std::fs::read_to_string(&html).unwrap();
    let first = &logs.questions[0];
    assert!(
        text.contains(&format!(
            "{} 4 ({})",
            first.id,
            first.relationship.unwrap().as_str()
        )),
        "the statement lists each question with its relationship"
    );
    assert!(text.contains("check only part of this control"));
    // The Annex IV draft's findings tables name each clause with its link's type.
    let draft = serde_json::to_string(&assay.dossier_document(&id).unwrap()).unwrap();
    assert!(
        draft.contains("AnnexIV.2 (subset)") || draft.contains("AnnexIV.2 (intersects)"),
        "the draft shows how each question relates to the Annex IV point"
    );
    let uncovered = soa
        .rows
        .iter()
        .filter(|r| r.checked == ClauseMapping::None)
        .count();
    assert_eq!(uncovered, soa.counts.uncovered as usize);
}
