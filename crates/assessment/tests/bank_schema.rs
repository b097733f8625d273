//! The bank file's JSON Schema (`docs/banks/bank-file.schema.json`) is generated from the types
//! that read bank files, is committed up to date, and accepts every built-in bank while refusing
//! a malformed one. `UPDATE_GOLDEN=1 cargo test -p assay-assessment --test bank_schema` rewrites it.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assay_assessment::{BANK_FILE_FORMAT, BANK_FILE_VERSION, Bank, BankFile, CanonicalBank};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `assets/banks/<id>/<version>/bank.toml`.
fn built_in_banks() -> Vec<Bank> {
    let mut banks = Vec::new();
    for id in std::fs::read_dir(repo().join("assets/banks")).unwrap() {
        for version in std::fs::read_dir(id.unwrap().path()).unwrap() {
            let root = version.unwrap().path();
            banks.push(
                Bank::load("bank.toml", |file| std::fs::read_to_string(root.join(file))).unwrap(),
            );
        }
    }
    assert!(
        banks.len() >= 3,
        "expected the built-in banks, found {}",
        banks.len()
    );
    banks
}

fn schema() -> serde_json::Value {
    serde_json::from_str(&assay_assessment::bank_file_schema()).unwrap()
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let path = repo().join("docs/banks/bank-file.schema.json");
    let generated = assay_assessment::bank_file_schema();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date; rerun with UPDATE_GOLDEN=1",
        path.display()
    );
}

#[test]
fn every_built_in_bank_file_meets_the_schema() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    for bank in built_in_banks() {
        let canonical = CanonicalBank::of(bank);
        let file = BankFile {
            format: BANK_FILE_FORMAT.into(),
            format_version: BANK_FILE_VERSION,
            sha256: Some(canonical.digest.to_string()),
            bank: canonical.bank.clone(),
        };
        let value = serde_json::to_value(&file).unwrap();
        let problems: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(problems.is_empty(), "{}: {problems:?}", canonical.name());
    }
}

#[test]
fn the_schema_refuses_what_a_reader_would_refuse() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let bank = built_in_banks().remove(0);
    let good = serde_json::json!({ "format": "assay-bank", "format_version": 1, "bank": bank });
    assert!(validator.is_valid(&good));
    for (what, edit) in [
        ("a level above 4", "/bank/headline/threshold"),
        ("an unknown member", "/bank/extra"),
        ("no questions list", "/bank/questions"),
    ] {
        let mut bad = good.clone();
        match what {
            "a level above 4" => *bad.pointer_mut(edit).unwrap() = 7.into(),
            "an unknown member" => {
                bad["unexpected"] = true.into();
            }
            _ => {
                bad["bank"].as_object_mut().unwrap().remove("questions");
            }
        }
        assert!(!validator.is_valid(&bad), "the schema accepts {what}");
    }
}
