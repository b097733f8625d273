//! Tracker evidence: importing a project from MLflow or W&B, and what the app and the reports
//! show of it (lineage, bias metrics, indicators, provenance).
//!
//! An import fetches everything into memory first and saves it in one transaction, so a
//! failure at any point leaves the earlier evidence exactly as it was.

mod secrets;
mod view;

use std::path::PathBuf;
use std::time::Duration;

use assay_evidence::fairness::{self, MappingRule};
use assay_evidence::indicators::{self, Indicator, RunFairness};
use assay_evidence::{Snapshot, Source, Tracker};
use assay_store::{EvidenceImport, ImportRun};
use assay_trackers::{Auth, Fetched, HttpClient, HttpConfig, ProgressFn, mlflow, wandb};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use assay_trackers::Progress;
pub use secrets::{AuthKind, SecretLookup, TokenStore, token_account, tracker_account};
pub use tokio_util::sync::CancellationToken;
pub use view::{BiasLabel, EntityNames, EvidenceLabels, LineageLabel};

use crate::actions::short_text;
use crate::{ApiError, Assay, Result};

/// Which tracker project to import.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "tracker", rename_all = "snake_case")]
pub enum TrackerTarget {
    Mlflow {
        url: String,
        experiment: String,
    },
    Wandb {
        base_url: String,
        entity: String,
        project: String,
    },
}

impl TrackerTarget {
    pub fn tracker(&self) -> Tracker {
        match self {
            TrackerTarget::Mlflow { .. } => Tracker::Mlflow,
            TrackerTarget::Wandb { .. } => Tracker::Wandb,
        }
    }

    /// The base URL as the user gave it.
    pub fn url(&self) -> &str {
        match self {
            TrackerTarget::Mlflow { url, .. } => url,
            TrackerTarget::Wandb { base_url, .. } => base_url,
        }
    }

    /// The project key evidence is stored under (the instance URL normalised).
    pub fn source(&self) -> Result<Source> {
        Ok(match self {
            TrackerTarget::Mlflow { url, experiment } => Source {
                tracker: Tracker::Mlflow,
                instance: mlflow::instance_of(url)?,
                project: experiment.clone(),
            },
            TrackerTarget::Wandb {
                base_url,
                entity,
                project,
            } => Source {
                tracker: Tracker::Wandb,
                instance: wandb::instance_of(base_url)?,
                project: format!("{entity}/{project}"),
            },
        })
    }
}

/// How to authenticate. Secrets come from the OS keyring or an environment variable, never
/// from the database.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Credential {
    #[default]
    None,
    Basic {
        user: String,
        password: String,
    },
    Bearer(String),
    /// A W&B API key (sent as HTTP Basic, user `api`).
    ApiKey(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Credential::None => "None",
            Credential::Basic { .. } => "Basic(<redacted>)",
            Credential::Bearer(_) => "Bearer(<redacted>)",
            Credential::ApiKey(_) => "ApiKey(<redacted>)",
        };
        f.write_str(kind)
    }
}

/// One import: what, how to reach it, and how.
#[derive(Debug, Clone)]
pub struct EvidenceRequest {
    pub target: TrackerTarget,
    pub credential: Credential,
    /// Per request (default 30 s).
    pub timeout: Option<Duration>,
    /// A PEM file with the CA that signed the server's certificate.
    pub ca_cert: Option<PathBuf>,
    /// Read everything again instead of what changed since the last import.
    pub full: bool,
    /// Link the evidence to this assessment scope, so its reports show it.
    pub scope: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    pub import: EvidenceImport,
    /// Entities this import fetched (an incremental import fetches only what changed).
    pub fetched_runs: usize,
    /// Parts that could not be read but did not stop the import.
    pub warnings: Vec<String>,
}

/// Everything held for one tracker project.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProjectEvidence {
    pub source: Source,
    pub scopes: Vec<String>,
    pub snapshot: Snapshot,
    pub indicators: Vec<Indicator>,
    pub fairness: Vec<RunFairness>,
    pub mapping_rules: Vec<MappingRule>,
    /// The import log: provenance of what is held.
    pub imports: Vec<EvidenceImport>,
    /// How the snapshot reads: names, relations, thresholds and verdicts, as the reports word
    /// them.
    pub labels: EvidenceLabels,
}

impl Assay {
    /// Imports a tracker project (incrementally when it was imported before, unless
    /// `request.full`). Blocks until done; `progress` hears about each step and `cancel`
    /// stops it, leaving the earlier evidence as it was.
    pub fn import_evidence(
        &mut self,
        request: &EvidenceRequest,
        progress: ProgressFn,
        cancel: CancellationToken,
    ) -> Result<ImportSummary> {
        let source = request.target.source()?;
        if let Some(scope) = &request.scope {
            short_text(scope, "scope")?;
        }
        let rules = self.store.mapping_rules(&source)?;
        let previous = if request.full {
            None
        } else {
            self.store
                .last_evidence_import(&source)?
                .and_then(|i| i.watermark)
        };
        let mut config = HttpConfig::default();
        if let Some(timeout) = request.timeout {
            config.timeout = timeout;
        }
        if let Some(path) = &request.ca_cert {
            let pem = std::fs::read(path).map_err(|e| {
                ApiError::Invalid(format!(
                    "cannot read the CA certificate {}: {e}",
                    path.display()
                ))
            })?;
            config.ca_cert_pem = Some(pem);
        }
        let client = HttpClient::new(config, auth_of(&request.credential), cancel)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ApiError::Io(format!("cannot start the network runtime: {e}")))?;
        let started_at = self.clock.now();
        let (snapshot, watermark, warnings) = match &request.target {
            TrackerTarget::Mlflow { url, experiment } => {
                let fetch_request = mlflow::MlflowImport {
                    base_url: url.clone(),
                    experiment: experiment.clone(),
                    since: previous.as_deref().and_then(read_watermark),
                };
                for_store(runtime.block_on(mlflow::fetch(
                    &client,
                    &fetch_request,
                    &rules,
                    &progress,
                ))?)
            }
            TrackerTarget::Wandb {
                base_url,
                entity,
                project,
            } => {
                let mut fetch_request = wandb::WandbImport::new(entity.clone(), project.clone());
                fetch_request.base_url = base_url.clone();
                fetch_request.since = previous.as_deref().and_then(read_watermark);
                for_store(runtime.block_on(wandb::fetch(
                    &client,
                    &fetch_request,
                    &rules,
                    &progress,
                ))?)
            }
        };
        let run = ImportRun {
            started_at,
            finished_at: self.clock.now(),
            incremental: previous.is_some(),
            watermark: Some(&watermark),
        };
        let import = self.store.save_evidence(&snapshot, &run)?;
        if let Some(scope) = &request.scope {
            self.store
                .link_evidence_scope(&import.source, scope.trim())?;
        }
        Ok(ImportSummary {
            import,
            fetched_runs: snapshot.runs.len(),
            warnings,
        })
    }

    /// The evidence of every imported project, or of those linked to `scope`.
    pub fn evidence(&self, scope: Option<&str>) -> Result<Vec<ProjectEvidence>> {
        let mut projects = Vec::new();
        for source in self.store.evidence_sources()? {
            let scopes = self.store.evidence_scopes(&source)?;
            if scope.is_some_and(|s| !scopes.iter().any(|linked| linked == s)) {
                continue;
            }
            let snapshot = self.store.evidence_snapshot(&source)?;
            projects.push(ProjectEvidence {
                indicators: indicators::compute(&snapshot),
                fairness: indicators::fairness_summary(&snapshot),
                mapping_rules: self.store.mapping_rules(&source)?,
                imports: self.store.evidence_imports(Some(&source))?,
                labels: view::labels(&snapshot),
                scopes,
                snapshot,
                source,
            });
        }
        Ok(projects)
    }

    /// Maps a metric name the importer did not recognise to a canonical fairness metric, for
    /// this project's future imports.
    pub fn map_fairness_metric(&mut self, target: &TrackerTarget, rule: MappingRule) -> Result<()> {
        let source = target.source()?;
        short_text(&rule.raw_name, "metric name")?;
        fairness::validate_rule(&rule).map_err(|e| ApiError::Invalid(e.to_string()))?;
        let now = self.clock.now();
        self.store.put_mapping_rule(&source, &rule, now)?;
        Ok(())
    }
}

fn auth_of(credential: &Credential) -> Auth {
    match credential {
        Credential::None => Auth::None,
        Credential::Basic { user, password } => Auth::Basic {
            user: user.clone(),
            password: password.clone(),
        },
        Credential::Bearer(token) => Auth::Bearer(token.clone()),
        Credential::ApiKey(key) => wandb::api_key_auth(key.clone()),
    }
}

/// The previous import's watermark; one this version cannot read means reading everything.
fn read_watermark<W: DeserializeOwned>(stored: &str) -> Option<W> {
    serde_json::from_str(stored).ok()
}

/// An import's result as the store takes it: the watermark as JSON, read back by the next
/// import of the same tracker.
fn for_store<W: Serialize>(fetched: Fetched<W>) -> (Snapshot, String, Vec<String>) {
    (
        fetched.snapshot,
        serde_json::to_string(&fetched.watermark).unwrap_or_default(),
        fetched.warnings,
    )
}
