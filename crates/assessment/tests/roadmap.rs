//! The roadmap's order pinned by examples: what blocks the next headline level first, then the
//! longer climb, then the smaller effort, then bank order.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use assay_assessment::Level;
use assay_assessment::governance::Priority;
use assay_assessment::roadmap::{Effort, draft_from_step, roadmap};
use assay_assessment::scoring::score;
use support::{assessment, tiny_bank};

fn level(value: u8) -> Level {
    Level::new(value).unwrap()
}

#[test]
fn blockers_of_the_next_level_lead_then_gaps_by_climb_then_effort() {
    let bank = tiny_bank();
    // Level 1 needs DATA-1 and OPS-1 at 3; level 2 needs OPS-2 and DATA-2.
    let mut taken = assessment(&[
        ("ORG-1", Some(0)),
        ("ORG-2", Some(1)),
        ("DATA-1", Some(2)),
        ("OPS-2", Some(1)),
        ("OPS-3", Some(2)),
    ]);
    taken.targets.default = Some(level(3));
    let card = score(&bank, &taken);
    assert_eq!(card.headline.level, 0);
    let map = roadmap(&bank, &taken, &card, &BTreeMap::new());

    let next = map.next.as_ref().unwrap();
    assert_eq!((next.level, next.blockers), (1, 2));
    let order: Vec<(&str, bool, u8, Option<u8>)> = map
        .steps
        .iter()
        .map(|s| (s.question.as_str(), s.blocks_next, s.climb, s.blocks_level))
        .collect();
    assert_eq!(
        order,
        [
            // OPS-1 is unanswered: it climbs from 0, so it leads DATA-1 (one level short).
            ("OPS-1", true, 3, Some(1)),
            ("DATA-1", true, 1, Some(1)),
            // Then the rest by climb; ORG-1 and DATA-2 both climb 3, bank order between them.
            ("ORG-1", false, 3, None),
            ("DATA-2", false, 3, Some(2)),
            ("ORG-2", false, 2, None),
            ("OPS-2", false, 2, Some(2)),
            ("OPS-3", false, 1, None),
        ]
    );
    let guessed: Vec<Effort> = map.steps.iter().map(|s| s.effort).collect();
    assert_eq!(guessed[..2], [Effort::Large, Effort::Small]);
    assert!(map.steps.iter().all(|s| !s.effort_estimated));

    // The team's estimates order steps of equal climb: the quick win first.
    let efforts = BTreeMap::from([
        ("ORG-1".to_owned(), Effort::Large),
        ("DATA-2".to_owned(), Effort::Small),
    ]);
    let map = roadmap(&bank, &taken, &card, &efforts);
    let third: Vec<&str> = map.steps[2..4]
        .iter()
        .map(|s| s.question.as_str())
        .collect();
    assert_eq!(third, ["DATA-2", "ORG-1"]);
    assert!(map.steps[2].effort_estimated);
}

#[test]
fn a_gate_goal_is_the_threshold_or_a_higher_target_and_na_gates_are_named() {
    let bank = tiny_bank();
    let mut taken = assessment(&[("DATA-1", Some(3)), ("OPS-1", None)]);
    taken.targets.questions.insert("DATA-1".into(), level(4));
    let card = score(&bank, &taken);
    let map = roadmap(&bank, &taken, &card, &BTreeMap::new());
    // The tiny bank accepts any N/A (no `na_allowed`), so an N/A gate does not block; level 1
    // is reached on DATA-1 alone and level 2 is next.
    assert_eq!(map.level, 1);
    assert_eq!(map.next.as_ref().unwrap().level, 2);
    let data1 = map.steps.iter().find(|s| s.question == "DATA-1").unwrap();
    assert_eq!(
        (data1.goal, data1.climb, data1.blocks_level),
        (level(4), 1, None)
    );
    let gate = map.steps.iter().find(|s| s.question == "OPS-2").unwrap();
    assert_eq!(
        (gate.goal, gate.level, gate.blocks_next),
        (level(3), None, true)
    );

    let draft = draft_from_step(&bank, gate).unwrap();
    assert_eq!(draft.title, "Raise OPS-2 Title OPS-2 (unanswered) to 3");
    assert!(
        draft.description.contains("gates headline level 2"),
        "{}",
        draft.description
    );
    assert_eq!(draft.priority, Priority::Critical);
    assert_eq!(draft.links.questions, ["OPS-2"]);
}

#[test]
fn at_the_top_level_nothing_is_next_and_only_gaps_remain() {
    let bank = tiny_bank();
    let mut taken = assessment(&[
        ("DATA-1", Some(3)),
        ("OPS-1", Some(4)),
        ("OPS-2", Some(3)),
        ("DATA-2", Some(3)),
        ("ORG-1", Some(2)),
    ]);
    taken.targets.default = Some(level(3));
    let card = score(&bank, &taken);
    let map = roadmap(&bank, &taken, &card, &BTreeMap::new());
    assert_eq!((map.level, map.next.is_none()), (2, true));
    let left: Vec<&str> = map.steps.iter().map(|s| s.question.as_str()).collect();
    assert_eq!(left, ["ORG-1"]);
}
