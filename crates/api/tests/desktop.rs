//! What the desktop app's commands rely on beyond the CLI's: inputs that arrive as JSON over
//! IPC, the log of exported reports, and the charts drawn for the results screen.

#![allow(clippy::unwrap_used)]

use assay_api::assessment::governance::{ItemStatus, StatusChange};
use assay_api::{
    AnswerChange, Assay, ItemChange, NewAssessment, ReportFormat, SteppingClock, TrackerTarget,
};
use assay_assessment::{Level, Rating};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use serde_json::json;

fn open(dir: &tempfile::TempDir) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 8, 3, 9, 0, 0).unwrap();
    Assay::open(
        &dir.path().join("a.db"),
        Box::new(SteppingClock::new(start, Duration::minutes(1))),
    )
    .unwrap()
}

#[test]
fn partial_updates_arrive_as_json_with_absent_fields_kept() {
    let change: AnswerChange = serde_json::from_value(json!({ "note": "checked" })).unwrap();
    assert_eq!(change.note.as_deref(), Some("checked"));
    assert!(change.rating.is_none() && !change.accept_votes && change.add_evidence.is_empty());
    let change: AnswerChange = serde_json::from_value(
        json!({ "rating": { "kind": "not_applicable", "justification": "batch only" } }),
    )
    .unwrap();
    assert_eq!(
        change.rating,
        Some(Rating::not_applicable("batch only").unwrap())
    );

    // For a due date, absent keeps it and null clears it.
    let keep: ItemChange = serde_json::from_value(json!({ "owner": "Lena" })).unwrap();
    assert_eq!(keep.due_on, None);
    let clear: ItemChange = serde_json::from_value(json!({ "due_on": null })).unwrap();
    assert_eq!(clear.due_on, Some(None));
    let set: ItemChange = serde_json::from_value(
        json!({ "due_on": "2026-09-30", "status": { "accept_risk": { "accepted_by": "Dana", "reason": "retired" } } }),
    )
    .unwrap();
    assert_eq!(set.due_on, Some(NaiveDate::from_ymd_opt(2026, 9, 30)));
    assert_eq!(
        set.status,
        Some(StatusChange::AcceptRisk {
            accepted_by: "Dana".into(),
            reason: "retired".into()
        })
    );
    let to: ItemChange = serde_json::from_value(json!({ "status": { "to": "done" } })).unwrap();
    assert_eq!(to.status, Some(StatusChange::To(ItemStatus::Done)));

    let new: NewAssessment = serde_json::from_value(json!({
        "scope": "Fraud models",
        "participants": [{ "name": "Ana", "role": "Facilitator" }],
        "targets": { "default": 3, "areas": {}, "questions": {} }
    }))
    .unwrap();
    assert_eq!(new.targets.default, Some(Level::new(3).unwrap()));
    assert!(new.title.is_empty() && new.start_from.is_none());
    assert!(
        serde_json::from_value::<NewAssessment>(
            json!({ "targets": { "default": 5, "areas": {}, "questions": {} } })
        )
        .is_err(),
        "a level out of range is refused when the JSON is read"
    );

    let target: TrackerTarget = serde_json::from_value(
        json!({ "tracker": "mlflow", "url": "http://127.0.0.1:5000", "experiment": "credit" }),
    )
    .unwrap();
    assert_eq!(target.url(), "http://127.0.0.1:5000");
}

#[test]
fn exports_are_logged_with_their_hash_and_go_stale_when_the_data_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir);
    let id = assay.create_demo().unwrap();
    assert!(assay.exports(&id).unwrap().is_empty());

    let html = dir.path().join("report.html");
    let pdf = dir.path().join("report.pdf");
    let first = assay.export_report(&id, ReportFormat::Html, &html).unwrap();
    assay
        .export_report(&id[..8], ReportFormat::Pdf, &pdf)
        .unwrap();
    let listed = assay.exports(&id).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].export.format, "html");
    assert_eq!(listed[0].export.assessment_id, id);
    assert_eq!(listed[0].export.path, html.display().to_string());
    assert_eq!(listed[0].export.content_hash, first.content_hash);
    assert_eq!(listed[0].export.document_id, first.document_id);
    assert!(listed.iter().all(|e| !e.stale));

    let question = assay.bank().questions[0].id.clone();
    assay
        .update_answer(
            &id,
            &question,
            AnswerChange {
                note: Some("changed after the export".into()),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assert!(assay.exports(&id).unwrap().iter().all(|e| e.stale));
}

#[test]
fn charts_are_the_reports_svg() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir);
    let id = assay.create_demo().unwrap();
    let charts = assay.charts(&id).unwrap();
    for svg in [&charts.radar_svg, &charts.pillars_svg] {
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains("<script"));
    }
    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    assert!(
        html.contains(&charts.radar_svg),
        "the app shows the report's own radar"
    );
    assert_eq!(
        charts.trend_svg, None,
        "no trend before a second assessment"
    );
}
