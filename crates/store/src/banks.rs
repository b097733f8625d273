//! Stored question banks: the content every assessment in the file was taken with.

use assay_assessment::{BankError, CanonicalBank};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::{Result, Store, StoreError, time};

/// Where a stored bank came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankOrigin {
    /// Shipped with a build of Assay.
    Builtin,
    /// Imported from a bank file by a user.
    Imported,
    /// Arrived inside a bundle.
    Bundle,
}

impl BankOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            BankOrigin::Builtin => "builtin",
            BankOrigin::Imported => "imported",
            BankOrigin::Bundle => "bundle",
        }
    }

    fn parse(text: &str) -> Option<BankOrigin> {
        [
            BankOrigin::Builtin,
            BankOrigin::Imported,
            BankOrigin::Bundle,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
}

/// One stored bank, without its content.
#[derive(Debug, Clone, PartialEq)]
pub struct BankListing {
    pub bank_id: String,
    pub version: String,
    pub digest: String,
    pub title: String,
    pub origin: BankOrigin,
    pub stored_at: DateTime<Utc>,
    /// Assessments in this file taken with it.
    pub assessments: usize,
}

impl Store {
    /// The stored bank `id@version`, checked against its recorded hash.
    pub fn stored_bank(&self, id: &str, version: &str) -> Result<Option<CanonicalBank>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT content, digest FROM bank WHERE bank_id = ?1 AND version = ?2",
                params![id, version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(content, digest)| read_stored(&content, &digest))
            .transpose()
    }

    /// The digest recorded for `id@version`, without reading the content.
    pub fn stored_bank_digest(&self, id: &str, version: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT digest FROM bank WHERE bank_id = ?1 AND version = ?2",
                params![id, version],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Stores a bank. The caller has checked that no other content is stored under the same id
    /// and version; the table refuses it anyway. The row records where the bank came from and
    /// when, and triggers keep it from changing; the audit trail's events are about answers,
    /// votes, items and sign-offs only.
    pub fn insert_bank(
        &mut self,
        bank: &CanonicalBank,
        origin: BankOrigin,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let at = at.to_rfc3339();
        tx.execute(
            "INSERT INTO bank (bank_id, version, digest, title, content, origin, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                bank.bank.id,
                bank.bank.version,
                bank.digest.as_str(),
                bank.bank.title,
                bank.json,
                origin.as_str(),
                at
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every stored bank, by id then version as stored.
    pub fn list_banks(&self) -> Result<Vec<BankListing>> {
        let mut statement = self.conn.prepare(
            "SELECT b.bank_id, b.version, b.digest, b.title, b.origin, b.stored_at,
                    (SELECT count(*) FROM assessment a
                     WHERE a.bank_id = b.bank_id AND a.bank_version = b.version)
             FROM bank b ORDER BY b.bank_id, b.stored_at, b.version",
        )?;
        let rows = statement.query_map([], |r| {
            let origin: String = r.get(4)?;
            Ok(BankListing {
                bank_id: r.get(0)?,
                version: r.get(1)?,
                digest: r.get(2)?,
                title: r.get(3)?,
                origin: BankOrigin::parse(&origin).unwrap_or(BankOrigin::Imported),
                stored_at: time::column(r, 5)?,
                assessments: r.get::<_, i64>(6)?.try_into().unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (bank id, version) pairs that assessments use but that are not stored: files written
    /// before banks were stored, whose assessments get the built-in content on open.
    pub fn unstored_banks_in_use(&self) -> Result<Vec<(String, String)>> {
        let mut statement = self.conn.prepare(
            "SELECT DISTINCT a.bank_id, a.bank_version FROM assessment a
             WHERE NOT EXISTS (SELECT 1 FROM bank b
                               WHERE b.bank_id = a.bank_id AND b.version = a.bank_version)
             ORDER BY 1, 2",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stored banks whose content no longer hashes to their recorded digest (edited in SQL).
    pub fn banks_with_wrong_digest(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare("SELECT bank_id, version, content, digest FROM bank ORDER BY 1, 2")?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut wrong = Vec::new();
        for row in rows {
            let (id, version, content, digest) = row?;
            if read_stored(&content, &digest).is_err() {
                wrong.push(format!("{id}@{version}"));
            }
        }
        Ok(wrong)
    }
}

fn read_stored(content: &str, digest: &str) -> Result<CanonicalBank> {
    CanonicalBank::read(content, digest).map_err(|e: BankError| StoreError::Invalid(e.to_string()))
}
