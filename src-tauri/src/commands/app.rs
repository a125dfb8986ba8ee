//! The app as a whole: where the database is and whether this is its first start.

use crate::AppState;
use serde::Serialize;
use tauri::State;

/// What the window needs to know when it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AppStatus {
    /// The database file, shown in supplier settings.
    pub database_path: String,
    /// True when this start created the database: the UI offers the demo data.
    pub first_run: bool,
    /// Why the database could not be opened, when it could not.
    pub database_error: Option<String>,
}

/// The app's status, read once when the window opens.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, crate::CommandError> {
    Ok(AppStatus {
        database_path: state.path().display().to_string(),
        first_run: state.created(),
        database_error: state.open_error().map(str::to_string),
    })
}
