//! Evidence going stale on a real database: dated evidence against the assessment's
//! re-attestation period as the clock moves on, a register item's evidence, and tracker
//! evidence resting on a model version that a later import found superseded in production.

#![allow(clippy::unwrap_used)]

mod interop_fixtures;

use assay_api::evidence_model::{ModelVersion, Snapshot};
use assay_api::{
    AnswerChange, ApiError, Assay, ItemChange, NewAssessment, NewItem, SequentialIds, SteppingClock,
};
use assay_assessment::governance::StatusChange;
use assay_assessment::{EvidenceKind, EvidenceLink, Level, Rating};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use interop_fixtures::{seed, snapshot};

fn at_day(db: &std::path::Path, days_after: i64) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 4, 9, 10, 0, 0).unwrap() + Duration::days(days_after);
    Assay::open(
        db,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
    .with_ids(Box::new(SequentialIds::default()))
}

fn link(kind: EvidenceKind, target: &str, as_of: Option<NaiveDate>) -> EvidenceLink {
    EvidenceLink {
        kind,
        target: target.into(),
        label: None,
        as_of,
        provenance: None,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The demo's tracker evidence with an older version of the model that production no longer runs.
fn evidence() -> Snapshot {
    let mut snap = snapshot(&|s| s.to_owned());
    let mut older: ModelVersion = snap.model_versions[0].clone();
    older.external_id = "fraud-xgb/2".into();
    older.version = "2".into();
    older.aliases = Vec::new();
    older.stage = Some("Archived".into());
    snap.model_versions.push(older);
    snap
}

#[test]
fn evidence_goes_stale_with_its_period_an_item_and_a_superseded_model() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    seed(&db, &evidence(), "Fraud models");
    let mut assay = at_day(&db, 0);
    let id = assay
        .create_assessment(NewAssessment {
            scope: "Fraud models".into(),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    let question = assay.assessment_bank(&id).unwrap().bank.questions[0]
        .id
        .clone();
    let future = assay
        .update_answer(
            &id,
            &question,
            AnswerChange {
                add_evidence: vec![link(
                    EvidenceKind::Url,
                    "https://wiki/x",
                    Some(day(2027, 1, 1)),
                )],
                ..AnswerChange::default()
            },
        )
        .unwrap_err();
    assert!(matches!(future, ApiError::Invalid(_)), "{future}");
    assay
        .update_answer(
            &id,
            &question,
            AnswerChange {
                rating: Some(Rating::level(Level::new(3).unwrap())),
                add_evidence: vec![
                    // A validation report written in autumn, linked today.
                    link(
                        EvidenceKind::Url,
                        "https://wiki/validation-2025",
                        Some(day(2025, 10, 1)),
                    ),
                    // Linked today, no date of its own: counts from today.
                    link(EvidenceKind::Url, "https://wiki/runbook", None),
                    // The model version the team validated; production now runs version 3.
                    link(EvidenceKind::Tracker, "model:fraud-xgb/2", None),
                    link(EvidenceKind::Tracker, "model:fraud-xgb/3", None),
                ],
                ..AnswerChange::default()
            },
        )
        .unwrap();
    let item = assay
        .create_item(NewItem {
            assessment: Some(id.clone()),
            title: "Bias audit".into(),
            ..NewItem::default()
        })
        .unwrap()
        .item
        .id;
    assay
        .update_item(
            &item,
            ItemChange {
                status: Some(StatusChange::To(
                    assay_assessment::governance::ItemStatus::Done,
                )),
                add_evidence: vec![link(
                    EvidenceKind::Url,
                    "https://wiki/audit",
                    Some(day(2025, 12, 1)),
                )],
                ..ItemChange::default()
            },
        )
        .unwrap();

    // Without a period, only the superseded model version is stale, since the import.
    let report = assay.stale_evidence(&id).unwrap();
    assert_eq!(report.period_days, None);
    assert_eq!(report.stale.len(), 1, "{:?}", report.stale);
    assert_eq!(report.stale[0].target, "model:fraud-xgb/2");
    assert_eq!(report.stale[0].stale_since, day(2026, 4, 9));
    assert!(
        report.stale[0]
            .reason
            .contains("superseded in production by fraud-xgb/3")
    );

    // A 180-day period: the autumn report is stale since 1 Oct + 180 days; the item's since
    // 1 Dec + 180 days is still ahead; today's runbook is current.
    let report = assay.set_reattest_period(&id, Some(180)).unwrap();
    let targets: Vec<(&str, NaiveDate)> = report
        .stale
        .iter()
        .map(|s| (s.target.as_str(), s.stale_since))
        .collect();
    assert_eq!(
        targets,
        [
            ("https://wiki/validation-2025", day(2026, 3, 30)),
            ("model:fraud-xgb/2", day(2026, 4, 9)),
        ]
    );
    assert!(matches!(
        assay.set_reattest_period(&id, Some(0)),
        Err(ApiError::Invalid(_))
    ));

    // The report lists it, judged on its data's date, so it does not change as days pass.
    let html = String::from_utf8(
        assay
            .render_report(&id, assay_api::ReportFormat::Html)
            .unwrap()
            .bytes,
    )
    .unwrap();
    let at = html.find("Evidence no longer current").unwrap();
    assert!(html[at..].contains("https://wiki/validation-2025"));
    assert!(html[at..].contains("2026-03-30"));
    assert!(html[at..].contains("superseded in production by fraud-xgb/3"));

    // Two hundred days on, all five are stale, each linked one past its period; the item's
    // evidence is named by its item.
    drop(assay);
    let assay = at_day(&db, 200);
    let report = assay.stale_evidence(&id).unwrap();
    assert_eq!(report.stale.len(), 5, "{:?}", report.stale);
    let audit = report
        .stale
        .iter()
        .find(|s| s.item.as_deref() == Some(item.as_str()))
        .unwrap();
    assert_eq!(audit.stale_since, day(2026, 5, 30));
    let runbook = report
        .stale
        .iter()
        .find(|s| s.target == "https://wiki/runbook")
        .unwrap();
    assert_eq!(runbook.as_of, Some(day(2026, 4, 9)));
    assert_eq!(assay.stale_evidence_counts().unwrap().get(&id), Some(&5));

    // The dates are kept and the trail still describes every row.
    let stored = assay.assessment(&id).unwrap();
    let dated = &stored.answers[&question].evidence[0];
    assert_eq!(dated.as_of, Some(day(2025, 10, 1)));
    let trail = assay.verify_audit_trail().unwrap();
    assert!(
        trail.rows_unrecorded.is_empty(),
        "{:?}",
        trail.rows_unrecorded
    );
}
