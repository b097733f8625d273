//! The governance register: items from gaps, the life cycle and its refusals, overdue items,
//! and the register in the report.

#![allow(clippy::unwrap_used)]

use assay_api::{AnswerChange, ApiError, Assay, ItemChange, NewItem, SequentialIds, SteppingClock};
use assay_assessment::governance::{ItemStatus, Priority, StatusChange};
use assay_assessment::{EvidenceKind, EvidenceLink, Level, Rating};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

fn open(dir: &std::path::Path, year_day: u32) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 5, year_day, 10, 0, 0).unwrap();
    Assay::open(
        &dir.join("assay.db"),
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
    .with_ids(Box::new(SequentialIds::default()))
}

fn assessment_with_gap(assay: &mut Assay) -> String {
    let mut new = assay_api::NewAssessment {
        scope: "Churn model".into(),
        ..Default::default()
    };
    new.targets
        .questions
        .insert("GOV-2".into(), Level::new(4).unwrap());
    let id = assay.create_assessment(new).unwrap().id;
    let rating = Some(Rating::level(Level::new(1).unwrap()));
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
    id
}

#[test]
fn an_item_from_a_gap_is_prefilled_from_the_question_target_and_clauses() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path(), 4);
    let id = assessment_with_gap(&mut assay);
    let view = assay.item_from_gap(&id, "gov-2").unwrap();
    let item = &view.item;
    assert_eq!(
        item.title,
        "Raise GOV-2 Fairness evaluation by group from level 1 to 4"
    );
    assert!(
        item.description.contains("Target (level 4):"),
        "{}",
        item.description
    );
    assert_eq!(item.scope, "Churn model");
    assert_eq!(item.assessment_id.as_deref(), Some(id.as_str()));
    assert_eq!(item.links.questions, ["GOV-2"]);
    assert_eq!(item.links.areas, ["governance"]);
    assert!(
        item.links.clauses.contains(&"MEASURE 2.11".to_string()),
        "{:?}",
        item.links.clauses
    );
    assert_eq!(
        (item.priority, item.status),
        (Priority::Critical, ItemStatus::Open)
    );

    let e = assay.item_from_gap(&id, "ORG-1").unwrap_err();
    assert!(e.to_string().contains("ORG-1 has no gap"), "{e}");
    assert_eq!(
        assay.list_items(None, false).unwrap().len(),
        1,
        "a refused item stores nothing"
    );
}

#[test]
fn life_cycle_refuses_an_unnamed_risk_acceptance_and_early_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path(), 4);
    let item = assay
        .create_item(NewItem {
            scope: "Churn model".into(),
            title: "Model card for churn-v3".into(),
            questions: vec!["GOV-3".into()],
            ..NewItem::default()
        })
        .unwrap()
        .item;
    assert_eq!(item.links.areas, ["governance"]);

    let refuse = |assay: &mut Assay, change: ItemChange| {
        let before = assay.item(&item.id).unwrap();
        let error = assay.update_item(&item.id, change).unwrap_err();
        assert_eq!(
            assay.item(&item.id).unwrap(),
            before,
            "{error} changed the item"
        );
        error
    };
    let e = refuse(
        &mut assay,
        ItemChange {
            status: Some(StatusChange::AcceptRisk {
                accepted_by: " ".into(),
                reason: "Low impact".into(),
            }),
            ..ItemChange::default()
        },
    );
    assert_eq!(
        e.to_string(),
        "accepting a risk needs the name of the person accepting it and the reason"
    );
    let e = refuse(
        &mut assay,
        ItemChange {
            status: Some(StatusChange::To(ItemStatus::RiskAccepted)),
            ..ItemChange::default()
        },
    );
    assert_eq!(e.code().as_str(), "invalid_input");
    let link = EvidenceLink {
        kind: EvidenceKind::Url,
        target: "https://wiki/model-card".into(),
        label: None,
        as_of: None,
        provenance: None,
    };
    let e = refuse(
        &mut assay,
        ItemChange {
            add_evidence: vec![link.clone()],
            ..ItemChange::default()
        },
    );
    assert_eq!(
        e.to_string(),
        "evidence can only be attached when the item is done"
    );

    let progressed = assay
        .update_item(
            &item.id[..8],
            ItemChange {
                status: Some(StatusChange::To(ItemStatus::InProgress)),
                owner: Some("Ana".into()),
                ..ItemChange::default()
            },
        )
        .unwrap();
    assert_eq!(
        (progressed.item.status, progressed.item.owner.as_deref()),
        (ItemStatus::InProgress, Some("Ana"))
    );
    let done = assay
        .update_item(
            &item.id,
            ItemChange {
                status: Some(StatusChange::To(ItemStatus::Done)),
                add_evidence: vec![link],
                ..ItemChange::default()
            },
        )
        .unwrap();
    assert_eq!(done.item.evidence.len(), 1);
    let accepted = assay
        .update_item(
            &item.id,
            ItemChange {
                status: Some(StatusChange::AcceptRisk {
                    accepted_by: "Dana Lee (CRO)".into(),
                    reason: "Model retired in Q3".into(),
                }),
                ..ItemChange::default()
            },
        )
        .unwrap();
    assert_eq!(
        accepted.item.acceptance.as_ref().unwrap().accepted_by,
        "Dana Lee (CRO)"
    );
    let reopened = assay
        .update_item(
            &item.id,
            ItemChange {
                status: Some(StatusChange::To(ItemStatus::Open)),
                ..ItemChange::default()
            },
        )
        .unwrap();
    assert!(
        reopened.item.acceptance.is_none(),
        "leaving risk accepted forgets the acceptance"
    );
    assert!(matches!(
        assay.item("zzzzzzzz"),
        Err(ApiError::ItemNotFound(_))
    ));
}

#[test]
fn overdue_items_follow_the_clock_and_closed_items_never_are() {
    let dir = tempfile::tempdir().unwrap();
    let due = NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
    {
        let mut assay = open(dir.path(), 4);
        for (title, owner) in [("Drift alerts", "Bo"), ("Fairness review", "Cy")] {
            assay
                .create_item(NewItem {
                    scope: "Churn model".into(),
                    title: title.into(),
                    owner: Some(owner.into()),
                    due_on: Some(due),
                    ..NewItem::default()
                })
                .unwrap();
        }
        assert!(
            assay.list_items(None, true).unwrap().is_empty(),
            "nothing is overdue on 4 May"
        );
    }
    let mut assay = open(dir.path(), 20);
    let overdue = assay.list_items(Some("Churn model"), true).unwrap();
    assert_eq!(overdue.len(), 2);
    let first = overdue[0].item.id.clone();
    assay
        .update_item(
            &first,
            ItemChange {
                status: Some(StatusChange::To(ItemStatus::Done)),
                ..ItemChange::default()
            },
        )
        .unwrap();
    let overdue = assay.list_items(None, true).unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].item.title, "Fairness review");
    assert!(
        assay
            .list_items(Some("Other team"), false)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_report_shows_the_scopes_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path(), 4);
    let id = assessment_with_gap(&mut assay);
    let item = assay.item_from_gap(&id, "GOV-2").unwrap().item;
    assay
        .update_item(
            &item.id,
            ItemChange {
                due_on: Some(NaiveDate::from_ymd_opt(2026, 5, 1)),
                owner: Some("Lena".into()),
                ..ItemChange::default()
            },
        )
        .unwrap();
    assay
        .create_item(NewItem {
            scope: "Another team".into(),
            title: "Not in this report".into(),
            ..NewItem::default()
        })
        .unwrap();
    let model = assay.report_model(&id).unwrap().model;
    assert_eq!(model.register.len(), 1);
    let row = &model.register[0];
    assert_eq!(
        (row.owner.as_str(), row.status.as_str(), row.overdue),
        ("Lena", "open", true)
    );
}
