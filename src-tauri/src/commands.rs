//! The app's commands. Each one takes the shared [`Assay`] and calls one API method; rules and
//! validation live in the API layer, so the app, the CLI and the tests cannot disagree.
//! Errors cross IPC as the API's `{code, message}` payload.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use assay_api::assessment::history::{Diff, TrendPoint};
use assay_api::assessment::{
    Answer, Assessment, Bank, Participant, Scorecard, VoteSummary, VoteValue,
};
use assay_api::evidence_model::Tracker;
use assay_api::{
    AnswerChange, Assay, AssessmentSummary, Charts, ErrorPayload, ImportSummary, ItemChange,
    ItemView, NewAssessment, NewParticipant, ProjectEvidence, ReportExport, ReportFormat,
    SignoffView, TokenStore, tracker_account,
};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::imports::Imports;
use crate::ipc::{ExportedReport, ImportRequest};

/// What every command returns: a value, or `{code, message}`.
pub type CommandResult<T> = Result<T, ErrorPayload>;

/// The one open workspace; commands take turns on its database connection.
pub type Shared = Mutex<Assay>;

/// A panic in one command must not lock the others out: the data lives in SQLite, whose
/// transactions a panic cannot leave half-written.
fn lock(assay: &Shared) -> MutexGuard<'_, Assay> {
    assay.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn failure(code: &str, message: impl std::fmt::Display) -> ErrorPayload {
    ErrorPayload {
        code: code.to_owned(),
        message: message.to_string(),
    }
}

// Commands are async so that Tauri runs them off the main thread: a PDF export or a slow
// query never freezes the window.

#[tauri::command]
pub async fn list_assessments(assay: State<'_, Shared>) -> CommandResult<Vec<AssessmentSummary>> {
    Ok(lock(&assay).list_assessments()?)
}

#[tauri::command]
pub async fn get_bank(assay: State<'_, Shared>) -> CommandResult<Bank> {
    Ok(lock(&assay).bank().clone())
}

#[tauri::command]
pub async fn create_assessment(
    assay: State<'_, Shared>,
    input: NewAssessment,
) -> CommandResult<Assessment> {
    Ok(lock(&assay).create_assessment(input)?)
}

#[tauri::command]
pub async fn get_assessment(assay: State<'_, Shared>, id: String) -> CommandResult<Assessment> {
    Ok(lock(&assay).assessment(&id)?)
}

#[tauri::command]
pub async fn add_participant(
    assay: State<'_, Shared>,
    id: String,
    name: String,
    role: String,
) -> CommandResult<Participant> {
    Ok(lock(&assay).add_participant(&id, NewParticipant { name, role })?)
}

#[tauri::command]
pub async fn cast_vote(
    assay: State<'_, Shared>,
    id: String,
    question: String,
    participant: String,
    value: VoteValue,
) -> CommandResult<VoteSummary> {
    Ok(lock(&assay).cast_vote(&id, &question, &participant, value)?)
}

#[tauri::command]
pub async fn update_answer(
    assay: State<'_, Shared>,
    id: String,
    question: String,
    change: AnswerChange,
) -> CommandResult<Answer> {
    Ok(lock(&assay).update_answer(&id, &question, change)?)
}

#[tauri::command]
pub async fn score(assay: State<'_, Shared>, id: String) -> CommandResult<Scorecard> {
    Ok(lock(&assay).score(&id)?)
}

#[tauri::command]
pub async fn charts(assay: State<'_, Shared>, id: String) -> CommandResult<Charts> {
    Ok(lock(&assay).charts(&id)?)
}

#[tauri::command]
pub async fn item_from_gap(
    assay: State<'_, Shared>,
    id: String,
    question: String,
) -> CommandResult<ItemView> {
    Ok(lock(&assay).item_from_gap(&id, &question)?)
}

#[tauri::command]
pub async fn list_items(
    assay: State<'_, Shared>,
    scope: Option<String>,
    overdue_only: bool,
) -> CommandResult<Vec<ItemView>> {
    Ok(lock(&assay).list_items(scope.as_deref(), overdue_only)?)
}

#[tauri::command]
pub async fn update_item(
    assay: State<'_, Shared>,
    item_id: String,
    change: ItemChange,
) -> CommandResult<ItemView> {
    Ok(lock(&assay).update_item(&item_id, change)?)
}

#[tauri::command]
pub async fn history(assay: State<'_, Shared>, scope: String) -> CommandResult<Vec<TrendPoint>> {
    Ok(lock(&assay).history(&scope)?)
}

#[tauri::command]
pub async fn diff(assay: State<'_, Shared>, from: String, to: String) -> CommandResult<Diff> {
    Ok(lock(&assay).diff(&from, &to)?)
}

#[tauri::command]
pub async fn sign_off(
    assay: State<'_, Shared>,
    id: String,
    name: String,
    role: String,
    decision: String,
    comment: String,
) -> CommandResult<SignoffView> {
    Ok(lock(&assay).sign_off(&id, &name, &role, &decision, &comment)?)
}

#[tauri::command]
pub async fn signoffs(assay: State<'_, Shared>, id: String) -> CommandResult<Vec<SignoffView>> {
    Ok(lock(&assay).signoffs(&id)?)
}

/// Asks where to save a report: a native save dialog, or, when `ASSAY_EXPORT_DIR` is set (the
/// end-to-end tests, which cannot drive a native dialog), a file in that directory.
/// `None` when the user cancels.
#[tauri::command]
pub async fn choose_export_path(
    app: AppHandle,
    assay: State<'_, Shared>,
    id: String,
    format: ReportFormat,
) -> CommandResult<Option<String>> {
    let name = export_file_name(&lock(&assay).assessment(&id)?, format);
    if let Some(dir) = std::env::var_os("ASSAY_EXPORT_DIR").filter(|d| !d.is_empty()) {
        return Ok(Some(PathBuf::from(dir).join(name).display().to_string()));
    }
    let ext = format.extension();
    let chosen = app
        .dialog()
        .file()
        .set_title("Export report")
        .set_file_name(&name)
        .add_filter(ext.to_uppercase(), &[ext])
        .blocking_save_file();
    chosen
        .map(|path| path.into_path().map(|p| p.display().to_string()))
        .transpose()
        .map_err(|e| failure("io", format!("the chosen file cannot be used: {e}")))
}

#[tauri::command]
pub async fn export_report(
    assay: State<'_, Shared>,
    id: String,
    format: ReportFormat,
    path: String,
) -> CommandResult<ExportedReport> {
    let path = PathBuf::from(path);
    let report = lock(&assay).export_report(&id, format, &path)?;
    // The export log keeps the absolute path; give the same one back.
    let path = std::path::absolute(&path).unwrap_or(path);
    Ok(ExportedReport::new(&path, report))
}

#[tauri::command]
pub async fn list_exports(
    assay: State<'_, Shared>,
    id: String,
) -> CommandResult<Vec<ReportExport>> {
    Ok(lock(&assay).exports(&id)?)
}

/// Opens an exported report with the system's viewer. Only files Assay exported from this
/// assessment are opened, so the web view cannot open arbitrary paths.
#[tauri::command]
pub async fn open_export(
    app: AppHandle,
    assay: State<'_, Shared>,
    id: String,
    path: String,
) -> CommandResult<()> {
    let path = recorded_export(&assay, &id, &path)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| failure("io", format!("cannot open {}: {e}", path.display())))
}

/// Shows an exported report in the file manager (same restriction as [`open_export`]).
#[tauri::command]
pub async fn reveal_export(
    app: AppHandle,
    assay: State<'_, Shared>,
    id: String,
    path: String,
) -> CommandResult<()> {
    let path = recorded_export(&assay, &id, &path)?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| failure("io", format!("cannot show {}: {e}", path.display())))
}

#[tauri::command]
pub async fn evidence(
    assay: State<'_, Shared>,
    scope: Option<String>,
) -> CommandResult<Vec<ProjectEvidence>> {
    Ok(lock(&assay).evidence(scope.as_deref())?)
}

/// Imports a tracker project, emitting `import-progress` events; see [`Imports`].
#[tauri::command]
pub async fn import_evidence(
    app: AppHandle,
    imports: State<'_, Imports>,
    request: ImportRequest,
) -> CommandResult<ImportSummary> {
    imports.run(app, request).await
}

/// Stops the running import, if any; its earlier evidence stays as it was. True when one was
/// running.
#[tauri::command]
pub async fn cancel_import(imports: State<'_, Imports>) -> CommandResult<bool> {
    Ok(imports.cancel())
}

/// Stores a tracker token in the OS keyring. It is never sent back to the web view.
#[tauri::command]
pub async fn set_token(
    tracker: Tracker,
    url: String,
    user: Option<String>,
    secret: String,
) -> CommandResult<()> {
    let account = tracker_account(tracker, &url, user.as_deref())?;
    Ok(TokenStore::os().save(&account, &secret)?)
}

/// `<title> <date>.<ext>`, with characters file systems refuse replaced.
fn export_file_name(assessment: &Assessment, format: ReportFormat) -> String {
    let stem: String = format!("{} {}", assessment.title, assessment.assessed_on)
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    format!("{}.{}", stem.trim_matches(['.', ' ']), format.extension())
}

fn recorded_export(assay: &Shared, id: &str, path: &str) -> CommandResult<PathBuf> {
    let exports = lock(assay).exports(id)?;
    exports
        .iter()
        .find(|e| e.export.path == path)
        .map(|e| PathBuf::from(&e.export.path))
        .filter(|p| Path::exists(p))
        .ok_or_else(|| {
            failure(
                "not_an_export",
                format!("{path} is not a report exported from this assessment, or it was moved"),
            )
        })
}
