//! `assay import ...`, `assay evidence`, `assay fairness-rule` and `assay token ...`: tracker
//! evidence from the command line.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use assay_api::evidence_model::Tracker;
use assay_api::evidence_model::fairness::MappingRule;
use assay_api::{
    ApiError, Assay, AuthKind, CancellationToken, Credential, EvidenceRequest, Progress,
    SecretLookup, TokenStore, TrackerTarget, tracker_account,
};
use clap::{Args, Subcommand};

use crate::output::Output;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import an MLflow experiment: runs, dataset inputs, registered model versions, fairness
    Mlflow {
        /// Tracking server URL
        #[arg(long, env = "MLFLOW_TRACKING_URI")]
        url: String,
        /// Experiment name
        #[arg(long)]
        experiment: String,
        /// none, basic (user + password) or bearer (token)
        #[arg(long, default_value = "none")]
        auth: String,
        /// User name for basic authentication
        #[arg(long, env = "ASSAY_MLFLOW_USER")]
        user: Option<String>,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// Import a Weights & Biases project: runs, dataset and model artifacts, registry links
    Wandb {
        #[arg(long)]
        entity: String,
        #[arg(long)]
        project: String,
        /// API server (for dedicated or self-managed W&B)
        #[arg(long, env = "WANDB_BASE_URL", default_value = "https://api.wandb.ai")]
        base_url: String,
        #[command(flatten)]
        common: ImportArgs,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Link the evidence to this assessment scope, so its reports show it
    #[arg(long)]
    scope: Option<String>,
    /// Read everything again, not only what changed since the last import
    #[arg(long)]
    full: bool,
    /// Seconds per request
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// PEM file of the CA that signed the server's certificate
    #[arg(long, value_name = "PEM")]
    ca_cert: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Store a tracker token in the OS keyring (read from standard input)
    Set(TokenArgs),
    /// Remove a stored token
    Delete(TokenArgs),
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// mlflow or wandb
    #[arg(long)]
    tracker: String,
    /// The tracker's URL (for W&B: its API server)
    #[arg(long)]
    url: String,
    /// For MLflow basic authentication: the user the password belongs to
    #[arg(long)]
    user: Option<String>,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// mlflow or wandb
    #[arg(long)]
    tracker: String,
    #[arg(long)]
    url: String,
    /// MLflow experiment, or W&B entity/project
    #[arg(long)]
    project: String,
    /// The metric name as the tracker has it
    #[arg(long)]
    raw: String,
    /// The canonical metric it is, e.g. demographic_parity_difference
    #[arg(long)]
    metric: String,
    #[arg(long)]
    feature: Option<String>,
    #[arg(long)]
    group: Option<String>,
}

pub fn import(assay: &mut Assay, command: ImportCommand, out: &mut Output) -> Result<(), ApiError> {
    let (target, credential, common) = match command {
        ImportCommand::Mlflow {
            url,
            experiment,
            auth,
            user,
            common,
        } => {
            let target = TrackerTarget::Mlflow { url, experiment };
            let credential = mlflow_credential(&target, &auth, user.as_deref())?;
            (target, credential, common)
        }
        ImportCommand::Wandb {
            entity,
            project,
            base_url,
            common,
        } => {
            let target = TrackerTarget::Wandb {
                base_url,
                entity,
                project,
            };
            let lookup = SecretLookup {
                variable: Some("WANDB_API_KEY"),
                missing: Some(
                    "no W&B API key: set WANDB_API_KEY or store one with `assay token set \
                     --tracker wandb --url URL`",
                ),
                no_user: None,
            };
            let credential =
                TokenStore::os().credential_with(&target, AuthKind::ApiKey, None, &lookup)?;
            (target, credential, common)
        }
    };
    let request = EvidenceRequest {
        target,
        credential,
        timeout: Some(Duration::from_secs(common.timeout.max(1))),
        ca_cert: common.ca_cert,
        full: common.full,
        scope: common.scope,
    };
    let summary =
        assay.import_evidence(&request, progress_on_stderr(), CancellationToken::new())?;
    if common.json {
        return out.json(&summary);
    }
    let import = &summary.import;
    let c = &import.counts;
    out.line(&format!(
        "Imported {} {} ({}): {} new, {} changed, {} unchanged",
        import.source.tracker.as_str(),
        import.source.project,
        if import.incremental {
            "changes since the last import"
        } else {
            "full"
        },
        c.new,
        c.changed,
        c.unchanged
    ))?;
    out.line(&format!(
        "Held now: {} runs, {} datasets, {} model versions, {} lineage edges, {} bias metrics, \
         {} unmatched metric names; evidence sha256 {}",
        c.runs,
        c.datasets,
        c.model_versions,
        c.edges,
        c.bias_metrics,
        c.unmatched,
        import.content_hash
    ))?;
    for warning in &summary.warnings {
        out.line(&format!("warning: {warning}"))?;
    }
    Ok(())
}

pub fn token(command: &TokenCommand, out: &mut Output) -> Result<(), ApiError> {
    let store = TokenStore::os();
    match command {
        TokenCommand::Set(args) => {
            let account = account(args)?;
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| ApiError::Io(format!("cannot read the token: {e}")))?;
            store.save(&account, line.trim_end_matches(['\r', '\n']))?;
            out.line(&format!("Stored the token for {account} in the OS keyring"))
        }
        TokenCommand::Delete(args) => {
            let account = account(args)?;
            let removed = store.delete(&account)?;
            out.line(if removed {
                "Removed."
            } else {
                "No token was stored."
            })
        }
    }
}

pub fn add_rule(assay: &mut Assay, args: RuleArgs, out: &mut Output) -> Result<(), ApiError> {
    let target = target_of(&args.tracker, &args.url, &args.project)?;
    let rule = MappingRule {
        raw_name: args.raw,
        metric: args.metric,
        sensitive_feature: args.feature,
        group: args.group,
    };
    assay.map_fairness_metric(&target, rule)?;
    out.line("Saved; the next import of this project applies it.")
}

fn target_of(tracker: &str, url: &str, project: &str) -> Result<TrackerTarget, ApiError> {
    match tracker_of(tracker)? {
        Tracker::Mlflow => Ok(TrackerTarget::Mlflow {
            url: url.into(),
            experiment: project.into(),
        }),
        Tracker::Wandb => {
            let (entity, project) = project
                .split_once('/')
                .ok_or_else(|| ApiError::Invalid(format!("`{project}` is not entity/project")))?;
            Ok(TrackerTarget::Wandb {
                base_url: url.into(),
                entity: entity.into(),
                project: project.into(),
            })
        }
    }
}

fn tracker_of(text: &str) -> Result<Tracker, ApiError> {
    Tracker::parse(text.trim())
        .ok_or_else(|| ApiError::Invalid(format!("`{text}` is not a tracker: use mlflow or wandb")))
}

/// The keyring entry `token set` / `token delete` name, as an import looks it up.
fn account(args: &TokenArgs) -> Result<String, ApiError> {
    let tracker = tracker_of(&args.tracker)?;
    tracker_account(tracker, &args.url, args.user.as_deref())
}

/// The credential of `--auth`: the secret from the variable its message names, else from the
/// OS keyring, looked up by the API as the app does.
fn mlflow_credential(
    target: &TrackerTarget,
    auth: &str,
    user: Option<&str>,
) -> Result<Credential, ApiError> {
    let no_user = Some("basic authentication needs --user (or ASSAY_MLFLOW_USER)");
    let (auth, lookup) = match auth.trim() {
        "none" => (AuthKind::None, SecretLookup::default()),
        "basic" => (
            AuthKind::Basic,
            SecretLookup {
                variable: Some("ASSAY_MLFLOW_PASSWORD"),
                missing: Some(
                    "no password: set ASSAY_MLFLOW_PASSWORD or store one with `assay token set \
                     --tracker mlflow --url URL --user USER`",
                ),
                no_user,
            },
        ),
        "bearer" => (
            AuthKind::Bearer,
            SecretLookup {
                variable: Some("ASSAY_MLFLOW_TOKEN"),
                missing: Some(
                    "no token: set ASSAY_MLFLOW_TOKEN or store one with `assay token set \
                     --tracker mlflow --url URL`",
                ),
                no_user,
            },
        ),
        other => {
            return Err(ApiError::Invalid(format!(
                "`{other}` is not an authentication: use none, basic or bearer"
            )));
        }
    };
    TokenStore::os().credential_with(target, auth, user, &lookup)
}

/// Prints progress to stderr: each phase's start, then about every tenth of the way.
fn progress_on_stderr() -> assay_api::trackers::ProgressFn {
    Arc::new(|p: Progress| {
        let step = p.total.map_or(500, |t| (t / 10).max(1));
        if p.done == 0 || p.done.is_multiple_of(step) || Some(p.done) == p.total {
            let total = p.total.map(|t| format!("/{t}")).unwrap_or_default();
            let _ = writeln!(std::io::stderr(), "{}: {}{total}", p.phase, p.done);
        }
    })
}

/// `assay evidence`: what is held per tracker project, with the provenance of each import.
pub fn show(
    assay: &Assay,
    scope: Option<&str>,
    json: bool,
    out: &mut Output,
) -> Result<(), ApiError> {
    let projects = assay.evidence(scope)?;
    if json {
        return out.json(&projects);
    }
    if projects.is_empty() {
        return out.line(
            "No tracker evidence yet; `assay import mlflow` or `assay import wandb` adds some.",
        );
    }
    for project in &projects {
        let s = &project.snapshot;
        let source = &project.source;
        let scopes = if project.scopes.is_empty() {
            "no scope".to_owned()
        } else {
            project.scopes.join(", ")
        };
        out.line(&format!(
            "{} {} at {} ({scopes})",
            source.tracker.as_str(),
            source.project,
            source.instance
        ))?;
        out.line(&format!("  Datasets ({}):", s.datasets.len()))?;
        for d in &s.datasets {
            out.line(&format!(
                "    {}  digest {}  {}  {}",
                d.name,
                d.digest.as_deref().unwrap_or("-"),
                d.context.as_deref().unwrap_or("-"),
                d.source.as_deref().unwrap_or("-")
            ))?;
        }
        out.line(&format!("  Runs ({}):", s.runs.len()))?;
        for r in &s.runs {
            out.line(&format!(
                "    {}  {}  {}  commit {}",
                r.external_id,
                r.name,
                r.status,
                r.code_commit.as_deref().unwrap_or("-")
            ))?;
        }
        out.line(&format!("  Model versions ({}):", s.model_versions.len()))?;
        for m in &s.model_versions {
            out.line(&format!(
                "    {} v{}  aliases [{}]  from run {}",
                m.registry_name,
                m.version,
                m.aliases.join(", "),
                m.source_run.as_deref().unwrap_or("-")
            ))?;
        }
        out.line(&format!("  Lineage ({} edges):", s.edges.len()))?;
        let name = |entity: &assay_api::evidence_model::EntityRef| {
            use assay_api::evidence_model::EntityKind;
            let id = &entity.external_id;
            let found = match entity.kind {
                EntityKind::Dataset => s
                    .datasets
                    .iter()
                    .find(|d| &d.external_id == id)
                    .map(|d| d.name.clone()),
                EntityKind::Run => s
                    .runs
                    .iter()
                    .find(|r| &r.external_id == id)
                    .map(|r| r.name.clone()),
                EntityKind::ModelVersion => s
                    .model_versions
                    .iter()
                    .find(|m| &m.external_id == id)
                    .map(|m| format!("{} v{}", m.registry_name, m.version)),
            };
            format!(
                "{} {}",
                entity.kind.as_str().replace('_', " "),
                found.unwrap_or_else(|| id.clone())
            )
        };
        for e in &s.edges {
            let context = e
                .context
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            out.line(&format!(
                "    {} -{}-> {}{context}",
                name(&e.from),
                e.kind.as_str(),
                name(&e.to)
            ))?;
        }
        out.line(&format!("  Bias metrics ({}):", s.bias.len()))?;
        for b in &s.bias {
            let verdict = match b.passed {
                Some(true) => "pass",
                Some(false) => "FAIL",
                None => "info",
            };
            out.line(&format!(
                "    {verdict:4}  {}  {}{}  = {:.4}  run {}  ({})",
                b.metric,
                b.sensitive_feature.as_deref().unwrap_or("-"),
                b.group
                    .as_deref()
                    .map(|g| format!("/{g}"))
                    .unwrap_or_default(),
                b.value,
                b.run,
                b.raw_name
            ))?;
        }
        if !s.unmatched.is_empty() {
            out.line("  Metric names that look like fairness evidence but were not recognised")?;
            out.line("  (map them with `assay fairness-rule`):")?;
            for u in &s.unmatched {
                out.line(&format!("    {}  (run {})", u.raw_name, u.run))?;
            }
        }
        out.line("  Indicators:")?;
        for i in &project.indicators {
            let level = i.suggested_level.map_or("-".to_owned(), |l| l.to_string());
            out.line(&format!(
                "    {}: {}; suggests level {level} for {}",
                i.title,
                i.basis,
                i.questions.join(", ")
            ))?;
        }
        out.line("  Imports:")?;
        for i in &project.imports {
            out.line(&format!(
                "    {}  {}  {} new, {} changed, {} unchanged  sha256 {}",
                i.finished_at.format("%Y-%m-%d %H:%M:%S UTC"),
                if i.incremental { "incremental" } else { "full" },
                i.counts.new,
                i.counts.changed,
                i.counts.unchanged,
                i.content_hash
            ))?;
        }
    }
    Ok(())
}
