//! Secondary claims after primary posting: a primary claim the payer left a patient amount
//! on (PR adjustments), for a patient with a secondary coverage in force on the first date
//! of service, gets one draft claim to that coverage: the same lines, `related_claim_id` =
//! the primary claim, its COB data read from the primary's posting when it is written
//! ([`super::cob`]). A reversal of the primary closes that draft while it is still editable
//! (draft or ready), so the corrected posting drafts a fresh one; a secondary claim already
//! batched or sent is left for the biller.

use super::RemitError;
use crate::claims::{self, ClaimError, ClaimSource, ClaimStatus, NewClaim, NewLine};
use crate::coverages::{self, Priority};
use crate::db::Change;
use crate::money::Money;
use chrono::NaiveDate;

/// Drafts the secondary claim of `claim_id` after a posting that left `patient_amount` (Σ PR
/// adjustments) to the patient, when one is due and none stands; true when it drafted one.
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
            "SELECT COUNT(*) FROM claims WHERE related_claim_id = ?1 AND source = 'secondary' AND status <> 'closed'",
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

/// After a reversal of `claim_id`'s posting: closes its secondary draft while editable.
pub(super) fn close_after_reversal(c: &Change<'_>, claim_id: i64) -> Result<(), RemitError> {
    let drafts: Vec<i64> = {
        let mut stmt = c.conn().prepare_cached(
            "SELECT id FROM claims WHERE related_claim_id = ?1 AND source = 'secondary' AND status IN ('draft', 'ready')",
        )?;
        let rows = stmt.query_map([claim_id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in drafts {
        claims::set_status(c, id, ClaimStatus::Closed, Some("the primary payment it followed was reversed"))?;
    }
    Ok(())
}
