//! The hash-chained audit trail. Events are appended inside the transaction of the change they
//! record, so a change and its event land together or not at all. Each event's hash is the
//! SHA-256 of its fields and the previous event's hash; [`Store::verify_audit_trail`] walks the
//! chain and names the first event that does not match.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::links::snapshot_json;
use crate::{Result, Store};

/// The hash the first event chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What changed, before it is hashed and stored.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A stored event, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainCheck {
    pub events: usize,
    /// The first event that breaks the chain, and how.
    pub first_broken: Option<(i64, String)>,
}

impl AuditEvent {
    /// Whether `hash` is the hash of this event's content and link; lets a bundle's carried
    /// events be checked one by one away from the chain they were recorded in.
    pub fn hash_matches(&self) -> bool {
        event_hash(self) == self.hash
    }
}

/// An event from a row of `seq, at, actor, entity, entity_id, before, after, prev_hash, hash`
/// (the audit trail's columns, and those of a bundle's carried events).
pub(crate) fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// SHA-256 of an event's fields and the previous hash (its own `hash` field is ignored).
fn event_hash(event: &AuditEvent) -> String {
    // A JSON array gives every field an unambiguous boundary.
    let canonical = serde_json::json!([
        event.seq,
        event.at,
        event.actor,
        event.entity,
        event.entity_id,
        event.before,
        event.after,
        event.prev_hash
    ]);
    Sha256::digest(canonical.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The JSON of a row as SQLite's `json_object` builds it; taken before and after a change with
/// the same query, so both sides of an event have the same shape.
pub(crate) fn snapshot(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Option<String>> {
    Ok(tx.query_row(sql, params, |r| r.get(0)).optional()?)
}

/// An answer as its audit events record it. `carried_from` appears only while it is set, so an
/// answer typed in the assessment snapshots exactly as it did before carried answers existed.
pub(crate) const ANSWER_SNAPSHOT: &str = concat!(
    "SELECT CASE WHEN carried_from IS NULL THEN base
        ELSE json_insert(base, '$.carried_from', json(carried_from)) END
    FROM (SELECT carried_from, json_object('level', level,
        'not_applicable', not_applicable, 'justification', justification, 'note', note,
        'confidence', confidence, 'evidence', (SELECT json_group_array(",
    snapshot_json!(),
    ") FROM (SELECT * FROM evidence_link e
        WHERE e.assessment_id = a.assessment_id AND e.question_id = a.question_id
        ORDER BY position))) AS base
    FROM answer a WHERE assessment_id = ?1 AND question_id = ?2)"
);

pub(crate) const VOTE_SNAPSHOT: &str = "SELECT json_object('level', level,
        'not_applicable', not_applicable)
    FROM vote WHERE assessment_id = ?1 AND question_id = ?2 AND participant_id = ?3";

pub(crate) const ITEM_SNAPSHOT: &str = concat!(
    "SELECT json_object('scope', scope,
        'assessment_id', assessment_id, 'title', title, 'description', description,
        'owner', owner, 'due_on', due_on, 'priority', priority, 'status', status,
        'accepted_by', accepted_by, 'acceptance_reason', acceptance_reason,
        'links', (SELECT json_group_array(kind || ':' || target) FROM (SELECT kind, target
            FROM governance_item_link l WHERE l.item_id = i.id ORDER BY kind, position)),
        'evidence', (SELECT json_group_array(",
    snapshot_json!(),
    ") FROM (SELECT * FROM governance_item_evidence v
            WHERE v.item_id = i.id ORDER BY position)))
    FROM governance_item i WHERE id = ?1"
);

/// Appends one event to the chain, inside the caller's transaction.
pub(crate) fn append(tx: &Transaction<'_>, change: &Change<'_>) -> Result<()> {
    if change.before == change.after {
        return Ok(()); // nothing changed: nothing to record
    }
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = last.map_or((1, GENESIS_HASH.to_owned()), |(s, h)| (s + 1, h));
    let mut event = AuditEvent {
        seq,
        at: change.at.to_owned(),
        actor: change.actor.to_owned(),
        entity: change.entity.to_owned(),
        entity_id: change.entity_id.clone(),
        before: change.before.clone(),
        after: change.after.clone(),
        prev_hash,
        hash: String::new(),
    };
    event.hash = event_hash(&event);
    let e = &event;
    tx.execute(
        "INSERT INTO audit_event (seq, at, actor, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![e.seq, e.at, e.actor, e.entity, e.entity_id, e.before, e.after, e.prev_hash, e.hash],
    )?;
    Ok(())
}

impl Store {
    /// Events about one entity id prefix (e.g. an assessment id), oldest first.
    pub fn audit_events(&self, entity_id_prefix: &str) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, entity, entity_id, before, after, prev_hash, hash FROM audit_event
             WHERE substr(entity_id, 1, length(?1)) = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([entity_id_prefix], event_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Walks the whole chain in order and reports the first event whose sequence, link or hash
    /// does not match.
    pub fn verify_audit_trail(&self) -> Result<ChainCheck> {
        let events = self.audit_events("")?;
        let mut expected_prev = GENESIS_HASH.to_owned();
        for (index, event) in events.iter().enumerate() {
            let expected_seq = i64::try_from(index).unwrap_or(i64::MAX) + 1;
            let problem = if event.seq != expected_seq {
                Some(format!(
                    "is numbered {} where {expected_seq} was expected (an event is missing)",
                    event.seq
                ))
            } else if event.prev_hash != expected_prev {
                Some("does not chain to the event before it".to_owned())
            } else {
                let recomputed = event_hash(event);
                (recomputed != event.hash)
                    .then(|| "was altered: its content does not match its hash".to_owned())
            };
            if let Some(problem) = problem {
                return Ok(ChainCheck {
                    events: events.len(),
                    first_broken: Some((event.seq, problem)),
                });
            }
            expected_prev = event.hash.clone();
        }
        Ok(ChainCheck {
            events: events.len(),
            first_broken: None,
        })
    }
}

impl Store {
    /// How many events there are about an assessment's answers and votes and about `items`,
    /// and the last one's sequence number and hash; sign-offs are left out. `None` with none.
    pub fn trail_head(
        &self,
        assessment_id: &str,
        items: &[String],
    ) -> Result<Option<(usize, i64, String)>> {
        let items =
            serde_json::to_string(items).map_err(|e| crate::StoreError::Invalid(e.to_string()))?;
        let head: Option<(i64, i64, String)> = self
            .conn
            .query_row(
                "WITH ours AS (SELECT seq, hash FROM audit_event
                     WHERE (substr(entity_id, 1, length(?1)) = ?1 AND entity <> 'signoff')
                        OR (entity = 'item'
                            AND entity_id IN (SELECT 'item/' || value FROM json_each(?2))))
                 SELECT (SELECT count(*) FROM ours), seq, hash FROM ours
                 ORDER BY seq DESC LIMIT 1",
                params![format!("{assessment_id}/"), items],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(head.map(|(events, seq, hash)| (usize::try_from(events).unwrap_or(0), seq, hash)))
    }

    /// The hash of the trail's first event, which tells this database's trail from another's;
    /// `None` while the trail is empty.
    pub fn trail_origin(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT hash FROM audit_event ORDER BY seq LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The event numbered `seq`, if the trail still holds it.
    pub fn audit_event(&self, seq: i64) -> Result<Option<AuditEvent>> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, at, actor, entity, entity_id, before, after, prev_hash, hash
                 FROM audit_event WHERE seq = ?1",
                [seq],
                event_row,
            )
            .optional()?)
    }
}
