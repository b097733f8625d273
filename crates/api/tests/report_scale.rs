//! The report of a scope with a tracker project at the scale of a real sweep: the demo with
//! 5,050 MLflow runs linked to it (`tracker_scale`). The PDF stays short and shows each
//! registered model version with its lineage and fairness; the other runs are summed up with
//! counts this test works out again from the snapshot; the embedded data of both files still
//! holds every run, edge and figure. PDFs are read back with poppler, as an auditor would.

#![allow(clippy::unwrap_used)]

mod tracker_scale;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use assay_api::{Assay, ReportFormat};
use assay_evidence::{EdgeKind, EntityKind, Snapshot};
use assay_reports::html::{DATA_END, DATA_START};
use assay_reports::model::{self, ReportModel};
use assay_reports::verify::{self, Verdict};
use serde_json::Value;

/// How many failing runs the summary lists per metric.
const WORST: usize = 10;

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (poppler-utils) is needed: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

/// The PDF's text, row by row as laid out, with runs of spaces and line breaks folded to one
/// space.
fn text(pdf: &Path) -> String {
    let raw = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Exported {
    _dir: tempfile::TempDir,
    snapshot: Snapshot,
    assay: Assay,
    id: String,
    pdf: std::path::PathBuf,
    html: std::path::PathBuf,
}

fn export(snapshot: Snapshot) -> Exported {
    let dir = tempfile::tempdir().unwrap();
    let (assay, id) = tracker_scale::demo_with_evidence(dir.path(), &snapshot);
    let (pdf, html) = (dir.path().join("r.pdf"), dir.path().join("r.html"));
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    assay.export_report(&id, ReportFormat::Html, &html).unwrap();
    Exported {
        _dir: dir,
        snapshot,
        assay,
        id,
        pdf,
        html,
    }
}

fn sweep() -> Exported {
    export(tracker_scale::sweep_snapshot(tracker_scale::SWEEP_RUNS))
}

/// The embedded data of an exported file as JSON, read the way `assay verify` reads it.
fn embedded(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    let json = if bytes.starts_with(b"%PDF-") {
        assay_reports::pdf::assemble::read_report_data(&bytes)
            .unwrap()
            .unwrap()
            .json
    } else {
        let text = String::from_utf8(bytes).unwrap();
        let start = text.rfind(DATA_START).unwrap() + DATA_START.len();
        let end = start + text[start..].find(DATA_END).unwrap();
        text.as_bytes()[start..end].to_vec()
    };
    serde_json::from_slice(&json).unwrap()
}

fn verified_model(path: &Path) -> ReportModel {
    match verify::verify(&std::fs::read(path).unwrap()).unwrap() {
        Verdict::Intact { model, .. } => *model,
        other => panic!("{} does not verify: {other:?}", path.display()),
    }
}

/// What a reader expects of the runs behind no model version, worked out from the snapshot.
#[derive(Debug, PartialEq)]
struct Expected {
    runs: usize,
    evaluated: usize,
    failing: usize,
    figures: usize,
    /// Per metric label: runs evaluated, runs failing, the worst failing runs' names.
    metrics: BTreeMap<String, (usize, usize, Vec<String>)>,
}

fn expected(snapshot: &Snapshot) -> Expected {
    let sources: BTreeSet<&str> = snapshot
        .model_versions
        .iter()
        .filter_map(|m| m.source_run.as_deref())
        .collect();
    let name: BTreeMap<&str, &str> = snapshot
        .runs
        .iter()
        .map(|r| (r.external_id.as_str(), r.name.as_str()))
        .collect();
    let figures: Vec<_> = snapshot
        .bias
        .iter()
        .filter(|b| b.threshold.is_some() && !sources.contains(b.run.as_str()))
        .collect();
    let runs_with = |pred: &dyn Fn(&&&assay_evidence::BiasEvidence) -> bool| {
        figures
            .iter()
            .filter(pred)
            .map(|b| b.run.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let mut metrics = BTreeMap::new();
    for metric in figures
        .iter()
        .map(|b| b.metric.clone())
        .collect::<BTreeSet<_>>()
    {
        let of: Vec<_> = figures.iter().filter(|b| b.metric == metric).collect();
        let evaluated = of.iter().map(|b| &b.run).collect::<BTreeSet<_>>().len();
        // Every threshold here is |x| <= 0.1, so the worst figure is the largest |x|; one
        // figure per run and metric in this sweep.
        let mut failing: Vec<_> = of.iter().filter(|b| b.passed == Some(false)).collect();
        failing.sort_by(|a, b| {
            b.value
                .abs()
                .total_cmp(&a.value.abs())
                .then(name[a.run.as_str()].cmp(name[b.run.as_str()]))
        });
        let worst = failing
            .iter()
            .take(WORST)
            .map(|b| name[b.run.as_str()].to_owned())
            .collect();
        metrics.insert(metric.replace('_', " "), (evaluated, failing.len(), worst));
    }
    Expected {
        runs: snapshot.runs.len() - sources.len(),
        evaluated: runs_with(&|_| true),
        failing: runs_with(&|b| b.passed == Some(false)),
        figures: figures.len(),
        metrics,
    }
}

fn summary_of(model: &ReportModel) -> Expected {
    let others = &model.tracked.as_ref().unwrap().other_runs;
    Expected {
        runs: others.runs,
        evaluated: others.evaluated,
        failing: others.failing,
        figures: others.figures,
        metrics: others
            .metrics
            .iter()
            .map(|m| {
                let worst = m.worst.iter().map(|b| b.run.clone()).collect();
                (m.metric.clone(), (m.runs, m.failing_runs, worst))
            })
            .collect(),
    }
}

#[test]
fn a_sweep_of_5050_runs_gives_a_short_report_with_every_model_version_that_matters() {
    let exported = sweep();
    let n = pages(&exported.pdf);
    assert!(n < 60, "{n} pages");
    let text = text(&exported.pdf);
    let lineage = text.find("4. Lineage Imported from").unwrap();
    let bias = text.find("5. Bias evidence Model versions").unwrap();
    // Production (alias, then legacy stage), staging, then the rest, newest first; each with
    // its standing, source run, data and fairness verdict.
    let mut at = lineage;
    for (version, standing, run, verdict) in [
        (
            "fraud-xgb v3 [champion]",
            "In production (alias champion)",
            "xgb-sweep-3020",
            "Fairness: 2 figures, all pass.",
        ),
        (
            "fraud-xgb v2",
            "In production (stage Production)",
            "xgb-sweep-1810",
            "Fairness: 2 figures, all pass.",
        ),
        (
            "fraud-xgb v4 [challenger]",
            "In staging (stage Staging; alias challenger)",
            "xgb-sweep-4410",
            "Fairness: 1 of 2 figures fails: equal opportunity difference (age_band).",
        ),
        (
            "fraud-xgb v5",
            "Registered",
            "xgb-sweep-5040",
            "Fairness: 2 figures, all pass.",
        ),
        (
            "fraud-xgb v1",
            "Registered (stage Archived)",
            "xgb-sweep-0400",
            "Fairness: 2 figures, all pass.",
        ),
    ] {
        let block = format!(
            "{version} Standing {standing} Project mlflow fraud-xgb-sweep Source run {run} (produced); finished;"
        );
        at += text[at..]
            .find(&block)
            .unwrap_or_else(|| panic!("{block:?} missing or out of order"));
        let verdict_at = at + text[at..].find(verdict).unwrap();
        let dataset = at + text[at..].find("read by run ").unwrap();
        assert!(verdict_at < bias && dataset < bias, "{version}");
    }
    assert!(text[lineage..bias].contains("holdout-2026q1 2026-q1 evaluated on"));

    let model = verified_model(&exported.pdf);
    let want = expected(&exported.snapshot);
    assert_eq!(summary_of(&model), want);
    assert_eq!(want.runs, 5_045);
    let sentence = format!(
        "Of the 5,045 other runs, {} were evaluated for fairness ({} figures held to a \
         threshold) and {} fail at least one threshold.",
        thousands(want.evaluated),
        thousands(want.figures),
        thousands(want.failing)
    );
    assert!(text[bias..].contains(&sentence), "{sentence}");
    for (metric, (runs, failing, worst)) in &want.metrics {
        assert!(
            *failing > WORST,
            "{metric}: the sweep has more failing runs than are listed"
        );
        let title = format!(
            "{metric}: the {WORST} worst of {} failing runs",
            thousands(*failing)
        );
        let table = bias
            + text[bias..]
                .find(&title)
                .unwrap_or_else(|| panic!("{title}"));
        let mut at = table;
        for run in worst {
            at += text[at..].find(run.as_str()).unwrap();
        }
        assert!(text[bias..].contains(&format!(
            "{metric} |x| ≤ 0.1 {} {}",
            thousands(*runs),
            thousands(*failing)
        )));
    }
    assert!(text.contains(
        "Full detail: every run (5,050), lineage edge (512) and fairness figure held to a threshold (5,555)"
    ));
    // Nothing of the 5,045 other runs is printed run by run but the worst offenders.
    assert!(!text.contains("xgb-sweep-2221"));
}

fn thousands(n: usize) -> String {
    model::thousands(n)
}

#[test]
fn the_embedded_data_of_both_files_holds_every_run_edge_and_figure() {
    let exported = sweep();
    let snapshot = &exported.snapshot;
    for file in [&exported.pdf, &exported.html] {
        let data = embedded(file);
        let ids: BTreeSet<&str> = data["tracked"]["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), snapshot.runs.len(), "{}", file.display());
        for run in &snapshot.runs {
            assert!(ids.contains(run.external_id.as_str()), "run {}", run.name);
        }
        // Every figure held to a threshold, by run name, metric, feature and value.
        let key = |run: &str, metric: &str, feature: &str, value: f64| {
            format!("{run}|{metric}|{feature}|{value:.6}")
        };
        let mut held: Vec<String> = data["bias"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                key(
                    b["run"].as_str().unwrap(),
                    b["metric"].as_str().unwrap(),
                    b["feature"].as_str().unwrap(),
                    b["value"].as_f64().unwrap(),
                )
            })
            .collect();
        let name: BTreeMap<&str, &str> = snapshot
            .runs
            .iter()
            .map(|r| (r.external_id.as_str(), r.name.as_str()))
            .collect();
        let mut logged: Vec<String> = snapshot
            .bias
            .iter()
            .filter(|b| b.threshold.is_some())
            .map(|b| {
                let feature = b.sensitive_feature.as_deref().unwrap();
                key(
                    name[b.run.as_str()],
                    &b.metric.replace('_', " "),
                    feature,
                    b.value,
                )
            })
            .collect();
        held.sort();
        logged.sort();
        assert_eq!(held.len(), 5_555);
        assert!(held == logged, "{}: the figures differ", file.display());
        let edges = data["lineage"].as_array().unwrap();
        assert_eq!(edges.len(), snapshot.edges.len());
        let used_by = snapshot
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::UsedBy && e.to.kind == EntityKind::Run);
        for edge in used_by {
            let to = format!("run {}", name[edge.to.external_id.as_str()]);
            assert!(edges.iter().any(|e| e["to"] == to.as_str()), "edge to {to}");
        }
    }
    // And it is the data the files were drawn from: both verify.
    for file in [&exported.pdf, &exported.html] {
        let verified = assay_api::verify_report_file(file).unwrap();
        let rendered = exported.assay.report_model(&exported.id).unwrap();
        assert_eq!(verified.content_hash, rendered.content_hash);
    }
}

/// A scope of a few dozen runs reads as before: every figure and edge is printed, after the
/// model versions.
#[test]
fn a_small_scope_prints_every_run_in_full() {
    let exported = export(tracker_scale::sweep_snapshot(60));
    let model = verified_model(&exported.pdf);
    let others = &model.tracked.as_ref().unwrap().other_runs;
    assert_eq!(others.runs, 55);
    assert_eq!(others.bias_detail.len(), others.figures);
    assert_eq!(others.lineage_detail.len(), others.lineage_edges);
    let text = text(&exported.pdf);
    for run in &exported.snapshot.runs {
        assert!(text.contains(&run.name), "{} not printed", run.name);
    }
    assert!(!text.contains("worst of"), "nothing is summed up");
    assert_eq!(summary_of(&model), expected(&exported.snapshot));
    let demo = {
        let dir = tempfile::tempdir().unwrap();
        let clock = assay_api::SteppingClock::new(
            chrono::DateTime::UNIX_EPOCH,
            chrono::Duration::seconds(1),
        );
        let mut assay = Assay::open(&dir.path().join("demo.db"), Box::new(clock)).unwrap();
        let id = assay.create_demo().unwrap();
        let pdf = dir.path().join("demo.pdf");
        assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
        pages(&pdf)
    };
    let n = pages(&exported.pdf);
    assert!(n <= demo + 6, "{n} pages, the demo alone {demo}");
}

#[test]
fn hostile_run_model_and_dataset_names_are_escaped_in_html() {
    let mut snapshot = tracker_scale::sweep_snapshot(300);
    let hostile = [
        "<script>document.title='XSSRAN'</script>",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(2)>",
    ];
    let sources: Vec<String> = snapshot
        .model_versions
        .iter()
        .filter_map(|m| m.source_run.clone())
        .collect();
    for run in &mut snapshot.runs {
        if run.external_id == sources[2] {
            run.name = hostile[0].to_owned();
        } else if run.name == "xgb-sweep-0007" {
            run.name = hostile[2].to_owned();
        }
    }
    for model in &mut snapshot.model_versions {
        model.registry_name = hostile[1].to_owned();
        model.aliases = vec![hostile[2].to_owned()];
    }
    snapshot.datasets[0].name = hostile[2].to_owned();
    let exported = export(snapshot);
    let html = std::fs::read_to_string(&exported.html).unwrap();
    for text in hostile {
        assert!(!html.contains(text), "unescaped: {text}");
    }
    assert!(html.contains("&lt;script&gt;document.title&#x3D;&#x27;XSSRAN&#x27;&lt;/script&gt;"));
    assert!(html.contains("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"));
    assert_eq!(html.matches("<script").count(), 1, "only the data block");
    assert_eq!(html.matches("<img").count(), 0);
    assert_eq!(html.matches("<svg onload").count(), 0);
    let model = verified_model(&exported.html);
    let tracked = model.tracked.unwrap();
    assert!(
        tracked
            .models
            .iter()
            .all(|m| m.name.starts_with(hostile[1]))
    );
    tool("qpdf", &["--check", exported.pdf.to_str().unwrap()]);
    assert!(text(&exported.pdf).contains("<img src=x onerror=alert(1)> v3"));
}

/// The version 3 report of the 60-run scope (`tests/golden/model-v3`, exported before version
/// 4) carries the data hash a sign-off given then bound to; today's model of the same data,
/// taken back to version 3, has that hash, so the sign-off still holds.
#[test]
fn a_signoff_given_on_version_3_evidence_still_holds_under_version_4() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/model-v3/assay-evidence-report.pdf");
    let earlier = verified_model(&golden);
    assert_eq!(earlier.model_version, 3);
    assert!(earlier.tracked.is_none() && earlier.bias.len() == 66);
    let dir = tempfile::tempdir().unwrap();
    let (assay, id) =
        tracker_scale::demo_with_evidence(dir.path(), &tracker_scale::sweep_snapshot(60));
    let now = assay.report_model(&id).unwrap().model;
    assert_eq!(now.model_version, 4);
    assert_eq!(
        model::data_hash_as(&now, 3).as_deref(),
        Some(model::data_hash(&earlier).as_str())
    );
    assert_ne!(model::data_hash(&now), model::data_hash(&earlier));
    assert_eq!(
        now.bias, earlier.bias,
        "version 4 keeps every figure as it was"
    );
    assert_eq!(now.lineage, earlier.lineage);
}
