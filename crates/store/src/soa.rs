//! The team's Statement of Applicability decisions, each change with its audit event.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::assessments::touch;
use crate::audit::{self, Change};
use crate::{Result, Store};

/// One control's decision as stored; `drivers` is a JSON array of driver names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaDecisionRecord {
    pub included: bool,
    pub justification: String,
    pub drivers: String,
    pub owner: Option<String>,
}

/// A management approval of a statement, bound to the content hash it was given for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaApprovalRecord {
    pub id: String,
    pub assessment_id: String,
    pub name: String,
    pub role: String,
    /// `approve`, `approve_with_conditions` or `reject`.
    pub decision: String,
    pub comment: String,
    pub signed_on: chrono::NaiveDate,
    pub content_sha256: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) const SOA_APPROVAL_SNAPSHOT: &str = "SELECT json_object('name', name, 'role', role,
        'decision', decision, 'comment', comment, 'signed_on', signed_on,
        'content_sha256', content_sha256, 'created_at', created_at)
    FROM soa_approval WHERE id = ?1";

/// A decision as its audit events record it.
pub(crate) const SOA_SNAPSHOT: &str = "SELECT json_object('included', included,
        'justification', justification, 'drivers', json(drivers), 'owner', owner)
    FROM soa_decision WHERE assessment_id = ?1 AND control_id = ?2";

impl Store {
    /// Decisions by control id.
    pub fn soa_decisions(
        &self,
        assessment_id: &str,
    ) -> Result<BTreeMap<String, SoaDecisionRecord>> {
        let mut statement = self.conn.prepare(
            "SELECT control_id, included, justification, drivers, owner FROM soa_decision
             WHERE assessment_id = ?1",
        )?;
        let rows = statement
            .query_map([assessment_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    SoaDecisionRecord {
                        included: r.get::<_, i64>(1)? == 1,
                        justification: r.get(2)?,
                        drivers: r.get(3)?,
                        owner: r.get(4)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }

    /// Records (replacing) a control's decision, or with `None` withdraws it (back to Assay's
    /// proposal).
    pub fn set_soa_decision(
        &mut self,
        assessment_id: &str,
        control_id: &str,
        decision: Option<&SoaDecisionRecord>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let key: [&dyn rusqlite::ToSql; 2] = [&assessment_id, &control_id];
        let before = audit::snapshot(&tx, SOA_SNAPSHOT, &key)?;
        match decision {
            Some(d) => tx.execute(
                "INSERT INTO soa_decision (assessment_id, control_id, included, justification,
                     drivers, owner, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (assessment_id, control_id) DO UPDATE SET
                     included = excluded.included, justification = excluded.justification,
                     drivers = excluded.drivers, owner = excluded.owner,
                     updated_at = excluded.updated_at",
                params![
                    assessment_id,
                    control_id,
                    i64::from(d.included),
                    d.justification,
                    d.drivers,
                    d.owner,
                    at.to_rfc3339()
                ],
            )?,
            None => tx.execute(
                "DELETE FROM soa_decision WHERE assessment_id = ?1 AND control_id = ?2",
                params![assessment_id, control_id],
            )?,
        };
        let after = audit::snapshot(&tx, SOA_SNAPSHOT, &key)?;
        if before != after {
            let at_text = at.to_rfc3339();
            audit::append(
                &tx,
                &Change {
                    at: &at_text,
                    actor,
                    entity: "soa",
                    entity_id: format!("{assessment_id}/soa/{control_id}"),
                    before,
                    after,
                },
            )?;
        }
        touch(&tx, assessment_id, at)?;
        tx.commit()?;
        Ok(())
    }

    /// Records an approval and its audit event.
    pub fn add_soa_approval(&mut self, approval: &SoaApprovalRecord, actor: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO soa_approval (id, assessment_id, name, role, decision, comment,
                 signed_on, content_sha256, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                approval.id,
                approval.assessment_id,
                approval.name,
                approval.role,
                approval.decision,
                approval.comment,
                approval.signed_on.to_string(),
                approval.content_sha256,
                approval.created_at.to_rfc3339()
            ],
        )?;
        let key: [&dyn rusqlite::ToSql; 1] = [&approval.id];
        let after = audit::snapshot(&tx, SOA_APPROVAL_SNAPSHOT, &key)?;
        let at_text = approval.created_at.to_rfc3339();
        audit::append(
            &tx,
            &Change {
                at: &at_text,
                actor,
                entity: "soa_approval",
                entity_id: format!("{}/soa_approval/{}", approval.assessment_id, approval.id),
                before: None,
                after,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The approvals of an assessment's statement, oldest first.
    pub fn soa_approvals(&self, assessment_id: &str) -> Result<Vec<SoaApprovalRecord>> {
        let mut statement = self.conn.prepare(
            "SELECT id, assessment_id, name, role, decision, comment, signed_on, content_sha256,
                 created_at FROM soa_approval WHERE assessment_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = statement
            .query_map([assessment_id], |r| {
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
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(id, assessment_id, name, role, decision, comment, signed_on, hash, created)| {
                    Ok(SoaApprovalRecord {
                        id,
                        assessment_id,
                        name,
                        role,
                        decision,
                        comment,
                        signed_on: signed_on.parse().map_err(|e| {
                            crate::StoreError::Invalid(format!("approval date: {e}"))
                        })?,
                        content_sha256: hash,
                        created_at: crate::time::read(&created)?,
                    })
                },
            )
            .collect()
    }
}
