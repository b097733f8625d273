//! Typed crosswalk links: read from bank files, checked, written back, and summed up per clause.

#![allow(clippy::unwrap_used)]

mod support;

use assay_assessment::{Bank, BankError, ClauseMapping, Relationship};
use support::{BANK, questions};

/// A second clause so that a clause can be left without questions.
const FRAMEWORK_TWO_CLAUSES: &str = r#"
id = "fw"
name = "Framework"
reference = "FW 1"
[[clause]]
id = "C.1"
group = "C"
title = "Clause one"
summary = "The first clause."
[[clause]]
id = "C.2"
group = "C"
title = "Clause two"
summary = "The second clause."
"#;

fn load(questions_text: String) -> Result<Bank, BankError> {
    support::load(&[
        ("bank.toml", BANK.into()),
        ("fw.toml", FRAMEWORK_TWO_CLAUSES.into()),
        ("q.toml", questions_text),
    ])
}

/// Types the first question's link with `entry` (the TOML of one crosswalk array item).
fn with_first_link(entry: &str) -> String {
    questions().replacen("fw = [\"C.1\"]", &format!("fw = [{entry}]"), 1)
}

#[test]
fn a_typed_link_is_read_with_its_relationship_and_rationale() {
    let bank = load(with_first_link(
        r#"{ clause = "C.1", relationship = "Subset", rationale = "  Checks only the written part.  " }"#,
    ))
    .unwrap();
    let first = &bank.questions[0];
    assert_eq!(first.crosswalk["fw"], vec!["C.1".to_owned()]);
    let relation = first.relation("fw", "C.1").unwrap();
    assert_eq!(relation.relationship, Relationship::Subset);
    assert_eq!(
        relation.rationale.as_deref(),
        Some("Checks only the written part.")
    );
    // The other questions keep bare ids: no type.
    assert!(bank.questions[1].relation("fw", "C.1").is_none());
}

#[test]
fn bare_and_typed_entries_mix_in_one_list() {
    let bank = load(questions().replacen(
        "fw = [\"C.1\"]",
        r#"fw = ["C.2", { clause = "C.1", relationship = "equal" }]"#,
        1,
    ))
    .unwrap();
    let first = &bank.questions[0];
    assert_eq!(
        first.crosswalk["fw"],
        vec!["C.2".to_owned(), "C.1".to_owned()]
    );
    assert!(first.relation("fw", "C.2").is_none());
    assert_eq!(
        first.relation("fw", "C.1").unwrap().relationship,
        Relationship::Equal
    );
}

#[test]
fn bad_typed_links_are_refused_with_the_question_and_the_clause() {
    let cases = [
        (
            r#"{ clause = "C.1", relationship = "contains" }"#,
            "q.toml: question ORG-1: crosswalk link to Framework `C.1` has relationship `contains`; use equal, subset, superset or intersects",
        ),
        (
            r#"{ clause = "C.1", rationale = "why" }"#,
            "q.toml: question ORG-1: crosswalk link to Framework `C.1` has a rationale but no relationship",
        ),
        (
            r#"{ clause = "C.9", relationship = "equal" }"#,
            "q.toml: question ORG-1: crosswalk id `C.9` is not in the Framework catalogue",
        ),
    ];
    for (entry, expected) in cases {
        assert_eq!(
            load(with_first_link(entry)).unwrap_err().to_string(),
            expected
        );
    }
    for (entry, part) in [
        (r#"{ relationship = "equal" }"#, "has no `clause`"),
        (
            r#"{ clause = "C.1", relation = "equal" }"#,
            "unknown crosswalk field `relation`",
        ),
        ("7", "a clause id, or a table"),
    ] {
        let message = load(with_first_link(entry)).unwrap_err().to_string();
        assert!(message.starts_with("q.toml: "), "{message}");
        assert!(message.contains(part), "{entry}: {message}");
    }
}

#[test]
fn clause_mapping_says_full_partial_untyped_or_none() {
    // All seven questions link to C.1 with no type; nothing links to C.2.
    let untyped = load(questions()).unwrap();
    assert_eq!(
        untyped.clause_mapping("fw", "C.1").1,
        ClauseMapping::Untyped
    );
    let (none, mapping) = untyped.clause_mapping("fw", "C.2");
    assert!(none.is_empty());
    assert_eq!(mapping, ClauseMapping::None);
    assert!(!untyped.has_typed_crosswalk());

    let every = |relationship: &str| {
        questions().replace(
            "fw = [\"C.1\"]",
            &format!(r#"fw = [{{ clause = "C.1", relationship = "{relationship}" }}]"#),
        )
    };
    let partial = load(every("subset")).unwrap();
    let (linked, mapping) = partial.clause_mapping("fw", "C.1");
    assert_eq!(linked.len(), 7);
    assert_eq!(mapping, ClauseMapping::Partial);
    assert_eq!(
        load(every("intersects"))
            .unwrap()
            .clause_mapping("fw", "C.1")
            .1,
        ClauseMapping::Partial
    );

    // One question that covers the whole clause makes it full, whatever the others say.
    let one_full = every("subset").replacen(
        "relationship = \"subset\"",
        "relationship = \"superset\"",
        1,
    );
    assert_eq!(
        load(one_full).unwrap().clause_mapping("fw", "C.1").1,
        ClauseMapping::Full
    );
    // One untyped link among subsets: the bank does not say whether the clause is covered.
    let one_bare = every("subset").replacen(
        r#"fw = [{ clause = "C.1", relationship = "subset" }]"#,
        r#"fw = ["C.1"]"#,
        1,
    );
    assert_eq!(
        load(one_bare).unwrap().clause_mapping("fw", "C.1").1,
        ClauseMapping::Untyped
    );
}

#[test]
fn typed_links_survive_the_round_trip_through_bank_files_and_json() {
    let bank = load(with_first_link(
        r#"{ clause = "C.1", relationship = "intersects", rationale = "Both ask for \"records\"; only the clause asks who keeps them." }"#,
    ))
    .unwrap();
    let again = bank.validated("round trip").unwrap();
    assert_eq!(again, bank);
    let json = serde_json::to_string(&bank).unwrap();
    let from_json: Bank = serde_json::from_str(&json).unwrap();
    assert_eq!(from_json, bank);
}

#[test]
fn untyped_banks_keep_their_canonical_json() {
    let bank = load(questions()).unwrap();
    let json = serde_json::to_string(&bank).unwrap();
    assert!(!json.contains("relations"), "{json}");
}
