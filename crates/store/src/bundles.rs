//! The rows of one assessment, read out for a bundle and written back from one.
//!
//! A bundle carries the assessment's audit history. Those events were chained on the machine
//! that recorded them, so they cannot join this database's chain; they are kept verbatim in
//! `bundle_event` (append-only) and each import is logged in `bundle_import`.

use std::collections::HashSet;

use assay_assessment::governance::GovernanceItem;
use assay_assessment::{Answer, Level, Participant, VoteValue};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};

use crate::assessments::{insert_participant, upsert_target, write_answer};
use crate::evidence::{EvidenceRecord, restore_evidence};
use crate::items::write_item;
use crate::{AuditEvent, Result, SignoffRecord, Store, StoreError, time};

/// The assessment's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentHead {
    pub id: String,
    pub scope: String,
    pub title: String,
    pub assessed_on: NaiveDate,
    pub bank_id: String,
    pub bank_version: String,
    /// SHA-256 of the bank's content, binding the bank a bundle carries to its content hash.
    /// Absent from bundles written before banks were stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_digest: Option<String>,
    pub default_target: Option<Level>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Area,
    Question,
}

impl TargetKind {
    fn as_str(self) -> &'static str {
        match self {
            TargetKind::Area => "area",
            TargetKind::Question => "question",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRecord {
    pub kind: TargetKind,
    pub scope_id: String,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub question_id: String,
    pub answer: Answer,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRecord {
    pub question_id: String,
    pub participant_id: String,
    pub value: VoteValue,
    pub updated_at: DateTime<Utc>,
}

/// Everything a bundle holds about one assessment, in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleContent {
    pub assessment: AssessmentHead,
    /// In the order they joined.
    pub participants: Vec<Participant>,
    /// By kind, then scope id.
    pub targets: Vec<TargetRecord>,
    /// By question id.
    pub answers: Vec<AnswerRecord>,
    /// By question id, then participant id.
    pub votes: Vec<VoteRecord>,
    /// Register items raised in this assessment, by id.
    pub items: Vec<GovernanceItem>,
    pub signoffs: Vec<SignoffRecord>,
    /// The history: events carried in by earlier imports first, then this database's own.
    pub events: Vec<AuditEvent>,
    /// Tracker evidence linked to the assessment's scope, frozen with its import log.
    #[serde(default)]
    pub evidence: Vec<EvidenceRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// The assessment was not in this database.
    New,
    /// The assessment was replaced by the merge of its rows and the bundle's.
    Merge,
}

impl ImportMode {
    fn as_str(self) -> &'static str {
        match self {
            ImportMode::New => "new",
            ImportMode::Merge => "merge",
        }
    }
}

/// One line of the import log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord {
    pub imported_at: DateTime<Utc>,
    pub actor: String,
    pub mode: ImportMode,
    pub bundle_hash: String,
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    pub conflicts: usize,
}

impl Store {
    /// Reads one assessment's bundle content, or `None` when there is no such assessment.
    pub fn bundle_content(&self, assessment_id: &str) -> Result<Option<BundleContent>> {
        let Some(assessment) = self.load_assessment(assessment_id)? else {
            return Ok(None);
        };
        let bank_digest = self.stored_bank_digest(&assessment.bank_id, &assessment.bank_version)?;
        let head = AssessmentHead {
            id: assessment.id.clone(),
            scope: assessment.scope,
            title: assessment.title,
            assessed_on: assessment.assessed_on,
            bank_id: assessment.bank_id,
            bank_version: assessment.bank_version,
            bank_digest,
            default_target: assessment.targets.default,
            created_at: assessment.created_at,
            updated_at: assessment.updated_at,
        };
        let mut targets: Vec<TargetRecord> = Vec::new();
        for (kind, map) in [
            (TargetKind::Area, &assessment.targets.areas),
            (TargetKind::Question, &assessment.targets.questions),
        ] {
            targets.extend(map.iter().map(|(id, level)| TargetRecord {
                kind,
                scope_id: id.clone(),
                level: *level,
            }));
        }
        let answered_at = self.row_times(
            "SELECT question_id, updated_at FROM answer WHERE assessment_id = ?1",
            assessment_id,
        )?;
        let answers = assessment
            .answers
            .into_iter()
            .map(|(question_id, answer)| {
                let updated_at = lookup_time(&answered_at, &question_id)?;
                Ok(AnswerRecord {
                    question_id,
                    answer,
                    updated_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let voted_at = self.row_times(
            "SELECT question_id || '/' || participant_id, updated_at FROM vote
             WHERE assessment_id = ?1",
            assessment_id,
        )?;
        let mut votes = assessment
            .votes
            .into_iter()
            .map(|vote| {
                let key = format!("{}/{}", vote.question_id, vote.participant_id);
                Ok(VoteRecord {
                    updated_at: lookup_time(&voted_at, &key)?,
                    question_id: vote.question_id,
                    participant_id: vote.participant_id,
                    value: vote.value,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        votes.sort_by(|a, b| {
            (&a.question_id, &a.participant_id).cmp(&(&b.question_id, &b.participant_id))
        });
        let mut items: Vec<GovernanceItem> = self
            .list_items(None)?
            .into_iter()
            .filter(|item| item.assessment_id.as_deref() == Some(assessment_id))
            .collect();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        let events = self.assessment_events(assessment_id, &items)?;
        let mut evidence = Vec::new();
        for source in self.evidence_sources()? {
            if self.evidence_scopes(&source)?.contains(&head.scope) {
                evidence.push(self.evidence_record(&source)?);
            }
        }
        Ok(Some(BundleContent {
            assessment: head,
            participants: assessment.participants,
            targets,
            answers,
            votes,
            items,
            signoffs: self.signoffs(assessment_id)?,
            events,
            evidence,
        }))
    }

    /// Writes a bundle's content in one transaction. With [`ImportMode::Merge`] the assessment's
    /// current rows are replaced (the caller has merged them into `content`); its register items
    /// are updated in place. Carried events that are already kept are not repeated.
    pub fn import_bundle(&mut self, content: &BundleContent, record: &ImportRecord) -> Result<()> {
        let id = &content.assessment.id;
        let tx = self.conn.transaction()?;
        if record.mode == ImportMode::Merge {
            tx.execute("DELETE FROM assessment WHERE id = ?1", [id])?;
        }
        let head = &content.assessment;
        tx.execute(
            "INSERT INTO assessment (id, scope, title, assessed_on, bank_id, bank_version,
                 default_target, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                head.id,
                head.scope,
                head.title,
                head.assessed_on.to_string(),
                head.bank_id,
                head.bank_version,
                head.default_target.map(Level::value),
                head.created_at.to_rfc3339(),
                head.updated_at.to_rfc3339(),
            ],
        )?;
        for (position, participant) in (0i64..).zip(&content.participants) {
            insert_participant(&tx, id, participant, position)?;
        }
        for target in &content.targets {
            upsert_target(
                &tx,
                id,
                target.kind.as_str(),
                &target.scope_id,
                target.level,
            )?;
        }
        for record in &content.answers {
            write_answer(
                &tx,
                id,
                &record.question_id,
                &record.answer,
                record.updated_at,
            )?;
        }
        for vote in &content.votes {
            let (level, not_applicable) = match vote.value {
                VoteValue::Level(level) => (Some(level.value()), 0),
                VoteValue::NotApplicable => (None, 1),
            };
            tx.execute(
                "INSERT INTO vote (assessment_id, question_id, participant_id, level,
                     not_applicable, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    vote.question_id,
                    vote.participant_id,
                    level,
                    not_applicable,
                    vote.updated_at.to_rfc3339()
                ],
            )?;
        }
        for item in &content.items {
            write_item(&tx, item)?;
        }
        for signoff in &content.signoffs {
            let trail = crate::signoffs::trail_columns(signoff.trail.as_ref());
            tx.execute(
                "INSERT INTO signoff (id, assessment_id, name, role, decision, comment,
                     signed_on, data_hash, created_at, model_version, trail_events, trail_seq,
                     trail_hash, trail_origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    signoff.id,
                    id,
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
        }
        keep_carried_events(&tx, id, &content.events)?;
        for record in &content.evidence {
            restore_evidence(&tx, record, &head.scope)?;
        }
        tx.execute(
            "INSERT INTO bundle_import (assessment_id, imported_at, actor, mode, bundle_hash,
                 exported_at, exported_by, conflicts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                record.imported_at.to_rfc3339(),
                record.actor,
                record.mode.as_str(),
                record.bundle_hash,
                record.exported_at.to_rfc3339(),
                record.exported_by,
                i64::try_from(record.conflicts).unwrap_or(i64::MAX),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The imports of one assessment, oldest first.
    pub fn bundle_imports(&self, assessment_id: &str) -> Result<Vec<ImportRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT imported_at, actor, mode, bundle_hash, exported_at, exported_by, conflicts
             FROM bundle_import WHERE assessment_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([assessment_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (imported_at, actor, mode, bundle_hash, exported_at, exported_by, conflicts) = row?;
            records.push(ImportRecord {
                imported_at: time::read(&imported_at)?,
                actor,
                mode: if mode == "merge" {
                    ImportMode::Merge
                } else {
                    ImportMode::New
                },
                bundle_hash,
                exported_at: time::read(&exported_at)?,
                exported_by,
                conflicts: usize::try_from(conflicts).unwrap_or_default(),
            });
        }
        Ok(records)
    }

    /// Carried events first (in the order they arrived), then this database's own events about
    /// the assessment, its sign-offs and its items that are not carried already.
    fn assessment_events(
        &self,
        assessment_id: &str,
        items: &[GovernanceItem],
    ) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, entity, entity_id, before, after, prev_hash, hash
             FROM bundle_event WHERE assessment_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([assessment_id], crate::audit::event_row)?;
        let mut events = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut seen: HashSet<String> = events.iter().map(|e| e.hash.clone()).collect();
        let mut local = self.audit_events(&format!("{assessment_id}/"))?;
        for item in items {
            let entity_id = format!("item/{}", item.id);
            let about_item = self.audit_events(&entity_id)?;
            local.extend(about_item.into_iter().filter(|e| e.entity_id == entity_id));
        }
        local.sort_by_key(|e| e.seq);
        for event in local {
            if seen.insert(event.hash.clone()) {
                events.push(event);
            }
        }
        Ok(events)
    }

    fn row_times(
        &self,
        sql: &str,
        assessment_id: &str,
    ) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([assessment_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn keep_carried_events(
    tx: &Transaction<'_>,
    assessment_id: &str,
    events: &[AuditEvent],
) -> Result<()> {
    let mut next: i64 = tx.query_row(
        "SELECT coalesce(max(position), 0) FROM bundle_event WHERE assessment_id = ?1",
        [assessment_id],
        |r| r.get(0),
    )?;
    for event in events {
        let kept: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM bundle_event WHERE assessment_id = ?1 AND hash = ?2)",
            params![assessment_id, event.hash],
            |r| r.get(0),
        )?;
        if kept {
            continue;
        }
        next += 1;
        tx.execute(
            "INSERT INTO bundle_event (assessment_id, position, seq, at, actor, entity, entity_id,
                 before, after, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                assessment_id,
                next,
                event.seq,
                event.at,
                event.actor,
                event.entity,
                event.entity_id,
                event.before,
                event.after,
                event.prev_hash,
                event.hash
            ],
        )?;
    }
    Ok(())
}

fn lookup_time(
    times: &std::collections::HashMap<String, String>,
    key: &str,
) -> Result<DateTime<Utc>> {
    let text = times
        .get(key)
        .ok_or_else(|| StoreError::Invalid(format!("no time recorded for {key}")))?;
    time::read(text)
}
