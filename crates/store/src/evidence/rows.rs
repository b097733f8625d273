//! The rows behind a project's evidence: upserting a fetched snapshot (entities, edges, bias
//! metrics, with fingerprints to tell new from changed) and reading it back.

use std::collections::BTreeMap;

use assay_evidence::{
    BiasEvidence, BiasSource, Dataset, EdgeKind, EntityKind, EntityRef, LineageEdge, ModelVersion,
    Run, Snapshot, Source, Tracker, UnmatchedCandidate,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{EvidenceRecord, ImportCounts};
use crate::{Result, StoreError, time};

/// Upserts a normalised snapshot's entities, edges and bias metrics; counts what was new,
/// changed and unchanged.
pub(super) fn upsert_snapshot(tx: &Connection, fetched: &Snapshot) -> Result<ImportCounts> {
    let source = &fetched.source;
    let key = (
        source.tracker.as_str(),
        source.instance.as_str(),
        source.project.as_str(),
    );
    let mut counts = ImportCounts::default();
    for dataset in &fetched.datasets {
        let seen = fingerprint_of(tx, "evidence_dataset", key, &dataset.external_id)?;
        let print = fingerprint(dataset);
        tally(&mut counts, seen.as_deref(), &print);
        tx.prepare_cached(
            "INSERT INTO evidence_dataset (tracker, instance, external_id, project, name, version,
                 digest, source, source_type, context, fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (tracker, instance, external_id) DO UPDATE SET project = excluded.project,
                 name = excluded.name, version = excluded.version, digest = excluded.digest,
                 source = excluded.source, source_type = excluded.source_type,
                 context = excluded.context, fingerprint = excluded.fingerprint",
        )?
        .execute(params![
            key.0,
            key.1,
            dataset.external_id,
            key.2,
            dataset.name,
            dataset.version,
            dataset.digest,
            dataset.source,
            dataset.source_type,
            dataset.context,
            print
        ])?;
    }
    for r in &fetched.runs {
        let seen = fingerprint_of(tx, "evidence_run", key, &r.external_id)?;
        let print = fingerprint(r);
        tally(&mut counts, seen.as_deref(), &print);
        tx.prepare_cached(
            "INSERT INTO evidence_run (tracker, instance, external_id, project, name, status,
                 code_commit, code_repo, params, metrics, tags, started_at, ended_at, fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (tracker, instance, external_id) DO UPDATE SET project = excluded.project,
                 name = excluded.name, status = excluded.status,
                 code_commit = excluded.code_commit, code_repo = excluded.code_repo,
                 params = excluded.params, metrics = excluded.metrics, tags = excluded.tags,
                 started_at = excluded.started_at, ended_at = excluded.ended_at,
                 fingerprint = excluded.fingerprint",
        )?
        .execute(params![
            key.0,
            key.1,
            r.external_id,
            key.2,
            r.name,
            r.status,
            r.code_commit,
            r.code_repo,
            json(&r.params),
            json(&r.metrics),
            json(&r.tags),
            r.started_at.map(|t| t.to_rfc3339()),
            r.ended_at.map(|t| t.to_rfc3339()),
            print
        ])?;
        tx.prepare_cached(
            "DELETE FROM evidence_bias WHERE tracker = ?1 AND instance = ?2 AND run = ?3",
        )?
        .execute(params![key.0, key.1, r.external_id])?;
        tx.prepare_cached(
            "DELETE FROM evidence_unmatched WHERE tracker = ?1 AND instance = ?2 AND run = ?3",
        )?
        .execute(params![key.0, key.1, r.external_id])?;
    }
    for version in &fetched.model_versions {
        let seen = fingerprint_of(tx, "evidence_model_version", key, &version.external_id)?;
        let print = fingerprint(version);
        tally(&mut counts, seen.as_deref(), &print);
        tx.prepare_cached(
            "INSERT INTO evidence_model_version (tracker, instance, external_id, project,
                 registry_name, version, aliases, stage, source_run, tags, fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (tracker, instance, external_id) DO UPDATE SET project = excluded.project,
                 registry_name = excluded.registry_name, version = excluded.version,
                 aliases = excluded.aliases, stage = excluded.stage,
                 source_run = excluded.source_run, tags = excluded.tags,
                 fingerprint = excluded.fingerprint",
        )?
        .execute(params![
            key.0,
            key.1,
            version.external_id,
            key.2,
            version.registry_name,
            version.version,
            json(&version.aliases),
            version.stage,
            version.source_run,
            json(&version.tags),
            print
        ])?;
    }
    for edge in &fetched.edges {
        tx.prepare_cached(
            "INSERT INTO evidence_edge (tracker, instance, project, kind, from_kind, from_id,
                 to_kind, to_id, context) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT DO UPDATE SET context = excluded.context, project = excluded.project",
        )?
        .execute(params![
            key.0,
            key.1,
            key.2,
            edge.kind.as_str(),
            edge.from.kind.as_str(),
            edge.from.external_id,
            edge.to.kind.as_str(),
            edge.to.external_id,
            edge.context
        ])?;
    }
    for bias in &fetched.bias {
        tx.prepare_cached(
            "INSERT INTO evidence_bias (tracker, instance, project, run, raw_name, source, data,
                 metric, value, passed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT DO UPDATE SET data = excluded.data, metric = excluded.metric,
                 value = excluded.value, passed = excluded.passed, project = excluded.project",
        )?
        .execute(params![
            key.0,
            key.1,
            key.2,
            bias.run,
            bias.raw_name,
            source_text(&bias.source),
            json(bias),
            bias.metric,
            bias.value.is_finite().then_some(bias.value),
            bias.passed
        ])?;
    }
    for candidate in &fetched.unmatched {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO evidence_unmatched (tracker, instance, project, run, raw_name)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            key.0,
            key.1,
            key.2,
            candidate.run,
            candidate.raw_name
        ])?;
    }
    Ok(counts)
}

pub(super) fn load_snapshot(conn: &Connection, source: &Source) -> Result<Snapshot> {
    let key = params![source.tracker.as_str(), source.instance, source.project];
    let mut snapshot = Snapshot::empty(source.clone());
    let mut stmt = conn.prepare(
        "SELECT external_id, name, version, digest, source, source_type, context
         FROM evidence_dataset WHERE tracker = ?1 AND instance = ?2 AND project = ?3",
    )?;
    snapshot.datasets = stmt
        .query_map(key, |r| {
            Ok(Dataset {
                external_id: r.get(0)?,
                name: r.get(1)?,
                version: r.get(2)?,
                digest: r.get(3)?,
                source: r.get(4)?,
                source_type: r.get(5)?,
                context: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT external_id, name, status, code_commit, code_repo, params, metrics, tags,
                started_at, ended_at
         FROM evidence_run WHERE tracker = ?1 AND instance = ?2 AND project = ?3",
    )?;
    let rows = stmt.query_map(key, |r| {
        Ok((
            (
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ),
            (
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ),
            (
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ),
            (
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
            ),
        ))
    })?;
    for row in rows {
        let (
            (external_id, name, status),
            (code_commit, code_repo),
            (params, metrics, tags),
            (start, end),
        ) = row?;
        snapshot.runs.push(Run {
            external_id,
            project: source.project.clone(),
            name,
            status,
            code_commit,
            code_repo,
            params: from_json(&params)?,
            metrics: from_json::<BTreeMap<String, f64>>(&metrics)?,
            tags: from_json(&tags)?,
            started_at: start.as_deref().map(time::read).transpose()?,
            ended_at: end.as_deref().map(time::read).transpose()?,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT external_id, registry_name, version, aliases, stage, source_run, tags
         FROM evidence_model_version WHERE tracker = ?1 AND instance = ?2 AND project = ?3",
    )?;
    let rows = stmt.query_map(key, |r| {
        Ok((
            (
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ),
            r.get::<_, String>(3)?,
            (
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ),
            r.get::<_, String>(6)?,
        ))
    })?;
    for row in rows {
        let ((external_id, registry_name, version), aliases, (stage, source_run), tags) = row?;
        snapshot.model_versions.push(ModelVersion {
            external_id,
            registry_name,
            version,
            aliases: from_json(&aliases)?,
            stage,
            source_run,
            tags: from_json(&tags)?,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT kind, from_kind, from_id, to_kind, to_id, context FROM evidence_edge
         WHERE tracker = ?1 AND instance = ?2 AND project = ?3",
    )?;
    let rows = stmt.query_map(key, |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, String>(1)?, r.get::<_, String>(2)?),
            (r.get::<_, String>(3)?, r.get::<_, String>(4)?),
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    for row in rows {
        let (kind, (from_kind, from_id), (to_kind, to_id), context) = row?;
        snapshot.edges.push(LineageEdge {
            kind: edge_kind(&kind)?,
            from: EntityRef {
                kind: entity_kind(&from_kind)?,
                external_id: from_id,
            },
            to: EntityRef {
                kind: entity_kind(&to_kind)?,
                external_id: to_id,
            },
            context,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT data FROM evidence_bias WHERE tracker = ?1 AND instance = ?2 AND project = ?3",
    )?;
    let rows = stmt.query_map(key, |r| r.get::<_, String>(0))?;
    for row in rows {
        snapshot.bias.push(from_json::<BiasEvidence>(&row?)?);
    }
    let mut stmt = conn.prepare(
        "SELECT run, raw_name FROM evidence_unmatched
         WHERE tracker = ?1 AND instance = ?2 AND project = ?3",
    )?;
    snapshot.unmatched = stmt
        .query_map(key, |r| {
            Ok(UnmatchedCandidate {
                run: r.get(0)?,
                raw_name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    snapshot.normalise();
    Ok(snapshot)
}

fn fingerprint_of(
    conn: &Connection,
    table: &str,
    key: (&str, &str, &str),
    external_id: &str,
) -> Result<Option<String>> {
    let sql = format!(
        "SELECT fingerprint FROM {table} WHERE tracker = ?1 AND instance = ?2 AND external_id = ?3"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![key.0, key.1, external_id], |r| r.get(0))
        .optional()?)
}

fn tally(counts: &mut ImportCounts, seen: Option<&str>, now: &str) {
    match seen {
        None => counts.new += 1,
        Some(before) if before == now => counts.unchanged += 1,
        Some(_) => counts.changed += 1,
    }
}

fn fingerprint(value: &impl Serialize) -> String {
    format!("{:x}", Sha256::digest(json(value).as_bytes()))
}

pub(super) fn json(value: &impl Serialize) -> String {
    // Maps, lists and plain structs always serialise.
    serde_json::to_string(value).unwrap_or_default()
}

pub(super) fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Invalid(format!("stored evidence: {e}")))
}

fn source_text(source: &BiasSource) -> String {
    match source {
        BiasSource::Metric => "metric".to_owned(),
        BiasSource::Artifact(path) => format!("artifact:{path}"),
    }
}

pub(super) fn tracker_of(text: &str) -> Result<Tracker> {
    Tracker::parse(text).ok_or_else(|| StoreError::Invalid(format!("tracker `{text}`")))
}

fn edge_kind(text: &str) -> Result<EdgeKind> {
    [
        EdgeKind::UsedBy,
        EdgeKind::Produced,
        EdgeKind::RegisteredAs,
        EdgeKind::EvaluatedOn,
    ]
    .into_iter()
    .find(|k| k.as_str() == text)
    .ok_or_else(|| StoreError::Invalid(format!("edge kind `{text}`")))
}

fn entity_kind(text: &str) -> Result<EntityKind> {
    [
        EntityKind::Dataset,
        EntityKind::Run,
        EntityKind::ModelVersion,
    ]
    .into_iter()
    .find(|k| k.as_str() == text)
    .ok_or_else(|| StoreError::Invalid(format!("entity kind `{text}`")))
}

/// Writes a bundle's frozen evidence inside the caller's transaction and links it to `scope`.
/// Log lines not yet held are added. The entities are written only when the bundle's evidence is
/// at least as recent as what this database holds, so older evidence never overwrites newer.
pub(crate) fn restore_evidence(
    tx: &Connection,
    record: &EvidenceRecord,
    scope: &str,
) -> Result<()> {
    let source = &record.snapshot.source;
    let key = params![source.tracker.as_str(), source.instance, source.project];
    let latest_here: Option<String> = tx.query_row(
        "SELECT max(finished_at) FROM evidence_import
         WHERE tracker = ?1 AND instance = ?2 AND project = ?3",
        key,
        |r| r.get(0),
    )?;
    let latest_here = latest_here.as_deref().map(time::read).transpose()?;
    let latest_there = record.imports.iter().map(|i| i.finished_at).max();
    if latest_here.is_none() || latest_there >= latest_here {
        let mut snapshot = record.snapshot.clone();
        snapshot.normalise();
        upsert_snapshot(tx, &snapshot)?;
    }
    for entry in &record.imports {
        let held: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM evidence_import WHERE tracker = ?1 AND instance = ?2
                 AND project = ?3 AND finished_at = ?4 AND content_hash = ?5)",
            params![
                source.tracker.as_str(),
                source.instance,
                source.project,
                entry.finished_at.to_rfc3339(),
                entry.content_hash
            ],
            |r| r.get(0),
        )?;
        if !held {
            tx.execute(
                "INSERT INTO evidence_import (tracker, instance, project, started_at, finished_at,
                     incremental, counts, content_hash, watermark)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    source.tracker.as_str(),
                    source.instance,
                    source.project,
                    entry.started_at.to_rfc3339(),
                    entry.finished_at.to_rfc3339(),
                    entry.incremental,
                    json(&entry.counts),
                    entry.content_hash,
                    entry.watermark
                ],
            )?;
        }
    }
    link_scope(tx, source, scope)
}

/// Links a project's evidence to an assessment scope (idempotent).
pub(super) fn link_scope(conn: &Connection, source: &Source, scope: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO evidence_scope (tracker, instance, project, scope)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            source.tracker.as_str(),
            source.instance,
            source.project,
            scope
        ],
    )?;
    Ok(())
}
