//! Tracker evidence for the export tests: one MLflow project with a registered model version,
//! the run that produced it, the datasets its lineage names and fairness figures per group,
//! saved into a database file the way an import saves it. Every string can be passed through a
//! function first, so the same evidence comes in a plain and a hostile version.

// Each test file uses part of this module.
#![allow(dead_code)]

use std::path::Path;

use assay_api::evidence_model::{BiasSource, Snapshot};
use assay_api::store::{ImportRun, Store};
use assay_api::{Assay, SequentialIds, SteppingClock};
use chrono::{DateTime, Duration, TimeZone, Utc};

/// Markup, quotes, an ampersand, a right-to-left override and Hebrew, control characters and a
/// line break: what a hostile or careless tracker could hold in any field.
pub const HOSTILE: &str = "<script>alert(\"x\")</script><img src=x onerror=alert(1)> 'q' & \u{202e}RTL עברית \u{1}\u{7f}\nline2 *bold* [l](javascript:x)";

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 9, 10, 0, 0).unwrap()
}

/// A clock that always reads `start()`: two exports of the same data are the same bytes.
pub fn still_clock() -> Box<SteppingClock> {
    Box::new(SteppingClock::new(start(), Duration::zero()))
}

pub fn open(db: &Path) -> Assay {
    Assay::open(db, still_clock())
        .unwrap()
        .with_ids(Box::new(SequentialIds::default()))
}

/// Saves `snapshot` as one import and links it to `scope`.
pub fn seed(db: &Path, snapshot: &Snapshot, scope: &str) {
    let mut store = Store::open(db).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 4, 9, 9, 30, 0).unwrap();
    let run = ImportRun {
        started_at: at,
        finished_at: at,
        incremental: false,
        watermark: None,
    };
    store.save_evidence(snapshot, &run).unwrap();
    store.link_evidence_scope(&snapshot.source, scope).unwrap();
}

/// The evidence, every string passed through `t` (keys of maps included).
pub fn snapshot(t: &dyn Fn(&str) -> String) -> Snapshot {
    let (train, holdout, run, model) = (
        t("transactions@3f9a1c"),
        t("holdout@77aa01"),
        t("run-1"),
        t("fraud-xgb/3"),
    );
    let bias = |metric: &str,
                value: f64,
                feature: &str,
                group: Option<&str>,
                reference: Option<&str>,
                threshold: serde_json::Value,
                passed: Option<bool>,
                convention: &str| {
        serde_json::json!({
            "run": run, "metric": t(metric), "raw_name": t(&match group {
                Some(group) => format!("{metric}_{feature}_{group}"),
                None => format!("{metric}_{feature}"),
            }),
            "value": value, "sensitive_feature": t(feature), "group": group.map(t),
            "reference_group": reference.map(t), "threshold": threshold, "passed": passed,
            "tool": "fairlearn", "convention": convention, "bias_type": "independence",
            "source": {"kind": "artifact", "detail": t("fairness/report.json")},
        })
    };
    let mut snapshot: Snapshot = serde_json::from_value(serde_json::json!({
        "source": {"tracker": "mlflow", "instance": t("http://127.0.0.1:5000"), "project": t("fraud")},
        "datasets": [
            {"external_id": train, "name": t("transactions"), "version": t("2026-03"),
             "digest": t("3f9a1c"), "source": t("s3://data/transactions/2026-03"),
             "source_type": t("s3"), "context": t("training")},
            {"external_id": holdout, "name": t("holdout"), "version": null, "digest": t("77aa01"),
             "source": null, "source_type": null, "context": null}],
        "runs": [{"external_id": run, "project": t("fraud"), "name": t("xgb-train"),
            "status": "finished", "code_commit": t("4e1d2c3b"),
            "code_repo": t("https://git.example.com/fraud/models"),
            "params": {t("max_depth"): t("6"), t("learning_rate"): t("0.1")},
            "metrics": {t("auc"): 0.91, t("f1"): 0.8125, t("demographic_parity_difference_sex"): 0.21},
            "tags": {t("task"): t("classification"), t("approach"): "supervised"},
            "started_at": "2026-04-09T08:00:00Z", "ended_at": "2026-04-09T09:00:00Z"}],
        "model_versions": [{"external_id": model, "registry_name": t("fraud-xgb"),
            "version": t("3"), "aliases": [t("champion")], "stage": t("Production"),
            "source_run": run, "tags": {t("owner"): t("fraud-team")}}],
        "edges": [
            {"kind": "used_by", "from": {"kind": "dataset", "external_id": train},
                "to": {"kind": "run", "external_id": run}, "context": t("training")},
            {"kind": "produced", "from": {"kind": "run", "external_id": run},
                "to": {"kind": "model_version", "external_id": model}, "context": null},
            {"kind": "evaluated_on", "from": {"kind": "model_version", "external_id": model},
                "to": {"kind": "dataset", "external_id": holdout}, "context": null}],
        "bias": [
            bias("demographic_parity_difference", 0.21, "sex", None, None,
                serde_json::json!({"rule": "abs_at_most", "max": 0.1}), Some(false),
                "difference_non_negative"),
            bias("selection_rate", 0.31, "sex", Some("female"), None, serde_json::Value::Null,
                None, "group_value"),
            bias("selection_rate", 0.52, "sex", Some("male"), None, serde_json::Value::Null,
                None, "group_value"),
            bias("disparate_impact", 0.7, "race", Some("black"), Some("white"),
                serde_json::json!({"rule": "ratio_at_least", "min": 0.8, "two_sided": true}),
                Some(false), "ratio_unprivileged_over_privileged"),
            bias("equalized_odds_difference", 0.04, "age", None, None,
                serde_json::json!({"rule": "abs_at_most", "max": 0.1}), Some(true),
                "difference_non_negative"),
        ],
        "unmatched": [],
    }))
    .unwrap();
    // The aggregate parity figure was read from the run's metric of that name: the card shows
    // it once, as a fairness figure.
    snapshot.bias[0].source = BiasSource::Metric;
    snapshot.normalise();
    snapshot
}
