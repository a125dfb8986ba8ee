//! Secondary claims after primary posting: a primary claim the payer left a patient amount
//! on (PR adjustments), for a patient with a secondary coverage in force on the first date
//! of service, gets one draft claim to that coverage: the same lines, `related_claim_id` =
//! the primary claim, its COB data read from the primary's posting when it is written
//! ([`super::cob`]). A reversal of the primary closes that draft while it is still editable
//! (draft or ready), so the corrected posting drafts a fresh one; a secondary claim already
//! batched or sent was billed on a payment that no longer stands, so it goes on the work
//! queue to be replaced or voided once the primary's corrected claim posts. A replacement of
//! a secondary claim ([`claims::draft_correction`]) stands in for it here; a void does not.

use super::{RemitError, WorkKind};
use crate::claims::{self, ClaimError, ClaimSource, ClaimStatus, NewClaim, NewLine};
use crate::coverages::{self, Priority};
use crate::db::{now_utc, Change};
use crate::money::Money;
use chrono::NaiveDate;
use rusqlite::params;

/// Drafts the secondary claim of `claim_id` after a posting that left `patient_amount` (Σ PR
/// adjustments) to the patient, when one is due and none stands (for it, or for the claim it
/// replaces: that one is corrected from the work queue instead); true when it drafted one.
/// Most claims need no draft, so the cheap questions come first and the claim is read whole
/// only to copy it.
pub(super) fn draft_after(c: &Change<'_>, claim_id: i64, patient_amount: Money) -> Result<bool, RemitError> {
    if patient_amount <= Money::default() {
        return Ok(false);
    }
    let conn = c.conn();
    let (patient_id, service_from, priority): (i64, NaiveDate, Priority) = conn
        .prepare_cached(
            "SELECT c.patient_id, c.service_from, v.priority FROM claims c JOIN coverages v ON v.id = c.coverage_id
             WHERE c.id = ?1",
        )?
        .query_row([claim_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if priority != Priority::Primary {
        return Ok(false);
    }
    let secondary = coverages::active_on(conn, patient_id, service_from)
        .map_err(ClaimError::from)?
        .into_iter()
        .find(|v| v.priority == Priority::Secondary);
    let Some(secondary) = secondary else { return Ok(false) };
    let standing: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM claims
             WHERE related_claim_id IN (?1, (SELECT corrects_claim_id FROM claims WHERE id = ?1))
               AND source IN ('secondary', 'correction') AND frequency <> 'void' AND status <> 'closed'",
        )?
        .query_row([claim_id], |r| r.get(0))?;
    if standing > 0 {
        return Ok(false);
    }
    let claim = claims::get(conn, claim_id)?;
    let draft = NewClaim {
        patient_id: claim.patient_id,
        coverage_id: secondary.id,
        practitioner_id: claim.practitioner_id,
        order_id: claim.order_id,
        source: ClaimSource::Secondary,
        frequency: claims::ClaimFrequency::Original,
        payer_claim_number: None,
        related_claim_id: Some(claim.id),
        corrects_claim_id: None,
        prior_authorization: None,
        diagnoses: claim.diagnoses.clone(),
        lines: claim.lines.iter().map(NewLine::copy_of).collect(),
    };
    let created = claims::insert(c, &draft)?;
    c.audit(
        "create",
        "claim",
        Some(created.id),
        &format!("secondary claim to {} after claim {} was posted", secondary.payer_name, claim.control_number),
    )?;
    Ok(true)
}

/// A reversal (CLP02 = 22) just posted on a primary claim.
pub(super) struct Reversal<'a> {
    /// The primary claim.
    pub claim_id: i64,
    /// The primary claim's control number (CLP01).
    pub control_number: &'a str,
    /// The payment (BPR/TRN) that carried the reversal.
    pub payment_id: i64,
    /// The reversal's own adjudication row.
    pub adjudication_id: i64,
}

/// After `reversal`: closes the primary's secondary draft while it is still editable, and
/// queues a secondary claim already batched or sent for correction; returns how many it
/// queued. A rejected secondary claim is left as it is: it is on the queue already and was
/// never adjudicated.
pub(super) fn after_reversal(c: &Change<'_>, reversal: &Reversal<'_>) -> Result<u32, RemitError> {
    let secondaries: Vec<(i64, ClaimStatus)> = {
        let mut stmt = c.conn().prepare_cached(
            "SELECT id, status FROM claims
             WHERE related_claim_id = ?1 AND source IN ('secondary', 'correction') AND frequency <> 'void'
               AND status <> 'closed'
             ORDER BY id",
        )?;
        let rows = stmt.query_map([reversal.claim_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut queued = 0;
    for (id, status) in secondaries {
        match status {
            ClaimStatus::Draft | ClaimStatus::Ready => {
                claims::set_status(c, id, ClaimStatus::Closed, Some("the primary payment it followed was reversed"))?;
            }
            ClaimStatus::Batched
            | ClaimStatus::Submitted
            | ClaimStatus::Accepted
            | ClaimStatus::Paid
            | ClaimStatus::PartlyPaid
            | ClaimStatus::Denied => {
                queue_correction(c, id, reversal)?;
                queued += 1;
            }
            ClaimStatus::Rejected | ClaimStatus::Closed => {}
        }
    }
    Ok(queued)
}

/// Puts secondary claim `id` on the work queue with what happened to the primary payment it
/// was billed on and what to send instead.
fn queue_correction(c: &Change<'_>, id: i64, reversal: &Reversal<'_>) -> Result<(), RemitError> {
    let conn = c.conn();
    let (payer, trace, on): (String, String, String) = conn
        .prepare_cached(
            "SELECT p.payer_name, p.trace_number, COALESCE(p.paid_on, substr(f.imported_at, 1, 10))
             FROM payments p JOIN remit_files f ON f.id = p.file_id WHERE p.id = ?1",
        )?
        .query_row([reversal.payment_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let reason = format!(
        "primary claim {}'s payment from {payer} was reversed on {on} (trace {trace}), and this secondary claim was \
         billed on it: once the primary's corrected claim posts, send a replacement claim (frequency 7) with the new \
         payment, or void this claim (frequency 8)",
        reversal.control_number
    );
    conn.prepare_cached(
        "INSERT INTO work_queue (kind, claim_id, adjudication_id, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![WorkKind::Correction, id, reversal.adjudication_id, reason, now_utc()])?;
    Ok(())
}
