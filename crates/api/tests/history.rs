//! Repeated assessments of one scope: starting from the previous one, the trend and the diff,
//! asserted exactly on three assessments.

#![allow(clippy::unwrap_used)]

use assay_api::{
    AnswerChange, Assay, ItemChange, NewAssessment, NewItem, NewParticipant, SteppingClock,
};
use assay_assessment::governance::{ItemStatus, StatusChange};
use assay_assessment::{Level, Rating, VoteValue};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

fn date(m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, 1).unwrap()
}

fn set(assay: &mut Assay, id: &str, question: &str, level: u8) {
    let rating = Some(Rating::level(Level::new(level).unwrap()));
    assay
        .update_answer(
            id,
            question,
            AnswerChange {
                rating,
                ..AnswerChange::default()
            },
        )
        .unwrap();
}

fn vote(assay: &mut Assay, id: &str, question: &str, who: &str, level: u8) {
    assay
        .cast_vote(
            id,
            question,
            who,
            VoteValue::Level(Level::new(level).unwrap()),
        )
        .unwrap();
}

#[test]
fn three_assessments_of_one_scope() {
    let dir = tempfile::tempdir().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    let mut assay = Assay::open(
        &dir.path().join("a.db"),
        Box::new(SteppingClock::new(start, Duration::hours(1))),
    )
    .unwrap();
    let people = || {
        vec![
            NewParticipant {
                name: "Ana".into(),
                role: "Lead".into(),
            },
            NewParticipant {
                name: "Bo".into(),
                role: "MLE".into(),
            },
        ]
    };

    let mut first = NewAssessment {
        scope: "Churn".into(),
        title: "Q1".into(),
        assessed_on: Some(date(1)),
        participants: people(),
        ..NewAssessment::default()
    };
    first.targets.default = Level::new(2).ok();
    let a1 = assay.create_assessment(first).unwrap().id;
    set(&mut assay, &a1, "ORG-1", 1);
    set(&mut assay, &a1, "GOV-2", 1);
    set(&mut assay, &a1, "DE-3", 2);
    vote(&mut assay, &a1, "GOV-2", "Ana", 0);
    vote(&mut assay, &a1, "GOV-2", "Bo", 3);

    let opened = assay
        .create_item(NewItem {
            scope: "Churn".into(),
            title: "Fairness metrics".into(),
            due_on: Some(date(3)),
            ..NewItem::default()
        })
        .unwrap()
        .item
        .id;
    let late = assay
        .create_item(NewItem {
            scope: "Churn".into(),
            title: "Drift alerts".into(),
            due_on: Some(date(5)),
            ..NewItem::default()
        })
        .unwrap()
        .item
        .id;

    let a2 = assay
        .create_assessment(NewAssessment {
            title: "Q2".into(),
            assessed_on: Some(date(4)),
            participants: people(),
            start_from: Some(a1.clone()),
            ..NewAssessment::default()
        })
        .unwrap();
    assert_eq!(
        a2.scope, "Churn",
        "the scope comes from the earlier assessment"
    );
    assert_eq!(a2.targets.default, Level::new(2).ok(), "so do the targets");
    assert_eq!(a2.answers.len(), 3, "answers are carried over");
    assert!(a2.votes.is_empty(), "votes are not");
    let a2 = a2.id;
    set(&mut assay, &a2, "ORG-1", 2);
    assay
        .update_item(
            &opened,
            ItemChange {
                status: Some(StatusChange::To(ItemStatus::Done)),
                ..ItemChange::default()
            },
        )
        .unwrap();

    let a3 = assay
        .create_assessment(NewAssessment {
            title: "Q3".into(),
            assessed_on: Some(date(7)),
            participants: people(),
            start_from: Some(a2.clone()),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    set(&mut assay, &a3, "GOV-2", 3);
    let na = Some(Rating::not_applicable("Batch scoring only").unwrap());
    assay
        .update_answer(
            &a3,
            "DE-3",
            AnswerChange {
                rating: na,
                ..AnswerChange::default()
            },
        )
        .unwrap();
    vote(&mut assay, &a3, "GOV-2", "Ana", 3);
    vote(&mut assay, &a3, "GOV-2", "Bo", 3);

    let trend = assay.history("Churn").unwrap();
    let order: Vec<&str> = trend.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(order, ["Q1", "Q2", "Q3"]);
    let area = |point: usize, id: &str| trend[point].areas.iter().find(|(a, _)| a == id).unwrap().1;
    assert_eq!(
        [
            area(0, "organization-design"),
            area(1, "organization-design"),
            area(2, "organization-design")
        ],
        [Some(1.0), Some(2.0), Some(2.0)]
    );
    assert_eq!(
        [
            area(0, "governance"),
            area(1, "governance"),
            area(2, "governance")
        ],
        [Some(1.0), Some(1.0), Some(3.0)]
    );
    assert_eq!(
        [area(0, "data-engineering"), area(2, "data-engineering")],
        [Some(2.0), None]
    );
    assert_eq!(
        [
            trend[0].overall_mean,
            trend[1].overall_mean,
            trend[2].overall_mean
        ],
        [Some(4.0 / 3.0), Some(5.0 / 3.0), Some(2.5)]
    );

    let d = assay.diff(&a1, &a3).unwrap();
    let answers: Vec<(&str, &str, &str)> = d
        .answers
        .iter()
        .map(|c| (c.question.as_str(), c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        answers,
        [
            ("ORG-1", "1", "2"),
            ("GOV-2", "1", "3"),
            ("DE-3", "2", "N/A")
        ]
    );
    assert_eq!(d.dissent_resolved, ["GOV-2"]);
    assert!(d.dissent_new.is_empty());
    assert_eq!(
        d.items_opened,
        [opened.clone(), late.clone()],
        "by due date"
    );
    assert_eq!(d.items_closed, vec![opened.clone()]);
    assert_eq!(d.items_overdue, vec![late.clone()]);
    assert_eq!(d.headline, (0, 0));

    let d12 = assay.diff(&a1, &a2).unwrap();
    assert_eq!(d12.answers.len(), 1);
    assert!(
        d12.items_overdue.is_empty(),
        "on 1 April one item is done and the other due in May"
    );

    let model = assay.report_model(&a2).unwrap().model;
    assert_eq!(
        model.trend.len(),
        2,
        "a report shows the history up to its own assessment"
    );
    let changes = model.changes.unwrap();
    assert_eq!(
        (changes.previous_title.as_str(), changes.answers.len()),
        ("Q1", 1)
    );
    let html = String::from_utf8(
        assay
            .render_report(&a3, assay_api::ReportFormat::Html)
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert!(
        html.contains("Pillar scores over time"),
        "trend chart missing"
    );
    let expected = "Since Q2 (2026-04-01): headline level 0 -&gt; 0; 2 answers changed; no change in \
                    dissent; register items created in between 0, closed 1, overdue now 1.";
    assert!(html.contains(expected), "changes summary missing");
}

/// A note carried into the next assessment describes the old level: once the level changes and
/// the note does not, the workshop and the report ask for it to be reviewed; a change summary
/// without any votes does not claim that dissent was resolved.
#[test]
fn a_carried_note_is_flagged_when_its_level_changes() {
    let dir = tempfile::tempdir().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    let mut assay = Assay::open(
        &dir.path().join("a.db"),
        Box::new(SteppingClock::new(start, Duration::hours(1))),
    )
    .unwrap();
    let a1 = assay
        .create_assessment(NewAssessment {
            scope: "Churn".into(),
            title: "Q1".into(),
            assessed_on: Some(date(1)),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    for (question, level, note) in [
        ("ORG-1", 1, "Owners named by word of mouth only"),
        ("DE-3", 2, "Checks written down"),
    ] {
        assay
            .update_answer(
                &a1,
                question,
                AnswerChange {
                    rating: Some(Rating::level(Level::new(level).unwrap())),
                    note: Some(note.into()),
                    ..AnswerChange::default()
                },
            )
            .unwrap();
    }
    // Raised in Q1's own workshop: part of Q1, not something opened in between.
    assay
        .create_item(NewItem {
            scope: "Churn".into(),
            title: "Owner list in the catalogue".into(),
            assessment: Some(a1.clone()),
            ..NewItem::default()
        })
        .unwrap();
    let a2 = assay
        .create_assessment(NewAssessment {
            title: "Q2".into(),
            assessed_on: Some(date(4)),
            start_from: Some(a1.clone()),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    assert!(
        assay.notes_to_review(&a2).unwrap().is_empty(),
        "carried but unchanged: nothing to review yet"
    );
    set(&mut assay, &a2, "ORG-1", 2);
    set(&mut assay, &a2, "DE-3", 2);

    let reviews = assay.notes_to_review(&a2).unwrap();
    let flagged: Vec<(&str, &str, &str)> = reviews
        .iter()
        .map(|r| (r.question.as_str(), r.written_for.as_str(), r.now.as_str()))
        .collect();
    assert_eq!(flagged, [("ORG-1", "1", "2")], "DE-3 kept its level");

    let model = assay.report_model(&a2).unwrap().model;
    let finding = model
        .pillars
        .iter()
        .flat_map(|p| &p.areas)
        .flat_map(|a| &a.findings)
        .find(|f| f.id == "ORG-1")
        .unwrap();
    assert_eq!(
        finding.note_review.as_deref(),
        Some(
            "Review this note: it is unchanged from \"Q1\", where the answer was level 1; the \
             answer is now level 2."
        )
    );
    assert!(
        !finding.is_routine(),
        "a note to review gets a block of its own"
    );
    let summary = model.changes.as_ref().unwrap().summary();
    assert_eq!(
        summary,
        "Since Q1 (2026-01-01): headline level 0 -> 0; 1 answer changed; nobody has voted in this \
         assessment yet, so dissent is not compared; 1 note still reads as before its level \
         changed (marked for review); register items created in between 0, closed 0, overdue \
         now 0."
    );
    let html = String::from_utf8(
        assay
            .render_report(&a2, assay_api::ReportFormat::Html)
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert!(html.contains("<span class=\"note-review\">Review this note: it is unchanged from"));

    // Rewriting the note is the review.
    assay
        .update_answer(
            &a2,
            "ORG-1",
            AnswerChange {
                note: Some("Owners now in the service catalogue".into()),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assert!(assay.notes_to_review(&a2).unwrap().is_empty());
}
