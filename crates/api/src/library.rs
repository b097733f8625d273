//! Question banks as data: the exact bank each assessment was taken with, and the banks a user
//! lists, imports and exports.
//!
//! A bank is named `id@version`. The database holds the canonical content of every bank an
//! assessment in it was taken with, so a build that ships newer banks still scores, reports,
//! diffs and bundles older assessments with theirs. A built-in bank is stored the first time an
//! assessment uses it; a file written before banks were stored gets the built-in content of
//! the version its assessments name when it is opened.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use assay_assessment::{
    Assessment, BANK_FILE_FORMAT, BANK_FILE_VERSION, Bank, BankError, BankFile, CanonicalBank,
};
use assay_store::{BankListing, BankOrigin};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::bank::{builtin_canonical, builtin_canonical_version, load_bank_file};
use crate::spreadsheets::{
    self, BankSheetError, read_bank_workbook, write_bank_workbook, xlsx_failed,
};
use crate::{ApiError, Assay, Result};

/// Larger bank files are refused unread (the built-in bank is about 0.2 MB).
pub const MAX_BANK_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Banks already read in this session, by id and version (stored content never changes).
#[derive(Debug, Default)]
pub(crate) struct BankCache(Mutex<BTreeMap<(String, String), Arc<CanonicalBank>>>);

impl BankCache {
    fn get(&self, id: &str, version: &str) -> Option<Arc<CanonicalBank>> {
        let cache = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.get(&(id.to_owned(), version.to_owned())).cloned()
    }

    fn put(&self, bank: CanonicalBank) -> Arc<CanonicalBank> {
        let bank = Arc::new(bank);
        let key = (bank.bank.id.clone(), bank.bank.version.clone());
        let mut cache = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.insert(key, Arc::clone(&bank));
        bank
    }
}

/// One bank as the library lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BankSummary {
    pub id: String,
    pub version: String,
    pub title: String,
    /// SHA-256 of the canonical content.
    pub digest: String,
    /// `builtin`, `imported` or `bundle`.
    pub origin: String,
    /// Whether this database holds its content (a built-in bank is stored once it is used).
    pub stored: bool,
    pub questions: usize,
    pub areas: usize,
    pub frameworks: Vec<String>,
    /// Assessments in this database taken with it.
    pub assessments: usize,
    /// The bank new assessments use unless told otherwise.
    pub is_default: bool,
    /// Earlier versions this bank can carry answers from.
    pub upgrades_from: Vec<String>,
}

impl BankSummary {
    fn new(
        bank: &CanonicalBank,
        origin: &str,
        listing: Option<&BankListing>,
        default: &Bank,
    ) -> Self {
        let b = &bank.bank;
        BankSummary {
            id: b.id.clone(),
            version: b.version.clone(),
            title: b.title.clone(),
            digest: bank.digest.to_string(),
            origin: origin.to_owned(),
            stored: listing.is_some(),
            questions: b.questions.len(),
            areas: b.areas().count(),
            frameworks: b.frameworks.iter().map(|f| f.name.clone()).collect(),
            assessments: listing.map_or(0, |l| l.assessments),
            is_default: b.id == default.id && b.version == default.version,
            upgrades_from: b.upgrades.iter().map(|u| u.from_version.clone()).collect(),
        }
    }
}

/// `id@version` split in two; a name without `@` means the newest version of that id.
fn split_name(name: &str) -> (&str, Option<&str>) {
    match name.trim().split_once('@') {
        Some((id, version)) => (id.trim(), Some(version.trim())),
        None => (name.trim(), None),
    }
}

/// Orders versions by their numeric parts (1.10.0 after 1.9.0), then as text.
fn version_key(version: &str) -> (Vec<u64>, String) {
    let numbers = version
        .split(['.', '-', '+'])
        .map_while(|part| part.parse::<u64>().ok())
        .collect();
    (numbers, version.to_owned())
}

impl Assay {
    /// The bank an assessment was taken with, whatever this build ships now.
    pub(crate) fn bank_for(&self, assessment: &Assessment) -> Result<Arc<CanonicalBank>> {
        self.bank_named(&assessment.bank_id, &assessment.bank_version)?
            .ok_or_else(|| ApiError::BankMismatch {
                id: assessment.bank_id.clone(),
                version: assessment.bank_version.clone(),
            })
    }

    /// The bank new assessments use unless told otherwise, in its canonical form.
    pub(crate) fn default_bank(&self) -> Arc<CanonicalBank> {
        Arc::clone(&self.default_bank)
    }

    /// The bank of one assessment (an id or a unique prefix), for showing its questions.
    pub fn assessment_bank(&self, assessment: &str) -> Result<Arc<CanonicalBank>> {
        let assessment = self.assessment(assessment)?;
        self.bank_for(&assessment)
    }

    /// A stored bank, else a built-in one; `None` when neither has `id@version`.
    pub(crate) fn bank_named(&self, id: &str, version: &str) -> Result<Option<Arc<CanonicalBank>>> {
        if let Some(bank) = self.banks.get(id, version) {
            return Ok(Some(bank));
        }
        if let Some(stored) = self.store.stored_bank(id, version)? {
            return Ok(Some(self.banks.put(stored)));
        }
        Ok(builtin_canonical_version(id, version).map(|bank| self.banks.put(bank.clone())))
    }

    /// A bank by `id@version` (or `id` for its newest version), stored or built in.
    pub fn find_bank(&self, name: &str) -> Result<Arc<CanonicalBank>> {
        let (id, version) = split_name(name);
        let version = match version {
            Some(version) => version.to_owned(),
            None => self
                .banks()?
                .into_iter()
                .filter(|b| b.id == id)
                .max_by_key(|b| version_key(&b.version))
                .map(|b| b.version)
                .ok_or_else(|| ApiError::UnknownBank(name.trim().to_owned()))?,
        };
        self.bank_named(id, &version)?
            .ok_or_else(|| ApiError::UnknownBank(format!("{id}@{version}")))
    }

    /// Stores `bank` unless the same content is stored already; refuses other content under the
    /// same id and version.
    pub(crate) fn store_bank(
        &mut self,
        bank: &CanonicalBank,
        origin: BankOrigin,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let stored = self
            .store
            .stored_bank_digest(&bank.bank.id, &bank.bank.version)?;
        match stored {
            Some(digest) if digest == bank.digest.as_str() => Ok(false),
            Some(digest) => Err(ApiError::BankConflict {
                name: bank.name(),
                stored: digest,
                offered: bank.digest.to_string(),
            }),
            None => {
                self.store.insert_bank(bank, origin, at)?;
                Ok(true)
            }
        }
    }

    /// Gives assessments of a file written before banks were stored the built-in content of the
    /// bank version they name. Versions this build does not ship stay unstored: scoring such an
    /// assessment reports a bank mismatch, as it always has.
    pub(crate) fn store_builtin_banks_in_use(&mut self) -> Result<()> {
        for (id, version) in self.store.unstored_banks_in_use()? {
            if let Some(bank) = builtin_canonical_version(&id, &version) {
                let now = self.clock.now();
                self.store_bank(bank, BankOrigin::Builtin, now)?;
            }
        }
        Ok(())
    }

    /// Every bank this database holds and every built-in one, by id then version.
    pub fn banks(&self) -> Result<Vec<BankSummary>> {
        let listings = self.store.list_banks()?;
        let mut out: Vec<BankSummary> = Vec::new();
        for listing in &listings {
            if let Some(bank) = self.bank_named(&listing.bank_id, &listing.version)? {
                out.push(BankSummary::new(
                    &bank,
                    listing.origin.as_str(),
                    Some(listing),
                    self.bank(),
                ));
            }
        }
        for bank in builtin_canonical() {
            let known = out
                .iter()
                .any(|b| b.id == bank.bank.id && b.version == bank.bank.version);
            if !known {
                out.push(BankSummary::new(bank, "builtin", None, self.bank()));
            }
        }
        out.sort_by(|a, b| {
            a.id.cmp(&b.id)
                .then(version_key(&a.version).cmp(&version_key(&b.version)))
        });
        Ok(out)
    }

    /// Imports a bank file (`.json` or `.xlsx` as exported, or a `bank.toml` authoring folder) into this
    /// database after checking every rule. The same content again is accepted and changes
    /// nothing; other content under an existing id and version is refused.
    pub fn import_bank(&mut self, path: &Path) -> Result<BankSummary> {
        let bank = read_bank_file(path)?;
        if let Some(builtin) = builtin_canonical_version(&bank.bank.id, &bank.bank.version)
            && builtin.digest != bank.digest
        {
            return Err(ApiError::BankConflict {
                name: bank.name(),
                stored: builtin.digest.to_string(),
                offered: bank.digest.to_string(),
            });
        }
        let now = self.clock.now();
        self.store_bank(&bank, BankOrigin::Imported, now)?;
        let listings = self.store.list_banks()?;
        let listing = listings
            .iter()
            .find(|l| l.bank_id == bank.bank.id && l.version == bank.bank.version);
        let origin = listing.map_or("imported", |l| l.origin.as_str());
        Ok(BankSummary::new(&bank, origin, listing, self.bank()))
    }

    /// Writes a bank to `path`: a `.json` bank file, an `.xlsx` workbook, or (for a path without
    /// an extension) its authoring folder of TOML files; `import_bank` reads each back to the
    /// same hash.
    pub fn export_bank(&self, name: &str, path: &Path) -> Result<()> {
        let bank = self.find_bank(name)?;
        write_bank_file(&bank, path)
    }
}

/// Reads and checks a bank from a `.json` bank file, an `.xlsx` bank workbook or a `bank.toml`
/// (or the folder holding it).
pub fn read_bank_file(path: &Path) -> Result<CanonicalBank> {
    let io = |e: std::io::Error| ApiError::Io(format!("{}: {e}", path.display()));
    if spreadsheets::is_workbook(path) {
        let file = spreadsheets::file_label(path);
        let bytes = spreadsheets::read_file(path, &file).map_err(ApiError::BankWorkbook)?;
        return bank_from_workbook(&bytes, &file);
    }
    let root = if path.is_dir() {
        path.join("bank.toml")
    } else {
        path.to_path_buf()
    };
    let is_toml = root
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if is_toml {
        return Ok(CanonicalBank::of(load_bank_file(&root)?));
    }
    let size = std::fs::metadata(&root).map_err(io)?.len();
    if size > MAX_BANK_FILE_BYTES {
        return Err(ApiError::Invalid(format!(
            "{} is {size} bytes; a bank file is at most {MAX_BANK_FILE_BYTES}",
            root.display()
        )));
    }
    let text = std::fs::read_to_string(&root).map_err(io)?;
    let source = root.file_name().map_or_else(
        || root.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let syntax = |e: serde_json::Error| BankError::Syntax {
        file: source.clone(),
        message: e.to_string(),
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(syntax)?;
    // A bank file carries its format; a bare bank (the `bank` member alone) is read too.
    let (bank, recorded): (Bank, _) = match value.get("format") {
        Some(format) => {
            if format.as_str() != Some(BANK_FILE_FORMAT) {
                return Err(ApiError::Invalid(format!(
                    "{source} is a `{format}` file, not an Assay bank file"
                )));
            }
            let version = value
                .get("format_version")
                .and_then(serde_json::Value::as_u64);
            if version.is_some_and(|v| v > u64::from(BANK_FILE_VERSION)) {
                return Err(ApiError::Invalid(format!(
                    "{source} uses bank file format {} and this version of Assay reads up to \
                     {BANK_FILE_VERSION}; upgrade Assay",
                    version.unwrap_or_default()
                )));
            }
            let file: BankFile = serde_json::from_value(value).map_err(syntax)?;
            (file.bank, file.sha256)
        }
        None => (serde_json::from_value(value).map_err(syntax)?, None),
    };
    let bank = bank.validated(&source)?;
    let canonical = CanonicalBank::of(bank);
    if let Some(recorded) = recorded
        && recorded != canonical.digest.as_str()
    {
        {
            return Err(ApiError::Invalid(format!(
                "{source} records SHA-256 {recorded} but its bank hashes to {}: the file was edited \
                 after export; remove the `sha256` line to import the edited bank under a new version",
                canonical.digest
            )));
        }
    }
    Ok(canonical)
}

/// A bank workbook's bytes read and checked; `file` names it in problems.
fn bank_from_workbook(bytes: &[u8], file: &str) -> Result<CanonicalBank> {
    match read_bank_workbook(bytes, file) {
        Ok(bank) => Ok(CanonicalBank::of(bank)),
        Err(BankSheetError::Sheet(error)) => Err(ApiError::BankWorkbook(error)),
        Err(BankSheetError::Bank(error)) => Err(ApiError::Bank(error)),
    }
}

fn write_bank_file(bank: &CanonicalBank, path: &Path) -> Result<()> {
    let io = |e: std::io::Error| ApiError::Io(format!("{}: {e}", path.display()));
    if spreadsheets::is_workbook(path) {
        let bytes = write_bank_workbook(&bank.bank).map_err(xlsx_failed)?;
        // A cell holds text, not structure: an evidence item with a line break or a clause id
        // with a comma would come back as something else. Reading the bytes back proves the
        // file gives this very bank, or says it cannot.
        let back = bank_from_workbook(&bytes, &spreadsheets::file_label(path))?;
        if back.digest != bank.digest {
            return Err(ApiError::Invalid(format!(
                "bank {} cannot be written as a workbook without changing it (a list item or a \
                 crosswalk rationale holds a line break, or an id a comma or a colon); export it \
                 as .json or as a folder",
                bank.name()
            )));
        }
        return std::fs::write(path, bytes).map_err(io);
    }
    if path.extension().is_none() {
        for (file, text) in bank.bank.to_files() {
            let target = path.join(&file);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::write(&target, text).map_err(io)?;
        }
        return Ok(());
    }
    let file = BankFile {
        format: BANK_FILE_FORMAT.to_owned(),
        format_version: BANK_FILE_VERSION,
        sha256: Some(bank.digest.to_string()),
        bank: bank.bank.clone(),
    };
    let text =
        serde_json::to_string_pretty(&file).map_err(|e| ApiError::Internal(e.to_string()))?;
    std::fs::write(path, text + "\n").map_err(io)
}
