//! Starting an assessment from an earlier one: with the same bank, and with the bank's newer
//! version through the mapping it declares. Every carried answer says where it came from until
//! someone reviews it.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use assay_api::{AnswerChange, Assay, ErrorCode, NewAssessment, SteppingClock};
use assay_assessment::{ChangeKind, Level, Rating};
use chrono::{Duration, TimeZone, Utc};

fn open(path: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
    Assay::open(
        path,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
}

fn set(assay: &mut Assay, id: &str, question: &str, rating: Rating, note: &str) {
    let change = AnswerChange {
        rating: Some(rating),
        note: Some(note.into()),
        ..AnswerChange::default()
    };
    assay.update_answer(id, question, change).unwrap();
}

fn level(value: u8) -> Rating {
    Rating::level(Level::new(value).unwrap())
}

/// A 1.0.0 assessment answering every question, level by position, one N/A.
fn earlier(assay: &mut Assay) -> String {
    let new = NewAssessment {
        scope: "Fraud".into(),
        bank: Some("assay-mlops@1.0.0".into()),
        ..NewAssessment::default()
    };
    let id = assay.create_assessment(new).unwrap().id;
    let questions: Vec<String> = assay
        .assessment_bank(&id)
        .unwrap()
        .bank
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    for (n, question) in questions.iter().enumerate() {
        let rating = if question == "DE-3" {
            Rating::not_applicable("Batch scoring only").unwrap()
        } else {
            level(u8::try_from(n % 5).unwrap())
        };
        set(assay, &id, question, rating, &format!("note on {question}"));
    }
    assay
        .set_target(
            &id,
            assay_api::TargetChange::Question("GOV-2", Some(Level::new(4).unwrap())),
        )
        .unwrap();
    id
}

#[test]
fn answers_move_to_the_newer_bank_through_its_mapping_and_are_marked_until_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("a.db"));
    let old_id = earlier(&mut assay);
    let old = assay.assessment(&old_id).unwrap();

    let new = NewAssessment {
        start_from: Some(old_id.clone()),
        bank: Some("assay-mlops@2.0.0".into()),
        ..NewAssessment::default()
    };
    let created = assay.create_assessment(new).unwrap();
    assert_eq!(
        (created.scope.as_str(), created.bank_version.as_str()),
        ("Fraud", "2.0.0")
    );
    let bank = assay.assessment_bank(&created.id).unwrap();
    let upgrade = bank.bank.upgrade_from("1.0.0").unwrap();

    let mut checked = 0;
    for change in &upgrade.changes {
        for new_question in &change.to {
            let answer = &created.answers[new_question];
            let carried = answer.carried.as_ref().unwrap();
            assert_eq!(carried.assessment, old_id);
            assert_eq!(carried.bank, "assay-mlops@1.0.0");
            assert!(carried.questions.iter().all(|q| change.from.contains(q)
                || upgrade.sources()[new_question.as_str()].contains(&q.as_str())));
            let sources = &upgrade.sources()[new_question.as_str()];
            if sources.len() == 1 {
                // One source: the answer, note and all, is the earlier one.
                let before = &old.answers[sources[0]];
                assert_eq!(answer.rating, before.rating, "{new_question}");
                assert_eq!(answer.note, before.note, "{new_question}");
                assert_eq!(carried.change, Some(change.kind), "{new_question}");
            } else {
                // Several sources: the lowest level, every note, marked as a merge.
                let lowest = sources
                    .iter()
                    .filter_map(|q| match &old.answers[*q].rating {
                        Some(Rating::Level { level }) => Some(*level),
                        _ => None,
                    })
                    .min();
                assert_eq!(answer.rating, lowest.map(Rating::level), "{new_question}");
                assert_eq!(carried.change, Some(ChangeKind::Merged), "{new_question}");
                for source in sources {
                    assert!(
                        answer
                            .note
                            .as_ref()
                            .unwrap()
                            .contains(&format!("note on {source}"))
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 47, "only {checked} carried answers checked");
    // Questions new in 2.0.0 start unanswered; the split of GOV-2 keeps its target.
    let mapped: Vec<&str> = upgrade
        .changes
        .iter()
        .flat_map(|c| c.to.iter().map(String::as_str))
        .collect();
    for question in &bank.bank.questions {
        if !mapped.contains(&question.id.as_str()) {
            assert!(
                !created.answers.contains_key(&question.id),
                "{}",
                question.id
            );
        }
    }
    assert_eq!(created.targets.questions["GOV-2"].value(), 4);
    assert!(assay.score(&created.id).unwrap().answered > 0);

    // Confirming keeps the answer and clears the mark; so does any change.
    let before = created.answers["ORG-1"].clone();
    let confirmed = assay
        .update_answer(&created.id, "ORG-1", AnswerChange::default())
        .unwrap();
    assert_eq!(
        (confirmed.rating, confirmed.note, confirmed.carried),
        (before.rating, before.note, None)
    );
    let changed = assay
        .update_answer(
            &created.id,
            "ORG-2",
            AnswerChange {
                rating: Some(level(3)),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assert_eq!(changed.carried, None);
    let reread = assay.assessment(&created.id).unwrap();
    assert!(reread.answers["ORG-1"].carried.is_none() && reread.answers["ORG-3"].carried.is_some());

    // Reports say which answers were carried and not reviewed; reviewed ones read as fresh.
    let html = assay
        .render_report(&created.id, assay_api::ReportFormat::Html)
        .unwrap()
        .bytes;
    let html = String::from_utf8(html).unwrap();
    let marked = html
        .matches("<p class=\"anchor carried\">Carried from assessment")
        .count();
    let still_carried = reread
        .answers
        .values()
        .filter(|a| a.carried.is_some())
        .count();
    assert_eq!(marked, still_carried);
    assert!(html.contains(&format!(
        "Carried from assessment {old_id} (assay-mlops@1.0.0 ORG-3, kept)"
    )));

    // The mark travels in bundles.
    let bundle = assay.export_bundle(&created.id).unwrap();
    let carried = bundle
        .content
        .answers
        .iter()
        .filter(|a| a.answer.carried.is_some())
        .count();
    assert_eq!(
        carried,
        reread
            .answers
            .values()
            .filter(|a| a.carried.is_some())
            .count()
    );

    // Comparing across versions: kept questions compared, the others listed with the reason,
    // each side scored under its own version.
    let diff = assay.diff(&old_id, &created.id).unwrap();
    assert_eq!(
        diff.banks,
        Some((
            "assay-mlops@1.0.0".to_owned(),
            "assay-mlops@2.0.0".to_owned()
        ))
    );
    assert_eq!(
        diff.headline.0,
        assay.score(&old_id).unwrap().headline.level
    );
    let changed: Vec<&str> = diff.answers.iter().map(|a| a.question.as_str()).collect();
    assert_eq!(
        changed,
        ["ORG-2"],
        "only the answer changed since is a difference"
    );
    let left_out = |q: &str| diff.not_comparable.iter().find(|n| n.question == q);
    assert!(left_out("ORG-1").is_none(), "a kept question is comparable");
    assert!(
        left_out("KS-2")
            .unwrap()
            .reason
            .starts_with("split from KS-2")
    );
    assert!(left_out("KS-5").unwrap().reason.starts_with("merged from"));
    assert!(
        left_out("ORG-4")
            .unwrap()
            .reason
            .starts_with("new in assay-mlops@2.0.0")
    );
    // The scope's history holds both, the earlier one marked with its own version.
    let trend = assay.history("Fraud").unwrap();
    let banks: Vec<Option<&str>> = trend.iter().map(|p| p.bank.as_deref()).collect();
    assert_eq!(banks, [Some("assay-mlops@1.0.0"), None]);
    assert_eq!(trend[0].headline_level, diff.headline.0);

    // The other way round there is no mapping: refused with the reason.
    let error = assay.diff(&created.id, &old_id).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("not comparable question by question"),
        "{error}"
    );
}

#[test]
fn the_same_bank_carries_every_answer_marked_and_another_bank_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let mut assay = open(&db);
    let old_id = earlier(&mut assay);
    let old = assay.assessment(&old_id).unwrap();
    let new = NewAssessment {
        start_from: Some(old_id.clone()),
        ..NewAssessment::default()
    };
    let created = assay.create_assessment(new).unwrap();
    assert_eq!(created.bank_version, "1.0.0");
    assert_eq!(created.answers.len(), old.answers.len());
    for (question, answer) in &created.answers {
        let carried = answer.carried.as_ref().unwrap();
        assert_eq!(
            (carried.questions.as_slice(), carried.change),
            (&[question.clone()][..], None)
        );
        assert_eq!(answer.rating, old.answers[question].rating);
    }
    assert_eq!(created.targets, old.targets);

    // A bank that declares no mapping from the earlier one: refused, nothing created.
    let count = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM assessment", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&db);
    let new = NewAssessment {
        start_from: Some(old_id),
        bank: Some("assay-genai@1.0.0".into()),
        ..NewAssessment::default()
    };
    let error = assay.create_assessment(new).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput, "{error}");
    assert!(
        error
            .to_string()
            .contains("declares no mapping from assay-mlops@1.0.0"),
        "{error}"
    );
    assert_eq!(count(&db), before);
}
