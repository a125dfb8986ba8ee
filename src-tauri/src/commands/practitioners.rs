//! Ordering and treating practitioners.

use crate::{AppState, CommandError};
use hmedesk::practitioners::{self, Practitioner, PractitionerInput};
use tauri::State;

/// Practitioners whose name or NPI contains `search`.
#[tauri::command(rename_all = "snake_case")]
pub async fn practitioners_list(state: State<'_, AppState>, search: String) -> Result<Vec<Practitioner>, CommandError> {
    state.read(|db| practitioners::list(db.conn(), &search))
}

/// Practitioner `id` as a form, for editing.
#[tauri::command(rename_all = "snake_case")]
pub async fn practitioner_form(state: State<'_, AppState>, id: i64) -> Result<PractitionerInput, CommandError> {
    state.read(|db| practitioners::get(db.conn(), id).map(|p| p.to_input()))
}

/// Saves a new practitioner.
#[tauri::command(rename_all = "snake_case")]
pub async fn practitioner_add(
    state: State<'_, AppState>,
    input: PractitionerInput,
) -> Result<Practitioner, CommandError> {
    state.write(|db, actor| practitioners::add(db, actor, &input))
}

/// Replaces practitioner `id` with the form.
#[tauri::command(rename_all = "snake_case")]
pub async fn practitioner_update(
    state: State<'_, AppState>,
    id: i64,
    input: PractitionerInput,
) -> Result<Practitioner, CommandError> {
    state.write(|db, actor| practitioners::update(db, actor, id, &input))
}
