//! Tracker imports in the background: one at a time, cancellable, reporting progress as events.
//!
//! An import runs on its own database connection in a blocking thread, so the window and every
//! other command stay responsive while it fetches (SQLite's WAL mode lets both connections
//! work; the import writes everything in one transaction at the end).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use assay_api::trackers::ProgressFn;
use assay_api::{
    ApiError, Assay, CancellationToken, ErrorPayload, ImportSummary, Progress, SystemClock,
    TokenStore,
};
use tauri::{AppHandle, Emitter};

use crate::commands::CommandResult;
use crate::ipc::{IMPORT_PROGRESS_EVENT, ImportProgress, ImportRequest};

/// Progress events within one phase are sent at most this often.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

#[derive(Debug)]
pub struct Imports {
    db: PathBuf,
    actor: Option<String>,
    /// The running import's cancel switch.
    running: Mutex<Option<CancellationToken>>,
}

impl Imports {
    pub fn new(db: PathBuf, actor: Option<String>) -> Imports {
        Imports {
            db,
            actor,
            running: Mutex::new(None),
        }
    }

    pub async fn run(
        &self,
        app: AppHandle,
        request: ImportRequest,
    ) -> CommandResult<ImportSummary> {
        let credential =
            TokenStore::os().credential(&request.target, request.auth, request.user.as_deref())?;
        let request = request.into_evidence_request(credential);
        let cancel = self.start()?;
        // The normalised address only: it never carries credentials (a URL with user:password@
        // is refused by `source()`, and then the log names no address).
        let what = match request.target.source() {
            Ok(source) => format!(
                "{:?} import of {} from {}",
                source.tracker, source.project, source.instance
            ),
            Err(_) => format!("{:?} import", request.target.tracker()),
        };
        log::info!("{what}: started");
        let (db, actor) = (self.db.clone(), self.actor.clone());
        let progress = progress_events(app);
        let token = cancel.clone();
        let outcome = tauri::async_runtime::spawn_blocking(move || {
            let mut assay = Assay::open(&db, Box::new(SystemClock))?;
            if let Some(actor) = actor {
                assay = assay.with_actor(&actor)?;
            }
            assay.import_evidence(&request, progress, token)
        })
        .await;
        self.finish();
        match outcome {
            Ok(Ok(summary)) => {
                log::info!(
                    "{what}: done, {} runs fetched, {} warnings",
                    summary.fetched_runs,
                    summary.warnings.len()
                );
                Ok(summary)
            }
            Ok(Err(error)) => {
                let error = ErrorPayload::from(error);
                log::warn!("{what}: {} ({})", error.message, error.code);
                Err(error)
            }
            Err(e) => {
                Err(ApiError::Internal(format!("the import stopped unexpectedly: {e}")).into())
            }
        }
    }

    /// Cancels the running import; false when none is running.
    pub fn cancel(&self) -> bool {
        match &*self.running.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    fn start(&self) -> CommandResult<CancellationToken> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if running.is_some() {
            return Err(ApiError::ImportRunning.into());
        }
        let token = CancellationToken::new();
        *running = Some(token.clone());
        Ok(token)
    }

    fn finish(&self) {
        *self.running.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// Emits `import-progress` at the start and end of each phase, and in between at most every
/// [`PROGRESS_INTERVAL`], so that a 5,000-run import does not flood the web view.
fn progress_events(app: AppHandle) -> ProgressFn {
    let last: Mutex<Option<(&'static str, Instant)>> = Mutex::new(None);
    Arc::new(move |p: Progress| {
        let now = Instant::now();
        let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
        let due = match *last {
            Some((phase, at)) => {
                phase != p.phase
                    || Some(p.done) == p.total
                    || now.duration_since(at) >= PROGRESS_INTERVAL
            }
            None => true,
        };
        if due {
            *last = Some((p.phase, now));
            let event = ImportProgress {
                phase: p.phase.to_owned(),
                done: p.done,
                total: p.total,
            };
            if let Err(e) = app.emit(IMPORT_PROGRESS_EVENT, event) {
                log::warn!("cannot send import progress: {e}");
            }
        }
    })
}
