//! A bank's other forms: canonical JSON with its hash, the authoring folder written back out,
//! upgrade mappings, and the N/A rule on headline gates.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use assay_assessment::scoring::score;
use assay_assessment::{Bank, BankError, CanonicalBank, ChangeKind};
use support::{BANK, FRAMEWORK, assessment, load, questions, tiny_bank};

fn shipped_1_0_0() -> Bank {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/banks/assay-mlops/1.0.0");
    Bank::load("bank.toml", |file| std::fs::read_to_string(root.join(file))).unwrap()
}

#[test]
fn canonical_json_reads_back_to_the_same_bank_and_hash() {
    let canonical = CanonicalBank::of(shipped_1_0_0());
    assert_eq!(canonical.digest.as_str().len(), 64);
    let back = CanonicalBank::read(&canonical.json, canonical.digest.as_str()).unwrap();
    assert_eq!(back, canonical);
    // A bank read back hashes the same when canonicalised again: the form is stable.
    assert_eq!(CanonicalBank::of(back.bank).digest, canonical.digest);
}

#[test]
fn content_that_does_not_match_its_hash_is_refused() {
    let canonical = CanonicalBank::of(tiny_bank());
    let edited = canonical.json.replace("Clause one", "Clause 1");
    let error = CanonicalBank::read(&edited, canonical.digest.as_str()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("not to the hash it was recorded with"),
        "{error}"
    );
}

#[test]
fn the_authoring_folder_written_back_loads_to_the_same_bank() {
    for bank in [shipped_1_0_0(), tiny_bank()] {
        let files = bank.to_files();
        assert!(files.contains_key("bank.toml"));
        let again = Bank::load("bank.toml", |f| files.get(f).cloned().ok_or("missing")).unwrap();
        assert_eq!(again, bank);
        assert_eq!(
            CanonicalBank::of(again).digest,
            CanonicalBank::of(bank).digest
        );
    }
}

#[test]
fn json_banks_meet_the_same_rules_as_written_ones() {
    let json = serde_json::to_string(&tiny_bank()).unwrap();
    assert_eq!(Bank::from_json(&json, "tiny.json").unwrap(), tiny_bank());

    let unknown_clause = json.replace("\"fw\":[\"C.1\"]", "\"fw\":[\"C.9\"]");
    let error = Bank::from_json(&unknown_clause, "tiny.json").unwrap_err();
    assert!(
        matches!(&error, BankError::Question { file, question, problem }
            if file == "tiny.json" && question == "ORG-1" && problem.contains("C.9")),
        "{error}"
    );
    let one_anchor_short = json.replacen("\"four\"", "\"\"", 1);
    let error = Bank::from_json(&one_anchor_short, "tiny.json").unwrap_err();
    assert!(
        error.to_string().contains("anchor for level 4 is empty"),
        "{error}"
    );
    let error = Bank::from_json("{\"id\": 3}", "tiny.json").unwrap_err();
    assert!(matches!(error, BankError::Syntax { .. }), "{error}");
}

fn with_upgrade(upgrade: &str) -> Result<Bank, BankError> {
    let root = BANK.replace(
        "version = \"0.1.0\"",
        "version = \"0.2.0\"\nupgrade_files = [\"up.toml\"]",
    );
    load(&[
        ("bank.toml", root),
        ("fw.toml", FRAMEWORK.into()),
        ("q.toml", questions()),
        ("up.toml", upgrade.into()),
    ])
}

#[test]
fn upgrades_map_old_questions_and_are_checked() {
    let bank = with_upgrade(
        r#"
from_version = "0.1.0"
[[change]]
from = ["ORG-1"]
to = ["ORG-1"]
kind = "kept"
note = "Same topic."
[[change]]
from = ["DATA-1"]
to = ["DATA-1", "DATA-2"]
kind = "split"
note = "Two topics became two questions."
[[change]]
from = ["OLD-1", "OLD-2"]
to = ["OPS-3"]
kind = "merged"
note = "One practice."
[[change]]
from = ["GONE-1"]
to = []
kind = "removed"
note = "Out of scope."
"#,
    )
    .unwrap();
    let upgrade = bank.upgrade_from("0.1.0").unwrap();
    assert_eq!(upgrade.change_of("OLD-2").unwrap().kind, ChangeKind::Merged);
    assert_eq!(upgrade.sources()["DATA-2"], vec!["DATA-1"]);
    assert_eq!(upgrade.unmapped(["ORG-1", "ORG-9"]), vec!["ORG-9"]);
    // The upgrade is part of the content, so it survives the JSON and folder forms.
    let json = serde_json::to_string(&bank).unwrap();
    assert_eq!(Bank::from_json(&json, "b.json").unwrap(), bank);

    for (upgrade, says) in [
        (
            "from_version = \"0.1.0\"\n[[change]]\nfrom = [\"A-1\"]\nto = [\"ORG-1\", \"ORG-2\"]\nkind = \"renamed\"\nnote = \"x\"",
            "a `renamed` change cannot go from 1 to 2",
        ),
        (
            "from_version = \"0.1.0\"\n[[change]]\nfrom = [\"A-1\"]\nto = [\"NEW-9\"]\nkind = \"renamed\"\nnote = \"x\"",
            "new question NEW-9 is not in this bank",
        ),
        (
            "from_version = \"0.2.0\"\n[[change]]\nfrom = [\"A-1\"]\nto = []\nkind = \"removed\"\nnote = \"x\"",
            "must name an earlier version",
        ),
        (
            "from_version = \"0.1.0\"\n[[change]]\nfrom = [\"A-1\"]\nto = []\nkind = \"removed\"\nnote = \"x\"\n[[change]]\nfrom = [\"A-1\"]\nto = [\"ORG-1\"]\nkind = \"renamed\"\nnote = \"y\"",
            "old question A-1 is mapped twice",
        ),
    ] {
        let error = with_upgrade(upgrade).unwrap_err();
        assert!(
            matches!(&error, BankError::Invalid { file, problem } if file == "up.toml" && problem.contains(says)),
            "{error}"
        );
    }
}

fn with_na_rule(rule: &str) -> Bank {
    let root = BANK.replace(
        "requires = [\"DATA-1\", \"OPS-1\"]",
        &format!("requires = [\"DATA-1\", \"OPS-1\"]\n{rule}"),
    );
    load(&[
        ("bank.toml", root),
        ("fw.toml", FRAMEWORK.into()),
        ("q.toml", questions()),
    ])
    .unwrap()
}

#[test]
fn a_gate_marked_na_blocks_unless_the_bank_accepts_that_na() {
    // DATA-1 N/A, OPS-1 automated.
    let answers = assessment(&[("DATA-1", None), ("OPS-1", Some(3))]);

    // Banks without the rule leave every N/A out: level 1 is reached on OPS-1 alone.
    assert_eq!(score(&tiny_bank(), &answers).headline.level, 1);

    let strict = with_na_rule("na_allowed = []");
    let card = score(&strict, &answers);
    assert_eq!(card.headline.level, 0);
    let blocker = &card.headline.checks[0].blockers[0];
    assert_eq!(blocker.question, "DATA-1");
    assert!(blocker.not_applicable);

    let accepting = with_na_rule("na_allowed = [\"DATA-1\"]");
    assert_eq!(score(&accepting, &answers).headline.level, 1);

    let root = BANK.replace(
        "requires = [\"DATA-1\", \"OPS-1\"]",
        "requires = [\"DATA-1\", \"OPS-1\"]\nna_allowed = [\"ORG-1\"]",
    );
    let error = load(&[
        ("bank.toml", root),
        ("fw.toml", FRAMEWORK.into()),
        ("q.toml", questions()),
    ])
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("allows N/A for ORG-1, which it does not name"),
        "{error}"
    );
}
