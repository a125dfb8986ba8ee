//! Offline-first sync with the clearinghouse: the outbox of files to send, the inbox of files
//! fetched, the transports that carry them, and the one-pass function the CLI and the
//! desktop app's background timer call.
//!
//! * [`outbox`] — durable outgoing files with hash, idempotency key, state and backoff;
//! * [`inbox`] — fetched files by content hash, dispatched by transaction set to importers;
//! * [`transport`] — the boundary every transport implements, and failure classes;
//! * [`folder`] — the folder transport;
//! * [`claimmd`] — the Claim.MD HTTP transport, and the importer of its responses;
//! * [`credentials`] — the API key in the OS keychain;
//! * [`pass`] — plan, then transfer, then import;
//! * [`state`] — read positions and the last pass's report;
//! * [`status`] — sync at a glance, for the window.

pub mod backoff;
pub mod claimmd;
pub mod credentials;
pub mod folder;
pub mod inbox;
pub mod outbox;
pub mod pass;
pub mod state;
pub mod status;
pub mod transport;

pub use inbox::{Importers, InboxItem, InboxState};
pub use outbox::{OutboxItem, OutboxKind, OutboxState};
pub use pass::{PassReport, Plan};
pub use status::{status, SyncStatus};
pub use transport::{Transport, TransportError};

use crate::db::{Access, Actor, Db, DbError};
use crate::settings;
use std::path::PathBuf;
use std::time::Duration;

/// How long an HTTP request may take when `sync.timeout_seconds` is not set.
const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

/// Why a sync step could not be done.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Bad input (a file name, a state that does not allow the action …).
    #[error("{0}")]
    Invalid(String),
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    /// The settings do not describe a usable transport.
    #[error("sync is not set up: {0}")]
    NotConfigured(String),
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A sent claim batch's claims could not be marked submitted.
    #[error("the claims of the sent batch could not be marked submitted: {0}")]
    Claims(String),
    /// An importer refused a file.
    #[error("the file could not be imported: {0}")]
    Import(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(SyncError);

/// The transport the settings describe (`sync.transport` and its keys).
pub fn configured_transport(db: &Db) -> Result<Box<dyn Transport>, SyncError> {
    let conn = db.conn();
    let need = |key: &str| {
        settings::get(conn, key)?
            .ok_or_else(|| SyncError::NotConfigured(format!("{key} is not set (hmedesk settings set {key} VALUE)")))
    };
    match need(settings::SYNC_TRANSPORT)?.as_str() {
        "folder" => Ok(Box::new(folder::FolderTransport::new(
            PathBuf::from(need(settings::SYNC_OUTGOING_DIR)?),
            PathBuf::from(need(settings::SYNC_INCOMING_DIR)?),
        ))),
        "claimmd" => {
            let base = settings::get(conn, settings::SYNC_BASE_URL)?;
            let timeout = settings::get(conn, settings::SYNC_TIMEOUT_SECONDS)?.and_then(|t| t.parse().ok());
            let transport = claimmd::ClaimMdTransport::new(
                base.as_deref().unwrap_or(claimmd::DEFAULT_BASE_URL),
                &credentials::claimmd_key()?,
                Duration::from_secs(timeout.unwrap_or(DEFAULT_TIMEOUT_SECONDS)),
            )?;
            Ok(Box::new(transport))
        }
        other => Err(SyncError::NotConfigured(format!("the transport '{other}' is not known"))),
    }
}

/// One pass with the configured transport and every importer this build has: what the CLI's
/// `sync --once` and the desktop app's timer run. The database is taken for each step only
/// (see [`pass`]).
pub fn sync_once(mut db: impl Access, actor: &Actor) -> Result<PassReport, SyncError> {
    let mut transport = db.with(|db| configured_transport(db))?;
    pass::run_once(db, actor, transport.as_mut(), &Importers::standard(), chrono::Utc::now())
}
