//! The hash-chained audit trail: every change to an answer, vote or item is an event; editing
//! or deleting one with plain SQL is detected and the broken event is named.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use assay_api::store::Store;
use assay_api::{AnswerChange, Assay, ItemChange, NewItem, SteppingClock};
use assay_assessment::governance::{ItemStatus, StatusChange};
use assay_assessment::{Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};

fn open(db: &Path, actor: &str) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 7, 1, 9, 0, 0).unwrap();
    Assay::open(
        db,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
    .with_actor(actor)
    .unwrap()
}

/// An assessment with two votes, an answer changed twice and an item: six events.
fn workshop(db: &Path) -> String {
    let mut assay = open(db, "Ana");
    let new = assay_api::NewAssessment {
        scope: "Churn".into(),
        participants: vec![assay_api::NewParticipant {
            name: "Bo".into(),
            role: "ML engineer".into(),
        }],
        ..Default::default()
    };
    let id = assay.create_assessment(new).unwrap().id;
    assay
        .cast_vote(&id, "OBS-1", "Bo", VoteValue::Level(Level::new(2).unwrap()))
        .unwrap();
    assay
        .cast_vote(&id, "OBS-1", "Bo", VoteValue::Level(Level::new(3).unwrap()))
        .unwrap();
    assay
        .cast_vote(&id, "OBS-1", "Bo", VoteValue::Level(Level::new(3).unwrap()))
        .unwrap(); // no change
    let level = |l| Some(Rating::level(Level::new(l).unwrap()));
    assay
        .update_answer(
            &id,
            "OBS-1",
            AnswerChange {
                rating: level(2),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assay
        .update_answer(
            &id,
            "OBS-1",
            AnswerChange {
                rating: level(3),
                note: Some("Alerts now paged".into()),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    let item = assay
        .create_item(NewItem {
            scope: "Churn".into(),
            title: "Drift alerts".into(),
            ..NewItem::default()
        })
        .unwrap();
    let mut bo = open(db, "Bo");
    bo.update_item(
        &item.item.id,
        ItemChange {
            status: Some(StatusChange::To(ItemStatus::Done)),
            ..ItemChange::default()
        },
    )
    .unwrap();
    id
}

/// Lena, the auditor, approves the assessment (entered by Ana).
fn approve_as_lena(db: &Path, id: &str) -> assay_api::SignoffView {
    open(db, "Ana")
        .sign_off(
            id,
            "Lena",
            "Auditor",
            assay_api::assessment::governance::Decision::Approve,
            "",
        )
        .unwrap()
}

#[test]
fn every_change_is_an_event_with_actor_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = workshop(&db);
    let assay = open(&db, "Ana");
    assert_eq!(
        assay.verify_audit_trail().unwrap().events,
        6,
        "an unchanged vote records nothing"
    );
    let history = assay.assessment_history(&id).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(
        (history[0].entity.as_str(), history[0].before.as_deref()),
        ("vote", None)
    );
    assert_eq!(
        history[1].before.as_deref(),
        Some(r#"{"level":2,"not_applicable":0}"#)
    );
    assert_eq!(
        history[1].after.as_deref(),
        Some(r#"{"level":3,"not_applicable":0}"#)
    );
    assert!(
        history[3]
            .after
            .as_deref()
            .unwrap()
            .contains("Alerts now paged")
    );
    assert!(history.iter().all(|e| e.actor == "Ana"));
    let all = Store::open(&db).unwrap().audit_events("item/").unwrap();
    assert_eq!((all.len(), all[1].actor.as_str()), (2, "Bo"));
    assert!(
        all[1]
            .after
            .as_deref()
            .unwrap()
            .contains(r#""status":"done""#)
    );
}

#[test]
fn plain_sql_cannot_edit_the_trail_and_a_forced_edit_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    workshop(&db);
    let sql = rusqlite::Connection::open(&db).unwrap();
    let refused = sql.execute("UPDATE audit_event SET actor = 'Mallory' WHERE seq = 3", []);
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    assert!(
        sql.execute("DELETE FROM audit_event WHERE seq = 6", [])
            .is_err()
    );

    // Someone determined drops the guard and rewrites history.
    sql.execute_batch("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET after = '{\"level\":4,\"not_applicable\":0}' WHERE seq = 2;").unwrap();
    let e = open(&db, "Ana").verify_audit_trail().unwrap_err();
    assert_eq!(e.code().as_str(), "tampered");
    assert_eq!(
        e.to_string(),
        "the audit trail is broken: event 2 of 6 was altered: its content does not match its hash"
    );
}

#[test]
fn a_deleted_event_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    workshop(&db);
    let sql = rusqlite::Connection::open(&db).unwrap();
    sql.execute_batch("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 4;")
        .unwrap();
    let e = open(&db, "Ana").verify_audit_trail().unwrap_err();
    assert!(
        e.to_string()
            .contains("event 5 of 5 is numbered 5 where 4 was expected"),
        "{e}"
    );
}

#[test]
fn the_chain_survives_a_restart_and_a_migration() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    {
        // A database from before the audit trail existed (schema version 2).
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(include_str!("../../store/migrations/0001_assessments.sql"))
            .unwrap();
        conn.execute_batch(include_str!(
            "../../store/migrations/0002_governance_items.sql"
        ))
        .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    workshop(&db);
    assert_eq!(open(&db, "Ana").verify_audit_trail().unwrap().events, 6);
    let id = workshop(&db);
    let assay = open(&db, "Ana");
    assert_eq!(
        assay.verify_audit_trail().unwrap().events,
        12,
        "a reopened database extends the same chain"
    );
    assert_eq!(assay.assessment_history(&id).unwrap().len(), 4);
}

/// Each way of changing data behind the trail's back, done with plain SQL (guards dropped where
/// there are any), is found by replaying the trail against the rows.
#[test]
fn rows_changed_outside_the_app_are_detected_by_replaying_the_trail() {
    let cases: [(&str, &str, &str); 5] = [
        (
            "an answer's level",
            "UPDATE answer SET level = 4 WHERE question_id = 'OBS-1'",
            "answer {id}/OBS-1 is not what the audit trail last recorded (event 4,",
        ),
        ("a vote", "UPDATE vote SET level = 0", "vote {id}/OBS-1/"),
        (
            "an item's status",
            "UPDATE governance_item SET status = 'open'",
            "item item/",
        ),
        (
            "the last event, cut off",
            "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 6",
            "item item/",
        ),
        (
            "an answer removed",
            "DELETE FROM answer",
            "the trail has {\"confidence\"",
        ),
    ];
    for (what, sql, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("assay.db");
        let id = workshop(&db);
        assert_eq!(
            open(&db, "Ana").verify_audit_trail().unwrap().rows_matching,
            3
        );
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        let error = open(&db, "Ana").verify_audit_trail().unwrap_err();
        assert_eq!(error.code().as_str(), "tampered", "{what}");
        let message = error.to_string();
        let expected = expected.replace("{id}", &id);
        assert!(
            message.starts_with("the data was changed outside Assay: ")
                && message.contains(&expected),
            "{what}: {message}"
        );
    }
}

/// A row with no event at all cannot be told from data older than the trail: it is counted
/// and shown, not called tampering.
#[test]
fn rows_without_events_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    workshop(&db);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "INSERT INTO vote (assessment_id, question_id, participant_id, level, not_applicable, \
             updated_at) SELECT assessment_id, 'GOV-2', participant_id, 4, 0, updated_at FROM vote",
        )
        .unwrap();
    let trail = open(&db, "Ana").verify_audit_trail().unwrap();
    assert_eq!(trail.rows_unrecorded.get("vote"), Some(&1));
}

#[test]
fn an_edited_signoff_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = workshop(&db);
    open(&db, "Ana")
        .sign_off(
            &id,
            "Lena",
            "Auditor",
            assay_api::assessment::governance::Decision::Reject,
            "OBS-1 is not at 3",
        )
        .unwrap();
    let trail = open(&db, "Ana").verify_audit_trail().unwrap();
    assert_eq!((trail.events, trail.rows_matching), (7, 4));
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE signoff SET decision = 'approve', comment = ''")
        .unwrap();
    let message = open(&db, "Ana")
        .verify_audit_trail()
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("signoff {id}/signoff/"))
            && message.contains("\"decision\":\"reject\"")
            && message.contains("\"decision\":\"approve\""),
        "{message}"
    );
}

/// A report records the end of its assessment's trail: checked against the database later, it
/// says how far the data has moved on, and a trail cut back past that point is tampering.
#[test]
fn a_report_checked_against_the_database_sees_later_events_and_a_cut_trail() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = workshop(&db);
    let report = dir.path().join("r.pdf");
    let mut assay = open(&db, "Ana");
    assay
        .export_report(&id, assay_api::ReportFormat::Pdf, &report)
        .unwrap();
    let head = assay
        .report_model(&id)
        .unwrap()
        .model
        .document
        .trail
        .unwrap();
    assert_eq!(
        (head.events, head.seq),
        (6, 6),
        "four of the assessment, two of its item"
    );
    let same = assay.verify_report_against_database(&report).unwrap();
    assert_eq!((same.data_changed, same.events_since), (false, Some(0)));

    assay
        .update_answer(
            &id,
            "GOV-2",
            AnswerChange {
                rating: Some(Rating::level(Level::new(1).unwrap())),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    let later = assay.verify_report_against_database(&report).unwrap();
    assert_eq!((later.data_changed, later.events_since), (true, Some(1)));

    // The trail cut back past the report's last event (and the later answer removed).
    drop(assay);
    let sql = rusqlite::Connection::open(&db).unwrap();
    sql.execute_batch(
        "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq >= 6;
         DELETE FROM answer WHERE question_id = 'GOV-2';",
    )
    .unwrap();
    let message = open(&db, "Ana")
        .verify_report_against_database(&report)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("the audit trail no longer holds event 6 (SHA-256 "),
        "{message}"
    );
}

/// A sign-off records the end of the trail it was given at: a trail cut back before that point
/// (and the rows it described removed, so that the replay finds nothing amiss) is still caught.
#[test]
fn a_trail_cut_back_before_a_signoff_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = workshop(&db);
    let signed = approve_as_lena(&db, &id);
    let point = signed.signoff.trail.clone().unwrap();
    assert_eq!((point.events, point.seq), (6, 6));
    let trail = open(&db, "Ana").verify_audit_trail().unwrap();
    assert_eq!(trail.signoffs_checked, 1);
    let model = open(&db, "Ana").report_model(&id).unwrap().model;
    assert_eq!(model.signoffs[0].trail.as_ref().unwrap().seq, 6);

    // Cut the trail back to event 4 and delete the item its events 5 and 6 described.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq >= 5;
             DELETE FROM governance_item;",
        )
        .unwrap();
    let message = open(&db, "Ana")
        .verify_audit_trail()
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(&format!(
            "the audit trail no longer holds event 6 (SHA-256 {}) that the sign-off by Lena",
            point.hash
        )),
        "{message}"
    );
}

/// The trail's last event cut off when it is a sign-off's (which leaves the sign-off a row no
/// event describes, like data from before the trail): the sign-off's own trail point shows it
/// was given with the trail running, so the missing event is tampering.
#[test]
fn the_last_event_cut_off_is_detected_when_it_records_a_signoff() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = workshop(&db);
    approve_as_lena(&db, &id);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_event_no_delete;
             DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event);",
        )
        .unwrap();
    let e = open(&db, "Ana").verify_audit_trail().unwrap_err();
    assert_eq!(e.code().as_str(), "tampered");
    assert!(
        e.to_string().starts_with("the sign-off by Lena on ")
            && e.to_string().ends_with("the trail's end was cut off"),
        "{e}"
    );
}

/// A bundle records the end of the trail at export: `verify BUNDLE --db` says how far the data
/// has moved on since, calls a cut trail tampering, and does not judge another database's trail.
#[test]
fn a_bundle_checked_against_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = workshop(&db);
    let file = dir.path().join("b.json");
    let mut assay = open(&db, "Ana");
    let bundle = assay.export_bundle_file(&id, &file).unwrap();
    assert_eq!(bundle.trail.as_ref().map(|t| t.seq), Some(6));
    assert!(assay_api::is_bundle_file(&file).unwrap());
    let alone = assay_api::verify_bundle_file(&file).unwrap();
    assert_eq!(alone.content_hash, bundle.content_hash);
    let same = assay.verify_bundle_against_database(&file).unwrap();
    assert_eq!((same.holds_assessment, same.events_since), (true, Some(0)));

    let level = |l| Some(Rating::level(Level::new(l).unwrap()));
    assay
        .update_answer(
            &id,
            "GOV-2",
            AnswerChange {
                rating: level(1),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    let later = assay.verify_bundle_against_database(&file).unwrap();
    assert_eq!(later.events_since, Some(1));

    // Another database that imported the bundle: its trail starts elsewhere.
    let other_db = dir.path().join("other.db");
    let mut other = open(&other_db, "Bo");
    other.create_demo().unwrap();
    other.import_bundle_file(&file).unwrap();
    let elsewhere = other.verify_bundle_against_database(&file).unwrap();
    assert!(elsewhere.other_database && elsewhere.events_since.is_none());

    // An edited bundle is tampered, not merely invalid.
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = dir.path().join("edited.json");
    let altered = text.replacen("Alerts now paged", "Alerts now emailed", 1);
    assert_ne!(altered, text);
    std::fs::write(&edited, altered).unwrap();
    let e = assay_api::verify_bundle_file(&edited).unwrap_err();
    assert_eq!(e.code().as_str(), "tampered", "{e}");

    // The trail cut back past the bundle's point.
    drop(assay);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq >= 6;",
        )
        .unwrap();
    let message = open(&db, "Ana")
        .verify_bundle_against_database(&file)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("the audit trail no longer holds event 6 (SHA-256 "),
        "{message}"
    );
}

/// A withdrawn vote ("don't know" after all) is an event too, and the replay agrees with the
/// row being gone.
#[test]
fn a_withdrawn_vote_is_recorded_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = workshop(&db);
    let mut assay = open(&db, "Bo's phone");
    let summary = assay.withdraw_vote(&id, "OBS-1", "Bo").unwrap();
    assert_eq!(summary.votes, 0);
    let last = assay.assessment_history(&id).unwrap().pop().unwrap();
    assert_eq!(
        (
            last.entity.as_str(),
            last.actor.as_str(),
            last.after.is_none()
        ),
        ("vote", "Bo's phone", true)
    );
    let trail = assay.verify_audit_trail().unwrap();
    assert_eq!(trail.events, 7);
    // Nothing to withdraw: no event.
    assay.withdraw_vote(&id, "OBS-1", "Bo").unwrap();
    assert_eq!(assay.verify_audit_trail().unwrap().events, 7);
}
