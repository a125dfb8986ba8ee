//! Where sync stands, for the window's header and the sync screen: whether a transport is set
//! up, how the last pass went (online or not), what waits to go out or to be imported, and
//! how often the app syncs on its own.

use super::pass::PassReport;
use super::{inbox, outbox, state, SyncError};
use crate::settings;
use rusqlite::Connection;
use serde::Serialize;

/// Minutes between background passes when `sync.interval_minutes` is not set.
pub const DEFAULT_INTERVAL_MINUTES: u64 = 15;

/// Sync at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SyncStatus {
    /// `folder` or `claimmd`; `None` until the supplier sets one up.
    pub transport: Option<String>,
    /// The last pass, if one ran: when, online or not, what it did.
    pub last_pass: Option<PassReport>,
    /// Files queued or being sent.
    pub outbox_waiting: i64,
    /// Fetched files not yet imported.
    pub inbox_waiting: i64,
    /// Minutes between the app's background passes.
    pub interval_minutes: u64,
}

/// Sync at a glance, read from the settings, the queues and the last pass.
pub fn status(conn: &Connection) -> Result<SyncStatus, SyncError> {
    let interval_minutes = settings::get(conn, settings::SYNC_INTERVAL_MINUTES)?
        .and_then(|m| m.parse().ok())
        .filter(|m| *m > 0)
        .unwrap_or(DEFAULT_INTERVAL_MINUTES);
    Ok(SyncStatus {
        transport: settings::get(conn, settings::SYNC_TRANSPORT)?,
        last_pass: state::last_pass(conn)?,
        outbox_waiting: outbox::waiting(conn)?,
        inbox_waiting: inbox::waiting(conn)?,
        interval_minutes,
    })
}
