//! One sync pass: plan from the database alone (what to resolve, what to upload, whether to
//! fetch), then do the transfers one by one, committing each outcome before the next
//! request, so a crash at any point leaves a state the next pass resumes from.
//!
//! Order within a pass: rows a crash left `sending`, and rows tried before, are checked
//! against the clearinghouse before they are sent again; due rows are uploaded; incoming files are listed, fetched
//! and stored (each stored before the transport is told it may stop offering it); pending
//! inbox files are imported. An offline transport ends the transfers, never the pass: the
//! imports still run.
//!
//! The database is held for each step only ([`Access`]): it is read before a request and
//! written (one `Db::write` per outcome) after it, never held while the clearinghouse is
//! answering, so the window's other commands go on while the network is slow.

use super::inbox::{self, Importers};
use super::outbox::{self, OutboxItem, OutboxState};
use super::transport::{Cursors, Offered, Transport, TransportError, Upload};
use super::{state, SyncError};
use crate::db::{Access, Actor, Change};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::sync::{Mutex, PoisonError};

/// One pass at a time in this program: a pass started while another uploads would take the
/// other's `sending` rows for rows a crash left behind, and send them again.
static ONE_PASS: Mutex<()> = Mutex::new(());

/// What a pass will do, decided before any I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Rows left `sending` by an interrupted pass: ask the transport before resending.
    pub resume: Vec<OutboxItem>,
    /// Queued rows due now.
    pub upload: Vec<OutboxItem>,
    /// Whether to list and fetch incoming files.
    pub fetch: bool,
}

/// Plans a pass at `now` from the database alone.
pub fn plan(conn: &Connection, now: DateTime<Utc>) -> Result<Plan, SyncError> {
    let (resume, upload) = outbox::due(conn, now)?.into_iter().partition(|i| i.state == OutboxState::Sending);
    Ok(Plan { resume, upload, fetch: true })
}

/// What a pass did (`hmedesk sync --once --json` prints this).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PassReport {
    /// When the pass ran (UTC, RFC 3339).
    pub at: String,
    /// The transport used.
    pub transport: String,
    /// False when the clearinghouse could not be reached.
    pub online: bool,
    /// Files the clearinghouse now has that it did not before this pass.
    pub uploaded: u32,
    /// New files stored in the inbox (a file offered again is not counted).
    pub downloaded: u32,
    /// Inbox files posted by their importer.
    pub imported: u32,
    /// Outbox files refused for good, and inbox files their importer refused.
    pub failed: u32,
    /// Outbox files still to send plus inbox files still to import.
    pub pending: i64,
    /// What went wrong, one sentence each.
    pub errors: Vec<String>,
}

/// Runs one pass over `transport` and records its report as the last pass, taking the
/// database for each step and letting it go during every transfer.
pub fn run_once(
    mut db: impl Access,
    actor: &Actor,
    transport: &mut dyn Transport,
    importers: &Importers,
    now: DateTime<Utc>,
) -> Result<PassReport, SyncError> {
    let _one = ONE_PASS.lock().unwrap_or_else(PoisonError::into_inner);
    let plan = db.with(|db| plan(db.conn(), now))?;
    let mut report = PassReport {
        at: outbox::stamp(now),
        transport: transport.name().to_string(),
        online: true,
        ..PassReport::default()
    };
    let mut stopped = false;
    for item in plan.resume.iter().chain(&plan.upload) {
        if stopped {
            break;
        }
        stopped = send(&mut db, actor, transport, item, now, &mut report)?;
    }
    if plan.fetch && !stopped {
        fetch(&mut db, actor, transport, &mut report)?;
    }
    let tally = inbox::import_pending(&mut db, actor, importers)?;
    report.imported += tally.imported;
    report.failed += tally.failed;
    db.with(|db| {
        report.pending = outbox::waiting(db.conn())? + inbox::waiting(db.conn())?;
        state::save_last_pass(db, actor, &report)
    })?;
    Ok(report)
}

/// Records one outcome: takes the database for one `Db::write` and lets it go.
fn record<T>(
    db: &mut impl Access,
    actor: &Actor,
    change: impl FnOnce(&Change<'_>) -> Result<T, SyncError>,
) -> Result<T, SyncError> {
    db.with(|db| db.write(actor, change))
}

/// Resolves or uploads one row; true when the transfers of this pass must stop.
fn send(
    db: &mut impl Access,
    actor: &Actor,
    transport: &mut dyn Transport,
    item: &OutboxItem,
    now: DateTime<Utc>,
    report: &mut PassReport,
) -> Result<bool, SyncError> {
    let content = db.with(|db| outbox::content(db.conn(), item.id))?;
    let upload = Upload {
        kind: item.kind,
        file_name: &item.file_name,
        content: &content,
        idempotency_key: &item.idempotency_key,
    };
    // A row a crash left `sending`, or one whose last try failed after the request may have
    // reached the clearinghouse (a timeout, a dropped answer), is looked up before resending.
    if item.state == OutboxState::Sending || item.attempts > 0 {
        match transport.find_upload(&upload) {
            Ok(Some(receipt)) => {
                record(db, actor, |c| outbox::mark_sent(c, item.id, receipt.remote_id.as_deref()))?;
                return Ok(false);
            }
            Ok(None) => {}
            Err(e) => return failed(db, actor, item, e, now, report),
        }
    }
    record(db, actor, |c| outbox::mark_sending(c, item.id))?;
    match transport.upload(&upload) {
        Ok(receipt) => {
            record(db, actor, |c| outbox::mark_sent(c, item.id, receipt.remote_id.as_deref()))?;
            report.uploaded += 1;
            Ok(false)
        }
        Err(e) => failed(db, actor, item, e, now, report),
    }
}

/// Records a failed transfer of `item`; true when the pass must stop transferring.
fn failed(
    db: &mut impl Access,
    actor: &Actor,
    item: &OutboxItem,
    error: TransportError,
    now: DateTime<Utc>,
    report: &mut PassReport,
) -> Result<bool, SyncError> {
    let message = error.to_string();
    report.errors.push(format!("{}: {message}", item.file_name));
    match error {
        TransportError::Rejected(_) => {
            record(db, actor, |c| outbox::mark_verdict(c, item.id, false, Some(&message)))?;
            report.failed += 1;
            Ok(false)
        }
        TransportError::Retryable(_) => {
            record(db, actor, |c| outbox::mark_retry(c, item.id, &message, now))?;
            Ok(false)
        }
        TransportError::Offline(_) | TransportError::Setup(_) => {
            if matches!(error, TransportError::Offline(_)) {
                report.online = false;
            }
            record(db, actor, |c| outbox::mark_retry(c, item.id, &message, now))?;
            Ok(true)
        }
    }
}

/// Lists, fetches and stores incoming files until done or the transport fails.
fn fetch(
    db: &mut impl Access,
    actor: &Actor,
    transport: &mut dyn Transport,
    report: &mut PassReport,
) -> Result<(), SyncError> {
    let cursors: Cursors = db.with(|db| state::cursors(db.conn()))?;
    let offered = match transport.list_incoming(&cursors) {
        Ok(offered) => offered,
        Err(e) => {
            note(report, "listing incoming files", &e);
            return Ok(());
        }
    };
    for file in offered {
        if let Err(e) = fetch_one(db, actor, transport, &file, report) {
            match e {
                SyncError::Transport(e) => {
                    note(report, &file.file_name, &e);
                    if !e.is_retryable() || matches!(e, TransportError::Offline(_)) {
                        return Ok(());
                    }
                }
                other => return Err(other),
            }
        }
    }
    Ok(())
}

fn fetch_one(
    db: &mut impl Access,
    actor: &Actor,
    transport: &mut dyn Transport,
    file: &Offered,
    report: &mut PassReport,
) -> Result<(), SyncError> {
    let bytes = match &file.content {
        Some(bytes) => bytes.clone(),
        None => transport.download(file)?,
    };
    let new = record(db, actor, |c| {
        let (_, new) = inbox::store(c, &file.file_name, &file.remote_id, &bytes)?;
        if let Some((name, value)) = &file.cursor {
            state::set_cursor(c, name, value)?;
        }
        Ok(new)
    })?;
    if new {
        report.downloaded += 1;
    }
    transport.settle(file)?;
    Ok(())
}

fn note(report: &mut PassReport, what: &str, error: &TransportError) {
    if matches!(error, TransportError::Offline(_)) {
        report.online = false;
    }
    report.errors.push(format!("{what}: {error}"));
}
