//! Sign-off: bound to the data's hash, stale after any later change, refused without what it
//! needs, recorded in the audit trail and shown in the report.

#![allow(clippy::unwrap_used)]

use assay_api::assessment::governance::Decision;
use assay_api::store::Store;
use assay_api::{AnswerChange, ApiError, Assay, ItemChange, NewItem, ReportFormat, SteppingClock};
use assay_assessment::{Level, Rating};
use chrono::{Duration, TimeZone, Utc};

#[test]
fn a_signoff_goes_stale_when_the_data_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let start = Utc.with_ymd_and_hms(2026, 8, 3, 9, 0, 0).unwrap();
    let mut assay = Assay::open(
        &db,
        Box::new(SteppingClock::new(start, Duration::minutes(1))),
    )
    .unwrap();
    let id = assay.create_demo().unwrap();

    let e = assay
        .sign_off(
            &id,
            "Lena Fischer",
            "ML auditor",
            Decision::ApproveWithConditions,
            " ",
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "a conditional approval or a rejection needs a comment"
    );
    let e = Decision::parse("maybe").unwrap_err();
    assert_eq!(
        ApiError::from(e).to_string(),
        "`maybe` is not a decision: use approve, approve_with_conditions or reject"
    );
    assert!(
        assay
            .sign_off(&id, " ", "ML auditor", Decision::Approve, "")
            .is_err()
    );
    assert!(
        assay.signoffs(&id).unwrap().is_empty(),
        "refused sign-offs store nothing"
    );

    let signed = assay
        .sign_off(
            &id,
            "Lena Fischer",
            "ML auditor",
            Decision::ApproveWithConditions,
            "Close GOV-2 by Q4",
        )
        .unwrap();
    assert_eq!(signed.signoff.data_hash.len(), 64);
    let listed = assay.signoffs(&id).unwrap();
    assert_eq!(
        (listed.len(), listed[0].stale),
        (1, false),
        "signing does not change what was signed"
    );
    let model = assay.report_model(&id).unwrap().model;
    assert_eq!(model.signoffs[0].decision, "Approved with conditions");
    assert!(!model.signoffs[0].stale);

    let rating = Some(Rating::level(Level::new(2).unwrap()));
    assay
        .update_answer(
            &id,
            "GOV-2",
            AnswerChange {
                rating,
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assert!(
        assay.signoffs(&id).unwrap()[0].stale,
        "a changed answer makes it stale"
    );
    assert!(assay.report_model(&id).unwrap().model.signoffs[0].stale);

    assay
        .sign_off(&id, "Lena Fischer", "ML auditor", Decision::Approve, "")
        .unwrap();
    let listed = assay.signoffs(&id).unwrap();
    assert_eq!(
        listed.iter().map(|s| s.stale).collect::<Vec<_>>(),
        [true, false]
    );
    let item = assay
        .create_item(NewItem {
            assessment: Some(id.clone()),
            title: "Retrain quarterly".into(),
            ..NewItem::default()
        })
        .unwrap();
    assay
        .update_item(
            &item.item.id,
            ItemChange {
                owner: Some("Bo".into()),
                ..ItemChange::default()
            },
        )
        .unwrap();
    assert!(
        assay.signoffs(&id).unwrap()[1].stale,
        "a register change makes it stale too"
    );

    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    assert_eq!(
        html.matches("(stale: the data changed after signing)")
            .count(),
        2
    );
    // The same file through the store, as another program would read it.
    let store = Store::open(&db).unwrap();
    let events = store.audit_events(&format!("{id}/signoff/")).unwrap();
    assert_eq!(events.len(), 2);
    assert!(
        events[0]
            .after
            .as_deref()
            .unwrap()
            .contains("Close GOV-2 by Q4")
    );
    assert_eq!(
        assay.verify_audit_trail().unwrap().events,
        store.audit_events("").unwrap().len()
    );
}
