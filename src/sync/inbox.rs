//! The inbox: every file fetched from the clearinghouse, stored once per content hash before
//! anything is done with it, then handed by its transaction set (ST01: 999, 277, 835, 271 …)
//! to the importer that posts it.
//!
//! Exactly once: a file fetched twice is recognised by its SHA-256 and stored once; an
//! importer runs in the same transaction that marks its file imported, so a file is posted
//! wholly once or not at all. A file whose importer this build lacks stays
//! `pending_import` and is imported by the first pass that has one.

use super::SyncError;
use crate::coded_enum;
use crate::db::{now_utc, Access, Actor, Change};
use crate::documents::sha256_hex;
use crate::x12::{Reader, Role};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use std::collections::BTreeMap;

coded_enum! {
    /// Where a fetched file is.
    InboxState {
        /// Stored; waiting for its importer.
        PendingImport = "pending_import",
        /// Posted by its importer.
        Imported = "imported",
        /// Its importer refused it; the error says why.
        Failed = "failed",
    }
}

/// The transaction-set name of a Claim.MD response list entry (JSON, not X12).
pub const CLAIMMD_RESPONSE: &str = "claimmd_response";
/// The transaction-set name of a file that is neither X12 nor a known response.
pub const UNKNOWN: &str = "unknown";

/// An inbox row as the screens and the CLI show it (without the file's bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct InboxItem {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    /// The transport's id for the file.
    pub remote_id: Option<String>,
    /// ST01 of its first transaction set (`999`, `277`, `835`, `271`), `claimmd_response`
    /// or `unknown`.
    pub transaction_set: String,
    pub state: InboxState,
    pub error: Option<String>,
    pub received_at: String,
    pub imported_at: Option<String>,
    /// What the importer did, in a few words.
    pub summary: Option<String>,
}

const COLUMNS: &str =
    "id, file_name, sha256, remote_id, transaction_set, state, error, received_at, imported_at, summary";

fn from_row(r: &Row<'_>) -> rusqlite::Result<InboxItem> {
    Ok(InboxItem {
        id: r.get(0)?,
        file_name: r.get(1)?,
        sha256: r.get(2)?,
        remote_id: r.get(3)?,
        transaction_set: r.get(4)?,
        state: r.get(5)?,
        error: r.get(6)?,
        received_at: r.get(7)?,
        imported_at: r.get(8)?,
        summary: r.get(9)?,
    })
}

/// An importer: posts one file inside the change that marks it imported, and says in a few
/// words what it did. An error rolls its posting back and marks the file failed.
pub type ImportFn = fn(&Change<'_>, &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>>;

/// The importers available to a pass, by transaction set. The acknowledgment and
/// remittance modules register theirs here; the core has no other link to them.
#[derive(Clone, Default)]
pub struct Importers {
    by_set: BTreeMap<String, ImportFn>,
}

impl Importers {
    /// No importers: every file stays pending.
    pub fn none() -> Importers {
        Importers::default()
    }

    /// Every importer this build has.
    pub fn standard() -> Importers {
        Importers::none()
            .with(CLAIMMD_RESPONSE, super::claimmd::import_responses)
            .with("271", crate::eligibility::import_271)
            .with("277", crate::acks::import_fetched)
            .with("835", crate::remit::import_fetched)
            .with("999", crate::acks::import_fetched)
    }

    /// Adds (or replaces) the importer for `set`.
    pub fn with(mut self, set: &str, import: ImportFn) -> Importers {
        self.by_set.insert(set.to_string(), import);
        self
    }

    fn get(&self, set: &str) -> Option<ImportFn> {
        self.by_set.get(set).copied()
    }
}

/// What a file is: ST01 of its first transaction set, [`CLAIMMD_RESPONSE`] for a Claim.MD
/// JSON response, else [`UNKNOWN`].
pub fn transaction_set(bytes: &[u8]) -> String {
    if bytes.trim_ascii_start().starts_with(b"{") {
        return CLAIMMD_RESPONSE.to_string();
    }
    let mut reader = Reader::new(bytes);
    while let Ok(Some(item)) = reader.next_item() {
        if item.role == Role::SetStart {
            return item.set_id.to_string();
        }
    }
    UNKNOWN.to_string()
}

/// Stores a fetched file unless a file with the same content is already there; returns its
/// id and whether it is new. The pass calls it for every fetched file; the demo for its
/// sample answers.
pub fn store(c: &Change<'_>, file_name: &str, remote_id: &str, bytes: &[u8]) -> Result<(i64, bool), SyncError> {
    let sha256 = sha256_hex(bytes);
    let existing: Option<i64> =
        c.conn().query_row("SELECT id FROM sync_inbox WHERE sha256 = ?1", [&sha256], |r| r.get(0)).optional()?;
    if let Some(id) = existing {
        c.audit("receive", "sync_inbox", Some(id), &format!("{file_name} was already received"))?;
        return Ok((id, false));
    }
    let set = transaction_set(bytes);
    c.conn().execute(
        "INSERT INTO sync_inbox (sha256, file_name, remote_id, transaction_set, content, state, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending_import', ?6)",
        (&sha256, file_name, remote_id, &set, bytes, now_utc()),
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("receive", "sync_inbox", Some(id), &format!("received {set} file {file_name}"))?;
    Ok((id, true))
}

/// Every inbox row, newest first.
pub fn list(conn: &Connection) -> Result<Vec<InboxItem>, SyncError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM sync_inbox ORDER BY id DESC"))?;
    let rows = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One inbox row.
pub fn get(conn: &Connection, id: i64) -> Result<InboxItem, SyncError> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM sync_inbox WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(SyncError::NotFound { what: "inbox item", id })
}

/// How many fetched files wait for an importer.
pub fn waiting(conn: &Connection) -> Result<i64, SyncError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM sync_inbox WHERE state = 'pending_import'", [], |r| r.get(0))?)
}

/// Files imported and files refused by one [`import_pending`] call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportTally {
    pub imported: u32,
    pub failed: u32,
}

/// Imports every pending file that has an importer, each in its own transaction, taking
/// the database for each file only.
pub fn import_pending(db: &mut impl Access, actor: &Actor, importers: &Importers) -> Result<ImportTally, SyncError> {
    let pending: Vec<(i64, String)> = db.with(|db| {
        let mut stmt = db
            .conn()
            .prepare("SELECT id, transaction_set FROM sync_inbox WHERE state = 'pending_import' ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok::<_, SyncError>(rows)
    })?;
    let mut tally = ImportTally::default();
    for (id, set) in pending {
        let Some(import) = importers.get(&set) else { continue };
        let posted = db.with(|db| {
            db.write(actor, |c| {
                let bytes: Vec<u8> =
                    c.conn().query_row("SELECT content FROM sync_inbox WHERE id = ?1", [id], |r| r.get(0))?;
                match import(c, &bytes) {
                    Ok(summary) => {
                        c.conn().execute(
                            "UPDATE sync_inbox SET state = 'imported', imported_at = ?2, summary = ?3, error = NULL
                             WHERE id = ?1 AND state = 'pending_import'",
                            (id, now_utc(), &summary),
                        )?;
                        c.audit("import", "sync_inbox", Some(id), &format!("imported {set} file"))?;
                        Ok(())
                    }
                    Err(e) => Err(SyncError::Import(e.to_string())),
                }
            })
        });
        let error = match posted {
            Ok(()) => {
                tally.imported += 1;
                continue;
            }
            Err(SyncError::Import(message)) => message,
            Err(other) => return Err(other),
        };
        db.with(|db| {
            db.write(actor, |c| {
                c.conn().execute("UPDATE sync_inbox SET state = 'failed', error = ?2 WHERE id = ?1", (id, &error))?;
                c.audit("import_failed", "sync_inbox", Some(id), &format!("could not import {set} file"))?;
                Ok::<_, SyncError>(())
            })
        })?;
        tally.failed += 1;
    }
    Ok(tally)
}
