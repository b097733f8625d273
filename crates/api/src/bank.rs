//! The question bank shipped inside the binary, and loading another one from disk.

use std::path::Path;

use assay_assessment::{Bank, BankError};

/// The files of `assets/bank` and `assets/frameworks`, keyed by the paths `bank.toml` uses.
const EMBEDDED: &[(&str, &str)] = &[
    ("bank.toml", include_str!("../../../assets/bank/bank.toml")),
    (
        "questions/people.toml",
        include_str!("../../../assets/bank/questions/people.toml"),
    ),
    (
        "questions/processes-build.toml",
        include_str!("../../../assets/bank/questions/processes-build.toml"),
    ),
    (
        "questions/processes-run.toml",
        include_str!("../../../assets/bank/questions/processes-run.toml"),
    ),
    (
        "questions/platform.toml",
        include_str!("../../../assets/bank/questions/platform.toml"),
    ),
    (
        "../frameworks/eu-ai-act.toml",
        include_str!("../../../assets/frameworks/eu-ai-act.toml"),
    ),
    (
        "../frameworks/nist-ai-rmf.toml",
        include_str!("../../../assets/frameworks/nist-ai-rmf.toml"),
    ),
    (
        "../frameworks/iso-42001.toml",
        include_str!("../../../assets/frameworks/iso-42001.toml"),
    ),
];

/// The bank this build ships with.
pub fn builtin_bank() -> Result<Bank, BankError> {
    Bank::load("bank.toml", |file| {
        builtin_bank_file(file)
            .map(str::to_owned)
            .ok_or("not part of the built-in bank")
    })
}

/// The text of one file of the built-in bank, by the path its `bank.toml` names it with (the
/// root file itself is `bank.toml`); `None` for any other path. For loading variants of the
/// built-in bank with [`Bank::load`] (the bank fuzz target and offline checks).
pub fn builtin_bank_file(path: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, text)| *text)
}

/// Loads a bank from its root file on disk (other files relative to it).
pub fn load_bank_file(root: &Path) -> Result<Bank, BankError> {
    let dir = root.parent().unwrap_or(Path::new("."));
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Bank::load(&name, |file| {
        let path = if file == name {
            root.to_path_buf()
        } else {
            dir.join(file)
        };
        std::fs::read_to_string(path)
    })
}
