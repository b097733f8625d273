//! Model version 4's tracker evidence as the builder organises it, on snapshots made for each
//! rule: which registered versions come first and which get a line each, figures logged twice
//! kept once, the worst offenders ranked by how far past their threshold, two projects summed
//! together, and a report with every version and summary drawn in both formats.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use assay_assessment::{Assessment, Bank, Targets};
use assay_evidence::{
    BiasEvidence, BiasSource, BiasType, Convention, EdgeKind, EntityRef, FairnessTool, LineageEdge,
    ModelVersion, Run, Snapshot, Source, Threshold, Tracker,
};
use assay_reports::html::HtmlRenderer;
use assay_reports::model::{
    self, HashedModel, ProjectInput, ProvenanceRow, ReportModel, Standing, TrackedEvidence,
};
use chrono::{NaiveDate, TimeZone, Utc};

fn base_model() -> ReportModel {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/banks/assay-mlops/1.0.0");
    let bank = Bank::load("bank.toml", |file| std::fs::read_to_string(root.join(file))).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    let assessment = Assessment {
        id: "tracked-evidence".into(),
        scope: "Credit models".into(),
        title: "Review".into(),
        assessed_on: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
        bank_id: bank.id.clone(),
        bank_version: bank.version.clone(),
        participants: Vec::new(),
        targets: Targets::default(),
        answers: BTreeMap::new(),
        votes: Vec::new(),
        created_at: at,
        updated_at: at,
    };
    model::build(&bank, &assessment, "Assay test")
}

fn run(id: &str) -> Run {
    Run {
        external_id: id.into(),
        project: "credit".into(),
        name: format!("train-{id}"),
        status: "finished".into(),
        code_commit: None,
        code_repo: None,
        params: BTreeMap::new(),
        metrics: BTreeMap::new(),
        tags: BTreeMap::new(),
        started_at: None,
        ended_at: None,
    }
}

fn version(number: u32, run: &str, stage: Option<&str>, aliases: &[&str]) -> ModelVersion {
    ModelVersion {
        external_id: format!("credit/{number}"),
        registry_name: "credit".into(),
        version: number.to_string(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        stage: stage.map(str::to_owned),
        source_run: Some(run.into()),
        tags: BTreeMap::new(),
    }
}

fn figure(
    run: &str,
    metric: &str,
    value: f64,
    threshold: Threshold,
    source: BiasSource,
) -> BiasEvidence {
    BiasEvidence {
        run: run.into(),
        metric: metric.into(),
        raw_name: format!("{metric}_{source:?}"),
        value,
        sensitive_feature: Some("sex".into()),
        group: None,
        reference_group: None,
        threshold: Some(threshold),
        passed: Some(threshold.passes(value)),
        tool: FairnessTool::Fairlearn,
        convention: Convention::DifferenceNonNegative,
        bias_type: BiasType::Independence,
        source,
    }
}

const ABS: Threshold = Threshold::AbsAtMost { max: 0.1 };
const RATIO: Threshold = Threshold::RatioAtLeast {
    min: 0.8,
    two_sided: true,
};

fn project(snapshot: &Snapshot) -> ProjectInput<'_> {
    ProjectInput {
        snapshot,
        indicators: &[],
        provenance: ProvenanceRow {
            tracker: "mlflow".into(),
            instance: snapshot.source.instance.clone(),
            project: snapshot.source.project.clone(),
            imported_at: Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap(),
            imports: 1,
            runs: snapshot.runs.len(),
            datasets: snapshot.datasets.len(),
            model_versions: snapshot.model_versions.len(),
            bias_metrics: snapshot.bias.len(),
            content_hash: snapshot.content_hash(),
        },
    }
}

/// Fourteen registered versions of `credit`: v14 in production, v13 in staging, v12 aliased,
/// the rest registered only; 200 other runs, each logging a difference, and a ratio for some.
fn registry() -> Snapshot {
    let mut s = Snapshot::empty(Source {
        tracker: Tracker::Mlflow,
        instance: "http://mlflow.local".into(),
        project: "credit".into(),
    });
    for n in 1..=14 {
        let id = format!("m{n:02}");
        s.runs.push(run(&id));
        let (stage, aliases): (Option<&str>, &[&str]) = match n {
            14 => (None, &["prod"]),
            13 => (Some("Staging"), &[]),
            12 => (None, &["candidate"]),
            _ => (None, &[]),
        };
        s.model_versions.push(version(n, &id, stage, aliases));
        s.edges.push(LineageEdge {
            kind: EdgeKind::Produced,
            from: EntityRef::run(&id),
            to: EntityRef::model_version(format!("credit/{n}")),
            context: None,
        });
    }
    for i in 0..200 {
        let id = format!("r{i:03}");
        s.runs.push(run(&id));
        s.bias.push(figure(
            &id,
            "demographic_parity_difference",
            i as f64 / 1000.0,
            ABS,
            BiasSource::Metric,
        ));
        if i % 50 == 0 {
            // The same figure again in a report artifact: one finding.
            let report = BiasSource::Artifact("fairness/report.json".into());
            s.bias.push(figure(
                &id,
                "demographic_parity_difference",
                i as f64 / 1000.0,
                ABS,
                report,
            ));
            // Past the upper bound of a two-sided ratio by 0.05 + i/1000.
            s.bias.push(figure(
                &id,
                "demographic_parity_ratio",
                1.3 + i as f64 / 1000.0,
                RATIO,
                BiasSource::Metric,
            ));
        }
    }
    s.normalise();
    s
}

fn tracked(model: &ReportModel) -> &TrackedEvidence {
    model.tracked.as_ref().unwrap()
}

#[test]
fn versions_in_production_staging_or_aliased_come_first_and_plain_ones_are_capped() {
    let snapshot = registry();
    let model = model::with_evidence(base_model(), &[project(&snapshot)]);
    let names: Vec<(&str, Standing, bool)> = tracked(&model)
        .models
        .iter()
        .map(|m| (m.name.as_str(), m.standing, m.in_full))
        .collect();
    assert_eq!(names[0], ("credit v14 [prod]", Standing::Production, true));
    assert_eq!(names[1], ("credit v13", Standing::Staging, true));
    assert_eq!(
        names[2],
        ("credit v12 [candidate]", Standing::Aliased, true)
    );
    // The plain versions newest first (by number, so v11 before v9 before v1), eight in full.
    let plain: Vec<(&str, bool)> = names[3..].iter().map(|(n, _, f)| (*n, *f)).collect();
    assert_eq!(plain[0], ("credit v11", true));
    assert_eq!(plain[2], ("credit v9", true));
    assert_eq!(plain[7], ("credit v4", true));
    assert_eq!(plain[8], ("credit v3", false));
    assert_eq!(plain[10], ("credit v1", false));
    assert!(tracked(&model).models.iter().all(|m| m.runs.len() == 1));
}

#[test]
fn other_runs_are_counted_once_per_figure_and_ranked_by_how_far_they_fail() {
    let snapshot = registry();
    let model = model::with_evidence(base_model(), &[project(&snapshot)]);
    let others = &tracked(&model).other_runs;
    assert_eq!(others.runs, 200);
    assert_eq!(others.evaluated, 200);
    // 200 differences (four of them logged twice, kept once) and four ratios.
    assert_eq!(others.figures, 204);
    assert_eq!(model.bias.len(), 204, "the flat list keeps one of each too");
    assert!(others.bias_detail.is_empty(), "over the limit: summed up");
    let dpd = &others.metrics[0];
    assert_eq!(dpd.metric, "demographic parity difference");
    assert_eq!(
        (dpd.runs, dpd.failing_runs),
        (200, 99),
        "0.101 .. 0.199 fail"
    );
    let worst: Vec<&str> = dpd.worst.iter().map(|b| b.run.as_str()).collect();
    assert_eq!(worst[..3], ["train-r199", "train-r198", "train-r197"]);
    assert_eq!(worst.len(), 10);
    let ratio = &others.metrics[1];
    assert_eq!(ratio.threshold, "0.8 to 1.25");
    assert_eq!((ratio.runs, ratio.failing_runs), (4, 4));
    let worst: Vec<&str> = ratio.worst.iter().map(|b| b.run.as_str()).collect();
    assert_eq!(
        worst,
        ["train-r150", "train-r100", "train-r050", "train-r000"]
    );
    // r000, r050 and r100 pass their difference but fail their ratio.
    assert_eq!(others.failing, 99 + 3);
}

#[test]
fn two_projects_are_summed_together_and_every_run_is_listed() {
    let first = registry();
    let mut second = registry();
    second.source.project = "credit-eu".into();
    let model = model::with_evidence(base_model(), &[project(&first), project(&second)]);
    let tracked = tracked(&model);
    assert_eq!(tracked.runs.len(), 2 * 214);
    assert_eq!(tracked.models.len(), 28);
    assert_eq!(tracked.other_runs.runs, 400);
    // Runs of the same name in two projects are two runs.
    assert_eq!(tracked.other_runs.metrics[0].failing_runs, 198);
    assert_eq!(tracked.models[0].project, "mlflow credit");
    assert_eq!(tracked.models[1].project, "mlflow credit-eu");
}

#[test]
fn a_version_4_report_draws_the_summary_and_the_capped_versions_in_both_formats() {
    let snapshot = registry();
    let model = model::with_evidence(base_model(), &[project(&snapshot)]);
    assert_eq!(model.model_version, 4);
    let hashed = HashedModel::new(model);
    let html = HtmlRenderer::new().unwrap().render(&hashed).unwrap();
    for text in [
        "<h4>Other registered versions</h4>",
        "credit v14 [prod]",
        "In staging (stage Staging)",
        "demographic parity ratio: the 4 failing runs",
        "demographic parity difference: the 10 worst of 99 failing runs",
        "Of the 200 other runs, 200 were evaluated for fairness (204 figures held to a threshold) and 102 fail at least one threshold.",
    ] {
        assert!(html.contains(text), "{text}");
    }
    let pdf = assay_reports::pdf::render(&hashed).unwrap();
    assert!(matches!(
        assay_reports::verify::verify(&pdf).unwrap(),
        assay_reports::verify::Verdict::Intact { .. }
    ));
    assert!(matches!(
        assay_reports::verify::verify(html.as_bytes()).unwrap(),
        assay_reports::verify::Verdict::Intact { .. }
    ));
}

/// When every run produced a version, the other runs are not counted as "0 other runs".
#[test]
fn a_scope_whose_every_run_made_a_version_says_so() {
    let mut snapshot = registry();
    snapshot.runs.retain(|r| r.external_id.starts_with('m'));
    snapshot.bias.clear();
    let model = model::with_evidence(base_model(), &[project(&snapshot)]);
    let reading = model::EvidenceReading::of(tracked(&model), model.lineage.len(), 0);
    assert_eq!(reading.lineage_line, reading.fairness_line);
    assert_eq!(
        reading.fairness_line,
        "Every run imported produced one of the versions above."
    );
    assert!(reading.verdicts.iter().all(|v| v.state == "none"));
    assert!(reading.worst.is_empty());
}
