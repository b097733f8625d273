//! Every built-in bank loads, and a released one never changes: its content hash is pinned
//! here. Adding a bank version adds a line; changing a released folder fails this test, because
//! assessments taken with it must keep scoring with exactly what they were taken with.

#![allow(clippy::unwrap_used)]

use assay_api::{
    DEFAULT_BANK_ID, DEFAULT_BANK_VERSION, builtin_bank, builtin_bank_version, builtin_banks,
};
use assay_assessment::CanonicalBank;
use assay_assessment::ChangeKind;

const RELEASED: &[(&str, &str)] = &[
    (
        "assay-genai@1.0.0",
        "a45b8500646b3155f4cf0efb1a7ce96759659d069b5523a4817d602b425ff806",
    ),
    (
        "assay-genai@1.1.0",
        "5a9617f61769abbec61dcaf60b74ecd6980719f438bc4ac13f9a835cf0c56953",
    ),
    (
        "assay-mlops@1.0.0",
        "26e4aa58b6238a0437cf2bd72c32e5a2046304e07eac990707c962be8947c089",
    ),
    (
        "assay-mlops@2.0.0",
        "3bcb469f12a40d3dec76d25193ea57af0bec69dd18d528157d45a967409e7062",
    ),
    (
        "assay-mlops@2.1.0",
        "1fd5ed31c3dddfe5343635f6a6d2cf944cf752d744d2267c16d876617eb1ce6f",
    ),
    (
        "assay-mlops@2.2.0",
        "417f9fe347cb1e5c8146ada74682f647b4dd7f05ee18395fbaf5c0aca51e6608",
    ),
    (
        "assay-mlops@2.3.0",
        "4ef1ac2043e3e9446af32044df0947d1ed06c3efb685795e1f3fda78665eb4b6",
    ),
];

#[test]
fn every_built_in_bank_is_released_with_its_pinned_hash() {
    let shipped: Vec<(String, String)> = builtin_banks()
        .unwrap()
        .into_iter()
        .map(|bank| {
            let canonical = CanonicalBank::of(bank);
            (canonical.name(), canonical.digest.to_string())
        })
        .collect();
    let pinned: Vec<(String, String)> = RELEASED
        .iter()
        .map(|(name, hash)| ((*name).to_owned(), (*hash).to_owned()))
        .collect();
    assert_eq!(
        shipped, pinned,
        "a built-in bank changed or is new: released folders are never edited; a new one adds \
         its hash here"
    );
}

#[test]
fn the_default_bank_is_built_in_and_passes_the_json_rules_too() {
    let bank = builtin_bank().unwrap();
    assert_eq!(
        (bank.id.as_str(), bank.version.as_str()),
        (DEFAULT_BANK_ID, DEFAULT_BANK_VERSION)
    );
    for bank in builtin_banks().unwrap() {
        // What a bank file, a bundle or the database hands back must load the same.
        let json = serde_json::to_string(&bank).unwrap();
        let again = assay_assessment::Bank::from_json(&json, "bank.json").unwrap();
        assert_eq!(again, bank);
    }
}

#[test]
fn every_upgrade_accounts_for_each_question_of_the_older_built_in_version() {
    let mut checked = 0;
    for bank in builtin_banks().unwrap() {
        for upgrade in &bank.upgrades {
            let Ok(older) = builtin_bank_version(&bank.id, &upgrade.from_version) else {
                continue;
            };
            let old_ids = older.questions.iter().map(|q| q.id.as_str());
            assert_eq!(
                upgrade.unmapped(old_ids),
                Vec::<&str>::new(),
                "{}@{} does not map these {} questions",
                bank.id,
                bank.version,
                upgrade.from_version
            );
            for change in &upgrade.changes {
                for old in &change.from {
                    assert!(
                        older.question(old).is_some(),
                        "{}@{} maps {old}, which {} does not have",
                        bank.id,
                        bank.version,
                        upgrade.from_version
                    );
                }
                // A kept question keeps its area: its answer means the same thing.
                if change.kind == ChangeKind::Kept {
                    let (old, new) = (
                        older.question(&change.from[0]),
                        bank.question(&change.to[0]),
                    );
                    assert_eq!(old.unwrap().area, new.unwrap().area, "{}", change.from[0]);
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 1, "no built-in upgrade was checked");
}

#[test]
fn the_typed_crosswalk_versions_type_every_link_and_change_nothing_else() {
    for (id, typed, before) in [
        ("assay-mlops", "2.3.0", "2.2.0"),
        ("assay-genai", "1.1.0", "1.0.0"),
    ] {
        let new = builtin_bank_version(id, typed).unwrap();
        let old = builtin_bank_version(id, before).unwrap();
        assert!(!old.has_typed_crosswalk());
        assert_eq!(new.questions.len(), old.questions.len());
        for (question, earlier) in new.questions.iter().zip(&old.questions) {
            assert_eq!(
                (&question.id, &question.text, &question.anchors),
                (&earlier.id, &earlier.text, &earlier.anchors)
            );
            for (framework, clauses) in &question.crosswalk {
                for clause in clauses {
                    let relation = question.relation(framework, clause).unwrap_or_else(|| {
                        panic!(
                            "{id}@{typed} {} -> {framework} {clause} has no type",
                            question.id
                        )
                    });
                    assert!(
                        relation.rationale.as_deref().is_some_and(|r| r.len() >= 20),
                        "{} -> {clause}: a rationale says what part of the clause is checked",
                        question.id
                    );
                    // A typed version only drops links that did not hold; it adds none.
                    assert!(
                        earlier.links_to(framework, clause),
                        "{} {clause}",
                        question.id
                    );
                }
            }
        }
        assert_eq!(new.headline, old.headline);
    }
}
