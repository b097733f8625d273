//! Registered model versions of the experiment's runs, and the LoggedModels behind them.

use std::collections::{BTreeMap, BTreeSet};

use assay_evidence::Snapshot;
use tokio::task::JoinSet;

use super::api::{Api, is_plain_id};
use super::convert::{self, LoggedModelFacts};
use crate::error::TrackerError;
use crate::progress::{Progress, ProgressFn};

#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    pub experiment_id: &'a str,
    /// Runs of the experiment read by this import.
    pub ours: &'a BTreeSet<String>,
}

/// Registered versions whose run belongs to the experiment, with their edges.
pub(super) async fn model_versions(
    api: &Api,
    scope: Scope<'_>,
    incremental: bool,
    progress: &ProgressFn,
    snapshot: &mut Snapshot,
) -> Result<(), TrackerError> {
    let registered = api.registered_models().await?;
    let total = Some(registered.len() as u64);
    progress(Progress {
        phase: "models",
        done: 0,
        total,
    });
    let mut candidates = Vec::new();
    for (index, model) in registered.iter().enumerate() {
        for version in api.model_versions(&model.name).await? {
            candidates.push((index, version));
        }
        progress(Progress {
            phase: "models",
            done: index as u64 + 1,
            total,
        });
    }

    // LoggedModels worth a request: those of our runs, of versions without a run record,
    // and, in an incremental import, any (their experiment id tells whether they are ours).
    let mut wanted = BTreeSet::new();
    for (_, version) in &candidates {
        let Some(model_id) = convert::logged_model_id(&version.source) else {
            continue;
        };
        let recorded = convert::recorded_run(version);
        if incremental || recorded.as_ref().is_none_or(|run| scope.ours.contains(run)) {
            wanted.insert(model_id.to_string());
        }
    }
    let logged = logged_models(api, wanted, progress).await?;

    let mut run_experiments: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (index, version) in &candidates {
        let recorded = convert::recorded_run(version);
        let facts = convert::logged_model_id(&version.source).and_then(|id| logged.get(id));
        let belongs = match (&recorded, facts) {
            (Some(run), _) if scope.ours.contains(run) => true,
            (_, Some(facts)) if !facts.experiment_id.is_empty() => {
                facts.experiment_id == scope.experiment_id
            }
            (Some(run), _) if incremental && is_plain_id(run) => {
                if !run_experiments.contains_key(run) {
                    let found = api.run(run).await?.map(|r| r.info.experiment_id);
                    run_experiments.insert(run.clone(), found);
                }
                run_experiments
                    .get(run)
                    .is_some_and(|e| e.as_deref() == Some(scope.experiment_id))
            }
            _ => false,
        };
        if belongs {
            let (model_version, edges) =
                convert::model_version(version, &registered[*index], facts);
            snapshot.model_versions.push(model_version);
            snapshot.edges.extend(edges);
        }
    }
    Ok(())
}

async fn logged_models(
    api: &Api,
    ids: BTreeSet<String>,
    progress: &ProgressFn,
) -> Result<BTreeMap<String, LoggedModelFacts>, TrackerError> {
    let total = Some(ids.len() as u64);
    let mut tasks = JoinSet::new();
    for id in ids {
        let api = api.clone();
        tasks.spawn(async move { api.logged_model(&id).await.map(|model| (id, model)) });
    }
    let mut facts = BTreeMap::new();
    let mut done = 0;
    progress(Progress {
        phase: "logged_models",
        done,
        total,
    });
    while let Some(joined) = tasks.join_next().await {
        let (id, model) = joined.map_err(|_| TrackerError::Cancelled)??;
        if let Some(model) = model {
            facts.insert(id, convert::logged_model_facts(model));
        }
        done += 1;
        progress(Progress {
            phase: "logged_models",
            done,
            total,
        });
    }
    Ok(facts)
}
