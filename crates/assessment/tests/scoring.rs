//! The scoring rule pinned by examples, and its promises checked by property tests.

#![allow(clippy::unwrap_used)]

mod support;

use assay_assessment::scoring::score;
use assay_assessment::{Level, Rating, Vote, VoteValue};
use proptest::prelude::*;
use support::{assessment, tiny_bank};

#[test]
fn area_pillar_and_overall_report_mean_beside_minimum() {
    let bank = tiny_bank();
    let card = score(
        &bank,
        &assessment(&[
            ("ORG-1", Some(1)),
            ("ORG-2", Some(4)),
            ("DATA-1", Some(2)),
            ("OPS-1", Some(3)),
            ("OPS-2", Some(0)),
        ]),
    );
    let area = |id: &str| card.areas.iter().find(|a| a.area == id).unwrap();
    assert_eq!(area("org").score.mean, Some(2.5));
    assert_eq!(area("org").score.min, Some(1.0));
    assert_eq!(area("data").score.mean, Some(2.0));
    assert_eq!(area("data").unanswered, 1);
    assert_eq!(area("ops").score.mean, Some(1.5));
    assert_eq!(area("ops").score.min, Some(0.0));

    let process = card.pillars.iter().find(|p| p.pillar == "process").unwrap();
    assert_eq!(process.score.mean, Some(1.75));
    assert_eq!(process.score.min, Some(1.5));
    assert_eq!(process.weakest_area.as_deref(), Some("ops"));
    assert_eq!(card.overall.mean, Some(2.0));
    assert_eq!(card.overall.min, Some(1.5));
    assert_eq!(
        (card.answered, card.not_applicable, card.unanswered),
        (5, 0, 2)
    );
}

#[test]
fn not_applicable_is_left_out_not_counted_as_zero() {
    let bank = tiny_bank();
    let card = score(&bank, &assessment(&[("ORG-1", Some(3)), ("ORG-2", None)]));
    let org = &card.areas[0];
    assert_eq!(org.score.mean, Some(3.0));
    assert_eq!(org.score.min, Some(3.0));
    assert_eq!(org.not_applicable, 1);
}

#[test]
fn headline_level_one_needs_every_named_question_at_threshold() {
    let bank = tiny_bank();
    let below = score(
        &bank,
        &assessment(&[("DATA-1", Some(3)), ("OPS-1", Some(2))]),
    );
    assert_eq!(below.headline.level, 0);
    assert_eq!(below.headline.name, "Manual");
    let check = &below.headline.checks[0];
    assert!(!check.met);
    assert_eq!(check.blockers.len(), 1);
    assert_eq!(check.blockers[0].question, "OPS-1");
    assert_eq!(check.blockers[0].level, Level::new(2).ok());

    let met = score(
        &bank,
        &assessment(&[("DATA-1", Some(3)), ("OPS-1", Some(4))]),
    );
    assert_eq!(met.headline.level, 1);
    assert_eq!(met.headline.name, "Pipeline");
}

#[test]
fn headline_unanswered_blocks_and_not_applicable_is_skipped() {
    let bank = tiny_bank();
    let unanswered = score(&bank, &assessment(&[("DATA-1", Some(4))]));
    assert_eq!(unanswered.headline.level, 0);
    assert_eq!(unanswered.headline.checks[0].blockers[0].level, None);

    let skipped = score(&bank, &assessment(&[("DATA-1", Some(4)), ("OPS-1", None)]));
    assert_eq!(skipped.headline.level, 1);

    let all_na = score(&bank, &assessment(&[("DATA-1", None), ("OPS-1", None)]));
    assert_eq!(
        all_na.headline.level, 0,
        "nothing shows level 1 when every named question is N/A"
    );
}

#[test]
fn headline_level_two_requires_level_one() {
    let bank = tiny_bank();
    let card = score(
        &bank,
        &assessment(&[
            ("OPS-2", Some(4)),
            ("DATA-2", Some(4)),
            ("DATA-1", Some(1)),
            ("OPS-1", Some(3)),
        ]),
    );
    assert!(card.headline.checks[1].met);
    assert_eq!(card.headline.level, 0);
    let card = score(
        &bank,
        &assessment(&[
            ("OPS-2", Some(3)),
            ("DATA-2", Some(3)),
            ("DATA-1", Some(3)),
            ("OPS-1", Some(3)),
        ]),
    );
    assert_eq!(card.headline.level, 2);
    assert_eq!(card.headline.name, "CI/CD");
}

#[test]
fn gaps_use_the_most_specific_target_and_sort_largest_first() {
    let bank = tiny_bank();
    let mut a = assessment(&[
        ("ORG-1", Some(1)),
        ("ORG-2", Some(2)),
        ("DATA-1", Some(0)),
        ("OPS-1", None),
    ]);
    a.targets.default = Level::new(2).ok();
    a.targets.areas.insert("org".into(), Level::new(3).unwrap());
    a.targets
        .questions
        .insert("ORG-2".into(), Level::new(2).unwrap());
    let card = score(&bank, &a);
    let gaps: Vec<(&str, u8, u8, u8)> = card
        .gaps
        .iter()
        .map(|g| {
            (
                g.question.as_str(),
                g.level.value(),
                g.target.value(),
                g.size,
            )
        })
        .collect();
    assert_eq!(gaps, vec![("ORG-1", 1, 3, 2), ("DATA-1", 0, 2, 2)]);
    assert_eq!(card.areas[0].target, Level::new(3).ok());
}

#[test]
fn an_area_is_below_target_when_its_mean_is_under_it() {
    let bank = tiny_bank();
    let mut a = assessment(&[("ORG-1", Some(1)), ("ORG-2", Some(2)), ("OPS-1", Some(2))]);
    a.targets.areas.insert("org".into(), Level::new(2).unwrap());
    a.targets.areas.insert("ops".into(), Level::new(2).unwrap());
    a.targets
        .areas
        .insert("data".into(), Level::new(2).unwrap());
    let card = score(&bank, &a);
    let below = |id: &str| {
        card.areas
            .iter()
            .find(|x| x.area == id)
            .unwrap()
            .below_target()
    };
    assert!(below("org"), "a mean of 1.5 is under 2");
    assert!(!below("ops"), "a mean equal to the target is not below it");
    assert!(
        !below("data"),
        "an area with nothing answered has no mean to compare"
    );
    a.targets.areas.clear();
    let untargeted = score(&bank, &a);
    assert!(untargeted.areas.iter().all(|x| !x.below_target()));
}

#[test]
fn dissent_is_listed_from_votes() {
    let bank = tiny_bank();
    let mut a = assessment(&[]);
    for (participant, level) in [("p1", 1), ("p2", 3)] {
        a.votes.push(Vote {
            question_id: "ORG-1".into(),
            participant_id: participant.into(),
            value: VoteValue::Level(Level::new(level).unwrap()),
        });
    }
    a.votes.push(Vote {
        question_id: "ORG-2".into(),
        participant_id: "p1".into(),
        value: VoteValue::Level(Level::new(1).unwrap()),
    });
    assert_eq!(score(&bank, &a).dissent, vec!["ORG-1".to_string()]);
}

const QUESTIONS: [&str; 7] = [
    "ORG-1", "ORG-2", "DATA-1", "DATA-2", "OPS-1", "OPS-2", "OPS-3",
];

/// Each question: unanswered, N/A, or a level.
fn answers() -> impl Strategy<Value = Vec<Option<Option<u8>>>> {
    proptest::collection::vec(
        prop_oneof![
            Just(None),
            Just(Some(None)),
            (0u8..=4).prop_map(|l| Some(Some(l)))
        ],
        QUESTIONS.len(),
    )
}

fn build(answers: &[Option<Option<u8>>]) -> assay_assessment::Assessment {
    let pairs: Vec<(&str, Option<u8>)> = QUESTIONS
        .iter()
        .zip(answers)
        .filter_map(|(q, a)| a.map(|a| (*q, a)))
        .collect();
    assessment(&pairs)
}

/// Every number in the scorecard, in a fixed order, `None` as -1 so they can be compared.
fn numbers(card: &assay_assessment::Scorecard) -> Vec<f64> {
    let mut out = vec![
        card.overall.mean.unwrap_or(-1.0),
        card.overall.min.unwrap_or(-1.0),
        f64::from(card.headline.level),
    ];
    for p in &card.pillars {
        out.extend([p.score.mean.unwrap_or(-1.0), p.score.min.unwrap_or(-1.0)]);
    }
    for a in &card.areas {
        out.extend([a.score.mean.unwrap_or(-1.0), a.score.min.unwrap_or(-1.0)]);
    }
    out
}

proptest! {
    #[test]
    fn raising_one_answer_never_lowers_any_score(answers in answers(), index in 0usize..QUESTIONS.len()) {
        let bank = tiny_bank();
        let Some(Some(level)) = answers[index] else { return Ok(()) };
        prop_assume!(level < 4);
        let before = score(&bank, &build(&answers));
        let mut raised = answers.clone();
        raised[index] = Some(Some(level + 1));
        let after = score(&bank, &build(&raised));
        for (b, a) in numbers(&before).iter().zip(numbers(&after)) {
            prop_assert!(a >= *b, "score fell from {b} to {a}");
        }
        prop_assert!(after.gaps.iter().map(|g| u32::from(g.size)).sum::<u32>() <= before.gaps.iter().map(|g| u32::from(g.size)).sum::<u32>());
    }

    #[test]
    fn not_applicable_answers_are_excluded_not_zero(answers in answers(), index in 0usize..QUESTIONS.len()) {
        let bank = tiny_bank();
        // Marking a question N/A scores exactly as leaving it out of the bank's means.
        let mut na = answers.clone();
        na[index] = Some(None);
        let mut unanswered = answers.clone();
        unanswered[index] = None;
        let with_na = score(&bank, &build(&na));
        let without = score(&bank, &build(&unanswered));
        prop_assert_eq!(numbers(&with_na)[..2].to_vec(), numbers(&without)[..2].to_vec());
        for (x, y) in with_na.areas.iter().zip(&without.areas) {
            prop_assert_eq!(x.score, y.score);
        }
        prop_assert_eq!(with_na.not_applicable, without.not_applicable + 1);
    }

    #[test]
    fn scores_stay_within_level_range_and_min_below_mean(answers in answers()) {
        let card = score(&tiny_bank(), &build(&answers));
        for summary in card.areas.iter().map(|a| a.score).chain(card.pillars.iter().map(|p| p.score)).chain([card.overall]) {
            if let (Some(mean), Some(min)) = (summary.mean, summary.min) {
                prop_assert!((0.0..=4.0).contains(&mean));
                prop_assert!(min <= mean + 1e-12);
            } else {
                prop_assert_eq!(summary.mean, summary.min);
            }
        }
        prop_assert_eq!(card.answered + card.not_applicable + card.unanswered, QUESTIONS.len());
    }

    #[test]
    fn scoring_is_deterministic(answers in answers()) {
        let bank = tiny_bank();
        let a = build(&answers);
        prop_assert_eq!(score(&bank, &a), score(&bank, &a));
    }
}

#[test]
fn rating_helpers_round_trip() {
    let r = Rating::level(Level::new(2).unwrap());
    assert_eq!(r.as_level(), Level::new(2).ok());
    assert_eq!(Rating::not_applicable("x").unwrap().as_level(), None);
}
