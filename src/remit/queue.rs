//! Working the queue of denials, rejections and secondary claims to correct: a biller marks
//! an item worked once the claim is corrected, replaced, voided, appealed or written off, so
//! the queue shows only what still needs a person. A replacement or void going out in a batch
//! marks the items of the claim it corrects worked by itself ([`resolve_claim`]).

use super::RemitError;
use crate::db::{now_utc, Change};
use crate::validation::Problems;

/// Marks work item `id` worked, with what was done; an item already worked is refused.
pub fn resolve(c: &Change<'_>, id: i64, note: &str) -> Result<(), RemitError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(
            Problems::one("note", "say what was done (corrected and resubmitted, appealed, written off…)").into()
        );
    }
    let changed = c.conn().execute(
        "UPDATE work_queue SET resolved_at = ?2 WHERE id = ?1 AND resolved_at IS NULL",
        rusqlite::params![id, now_utc()],
    )?;
    if changed == 0 {
        return Err(Problems::one("id", format!("work item {id} is not open on the queue")).into());
    }
    c.audit("resolve", "work_queue", Some(id), &format!("worked: {note}"))?;
    Ok(())
}

/// Marks every open item on claim `claim_id` worked with `note`, one audit row each: the
/// claim was closed by work done on another claim (its replacement or void went out).
/// Returns how many it marked.
pub fn resolve_claim(c: &Change<'_>, claim_id: i64, note: &str) -> Result<usize, RemitError> {
    let ids: Vec<i64> = {
        let mut stmt = c
            .conn()
            .prepare_cached("SELECT id FROM work_queue WHERE claim_id = ?1 AND resolved_at IS NULL ORDER BY id")?;
        let rows = stmt.query_map([claim_id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for &id in &ids {
        resolve(c, id, note)?;
    }
    Ok(ids.len())
}
