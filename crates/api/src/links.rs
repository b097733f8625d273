//! Evidence links as people add them: checked like any other user text, stamped with who added
//! them and when, and a linked file fingerprinted so that a later change to it shows.

use std::fs::File;
use std::io;
use std::path::Path;

use assay_assessment::{EvidenceKind, EvidenceLink, LinkProvenance};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::actions::{long_text, short_text};
use crate::{ApiError, Assay, Result};

/// Whether a linked file still has the bytes it had when it was linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    Unchanged,
    /// Readable, with other bytes: the evidence is stale.
    Changed,
    /// Not found or not readable on this machine.
    Missing,
    /// Linked before digests were recorded: nothing to compare with.
    NoDigest,
}

/// One file linked as evidence to an answer or a register item, checked against its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkedFile {
    /// The question id, or the register item's id, the file is linked to.
    pub linked_to: String,
    pub path: String,
    pub recorded_sha256: Option<String>,
    pub state: FileState,
}

/// SHA-256 (hex) of the file at `path`, read in chunks so a large file is not held in memory.
pub(crate) fn file_sha256(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    io::copy(&mut File::open(path)?, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

impl Assay {
    /// `link` as it is stored: reference and label checked, web links limited to http(s),
    /// a file link's file read and fingerprinted, and the provenance set here whatever the
    /// caller sent.
    pub(crate) fn new_evidence_link(&self, link: EvidenceLink) -> Result<EvidenceLink> {
        let target = long_text(&link.target, "evidence reference")?;
        link.check_target()?;
        let label = link
            .label
            .as_deref()
            .map(|l| short_text(l, "evidence label"))
            .transpose()?;
        let sha256 = match link.kind {
            EvidenceKind::File => Some(file_sha256(Path::new(&target)).map_err(|e| {
                ApiError::Invalid(format!(
                    "evidence file `{target}` cannot be read ({e}); link a file that exists on \
                     this machine, so its SHA-256 can be recorded"
                ))
            })?),
            EvidenceKind::Url | EvidenceKind::Tracker => None,
        };
        if let Some(as_of) = link.as_of
            && as_of > self.clock.now().date_naive()
        {
            return Err(ApiError::Invalid(format!(
                "the evidence is dated {as_of}, after today: give the day the fact was true"
            )));
        }
        Ok(EvidenceLink {
            kind: link.kind,
            target,
            label,
            as_of: link.as_of,
            provenance: Some(LinkProvenance {
                added_at: self.clock.now(),
                added_by: self.actor.clone(),
                sha256,
            }),
        })
    }

    /// Every file linked as evidence to the assessment's answers or to the register items of
    /// its scope, each compared with the digest recorded when it was linked.
    pub fn check_linked_files(&self, assessment: &str) -> Result<Vec<LinkedFile>> {
        let current = self.assessment(assessment)?;
        let items = self.list_items(Some(&current.scope), false)?;
        let answer_links = current
            .answers
            .iter()
            .flat_map(|(question, answer)| answer.evidence.iter().map(move |l| (question, l)));
        let item_links = items
            .iter()
            .flat_map(|view| view.item.evidence.iter().map(move |l| (&view.item.id, l)));
        Ok(answer_links
            .chain(item_links)
            .filter(|(_, link)| link.kind == EvidenceKind::File)
            .map(|(linked_to, link)| {
                let recorded = link.provenance.as_ref().and_then(|p| p.sha256.clone());
                let state = match (&recorded, file_sha256(Path::new(&link.target))) {
                    (_, Err(_)) => FileState::Missing,
                    (None, Ok(_)) => FileState::NoDigest,
                    (Some(then), Ok(now)) if *then == now => FileState::Unchanged,
                    (Some(_), Ok(_)) => FileState::Changed,
                };
                LinkedFile {
                    linked_to: linked_to.clone(),
                    path: link.target.clone(),
                    recorded_sha256: recorded,
                    state,
                }
            })
            .collect())
    }
}
