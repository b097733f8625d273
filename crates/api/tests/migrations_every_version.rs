//! Migrations from every version: for each schema version an earlier Assay could have left
//! behind (0 = an empty file, then after each migration), build that database with the store's
//! own migrations 1..=N, put realistic rows in every table it has, then open it the normal way
//! (which migrates to the latest) and check that nothing was lost and the app can use it. A file
//! from a newer Assay is refused and left byte for byte as it was.
//!
//! A table that exists at some version but has no fixture below fails the test: a migration
//! that adds a table must add its rows here too.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assay_api::evidence_model::Snapshot;
use assay_api::store::{
    APPLICATION_ID, AuditEvent, GENESIS_HASH, SCHEMA_VERSION, Store, StoreError, migrate_to_version,
};
use assay_api::{Assay, Bundle, SteppingClock, builtin_bank_version};
use assay_assessment::{CanonicalBank, Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;
use serde::Serialize;
use sha2::{Digest, Sha256};

const FRAUD: &str = "7d1e4c2a-5b3f-4e8a-9c61-2f0a8b9d3e10";
const CHURN: &str = "c0a80101-9e2b-4f7d-8a3c-5d6e7f809112";
const ANA: &str = "0b6f2d1e-3c4a-4b5c-9d6e-7f8091a2b3c4";
const BO: &str = "1c7a3e2f-4d5b-4c6d-8e7f-90a1b2c3d4e5";
const CY: &str = "2d8b4f30-5e6c-4d7e-9f80-a1b2c3d4e5f6";
const ITEM_BIAS: &str = "5e1f7a63-8b9c-4a0d-b1e2-f3a4b5c6d7e8";
const ITEM_FEATURES: &str = "6f2a8b74-9cad-4b1e-82f3-a4b5c6d7e8f9";
const MLFLOW: &str = "https://mlflow.example.com";
const PROJECT: &str = "credit-scoring";
const RUN: &str = "9f2c4e6a8b0d";

type Fixture = rusqlite::Result<()>;
type Fill = fn(&Connection) -> Fixture;

/// Every table of every schema version, parents before children, with the rows that version of
/// Assay would have written.
#[rustfmt::skip] // one table per entry, rows as the SQL a reader would write
const FIXTURES: &[(&str, Fill)] = &[
    ("assessment", |c| {
        c.execute_batch(&format!(
            "INSERT INTO assessment VALUES ('{FRAUD}', 'Fraud models', 'Q2 review', '2026-04-15',
                 'assay-mlops', '1.0.0', 2, '2026-04-15T09:00:00+00:00', '2026-04-15T11:30:00+00:00');
             INSERT INTO assessment VALUES ('{CHURN}', 'Churn', 'Churn maturity assessment',
                 '2026-05-02', 'assay-mlops', '1.0.0', NULL, '2026-05-02T14:00:00+00:00',
                 '2026-05-02T14:00:00+00:00');"
        ))
    }),
    ("participant", |c| {
        c.execute_batch(&format!(
            "INSERT INTO participant VALUES ('{FRAUD}', '{ANA}', 'Ana Ruiz', 'Facilitator', 0);
             INSERT INTO participant VALUES ('{FRAUD}', '{BO}', 'Bo Chen', 'ML engineer', 1);
             INSERT INTO participant VALUES ('{FRAUD}', '{CY}', 'Cy Okafor', 'Data scientist', 2);"
        ))
    }),
    ("target", |c| {
        c.execute_batch(&format!(
            "INSERT INTO target VALUES ('{FRAUD}', 'area', 'governance', 3);
             INSERT INTO target VALUES ('{FRAUD}', 'question', 'OBS-1', 4);"
        ))
    }),
    ("answer", |c| {
        // Columns named: version 9 added `carried_from`, which these rows leave NULL.
        const COLUMNS: &str = "(assessment_id, question_id, level, not_applicable, justification,
            note, confidence, updated_at)";
        c.execute_batch(&format!(
            "INSERT INTO answer {COLUMNS} VALUES ('{FRAUD}', 'GOV-2', 1, 0, NULL,
                 'Only one model is checked for bias', 'medium', '2026-04-15T10:05:00+00:00');
             INSERT INTO answer {COLUMNS} VALUES ('{FRAUD}', 'OBS-1', 3, 0, NULL, 'Alerts now paged',
                 'high', '2026-04-15T10:40:00+00:00');
             INSERT INTO answer {COLUMNS} VALUES ('{FRAUD}', 'DE-3', NULL, 1,
                 'Batch scoring only, no online features', NULL, NULL, '2026-04-15T11:00:00+00:00');"
        ))?;
        let carried_from: i64 = c.query_row(
            "SELECT count(*) FROM pragma_table_info('answer') WHERE name = 'carried_from'",
            [],
            |r| r.get(0),
        )?;
        if carried_from == 1 {
            c.execute_batch(&format!(
                "UPDATE answer SET carried_from = '{{\"assessment\":\"{CHURN}\",\"bank\":\"assay-mlops@1.0.0\",\"questions\":[\"OBS-1\"]}}'
                 WHERE question_id = 'OBS-1';"
            ))?;
        }
        Ok(())
    }),
    ("evidence_link", |c| {
        c.execute_batch(&format!(
            "INSERT INTO evidence_link VALUES ('{FRAUD}', 'GOV-2', 0, 'url',
                 'https://wiki.example.com/fraud/fairness-review', 'Fairness review');
             INSERT INTO evidence_link VALUES ('{FRAUD}', 'OBS-1', 0, 'file', 'runbooks/alerting.md', NULL);
             INSERT INTO evidence_link VALUES ('{FRAUD}', 'OBS-1', 1, 'tracker',
                 'mlflow://credit-scoring/runs/{RUN}', 'Monitoring run');"
        ))
    }),
    ("vote", |c| {
        c.execute_batch(&format!(
            "INSERT INTO vote VALUES ('{FRAUD}', 'GOV-2', '{ANA}', 1, 0, '2026-04-15T10:01:00+00:00');
             INSERT INTO vote VALUES ('{FRAUD}', 'GOV-2', '{BO}', 3, 0, '2026-04-15T10:02:00+00:00');
             INSERT INTO vote VALUES ('{FRAUD}', 'OBS-1', '{ANA}', 3, 0, '2026-04-15T10:30:00+00:00');
             INSERT INTO vote VALUES ('{FRAUD}', 'OBS-1', '{CY}', 3, 0, '2026-04-15T10:31:00+00:00');
             INSERT INTO vote VALUES ('{FRAUD}', 'DE-3', '{BO}', NULL, 1, '2026-04-15T10:55:00+00:00');"
        ))
    }),
    ("governance_item", |c| {
        c.execute_batch(&format!(
            "INSERT INTO governance_item VALUES ('{ITEM_BIAS}', 'Fraud models', '{FRAUD}',
                 'Bias checks for every model', 'Extend the fairness review to all scoring models',
                 'Lena Park', '2026-09-30', 'high', 'in_progress', NULL, NULL,
                 '2026-04-15T11:10:00+00:00', '2026-04-18T08:00:00+00:00');
             INSERT INTO governance_item VALUES ('{ITEM_FEATURES}', 'Fraud models', NULL,
                 'Online feature store', '', NULL, NULL, 'low', 'risk_accepted', 'Dana Lee',
                 'Batch scoring only until 2027', '2026-04-15T11:20:00+00:00',
                 '2026-04-15T11:25:00+00:00');"
        ))
    }),
    ("governance_item_link", |c| {
        c.execute_batch(&format!(
            "INSERT INTO governance_item_link VALUES ('{ITEM_BIAS}', 'question', 'GOV-2', 0);
             INSERT INTO governance_item_link VALUES ('{ITEM_BIAS}', 'area', 'governance', 0);
             INSERT INTO governance_item_link VALUES ('{ITEM_BIAS}', 'clause', 'Art.10(2)(f)', 0);"
        ))
    }),
    ("governance_item_evidence", |c| {
        c.execute_batch(&format!(
            "INSERT INTO governance_item_evidence VALUES ('{ITEM_BIAS}', 0, 'url',
                 'https://jira.example.com/browse/FRAUD-42', 'Ticket');"
        ))
    }),
    ("audit_event", |c| insert_events(c, None, &audit_chain())),
    ("signoff", |c| {
        c.execute_batch(&format!(
            // Columns named: version 10 added `model_version`, which defaults to 1.
            "INSERT INTO signoff (id, assessment_id, name, role, decision, comment, signed_on,
                 data_hash, created_at) VALUES ('8a4c0d96-beef-4d30-a4f5-c6d7e8f90a1b', '{FRAUD}',
                 'Lena Park', 'ML auditor', 'approve_with_conditions', 'Extend bias checks by Q3',
                 '2026-04-20', '{}', '2026-04-20T16:00:00+00:00');",
            "ab".repeat(32)
        ))
    }),
    ("assessment_final", |c| {
        // Finalised, then reopened: the report is built live again, so the kept model is not read.
        c.execute_batch(&format!(
            "INSERT INTO assessment_final VALUES ('{CHURN}', 'reopened', '2026-05-03T09:00:00+00:00',
                 'ana', '{{}}', '{}', '2026-05-04T10:00:00+00:00', 'lena',
                 'Targets were set after the workshop');",
            "ef".repeat(32)
        ))
    }),
    ("bundle_event", |c| {
        insert_events(c, Some(FRAUD), &carried_chain())
    }),
    ("bundle_import", |c| {
        c.execute_batch(&format!(
            "INSERT INTO bundle_import VALUES (1, '{FRAUD}', '2026-04-16T08:00:00+00:00', 'ana',
                 'merge', '{}', '2026-04-15T18:00:00+00:00', 'bo', 1);",
            "cd".repeat(32)
        ))
    }),
    ("evidence_dataset", |c| {
        for d in &evidence().datasets {
            c.execute(
                "INSERT INTO evidence_dataset VALUES ('mlflow', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                rusqlite::params![MLFLOW, d.external_id, PROJECT, d.name, d.version, d.digest,
                    d.source, d.source_type, d.context, fingerprint(d)],
            )?;
        }
        Ok(())
    }),
    ("evidence_run", |c| {
        for r in &evidence().runs {
            c.execute(
                "INSERT INTO evidence_run VALUES ('mlflow', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                     ?11, ?12, ?13)",
                rusqlite::params![MLFLOW, r.external_id, PROJECT, r.name, r.status, r.code_commit,
                    r.code_repo, json(&r.params), json(&r.metrics), json(&r.tags),
                    r.started_at.map(|t| t.to_rfc3339()), r.ended_at.map(|t| t.to_rfc3339()),
                    fingerprint(r)],
            )?;
        }
        Ok(())
    }),
    ("evidence_model_version", |c| {
        for v in &evidence().model_versions {
            c.execute(
                "INSERT INTO evidence_model_version VALUES ('mlflow', ?1, ?2, ?3, ?4, ?5, ?6, ?7,
                     ?8, ?9, ?10)",
                rusqlite::params![MLFLOW, v.external_id, PROJECT, v.registry_name, v.version,
                    json(&v.aliases), v.stage, v.source_run, json(&v.tags), fingerprint(v)],
            )?;
        }
        Ok(())
    }),
    ("evidence_edge", |c| {
        for e in &evidence().edges {
            c.execute(
                "INSERT INTO evidence_edge VALUES ('mlflow', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![MLFLOW, PROJECT, e.kind.as_str(), e.from.kind.as_str(),
                    e.from.external_id, e.to.kind.as_str(), e.to.external_id, e.context],
            )?;
        }
        Ok(())
    }),
    ("evidence_bias", |c| {
        for b in &evidence().bias {
            c.execute(
                "INSERT INTO evidence_bias VALUES ('mlflow', ?1, ?2, ?3, ?4, 'metric', ?5, ?6, ?7, ?8)",
                rusqlite::params![MLFLOW, PROJECT, b.run, b.raw_name, json(b), b.metric, b.value,
                    b.passed],
            )?;
        }
        Ok(())
    }),
    ("evidence_unmatched", |c| {
        c.execute(
            "INSERT INTO evidence_unmatched VALUES ('mlflow', ?1, ?2, ?3, 'bias_gap_gender')",
            [MLFLOW, PROJECT, RUN],
        )
        .map(drop)
    }),
    ("fairness_mapping_rule", |c| {
        c.execute(
            "INSERT INTO fairness_mapping_rule VALUES ('mlflow', ?1, ?2, 'bias_gap_age',
                 'demographic_parity_difference', 'age', 'over_60', '2026-04-10T09:00:00+00:00')",
            [MLFLOW, PROJECT],
        )
        .map(drop)
    }),
    ("evidence_import", |c| {
        let counts = r#"{"new":3,"changed":0,"unchanged":0,"datasets":1,"runs":1,
            "model_versions":1,"edges":3,"bias_metrics":1,"unmatched":1}"#;
        c.execute(
            "INSERT INTO evidence_import VALUES (1, 'mlflow', ?1, ?2, '2026-04-10T08:59:00+00:00',
                 '2026-04-10T09:00:00+00:00', 0, ?3, ?4, '{\"runs_after\":1775811600000}')",
            rusqlite::params![
                MLFLOW,
                PROJECT,
                counts.replace(char::is_whitespace, ""),
                evidence().content_hash()
            ],
        )
        .map(drop)
    }),
    ("evidence_scope", |c| {
        c.execute(
            "INSERT INTO evidence_scope VALUES ('mlflow', ?1, ?2, 'Fraud models')",
            [MLFLOW, PROJECT],
        )
        .map(drop)
    }),
    ("report_export", |c| {
        c.execute_batch(&format!(
            "INSERT INTO report_export VALUES (1, '{FRAUD}', 'pdf', '/home/ana/reports/fraud.pdf',
                 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9', '{}', '2026-04-20T15:00:00+00:00');",
            "ef".repeat(32)
        ))
    }),
    ("bank", |c| {
        // The content the assessments above were taken with, as a build that stores banks
        // writes it on first use.
        let bank = CanonicalBank::of(builtin_bank_version("assay-mlops", "1.0.0").unwrap());
        c.execute(
            "INSERT INTO bank VALUES ('assay-mlops', '1.0.0', ?1, ?2, ?3, 'builtin',
                 '2026-04-15T09:00:00+00:00')",
            rusqlite::params![bank.digest.as_str(), bank.bank.title, bank.json],
        )
        .map(|_| ())
    }),
];

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

/// As the store fingerprints an imported entity.
fn fingerprint(value: &impl Serialize) -> String {
    format!("{:x}", Sha256::digest(json(value).as_bytes()))
}

/// Events chained from the genesis hash as the store chains them: each step is (actor,
/// entity, entity id, before, after). `hash_matches` checks the formula against the store's.
fn chain(steps: &[(&str, &str, String, Option<&str>, &str)]) -> Vec<AuditEvent> {
    let mut events: Vec<AuditEvent> = Vec::new();
    for (seq, (actor, entity, id, before, after)) in (1..).zip(steps) {
        let mut e = AuditEvent {
            seq,
            at: format!("2026-04-15T10:{:02}:00+00:00", seq * 3),
            actor: (*actor).into(),
            entity: (*entity).into(),
            entity_id: id.clone(),
            before: before.map(str::to_owned),
            after: Some((*after).to_owned()),
            prev_hash: events.last().map_or(GENESIS_HASH, |p| &p.hash).to_owned(),
            hash: String::new(),
        };
        let (who, what) = ((&e.actor, &e.entity, &e.entity_id), (&e.before, &e.after));
        let canonical = serde_json::json!([
            e.seq,
            e.at,
            who.0,
            who.1,
            who.2,
            what.0,
            what.1,
            e.prev_hash
        ]);
        e.hash = format!("{:x}", Sha256::digest(canonical.to_string().as_bytes()));
        assert!(
            e.hash_matches(),
            "the fixture hashes events unlike the store"
        );
        events.push(e);
    }
    events
}

/// Ana's vote cast then changed, the answer to GOV-2 and the bias item: this database's chain.
fn audit_chain() -> Vec<AuditEvent> {
    let (v2, v1) = (
        r#"{"level":2,"not_applicable":0}"#,
        r#"{"level":1,"not_applicable":0}"#,
    );
    let answer = r#"{"level":1,"not_applicable":0,"justification":null,"note":"Only one model is checked for bias","confidence":"medium","evidence":[{"kind":"url","target":"https://wiki.example.com/fraud/fairness-review","label":"Fairness review"}]}"#;
    // The item as the store snapshots it, matching its row: the replay compares the two.
    let item = format!(
        r#"{{"scope":"Fraud models","assessment_id":"{FRAUD}","title":"Bias checks for every model","description":"Extend the fairness review to all scoring models","owner":"Lena Park","due_on":"2026-09-30","priority":"high","status":"in_progress","accepted_by":null,"acceptance_reason":null,"links":["area:governance","clause:Art.10(2)(f)","question:GOV-2"],"evidence":[{{"kind":"url","target":"https://jira.example.com/browse/FRAUD-42","label":"Ticket"}}]}}"#
    );
    let vote = format!("{FRAUD}/GOV-2/{ANA}");
    chain(&[
        ("ana", "vote", vote.clone(), None, v2),
        ("ana", "vote", vote, Some(v2), v1),
        ("ana", "answer", format!("{FRAUD}/GOV-2"), None, answer),
        ("lena", "item", format!("item/{ITEM_BIAS}"), None, &item),
    ])
}

/// History carried in by a bundle from Bo's laptop, chained there.
fn carried_chain() -> Vec<AuditEvent> {
    let (v2, na) = (
        r#"{"level":2,"not_applicable":0}"#,
        r#"{"level":null,"not_applicable":1}"#,
    );
    let vote = format!("{FRAUD}/DE-3/{BO}");
    chain(&[
        ("bo", "vote", vote.clone(), None, v2),
        ("bo", "vote", vote, Some(v2), na),
    ])
}

/// `audit_event` rows, or with `carried_for` the `bundle_event` rows of that assessment.
fn insert_events(c: &Connection, carried_for: Option<&str>, events: &[AuditEvent]) -> Fixture {
    let sql = match carried_for {
        None => "INSERT INTO audit_event VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)".to_owned(),
        Some(id) => format!(
            "INSERT INTO bundle_event VALUES ('{id}', ?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
    };
    for e in events {
        let (who, what) = ((&e.actor, &e.entity, &e.entity_id), (&e.before, &e.after));
        let link = (&e.prev_hash, &e.hash);
        c.execute(
            &sql,
            rusqlite::params![
                e.seq, e.at, who.0, who.1, who.2, what.0, what.1, link.0, link.1
            ],
        )?;
    }
    Ok(())
}

/// One MLflow project's lineage and fairness evidence, normalised as the store reads it back.
fn evidence() -> Snapshot {
    let (dataset, model) = ("transactions@3f9a1c", "fraud-xgb/3");
    let mut snapshot: Snapshot = serde_json::from_value(serde_json::json!({
        "source": {"tracker": "mlflow", "instance": MLFLOW, "project": PROJECT},
        "datasets": [{"external_id": dataset, "name": "transactions", "version": "2026-03",
            "digest": "3f9a1c", "source": "s3://data/transactions/2026-03", "source_type": "s3",
            "context": "training"}],
        "runs": [{"external_id": RUN, "project": PROJECT, "name": "xgb-baseline",
            "status": "finished", "code_commit": "4e1d2c3b",
            "code_repo": "https://git.example.com/fraud/models", "params": {"max_depth": "6"},
            "metrics": {"auc": 0.91, "demographic_parity_difference_gender": 0.04},
            "tags": {"fairness.report": "true"}, "started_at": "2026-04-09T08:00:00Z",
            "ended_at": "2026-04-09T09:00:00Z"}],
        "model_versions": [{"external_id": model, "registry_name": "fraud-xgb", "version": "3",
            "aliases": ["champion"], "stage": "Production", "source_run": RUN,
            "tags": {"owner": "fraud-team"}}],
        "edges": [
            {"kind": "used_by", "from": {"kind": "dataset", "external_id": dataset},
                "to": {"kind": "run", "external_id": RUN}, "context": "training"},
            {"kind": "produced", "from": {"kind": "run", "external_id": RUN},
                "to": {"kind": "model_version", "external_id": model}, "context": null},
            {"kind": "evaluated_on", "from": {"kind": "model_version", "external_id": model},
                "to": {"kind": "dataset", "external_id": dataset}, "context": "evaluation"}],
        "bias": [{"run": RUN, "metric": "demographic_parity_difference",
            "raw_name": "demographic_parity_difference_gender", "value": 0.04,
            "sensitive_feature": "gender", "group": null, "reference_group": null,
            "threshold": {"rule": "abs_at_most", "max": 0.1}, "passed": true,
            "tool": "fairlearn", "convention": "difference_non_negative",
            "bias_type": "independence", "source": {"kind": "metric"}}],
        "unmatched": [{"run": RUN, "raw_name": "bias_gap_gender"}],
    }))
    .unwrap();
    snapshot.normalise();
    snapshot
}

/// Every column of every table, rows sorted: what must survive the upgrade unchanged.
type Dump = BTreeMap<String, (Vec<String>, Vec<String>)>;

/// One text column of a query's rows (table names, column names, pragma reports).
fn texts(conn: &Connection, sql: &str, column: usize) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| r.get(column)).unwrap();
    rows.map(Result::unwrap).collect()
}

fn user_tables(conn: &Connection) -> BTreeSet<String> {
    let sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
    texts(conn, sql, 0).into_iter().collect()
}

fn integrity(conn: &Connection) -> Vec<String> {
    texts(conn, "PRAGMA integrity_check", 0)
}

fn foreign_key_problems(conn: &Connection) -> Vec<String> {
    texts(conn, "PRAGMA foreign_key_check", 0)
}

fn rows(conn: &Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn
        .prepare(&format!("SELECT {list} FROM \"{table}\""))
        .unwrap();
    stmt.query_map([], |r| {
        (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect()
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn sorted_text(rows: &[Vec<Value>]) -> Vec<String> {
    let mut text: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
    text.sort();
    text
}

/// Writes the database an Assay with `version` migrations left, filled; returns its dump.
fn build_fixture(path: &Path, version: usize) -> Dump {
    if version == 0 {
        std::fs::File::create(path).unwrap(); // what a first start before any migration leaves
        return Dump::new();
    }
    let mut conn = Connection::open(path).unwrap();
    // The pragmas every Assay release set before migrating, so constraints bind the fixture.
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    migrate_to_version(&mut conn, version).unwrap();
    let tables = user_tables(&conn);
    let known: BTreeSet<String> = FIXTURES.iter().map(|(t, _)| (*t).to_owned()).collect();
    let missing: Vec<_> = tables.difference(&known).collect();
    assert!(
        missing.is_empty(),
        "schema version {version} has tables {missing:?} with no fixture rows; add them to FIXTURES"
    );
    for (table, fill) in FIXTURES.iter().filter(|(t, _)| tables.contains(*t)) {
        fill(&conn)
            .unwrap_or_else(|e| panic!("fixture rows for {table} at version {version}: {e}"));
    }
    assert!(
        foreign_key_problems(&conn).is_empty(),
        "the fixture breaks a foreign key"
    );
    let mut dump = Dump::new();
    for table in &tables {
        let cols = texts(&conn, &format!("PRAGMA table_info(\"{table}\")"), 1);
        let all = rows(&conn, table, &cols);
        assert!(!all.is_empty(), "{table} is empty at version {version}");
        // A realistic fixture sets every column somewhere, so a dropped value shows.
        for (i, col) in cols.iter().enumerate() {
            assert!(
                all.iter().any(|r| r[i] != Value::Null),
                "{table}.{col} is NULL in every fixture row at version {version}"
            );
        }
        dump.insert(table.clone(), (cols, sorted_text(&all)));
    }
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(found, i64::try_from(version).unwrap());
    dump
}

fn open_app(path: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    let clock = SteppingClock::new(start, Duration::seconds(1));
    let app = Assay::open(path, Box::new(clock)).unwrap();
    app.with_actor("migration-test").unwrap()
}

/// Opens the fixture the normal way and checks the data, the schema and the app on top of it.
fn check_upgrade(path: &Path, version: usize, before: &Dump) {
    let store = Store::open(path).unwrap_or_else(|e| panic!("version {version} did not open: {e}"));
    let conn = store.connection();
    let ctx = format!("upgrading from schema version {version}");
    let user_version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(user_version, SCHEMA_VERSION, "{ctx}");
    let id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID, "{ctx}");
    assert_eq!(integrity(conn), ["ok"], "{ctx}");
    assert!(foreign_key_problems(conn).is_empty(), "{ctx}");
    for (table, (cols, rows_before)) in before {
        let now = sorted_text(&rows(conn, table, cols));
        assert_eq!(now.len(), rows_before.len(), "{ctx}: rows in {table}");
        assert_eq!(&now, rows_before, "{ctx}: values in {table}");
    }
    let events_before = before.get("audit_event").map_or(0, |(_, r)| r.len());
    let chain = store.verify_audit_trail().unwrap();
    assert_eq!(
        (chain.events, chain.first_broken),
        (events_before, None),
        "{ctx}"
    );
    drop(store);

    let mut app = open_app(path);
    let has = |table: &str| before.contains_key(table);
    let list = app.list_assessments().unwrap();
    if !has("assessment") {
        assert!(list.is_empty());
    } else {
        assert_eq!(list.len(), 2, "{ctx}");
        let fraud = list.iter().find(|a| a.id == FRAUD).unwrap();
        // Files from before banks were stored get the built-in content of the version their
        // assessments name, stored once.
        let builtin = CanonicalBank::of(builtin_bank_version("assay-mlops", "1.0.0").unwrap());
        let banks = app.banks().unwrap();
        let used = banks
            .iter()
            .find(|b| b.id == "assay-mlops" && b.version == "1.0.0");
        let used = used.unwrap();
        assert!(used.stored, "{ctx}");
        assert_eq!(used.assessments, 2, "{ctx}");
        assert_eq!(used.digest, builtin.digest.as_str(), "{ctx}");
        assert_eq!(*app.assessment_bank(FRAUD).unwrap(), builtin, "{ctx}");
        assert_eq!((fraud.participants, fraud.answered), (3, 3), "{ctx}");
        assert!(fraud.headline_level.is_some(), "{ctx}");
        let card = app.score(FRAUD).unwrap();
        assert!(card.overall.mean.is_some(), "{ctx}");
        let shown = app.assessment(&FRAUD[..8]).unwrap();
        assert_eq!(shown.votes.len(), 5);
        let names: Vec<_> = shown.participants.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ana Ruiz", "Bo Chen", "Cy Okafor"]);
        let gov = &shown.answers["GOV-2"];
        assert_eq!(gov.rating, Some(Rating::level(Level::new(1).unwrap())));
        assert_eq!(
            gov.evidence[0].target,
            "https://wiki.example.com/fraud/fairness-review"
        );
        assert_eq!(shown.answers["OBS-1"].evidence.len(), 2);
        assert!(matches!(&shown.answers["DE-3"].rating,
            Some(Rating::NotApplicable { justification }) if justification.starts_with("Batch")));
        assert_eq!(shown.targets.areas["governance"].value(), 3);
        if has("governance_item") {
            let items = app.list_items(Some("Fraud models"), false).unwrap();
            assert_eq!(items.len(), 2, "{ctx}");
        }
        if has("signoff") {
            let signoffs = app.signoffs(FRAUD).unwrap();
            assert_eq!((signoffs.len(), signoffs[0].stale), (1, true), "{ctx}");
            assert!(signoffs[0].earlier_format, "made on report format 1: {ctx}");
        }
        if has("report_export") {
            assert_eq!(app.exports(FRAUD).unwrap().len(), 1, "{ctx}");
        }
        // A bundle of the upgraded data must pass the checks another machine's import makes.
        let bundle = app.export_bundle(FRAUD).unwrap();
        let carried = if has("bundle_event") { 2 } else { 0 };
        assert_eq!(
            bundle.content.events.len(),
            carried + events_before,
            "{ctx}"
        );
        Bundle::parse(&bundle.to_json(), app.bank()).unwrap();
        // And the app can still write: a new vote chains onto the migrated trail.
        let two = VoteValue::Level(Level::new(2).unwrap());
        app.cast_vote(FRAUD, "GOV-2", "Cy Okafor", two).unwrap();
        assert_eq!(app.verify_audit_trail().unwrap().events, events_before + 1);
    }
    if has("evidence_run") {
        let projects = app.evidence(None).unwrap();
        assert_eq!(projects.len(), 1, "{ctx}");
        assert_eq!(projects[0].snapshot, evidence(), "{ctx}");
        let linked = app.evidence(Some("Fraud models")).unwrap().len();
        assert_eq!(linked, usize::from(has("evidence_scope")), "{ctx}");
    }
    assert_eq!(integrity(&Connection::open(path).unwrap()), ["ok"]);
}

#[test]
fn every_earlier_schema_version_upgrades_with_all_its_rows() {
    let started = std::time::Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let latest = usize::try_from(SCHEMA_VERSION).unwrap();
    let mut tables_filled = 0;
    let mut rows_checked = 0;
    for version in 0..=latest {
        let path = dir.path().join(format!("v{version}.db"));
        let before = build_fixture(&path, version);
        check_upgrade(&path, version, &before);
        tables_filled += before.len();
        rows_checked += before.values().map(|(_, r)| r.len()).sum::<usize>();
        if version == latest {
            // No fixture may outlive its table: at the latest version every one is used.
            assert_eq!(
                before.len(),
                FIXTURES.len(),
                "a fixture names a table that no longer exists"
            );
        }
    }
    eprintln!(
        "migrations: {} versions (0..={latest}), {tables_filled} table fixtures, \
         {rows_checked} rows checked, {:?}",
        latest + 1,
        started.elapsed()
    );
}

#[test]
fn a_database_from_a_newer_assay_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    build_fixture(&path, usize::try_from(SCHEMA_VERSION).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    } // closing the last connection checkpoints the WAL into the file and removes it
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let (bytes, files) = (std::fs::read(&path).unwrap(), listing());
    let digest = format!("{:x}", Sha256::digest(&bytes));

    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(&err, StoreError::TooNew { path: shown, found, supported }
            if *found == SCHEMA_VERSION + 1 && *supported == SCHEMA_VERSION
                && shown.ends_with("newer.db")),
        "{err:?}"
    );
    let err = Assay::open(&path, Box::new(assay_api::SystemClock)).unwrap_err();
    assert_eq!(err.code().as_str(), "database_too_new");
    assert!(!err.is_user_error());
    let message = err.to_string();
    for words in [
        "newer version of Assay",
        &format!("schema version {}", SCHEMA_VERSION + 1),
        &format!("reads up to {SCHEMA_VERSION}"),
        "upgrade Assay",
    ] {
        assert!(message.contains(words), "`{words}` missing from: {message}");
    }
    let after = std::fs::read(&path).unwrap();
    assert_eq!(
        format!("{:x}", Sha256::digest(&after)),
        digest,
        "the refused file was modified"
    );
    assert_eq!(listing(), files, "opening left a -wal or -shm file behind");
}
