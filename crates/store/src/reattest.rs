//! How long an assessment's evidence stays current before it must be attested again.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::{Result, Store};

impl Store {
    /// The assessment's re-attestation period in days, if one is set.
    pub fn reattest_period(&self, assessment_id: &str) -> Result<Option<u32>> {
        Ok(self
            .conn
            .query_row(
                "SELECT days FROM reattest_period WHERE assessment_id = ?1",
                [assessment_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets the period, or with `None` clears it.
    pub fn set_reattest_period(
        &mut self,
        assessment_id: &str,
        days: Option<u32>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        match days {
            Some(days) => self.conn.execute(
                "INSERT INTO reattest_period (assessment_id, days, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (assessment_id) DO UPDATE SET days = excluded.days,
                     updated_at = excluded.updated_at",
                params![assessment_id, days, at.to_rfc3339()],
            )?,
            None => self.conn.execute(
                "DELETE FROM reattest_period WHERE assessment_id = ?1",
                [assessment_id],
            )?,
        };
        Ok(())
    }
}
