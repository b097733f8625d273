//! A snapshot survives its JSON form exactly: the store freezes snapshots as JSON, bundles carry
//! them, and both check content hashes computed before the round trip.
//!
//! Regression for a fuzz find (`fuzz/corpus/mlflow_responses/crash-632e336…`): without
//! serde_json's `float_roundtrip` feature, numbers with 17 significant digits such as
//! `1.0462301314644313` were read one unit in the last place off, so a snapshot read back from
//! its own JSON differed from the one written (and a bundle holding it could fail its checksum).

#![allow(clippy::unwrap_used)]

mod support;

use assay_evidence::fairness::extract;
use assay_evidence::{Snapshot, Source, Tracker};
use support::run;

/// Decimal forms (as trackers write them) that the default serde_json parser read wrongly.
const HARD: &[&str] = &["1.0462301314644313", "0.17141081955843263"];

#[test]
fn json_numbers_are_read_exactly() {
    for text in HARD {
        let exact: f64 = text.parse().unwrap();
        let read: f64 = serde_json::from_str(text).unwrap();
        assert_eq!(read.to_bits(), exact.to_bits(), "{text}");
    }
}

#[test]
fn a_snapshot_reads_back_from_its_json_unchanged() {
    let metrics: Vec<(String, f64)> = HARD
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let name = format!("fairness.sex.demographic_parity_difference.g{i}");
            (name, text.parse().unwrap())
        })
        .chain([(
            "fairness.sex.demographic_parity_difference".to_string(),
            1.0462301314644313,
        )])
        .collect();
    let metrics: Vec<(&str, f64)> = metrics.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let run = run("r1", &metrics, &[("fairness.sensitive_features", "sex")]);
    let mut snapshot = Snapshot::empty(Source {
        tracker: Tracker::Mlflow,
        instance: "http://mlflow".into(),
        project: "credit-scoring-governance".into(),
    });
    snapshot.bias = extract(&run, &[]).bias;
    snapshot.runs.push(run);
    snapshot.normalise();
    assert!(!snapshot.bias.is_empty());

    let json = serde_json::to_string(&snapshot).unwrap();
    let back: Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(back, snapshot);
    assert_eq!(back.content_hash(), snapshot.content_hash());
}
