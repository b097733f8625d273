//! Tracker evidence: saving an import in one transaction and reading a project's evidence back.

use assay_evidence::fairness::MappingRule;
use assay_evidence::{Snapshot, Source};
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{Result, Store, time};

mod rows;

pub(crate) use rows::restore_evidence;
use rows::{from_json, json, link_scope, load_snapshot, tracker_of, upsert_snapshot};

/// What one import found, against what the database already held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportCounts {
    /// Datasets, runs and model versions seen for the first time.
    pub new: usize,
    /// Seen before, and different now.
    pub changed: usize,
    /// Seen before, and the same.
    pub unchanged: usize,
    /// What the project holds after the import.
    pub datasets: usize,
    pub runs: usize,
    pub model_versions: usize,
    pub edges: usize,
    pub bias_metrics: usize,
    pub unmatched: usize,
}

/// The provenance of one import: where from, when, what, and the hash of the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceImport {
    pub id: i64,
    pub source: Source,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub incremental: bool,
    pub counts: ImportCounts,
    /// SHA-256 of the project's normalised evidence after this import.
    pub content_hash: String,
    pub watermark: Option<String>,
}

/// One line of a project's import log, as a bundle carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportLogEntry {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub incremental: bool,
    pub counts: ImportCounts,
    pub content_hash: String,
    pub watermark: Option<String>,
}

/// A tracker project's evidence and its import log: what a bundle freezes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub snapshot: Snapshot,
    pub imports: Vec<ImportLogEntry>,
}

/// When and how an import ran, for its log line.
#[derive(Debug, Clone)]
pub struct ImportRun<'a> {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub incremental: bool,
    pub watermark: Option<&'a str>,
}

impl Store {
    /// Saves what an import fetched, in one transaction: entities are upserted by tracker,
    /// instance and external id; a fetched run's bias metrics replace that run's earlier ones.
    pub fn save_evidence(
        &mut self,
        fetched: &Snapshot,
        run: &ImportRun<'_>,
    ) -> Result<EvidenceImport> {
        let mut fetched = fetched.clone();
        fetched.normalise();
        let source = &fetched.source;
        let key = (
            source.tracker.as_str(),
            source.instance.as_str(),
            source.project.as_str(),
        );
        let tx = self.conn.transaction()?;
        let mut counts = upsert_snapshot(&tx, &fetched)?;
        let held = load_snapshot(&tx, source)?;
        counts.datasets = held.datasets.len();
        counts.runs = held.runs.len();
        counts.model_versions = held.model_versions.len();
        counts.edges = held.edges.len();
        counts.bias_metrics = held.bias.len();
        counts.unmatched = held.unmatched.len();
        let content_hash = held.content_hash();
        tx.execute(
            "INSERT INTO evidence_import (tracker, instance, project, started_at, finished_at,
                 incremental, counts, content_hash, watermark)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                key.0,
                key.1,
                key.2,
                run.started_at.to_rfc3339(),
                run.finished_at.to_rfc3339(),
                run.incremental,
                json(&counts),
                content_hash,
                run.watermark
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(EvidenceImport {
            id,
            source: source.clone(),
            started_at: run.started_at,
            finished_at: run.finished_at,
            incremental: run.incremental,
            counts,
            content_hash,
            watermark: run.watermark.map(str::to_owned),
        })
    }

    /// A project's evidence with its import log, for a bundle.
    pub fn evidence_record(&self, source: &Source) -> Result<EvidenceRecord> {
        let imports = self
            .evidence_imports(Some(source))?
            .into_iter()
            .map(|i| ImportLogEntry {
                started_at: i.started_at,
                finished_at: i.finished_at,
                incremental: i.incremental,
                counts: i.counts,
                content_hash: i.content_hash,
                watermark: i.watermark,
            })
            .collect();
        Ok(EvidenceRecord {
            snapshot: self.evidence_snapshot(source)?,
            imports,
        })
    }

    /// Everything held for one tracker project.
    pub fn evidence_snapshot(&self, source: &Source) -> Result<Snapshot> {
        load_snapshot(&self.conn, source)
    }

    /// The import log, oldest first; of one project, or of all.
    pub fn evidence_imports(&self, source: Option<&Source>) -> Result<Vec<EvidenceImport>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, tracker, instance, project, started_at, finished_at, incremental, counts,
                    content_hash, watermark FROM evidence_import ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ),
                (r.get::<_, String>(4)?, r.get::<_, String>(5)?),
                r.get::<_, bool>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?;
        let mut imports = Vec::new();
        for row in rows {
            let (
                id,
                (tracker, instance, project),
                (started, finished),
                incremental,
                counts,
                hash,
                mark,
            ) = row?;
            let found = Source {
                tracker: tracker_of(&tracker)?,
                instance,
                project,
            };
            if source.is_some_and(|s| *s != found) {
                continue;
            }
            imports.push(EvidenceImport {
                id,
                source: found,
                started_at: time::read(&started)?,
                finished_at: time::read(&finished)?,
                incremental,
                counts: from_json(&counts)?,
                content_hash: hash,
                watermark: mark,
            });
        }
        Ok(imports)
    }

    /// The projects evidence was imported from, in order of their first import.
    pub fn evidence_sources(&self) -> Result<Vec<Source>> {
        let mut sources: Vec<Source> = Vec::new();
        for import in self.evidence_imports(None)? {
            if !sources.contains(&import.source) {
                sources.push(import.source);
            }
        }
        Ok(sources)
    }

    /// The latest import of a project, the start of the next incremental one.
    pub fn last_evidence_import(&self, source: &Source) -> Result<Option<EvidenceImport>> {
        Ok(self.evidence_imports(Some(source))?.pop())
    }

    /// Links a project's evidence to an assessment scope (idempotent).
    pub fn link_evidence_scope(&mut self, source: &Source, scope: &str) -> Result<()> {
        link_scope(&self.conn, source, scope)
    }

    /// The scopes a project's evidence is linked to.
    pub fn evidence_scopes(&self, source: &Source) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT scope FROM evidence_scope WHERE tracker = ?1 AND instance = ?2 AND project = ?3
             ORDER BY scope",
        )?;
        let rows = stmt.query_map(
            params![source.tracker.as_str(), source.instance, source.project],
            |r| r.get(0),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mapping_rules(&self, source: &Source) -> Result<Vec<MappingRule>> {
        let mut stmt = self.conn.prepare(
            "SELECT raw_name, metric, sensitive_feature, grp FROM fairness_mapping_rule
             WHERE tracker = ?1 AND instance = ?2 AND project = ?3 ORDER BY raw_name",
        )?;
        let rows = stmt.query_map(
            params![source.tracker.as_str(), source.instance, source.project],
            |r| {
                Ok(MappingRule {
                    raw_name: r.get(0)?,
                    metric: r.get(1)?,
                    sensitive_feature: r.get(2)?,
                    group: r.get(3)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds or replaces the rule for one raw metric name of a project.
    pub fn put_mapping_rule(
        &mut self,
        source: &Source,
        rule: &MappingRule,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO fairness_mapping_rule (tracker, instance, project, raw_name, metric,
                 sensitive_feature, grp, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT DO UPDATE SET metric = excluded.metric,
                 sensitive_feature = excluded.sensitive_feature, grp = excluded.grp,
                 created_at = excluded.created_at",
            params![
                source.tracker.as_str(),
                source.instance,
                source.project,
                rule.raw_name,
                rule.metric,
                rule.sensitive_feature,
                rule.group,
                at.to_rfc3339()
            ],
        )?;
        Ok(())
    }
}
