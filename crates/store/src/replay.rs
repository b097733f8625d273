//! Replaying the audit trail against the data: the last event about each answer, vote, item
//! and sign-off must describe that row as it is now. The hash chain alone shows that no event
//! was edited; the replay shows that no row was edited, added or removed behind the trail's
//! back, and that the trail's last events were not cut off (the rows they changed would no
//! longer match the events left).

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

use crate::audit::{ANSWER_SNAPSHOT, AuditEvent, ITEM_SNAPSHOT, VOTE_SNAPSHOT};
use crate::finals::FINAL_SNAPSHOT;
use crate::soa::{SOA_APPROVAL_SNAPSHOT, SOA_SNAPSHOT};
use crate::{Result, Store, StoreError};

/// What the replay found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReplayCheck {
    /// Rows whose state is the one their last event recorded.
    pub matching: usize,
    /// Rows last written by a bundle import (which brings the sender's events separately).
    pub from_bundles: usize,
    /// Rows with no event at all, per kind: data from before the audit trail existed, or rows
    /// added behind its back (the two cannot be told apart, so they are counted and shown).
    pub unrecorded: BTreeMap<String, usize>,
    /// The first row that differs from the trail, in words.
    pub first_mismatch: Option<String>,
}

/// One row's identity as the trail names it.
type Key = (String, String);

impl Store {
    /// Compares every audited row with the last event about it.
    pub fn replay_audit_trail(&self) -> Result<ReplayCheck> {
        let mut last: BTreeMap<Key, AuditEvent> = BTreeMap::new();
        for event in self.audit_events("")? {
            last.insert((event.entity.clone(), event.entity_id.clone()), event);
        }
        let current = self.audited_rows()?;
        let imports = self.import_times()?;
        let keys: BTreeSet<&Key> = last.keys().chain(current.keys()).collect();
        let mut check = ReplayCheck::default();
        for key in keys {
            let event = last.get(key);
            let recorded = event
                .and_then(|e| e.after.as_deref())
                .map(parse)
                .transpose()?;
            let now = current.get(key);
            if recorded.as_ref() == now {
                check.matching += 1;
                continue;
            }
            let assessment = key.1.split('/').next().unwrap_or_default();
            let imported_since = imports.iter().any(|(id, at)| {
                (key.0 == "item" || id == assessment)
                    && event.is_none_or(|e| at.as_str() >= e.at.as_str())
            });
            if imported_since {
                check.from_bundles += 1;
                continue;
            }
            let Some(event) = event else {
                *check.unrecorded.entry(key.0.clone()).or_default() += 1;
                continue;
            };
            if check.first_mismatch.is_none() {
                check.first_mismatch = Some(format!(
                    "{} {} is not what the audit trail last recorded (event {}, {} by {}): the \
                     trail has {} and the database holds {}",
                    key.0,
                    key.1,
                    event.seq,
                    event.at,
                    event.actor,
                    shown(recorded.as_ref(), "that the row was removed"),
                    shown(now, "no such row")
                ));
            }
        }
        Ok(check)
    }

    /// Every audited row, as its events snapshot it.
    fn audited_rows(&self) -> Result<BTreeMap<Key, Value>> {
        let mut rows = BTreeMap::new();
        let answers: Vec<(String, String)> =
            self.pairs("SELECT assessment_id, question_id FROM answer")?;
        for (assessment, question) in answers {
            let snapshot = self.snapshot(ANSWER_SNAPSHOT, params![assessment, question])?;
            rows.extend(
                snapshot.map(|s| (("answer".to_owned(), format!("{assessment}/{question}")), s)),
            );
        }
        let mut stmt = self
            .conn
            .prepare("SELECT assessment_id, question_id, participant_id FROM vote")?;
        let votes = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (assessment, question, participant) in votes {
            let snapshot =
                self.snapshot(VOTE_SNAPSHOT, params![assessment, question, participant])?;
            let id = format!("{assessment}/{question}/{participant}");
            rows.extend(snapshot.map(|s| (("vote".to_owned(), id), s)));
        }
        let items: Vec<(String, String)> = self.pairs("SELECT id, id FROM governance_item")?;
        for (item, _) in items {
            let snapshot = self.snapshot(ITEM_SNAPSHOT, params![item])?;
            rows.extend(snapshot.map(|s| (("item".to_owned(), format!("item/{item}")), s)));
        }
        let finals: Vec<(String, String)> =
            self.pairs("SELECT assessment_id, assessment_id FROM assessment_final")?;
        for (assessment, _) in finals {
            let snapshot = self.snapshot(FINAL_SNAPSHOT, params![assessment])?;
            rows.extend(snapshot.map(|s| (("final".to_owned(), format!("{assessment}/final")), s)));
        }
        let decisions: Vec<(String, String)> =
            self.pairs("SELECT assessment_id, control_id FROM soa_decision")?;
        for (assessment, control) in decisions {
            let snapshot = self.snapshot(SOA_SNAPSHOT, params![assessment, control])?;
            let id = format!("{assessment}/soa/{control}");
            rows.extend(snapshot.map(|s| (("soa".to_owned(), id), s)));
        }
        let approvals: Vec<(String, String)> =
            self.pairs("SELECT assessment_id, id FROM soa_approval")?;
        for (assessment, approval) in approvals {
            let snapshot = self.snapshot(SOA_APPROVAL_SNAPSHOT, params![approval])?;
            let id = format!("{assessment}/soa_approval/{approval}");
            rows.extend(snapshot.map(|s| (("soa_approval".to_owned(), id), s)));
        }
        let assessments: Vec<(String, String)> =
            self.pairs("SELECT DISTINCT assessment_id, assessment_id FROM signoff")?;
        for (assessment, _) in assessments {
            for signoff in self.signoffs(&assessment)? {
                let value = serde_json::to_value(&signoff)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let id = format!("{assessment}/signoff/{}", signoff.id);
                rows.insert(("signoff".to_owned(), id), value);
            }
        }
        Ok(rows)
    }

    fn pairs(&self, sql: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn snapshot(&self, sql: &str, params: impl rusqlite::Params) -> Result<Option<Value>> {
        let json: Option<String> = self.conn.query_row(sql, params, |r| r.get(0)).optional()?;
        json.as_deref().map(parse).transpose()
    }

    /// When each assessment was last written by a bundle import.
    fn import_times(&self) -> Result<Vec<(String, String)>> {
        self.pairs("SELECT assessment_id, imported_at FROM bundle_import")
    }
}

fn parse(json: &str) -> Result<Value> {
    serde_json::from_str(json).map_err(|e| StoreError::Invalid(format!("audit snapshot: {e}")))
}

/// A row's state for a message: its JSON, cut at 240 characters; `absent` for no row.
fn shown(value: Option<&Value>, absent: &str) -> String {
    let Some(value) = value else {
        return absent.to_owned();
    };
    let text = value.to_string();
    match text.char_indices().nth(240) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}
