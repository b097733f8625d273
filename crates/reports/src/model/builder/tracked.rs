//! The tracker evidence of a model version 4 report, organised around registered model
//! versions ([`TrackedEvidence`]): each version with its runs, datasets and fairness figures,
//! then the runs behind none of them summed up.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use assay_evidence::{
    BiasEvidence, Dataset, EdgeKind, EntityKind, EntityRef, LineageEdge, ModelVersion, Run,
    Snapshot, display,
};

use super::evidence::ProjectInput;
use crate::model::schema::{BiasRow, LineageRow};
use crate::model::tracked::{
    DETAIL_LIMIT, DatasetReach, DatasetUse, MetricSummary, ModelEvidence, OtherRuns,
    PLAIN_VERSIONS_IN_FULL, RunRow, SourceRun, Standing, TrackedEvidence, WORST_RUNS,
};

/// A fairness figure held to a threshold, with the run that logged it and how far it lies
/// past the threshold.
struct Figure<'a> {
    run: &'a str,
    row: BiasRow,
    margin: f64,
}

/// What one metric's summary gathers over the other runs of every project.
#[derive(Default)]
struct MetricTally {
    thresholds: BTreeSet<String>,
    runs: HashSet<(usize, String)>,
    /// Per failing run, its worst figure.
    failing: HashMap<(usize, String), (f64, BiasRow)>,
}

#[derive(Default)]
struct Others {
    runs: usize,
    evaluated: usize,
    failing: usize,
    figures: Vec<BiasRow>,
    lineage: Vec<LineageRow>,
    datasets: BTreeMap<String, HashSet<(usize, String)>>,
    metrics: BTreeMap<String, MetricTally>,
}

/// A snapshot's entities by external id, looked up once each.
struct Index<'a> {
    snapshot: &'a Snapshot,
    runs: HashMap<&'a str, &'a Run>,
    datasets: HashMap<&'a str, &'a Dataset>,
}

impl<'a> Index<'a> {
    fn new(snapshot: &'a Snapshot) -> Index<'a> {
        // The first of equal ids, as `display` finds it.
        let mut runs = HashMap::new();
        for run in &snapshot.runs {
            runs.entry(run.external_id.as_str()).or_insert(run);
        }
        let mut datasets = HashMap::new();
        for dataset in &snapshot.datasets {
            datasets
                .entry(dataset.external_id.as_str())
                .or_insert(dataset);
        }
        Index {
            snapshot,
            runs,
            datasets,
        }
    }

    fn run_name(&self, id: &str) -> String {
        self.runs
            .get(id)
            .map_or_else(|| id.to_owned(), |r| r.name.clone())
    }

    fn dataset_name(&self, id: &str) -> String {
        self.datasets
            .get(id)
            .map_or_else(|| id.to_owned(), |d| display::dataset_name(d))
    }

    /// [`display::entity_label`], with runs and datasets looked up by id: a sweep has
    /// thousands.
    fn label(&self, entity: &EntityRef) -> String {
        match entity.kind {
            EntityKind::Run => format!("run {}", self.run_name(&entity.external_id)),
            EntityKind::Dataset => format!("dataset {}", self.dataset_name(&entity.external_id)),
            EntityKind::ModelVersion => display::entity_label(self.snapshot, entity),
        }
    }

    fn lineage_row(&self, edge: &LineageEdge) -> LineageRow {
        LineageRow {
            from: self.label(&edge.from),
            relation: display::edge_label(edge),
            to: self.label(&edge.to),
        }
    }

    fn dataset_use(&self, id: &str, relation: String) -> DatasetUse {
        DatasetUse {
            dataset: self.dataset_name(id),
            relation,
            location: self.datasets.get(id).and_then(|d| d.source.clone()),
        }
    }
}

/// The figures held to a threshold, worded as `with_evidence` words them, each logged twice (as
/// a metric and in a report) kept once.
fn figures<'a>(index: &Index<'a>, bias: &'a [BiasEvidence]) -> Vec<Figure<'a>> {
    let mut figures: Vec<Figure<'a>> = bias
        .iter()
        .filter_map(|b| {
            let threshold = b.threshold?;
            Some(Figure {
                run: b.run.as_str(),
                margin: threshold.margin(b.value),
                row: BiasRow {
                    metric: display::metric_label(&b.metric),
                    feature: display::sensitive_feature_text(b),
                    value: b.value,
                    threshold: display::threshold_text(Some(&threshold)),
                    passed: b.passed?,
                    run: index.run_name(&b.run),
                },
            })
        })
        .collect();
    // Failing first, then by run name as the tables print them (the id keeps runs of the same
    // name apart, so that their figures stay distinct).
    figures.sort_by(|a, b| {
        (
            a.row.passed,
            &a.row.run,
            a.run,
            &a.row.feature,
            &a.row.metric,
        )
            .cmp(&(
                b.row.passed,
                &b.row.run,
                b.run,
                &b.row.feature,
                &b.row.metric,
            ))
            .then(a.row.value.total_cmp(&b.row.value))
    });
    figures.dedup_by(|next, kept| {
        (kept.run, &kept.row.feature, &kept.row.metric)
            == (next.run, &next.row.feature, &next.row.metric)
            && (kept.row.value - next.row.value).abs() < 1e-9
    });
    figures
}

fn standing(model: &ModelVersion) -> Standing {
    if model.is_production() {
        Standing::Production
    } else if model.is_staging() {
        Standing::Staging
    } else if !model.aliases.is_empty() {
        Standing::Aliased
    } else {
        Standing::Registered
    }
}

/// The runs behind each model version: its recorded source run, then the runs with an edge
/// into it, each once.
fn runs_behind(snapshot: &Snapshot) -> HashMap<&str, Vec<(&str, String)>> {
    let mut behind: HashMap<&str, Vec<(&str, String)>> = HashMap::new();
    for model in &snapshot.model_versions {
        if let Some(run) = &model.source_run {
            behind.entry(model.external_id.as_str()).or_default().push((
                run.as_str(),
                display::edge_kind_label(EdgeKind::Produced).into(),
            ));
        }
    }
    for edge in &snapshot.edges {
        if matches!(edge.kind, EdgeKind::Produced | EdgeKind::RegisteredAs)
            && edge.from.kind == EntityKind::Run
            && edge.to.kind == EntityKind::ModelVersion
        {
            let runs = behind.entry(edge.to.external_id.as_str()).or_default();
            let label = display::edge_kind_label(edge.kind);
            match runs
                .iter_mut()
                .find(|(run, _)| *run == edge.from.external_id)
            {
                Some((_, relation)) if !relation.contains(label) => {
                    *relation = format!("{relation}, {label}");
                }
                Some(_) => {}
                None => runs.push((edge.from.external_id.as_str(), label.into())),
            }
        }
    }
    behind
}

/// Adds one project: its model versions to `models`, the rest of its runs to `others`, each
/// run to `rows`.
fn add_project(
    number: usize,
    project: &ProjectInput<'_>,
    models: &mut Vec<(ModelVersion, ModelEvidence)>,
    others: &mut Others,
    rows: &mut Vec<RunRow>,
) {
    let snapshot = project.snapshot;
    let index = Index::new(snapshot);
    let source = &project.provenance;
    let project_name = format!("{} {}", source.tracker, source.project);
    let behind = runs_behind(snapshot);
    let sources: HashSet<&str> = behind.values().flatten().map(|(run, _)| *run).collect();
    let figures = figures(&index, &snapshot.bias);
    let mut by_run: HashMap<&str, Vec<&Figure<'_>>> = HashMap::new();
    for figure in &figures {
        by_run.entry(figure.run).or_default().push(figure);
    }

    for model in &snapshot.model_versions {
        let runs = behind
            .get(model.external_id.as_str())
            .map_or(&[][..], Vec::as_slice);
        let mut datasets = Vec::new();
        for (run, _) in runs {
            let name = index.run_name(run);
            datasets.extend(
                snapshot
                    .edges
                    .iter()
                    .filter(|e| {
                        e.kind == EdgeKind::UsedBy
                            && e.to.kind == EntityKind::Run
                            && e.to.external_id == *run
                    })
                    .map(|e| {
                        let context = e.context.as_ref().map(|c| format!(" ({c})"));
                        let relation = format!("read by run {name}{}", context.unwrap_or_default());
                        index.dataset_use(&e.from.external_id, relation)
                    }),
            );
        }
        let this = EntityRef::model_version(&model.external_id);
        datasets.extend(
            snapshot
                .edges
                .iter()
                .filter(|e| e.from == this && e.to.kind == EntityKind::Dataset)
                .map(|e| index.dataset_use(&e.to.external_id, display::edge_label(e))),
        );
        let fairness = runs
            .iter()
            .flat_map(|(run, _)| by_run.get(run).into_iter().flatten())
            .map(|f| f.row.clone())
            .collect();
        let evidence = ModelEvidence {
            project: project_name.clone(),
            name: display::entity_name(snapshot, &this),
            standing: standing(model),
            standing_text: display::model_standing(model),
            in_full: true,
            runs: runs
                .iter()
                .map(|(run, relation)| {
                    let known = index.runs.get(run);
                    SourceRun {
                        name: index.run_name(run),
                        id: (*run).to_owned(),
                        status: known.map_or_else(|| "not imported".into(), |r| r.status.clone()),
                        commit: known.and_then(|r| r.code_commit.clone()),
                        relation: relation.clone(),
                    }
                })
                .collect(),
            datasets,
            fairness,
        };
        models.push((model.clone(), evidence));
    }

    for edge in &snapshot.edges {
        let on_a_model = edge.from.kind == EntityKind::ModelVersion
            || edge.to.kind == EntityKind::ModelVersion
            || (edge.to.kind == EntityKind::Run && sources.contains(edge.to.external_id.as_str()));
        if on_a_model {
            continue;
        }
        others.lineage.push(index.lineage_row(edge));
        if edge.from.kind == EntityKind::Dataset && edge.to.kind == EntityKind::Run {
            let dataset = index.dataset_name(&edge.from.external_id);
            others
                .datasets
                .entry(dataset)
                .or_default()
                .insert((number, edge.to.external_id.clone()));
        }
    }

    others.runs += snapshot
        .runs
        .iter()
        .filter(|r| !sources.contains(r.external_id.as_str()))
        .count();
    for (run, figures) in by_run.iter().filter(|(run, _)| !sources.contains(*run)) {
        others.evaluated += 1;
        if figures.iter().any(|f| !f.row.passed) {
            others.failing += 1;
        }
        for figure in figures {
            let tally = others.metrics.entry(figure.row.metric.clone()).or_default();
            tally.thresholds.insert(figure.row.threshold.clone());
            let key = (number, (*run).to_owned());
            tally.runs.insert(key.clone());
            if !figure.row.passed {
                let worst = tally
                    .failing
                    .entry(key)
                    .or_insert((figure.margin, figure.row.clone()));
                if figure.margin > worst.0 {
                    *worst = (figure.margin, figure.row.clone());
                }
            }
        }
    }
    // In the order `figures` sorted them: failing first, then by run, feature and metric.
    others.figures.extend(
        figures
            .iter()
            .filter(|f| !sources.contains(f.run))
            .map(|f| f.row.clone()),
    );

    rows.extend(snapshot.runs.iter().map(|r| RunRow {
        project: project_name.clone(),
        id: r.external_id.clone(),
        name: r.name.clone(),
        status: r.status.clone(),
        commit: r.code_commit.clone(),
    }));
}

/// "12" and "v12" sort as the number 12; other versions after every number.
fn version_number(model: &ModelVersion) -> Option<u64> {
    model.version.trim_start_matches('v').parse().ok()
}

/// The tracker evidence of `projects` as a version 4 report shows it.
pub(super) fn tracked(projects: &[ProjectInput<'_>]) -> TrackedEvidence {
    let mut models = Vec::new();
    let mut others = Others::default();
    let mut runs = Vec::new();
    for (number, project) in projects.iter().enumerate() {
        add_project(number, project, &mut models, &mut others, &mut runs);
    }
    models.sort_by(|(a, ea), (b, eb)| {
        let key = |m: &ModelVersion, e: &ModelEvidence| {
            (e.standing, e.project.clone(), m.registry_name.clone())
        };
        key(a, ea)
            .cmp(&key(b, eb))
            .then_with(|| version_number(b).cmp(&version_number(a)))
            .then_with(|| b.version.cmp(&a.version))
    });
    let mut plain = 0;
    let models = models
        .into_iter()
        .map(|(_, mut evidence)| {
            if evidence.standing == Standing::Registered {
                plain += 1;
                evidence.in_full = plain <= PLAIN_VERSIONS_IN_FULL;
            }
            evidence
        })
        .collect();

    let mut datasets: Vec<DatasetReach> = others
        .datasets
        .into_iter()
        .map(|(dataset, runs)| DatasetReach {
            dataset,
            runs: runs.len(),
        })
        .collect();
    datasets.sort_by_key(|d| Reverse(d.runs));
    let metrics = others
        .metrics
        .into_iter()
        .map(|(metric, tally)| {
            let mut failing: Vec<((usize, String), (f64, BiasRow))> =
                tally.failing.into_iter().collect();
            // Furthest past the threshold first; the run's project and id settle ties, so the
            // order never depends on the map's.
            failing.sort_by(|(ka, (ma, a)), (kb, (mb, b))| {
                mb.total_cmp(ma)
                    .then_with(|| (&a.run, &a.feature, ka).cmp(&(&b.run, &b.feature, kb)))
            });
            MetricSummary {
                metric,
                threshold: tally.thresholds.into_iter().collect::<Vec<_>>().join("; "),
                runs: tally.runs.len(),
                failing_runs: failing.len(),
                worst: failing
                    .into_iter()
                    .take(WORST_RUNS)
                    .map(|(_, (_, row))| row)
                    .collect(),
            }
        })
        .collect();
    let other_runs = OtherRuns {
        runs: others.runs,
        evaluated: others.evaluated,
        failing: others.failing,
        figures: others.figures.len(),
        lineage_edges: others.lineage.len(),
        datasets,
        metrics,
        bias_detail: if others.figures.len() <= DETAIL_LIMIT {
            others.figures
        } else {
            Vec::new()
        },
        lineage_detail: if others.lineage.len() <= DETAIL_LIMIT {
            others.lineage
        } else {
            Vec::new()
        },
    };
    TrackedEvidence {
        models,
        other_runs,
        runs,
    }
}
