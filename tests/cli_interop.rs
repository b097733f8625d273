//! `assay model-card` and `assay oscal`: a file with `-o` and a line that says what was written,
//! the same document on standard output without it, and one-line refusals.

#![allow(clippy::unwrap_used)]

mod cli_support;

use assay_api::evidence_model::Snapshot;
use assay_api::store::{ImportRun, Store};
use chrono::{TimeZone, Utc};
use cli_support::Workspace;
use serde_json::Value;

/// A registered model version and the run that produced it, linked to the demo's scope.
fn seed_evidence(db: &std::path::Path) {
    let snapshot: Snapshot = serde_json::from_value(serde_json::json!({
        "source": {"tracker": "mlflow", "instance": "http://127.0.0.1:5000", "project": "fraud"},
        "datasets": [],
        "runs": [{"external_id": "r1", "project": "fraud", "name": "train", "status": "finished",
            "code_commit": null, "code_repo": null, "params": {}, "metrics": {"auc": 0.9},
            "tags": {}, "started_at": null, "ended_at": null}],
        "model_versions": [{"external_id": "fraud-xgb/3", "registry_name": "fraud-xgb",
            "version": "3", "aliases": [], "stage": null, "source_run": "r1", "tags": {}}],
        "edges": [], "bias": [], "unmatched": [],
    }))
    .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 4, 9, 9, 0, 0).unwrap();
    let mut store = Store::open(db).unwrap();
    let run = ImportRun {
        started_at: at,
        finished_at: at,
        incremental: false,
        watermark: None,
    };
    store.save_evidence(&snapshot, &run).unwrap();
    store
        .link_evidence_scope(&snapshot.source, "Payments fraud detection")
        .unwrap();
}

#[test]
fn exports_go_to_a_file_or_to_standard_output() {
    let ws = Workspace::new();
    let id = ws.ok(&["demo"]).trim().to_owned();
    let file = ws.dir.path().join("results.json");
    let said = ws.ok(&[
        "oscal",
        "results",
        "-a",
        &id[..8],
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(
        said.starts_with("wrote ") && said.contains("OSCAL 1.2.3 assessment results"),
        "{said}"
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let printed = ws.json(&["oscal", "results", "-a", &id]);
    // Only the time of writing may differ between the two.
    let ids = |d: &Value| d["assessment-results"]["results"][0]["findings"][0]["uuid"].clone();
    assert_eq!(ids(&printed), ids(&written));

    let catalog = ws.json(&["oscal", "catalog", "--bank", "assay-mlops@2.2.0"]);
    assert_eq!(catalog["catalog"]["metadata"]["version"], "2.2.0");
    let error = ws.refused(&["oscal", "catalog", "--bank", "nope@1"], 3);
    assert!(error.contains("nope@1"), "{error}");

    let scope = "Payments fraud detection";
    let error = ws.refused(
        &[
            "model-card",
            "--scope",
            scope,
            "--model",
            "fraud-xgb",
            "--version",
            "3",
        ],
        2,
    );
    assert!(error.contains("no tracker evidence is linked"), "{error}");
    seed_evidence(&ws.db);
    let card = ws.json(&[
        "model-card",
        "--scope",
        scope,
        "--model",
        "fraud-xgb",
        "--version",
        "v3",
    ]);
    assert_eq!(card["components"][0]["type"], "machine-learning-model");
    let page = ws.dir.path().join("card.html");
    let said = ws.ok(&[
        "model-card",
        "--scope",
        scope,
        "--model",
        "fraud-xgb",
        "--version",
        "3",
        "-f",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    assert!(
        said.contains("HTML model card") && said.contains("urn:uuid:"),
        "{said}"
    );
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let error = ws.refused(
        &[
            "model-card",
            "--scope",
            scope,
            "--model",
            "fraud-xgb",
            "--version",
            "3",
            "-f",
            "pdf",
        ],
        2,
    );
    assert!(error.contains("json or html"), "{error}");
}
