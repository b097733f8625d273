//! Reads and writes of assessments and everything recorded in them.

use std::collections::BTreeMap;

use assay_assessment::{
    Answer, Assessment, Confidence, Level, Participant, Rating, Targets, Vote, VoteValue,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, params};

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, links, time};

/// One line of the assessment list.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentRow {
    pub id: String,
    pub scope: String,
    pub title: String,
    pub assessed_on: NaiveDate,
    pub bank_id: String,
    pub bank_version: String,
    pub participants: usize,
    pub answered: usize,
    pub updated_at: DateTime<Utc>,
}

/// What a target applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetScope<'a> {
    Default,
    Area(&'a str),
    Question(&'a str),
}

impl Store {
    /// Inserts a new assessment with its participants and targets in one transaction.
    pub fn insert_assessment(&mut self, assessment: &Assessment) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO assessment (id, scope, title, assessed_on, bank_id, bank_version,
                 default_target, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                assessment.id,
                assessment.scope,
                assessment.title,
                assessment.assessed_on.to_string(),
                assessment.bank_id,
                assessment.bank_version,
                assessment.targets.default.map(Level::value),
                assessment.created_at.to_rfc3339(),
                assessment.updated_at.to_rfc3339(),
            ],
        )?;
        for (position, participant) in (0..).zip(&assessment.participants) {
            insert_participant(&tx, &assessment.id, participant, position)?;
        }
        for (area, level) in &assessment.targets.areas {
            upsert_target(&tx, &assessment.id, "area", area, *level)?;
        }
        for (question, level) in &assessment.targets.questions {
            upsert_target(&tx, &assessment.id, "question", question, *level)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn list_assessments(&self) -> Result<Vec<AssessmentRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.scope, a.title, a.assessed_on, a.bank_id, a.bank_version, a.updated_at,
                    (SELECT count(*) FROM participant p WHERE p.assessment_id = a.id),
                    (SELECT count(*) FROM answer r WHERE r.assessment_id = a.id
                        AND (r.level IS NOT NULL OR r.not_applicable = 1))
             FROM assessment a ORDER BY a.scope, a.assessed_on, a.created_at, a.id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(AssessmentRow {
                id: row.get(0)?,
                scope: row.get(1)?,
                title: row.get(2)?,
                assessed_on: date(row, 3)?,
                bank_id: row.get(4)?,
                bank_version: row.get(5)?,
                updated_at: time::column(row, 6)?,
                participants: count(row, 7)?,
                answered: count(row, 8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of assessments starting with `prefix` (at most a few, for "did you mean").
    pub fn assessment_ids_with_prefix(&self, prefix: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM assessment WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 5",
        )?;
        let ids = stmt.query_map([prefix], |row| row.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// The whole assessment, or `None` when no assessment has this id.
    pub fn load_assessment(&self, id: &str) -> Result<Option<Assessment>> {
        let head = self
            .conn
            .query_row(
                "SELECT scope, title, assessed_on, bank_id, bank_version, default_target,
                        created_at, updated_at
                 FROM assessment WHERE id = ?1",
                [id],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        date(row, 2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, Option<u8>>(5)?,
                        time::column(row, 6)?,
                        time::column(row, 7)?,
                    ))
                },
            )
            .optional()?;
        let Some((scope, title, assessed_on, bank_id, bank_version, default, created, updated)) =
            head
        else {
            return Ok(None);
        };
        Ok(Some(Assessment {
            id: id.to_owned(),
            scope,
            title,
            assessed_on,
            bank_id,
            bank_version,
            participants: self.participants(id)?,
            targets: Targets {
                default: default.map(level).transpose()?,
                ..self.targets(id)?
            },
            answers: self.answers(id)?,
            votes: self.votes(id)?,
            created_at: created,
            updated_at: updated,
        }))
    }

    pub fn add_participant(
        &mut self,
        assessment_id: &str,
        participant: &Participant,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let position: i64 = tx.query_row(
            "SELECT count(*) FROM participant WHERE assessment_id = ?1",
            [assessment_id],
            |r| r.get(0),
        )?;
        insert_participant(&tx, assessment_id, participant, position)?;
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets (or with `None` clears) a target.
    pub fn set_target(
        &mut self,
        assessment_id: &str,
        scope: TargetScope<'_>,
        level: Option<Level>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        match scope {
            TargetScope::Default => {
                tx.execute(
                    "UPDATE assessment SET default_target = ?2 WHERE id = ?1",
                    params![assessment_id, level.map(Level::value)],
                )?;
            }
            TargetScope::Area(id) | TargetScope::Question(id) => {
                let kind = if matches!(scope, TargetScope::Area(_)) {
                    "area"
                } else {
                    "question"
                };
                match level {
                    Some(level) => upsert_target(&tx, assessment_id, kind, id, level)?,
                    None => {
                        tx.execute(
                            "DELETE FROM target
                             WHERE assessment_id = ?1 AND scope_kind = ?2 AND scope_id = ?3",
                            params![assessment_id, kind, id],
                        )?;
                    }
                }
            }
        }
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the whole answer to one question, evidence links included.
    pub fn put_answer(
        &mut self,
        assessment_id: &str,
        question_id: &str,
        answer: &Answer,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        self.put_answers(assessment_id, &[(question_id, answer)], at, actor)
    }

    /// Replaces several answers in one transaction, one audit event each: all of them or none.
    pub fn put_answers(
        &mut self,
        assessment_id: &str,
        answers: &[(&str, &Answer)],
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let at_text = at.to_rfc3339();
        for (question_id, answer) in answers {
            let key: [&dyn rusqlite::ToSql; 2] = [&assessment_id, question_id];
            let before = audit::snapshot(&tx, audit::ANSWER_SNAPSHOT, &key)?;
            write_answer(&tx, assessment_id, question_id, answer, at)?;
            let after = audit::snapshot(&tx, audit::ANSWER_SNAPSHOT, &key)?;
            audit::append(
                &tx,
                &Change {
                    at: &at_text,
                    actor,
                    entity: "answer",
                    entity_id: format!("{assessment_id}/{question_id}"),
                    before,
                    after,
                },
            )?;
        }
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn participants(&self, id: &str) -> Result<Vec<Participant>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, role FROM participant WHERE assessment_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Participant {
                id: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn targets(&self, id: &str) -> Result<Targets> {
        let mut stmt = self
            .conn
            .prepare("SELECT scope_kind, scope_id, level FROM target WHERE assessment_id = ?1")?;
        let mut targets = Targets::default();
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
            ))
        })?;
        for row in rows {
            let (kind, scope_id, value) = row?;
            let map = if kind == "area" {
                &mut targets.areas
            } else {
                &mut targets.questions
            };
            map.insert(scope_id, level(value)?);
        }
        Ok(targets)
    }

    pub(crate) fn answers(&self, id: &str) -> Result<BTreeMap<String, Answer>> {
        let mut stmt = self.conn.prepare(
            "SELECT question_id, level, not_applicable, justification, note, confidence,
                    carried_from
             FROM answer WHERE assessment_id = ?1",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<u8>>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut answers = BTreeMap::new();
        for row in rows {
            let (question, value, not_applicable, justification, note, confidence, carried) = row?;
            let carried = carried
                .map(|c| {
                    serde_json::from_str(&c)
                        .map_err(|e| StoreError::Invalid(format!("carried answer `{c}`: {e}")))
                })
                .transpose()?;
            let rating = match (value, not_applicable) {
                (Some(value), _) => Some(Rating::level(level(value)?)),
                (None, true) => Some(Rating::NotApplicable {
                    justification: justification.unwrap_or_default(),
                }),
                (None, false) => None,
            };
            let confidence = confidence
                .map(|c| Confidence::parse(&c).map_err(|e| StoreError::Invalid(e.to_string())))
                .transpose()?;
            answers.insert(
                question,
                Answer {
                    rating,
                    note,
                    confidence,
                    evidence: Vec::new(),
                    carried,
                },
            );
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT question_id, {} FROM evidence_link
                 WHERE assessment_id = ?1 ORDER BY question_id, position",
            links::COLUMNS
        ))?;
        let links = stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, links::read(r, 1)?)))?;
        for row in links {
            let (question, link) = row?;
            if let Some(answer) = answers.get_mut(&question) {
                answer.evidence.push(link?);
            }
        }
        Ok(answers)
    }

    fn votes(&self, id: &str) -> Result<Vec<Vote>> {
        let mut stmt = self.conn.prepare(
            "SELECT v.question_id, v.participant_id, v.level FROM vote v
             JOIN participant p ON p.assessment_id = v.assessment_id AND p.id = v.participant_id
             WHERE v.assessment_id = ?1 ORDER BY v.question_id, p.position",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<u8>>(2)?,
            ))
        })?;
        let mut votes = Vec::new();
        for row in rows {
            let (question_id, participant_id, value) = row?;
            let value = match value {
                Some(value) => VoteValue::Level(level(value)?),
                None => VoteValue::NotApplicable,
            };
            votes.push(Vote {
                question_id,
                participant_id,
                value,
            });
        }
        Ok(votes)
    }
}

/// Writes one answer row and its evidence links (no audit event: the caller decides).
pub(crate) fn write_answer(
    tx: &rusqlite::Transaction<'_>,
    assessment_id: &str,
    question_id: &str,
    answer: &Answer,
    at: DateTime<Utc>,
) -> Result<()> {
    let (level, not_applicable, justification) = match &answer.rating {
        Some(Rating::Level { level }) => (Some(level.value()), 0, None),
        Some(Rating::NotApplicable { justification }) => (None, 1, Some(justification.as_str())),
        None => (None, 0, None),
    };
    // A plain struct of strings: it always serialises.
    let carried = answer
        .carried
        .as_ref()
        .map(|c| serde_json::to_string(c).unwrap_or_default());
    tx.execute(
        "INSERT INTO answer (assessment_id, question_id, level, not_applicable, justification,
             note, confidence, updated_at, carried_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (assessment_id, question_id) DO UPDATE SET
             level = excluded.level, not_applicable = excluded.not_applicable,
             justification = excluded.justification, note = excluded.note,
             confidence = excluded.confidence, updated_at = excluded.updated_at,
             carried_from = excluded.carried_from",
        params![
            assessment_id,
            question_id,
            level,
            not_applicable,
            justification,
            answer.note,
            answer.confidence.map(Confidence::as_str),
            at.to_rfc3339(),
            carried,
        ],
    )?;
    tx.execute(
        "DELETE FROM evidence_link WHERE assessment_id = ?1 AND question_id = ?2",
        [assessment_id, question_id],
    )?;
    for (position, link) in (0i64..).zip(&answer.evidence) {
        let [kind, target, label, at, by, sha, as_of] = links::values(link);
        tx.execute(
            &format!(
                "INSERT INTO evidence_link (assessment_id, question_id, position, {})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                links::COLUMNS
            ),
            params![
                assessment_id,
                question_id,
                position,
                kind,
                target,
                label,
                at,
                by,
                sha,
                as_of
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn insert_participant(
    tx: &rusqlite::Transaction<'_>,
    assessment_id: &str,
    participant: &Participant,
    position: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO participant (assessment_id, id, name, role, position) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![assessment_id, participant.id, participant.name, participant.role, position],
    )?;
    Ok(())
}

pub(crate) fn upsert_target(
    tx: &rusqlite::Transaction<'_>,
    assessment_id: &str,
    kind: &str,
    scope_id: &str,
    level: Level,
) -> Result<()> {
    tx.execute(
        "INSERT INTO target (assessment_id, scope_kind, scope_id, level) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (assessment_id, scope_kind, scope_id) DO UPDATE SET level = excluded.level",
        params![assessment_id, kind, scope_id, level.value()],
    )?;
    Ok(())
}

pub(crate) fn touch(
    tx: &rusqlite::Transaction<'_>,
    assessment_id: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE assessment SET updated_at = ?2 WHERE id = ?1",
        params![assessment_id, at.to_rfc3339()],
    )?;
    Ok(())
}

fn count(row: &Row<'_>, index: usize) -> rusqlite::Result<usize> {
    let value: i64 = row.get(index)?;
    usize::try_from(value).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Integer,
            Box::new(e),
        )
    })
}

pub(crate) fn level(value: u8) -> Result<Level> {
    Level::new(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn date(row: &Row<'_>, index: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = row.get(index)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}
