//! Native file dialogs, each with a stand-in for the end-to-end tests, which cannot drive a
//! native dialog: with `ASSAY_EXPORT_DIR` set a save goes to a file of the proposed name in that
//! directory, and an open returns the file an environment variable names.

use std::path::PathBuf;

use assay_api::ApiError;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// A file type a dialog offers: its label and extensions.
pub struct Filter<'a> {
    pub name: &'a str,
    pub extensions: &'a [&'a str],
}

fn unusable(error: impl std::fmt::Display) -> ApiError {
    ApiError::Io(format!("the chosen file cannot be used: {error}"))
}

/// Asks where to save `file_name`; `None` when the user cancels.
pub fn save_path(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    filter: Filter<'_>,
) -> Result<Option<PathBuf>, ApiError> {
    if let Some(dir) = std::env::var_os("ASSAY_EXPORT_DIR").filter(|d| !d.is_empty()) {
        return Ok(Some(PathBuf::from(dir).join(file_name)));
    }
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter.name, filter.extensions)
        .blocking_save_file()
        .map(|path| path.into_path())
        .transpose()
        .map_err(unusable)
}

/// Asks where to save an export named `file_name` whose type is its `extension`, as text for
/// the front end; `None` when the user cancels.
pub fn export_path(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    extension: &str,
) -> Result<Option<String>, ApiError> {
    let label = extension.to_uppercase();
    let filter = Filter {
        name: &label,
        extensions: &[extension],
    };
    Ok(save_path(app, title, file_name, filter)?.map(|p| p.display().to_string()))
}

/// Asks for a file to read, or takes the one `test_variable` names; `None` when the user
/// cancels.
pub fn open_path(
    app: &AppHandle,
    title: &str,
    test_variable: &str,
    filter: Filter<'_>,
) -> Result<Option<PathBuf>, ApiError> {
    if let Some(file) = std::env::var_os(test_variable).filter(|f| !f.is_empty()) {
        return Ok(Some(PathBuf::from(file)));
    }
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter.name, filter.extensions)
        .blocking_pick_file()
        .map(|path| path.into_path())
        .transpose()
        .map_err(unusable)
}
