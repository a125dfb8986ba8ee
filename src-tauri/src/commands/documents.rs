//! Documents: the list with its search, the document form (add and correct), scanned files
//! attached from the window (bytes in, stored with their hash by the core) and read back.

use crate::{AppState, CommandError};
use hmedesk::documents::{self, Document, DocumentFile, DocumentInput};
use tauri::State;

/// Documents matching `search` (patient, type, form, HCPCS, PA number), newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn documents_list(state: State<'_, AppState>, search: String) -> Result<Vec<Document>, CommandError> {
    state.read(|db| documents::search(db.conn(), &search))
}

/// Document `id` with its files, for its detail panel.
#[tauri::command(rename_all = "snake_case")]
pub async fn document_get(state: State<'_, AppState>, id: i64) -> Result<Document, CommandError> {
    state.read(|db| documents::get(db.conn(), id))
}

/// Document `id` as a form, for correcting it.
#[tauri::command(rename_all = "snake_case")]
pub async fn document_form(state: State<'_, AppState>, id: i64) -> Result<DocumentInput, CommandError> {
    state.read(|db| documents::form(db.conn(), id))
}

/// Saves a new document.
#[tauri::command(rename_all = "snake_case")]
pub async fn document_add(state: State<'_, AppState>, input: DocumentInput) -> Result<Document, CommandError> {
    state.write(|db, actor| documents::add(db, actor, &input))
}

/// Replaces document `id` with the form (its files stay attached).
#[tauri::command(rename_all = "snake_case")]
pub async fn document_update(
    state: State<'_, AppState>,
    id: i64,
    input: DocumentInput,
) -> Result<Document, CommandError> {
    state.write(|db, actor| documents::update(db, actor, id, &input))
}

/// Attaches the scanned file chosen in the window to document `id`.
#[tauri::command(rename_all = "snake_case")]
pub async fn document_attach(
    state: State<'_, AppState>,
    id: i64,
    file_name: String,
    content: Vec<u8>,
) -> Result<DocumentFile, CommandError> {
    state.write(|db, actor| documents::attach(db, actor, id, &file_name, &content))
}

/// The content of attached file `file_id`, once its hash is checked.
#[tauri::command(rename_all = "snake_case")]
pub async fn document_file(state: State<'_, AppState>, file_id: i64) -> Result<Vec<u8>, CommandError> {
    state.read(|db| documents::file_content(db.conn(), file_id).map(|(_, content)| content))
}
