//! The supplier's own settings.

use super::app::refresh_title;
use crate::{AppState, CommandError};
use hmedesk::supplier::{self, Supplier, SupplierInput};
use tauri::{Runtime, State, WebviewWindow};

/// The settings as a form (blank before the first save).
#[tauri::command]
pub async fn supplier_form(state: State<'_, AppState>) -> Result<SupplierInput, CommandError> {
    state.read(|db| supplier::get(db.conn()).map(|s| s.map(|s| s.to_input()).unwrap_or_default()))
}

/// Saves the settings and shows the supplier's name in the window title.
#[tauri::command]
pub async fn supplier_save<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    input: SupplierInput,
) -> Result<Supplier, CommandError> {
    let saved = state.write(|db, actor| supplier::save(db, actor, &input))?;
    refresh_title(&window, &state)?;
    Ok(saved)
}
