//! The shipped bank under `assets/` loads and meets the coverage rules; broken banks give an
//! error naming the file, the question and the problem.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use assay_assessment::{Bank, BankError};
use support::{BANK, FRAMEWORK, load, question, questions};

fn shipped() -> Bank {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/banks/assay-mlops/1.0.0");
    Bank::load("bank.toml", |file| std::fs::read_to_string(root.join(file))).unwrap()
}

#[test]
fn shipped_bank_covers_three_pillars_fifteen_areas_and_enough_questions() {
    let bank = shipped();
    assert_eq!(bank.pillars.len(), 3);
    assert_eq!(bank.areas().count(), 15);
    assert!(
        bank.questions.len() >= 45,
        "only {} questions",
        bank.questions.len()
    );
    for area in bank.areas() {
        assert!(
            bank.questions_in_area(&area.id).count() >= 2,
            "area {} is thin",
            area.id
        );
    }
    for q in &bank.questions {
        assert_eq!(q.anchors.len(), 5, "{}", q.id);
        assert!(
            q.text.trim_end().ends_with('?'),
            "{} is not a question",
            q.id
        );
        assert!(!q.crosswalk.values().all(Vec::is_empty), "{}", q.id);
    }
    let frameworks: Vec<&str> = bank.frameworks.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(frameworks, ["eu_ai_act", "nist_ai_rmf", "iso_42001"]);
    assert_eq!(bank.framework("nist_ai_rmf").unwrap().clauses.len(), 72);
    assert_eq!(bank.framework("iso_42001").unwrap().clauses.len(), 38);
}

#[test]
fn shipped_bank_keeps_bank_order_pillar_then_area() {
    let bank = shipped();
    let area_order: Vec<&str> = bank.areas().map(|a| a.id.as_str()).collect();
    let mut last = 0;
    for q in &bank.questions {
        let rank = area_order.iter().position(|a| *a == q.area).unwrap();
        assert!(rank >= last, "{} is out of order", q.id);
        last = rank;
    }
}

fn broken(questions_text: String) -> BankError {
    load(&[
        ("bank.toml", BANK.into()),
        ("fw.toml", FRAMEWORK.into()),
        ("q.toml", questions_text),
    ])
    .unwrap_err()
}

#[test]
fn missing_anchor_names_file_question_and_level() {
    let text = questions().replacen("3 = \"three\"\n", "", 1);
    let err = broken(text);
    assert_eq!(
        err.to_string(),
        "q.toml: question ORG-1: anchor for level 3 is missing"
    );
}

#[test]
fn duplicate_id_is_refused() {
    let err = broken(questions() + &question("ORG-1", "org"));
    assert_eq!(
        err.to_string(),
        "q.toml: question ORG-1: duplicate id (first defined in q.toml)"
    );
}

#[test]
fn unknown_crosswalk_id_is_refused() {
    let text = questions().replacen("fw = [\"C.1\"]", "fw = [\"C.9\"]", 1);
    assert_eq!(
        broken(text).to_string(),
        "q.toml: question ORG-1: crosswalk id `C.9` is not in the Framework catalogue"
    );
}

#[test]
fn unknown_area_and_uncovered_area_are_refused() {
    let text = questions().replacen("area = \"org\"", "area = \"orgs\"", 1);
    assert_eq!(
        broken(text).to_string(),
        "q.toml: question ORG-1: unknown area `orgs`"
    );
    let only_org = question("ORG-1", "org")
        + &question("DATA-1", "data")
        + &question("DATA-2", "data")
        + &question("OPS-1", "ops");
    let text = only_org.replace("OPS-1", "OPS-9");
    assert_eq!(
        broken(text).to_string(),
        "bank.toml: headline level 1 names unknown question OPS-1"
    );
    let no_ops = question("ORG-1", "org") + &question("DATA-1", "data");
    assert_eq!(
        broken(no_ops).to_string(),
        "bank.toml: area ops has no questions"
    );
}

#[test]
fn missing_field_and_bad_syntax_name_the_file() {
    let text = questions().replacen("why = \"Because.\"\n", "", 1);
    assert_eq!(
        broken(text).to_string(),
        "q.toml: question ORG-1: missing or empty `why`"
    );
    let err = broken("[[question]\nid = ".into());
    assert!(
        matches!(&err, BankError::Syntax { file, .. } if file == "q.toml"),
        "{err}"
    );
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn unreadable_file_is_named() {
    let err = load(&[("bank.toml", BANK.into()), ("fw.toml", FRAMEWORK.into())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "q.toml: cannot read the file: no such file"
    );
}
