//! A tracker project at the scale of a real hyperparameter sweep, linked to the demo scope: the
//! case the report's evidence sections are built for. Shared by the report scale test
//! (`tests/report_scale.rs`) and the report bench (`examples/tracker_scale_report.rs`), so that
//! both measure the same data.
//!
//! One MLflow experiment of `runs` runs. Every run logs a Fairlearn demographic parity
//! difference over the groups of `sex`; every tenth run reads a version of the training data
//! and also logs an equal opportunity difference over `age_band`. The importer's own
//! recogniser reads them; about one run in eleven fails a threshold. Five registered versions
//! of `fraud-xgb` come from five of the tenth runs: v1 archived, v2 in production (legacy
//! stage), v3 aliased `champion`, v4 in staging aliased `challenger`, v5 registered only; v3
//! and v4 were evaluated on the hold-out set. Seeded and deterministic.

use std::collections::BTreeMap;
use std::path::Path;

use assay_api::{Assay, SequentialIds, SteppingClock};
use assay_evidence::{
    Dataset, EdgeKind, EntityRef, LineageEdge, ModelVersion, Run, Snapshot, Source, Tracker,
    fairness,
};
use assay_store::{ImportRun, Store};
use chrono::{DateTime, Duration, TimeZone, Utc};

/// The sweep of the product owner's report: 5,050 runs.
pub const SWEEP_RUNS: usize = 5_050;

pub const EXPERIMENT: &str = "fraud-xgb-sweep";
pub const REGISTRY: &str = "fraud-xgb";
const SEED: u64 = 0x5EED_F41E_2026_0001;

/// A registered version: (version, where its source run sits in the sweep in thousandths,
/// stage, aliases, evaluated on the hold-out set).
type VersionSpec = (
    &'static str,
    usize,
    Option<&'static str>,
    &'static [&'static str],
    bool,
);

/// The registered versions. Source runs are tenth runs, so each has dataset lineage; a sweep of
/// 60 runs or more has five distinct ones.
const VERSIONS: [VersionSpec; 5] = [
    ("1", 80, Some("Archived"), &[], false),
    ("2", 360, Some("Production"), &[], false),
    ("3", 600, None, &["champion"], true),
    ("4", 875, Some("Staging"), &["challenger"], true),
    ("5", 1_000, None, &[], false),
];

/// The index of each version's source run in a sweep of `runs` runs.
pub fn source_runs(runs: usize) -> [usize; 5] {
    let tenth_runs = runs.div_ceil(10);
    VERSIONS.map(|v| tenth_runs.saturating_sub(1) * v.1 / 1_000 * 10)
}

/// splitmix64: tiny, seeded and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 6, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

fn source() -> Source {
    Source {
        tracker: Tracker::Mlflow,
        instance: "https://mlflow.example.com".into(),
        project: EXPERIMENT.into(),
    }
}

/// 64 bits drawn from `n`, the same every time.
fn mix(n: u64) -> u64 {
    Rng(SEED ^ n).next()
}

/// MLflow run ids are 32 hex digits.
pub fn run_id(index: usize) -> String {
    format!(
        "{:016x}{:016x}",
        mix(2 * index as u64),
        mix(2 * index as u64 + 1)
    )
}

/// Training data: a new snapshot of the transactions table every 1,010 runs.
fn training_data(index: usize) -> Dataset {
    let version = index / 1_010 + 1;
    let digest = format!("{:08x}", (SEED >> (version * 4)) as u32);
    Dataset {
        external_id: format!("card-transactions@{digest}"),
        name: "card-transactions".into(),
        version: Some(format!("2026-0{version}")),
        digest: Some(digest),
        source: Some(format!(
            "s3://fraud-data/card-transactions/2026-0{version}/"
        )),
        source_type: Some("s3".into()),
        context: Some("training".into()),
    }
}

fn holdout() -> Dataset {
    Dataset {
        external_id: "holdout-2026q1@5d41402a".into(),
        name: "holdout-2026q1".into(),
        version: Some("2026-q1".into()),
        digest: Some("5d41402a".into()),
        source: Some("s3://fraud-data/holdout/2026-q1/".into()),
        source_type: Some("s3".into()),
        context: Some("evaluation".into()),
    }
}

/// A Fairlearn difference (largest minus smallest group): mostly within the 0.1 threshold,
/// with `fail_percent` of runs past it.
fn disparity(rng: &mut Rng, fail_percent: f64) -> f64 {
    let size = if rng.unit() * 100.0 < fail_percent {
        0.101 + 0.2 * rng.unit()
    } else {
        0.005 + 0.09 * rng.unit()
    };
    (size * 1000.0).round() / 1000.0
}

fn run(index: usize, sources: &[usize; 5], rng: &mut Rng) -> Run {
    let learning_rate = [0.01, 0.03, 0.05, 0.1, 0.3][index % 5];
    let depth = 3 + index / 5 % 8;
    let estimators = 100 * (1 + index / 40 % 10);
    let (dpd, eod) = if sources.contains(&index) {
        // Registered models passed the gate, except the staging challenger's equal
        // opportunity, which a reviewer should see.
        (0.042, if index == sources[3] { 0.118 } else { 0.061 })
    } else {
        (disparity(rng, 9.0), disparity(rng, 6.0))
    };
    let mut metrics = BTreeMap::from([
        ("auc".to_owned(), 0.90 + 0.08 * rng.unit()),
        ("fairness.sex.demographic_parity_difference".to_owned(), dpd),
    ]);
    // The runs that read a fresh copy of the data were evaluated in full.
    if index.is_multiple_of(10) {
        metrics.insert(
            "fairness.age_band.equal_opportunity_difference".to_owned(),
            eod,
        );
    }
    let tags = BTreeMap::from([
        ("fairness.tool".to_owned(), "fairlearn".to_owned()),
        (
            "fairness.sensitive_features".to_owned(),
            "sex,age_band".to_owned(),
        ),
    ]);
    let started = start() + Duration::minutes(3 * index as i64);
    Run {
        external_id: run_id(index),
        project: EXPERIMENT.into(),
        name: format!("xgb-sweep-{index:04}"),
        status: if index % 97 == 13 && !sources.contains(&index) {
            "failed"
        } else {
            "finished"
        }
        .into(),
        // A new commit every 1,000 runs.
        code_commit: Some(format!(
            "{:016x}{:016x}{:08x}",
            mix(u64::MAX - (index / 1_000) as u64),
            mix(u64::MAX / 2 - (index / 1_000) as u64),
            (mix(index as u64 / 1_000) >> 32) as u32
        )),
        code_repo: Some("https://git.example.com/risk/fraud-models".into()),
        params: BTreeMap::from([
            ("learning_rate".to_owned(), learning_rate.to_string()),
            ("max_depth".to_owned(), depth.to_string()),
            ("n_estimators".to_owned(), estimators.to_string()),
        ]),
        metrics,
        tags,
        started_at: Some(started),
        ended_at: Some(started + Duration::minutes(2)),
    }
}

/// The sweep as an import hands it to the store: `runs` runs (at least one).
pub fn sweep_snapshot(runs: usize) -> Snapshot {
    let mut rng = Rng(SEED);
    let mut snapshot = Snapshot::empty(source());
    let sources = source_runs(runs);
    for index in 0..runs {
        let run = run(index, &sources, &mut rng);
        snapshot.bias.extend(fairness::extract(&run, &[]).bias);
        if index.is_multiple_of(10) {
            let data = training_data(index);
            snapshot.edges.push(LineageEdge {
                kind: EdgeKind::UsedBy,
                from: EntityRef::dataset(&data.external_id),
                to: EntityRef::run(&run.external_id),
                context: Some("training".into()),
            });
            snapshot.datasets.push(data);
        }
        snapshot.runs.push(run);
    }
    snapshot.datasets.push(holdout());
    for ((version, _, stage, aliases, evaluated), index) in VERSIONS.into_iter().zip(sources) {
        let external_id = format!("{REGISTRY}/{version}");
        snapshot.edges.push(LineageEdge {
            kind: EdgeKind::Produced,
            from: EntityRef::run(run_id(index)),
            to: EntityRef::model_version(&external_id),
            context: None,
        });
        if evaluated {
            snapshot.edges.push(LineageEdge {
                kind: EdgeKind::EvaluatedOn,
                from: EntityRef::model_version(&external_id),
                to: EntityRef::dataset(holdout().external_id),
                context: None,
            });
        }
        snapshot.model_versions.push(ModelVersion {
            external_id,
            registry_name: REGISTRY.into(),
            version: version.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            stage: stage.map(str::to_owned),
            source_run: Some(run_id(index)),
            tags: BTreeMap::new(),
        });
    }
    snapshot.normalise();
    snapshot
}

/// Creates the demo in a database under `dir` (fixed clock and ids, so the same call gives the
/// same report) and stores `snapshot` as an import of its project, linked to the demo's scope;
/// the handle and the demo assessment's id.
pub fn demo_with_evidence(dir: &Path, snapshot: &Snapshot) -> (Assay, String) {
    let db = dir.join("scale.db");
    let open = || {
        Assay::open(
            &db,
            Box::new(SteppingClock::new(start(), Duration::seconds(1))),
        )
        .map(|a| a.with_ids(Box::new(SequentialIds::default())))
    };
    let id = open()
        .and_then(|mut assay| assay.create_demo())
        .unwrap_or_else(|e| panic!("the demo: {e}"));
    let scope = "Payments fraud detection";
    let stored = Store::open(&db).and_then(|mut store| {
        let at = start() + Duration::days(2);
        store.save_evidence(
            snapshot,
            &ImportRun {
                started_at: at,
                finished_at: at + Duration::seconds(40),
                incremental: false,
                watermark: None,
            },
        )?;
        store.link_evidence_scope(&snapshot.source, scope)
    });
    stored.unwrap_or_else(|e| panic!("storing the sweep: {e}"));
    let assay = open().unwrap_or_else(|e| panic!("reopening: {e}"));
    (assay, id)
}
