//! Changes to an assessment's participants after it was created: a new name, or two entries
//! for one person merged into one (as when someone joined a live room twice).

use assay_assessment::{Level, Vote, VoteValue};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::assessments::touch;
use crate::audit::{self, Change};
use crate::votes::write_vote;
use crate::{Result, Store};

/// What merging one participant into another did to the votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeCounts {
    /// Votes moved to the participant kept, which had none on those questions.
    pub moved: usize,
    /// Votes withdrawn because the participant kept had already voted on those questions.
    pub superseded: usize,
}

/// Where a live room stood on an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomPosition {
    pub question_id: String,
    pub revealed: bool,
}

impl Store {
    pub fn rename_participant(
        &mut self,
        assessment_id: &str,
        participant_id: &str,
        name: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE participant SET name = ?3 WHERE assessment_id = ?1 AND id = ?2",
            params![assessment_id, participant_id, name],
        )?;
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(())
    }

    /// Folds participant `from` into `into` in one transaction: each vote of `from` moves to
    /// `into` where `into` has none on that question and is withdrawn where it has (the vote
    /// kept is `into`'s), every change with its audit event; then `from` is removed.
    pub fn merge_participant(
        &mut self,
        assessment_id: &str,
        from: &str,
        into: &str,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<MergeCounts> {
        let tx = self.conn.transaction()?;
        let votes_of = |participant: &str| -> Result<Vec<(String, Option<u8>)>> {
            let mut statement = tx.prepare(
                "SELECT question_id, level FROM vote
                 WHERE assessment_id = ?1 AND participant_id = ?2 ORDER BY question_id",
            )?;
            let rows = statement
                .query_map(params![assessment_id, participant], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        };
        let kept: std::collections::BTreeSet<String> =
            votes_of(into)?.into_iter().map(|(q, _)| q).collect();
        let mut counts = MergeCounts {
            moved: 0,
            superseded: 0,
        };
        let at_text = at.to_rfc3339();
        for (question, level) in votes_of(from)? {
            if !kept.contains(&question) {
                let value = match level.map(Level::new) {
                    Some(Ok(level)) => VoteValue::Level(level),
                    _ => VoteValue::NotApplicable,
                };
                let vote = Vote {
                    question_id: question.clone(),
                    participant_id: into.to_owned(),
                    value,
                };
                write_vote(&tx, assessment_id, &vote, at, actor)?;
                counts.moved += 1;
            } else {
                counts.superseded += 1;
            }
            let key: [&dyn rusqlite::ToSql; 3] = [&assessment_id, &question, &from];
            let before = audit::snapshot(&tx, audit::VOTE_SNAPSHOT, &key)?;
            tx.execute(
                "DELETE FROM vote WHERE assessment_id = ?1 AND question_id = ?2 AND participant_id = ?3",
                params![assessment_id, question, from],
            )?;
            audit::append(
                &tx,
                &Change {
                    at: &at_text,
                    actor,
                    entity: "vote",
                    entity_id: format!("{assessment_id}/{question}/{from}"),
                    before,
                    after: None,
                },
            )?;
        }
        let position: i64 = tx.query_row(
            "SELECT position FROM participant WHERE assessment_id = ?1 AND id = ?2",
            params![assessment_id, from],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM participant WHERE assessment_id = ?1 AND id = ?2",
            params![assessment_id, from],
        )?;
        // Keep positions dense, so the next participant added goes last.
        tx.execute(
            "UPDATE participant SET position = position - 1
             WHERE assessment_id = ?1 AND position > ?2",
            params![assessment_id, position],
        )?;
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(counts)
    }

    pub fn room_position(&self, assessment_id: &str) -> Result<Option<RoomPosition>> {
        Ok(self
            .conn
            .query_row(
                "SELECT question_id, revealed FROM room_position WHERE assessment_id = ?1",
                [assessment_id],
                |r| {
                    Ok(RoomPosition {
                        question_id: r.get(0)?,
                        revealed: r.get::<_, i64>(1)? == 1,
                    })
                },
            )
            .optional()?)
    }

    pub fn set_room_position(
        &mut self,
        assessment_id: &str,
        position: &RoomPosition,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO room_position (assessment_id, question_id, revealed, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (assessment_id) DO UPDATE SET question_id = excluded.question_id,
                 revealed = excluded.revealed, updated_at = excluded.updated_at",
            params![
                assessment_id,
                position.question_id,
                i64::from(position.revealed),
                at.to_rfc3339()
            ],
        )?;
        Ok(())
    }
}
