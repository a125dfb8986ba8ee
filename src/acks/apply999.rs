//! A 999 applied: each acknowledged transaction set (AK2, or the whole group when the 999
//! has none) decides one of our batches, found by its GS06 (AK102) and ST02 (AK202); the
//! batch, its outbox file and its claims follow the verdict.

use super::record::{self, Found, Verdict};
use super::words;
use super::{AckError, AckSummary};
use crate::db::Change;
use crate::x12::ack999::{Ack999, AckStatus};
use rusqlite::{params, OptionalExtension};

/// A control number as the counters hand them out; `None` when it is not one of ours.
fn number(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

fn verdict(status: Option<AckStatus>) -> Verdict {
    match status {
        Some(s) if s.is_accepted() => Verdict::Accepted,
        Some(_) => Verdict::Rejected,
        None => Verdict::Other,
    }
}

/// One decision: the batch found by `group`/`set` (any set of the group when `set` is
/// `None`), the verdict and the errors in words.
struct Decision<'a> {
    group: &'a str,
    set: Option<&'a str>,
    verdict: Verdict,
    errors: String,
}

/// Applies every decision of one 999 transaction set.
pub fn apply(
    c: &Change<'_>,
    file_id: i64,
    file_name: &str,
    ack: &Ack999,
    summary: &mut AckSummary,
) -> Result<(), AckError> {
    let group = ack.group_control_number.as_str();
    let decisions: Vec<Decision<'_>> = if ack.sets.is_empty() {
        vec![Decision { group, set: None, verdict: verdict(ack.status), errors: String::new() }]
    } else {
        ack.sets
            .iter()
            .map(|s| Decision {
                group,
                set: Some(s.control_number.as_str()),
                verdict: verdict(s.status.or(ack.status)),
                errors: words::set_errors(s),
            })
            .collect()
    };
    for d in decisions {
        decide(c, file_id, file_name, &d, summary)?;
    }
    Ok(())
}

fn decide(
    c: &Change<'_>,
    file_id: i64,
    file_name: &str,
    d: &Decision<'_>,
    summary: &mut AckSummary,
) -> Result<(), AckError> {
    let conn = c.conn();
    let control = format!("{}/{}", d.group, d.set.unwrap_or(""));
    let batches: Vec<(i64, String, String)> = match (number(d.group), d.set.map(number)) {
        (Some(g), Some(Some(s))) => {
            let mut stmt = conn.prepare_cached(
                "SELECT id, file_name, sha256 FROM claim_batches WHERE group_control = ?1 AND set_control = ?2",
            )?;
            let rows = stmt.query_map(params![g, s], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        }
        (Some(g), None) => {
            let mut stmt =
                conn.prepare_cached("SELECT id, file_name, sha256 FROM claim_batches WHERE group_control = ?1")?;
            let rows = stmt.query_map([g], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        }
        _ => Vec::new(),
    };
    let said = match (d.verdict, d.errors.is_empty()) {
        (Verdict::Accepted, true) => "accepted".to_string(),
        (Verdict::Accepted, false) => format!("accepted with errors: {}", d.errors),
        (_, true) => "rejected, no error given".to_string(),
        (_, false) => format!("rejected: {}", d.errors),
    };
    if batches.is_empty() {
        let reason = format!(
            "999 {file_name} for group {}, set {}: {said}; no batch of ours has these control numbers",
            d.group,
            d.set.unwrap_or("(all)")
        );
        let found = Found {
            file_id,
            kind: "999",
            batch_id: None,
            claim_id: None,
            control_number: &control,
            verdict: d.verdict,
            reason: &reason,
        };
        return record::keep(c, &found, summary);
    }
    for (batch_id, batch_file, sha256) in batches {
        let reason = format!("999 {file_name}: batch {batch_file} {said}");
        let found = Found {
            file_id,
            kind: "999",
            batch_id: Some(batch_id),
            claim_id: None,
            control_number: &control,
            verdict: d.verdict,
            reason: &reason,
        };
        record::keep(c, &found, summary)?;
        let status = match d.verdict {
            Verdict::Accepted => {
                summary.batches_accepted += 1;
                "accepted"
            }
            Verdict::Rejected => {
                summary.batches_rejected += 1;
                "rejected"
            }
            Verdict::Other => continue,
        };
        conn.execute("UPDATE claim_batches SET status = ?2 WHERE id = ?1", params![batch_id, status])?;
        c.audit("acknowledge", "claim_batch", Some(batch_id), &format!("999: batch {status}"))?;
        let outbox: Option<i64> = conn
            .query_row("SELECT id FROM sync_outbox WHERE sha256 = ?1 AND state = 'sent'", [&sha256], |r| r.get(0))
            .optional()?;
        if let Some(id) = outbox {
            let error = (d.verdict == Verdict::Rejected).then_some(reason.as_str());
            crate::sync::outbox::mark_verdict(c, id, d.verdict == Verdict::Accepted, error)
                .map_err(|e| AckError::Outbox(Box::new(e)))?;
        }
        let claims: Vec<i64> = {
            let mut stmt = conn.prepare_cached("SELECT id FROM claims WHERE batch_id = ?1 ORDER BY id")?;
            let rows = stmt.query_map([batch_id], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let note = format!("999 {file_name}: batch {status}");
        for claim in claims {
            record::move_claim(c, claim, d.verdict, &note, &reason, summary)?;
        }
    }
    Ok(())
}
