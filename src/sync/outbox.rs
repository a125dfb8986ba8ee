//! The outbox: every file to send to the clearinghouse (837P batches, 270 requests), kept in
//! the database with its content hash and idempotency key until the clearinghouse has
//! answered for it.
//!
//! States: `queued` → `sending` (written just before the upload starts) → `sent` →
//! `acknowledged` or `rejected`. A retryable failure puts the row back to `queued` with a
//! later `next_attempt_at`; a `sending` row found by the next pass means the program stopped
//! mid-upload, and the pass asks the transport whether the upload arrived before sending it
//! again.
//!
//! A queued row may be held ([`hold`]): a real-time eligibility exchange is sending its 270
//! by another way right now, and passes (of any program on the database) leave it alone until
//! the exchange ends or [`REAL_TIME_HOLD`] has passed.

use super::backoff;
use super::SyncError;
use crate::coded_enum;
use crate::db::{now_utc, Change, Db};
use crate::documents::sha256_hex;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

coded_enum! {
    /// What an outgoing file is.
    OutboxKind {
        /// An 837P claim batch.
        Claims837p = "837p",
        /// A 270 eligibility request.
        Eligibility270 = "270",
    }
}

coded_enum! {
    /// Where an outgoing file is on its way.
    OutboxState {
        /// Waiting for its next try.
        Queued = "queued",
        /// An upload was started; the pass resolves it against the clearinghouse.
        Sending = "sending",
        /// The clearinghouse has it.
        Sent = "sent",
        /// The clearinghouse or payer accepted it.
        Acknowledged = "acknowledged",
        /// Refused for good; the error says why.
        Rejected = "rejected",
    }
}

/// An outbox row as the screens and the CLI show it (without the file's bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OutboxItem {
    pub id: i64,
    pub kind: OutboxKind,
    pub file_name: String,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// Sent with every upload try, so the clearinghouse and the resume check can tell a retry
    /// from a new file.
    pub idempotency_key: String,
    pub state: OutboxState,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// Not tried again before this time (UTC, RFC 3339).
    pub next_attempt_at: String,
    /// The clearinghouse's id for the upload, once known.
    pub remote_id: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

const COLUMNS: &str = "id, kind, file_name, sha256, idempotency_key, state, attempts, last_error, next_attempt_at, \
                       remote_id, created_at, sent_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxItem> {
    Ok(OutboxItem {
        id: r.get(0)?,
        kind: r.get(1)?,
        file_name: r.get(2)?,
        sha256: r.get(3)?,
        idempotency_key: r.get(4)?,
        state: r.get(5)?,
        attempts: r.get(6)?,
        last_error: r.get(7)?,
        next_attempt_at: r.get(8)?,
        remote_id: r.get(9)?,
        created_at: r.get(10)?,
        sent_at: r.get(11)?,
    })
}

/// Queues `bytes` for sending as `file_name`, inside the caller's change (the claim batch
/// that made the file commits together with its outbox row). The same content queued twice
/// is one row: the existing id is returned.
pub fn enqueue(c: &Change<'_>, kind: OutboxKind, file_name: &str, bytes: &[u8]) -> Result<i64, SyncError> {
    let file_name = safe_file_name(file_name)?;
    if bytes.is_empty() {
        return Err(SyncError::Invalid("the file to send is empty".into()));
    }
    let sha256 = sha256_hex(bytes);
    let existing: Option<i64> =
        c.conn().query_row("SELECT id FROM sync_outbox WHERE sha256 = ?1", [&sha256], |r| r.get(0)).optional()?;
    if let Some(id) = existing {
        c.audit("enqueue", "sync_outbox", Some(id), &format!("{file_name} was already queued"))?;
        return Ok(id);
    }
    let now = now_utc();
    c.conn().execute(
        "INSERT INTO sync_outbox (kind, file_name, content, sha256, idempotency_key, state, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6)",
        (kind, &file_name, bytes, &sha256, idempotency_key(&sha256), &now),
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("enqueue", "sync_outbox", Some(id), &format!("queued {kind} file {file_name}"))?;
    Ok(id)
}

/// The key that travels with every try of an upload: derived from the content, so the same
/// file always carries the same key, even after the database row was rebuilt.
fn idempotency_key(sha256: &str) -> String {
    format!("hmedesk-{}", &sha256[..32])
}

/// A file name that is safe in any folder: no path, no control characters.
fn safe_file_name(name: &str) -> Result<String, SyncError> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.len() <= 120
        && !name.starts_with('.')
        && name.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(SyncError::Invalid(format!(
            "file name '{name}' must be 1 to 120 letters, digits, '.', '-' or '_' and not start with '.'"
        )))
    }
}

/// Every outbox row, newest first.
pub fn list(conn: &Connection) -> Result<Vec<OutboxItem>, SyncError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM sync_outbox ORDER BY id DESC"))?;
    let rows = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One outbox row.
pub fn get(conn: &Connection, id: i64) -> Result<OutboxItem, SyncError> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM sync_outbox WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(SyncError::NotFound { what: "outbox item", id })
}

/// The bytes of an outbox file.
pub fn content(conn: &Connection, id: i64) -> Result<Vec<u8>, SyncError> {
    Ok(conn.query_row("SELECT content FROM sync_outbox WHERE id = ?1", [id], |r| r.get(0))?)
}

/// Rows the next pass must deal with: `sending` ones (to resolve) and `queued` ones that are
/// due at `now`, oldest first.
pub(super) fn due(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<OutboxItem>, SyncError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM sync_outbox
         WHERE state = 'sending' OR (state = 'queued' AND next_attempt_at <= ?1) ORDER BY id"
    ))?;
    let rows = stmt.query_map([stamp(now)], from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// How long a real-time exchange keeps its queued fallback from sync passes: longer than
/// any exchange with the default transport timeout (60 s), short enough that a check a crash
/// interrupted goes out with the next passes.
pub const REAL_TIME_HOLD: chrono::Duration = chrono::Duration::minutes(10);

/// Keeps queued row `id` from sync passes for [`REAL_TIME_HOLD`] from `now`, while its file
/// goes to the clearinghouse by another way; the row is the fallback should that way fail
/// or the program stop on the way.
pub(crate) fn hold(c: &Change<'_>, id: i64, now: DateTime<Utc>) -> Result<(), SyncError> {
    c.conn().execute(
        "UPDATE sync_outbox SET next_attempt_at = ?2 WHERE id = ?1 AND state = 'queued'",
        (id, stamp(now + REAL_TIME_HOLD)),
    )?;
    c.audit("hold", "sync_outbox", Some(id), "sending in real time")?;
    Ok(())
}

/// Makes a held row due at once: the other way failed, and the next pass sends it.
pub(crate) fn release(c: &Change<'_>, id: i64, why: &str) -> Result<(), SyncError> {
    c.conn()
        .execute("UPDATE sync_outbox SET next_attempt_at = ?2 WHERE id = ?1 AND state = 'queued'", (id, now_utc()))?;
    c.audit("release", "sync_outbox", Some(id), why)?;
    Ok(())
}

/// How many rows still wait to be sent.
pub fn waiting(conn: &Connection) -> Result<i64, SyncError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM sync_outbox WHERE state IN ('queued', 'sending')", [], |r| r.get(0))?)
}

/// Takes back a queued row whose file the clearinghouse got by another way, or refused
/// there. Rows on their way (or past it) are not the caller's to take back.
pub(crate) fn withdraw(c: &Change<'_>, id: i64, why: &str) -> Result<(), SyncError> {
    if c.conn().execute("DELETE FROM sync_outbox WHERE id = ?1 AND state = 'queued'", [id])? == 0 {
        return Err(SyncError::Invalid(format!("outbox item {id} is not queued; it cannot be taken back")));
    }
    c.audit("withdraw", "sync_outbox", Some(id), why)?;
    Ok(())
}

/// "Send now": makes a queued row due at once, ignoring its backoff.
pub fn send_now(db: &mut Db, actor: &crate::db::Actor, id: i64) -> Result<OutboxItem, SyncError> {
    db.write(actor, |c| {
        let item = get(c.conn(), id)?;
        if item.state != OutboxState::Queued {
            return Err(SyncError::Invalid(format!(
                "outbox item {id} is {}; only a queued item can be sent now",
                item.state
            )));
        }
        c.conn().execute("UPDATE sync_outbox SET next_attempt_at = ?2 WHERE id = ?1", (id, now_utc()))?;
        c.audit("send_now", "sync_outbox", Some(id), "asked to send now")?;
        get(c.conn(), id)
    })
}

/// Marks a row `sending` and counts the try; committed before any byte leaves.
pub(super) fn mark_sending(c: &Change<'_>, id: i64) -> Result<(), SyncError> {
    c.conn().execute("UPDATE sync_outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?1", [id])?;
    c.audit("send", "sync_outbox", Some(id), "upload started")?;
    Ok(())
}

/// Marks a row `sent`, with the clearinghouse's id for it when it gave one; a claim batch's
/// claims become submitted in the same change.
pub(crate) fn mark_sent(c: &Change<'_>, id: i64, remote_id: Option<&str>) -> Result<(), SyncError> {
    c.conn().execute(
        "UPDATE sync_outbox SET state = 'sent', remote_id = ?2, sent_at = ?3, last_error = NULL WHERE id = ?1",
        (id, remote_id, now_utc()),
    )?;
    let sha256: String = c.conn().query_row("SELECT sha256 FROM sync_outbox WHERE id = ?1", [id], |r| r.get(0))?;
    crate::claims::batch_sent(c, &sha256).map_err(|e| SyncError::Claims(e.to_string()))?;
    c.audit("sent", "sync_outbox", Some(id), "uploaded")?;
    Ok(())
}

/// Puts a row back in the queue after a retryable failure, due again after the backoff.
pub(super) fn mark_retry(c: &Change<'_>, id: i64, error: &str, now: DateTime<Utc>) -> Result<(), SyncError> {
    let attempts: i64 = c.conn().query_row("SELECT attempts FROM sync_outbox WHERE id = ?1", [id], |r| r.get(0))?;
    let next = backoff::next_attempt(now, u32::try_from(attempts).unwrap_or(u32::MAX));
    c.conn().execute(
        "UPDATE sync_outbox SET state = 'queued', last_error = ?2, next_attempt_at = ?3 WHERE id = ?1",
        (id, error, stamp(next)),
    )?;
    c.audit("retry", "sync_outbox", Some(id), "upload failed; will retry")?;
    Ok(())
}

/// Records the clearinghouse's verdict on a sent file: `acknowledged`, or `rejected` with
/// the reason.
pub(crate) fn mark_verdict(c: &Change<'_>, id: i64, accepted: bool, error: Option<&str>) -> Result<(), SyncError> {
    let state = if accepted { OutboxState::Acknowledged } else { OutboxState::Rejected };
    c.conn().execute("UPDATE sync_outbox SET state = ?2, last_error = ?3 WHERE id = ?1", (id, state, error))?;
    c.audit(state.code(), "sync_outbox", Some(id), &format!("clearinghouse verdict: {state}"))?;
    Ok(())
}

/// The row whose upload the clearinghouse knows as `remote_id`.
pub(super) fn by_remote_id(conn: &Connection, remote_id: &str) -> Result<Option<OutboxItem>, SyncError> {
    let sql = format!("SELECT {COLUMNS} FROM sync_outbox WHERE remote_id = ?1");
    Ok(conn.query_row(&sql, [remote_id], from_row).optional()?)
}

/// A UTC time as stored (RFC 3339, milliseconds, `Z`), which sorts as text.
pub(super) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Actor;

    #[test]
    fn the_same_file_is_queued_once_and_bad_names_are_refused() {
        let mut db = Db::open_in_memory().unwrap();
        let actor = Actor::new("t");
        let add = |db: &mut Db, name: &str, bytes: &[u8]| {
            db.write(&actor, |c| enqueue(c, OutboxKind::Claims837p, name, bytes))
        };
        let a = add(&mut db, "batch-1.837", b"ISA*one").unwrap();
        assert_eq!(add(&mut db, "batch-1-again.837", b"ISA*one").unwrap(), a);
        assert_ne!(add(&mut db, "batch-2.837", b"ISA*two").unwrap(), a);
        for bad in ["../x.837", ".hidden", "a b", ""] {
            assert!(matches!(add(&mut db, bad, b"x"), Err(SyncError::Invalid(_))), "{bad}");
        }
        assert!(matches!(add(&mut db, "empty.837", b""), Err(SyncError::Invalid(_))));
        let items = list(db.conn()).unwrap();
        assert_eq!(items.len(), 2);
        assert!(items.iter().all(|i| i.state == OutboxState::Queued && i.idempotency_key.len() == 40));
        assert_eq!(content(db.conn(), a).unwrap(), b"ISA*one");
    }
}
