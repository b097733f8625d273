//! The Assay desktop app: a Tauri 2 shell around the API layer.
//!
//! The shell holds one open [`Assay`] (the database in the app's data directory, or `ASSAY_DB`)
//! behind a mutex and exposes one thin command per user action (`commands.rs`). The web front end
//! in `ui/` is embedded at build time; it reaches these commands only through `ui/src/ipc/`,
//! whose TypeScript types are generated from the Rust types (the `ts` feature, see
//! `scripts/check-ipc-types.sh`).

mod commands;
mod dialogs;
mod imports;
pub mod ipc;
mod room;

#[cfg(all(test, feature = "ts"))]
mod bindings;

use std::path::PathBuf;
use std::sync::Mutex;

use assay_api::{Assay, SystemClock};
use tauri::{App, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::imports::Imports;
use crate::room::Rooms;

/// Starts the app; returns when its last window closes.
pub fn run() {
    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            if let Err(error) = open_workspace(app) {
                let message = error.to_string();
                log::error!("{message}");
                app.dialog()
                    .message(&message)
                    .title("Assay cannot start")
                    .kind(MessageDialogKind::Error)
                    .blocking_show();
                return Err(error.into());
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            // The log plugin may not be running yet.
            eprintln!("Assay failed to start: {e}");
            std::process::exit(1);
        }
    }
}

/// Why the app could not start; shown in a dialog and logged.
#[derive(Debug, thiserror::Error)]
enum StartupError {
    #[error("Assay cannot find its data directory: {0}")]
    DataDirectory(tauri::Error),
    #[error("Assay cannot open its database {path}: {source}")]
    Database {
        path: String,
        source: assay_api::ApiError,
    },
    #[error("{0}")]
    Actor(assay_api::ApiError),
}

/// Opens the database and puts the workspace and the import runner into the app's state.
fn open_workspace(app: &mut App) -> Result<(), StartupError> {
    let db = database_path(app)?;
    let actor = std::env::var("ASSAY_ACTOR")
        .ok()
        .filter(|a| !a.trim().is_empty());
    let mut assay =
        Assay::open(&db, Box::new(SystemClock)).map_err(|source| StartupError::Database {
            path: db.display().to_string(),
            source,
        })?;
    if let Some(actor) = &actor {
        assay = assay.with_actor(actor).map_err(StartupError::Actor)?;
    }
    log::info!("database {}", db.display());
    app.manage(Mutex::new(assay));
    app.manage(Rooms::new(db.clone()));
    app.manage(Imports::new(db, actor));
    Ok(())
}

/// `ASSAY_DB` when set (tests, a second workspace), else `<app data dir>/assay.db`: the same
/// file the `assay` CLI uses by default.
fn database_path(app: &App) -> Result<PathBuf, StartupError> {
    if let Some(path) = std::env::var_os("ASSAY_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dir = app
        .path()
        .app_data_dir()
        .map_err(StartupError::DataDirectory)?;
    Ok(dir.join("assay.db"))
}
