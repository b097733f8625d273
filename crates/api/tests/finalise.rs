//! Point-in-time approval: a finalised assessment's answers and votes are frozen, its report is
//! kept byte for byte whatever happens later in its scope, and reopening is an audited action
//! that needs a reason.

#![allow(clippy::unwrap_used)]

use assay_api::assessment::governance::Decision;
use assay_api::{
    AnswerChange, Assay, ErrorCode, ItemChange, NewAssessment, NewItem, NewParticipant,
    ReportFormat, SteppingClock, TargetChange,
};
use assay_assessment::governance::{ItemStatus, StatusChange};
use assay_assessment::{Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};

fn open(db: &std::path::Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    Assay::open(
        db,
        Box::new(SteppingClock::new(start, Duration::minutes(1))),
    )
    .unwrap()
    .with_actor("Ana")
    .unwrap()
}

fn level(n: u8) -> Option<Rating> {
    Some(Rating::level(Level::new(n).unwrap()))
}

#[test]
fn a_finalised_assessment_is_frozen_and_its_report_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let mut assay = open(&db);
    let id = assay.create_demo().unwrap();
    let scope = assay.assessment(&id).unwrap().scope;
    let state = assay.finalise_assessment(&id).unwrap();
    assert!(state.is_final);
    assert_eq!(state.finalised_by, "Ana");
    let html = assay.render_report(&id, ReportFormat::Html).unwrap();
    let pdf = assay.render_report(&id, ReportFormat::Pdf).unwrap();
    assay
        .sign_off(&id, "Lena Fischer", "ML auditor", Decision::Approve, "")
        .unwrap();
    let signed = assay.render_report(&id, ReportFormat::Pdf).unwrap();

    // Nothing about the assessment itself can change.
    let frozen = [
        assay
            .update_answer(
                &id,
                "GOV-2",
                AnswerChange {
                    rating: level(4),
                    ..AnswerChange::default()
                },
            )
            .map(|_| ()),
        assay
            .cast_vote(
                &id,
                "GOV-2",
                "Priya Raman",
                VoteValue::Level(Level::new(4).unwrap()),
            )
            .map(|_| ()),
        assay
            .add_participant(
                &id,
                NewParticipant {
                    name: "Late".into(),
                    role: "Guest".into(),
                },
            )
            .map(|_| ()),
        assay.set_target(&id, TargetChange::Default(Some(Level::new(4).unwrap()))),
    ];
    for result in frozen {
        let error = result.unwrap_err();
        assert_eq!(error.code(), ErrorCode::AssessmentFinalised);
        assert!(
            error.to_string().contains("reopen it (with a reason)"),
            "{error}"
        );
    }
    // Nor behind the app's back.
    let sql = rusqlite::Connection::open(&db).unwrap();
    let refused = sql.execute(
        "UPDATE answer SET level = 4 WHERE assessment_id = ?1",
        [&id],
    );
    assert!(refused.unwrap_err().to_string().contains("finalised"));

    // Later work in the scope: a new item, an item closed, a newer assessment.
    assay
        .create_item(NewItem {
            scope: scope.clone(),
            title: "Added after the approval".into(),
            ..NewItem::default()
        })
        .unwrap();
    let first_item = assay.list_items(Some(&scope), false).unwrap()[0]
        .item
        .id
        .clone();
    assay
        .update_item(
            &first_item,
            ItemChange {
                status: Some(StatusChange::To(ItemStatus::Done)),
                ..ItemChange::default()
            },
        )
        .unwrap();
    assay
        .create_assessment(NewAssessment {
            scope: scope.clone(),
            start_from: Some(id.clone()),
            ..NewAssessment::default()
        })
        .unwrap();

    let again = assay.render_report(&id, ReportFormat::Pdf).unwrap();
    assert!(
        again.bytes == signed.bytes,
        "the approved PDF is re-exported byte for byte"
    );
    assert_eq!(
        assay
            .render_report(&id, ReportFormat::Html)
            .unwrap()
            .content_hash,
        html.content_hash
            .replace(&html.content_hash, &signed.content_hash),
        "the HTML carries the same data as the signed PDF"
    );
    assert_ne!(
        pdf.content_hash, signed.content_hash,
        "the sign-off is part of the report"
    );
    assert!(
        !assay.signoffs(&id).unwrap()[0].stale,
        "the approval still holds"
    );
    assert!(assay.verify_audit_trail().is_ok());
}

#[test]
fn reopening_needs_a_reason_is_audited_and_supersedes_the_approval() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let mut assay = open(&db);
    let id = assay.create_demo().unwrap();
    let e = assay.reopen_assessment(&id, "not final yet").unwrap_err();
    assert!(e.to_string().contains("is not finalised"), "{e}");
    assay.finalise_assessment(&id).unwrap();
    assay
        .sign_off(&id, "Lena Fischer", "ML auditor", Decision::Approve, "")
        .unwrap();
    let e = assay.reopen_assessment(&id, "  ").unwrap_err();
    assert_eq!(
        e.to_string(),
        "reopening a finalised assessment needs a reason"
    );
    let state = assay
        .reopen_assessment(&id, "GOV-2 evidence was wrong")
        .unwrap();
    assert!(!state.is_final);
    let reopening = state.reopened.unwrap();
    assert_eq!(
        (reopening.by.as_str(), reopening.reason.as_str()),
        ("Ana", "GOV-2 evidence was wrong")
    );
    let events = assay.assessment_history(&id).unwrap();
    let finals: Vec<_> = events.iter().filter(|e| e.entity == "final").collect();
    assert_eq!(finals.len(), 2, "finalised, then reopened");
    assert!(
        finals[1]
            .after
            .as_deref()
            .unwrap()
            .contains("GOV-2 evidence was wrong")
    );

    assay
        .update_answer(
            &id,
            "GOV-2",
            AnswerChange {
                rating: level(3),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assert!(
        assay.signoffs(&id).unwrap()[0].stale,
        "the approval is superseded"
    );
    assert!(assay.verify_audit_trail().is_ok());
}

#[test]
fn an_edited_kept_report_is_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let mut assay = open(&db);
    let id = assay.create_demo().unwrap();
    assay.finalise_assessment(&id).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE assessment_final SET model_json = replace(model_json, '\"headline_level\":1', '\"headline_level\":2')",
            [],
        )
        .unwrap();
    let e = assay.render_report(&id, ReportFormat::Html).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Tampered);
    assert!(e.to_string().contains("was edited"), "{e}");
}
