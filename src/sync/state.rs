//! Sync's own small state in `sync_state`: the transports' read positions (`cursor.*`) and
//! the report of the last pass, which the header shows as online/offline.

use super::pass::PassReport;
use super::transport::Cursors;
use super::SyncError;
use crate::db::{Actor, Change, Db};
use rusqlite::{Connection, OptionalExtension};

const CURSOR_PREFIX: &str = "cursor.";
const LAST_PASS: &str = "last_pass";

/// Every saved read position, by the name the transport gave it.
pub fn cursors(conn: &Connection) -> Result<Cursors, SyncError> {
    let mut stmt = conn.prepare("SELECT name, value FROM sync_state WHERE name LIKE 'cursor.%'")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Cursors::new();
    for row in rows {
        let (name, value) = row?;
        out.insert(name[CURSOR_PREFIX.len()..].to_string(), value);
    }
    Ok(out)
}

/// Saves a read position inside the change that stored the file it moves past.
pub(super) fn set_cursor(c: &Change<'_>, name: &str, value: &str) -> Result<(), SyncError> {
    put(c, &format!("{CURSOR_PREFIX}{name}"), value)
}

fn put(c: &Change<'_>, name: &str, value: &str) -> Result<(), SyncError> {
    c.conn().execute(
        "INSERT INTO sync_state (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )?;
    Ok(())
}

/// Records `report` as the last pass.
pub(super) fn save_last_pass(db: &mut Db, actor: &Actor, report: &PassReport) -> Result<(), SyncError> {
    let json = serde_json::to_string(report).map_err(|e| SyncError::Invalid(e.to_string()))?;
    db.write(actor, |c| {
        put(c, LAST_PASS, &json)?;
        c.audit("sync", "sync_state", None, "sync pass finished")?;
        Ok(())
    })
}

/// The report of the last pass, if any ran.
pub fn last_pass(conn: &Connection) -> Result<Option<PassReport>, SyncError> {
    let json: Option<String> =
        conn.query_row("SELECT value FROM sync_state WHERE name = ?1", [LAST_PASS], |r| r.get(0)).optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}
