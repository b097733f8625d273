//! Reads and writes of the governance register.

use assay_assessment::governance::{
    GovernanceItem, ItemLinks, ItemStatus, Priority, RiskAcceptance,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, params};

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, links, time};

const COLUMNS: &str = "id, scope, assessment_id, title, description, owner, due_on, priority, \
                       status, accepted_by, acceptance_reason, created_at, updated_at";

impl Store {
    /// Inserts or replaces an item with its links and evidence, in one transaction.
    pub fn put_item(&mut self, item: &GovernanceItem, actor: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let key: [&dyn rusqlite::ToSql; 1] = [&item.id];
        let before = audit::snapshot(&tx, audit::ITEM_SNAPSHOT, &key)?;
        write_item(&tx, item)?;
        let after = audit::snapshot(&tx, audit::ITEM_SNAPSHOT, &key)?;
        let at = item.updated_at.to_rfc3339();
        let entity_id = format!("item/{}", item.id);
        audit::append(
            &tx,
            &Change {
                at: &at,
                actor,
                entity: "item",
                entity_id,
                before,
                after,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn load_item(&self, id: &str) -> Result<Option<GovernanceItem>> {
        let item = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM governance_item WHERE id = ?1"),
                [id],
                item_row,
            )
            .optional()?;
        item.map(|item| self.with_details(item?)).transpose()
    }

    /// Items of one scope, or of every scope, ordered by scope, then due date (undated last).
    pub fn list_items(&self, scope: Option<&str>) -> Result<Vec<GovernanceItem>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM governance_item WHERE ?1 IS NULL OR scope = ?1
             ORDER BY scope, due_on IS NULL, due_on, created_at, id"
        ))?;
        let rows = stmt.query_map([scope], item_row)?;
        let mut items = Vec::new();
        for row in rows {
            items.push(self.with_details(row??)?);
        }
        Ok(items)
    }

    /// Ids of items starting with `prefix` (at most a few).
    pub fn item_ids_with_prefix(&self, prefix: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM governance_item WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 5",
        )?;
        let ids = stmt.query_map([prefix], |row| row.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    fn with_details(&self, mut item: GovernanceItem) -> Result<GovernanceItem> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, target FROM governance_item_link WHERE item_id = ?1 ORDER BY kind, position",
        )?;
        let links = stmt.query_map([&item.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut all = ItemLinks::default();
        for link in links {
            let (kind, target) = link?;
            match kind.as_str() {
                "question" => all.questions.push(target),
                "area" => all.areas.push(target),
                _ => all.clauses.push(target),
            }
        }
        item.links = all;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM governance_item_evidence WHERE item_id = ?1 ORDER BY position",
            links::COLUMNS
        ))?;
        let evidence = stmt.query_map([&item.id], |r| links::read(r, 0))?;
        for link in evidence {
            item.evidence.push(link??);
        }
        Ok(item)
    }
}

/// One `governance_item` row (links and evidence are read separately).
fn item_row(row: &Row<'_>) -> rusqlite::Result<Result<GovernanceItem>> {
    let invalid = |e: String| Err(StoreError::Invalid(e));
    let priority: String = row.get(7)?;
    let status: String = row.get(8)?;
    let due: Option<String> = row.get(6)?;
    let accepted_by: Option<String> = row.get(9)?;
    let reason: Option<String> = row.get(10)?;
    let Ok(priority) = Priority::parse(&priority) else {
        return Ok(invalid(format!("priority `{priority}`")));
    };
    let Ok(status) = ItemStatus::parse(&status) else {
        return Ok(invalid(format!("status `{status}`")));
    };
    let due_on = match due.map(|d| d.parse::<NaiveDate>()) {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => return Ok(invalid(format!("due date: {e}"))),
        None => None,
    };
    let timestamp = |index: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        let text: String = row.get(index)?;
        Ok(time::parse(&text).ok())
    };
    let (Some(created_at), Some(updated_at)) = (timestamp(11)?, timestamp(12)?) else {
        return Ok(invalid("item timestamp".into()));
    };
    Ok(Ok(GovernanceItem {
        id: row.get(0)?,
        scope: row.get(1)?,
        assessment_id: row.get(2)?,
        title: row.get(3)?,
        description: row.get(4)?,
        links: ItemLinks::default(),
        owner: row.get(5)?,
        due_on,
        priority,
        status,
        acceptance: accepted_by
            .zip(reason)
            .map(|(accepted_by, reason)| RiskAcceptance {
                accepted_by,
                reason,
            }),
        evidence: Vec::new(),
        created_at,
        updated_at,
    }))
}

/// Writes an item's row, links and evidence (no audit event: the caller decides).
pub(crate) fn write_item(tx: &rusqlite::Transaction<'_>, item: &GovernanceItem) -> Result<()> {
    let (accepted_by, reason) = match &item.acceptance {
        Some(a) => (Some(a.accepted_by.as_str()), Some(a.reason.as_str())),
        None => (None, None),
    };
    tx.execute(
        &format!(
            "INSERT INTO governance_item ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (id) DO UPDATE SET scope = excluded.scope,
                 assessment_id = excluded.assessment_id, title = excluded.title,
                 description = excluded.description, owner = excluded.owner,
                 due_on = excluded.due_on, priority = excluded.priority,
                 status = excluded.status, accepted_by = excluded.accepted_by,
                 acceptance_reason = excluded.acceptance_reason,
                 updated_at = excluded.updated_at"
        ),
        params![
            item.id,
            item.scope,
            item.assessment_id,
            item.title,
            item.description,
            item.owner,
            item.due_on.map(|d| d.to_string()),
            item.priority.as_str(),
            item.status.as_str(),
            accepted_by,
            reason,
            item.created_at.to_rfc3339(),
            item.updated_at.to_rfc3339(),
        ],
    )?;
    tx.execute(
        "DELETE FROM governance_item_link WHERE item_id = ?1",
        [&item.id],
    )?;
    let links = [
        ("question", &item.links.questions),
        ("area", &item.links.areas),
        ("clause", &item.links.clauses),
    ];
    for (kind, targets) in links {
        for (position, target) in (0i64..).zip(targets.iter()) {
            tx.execute(
                "INSERT OR IGNORE INTO governance_item_link (item_id, kind, target, position)
                 VALUES (?1, ?2, ?3, ?4)",
                params![item.id, kind, target, position],
            )?;
        }
    }
    tx.execute(
        "DELETE FROM governance_item_evidence WHERE item_id = ?1",
        [&item.id],
    )?;
    for (position, link) in (0i64..).zip(&item.evidence) {
        let [kind, target, label, at, by, sha, as_of] = links::values(link);
        tx.execute(
            &format!(
                "INSERT INTO governance_item_evidence (item_id, position, {})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                links::COLUMNS
            ),
            params![item.id, position, kind, target, label, at, by, sha, as_of],
        )?;
    }
    Ok(())
}
