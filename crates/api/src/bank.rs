//! The question banks shipped inside the binary, and loading another one from disk.
//!
//! Every folder `assets/banks/<id>/<version>/` holding a `bank.toml` is a built-in bank. A
//! released folder never changes: assessments taken with it keep scoring with it, and
//! `crates/api/tests/builtin_banks.rs` pins each one's content hash.

use std::path::Path;

use std::sync::OnceLock;

use assay_assessment::{Bank, BankError, CanonicalBank};
use include_dir::{Dir, include_dir};

static BANKS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/banks");

/// The bank id new assessments use unless told otherwise.
pub const DEFAULT_BANK_ID: &str = "assay-mlops";
/// The version of [`DEFAULT_BANK_ID`] new assessments use unless told otherwise.
pub const DEFAULT_BANK_VERSION: &str = "2.3.0";

/// Every bank this build ships with, in folder order (id, then version as written).
pub fn builtin_banks() -> Result<Vec<Bank>, BankError> {
    builtin_bank_folders()
        .map(|(id, version)| builtin_bank_version(id, version))
        .collect()
}

/// Every built-in bank in canonical form, parsed once per process (they are part of the binary).
/// A bank folder that fails to load is left out here; [`builtin_banks`] reports its error, and
/// `crates/api/tests/builtin_banks.rs` keeps every one loading.
pub fn builtin_canonical() -> &'static [CanonicalBank] {
    static BANKS: OnceLock<Vec<CanonicalBank>> = OnceLock::new();
    BANKS.get_or_init(|| {
        builtin_bank_folders()
            .filter_map(|(id, version)| builtin_bank_version(id, version).ok())
            .map(CanonicalBank::of)
            .collect()
    })
}

/// One built-in bank in canonical form, if this build ships `id@version`.
pub fn builtin_canonical_version(id: &str, version: &str) -> Option<&'static CanonicalBank> {
    builtin_canonical()
        .iter()
        .find(|b| b.bank.id == id && b.bank.version == version)
}

/// The bank new assessments are taken with by default.
pub fn builtin_bank() -> Result<Bank, BankError> {
    builtin_bank_version(DEFAULT_BANK_ID, DEFAULT_BANK_VERSION)
}

/// One built-in bank by its folder names; [`BankError::Read`] when the build has no such bank.
pub fn builtin_bank_version(id: &str, version: &str) -> Result<Bank, BankError> {
    Bank::load("bank.toml", |file| {
        builtin_file(id, version, file)
            .map(str::to_owned)
            .ok_or("not part of the built-in bank")
    })
}

/// The text of one file of the default built-in bank, by the path its `bank.toml` names it with
/// (the root file itself is `bank.toml`); `None` for any other path. For loading variants of
/// the built-in bank with [`Bank::load`] (the bank fuzz target and malformed-file tests).
pub fn builtin_bank_file(path: &str) -> Option<&'static str> {
    builtin_file(DEFAULT_BANK_ID, DEFAULT_BANK_VERSION, path)
}

/// The relative paths of every file of the default built-in bank, `bank.toml` first.
pub fn builtin_bank_paths() -> Vec<String> {
    let Some(root) = BANKS.get_dir(format!("{DEFAULT_BANK_ID}/{DEFAULT_BANK_VERSION}")) else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    collect_files(root, &mut paths);
    let prefix = format!("{DEFAULT_BANK_ID}/{DEFAULT_BANK_VERSION}/");
    let mut relative: Vec<String> = paths
        .iter()
        .filter_map(|p| p.strip_prefix(&prefix).map(str::to_owned))
        .filter(|p| p.ends_with(".toml"))
        .collect();
    relative.sort_by_key(|p| (p != "bank.toml", p.clone()));
    relative
}

fn collect_files(dir: &Dir<'static>, out: &mut Vec<String>) {
    for file in dir.files() {
        out.push(file.path().to_string_lossy().into_owned());
    }
    for sub in dir.dirs() {
        collect_files(sub, out);
    }
}

fn builtin_bank_folders() -> impl Iterator<Item = (&'static str, &'static str)> {
    BANKS.dirs().flat_map(|bank| {
        bank.dirs().filter_map(|version| {
            version.get_file(version.path().join("bank.toml"))?;
            let id = bank.path().file_name()?.to_str()?;
            let version = version.path().file_name()?.to_str()?;
            Some((id, version))
        })
    })
}

fn builtin_file(id: &str, version: &str, path: &str) -> Option<&'static str> {
    // `Path::join` would let `../` in a bank's file list reach another bank's folder.
    if path.split('/').any(|part| part == ".." || part.is_empty()) {
        return None;
    }
    BANKS
        .get_file(format!("{id}/{version}/{path}"))
        .and_then(|file| file.contents_utf8())
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
