//! Writes of participants' votes: cast, replaced or withdrawn, each with its audit event.

use assay_assessment::{Vote, VoteValue};
use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::assessments::touch;
use crate::audit::{self, Change};
use crate::{Result, Store};

impl Store {
    /// Records (replacing) one participant's vote.
    pub fn upsert_vote(
        &mut self,
        assessment_id: &str,
        vote: &Vote,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        self.upsert_votes(assessment_id, std::slice::from_ref(vote), at, actor)
    }

    /// Withdraws a participant's vote on one question (and records that in the audit trail);
    /// `false` when there was none.
    pub fn withdraw_vote(
        &mut self,
        assessment_id: &str,
        question_id: &str,
        participant_id: &str,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let key: [&dyn rusqlite::ToSql; 3] = [&assessment_id, &question_id, &participant_id];
        let before = audit::snapshot(&tx, audit::VOTE_SNAPSHOT, &key)?;
        if before.is_none() {
            return Ok(false);
        }
        tx.execute(
            "DELETE FROM vote WHERE assessment_id = ?1 AND question_id = ?2 AND participant_id = ?3",
            params![assessment_id, question_id, participant_id],
        )?;
        let at_text = at.to_rfc3339();
        audit::append(
            &tx,
            &Change {
                at: &at_text,
                actor,
                entity: "vote",
                entity_id: format!("{assessment_id}/{question_id}/{participant_id}"),
                before,
                after: None,
            },
        )?;
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(true)
    }

    /// Records (replacing) several votes in one transaction, one audit event each: all of them
    /// or none, as a questionnaire import needs.
    pub fn upsert_votes(
        &mut self,
        assessment_id: &str,
        votes: &[Vote],
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for vote in votes {
            write_vote(&tx, assessment_id, vote, at, actor)?;
        }
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(())
    }
}

/// Writes one vote and its audit event inside the caller's transaction.
pub(crate) fn write_vote(
    tx: &rusqlite::Transaction<'_>,
    assessment_id: &str,
    vote: &Vote,
    at: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    let key: [&dyn rusqlite::ToSql; 3] = [&assessment_id, &vote.question_id, &vote.participant_id];
    let before = audit::snapshot(tx, audit::VOTE_SNAPSHOT, &key)?;
    let (level, not_applicable) = match vote.value {
        VoteValue::Level(level) => (Some(level.value()), 0),
        VoteValue::NotApplicable => (None, 1),
    };
    tx.execute(
        "INSERT INTO vote (assessment_id, question_id, participant_id, level, not_applicable, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (assessment_id, question_id, participant_id) DO UPDATE SET
             level = excluded.level, not_applicable = excluded.not_applicable,
             updated_at = excluded.updated_at",
        params![assessment_id, vote.question_id, vote.participant_id, level, not_applicable, at.to_rfc3339()],
    )?;
    let after = audit::snapshot(tx, audit::VOTE_SNAPSHOT, &key)?;
    let at_text = at.to_rfc3339();
    audit::append(
        tx,
        &Change {
            at: &at_text,
            actor,
            entity: "vote",
            entity_id: format!(
                "{assessment_id}/{}/{}",
                vote.question_id, vote.participant_id
            ),
            before,
            after,
        },
    )
}
