//! Sync with the clearinghouse: its status for the header, the outbox and inbox, a pass on
//! demand ("sync now"), sending one queued file at once, and the background pass the app runs
//! on the configured interval.

use crate::{AppState, CommandError};
use hmedesk::sync::{self, inbox, outbox, InboxItem, OutboxItem, PassReport, SyncStatus};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

/// The event the window hears after every pass, background or asked for, with its report.
pub const SYNC_FINISHED: &str = "sync-finished";

/// Sync at a glance: transport, last pass, what waits.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, CommandError> {
    state.read(|db| sync::status(db.conn()))
}

/// Every outgoing file, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_outbox(state: State<'_, AppState>) -> Result<Vec<OutboxItem>, CommandError> {
    state.read(|db| outbox::list(db.conn()))
}

/// Every fetched file, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_inbox(state: State<'_, AppState>) -> Result<Vec<InboxItem>, CommandError> {
    state.read(|db| inbox::list(db.conn()))
}

/// Makes queued file `id` due now, then runs a pass.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_send_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Result<PassReport, CommandError> {
    state.write(|db, actor| outbox::send_now(db, actor, id))?;
    pass(&app, &state)
}

/// One pass now: send what is due, fetch what is offered, import it.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<PassReport, CommandError> {
    pass(&app, &state)
}

/// Runs a pass on the shared database, which the pass holds for each step only: the other
/// commands go on while it waits on the clearinghouse.
fn pass<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Result<PassReport, CommandError> {
    let report = sync::sync_once(state.shared()?, state.actor())?;
    let _ = app.emit(SYNC_FINISHED, &report);
    Ok(report)
}

/// Runs a pass every `sync.interval_minutes` (read again before each wait) while the app is
/// open and a transport is set up; each report goes to the window as [`SYNC_FINISHED`].
pub fn run_in_background<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        let state = app.state::<AppState>();
        let status = state.read(|db| sync::status(db.conn()));
        let minutes = status.as_ref().map_or(sync::status::DEFAULT_INTERVAL_MINUTES, |s| s.interval_minutes);
        std::thread::sleep(Duration::from_secs(minutes * 60));
        if status.is_ok_and(|s| s.transport.is_some()) {
            let _ = pass(&app, &state);
        }
    });
}
