//! A bank's identity: its content as canonical JSON and the SHA-256 of that text.
//!
//! The canonical form is the bank serialised by serde_json without whitespace: struct fields in
//! declaration order, maps sorted by key, fields added after a bank was released left out while
//! empty. So a bank keeps its hash across builds, and the stored text is what gets hashed, never
//! a re-serialisation of it.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Bank, BankError};

/// Lower-case hex SHA-256 of a bank's canonical JSON.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct BankDigest(pub String);

impl BankDigest {
    pub fn of(canonical_json: &str) -> BankDigest {
        let digest = Sha256::digest(canonical_json.as_bytes());
        BankDigest(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 hex digits, enough to tell banks apart on screen.
    pub fn short(&self) -> &str {
        self.0.get(..12).unwrap_or(&self.0)
    }
}

impl std::fmt::Display for BankDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A bank together with the exact text it is stored and exchanged as, and that text's hash.
#[derive(Debug, Clone, PartialEq)]
pub struct CanonicalBank {
    pub bank: Bank,
    pub json: String,
    pub digest: BankDigest,
}

impl CanonicalBank {
    /// The canonical form of a bank just loaded from its files.
    pub fn of(bank: Bank) -> CanonicalBank {
        // A Bank holds only strings, integers, lists and sorted maps: it always serialises.
        let json = serde_json::to_string(&bank).unwrap_or_default();
        let digest = BankDigest::of(&json);
        CanonicalBank { bank, json, digest }
    }

    /// Reads back stored or received text, refusing it when it does not hash to `expected` or
    /// is not the canonical form of the bank it describes.
    pub fn read(json: &str, expected: &str) -> Result<CanonicalBank, BankError> {
        let digest = BankDigest::of(json);
        let invalid = |problem: String| BankError::Invalid {
            file: format!("bank content {}", short(expected)),
            problem,
        };
        if digest.as_str() != expected {
            return Err(invalid(format!(
                "the content hashes to {}, not to the hash it was recorded with",
                digest.short()
            )));
        }
        let bank: Bank =
            serde_json::from_str(json).map_err(|e| invalid(format!("unreadable content: {e}")))?;
        Ok(CanonicalBank {
            bank,
            json: json.to_owned(),
            digest,
        })
    }

    /// `id@version`, the name people use for a bank.
    pub fn name(&self) -> String {
        format!("{}@{}", self.bank.id, self.bank.version)
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
