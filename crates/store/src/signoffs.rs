//! Reads and writes of sign-offs.

use assay_assessment::governance::Decision;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, time};

/// A named, dated decision on an assessment's report, bound to the hash of its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignoffRecord {
    pub id: String,
    pub assessment_id: String,
    pub name: String,
    pub role: String,
    pub decision: Decision,
    pub comment: String,
    pub signed_on: NaiveDate,
    pub data_hash: String,
    pub created_at: DateTime<Utc>,
    /// The report model version whose data hash this is. Left out of the JSON when 1, so that
    /// sign-offs recorded before the field existed snapshot as they did.
    #[serde(
        default = "first_model_version",
        skip_serializing_if = "is_first_model_version"
    )]
    #[cfg_attr(feature = "ts", ts(type = "number | undefined", optional))]
    pub model_version: u32,
    /// The end of the audit trail about the assessment and its register when the sign-off was
    /// given; `None` for sign-offs given before sign-offs recorded it (and left out of the JSON,
    /// so that they snapshot as they did).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub trail: Option<TrailPoint>,
}

/// A point of the audit trail: how many events concern an assessment and its register up to
/// it, the last one's number and hash in the database's chain, and the hash of that chain's
/// first event, which tells one database's trail from another's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrailPoint {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    pub hash: String,
    pub origin: String,
}

fn first_model_version() -> u32 {
    1
}

fn is_first_model_version(version: &u32) -> bool {
    *version == 1
}

/// A sign-off's trail point as its four nullable columns (events, seq, hash, origin).
pub(crate) fn trail_columns(
    trail: Option<&TrailPoint>,
) -> (Option<i64>, Option<i64>, Option<&str>, Option<&str>) {
    match trail {
        Some(t) => (
            Some(i64::try_from(t.events).unwrap_or(i64::MAX)),
            Some(t.seq),
            Some(t.hash.as_str()),
            Some(t.origin.as_str()),
        ),
        None => (None, None, None, None),
    }
}

impl Store {
    /// Records a sign-off (and its audit event) in one transaction; sign-offs are never edited.
    pub fn add_signoff(&mut self, signoff: &SignoffRecord, actor: &str) -> Result<()> {
        let trail = trail_columns(signoff.trail.as_ref());
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO signoff (id, assessment_id, name, role, decision, comment, signed_on,
                 data_hash, created_at, model_version, trail_events, trail_seq, trail_hash,
                 trail_origin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                signoff.id,
                signoff.assessment_id,
                signoff.name,
                signoff.role,
                signoff.decision.as_str(),
                signoff.comment,
                signoff.signed_on.to_string(),
                signoff.data_hash,
                signoff.created_at.to_rfc3339(),
                signoff.model_version,
                trail.0,
                trail.1,
                trail.2,
                trail.3,
            ],
        )?;
        let after =
            serde_json::to_string(signoff).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let at = signoff.created_at.to_rfc3339();
        let entity_id = format!("{}/signoff/{}", signoff.assessment_id, signoff.id);
        audit::append(
            &tx,
            &Change {
                at: &at,
                actor,
                entity: "signoff",
                entity_id,
                before: None,
                after: Some(after),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn signoffs(&self, assessment_id: &str) -> Result<Vec<SignoffRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, assessment_id, name, role, decision, comment, signed_on, data_hash, created_at,
                 model_version, trail_events, trail_seq, trail_hash, trail_origin FROM signoff
                 WHERE assessment_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([assessment_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, u32>(9)?,
                (
                    r.get::<_, Option<i64>>(10)?,
                    r.get::<_, Option<i64>>(11)?,
                    r.get::<_, Option<String>>(12)?,
                    r.get::<_, Option<String>>(13)?,
                ),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                assessment_id,
                name,
                role,
                decision,
                comment,
                signed_on,
                data_hash,
                created_at,
                model_version,
                trail,
            ) = row?;
            let decision = Decision::parse(&decision)
                .map_err(|e| StoreError::Invalid(format!("sign-off decision: {e}")))?;
            let signed_on = signed_on
                .parse()
                .map_err(|e| StoreError::Invalid(format!("sign-off date: {e}")))?;
            let created_at = time::parse(&created_at)
                .map_err(|e| StoreError::Invalid(format!("sign-off time: {e}")))?;
            out.push(SignoffRecord {
                id,
                assessment_id,
                name,
                role,
                decision,
                comment,
                signed_on,
                data_hash,
                created_at,
                model_version,
                trail: match trail {
                    (Some(events), Some(seq), Some(hash), Some(origin)) => Some(TrailPoint {
                        events: usize::try_from(events).unwrap_or(0),
                        seq,
                        hash,
                        origin,
                    }),
                    _ => None,
                },
            });
        }
        Ok(out)
    }
}
