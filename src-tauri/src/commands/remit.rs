//! Remittance: importing an 835 or an acknowledgment (999, 277CA) file chosen in the window,
//! the payments posted, the denial and rejection work queue (and marking an item worked), the
//! unmatched queues, and the supplier's action per adjustment reason code.

use crate::{AppState, CommandError};
use hmedesk::acks::{self, AckSummary, AckVerdict};
use hmedesk::remit::{self, carc, CarcCode, Payment, PostingSummary, UnmatchedClaim, WorkItem};
use serde::Deserialize;
use std::borrow::Cow;
use tauri::ipc::{InvokeBody, Request};
use tauri::State;

/// A file sent from the window: its bytes as the raw request body (a remittance can run to
/// tens of megabytes, too big to send as JSON) and its name in the `file-name` header (where
/// the webview can send raw bodies at all), or `fallback_name`.
fn uploaded<'r>(request: &'r Request<'_>, fallback_name: &'r str) -> Result<(Cow<'r, [u8]>, &'r str), CommandError> {
    let content = match request.body() {
        InvokeBody::Raw(bytes) => Cow::Borrowed(bytes.as_slice()),
        // WebKitGTK's IPC carries the bytes as a JSON array of numbers.
        InvokeBody::Json(value) => Cow::Owned(
            Vec::<u8>::deserialize(value)
                .map_err(|e| CommandError::other(format!("the file did not arrive as bytes: {e}")))?,
        ),
    };
    let file_name = request.headers().get("file-name").and_then(|v| v.to_str().ok()).unwrap_or(fallback_name);
    Ok((content, file_name))
}

/// Posts an 835 file read in the window: all of it or nothing.
#[tauri::command]
pub async fn remit_import(state: State<'_, AppState>, request: Request<'_>) -> Result<PostingSummary, CommandError> {
    let (content, file_name) = uploaded(&request, "remittance.835")?;
    state.write(|db, actor| remit::import(db, actor, &content, file_name))
}

/// Applies a 999 or 277CA file read in the window to the batches and claims it names.
#[tauri::command]
pub async fn ack_import(state: State<'_, AppState>, request: Request<'_>) -> Result<AckSummary, CommandError> {
    let (content, file_name) = uploaded(&request, "acknowledgment.x12")?;
    state.write(|db, actor| acks::import(db, actor, &content, file_name))
}

/// Acknowledgment verdicts that name no batch or claim of ours.
#[tauri::command(rename_all = "snake_case")]
pub async fn ack_unmatched(state: State<'_, AppState>) -> Result<Vec<AckVerdict>, CommandError> {
    state.read(|db| acks::unmatched(db.conn()))
}

/// Every payment posted, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn remit_payments(state: State<'_, AppState>) -> Result<Vec<Payment>, CommandError> {
    state.read(|db| remit::payments(db.conn()))
}

/// The denials and rejections still to work.
#[tauri::command(rename_all = "snake_case")]
pub async fn remit_work_queue(state: State<'_, AppState>) -> Result<Vec<WorkItem>, CommandError> {
    state.read(|db| remit::work_queue(db.conn()))
}

/// Marks work item `id` worked with `note` saying what was done.
#[tauri::command(rename_all = "snake_case")]
pub async fn remit_resolve(state: State<'_, AppState>, id: i64, note: String) -> Result<(), CommandError> {
    state.write(|db, actor| db.write(actor, |c| remit::resolve(c, id, &note)))
}

/// Remittance claims that matched none of ours.
#[tauri::command(rename_all = "snake_case")]
pub async fn remit_unmatched(state: State<'_, AppState>) -> Result<Vec<UnmatchedClaim>, CommandError> {
    state.read(|db| remit::unmatched(db.conn()))
}

/// The adjustment reason codes `search` finds (a code's start or words of its description;
/// every code when blank), with the action posting takes.
#[tauri::command(rename_all = "snake_case")]
pub async fn carc_list(state: State<'_, AppState>, search: String) -> Result<Vec<CarcCode>, CommandError> {
    state.read(|db| carc::list(db.conn(), &search))
}

/// Sets the action for reason code `code` (`adjust`, `patient` or `workqueue`).
#[tauri::command(rename_all = "snake_case")]
pub async fn carc_set(state: State<'_, AppState>, code: String, action: String) -> Result<CarcCode, CommandError> {
    state.write(|db, actor| db.write(actor, |c| carc::set_action(c, &code, &action)))
}
