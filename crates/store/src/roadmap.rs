//! The team's effort estimates for the roadmap to the next level.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::{Result, Store};

impl Store {
    /// Effort estimates by question id: "small", "medium" or "large".
    pub fn roadmap_efforts(&self, assessment_id: &str) -> Result<BTreeMap<String, String>> {
        let mut statement = self
            .conn
            .prepare("SELECT question_id, effort FROM roadmap_effort WHERE assessment_id = ?1")?;
        let rows = statement
            .query_map([assessment_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<BTreeMap<String, String>>>()?;
        Ok(rows)
    }

    /// Sets a question's estimate, or with `None` forgets it (back to the guess).
    pub fn set_roadmap_effort(
        &mut self,
        assessment_id: &str,
        question_id: &str,
        effort: Option<&str>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        match effort {
            Some(effort) => self.conn.execute(
                "INSERT INTO roadmap_effort (assessment_id, question_id, effort, set_at, set_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (assessment_id, question_id) DO UPDATE SET effort = excluded.effort,
                     set_at = excluded.set_at, set_by = excluded.set_by",
                params![assessment_id, question_id, effort, at.to_rfc3339(), actor],
            )?,
            None => self.conn.execute(
                "DELETE FROM roadmap_effort WHERE assessment_id = ?1 AND question_id = ?2",
                params![assessment_id, question_id],
            )?,
        };
        Ok(())
    }
}
