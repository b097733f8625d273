//! The API layer against real database files: every user action, and refusals that change
//! nothing.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use assay_api::{
    AnswerChange, ApiError, Assay, NewAssessment, NewParticipant, SteppingClock, TargetChange,
};
use assay_assessment::{Confidence, EvidenceKind, EvidenceLink, Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};

fn open(path: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap();
    Assay::open(
        path,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
}

fn level(value: u8) -> Level {
    Level::new(value).unwrap()
}

fn workshop(assay: &mut Assay) -> String {
    let mut new = NewAssessment {
        scope: "Churn model".into(),
        title: String::new(),
        participants: vec![
            NewParticipant {
                name: "Ana".into(),
                role: "Facilitator".into(),
            },
            NewParticipant {
                name: "Bo".into(),
                role: "ML engineer".into(),
            },
            NewParticipant {
                name: "Cy".into(),
                role: "Data scientist".into(),
            },
        ],
        ..NewAssessment::default()
    };
    new.targets.default = Some(level(2));
    assay.create_assessment(new).unwrap().id
}

#[test]
fn a_workshop_is_recorded_scored_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id;
    {
        let mut assay = open(&db);
        id = workshop(&mut assay);
        for (who, value) in [("Ana", 1), ("bo", 3), ("Cy", 2)] {
            assay
                .cast_vote(&id, "dev-3", who, VoteValue::Level(level(value)))
                .unwrap();
        }
        let summary = assay
            .cast_vote(&id, "DEV-3", "Cy", VoteValue::Level(level(1)))
            .unwrap();
        assert_eq!(
            (summary.votes, summary.dissent, summary.suggested),
            (3, true, Some(level(1)))
        );

        let answer = assay
            .update_answer(
                &id,
                "DEV-3",
                AnswerChange {
                    accept_votes: true,
                    note: Some("MLflow for some runs".into()),
                    confidence: Some(Confidence::Low),
                    ..AnswerChange::default()
                },
            )
            .unwrap();
        assert_eq!(answer.rating, Some(Rating::level(level(1))));
        let link = EvidenceLink {
            kind: EvidenceKind::Url,
            target: "https://tracker/x".into(),
            label: None,
            as_of: None,
            provenance: None,
        };
        assay
            .update_answer(
                &id,
                "DEV-3",
                AnswerChange {
                    add_evidence: vec![link],
                    ..AnswerChange::default()
                },
            )
            .unwrap();
        assay
            .update_answer(
                &id,
                "DE-3",
                AnswerChange {
                    rating: Some(Rating::not_applicable("Batch only").unwrap()),
                    ..AnswerChange::default()
                },
            )
            .unwrap();
        assay
            .set_target(&id, TargetChange::Question("DEV-3", Some(level(4))))
            .unwrap();
    }
    let assay = open(&db);
    let stored = assay.assessment(&id[..6]).unwrap();
    assert_eq!(stored.title, "Churn model maturity assessment");
    assert_eq!(stored.assessed_on.to_string(), "2026-05-04");
    let dev3 = &stored.answers["DEV-3"];
    assert_eq!(dev3.note.as_deref(), Some("MLflow for some runs"));
    assert_eq!(dev3.evidence.len(), 1);
    assert_eq!(
        dev3.rating,
        Some(Rating::level(level(1))),
        "a later partial change keeps the rating"
    );

    let card = assay.score(&id).unwrap();
    assert_eq!((card.answered, card.not_applicable), (1, 1));
    assert_eq!(card.dissent, vec!["DEV-3".to_string()]);
    assert_eq!(card.gaps.len(), 1);
    assert_eq!(
        (card.gaps[0].question.as_str(), card.gaps[0].size),
        ("DEV-3", 3)
    );

    let list = assay.list_assessments().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (
            list[0].answered,
            list[0].participants,
            list[0].headline_level
        ),
        (2, 3, Some(0))
    );
}

/// Runs a refused action and checks that the stored assessment did not change.
fn refused(
    assay: &mut Assay,
    id: &str,
    action: impl FnOnce(&mut Assay) -> Result<(), ApiError>,
) -> ApiError {
    let before = assay.assessment(id).unwrap();
    let error = action(assay).unwrap_err();
    assert_eq!(
        assay.assessment(id).unwrap(),
        before,
        "{error} changed the assessment"
    );
    error
}

#[test]
fn bad_input_is_refused_with_a_code_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("assay.db"));
    let id = workshop(&mut assay);
    assay
        .update_answer(
            &id,
            "ORG-1",
            AnswerChange {
                rating: Some(Rating::level(level(2))),
                ..AnswerChange::default()
            },
        )
        .unwrap();

    let na_without_reason = Rating::NotApplicable {
        justification: "   ".into(),
    };
    let e = refused(&mut assay, &id, |a| {
        a.update_answer(
            &id,
            "ORG-1",
            AnswerChange {
                rating: Some(na_without_reason),
                ..AnswerChange::default()
            },
        )
        .map(drop)
    });
    assert_eq!(
        (e.code().as_str(), e.to_string().as_str()),
        (
            "invalid_input",
            "N/A needs a justification: say why the question does not apply"
        )
    );

    let e = refused(&mut assay, &id, |a| {
        a.update_answer(&id, "ORG-99", AnswerChange::default())
            .map(drop)
    });
    assert_eq!(e.code().as_str(), "unknown_question");
    let e = refused(&mut assay, &id, |a| {
        a.cast_vote(&id, "ORG-1", "Zed", VoteValue::NotApplicable)
            .map(drop)
    });
    assert_eq!(e.code().as_str(), "unknown_participant");
    let e = refused(&mut assay, &id, |a| {
        a.add_participant(
            &id,
            NewParticipant {
                name: "ana".into(),
                role: "x".into(),
            },
        )
        .map(drop)
    });
    assert_eq!(e.code().as_str(), "duplicate_participant");
    let e = refused(&mut assay, &id, |a| {
        a.set_target(&id, TargetChange::Area("no-such-area", Some(level(1))))
    });
    assert_eq!(e.code().as_str(), "unknown_area");
    let e = refused(&mut assay, &id, |a| {
        a.update_answer(
            &id,
            "ORG-1",
            AnswerChange {
                note: Some("x".repeat(20_001)),
                ..AnswerChange::default()
            },
        )
        .map(drop)
    });
    assert_eq!(e.code().as_str(), "invalid_input");
    let e = refused(&mut assay, &id, |a| {
        a.update_answer(
            &id,
            "ORG-1",
            AnswerChange {
                accept_votes: true,
                ..AnswerChange::default()
            },
        )
        .map(drop)
    });
    assert!(e.to_string().contains("nobody has voted"), "{e}");
    let e = refused(&mut assay, &id, |a| {
        a.update_answer(
            &id,
            "ORG-1",
            AnswerChange {
                clear_rating: true,
                accept_votes: true,
                ..AnswerChange::default()
            },
        )
        .map(drop)
    });
    assert_eq!(e.code().as_str(), "invalid_input");

    assert_eq!(
        assay.assessment("no-such-id").unwrap_err().code().as_str(),
        "assessment_not_found"
    );
    assert_eq!(
        assay.assessment("abc").unwrap_err().code().as_str(),
        "assessment_not_found",
        "prefixes need 4 characters"
    );
    let e = assay
        .create_assessment(NewAssessment {
            scope: "  ".into(),
            ..NewAssessment::default()
        })
        .unwrap_err();
    assert_eq!(e.to_string(), "scope is empty");
    assert_eq!(
        assay.list_assessments().unwrap().len(),
        1,
        "refused creation stored nothing"
    );
}

#[test]
fn error_payload_is_code_and_message() {
    let e = ApiError::UnknownQuestion("X-1".into());
    let json = serde_json::to_value(e.payload()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"code": "unknown_question", "message": "no question has the id `X-1` in the question bank"})
    );
}

#[test]
fn hostile_text_is_stored_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("assay.db"));
    let id = workshop(&mut assay);
    let hostile = "<script>alert(1)</script>' OR 1=1; -- \u{202e}";
    assay
        .update_answer(
            &id,
            "KS-1",
            AnswerChange {
                note: Some(hostile.into()),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assert_eq!(
        assay.assessment(&id).unwrap().answers["KS-1"]
            .note
            .as_deref(),
        Some(hostile.trim())
    );
}

#[test]
fn demo_is_a_realistic_workshop() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("assay.db"));
    let id = assay.create_demo().unwrap();
    let demo = assay.assessment(&id).unwrap();
    assert_eq!(demo.participants.len(), 5);
    let na: Vec<_> = demo
        .answers
        .iter()
        .filter(|(_, a)| matches!(a.rating, Some(Rating::NotApplicable { .. })))
        .collect();
    assert_eq!(na.len(), 1);
    assert!(demo.answers.values().filter(|a| a.note.is_some()).count() >= 3);
    let bank = assay.assessment_bank(&id).unwrap();
    assert!(demo.votes.len() > 4 * bank.bank.questions.len());
    assert!(!demo.targets.areas.is_empty() && !demo.targets.questions.is_empty());

    let card = assay.score(&id).unwrap();
    assert_eq!(card.headline.level, 1);
    assert!(
        !card.dissent.is_empty() && card.dissent.len() < 10,
        "dissent on {:?}",
        card.dissent
    );
    assert_eq!(card.unanswered, 1);
    assert_eq!(card.gaps[0].question, "GOV-2");
    // Consensus follows the votes except where the room disagreed.
    for question in &bank.bank.questions {
        let Some(Rating::Level { level }) = demo
            .answers
            .get(&question.id)
            .and_then(|a| a.rating.clone())
        else {
            continue;
        };
        let summary = demo.vote_summary(&question.id);
        if !summary.dissent {
            assert_eq!(summary.suggested, Some(level), "{}", question.id);
        }
    }
}
