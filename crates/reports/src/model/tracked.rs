//! Model version 4: the tracker evidence organised around registered model versions. A report
//! shows each version with the run that produced it, the data in its lineage and its fairness
//! figures, then sums up the runs behind none of them (a sweep of thousands), printing them in
//! full only when they are few. The flat `lineage` and `bias` lists of the model stay complete,
//! and `runs` lists every run, so the embedded data holds everything the pages summarise.

use serde::{Deserialize, Serialize};

use super::schema::{BiasRow, LineageRow};

/// At most this many figures or lineage edges of the other runs are printed in full; past it
/// they are summed up (counts, datasets, the worst offenders per metric).
pub const DETAIL_LIMIT: usize = 100;
/// Failing runs listed per metric when the other runs are summed up.
pub const WORST_RUNS: usize = 10;
/// Registered versions printed as a block of their own when they are neither in production,
/// in staging nor aliased; the rest get a line each.
pub const PLAIN_VERSIONS_IN_FULL: usize = 8;

/// The tracker evidence of a version 4 report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackedEvidence {
    /// Registered model versions: in production first, then in staging, aliased, the rest;
    /// each group by project, registry name and newest version first.
    pub models: Vec<ModelEvidence>,
    /// The runs that produced none of those versions, summed up.
    pub other_runs: OtherRuns,
    /// Every run imported, one row each: the record behind the counts.
    pub runs: Vec<RunRow>,
}

/// Why a registered version is shown where it is, most relied on first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Production,
    Staging,
    Aliased,
    Registered,
}

/// One registered model version with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelEvidence {
    /// "mlflow fraud-xgb-sweep": the tracker and project it was imported from.
    pub project: String,
    /// "fraud-xgb v3 \[champion\]".
    pub name: String,
    pub standing: Standing,
    /// "In production (alias champion)".
    pub standing_text: String,
    /// Printed as a block of its own; otherwise on one line of a table.
    pub in_full: bool,
    /// The runs that produced or logged it.
    pub runs: Vec<SourceRun>,
    /// The datasets those runs read and the version was evaluated on.
    pub datasets: Vec<DatasetUse>,
    /// The fairness figures of those runs: failing first.
    pub fairness: Vec<BiasRow>,
}

impl ModelEvidence {
    pub fn failing(&self) -> usize {
        self.fairness.iter().filter(|b| !b.passed).count()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRun {
    pub name: String,
    /// The tracker's run id.
    pub id: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// How it made the version: "produced", "registered as".
    pub relation: String,
}

impl SourceRun {
    /// "xgb-sweep-3020 (produced); finished; commit 5eedf41e2026; run id 5eed…".
    pub fn text(&self) -> String {
        let commit = self
            .commit
            .as_deref()
            .map(|c| format!("; commit {}", c.chars().take(12).collect::<String>()))
            .unwrap_or_default();
        format!(
            "{} ({}); {}{commit}; run id {}",
            self.name, self.relation, self.status, self.id
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetUse {
    /// "card-transactions 2026-03".
    pub dataset: String,
    /// "read by run xgb-sweep-3020 (training)", "evaluated on".
    pub relation: String,
    /// Where the data lives, as the tracker recorded it; `null` when it did not (the template
    /// prints a dash, and strict templates need the key present).
    #[serde(default)]
    pub location: Option<String>,
}

/// The runs behind none of the registered versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherRuns {
    pub runs: usize,
    /// Runs with at least one fairness figure held to a threshold.
    pub evaluated: usize,
    /// Runs with at least one figure that fails.
    pub failing: usize,
    /// Their fairness figures held to a threshold.
    pub figures: usize,
    /// Lineage edges shown under no model version.
    pub lineage_edges: usize,
    /// The datasets those edges name, with how many of the runs read each; most read first.
    pub datasets: Vec<DatasetReach>,
    /// Per metric: how many runs were evaluated on it, how many fail, the worst of them.
    pub metrics: Vec<MetricSummary>,
    /// Every figure of these runs, when there are at most [`DETAIL_LIMIT`]; else empty.
    pub bias_detail: Vec<BiasRow>,
    /// Every lineage edge shown under no model version, when at most [`DETAIL_LIMIT`].
    pub lineage_detail: Vec<LineageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetReach {
    pub dataset: String,
    pub runs: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricSummary {
    /// "demographic parity difference".
    pub metric: String,
    /// The thresholds it was held to, "; "-separated when runs differ.
    pub threshold: String,
    pub runs: usize,
    pub failing_runs: usize,
    /// Up to [`WORST_RUNS`] failing runs, furthest past the threshold first, each with its
    /// worst figure.
    pub worst: Vec<BiasRow>,
}

/// One run as the tracker recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    pub project: String,
    pub id: String,
    pub name: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// "5,050": counts as a reader reads them.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What a version 4 report says about its tracker evidence, in sentences both renderers print.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceReading {
    /// Opens the model versions.
    pub models_intro: String,
    /// Per model version, in order: its fairness in one line.
    pub verdicts: Vec<VerdictLine>,
    /// How the other runs' lineage is shown.
    pub lineage_line: String,
    /// How the other runs fared on fairness.
    pub fairness_line: String,
    /// The worst offenders per metric with failing runs; none when every figure is printed.
    pub worst: Vec<WorstTable>,
    /// Where the full detail is.
    pub detail_note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictLine {
    pub text: String,
    /// `pass`, `fail`, or `none` when no figure was logged.
    pub state: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstTable {
    pub title: String,
    pub rows: Vec<BiasRow>,
}

/// Said of the other runs when every run produced a version shown.
const ALL_RUNS_SHOWN: &str = "Every run imported produced one of the versions above.";

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn verdict(model: &ModelEvidence) -> VerdictLine {
    let (figures, failing) = (model.fairness.len(), model.failing());
    if figures == 0 {
        return VerdictLine {
            text: "No fairness figure held to a threshold was logged by its runs.".to_owned(),
            state: "none",
        };
    }
    if failing == 0 {
        return VerdictLine {
            text: format!("{}, all pass.", plural(figures, "figure", "figures")),
            state: "pass",
        };
    }
    let mut failed: Vec<String> = model
        .fairness
        .iter()
        .filter(|b| !b.passed)
        .map(|b| format!("{} ({})", b.metric, b.feature))
        .collect();
    failed.dedup();
    VerdictLine {
        text: format!(
            "{failing} of {} {}: {}.",
            plural(figures, "figure", "figures"),
            if failing == 1 { "fails" } else { "fail" },
            failed.join(", ")
        ),
        state: "fail",
    }
}

impl EvidenceReading {
    /// The sentences of `tracked`, in a model whose flat lists hold `lineage` edges and `bias`
    /// figures.
    pub fn of(tracked: &TrackedEvidence, lineage: usize, bias: usize) -> EvidenceReading {
        let others = &tracked.other_runs;
        let models_intro = match tracked.models.len() {
            0 => "No registered model version was imported, so every run is summed up below."
                .to_owned(),
            n => format!(
                "{}, each with the run behind it, the data in its lineage and its fairness \
                 figures; those in production, in staging or with an alias come first.",
                plural(n, "registered model version", "registered model versions")
            ),
        };
        let other_runs = plural(others.runs, "other run", "other runs");
        let lineage_line = if others.runs == 0 && others.lineage_edges == 0 {
            ALL_RUNS_SHOWN.to_owned()
        } else if others.lineage_edges == 0 {
            format!("{other_runs} produced none of the versions above; no lineage names them.")
        } else if others.lineage_detail.is_empty() {
            format!(
                "{other_runs} produced none of the versions above. Their {} name the datasets \
                 below, each with how many of these runs read it.",
                plural(others.lineage_edges, "lineage edge", "lineage edges"),
            )
        } else {
            format!(
                "{other_runs} produced none of the versions above; their {}:",
                plural(others.lineage_edges, "lineage edge", "lineage edges"),
            )
        };
        let fairness_line = if others.runs == 0 && others.figures == 0 {
            ALL_RUNS_SHOWN.to_owned()
        } else {
            format!(
                "Of the {other_runs}, {} evaluated for fairness ({} held to a threshold) and {} \
                 at least one threshold.",
                if others.evaluated == 1 {
                    "1 was".to_owned()
                } else {
                    format!("{} were", thousands(others.evaluated))
                },
                plural(others.figures, "figure", "figures"),
                if others.failing == 1 {
                    "1 fails".to_owned()
                } else {
                    format!("{} fail", thousands(others.failing))
                },
            )
        };
        let worst = if others.bias_detail.is_empty() {
            others
                .metrics
                .iter()
                .filter(|m| !m.worst.is_empty())
                .map(|m| WorstTable {
                    title: if m.worst.len() == m.failing_runs {
                        let runs = if m.failing_runs == 1 { "run" } else { "runs" };
                        format!("{}: the {} failing {runs}", m.metric, m.failing_runs)
                    } else {
                        format!(
                            "{}: the {} worst of {} failing runs",
                            m.metric,
                            m.worst.len(),
                            thousands(m.failing_runs)
                        )
                    },
                    rows: m.worst.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let detail_note = format!(
            "Full detail: every run ({}), lineage edge ({}) and fairness figure held to a \
             threshold ({}) is in this report's embedded data (assay-report-data.json, attached \
             to the PDF and held in the HTML file) under \u{201c}tracked.runs\u{201d}, \
             \u{201c}lineage\u{201d} and \u{201c}bias\u{201d}, which \u{201c}assay verify FILE\u{201d} \
             checks with the rest of the report. The assessment's workbook (\u{201c}assay \
             spreadsheet\u{201d}; in the app, Reports, Export workbook) holds them too, with the \
             per-group figures that have no threshold.",
            thousands(tracked.runs.len()),
            thousands(lineage),
            thousands(bias),
        );
        EvidenceReading {
            models_intro,
            verdicts: tracked.models.iter().map(verdict).collect(),
            lineage_line,
            fairness_line,
            worst,
            detail_note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5_050), "5,050");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
