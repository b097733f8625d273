//! Saving tracker evidence: upserts by key, new / changed / unchanged counts, the content hash
//! of a project's evidence, and incremental imports that add to what is held.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use assay_evidence::fairness::MappingRule;
use assay_evidence::{
    BiasEvidence, BiasSource, BiasType, Convention, Dataset, EdgeKind, EntityRef, FairnessTool,
    LineageEdge, ModelVersion, Run, Snapshot, Source, Threshold, Tracker,
};
use assay_store::{ImportRun, Store};
use chrono::{TimeZone, Utc};

fn source() -> Source {
    Source {
        tracker: Tracker::Mlflow,
        instance: "http://127.0.0.1:5055".into(),
        project: "credit".into(),
    }
}

fn run(id: &str, commit: Option<&str>) -> Run {
    Run {
        external_id: id.into(),
        project: "credit".into(),
        name: format!("run {id}"),
        status: "finished".into(),
        code_commit: commit.map(str::to_owned),
        code_repo: None,
        params: BTreeMap::from([("lr".into(), "0.1".into())]),
        metrics: BTreeMap::from([("auc".into(), 0.91), ("broken".into(), f64::NAN)]),
        tags: BTreeMap::new(),
        started_at: Some(Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap()),
        ended_at: None,
    }
}

fn bias(run: &str, value: f64) -> BiasEvidence {
    BiasEvidence {
        run: run.into(),
        metric: "demographic_parity_difference".into(),
        raw_name: "fairness.sex.demographic_parity_difference".into(),
        value,
        sensitive_feature: Some("sex".into()),
        group: None,
        reference_group: None,
        threshold: Some(Threshold::AbsAtMost { max: 0.1 }),
        passed: Some(value.abs() <= 0.1),
        tool: FairnessTool::Fairlearn,
        convention: Convention::DifferenceNonNegative,
        bias_type: BiasType::Independence,
        source: BiasSource::Metric,
    }
}

fn snapshot() -> Snapshot {
    let mut snapshot = Snapshot::empty(source());
    snapshot.datasets.push(Dataset {
        external_id: "credit-train@abc".into(),
        name: "credit-train".into(),
        version: None,
        digest: Some("abc".into()),
        source: Some("s3://bucket/train.csv".into()),
        source_type: Some("s3".into()),
        context: Some("training".into()),
    });
    snapshot.runs = vec![run("r1", Some("deadbeef")), run("r2", None)];
    snapshot.model_versions.push(ModelVersion {
        external_id: "credit-model/1".into(),
        registry_name: "credit-model".into(),
        version: "1".into(),
        aliases: vec!["champion".into()],
        stage: None,
        source_run: Some("r1".into()),
        tags: BTreeMap::new(),
    });
    snapshot.edges = vec![
        LineageEdge {
            kind: EdgeKind::UsedBy,
            from: EntityRef::dataset("credit-train@abc"),
            to: EntityRef::run("r1"),
            context: Some("training".into()),
        },
        LineageEdge {
            kind: EdgeKind::Produced,
            from: EntityRef::run("r1"),
            to: EntityRef::model_version("credit-model/1"),
            context: None,
        },
    ];
    snapshot.bias = vec![bias("r1", 0.17), bias("r2", 0.04)];
    snapshot
}

fn at(minute: u32) -> ImportRun<'static> {
    let t = Utc.with_ymd_and_hms(2026, 6, 1, 9, minute, 0).unwrap();
    ImportRun {
        started_at: t,
        finished_at: t,
        incremental: minute > 0,
        watermark: Some("{\"t\":1}"),
    }
}

#[test]
fn saving_round_trips_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("e.db")).unwrap();
    let first = store.save_evidence(&snapshot(), &at(0)).unwrap();
    assert_eq!(
        (
            first.counts.new,
            first.counts.changed,
            first.counts.unchanged
        ),
        (4, 0, 0)
    );
    assert_eq!(
        (
            first.counts.runs,
            first.counts.edges,
            first.counts.bias_metrics
        ),
        (2, 2, 2)
    );

    let mut expected = snapshot();
    expected.normalise();
    let held = store.evidence_snapshot(&source()).unwrap();
    assert_eq!(
        held, expected,
        "NaN metrics are dropped, the rest comes back as saved"
    );
    assert_eq!(first.content_hash, expected.content_hash());

    drop(store);
    let mut store = Store::open(&dir.path().join("e.db")).unwrap();
    let again = store.save_evidence(&snapshot(), &at(1)).unwrap();
    assert_eq!(
        (
            again.counts.new,
            again.counts.changed,
            again.counts.unchanged
        ),
        (0, 0, 4)
    );
    assert_eq!(again.content_hash, first.content_hash);
    assert_eq!(
        store.evidence_snapshot(&source()).unwrap(),
        expected,
        "no duplicates"
    );
    assert_eq!(store.evidence_imports(Some(&source())).unwrap().len(), 2);
    assert_eq!(store.evidence_sources().unwrap(), vec![source()]);
}

#[test]
fn an_incremental_import_adds_and_updates_without_losing_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("e.db")).unwrap();
    let first = store.save_evidence(&snapshot(), &at(0)).unwrap();

    // Only r2 (re-run, now with a commit and a better metric) and a new r3 are fetched.
    let mut delta = Snapshot::empty(source());
    delta.runs = vec![run("r2", Some("cafe")), run("r3", None)];
    delta.bias = vec![bias("r2", 0.02)];
    let second = store.save_evidence(&delta, &at(5)).unwrap();
    assert_eq!(
        (
            second.counts.new,
            second.counts.changed,
            second.counts.unchanged
        ),
        (1, 1, 0)
    );
    assert_eq!(second.counts.runs, 3);
    assert_ne!(second.content_hash, first.content_hash);

    let held = store.evidence_snapshot(&source()).unwrap();
    assert_eq!(held.edges.len(), 2, "edges of runs not fetched are kept");
    let r2: Vec<_> = held.bias.iter().filter(|b| b.run == "r2").collect();
    assert_eq!(r2.len(), 1);
    assert_eq!(
        r2[0].value, 0.02,
        "a fetched run's metrics replace its earlier ones"
    );
    assert!(held.bias.iter().any(|b| b.run == "r1"));
    let last = store.last_evidence_import(&source()).unwrap().unwrap();
    assert!(last.incremental);
    assert_eq!(last.watermark.as_deref(), Some("{\"t\":1}"));
}

#[test]
fn mapping_rules_persist_per_project() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("e.db")).unwrap();
    let rule = MappingRule {
        raw_name: "bias_gap_gender".into(),
        metric: "demographic_parity_difference".into(),
        sensitive_feature: Some("gender".into()),
        group: None,
    };
    let t = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    store.put_mapping_rule(&source(), &rule, t).unwrap();
    store.put_mapping_rule(&source(), &rule, t).unwrap();
    assert_eq!(store.mapping_rules(&source()).unwrap(), vec![rule]);
    let other = Source {
        project: "other".into(),
        ..source()
    };
    assert!(store.mapping_rules(&other).unwrap().is_empty());
}
