//! The rows each schema version of Assay would have written, table by table, for
//! `migrations_every_version.rs`: a migration that adds a table adds its fixture here.

use assay_api::builtin_bank_version;
use assay_api::evidence_model::Snapshot;
use assay_api::store::{AuditEvent, GENESIS_HASH};
use assay_assessment::CanonicalBank;
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub(crate) const FRAUD: &str = "7d1e4c2a-5b3f-4e8a-9c61-2f0a8b9d3e10";
pub(crate) const CHURN: &str = "c0a80101-9e2b-4f7d-8a3c-5d6e7f809112";
pub(crate) const ANA: &str = "0b6f2d1e-3c4a-4b5c-9d6e-7f8091a2b3c4";
pub(crate) const BO: &str = "1c7a3e2f-4d5b-4c6d-8e7f-90a1b2c3d4e5";
pub(crate) const CY: &str = "2d8b4f30-5e6c-4d7e-9f80-a1b2c3d4e5f6";
pub(crate) const ITEM_BIAS: &str = "5e1f7a63-8b9c-4a0d-b1e2-f3a4b5c6d7e8";
pub(crate) const ITEM_FEATURES: &str = "6f2a8b74-9cad-4b1e-82f3-a4b5c6d7e8f9";
pub(crate) const MLFLOW: &str = "https://mlflow.example.com";
pub(crate) const PROJECT: &str = "credit-scoring";
pub(crate) const RUN: &str = "9f2c4e6a8b0d";

pub(crate) type Fixture = rusqlite::Result<()>;
pub(crate) type Fill = fn(&Connection) -> Fixture;

/// Every table of every schema version, parents before children, with the rows that version of
/// Assay would have written.
#[rustfmt::skip] // one table per entry, rows as the SQL a reader would write
pub(crate) const FIXTURES: &[(&str, Fill)] = &[
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
        if has_column(c, "answer", "carried_from")? {
            c.execute_batch(&format!(
                "UPDATE answer SET carried_from = '{{\"assessment\":\"{CHURN}\",\"bank\":\"assay-mlops@1.0.0\",\"questions\":[\"OBS-1\"]}}'
                 WHERE question_id = 'OBS-1';"
            ))?;
        }
        Ok(())
    }),
    ("evidence_link", |c| {
        const COLUMNS: &str = "(assessment_id, question_id, position, kind, target, label)";
        c.execute_batch(&format!(
            "INSERT INTO evidence_link {COLUMNS} VALUES ('{FRAUD}', 'GOV-2', 0, 'url',
                 'https://wiki.example.com/fraud/fairness-review', 'Fairness review');
             INSERT INTO evidence_link {COLUMNS} VALUES ('{FRAUD}', 'OBS-1', 0, 'file',
                 'runbooks/alerting.md', NULL);
             INSERT INTO evidence_link {COLUMNS} VALUES ('{FRAUD}', 'OBS-1', 1, 'tracker',
                 'mlflow://credit-scoring/runs/{RUN}', 'Monitoring run');"
        ))?;
        // Version 11 records who added a link and when, and a file's digest.
        if has_column(c, "evidence_link", "added_at")? {
            c.execute_batch(
                "UPDATE evidence_link SET added_at = '2026-04-15T10:41:00+00:00', added_by = 'ana',
                     file_sha256 = 'a0bd8567ec5da5c4c78ef8370994af0b34e5c83c1ebdd28359d297096f8efa75'
                 WHERE question_id = 'OBS-1' AND position = 0;",
            )?;
        }
        // Version 16: the day the fact was true, when it differs from the day it was linked.
        if has_column(c, "evidence_link", "as_of")? {
            c.execute_batch(
                "UPDATE evidence_link SET as_of = '2026-03-31'
                 WHERE question_id = 'OBS-1' AND position = 0;",
            )?;
        }
        Ok(())
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
            "INSERT INTO governance_item_evidence (item_id, position, kind, target, label)
                 VALUES ('{ITEM_BIAS}', 0, 'url', 'https://jira.example.com/browse/FRAUD-42',
                 'Ticket');
             INSERT INTO governance_item_evidence (item_id, position, kind, target, label)
                 VALUES ('{ITEM_FEATURES}', 0, 'file', 'reviews/feature-store-decision.pdf', NULL);"
        ))?;
        if has_column(c, "governance_item_evidence", "added_at")? {
            c.execute_batch(&format!(
                "UPDATE governance_item_evidence SET added_at = '2026-04-18T08:00:00+00:00',
                     added_by = 'lena',
                     file_sha256 = '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e'
                 WHERE item_id = '{ITEM_FEATURES}';"
            ))?;
        }
        if has_column(c, "governance_item_evidence", "as_of")? {
            c.execute_batch(&format!(
                "UPDATE governance_item_evidence SET as_of = '2026-04-17'
                 WHERE item_id = '{ITEM_FEATURES}';"
            ))?;
        }
        Ok(())
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
        ))?;
        if has_column(c, "signoff", "trail_seq")? {
            // Given on Bo's laptop and brought by the bundle: its trail point names that
            // database's trail (the carried chain), so this database does not judge it.
            let chain = carried_chain();
            let (first, fourth) = (&chain[0], &chain[1]);
            c.execute(
                &format!(
                    "INSERT INTO signoff VALUES ('5b1d7e02-cafe-4d30-a4f5-c6d7e8f90a1c', '{FRAUD}',
                         'Dana Lee', 'Head of risk', 'approve', '', '2026-04-21', ?1,
                         '2026-04-21T09:00:00+00:00', 3, 2, 2, ?2, ?3)"
                ),
                rusqlite::params!["cd".repeat(32), fourth.hash, first.hash],
            )?;
        }
        Ok(())
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
    ("room_position", |c| {
        // The live room stood on OBS-1 with its votes revealed when it was last closed.
        c.execute_batch(&format!(
            "INSERT INTO room_position VALUES ('{FRAUD}', 'OBS-1', 1, '2026-04-15T10:40:00+00:00');"
        ))
    }),
    ("roadmap_effort", |c| {
        c.execute_batch(&format!(
            "INSERT INTO roadmap_effort VALUES ('{FRAUD}', 'GOV-2', 'large', '2026-04-16T09:00:00+00:00', 'ana');"
        ))
    }),
    ("soa_decision", |c| {
        c.execute_batch(&format!(
            "INSERT INTO soa_decision VALUES ('{FRAUD}', 'A.10.4', 0,
                 'No customers use the models directly', '[\"good_practice\"]', 'lena',
                 '2026-04-16T09:30:00+00:00');"
        ))
    }),
    ("soa_approval", |c| {
        c.execute_batch(&format!(
            "INSERT INTO soa_approval VALUES ('3e9b1c44-5a6d-4e7f-8091-a2b3c4d5e6f7', '{FRAUD}',
                 'Dana Lee', 'Head of risk', 'approve', '', '2026-04-21', '{}',
                 '2026-04-21T10:00:00+00:00');",
            "9a".repeat(32)
        ))
    }),
    ("reattest_period", |c| {
        c.execute_batch(&format!(
            "INSERT INTO reattest_period VALUES ('{FRAUD}', 180, '2026-04-16T09:00:00+00:00');"
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
            "INSERT INTO report_export (seq, assessment_id, format, path, document_id,
                 content_hash, exported_at) VALUES (1, '{FRAUD}', 'pdf',
                 '/home/ana/reports/fraud.pdf', 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9', '{}',
                 '2026-04-20T15:00:00+00:00');",
            "ef".repeat(32)
        ))?;
        // Version 17 logs the other documents too.
        if has_column(c, "report_export", "kind")? {
            c.execute_batch(&format!(
                "INSERT INTO report_export VALUES (2, '{FRAUD}', 'pdf',
                     '/home/ana/reports/fraud-soa.pdf', '{soa}', '{soa}',
                     '2026-04-21T09:00:00+00:00', 'soa');",
                soa = "5a".repeat(32)
            ))?;
        }
        Ok(())
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

pub(crate) fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

/// As the store fingerprints an imported entity.
pub(crate) fn fingerprint(value: &impl Serialize) -> String {
    format!("{:x}", Sha256::digest(json(value).as_bytes()))
}

/// Events chained from the genesis hash as the store chains them: each step is (actor,
/// entity, entity id, before, after). `hash_matches` checks the formula against the store's.
pub(crate) fn chain(steps: &[(&str, &str, String, Option<&str>, &str)]) -> Vec<AuditEvent> {
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
pub(crate) fn audit_chain() -> Vec<AuditEvent> {
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
pub(crate) fn carried_chain() -> Vec<AuditEvent> {
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
pub(crate) fn insert_events(
    c: &Connection,
    carried_for: Option<&str>,
    events: &[AuditEvent],
) -> Fixture {
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
pub(crate) fn evidence() -> Snapshot {
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

/// Whether `table` has `column` at the schema version being filled.
fn has_column(c: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    c.query_row(
        "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n == 1)
}
