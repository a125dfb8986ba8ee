//! What applying a verdict writes: the `ack_verdicts` row, the claim's status moves along
//! [`ClaimStatus::can_become`], and the rejection on the work queue.

use super::{AckError, AckSummary};
use crate::claims::{self, ClaimStatus};
use crate::db::{now_utc, Change};
use rusqlite::params;

/// What an acknowledgment says about a batch or claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    Rejected,
    /// Neither (pending, forwarded …): recorded, nothing moves.
    Other,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
            Verdict::Other => "other",
        }
    }
}

/// One verdict read from file `file_id`.
pub struct Found<'a> {
    pub file_id: i64,
    pub kind: &'a str,
    pub batch_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub control_number: &'a str,
    pub verdict: Verdict,
    pub reason: &'a str,
}

/// Keeps the verdict; one matched to nothing counts as unmatched.
pub fn keep(c: &Change<'_>, f: &Found<'_>, summary: &mut AckSummary) -> Result<(), AckError> {
    c.conn().execute(
        "INSERT INTO ack_verdicts (file_id, kind, batch_id, claim_id, control_number, verdict, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![f.file_id, f.kind, f.batch_id, f.claim_id, f.control_number, f.verdict.code(), f.reason, now_utc()],
    )?;
    if f.batch_id.is_none() && f.claim_id.is_none() {
        summary.unmatched += 1;
    }
    Ok(())
}

/// Moves claim `id` as `verdict` says when its status allows: a `batched` claim is first
/// marked `submitted`; a rejected claim goes on the work queue with `reason`. Anything else
/// (already accepted, adjudicated, rejected before, never sent) is left as it is.
pub fn move_claim(
    c: &Change<'_>,
    id: i64,
    verdict: Verdict,
    note: &str,
    reason: &str,
    summary: &mut AckSummary,
) -> Result<(), AckError> {
    let status = claims::get(c.conn(), id)?.status;
    let target = match verdict {
        Verdict::Accepted => ClaimStatus::Accepted,
        Verdict::Rejected => ClaimStatus::Rejected,
        Verdict::Other => {
            summary.unchanged += 1;
            return Ok(());
        }
    };
    let moves = match status {
        ClaimStatus::Batched => vec![ClaimStatus::Submitted, target],
        ClaimStatus::Submitted => vec![target],
        ClaimStatus::Accepted if target == ClaimStatus::Rejected => vec![target],
        _ => Vec::new(),
    };
    if moves.is_empty() {
        summary.unchanged += 1;
        return Ok(());
    }
    for to in moves {
        claims::set_status(c, id, to, Some(note))?;
    }
    if target == ClaimStatus::Rejected {
        c.conn().execute(
            "INSERT INTO work_queue (kind, claim_id, reason, created_at) VALUES ('rejection', ?1, ?2, ?3)",
            params![id, reason, now_utc()],
        )?;
        summary.claims_rejected += 1;
    } else {
        summary.claims_accepted += 1;
    }
    Ok(())
}
