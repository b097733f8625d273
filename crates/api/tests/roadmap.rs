//! The roadmap to the next level on a real database: the demo's blockers first, the team's
//! effort estimates kept, and one action that raises register items without duplicating the
//! open ones.

#![allow(clippy::unwrap_used)]

use assay_api::{ApiError, Assay, SequentialIds, SteppingClock};
use assay_assessment::governance::{ItemStatus, Priority};
use assay_assessment::roadmap::Effort;
use chrono::{Duration, TimeZone, Utc};

fn open(dir: &std::path::Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 10, 0, 0).unwrap();
    Assay::open(
        &dir.join("assay.db"),
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
    .with_ids(Box::new(SequentialIds::default()))
}

#[test]
fn the_demo_roadmap_names_what_blocks_the_next_level_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = assay.create_demo().unwrap();
    let card = assay.score(&id).unwrap();
    let map = assay.roadmap(&id).unwrap();

    assert_eq!(map.level, card.headline.level);
    let next = map.next.as_ref().expect("the demo is not at the top level");
    assert_eq!(next.level, card.headline.level + 1);
    let check = card
        .headline
        .checks
        .iter()
        .find(|c| c.level == next.level)
        .unwrap();
    let blocking: Vec<&str> = map
        .steps
        .iter()
        .take_while(|s| s.blocks_next)
        .map(|s| s.question.as_str())
        .collect();
    let mut expected: Vec<&str> = check.blockers.iter().map(|b| b.question.as_str()).collect();
    let mut sorted = blocking.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected, "exactly the next level's blockers lead");
    assert_eq!(next.blockers, blocking.len());
    // Every gap of the scorecard is on the roadmap, once.
    for gap in &card.gaps {
        assert_eq!(
            map.steps
                .iter()
                .filter(|s| s.question == gap.question)
                .count(),
            1,
            "{}",
            gap.question
        );
    }
    // After the blockers, the climb never grows.
    let rest: Vec<u8> = map.steps[blocking.len()..]
        .iter()
        .map(|s| s.climb)
        .collect();
    assert!(rest.windows(2).all(|w| w[0] >= w[1]), "{rest:?}");

    // An estimate is kept, and a bad question is refused.
    let last = map.steps.last().unwrap().question.clone();
    let map = assay
        .set_roadmap_effort(&id, &last.to_lowercase(), Some(Effort::Large))
        .unwrap();
    let step = map.steps.iter().find(|s| s.question == last).unwrap();
    assert_eq!((step.effort, step.effort_estimated), (Effort::Large, true));
    assert!(matches!(
        assay.set_roadmap_effort(&id, "NOPE-1", Some(Effort::Small)),
        Err(ApiError::UnknownQuestion(_))
    ));
    let map = assay.set_roadmap_effort(&id, &last, None).unwrap();
    assert!(
        !map.steps
            .iter()
            .find(|s| s.question == last)
            .unwrap()
            .effort_estimated
    );
}

#[test]
fn raising_the_roadmap_creates_items_once_and_skips_questions_already_tracked() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = assay.create_demo().unwrap();
    let scope = assay.assessment(&id).unwrap().scope;
    let map = assay.roadmap(&id).unwrap();
    let tracked_before: Vec<String> = assay
        .list_items(Some(&scope), false)
        .unwrap()
        .into_iter()
        .filter(|i| matches!(i.item.status, ItemStatus::Open | ItemStatus::InProgress))
        .flat_map(|i| i.item.links.questions)
        .collect();

    let raised = assay.raise_roadmap(&id).unwrap();
    assert_eq!(
        raised.created.len() + raised.already_tracked.len(),
        map.steps.len()
    );
    for skipped in &raised.already_tracked {
        assert!(tracked_before.contains(&skipped.question), "{skipped:?}");
    }
    let first = &raised.created[0].item;
    let step = map
        .steps
        .iter()
        .find(|s| first.links.questions == [s.question.clone()])
        .unwrap();
    if step.blocks_next {
        assert!(first.priority >= Priority::High);
        assert!(first.description.contains("gates headline level"));
    }
    assert_eq!(first.assessment_id.as_deref(), Some(id.as_str()));

    // Again: everything is tracked now, nothing is created.
    let again = assay.raise_roadmap(&id).unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.already_tracked.len(), map.steps.len());
    let trail = assay.verify_audit_trail().unwrap();
    assert!(
        trail.rows_unrecorded.is_empty(),
        "{:?}",
        trail.rows_unrecorded
    );
}

#[test]
fn a_finalised_assessment_keeps_its_estimates() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = assay.create_demo().unwrap();
    let question = assay.roadmap(&id).unwrap().steps[0].question.clone();
    assay.finalise_assessment(&id).unwrap();
    assert!(matches!(
        assay.set_roadmap_effort(&id, &question, Some(Effort::Small)),
        Err(ApiError::Finalised(_))
    ));
}
