//! Bundles: one assessment as a single JSON file, to move it between machines and to merge
//! two facilitators' copies.
//!
//! A bundle is `{format, schema_version, exported_at, exported_by, content_hash, content, bank}`.
//! `content_hash` is the SHA-256 of the content's JSON, so a damaged or edited file is caught.
//! `bank` is the full question bank the assessment was taken with, so a receiver whose build
//! does not ship it can still score it; the content names the bank's SHA-256, which the carried
//! bank must match. Bundles written before banks were stored carry none: the receiver's copy of
//! the named bank version is used.
//! Bundles hold no tracker tokens: those live only in the OS keyring.

mod checks;
mod merge;

use std::path::Path;

use assay_assessment::CanonicalBank;
use assay_store::{BankOrigin, BundleContent, ImportMode, ImportRecord};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use merge::{Conflict, ConflictKind, merge};

use crate::{ApiError, Assay, Result};

/// The `format` field of every bundle.
pub const BUNDLE_FORMAT: &str = "assay-bundle";
/// The bundle schema this build writes and the newest it reads.
pub const BUNDLE_SCHEMA_VERSION: u32 = 1;
/// Larger files are refused before they are read.
pub const MAX_BUNDLE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub format: String,
    pub schema_version: u32,
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    /// SHA-256 (hex) of `content` serialised as compact JSON.
    pub content_hash: String,
    pub content: BundleContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<BundledBank>,
    /// The end of the audit trail about the assessment and its register at export, so that
    /// `assay verify BUNDLE --db` detects a trail cut back after it (its origin tells the
    /// database it came from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail: Option<assay_store::TrailPoint>,
}

/// The question bank a bundle carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundledBank {
    /// SHA-256 of the bank's canonical JSON.
    pub sha256: String,
    pub content: assay_assessment::Bank,
}

impl Bundle {
    pub fn new(
        content: BundleContent,
        bank: Option<&CanonicalBank>,
        exported_at: DateTime<Utc>,
        exported_by: &str,
    ) -> Bundle {
        Bundle {
            format: BUNDLE_FORMAT.to_owned(),
            schema_version: BUNDLE_SCHEMA_VERSION,
            exported_at,
            exported_by: exported_by.to_owned(),
            content_hash: content_hash(&content),
            content,
            bank: bank.map(|b| BundledBank {
                sha256: b.digest.to_string(),
                content: b.bank.clone(),
            }),
            trail: None,
        }
    }

    /// The bank the bundle carries, checked: every rule of the bank format, its hash, and the
    /// hash and version the content names. `None` for a bundle that carries none.
    pub fn carried_bank(&self) -> Result<Option<CanonicalBank>> {
        let Some(carried) = &self.bank else {
            return Ok(None);
        };
        let bank = carried
            .content
            .validated("the bundle's question bank")
            .map_err(|e| invalid(&e.to_string()))?;
        let bank = CanonicalBank::of(bank);
        let head = &self.content.assessment;
        if bank.digest.as_str() != carried.sha256 {
            return Err(invalid(
                "its question bank does not match the bank's hash (the bank was damaged or edited)",
            ));
        }
        if head.bank_digest.as_deref() != Some(carried.sha256.as_str())
            || head.bank_id != bank.bank.id
            || head.bank_version != bank.bank.version
        {
            return Err(invalid(
                "the question bank it carries is not the one its assessment names",
            ));
        }
        Ok(Some(bank))
    }

    /// The file's text: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        // Plain structs of strings, numbers and maps always serialise.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Parses and checks a bundle: format, schema version, checksum, the bank it carries, then
    /// the content itself (duplicate ids, dangling references, the events' hashes, text
    /// limits) against the carried bank, or `bank` when it carries none.
    pub fn parse(text: &str, bank: &assay_assessment::Bank) -> Result<Bundle> {
        let bundle = Bundle::parse_unchecked(text)?;
        match bundle.carried_bank()? {
            Some(carried) => checks::check_content(&bundle.content, &carried.bank)?,
            None => checks::check_content(&bundle.content, bank)?,
        }
        Ok(bundle)
    }

    /// The checks of [`Bundle::parse`] up to the checksum; the caller checks the content
    /// against the right bank with [`Bundle::check_content`].
    pub fn parse_unchecked(text: &str) -> Result<Bundle> {
        if text.trim().is_empty() {
            return Err(invalid("it is empty"));
        }
        let value: serde_json::Value = serde_json::from_str(text).map_err(json_problem)?;
        let format = value.get("format").and_then(|f| f.as_str());
        if format != Some(BUNDLE_FORMAT) {
            return Err(invalid(
                "it is not an Assay bundle (no `format: assay-bundle`)",
            ));
        }
        let version = value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| invalid("it has no schema version"))?;
        if version > u64::from(BUNDLE_SCHEMA_VERSION) {
            return Err(ApiError::BundleTooNew {
                found: version,
                supported: BUNDLE_SCHEMA_VERSION,
            });
        }
        if version == 0 {
            return Err(invalid("schema version 0 does not exist"));
        }
        let bundle: Bundle = serde_json::from_value(value).map_err(|e| {
            invalid(&format!(
                "its content does not have the expected shape: {e}"
            ))
        })?;
        if content_hash(&bundle.content) != bundle.content_hash {
            return Err(invalid(
                "its content does not match its checksum (the file was damaged or edited)",
            ));
        }
        Ok(bundle)
    }

    /// Checks the content against the bank it was taken with.
    pub fn check_content(&self, bank: &assay_assessment::Bank) -> Result<()> {
        checks::check_content(&self.content, bank)
    }

    /// Reads a bundle file up to its checksum (see [`Bundle::parse_unchecked`]).
    pub fn read(path: &Path) -> Result<Bundle> {
        let shown = path.display();
        let size = std::fs::metadata(path)
            .map_err(|e| ApiError::Io(format!("cannot read {shown}: {e}")))?
            .len();
        if size > MAX_BUNDLE_BYTES {
            return Err(invalid(&format!(
                "{shown} is {} MiB; bundles are at most {} MiB",
                size / (1024 * 1024),
                MAX_BUNDLE_BYTES / (1024 * 1024)
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| ApiError::Io(format!("cannot read {shown}: {e}")))?;
        let text =
            String::from_utf8(bytes).map_err(|_| invalid(&format!("{shown} is not UTF-8 text")))?;
        // An editor may have saved the file with a byte-order mark; JSON readers may ignore it.
        Bundle::parse_unchecked(text.strip_prefix('\u{feff}').unwrap_or(&text))
    }
}

/// SHA-256 (hex) of the content's compact JSON; struct fields serialise in declaration order
/// and lists are kept sorted, so equal content always hashes the same.
pub fn content_hash(content: &BundleContent) -> String {
    let bytes = serde_json::to_vec(content).unwrap_or_default();
    format!("{:x}", Sha256::digest(bytes))
}

/// Writes a bundle file atomically (a temporary file renamed into place).
pub fn write_bundle(path: &Path, bundle: &Bundle) -> Result<()> {
    crate::reports::write_atomically(path, bundle.to_json().as_bytes())
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportOutcome {
    pub assessment_id: String,
    pub mode: ImportMode,
    pub bundle_hash: String,
    pub participants: usize,
    pub answers: usize,
    pub votes: usize,
    pub items: usize,
    pub events: usize,
    /// Where both sides changed the same thing (merge only); ours was kept.
    pub conflicts: Vec<Conflict>,
}

/// The outcome of merging two bundle files.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedBundle {
    pub bundle: Bundle,
    pub conflicts: Vec<Conflict>,
}

impl Assay {
    /// One assessment (full id or unique prefix) as a bundle.
    pub fn export_bundle(&self, assessment: &str) -> Result<Bundle> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let trail = self.trail_point(&current.id, &current.scope)?;
        let id = current.id;
        let mut content = self
            .store
            .bundle_content(&id)?
            .ok_or(ApiError::AssessmentNotFound(id))?;
        content.assessment.bank_digest = Some(bank.digest.to_string());
        let bank = Some(bank);
        let mut bundle = Bundle::new(content, bank.as_deref(), self.clock.now(), &self.actor);
        bundle.trail = trail;
        Ok(bundle)
    }

    /// Writes the bundle to `path` (atomically: a temporary file renamed into place).
    pub fn export_bundle_file(&self, assessment: &str, path: &Path) -> Result<Bundle> {
        let bundle = self.export_bundle(assessment)?;
        write_bundle(path, &bundle)?;
        Ok(bundle)
    }

    /// Imports a bundle. An assessment this database does not have is added as it is; one it
    /// has is merged with the bundle (every vote kept; conflicts listed, ours kept).
    /// Nothing is written when the bundle is refused.
    pub fn import_bundle(&mut self, bundle: &Bundle) -> Result<ImportOutcome> {
        let bank = self.bank_of_bundle(bundle)?;
        bundle.check_content(&bank.bank)?;
        let id = bundle.content.assessment.id.clone();
        let (content, mode, conflicts) = match self.store.bundle_content(&id)? {
            None => (bundle.content.clone(), ImportMode::New, Vec::new()),
            Some(ours) => {
                // Merging would change a finalised assessment's answers and votes.
                self.ensure_open(&id)?;
                let (merged, conflicts) = merge(&ours, &bundle.content)?;
                (merged, ImportMode::Merge, conflicts)
            }
        };
        let record = ImportRecord {
            imported_at: self.clock.now(),
            actor: self.actor.clone(),
            mode,
            bundle_hash: bundle.content_hash.clone(),
            exported_at: bundle.exported_at,
            exported_by: bundle.exported_by.clone(),
            conflicts: conflicts.len(),
        };
        let origin = if bundle.bank.is_some() {
            BankOrigin::Bundle
        } else {
            BankOrigin::Builtin
        };
        // After the import, so a refused bundle leaves no bank behind either.
        self.store.import_bundle(&content, &record)?;
        self.store_bank(&bank, origin, record.imported_at)?;
        Ok(ImportOutcome {
            assessment_id: id,
            mode,
            bundle_hash: bundle.content_hash.clone(),
            participants: content.participants.len(),
            answers: content.answers.len(),
            votes: content.votes.len(),
            items: content.items.len(),
            events: content.events.len(),
            conflicts,
        })
    }

    pub fn import_bundle_file(&mut self, path: &Path) -> Result<ImportOutcome> {
        let bundle = Bundle::read(path)?;
        self.import_bundle(&bundle)
    }

    /// Merges two bundle files of the same assessment into a new bundle, without touching the
    /// database. `ours` wins where both changed the same thing; the conflicts say where.
    pub fn merge_bundle_files(&self, ours: &Path, theirs: &Path) -> Result<MergedBundle> {
        let ours = Bundle::read(ours)?;
        let theirs = Bundle::read(theirs)?;
        let bank = self.bank_of_bundle(&ours)?;
        ours.check_content(&bank.bank)?;
        theirs.check_content(&self.bank_of_bundle(&theirs)?.bank)?;
        let (content, conflicts) = merge(&ours.content, &theirs.content)?;
        Ok(MergedBundle {
            bundle: Bundle::new(content, Some(&bank), self.clock.now(), &self.actor),
            conflicts,
        })
    }

    /// The bank a bundle's assessment was taken with: the one it carries, else this database's
    /// or this build's copy of the version it names. A carried bank whose id and version are
    /// stored here with other content is refused.
    fn bank_of_bundle(&self, bundle: &Bundle) -> Result<std::sync::Arc<CanonicalBank>> {
        let head = &bundle.content.assessment;
        let known = self.bank_named_in(&bundle.content)?;
        match (bundle.carried_bank()?, known) {
            (Some(carried), Some(known)) if known.digest != carried.digest => {
                Err(ApiError::BankConflict {
                    name: carried.name(),
                    stored: known.digest.to_string(),
                    offered: carried.digest.to_string(),
                })
            }
            (Some(carried), _) => Ok(std::sync::Arc::new(carried)),
            (None, Some(known)) => Ok(known),
            (None, None) => Err(ApiError::BankMismatch {
                id: head.bank_id.clone(),
                version: head.bank_version.clone(),
            }),
        }
    }

    /// This database's or this build's copy of the bank a bundle's content names.
    fn bank_named_in(
        &self,
        content: &BundleContent,
    ) -> Result<Option<std::sync::Arc<CanonicalBank>>> {
        let head = &content.assessment;
        self.bank_named(&head.bank_id, &head.bank_version)
    }
}

fn invalid(reason: &str) -> ApiError {
    ApiError::InvalidBundle(reason.to_owned())
}

fn json_problem(error: serde_json::Error) -> ApiError {
    if error.is_eof() {
        invalid(&format!(
            "the file ends early, at line {} (it was cut short)",
            error.line()
        ))
    } else {
        invalid(&format!(
            "it is not valid JSON (line {}, column {})",
            error.line(),
            error.column()
        ))
    }
}
