//! Reading the audit log: who changed what, and when. Writing happens only through
//! [`crate::db::Change::audit`], inside the change it describes.

use crate::db::DbError;
use rusqlite::Connection;
use serde::Serialize;

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC timestamp, RFC 3339.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
}

/// The most recent `limit` entries, optionally only those about one entity kind (and id).
pub fn recent(
    conn: &Connection,
    entity: Option<&str>,
    entity_id: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEntry>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, action, entity, entity_id, summary FROM audit_log
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
         ORDER BY id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map((entity, entity_id, limit), |r| {
        Ok(AuditEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            summary: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
