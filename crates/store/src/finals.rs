//! Finalised assessments: the report model kept as it stood, and the state (final or reopened)
//! with who changed it and when. Each change is an audit event of entity `final`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, time};

/// An assessment's finalisation, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FinalState {
    /// Final now; `false` while reopened.
    pub is_final: bool,
    pub finalised_at: DateTime<Utc>,
    pub finalised_by: String,
    /// The data hash of the kept report model: what sign-offs of the final version bind to.
    pub model_sha256: String,
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopened: Option<Reopening>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reopening {
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

/// The row as its audit events record it (the kept model is covered by its hash).
pub(crate) const FINAL_SNAPSHOT: &str = "SELECT json_object('status', status,
        'finalised_at', finalised_at, 'finalised_by', finalised_by, 'model_sha256', model_sha256,
        'reopened_at', reopened_at, 'reopened_by', reopened_by, 'reopen_reason', reopen_reason)
    FROM assessment_final WHERE assessment_id = ?1";

impl Store {
    /// Finalises an assessment with its report model (canonical JSON) and that model's data
    /// hash; finalising again after a reopening replaces the kept model.
    pub fn finalise(
        &mut self,
        assessment_id: &str,
        model_json: &str,
        model_sha256: &str,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let key: [&dyn rusqlite::ToSql; 1] = [&assessment_id];
        let before = audit::snapshot(&tx, FINAL_SNAPSHOT, &key)?;
        let at_text = at.to_rfc3339();
        tx.execute(
            "INSERT INTO assessment_final (assessment_id, status, finalised_at, finalised_by,
                 model_json, model_sha256) VALUES (?1, 'final', ?2, ?3, ?4, ?5)
             ON CONFLICT (assessment_id) DO UPDATE SET status = 'final',
                 finalised_at = excluded.finalised_at, finalised_by = excluded.finalised_by,
                 model_json = excluded.model_json, model_sha256 = excluded.model_sha256,
                 reopened_at = NULL, reopened_by = NULL, reopen_reason = NULL",
            params![assessment_id, at_text, actor, model_json, model_sha256],
        )?;
        let after = audit::snapshot(&tx, FINAL_SNAPSHOT, &key)?;
        audit::append(
            &tx,
            &final_change(assessment_id, &at_text, actor, before, after),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Reopens a finalised assessment, saying why.
    pub fn reopen(
        &mut self,
        assessment_id: &str,
        reason: &str,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let key: [&dyn rusqlite::ToSql; 1] = [&assessment_id];
        let before = audit::snapshot(&tx, FINAL_SNAPSHOT, &key)?;
        let at_text = at.to_rfc3339();
        tx.execute(
            "UPDATE assessment_final SET status = 'reopened', reopened_at = ?2, reopened_by = ?3,
                 reopen_reason = ?4 WHERE assessment_id = ?1",
            params![assessment_id, at_text, actor, reason],
        )?;
        let after = audit::snapshot(&tx, FINAL_SNAPSHOT, &key)?;
        audit::append(
            &tx,
            &final_change(assessment_id, &at_text, actor, before, after),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The assessment's finalisation, if it was ever finalised.
    pub fn final_state(&self, assessment_id: &str) -> Result<Option<FinalState>> {
        let row = self
            .conn
            .query_row(
                "SELECT status, finalised_at, finalised_by, model_sha256, reopened_at,
                     reopened_by, reopen_reason FROM assessment_final WHERE assessment_id = ?1",
                [assessment_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((status, at, by, sha, reopened_at, reopened_by, reason)) = row else {
            return Ok(None);
        };
        let reopened = match reopened_at {
            Some(at) => Some(Reopening {
                at: parse_time(&at)?,
                by: reopened_by.unwrap_or_default(),
                reason: reason.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(Some(FinalState {
            is_final: status == "final",
            finalised_at: parse_time(&at)?,
            finalised_by: by,
            model_sha256: sha,
            reopened,
        }))
    }

    /// The report model kept when the assessment was last finalised (canonical JSON).
    pub fn final_model(&self, assessment_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT model_json FROM assessment_final WHERE assessment_id = ?1",
                [assessment_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

fn final_change<'a>(
    assessment_id: &str,
    at: &'a str,
    actor: &'a str,
    before: Option<String>,
    after: Option<String>,
) -> Change<'a> {
    Change {
        at,
        actor,
        entity: "final",
        entity_id: format!("{assessment_id}/final"),
        before,
        after,
    }
}

fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    time::parse(text).map_err(|e| StoreError::Invalid(format!("finalisation time: {e}")))
}
