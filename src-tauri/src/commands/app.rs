//! The app as a whole: its status when the window opens, the demo data, the dashboard, and
//! the window title (which names the supplier).

use crate::{AppState, CommandError};
use hmedesk::dashboard::{self, Dashboard};
use hmedesk::demo::{self, DemoSummary};
use hmedesk::validation::today;
use serde::Serialize;
use tauri::{Runtime, State, WebviewWindow};

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
    /// The supplier's name, once the settings are filled in.
    pub supplier_name: Option<String>,
}

/// The window title: the program and, once known, the supplier it works for.
pub fn window_title(supplier_name: Option<&str>) -> String {
    match supplier_name {
        Some(name) => format!("HME Desk — {name}"),
        None => "HME Desk".to_string(),
    }
}

/// Shows the supplier's name (as on file now) in the window title.
pub fn refresh_title<R: Runtime>(window: &WebviewWindow<R>, state: &AppState) -> Result<(), CommandError> {
    let name = state.supplier_name()?;
    window.set_title(&window_title(name.as_deref())).map_err(CommandError::other)
}

/// The app's status, read when the window opens.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    Ok(AppStatus {
        database_path: state.path().display().to_string(),
        first_run: state.created(),
        database_error: state.open_error().map(str::to_string),
        supplier_name: if state.open_error().is_none() { state.supplier_name()? } else { None },
    })
}

/// Loads the demo supplier, payers, practitioners and patients (stages already loaded are
/// skipped).
#[tauri::command]
pub async fn demo_load<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<DemoSummary, CommandError> {
    let summary = state.write(|db, actor| demo::load(db, actor, today()))?;
    refresh_title(&window, &state)?;
    Ok(summary)
}

/// Counts and today's alerts.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Result<Dashboard, CommandError> {
    state.read(|db| dashboard::summary(db.conn(), today()))
}
