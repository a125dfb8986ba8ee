//! The product catalog.

use crate::{AppState, CommandError};
use hmedesk::catalog::{self, CatalogItem, CatalogItemInput};
use tauri::State;

/// Items whose code or description contains `search`.
#[tauri::command(rename_all = "snake_case")]
pub async fn catalog_list(state: State<'_, AppState>, search: String) -> Result<Vec<CatalogItem>, CommandError> {
    state.read(|db| catalog::list(db.conn(), &search))
}

/// Item `id` as a form, for editing.
#[tauri::command(rename_all = "snake_case")]
pub async fn catalog_form(state: State<'_, AppState>, id: i64) -> Result<CatalogItemInput, CommandError> {
    state.read(|db| catalog::get(db.conn(), id).map(|c| c.to_input()))
}

/// Saves a new item.
#[tauri::command(rename_all = "snake_case")]
pub async fn catalog_add(state: State<'_, AppState>, input: CatalogItemInput) -> Result<CatalogItem, CommandError> {
    state.write(|db, actor| catalog::add(db, actor, &input))
}

/// Replaces item `id` with the form.
#[tauri::command(rename_all = "snake_case")]
pub async fn catalog_update(
    state: State<'_, AppState>,
    id: i64,
    input: CatalogItemInput,
) -> Result<CatalogItem, CommandError> {
    state.write(|db, actor| catalog::update(db, actor, id, &input))
}
