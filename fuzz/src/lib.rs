//! The checks behind the fuzz targets: each takes raw bytes, runs them through the same public
//! functions production reads such input with, and panics only when the code under test does
//! or when an invariant of the result is broken.
//!
//! Shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`) and the corpus replay test
//! (`crates/api/tests/fuzz_corpora.rs`, which includes this file as a module), so CI replays
//! every corpus file through exactly the code the fuzzers ran. Uses only `assay-api` (and the
//! crates it re-exports), `serde_json` and `chrono`, which that test has too.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use assay_api::assessment::{Answer, Assessment, Bank, Level, Rating, Targets, score};
use assay_api::evidence_model::fairness::{self, MappingRule};
use assay_api::evidence_model::{
    BiasEvidence, BiasSource, EntityKind, Run, Snapshot, Source, Threshold, Tracker,
};
use assay_api::store::BundleContent;
use assay_api::trackers::{mlflow, wandb};
use assay_api::{Bundle, builtin_bank, builtin_bank_file, content_hash, merge};

/// A check: panics on a bug, returns on any input the code handled.
pub type Check = fn(&[u8]);

/// Every fuzz target by name, as `fuzz/corpus/<name>/` and `fuzz/fuzz_targets/<name>.rs`.
pub const TARGETS: [(&str, Check); 5] = [
    ("mlflow_responses", mlflow_responses),
    ("wandb_responses", wandb_responses),
    ("fairness_names", fairness_names),
    ("bundle_import", bundle_import),
    ("bank_loading", bank_loading),
];

// ---------------------------------------------------------------------------------------------
// Evidence invariants shared by the tracker targets.

/// A verdict is consistent with its threshold: a threshold that is finite and sensible for its
/// rule, `passed` present exactly when a threshold is, and a non-finite value never passing.
pub fn check_bias(bias: &BiasEvidence) {
    match bias.threshold {
        Some(Threshold::AbsAtMost { max }) => {
            assert!(
                max.is_finite() && max >= 0.0,
                "bad |x| limit {max}: {bias:?}"
            );
        }
        Some(Threshold::RatioAtLeast { min, .. }) => {
            assert!(min > 0.0 && min <= 1.0, "bad ratio bound {min}: {bias:?}");
        }
        None => {}
    }
    assert_eq!(
        bias.passed,
        bias.threshold.map(|t| t.passes(bias.value)),
        "verdict does not follow the threshold: {bias:?}"
    );
    if bias.passed == Some(true) {
        assert!(
            bias.value.is_finite(),
            "a non-finite value passed: {bias:?}"
        );
    }
    assert!(!bias.metric.is_empty(), "no metric name: {bias:?}");
}

/// What a stored snapshot must satisfy: normalised (so normalising again changes nothing),
/// finite numbers only, every verdict consistent, every bias figure and candidate on a run of
/// the snapshot, every lineage edge between entities of the snapshot, and a JSON round trip
/// that gives back the same snapshot (what the store and bundles rely on).
pub fn check_snapshot(snapshot: &Snapshot) {
    let mut again = snapshot.clone();
    again.normalise();
    assert_eq!(&again, snapshot, "normalise is not idempotent");
    let runs: BTreeSet<&str> = snapshot
        .runs
        .iter()
        .map(|r| r.external_id.as_str())
        .collect();
    for run in &snapshot.runs {
        assert!(
            run.metrics.values().all(|v| v.is_finite()),
            "non-finite metric in {run:?}"
        );
    }
    for bias in &snapshot.bias {
        check_bias(bias);
        assert!(
            bias.value.is_finite(),
            "non-finite bias value kept: {bias:?}"
        );
        assert!(
            runs.contains(bias.run.as_str()),
            "bias on an unknown run: {bias:?}"
        );
    }
    for candidate in &snapshot.unmatched {
        assert!(runs.contains(candidate.run.as_str()), "{candidate:?}");
    }
    let datasets: BTreeSet<&str> = snapshot
        .datasets
        .iter()
        .map(|d| d.external_id.as_str())
        .collect();
    let versions: BTreeSet<&str> = snapshot
        .model_versions
        .iter()
        .map(|v| v.external_id.as_str())
        .collect();
    for edge in &snapshot.edges {
        for end in [&edge.from, &edge.to] {
            let known = match end.kind {
                EntityKind::Dataset => &datasets,
                EntityKind::Run => &runs,
                EntityKind::ModelVersion => &versions,
            };
            assert!(
                known.contains(end.external_id.as_str()),
                "edge to an entity outside the snapshot: {edge:?}"
            );
        }
    }
    let json = serde_json::to_string(snapshot).expect("a snapshot serialises");
    let back: Snapshot = serde_json::from_str(&json).expect("a serialised snapshot reads back");
    assert_eq!(&back, snapshot, "the JSON round trip changed the snapshot");
    assert_eq!(back.content_hash(), snapshot.content_hash());
}

fn empty_run(id: &str) -> Run {
    Run {
        external_id: id.to_string(),
        project: "p".to_string(),
        name: id.to_string(),
        status: "finished".to_string(),
        code_commit: None,
        code_repo: None,
        params: BTreeMap::new(),
        metrics: BTreeMap::new(),
        tags: BTreeMap::new(),
        started_at: None,
        ended_at: None,
    }
}

/// A mapping rule as a team would store one, so the rule path is fuzzed too.
fn rules() -> Vec<MappingRule> {
    vec![MappingRule {
        raw_name: "bias_gap_gender".to_string(),
        metric: "demographic_parity_difference".to_string(),
        sensitive_feature: Some("gender".to_string()),
        group: None,
    }]
}

// ---------------------------------------------------------------------------------------------
// mlflow_responses

/// One MLflow response body, read as every kind of answer the import decodes: a `runs/search`
/// page (runs, datasets, lineage, metric fairness evidence), a fairness report artifact (for
/// each run of that page and for a bare run), a `registered-models/search` page, a
/// `logged-models/get` answer and a `model-versions/search` page converted with those two.
/// Seeds combine several answers in one JSON object, so every reader finds its part.
pub fn mlflow_responses(data: &[u8]) {
    let rules = rules();
    if let Ok(page) = mlflow::parse_runs_page(data, "1", "credit-scoring-governance", &rules) {
        check_snapshot(&page.snapshot);
        let running = &page.watermark.running;
        assert!(running.windows(2).all(|w| w[0] < w[1]), "{running:?}");
        for id in running {
            assert!(
                page.snapshot.runs.iter().any(|r| &r.external_id == id),
                "watermark names a run not read: {id}"
            );
        }
        for run in page.snapshot.runs.iter().take(4) {
            if let Ok(found) = mlflow::parse_fairness_report(data, run, "fairness/report.json") {
                check_report(&found, run);
            }
        }
    }
    let run = empty_run("r");
    if let Ok(found) = mlflow::parse_fairness_report(data, &run, "fairness/report.json") {
        check_report(&found, &run);
    }

    let registered = mlflow::parse_registered_models_page(data).unwrap_or_default();
    let _ = registered.names().count();
    let logged: Vec<mlflow::LoggedModel> = mlflow::parse_logged_model(data).into_iter().collect();
    if let Ok(page) = mlflow::parse_model_versions_page(data, &registered, &logged) {
        let ids: BTreeSet<String> = page
            .versions
            .iter()
            .map(|v| v.external_id.clone())
            .collect();
        for version in &page.versions {
            assert_eq!(
                version.external_id,
                format!("{}/{}", version.registry_name, version.version)
            );
            assert!(
                version.aliases.windows(2).all(|w| w[0] < w[1]),
                "{version:?}"
            );
        }
        for edge in &page.edges {
            assert!(
                [&edge.from, &edge.to]
                    .iter()
                    .any(|end| end.kind == EntityKind::ModelVersion
                        && ids.contains(&end.external_id)),
                "edge of no version on the page: {edge:?}"
            );
        }
    }
}

fn check_report(found: &[BiasEvidence], run: &Run) {
    for bias in found {
        check_bias(bias);
        assert_eq!(bias.run, run.external_id);
        assert!(
            matches!(&bias.source, BiasSource::Artifact(path) if path == "fairness/report.json")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// wandb_responses

/// One W&B GraphQL response body, read as the first page of `Runs`, of `RunInputArtifacts`
/// and `RunOutputArtifacts` (for the first run) and as `FetchLinkedArtifacts` (for every model
/// artifact), and when the runs page reads, assembled into the import's snapshot and
/// watermark as an import reading those answers would (every run given the same artifacts).
pub fn wandb_responses(data: &[u8]) {
    let (entity, project) = ("acme", "credit-scoring");
    let runs = wandb::parse_runs_page(data, entity, project);
    let run = runs
        .as_ref()
        .ok()
        .and_then(|page| page.runs.first())
        .map_or_else(|| "k3b9x2aa".to_string(), |r| r.external_id.clone());
    let used = wandb::parse_run_artifacts_page(data, true, (entity, project), &run);
    let logged = wandb::parse_run_artifacts_page(data, false, (entity, project), &run);
    let (used, logged) = (used.unwrap_or_default(), logged.unwrap_or_default());
    let mut links = BTreeMap::new();
    for id in used.model_ids().into_iter().chain(logged.model_ids()) {
        if let Ok(memberships) = wandb::parse_linked_artifacts(data, &id) {
            let _ = memberships.len();
            links.insert(id, memberships);
        }
    }
    let Ok(runs) = runs else { return };
    if let (Some(latest), Some(last)) = (
        runs.latest_created_at,
        runs.runs.iter().filter_map(|r| r.started_at).max(),
    ) {
        assert_eq!(latest, last, "the latest createdAt is the latest start");
    }
    let source = Source {
        tracker: Tracker::Wandb,
        instance: "https://api.wandb.ai".to_string(),
        project: runs.path.clone(),
    };
    let artifacts = runs
        .runs
        .iter()
        .map(|_| (used.clone(), logged.clone()))
        .collect();
    let fetched = wandb::assemble_import(source, runs, artifacts, links, &rules());
    check_snapshot(&fetched.snapshot);
    assert!(fetched.warnings.windows(2).all(|w| w[0] < w[1]));
    let ids: BTreeSet<&str> = fetched
        .snapshot
        .runs
        .iter()
        .map(|r| r.external_id.as_str())
        .collect();
    let watermark = &fetched.watermark;
    for id in watermark.running.iter().chain(&watermark.at_latest) {
        assert!(
            ids.contains(id.as_str()),
            "watermark names a run not read: {id}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// fairness_names

/// A run described line by line, fed to `fairness::extract`:
/// `tag <key>=<value>` adds a run tag, `rule <raw>=<metric>[,<feature>[,<group>]]` a mapping
/// rule, and any other line `<metric name>[=<value>]` a metric (value `0.05` when it is absent
/// or not a number; `NaN` and `inf` are numbers here). Checks that every verdict follows its
/// threshold (NaN never passes), that every figure and candidate is one of the run's metrics
/// and none is both, and that a valid rule for a canonical metric names that metric.
pub fn fairness_names(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut run = empty_run("run-1");
    let mut rules = Vec::new();
    for line in text.lines() {
        if let Some(tag) = line.strip_prefix("tag ") {
            let (key, value) = tag.split_once('=').unwrap_or((tag, ""));
            run.tags.insert(key.to_string(), value.to_string());
        } else if let Some(rule) = line.strip_prefix("rule ") {
            let (raw, target) = rule.split_once('=').unwrap_or((rule, ""));
            let mut parts = target.split(',').map(str::to_string);
            rules.push(MappingRule {
                raw_name: raw.to_string(),
                metric: parts.next().unwrap_or_default(),
                sensitive_feature: parts.next(),
                group: parts.next(),
            });
        } else {
            let (name, value) = match line.rsplit_once('=') {
                Some((name, value)) => (name, value.trim().parse().unwrap_or(0.05)),
                None => (line, 0.05),
            };
            run.metrics.insert(name.to_string(), value);
        }
    }

    let found = fairness::extract(&run, &rules);
    let mut matched = BTreeSet::new();
    for bias in &found.bias {
        check_bias(bias);
        assert_eq!(bias.run, run.external_id);
        assert_eq!(bias.source, BiasSource::Metric);
        let value = run.metrics.get(&bias.raw_name);
        assert!(value.is_some(), "a figure for a name not logged: {bias:?}");
        assert!(
            value.is_some_and(|v| v.to_bits() == bias.value.to_bits()),
            "the value changed: {bias:?}"
        );
        assert!(
            matched.insert(bias.raw_name.as_str()),
            "two figures of one name"
        );
    }
    for candidate in &found.unmatched {
        assert!(run.metrics.contains_key(&candidate.raw_name));
        assert!(
            !matched.contains(candidate.raw_name.as_str()),
            "both matched and unmatched: {}",
            candidate.raw_name
        );
    }
    let canonical = fairness::canonical_metrics();
    let mut ruled = BTreeSet::new();
    for rule in &rules {
        if fairness::validate_rule(rule).is_err() || !ruled.insert(rule.raw_name.as_str()) {
            continue;
        }
        if run.metrics.contains_key(&rule.raw_name) && canonical.contains(&rule.metric.as_str()) {
            let bias = found.bias.iter().find(|b| b.raw_name == rule.raw_name);
            assert_eq!(
                bias.map(|b| b.metric.as_str()),
                Some(rule.metric.as_str()),
                "rule {rule:?} not applied"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// bundle_import

fn bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| builtin_bank().expect("the built-in bank loads"))
}

/// A bundle file's text through `Bundle::parse` with the built-in bank, as `assay bundle
/// import` reads it (non-UTF-8 is refused before parsing there, so skipped here). Because a
/// mutated file almost never keeps its checksum, the content is also parsed a second time with
/// the checksum recomputed, so the checks behind it are fuzzed too. A bundle that parses must
/// carry its content's hash, re-serialise and re-parse to the same hash, and merge with itself
/// without conflicts.
pub fn bundle_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_bundle(text);
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let content = value
        .get("content")
        .cloned()
        .and_then(|c| serde_json::from_value::<BundleContent>(c).ok());
    if let (Some(content), Some(object)) = (content, value.as_object_mut()) {
        let hash = content_hash(&content);
        if object.get("content_hash").and_then(|h| h.as_str()) != Some(hash.as_str()) {
            object.insert("content_hash".to_string(), serde_json::Value::String(hash));
            check_bundle(&value.to_string());
        }
    }
}

fn check_bundle(text: &str) {
    let Ok(bundle) = Bundle::parse(text, bank()) else {
        return;
    };
    assert_eq!(content_hash(&bundle.content), bundle.content_hash);
    let again = Bundle::parse(&bundle.to_json(), bank()).expect("a parsed bundle re-parses");
    assert_eq!(again.content_hash, bundle.content_hash);
    assert_eq!(content_hash(&again.content), bundle.content_hash);
    if let Ok((_, conflicts)) = merge(&bundle.content, &again.content) {
        assert!(
            conflicts.is_empty(),
            "a bundle conflicts with itself: {conflicts:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// bank_loading

/// A bank given as files: text before the first `==> <path> <==` line is `bank.toml`, each
/// such line starts the file it names; files not given (and an empty `bank.toml`) are the
/// built-in bank's. Loaded with `Bank::load` as `assay --bank` loads one from disk. A bank that
/// loads must hold what its users index by (five level names, questions of known areas with
/// five anchors, unique ids, headline rules over known questions, crosswalks into known
/// clauses), load the same again, and score a fully answered assessment.
pub fn bank_loading(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut current = "bank.toml".to_string();
    let mut body = String::new();
    for line in text.split_inclusive('\n') {
        let header = line
            .trim_end_matches(['\n', '\r'])
            .strip_prefix("==> ")
            .and_then(|rest| rest.strip_suffix(" <=="));
        match header {
            Some(path) => {
                files.insert(std::mem::take(&mut current), std::mem::take(&mut body));
                current = path.to_string();
            }
            None => body.push_str(line),
        }
    }
    files.insert(current, body);
    if files.get("bank.toml").is_some_and(|t| t.trim().is_empty()) {
        files.remove("bank.toml");
    }
    let read = |file: &str| {
        files
            .get(file)
            .map(String::as_str)
            .or_else(|| builtin_bank_file(file))
            .map(str::to_owned)
            .ok_or("no such file")
    };
    let Ok(bank) = Bank::load("bank.toml", read) else {
        return;
    };
    assert_eq!(bank.levels.len(), 5);
    let areas: BTreeSet<&str> = bank.areas().map(|a| a.id.as_str()).collect();
    let mut ids = BTreeSet::new();
    for question in &bank.questions {
        assert!(
            ids.insert(question.id.as_str()),
            "duplicate {}",
            question.id
        );
        assert!(areas.contains(question.area.as_str()), "{}", question.id);
        assert_eq!(question.anchors.len(), 5, "{}", question.id);
        for (framework, clauses) in &question.crosswalk {
            let framework = bank
                .framework(framework)
                .expect("crosswalk framework exists");
            for clause in clauses {
                assert!(
                    framework.clauses.iter().any(|c| &c.id == clause),
                    "{clause}"
                );
            }
        }
    }
    for level in &bank.headline.levels {
        for question in &level.requires {
            assert!(ids.contains(question.as_str()), "headline names {question}");
        }
    }
    let again = Bank::load("bank.toml", read).expect("a bank that loaded loads again");
    assert_eq!(again, bank, "loading is not deterministic");

    let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
    let answers = bank
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let level = Level::new((i % 5) as u8).expect("0..=4 is a level");
            let answer = Answer {
                rating: Some(Rating::level(level)),
                ..Answer::default()
            };
            (q.id.clone(), answer)
        })
        .collect();
    let assessment = Assessment {
        id: "a".to_string(),
        scope: "s".to_string(),
        title: "t".to_string(),
        assessed_on: now.date_naive(),
        bank_id: bank.id.clone(),
        bank_version: bank.version.clone(),
        participants: Vec::new(),
        targets: Targets {
            default: Level::new(3).ok(),
            ..Targets::default()
        },
        answers,
        votes: Vec::new(),
        created_at: now,
        updated_at: now,
    };
    let card = score(&bank, &assessment);
    assert_eq!(card.areas.len(), areas.len());
    assert_eq!(card.answered, bank.questions.len());
}
