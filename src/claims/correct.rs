//! Corrections of a claim the payer already has: a replacement (CLM05-3 = 7) or a void (8)
//! drafted from it and naming the payer's claim number (REF*F8). The correction is a draft
//! like any other, scrubbed and batched; the batch that sends it closes the claim it corrects
//! and works that claim's open queue items ([`close_corrected`]). Until then the original
//! stays as it is, so a correction closed unsent changes nothing.

use super::store::{self, move_status};
use super::{Claim, ClaimError, ClaimFrequency, ClaimSource, ClaimStatus, NewClaim, NewLine};
use crate::db::Change;
use crate::validation::Problems;
use crate::x12::Separators;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The longest payer claim number REF*F8 holds.
const MAX_PAYER_CLAIM_NUMBER: usize = 50;

/// What a correction asks of the payer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CorrectionKind {
    /// Take this claim in place of the one on file (frequency 7).
    Replacement,
    /// Cancel the claim on file (frequency 8).
    Void,
}

impl CorrectionKind {
    fn frequency(self) -> ClaimFrequency {
        match self {
            CorrectionKind::Replacement => ClaimFrequency::Replacement,
            CorrectionKind::Void => ClaimFrequency::Void,
        }
    }
}

/// What happened to the original claim once `frequency`'s correction went out.
fn done(frequency: ClaimFrequency) -> &'static str {
    match frequency {
        ClaimFrequency::Void => "voided",
        ClaimFrequency::Original | ClaimFrequency::Replacement => "replaced",
    }
}

/// Why a claim in `status` cannot be corrected, in a biller's words; `None` when the payer
/// has it and it can.
fn refusal(status: ClaimStatus) -> Option<&'static str> {
    match status {
        ClaimStatus::Draft | ClaimStatus::Ready => {
            Some("it has not been sent, so edit it and send it as it should be instead")
        }
        ClaimStatus::Batched => Some("it is in a batch file not sent yet; correct it once the payer has it"),
        ClaimStatus::Rejected => {
            Some("it was rejected before the payer took it; fix it and send it again as an original claim")
        }
        ClaimStatus::Closed => Some("it is closed"),
        ClaimStatus::Submitted
        | ClaimStatus::Accepted
        | ClaimStatus::Paid
        | ClaimStatus::PartlyPaid
        | ClaimStatus::Denied => None,
    }
}

/// Refuses a correction of `claim` when the payer does not have it or another correction of
/// it is under way (not closed).
fn check_correctable(conn: &Connection, claim: &Claim) -> Result<(), ClaimError> {
    if let Some(why) = refusal(claim.status) {
        return Err(ClaimError::Uncorrectable { claim: claim.control_number.clone(), why });
    }
    let open: Option<String> = conn
        .prepare_cached(
            "SELECT control_number FROM claims WHERE corrects_claim_id = ?1 AND status <> 'closed' ORDER BY id LIMIT 1",
        )?
        .query_row([claim.id], |r| r.get(0))
        .optional()?;
    match open {
        Some(correction) => Err(ClaimError::CorrectionOpen { claim: claim.control_number.clone(), correction }),
        None => Ok(()),
    }
}

/// True when a replacement or void of `claim` may be drafted now, for the screens to offer it.
pub fn is_correctable(conn: &Connection, claim: &Claim) -> Result<bool, ClaimError> {
    match check_correctable(conn, claim) {
        Ok(()) => Ok(true),
        Err(ClaimError::Uncorrectable { .. } | ClaimError::CorrectionOpen { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The payer's claim number (CLP07) from the latest posting on claim `claim_id` that is not a
/// reversal: the number a replacement or void names unless the biller types another.
pub fn payer_claim_number_on_file(conn: &Connection, claim_id: i64) -> Result<Option<String>, ClaimError> {
    Ok(conn
        .prepare_cached(
            "SELECT payer_claim_number FROM claim_adjudications
             WHERE claim_id = ?1 AND reverses_id IS NULL AND COALESCE(payer_claim_number, '') <> ''
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([claim_id], |r| r.get(0))
        .optional()?)
}

/// The payer claim number a correction of `original` names: `typed` when given, else the one
/// on file; refused when there is neither or it cannot go in REF*F8.
fn number_to_name(conn: &Connection, original: &Claim, typed: Option<&str>) -> Result<String, ClaimError> {
    const FIELD: &str = "payer_claim_number";
    let number = match typed.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => payer_claim_number_on_file(conn, original.id)?.ok_or_else(|| {
            Problems::one(
                FIELD,
                format!(
                    "no remittance on file gives the payer's claim number for claim {}: type it from the payer's \
                     remittance or portal",
                    original.control_number
                ),
            )
        })?,
    };
    if number.len() > MAX_PAYER_CLAIM_NUMBER {
        return Err(Problems::one(FIELD, format!("at most {MAX_PAYER_CLAIM_NUMBER} characters")).into());
    }
    let separators = Separators::default();
    let sendable = |ch: char| {
        (ch.is_ascii_graphic() || ch == ' ')
            && ![separators.element, separators.component, separators.segment].contains(&(ch as u8))
            && Some(ch as u8) != separators.repetition
    };
    if !number.chars().all(sendable) {
        return Err(Problems::one(FIELD, "letters, digits, spaces and punctuation other than * : ^ ~ only").into());
    }
    Ok(number)
}

/// The claim that stands with the payer for claim `id`: the last replacement sent after it (a
/// replacement of a replacement is followed), or `id` itself. Corrections only ever name an
/// older claim, so the walk ends.
fn standing_for(conn: &Connection, id: i64) -> Result<i64, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM claims WHERE corrects_claim_id = ?1 AND frequency = 'replacement' AND batch_id IS NOT NULL
         ORDER BY id DESC LIMIT 1",
    )?;
    let mut current = id;
    while let Some(next) = stmt.query_row([current], |r| r.get(0)).optional()? {
        current = next;
    }
    Ok(current)
}

/// Drafts a replacement or void of claim `claim_id`, which the payer must already have
/// (submitted, accepted or adjudicated), naming `payer_claim_number` or else the payer's
/// claim number from the claim's latest posting. The draft copies the claim whole (patient,
/// coverage, practitioner, order, diagnoses, prior authorization, lines) and follows the
/// claim it followed (`related_claim_id`, or that claim's replacement sent since), so a
/// secondary claim's replacement reports the primary's current posting in its COB loops. A
/// claim with an open correction already is refused: finish or close that one first.
pub fn draft_correction(
    c: &Change<'_>,
    claim_id: i64,
    kind: CorrectionKind,
    payer_claim_number: Option<&str>,
) -> Result<Claim, ClaimError> {
    let conn = c.conn();
    let original = store::get(conn, claim_id)?;
    check_correctable(conn, &original)?;
    let number = number_to_name(conn, &original, payer_claim_number)?;
    let draft = NewClaim {
        patient_id: original.patient_id,
        coverage_id: original.coverage_id,
        practitioner_id: original.practitioner_id,
        order_id: original.order_id,
        source: ClaimSource::Correction,
        frequency: kind.frequency(),
        payer_claim_number: Some(number.clone()),
        related_claim_id: original.related_claim_id.map(|id| standing_for(conn, id)).transpose()?,
        corrects_claim_id: Some(original.id),
        prior_authorization: original.prior_authorization.clone(),
        diagnoses: original.diagnoses.clone(),
        lines: original.lines.iter().map(|l| NewLine { allowed: l.allowed, ..NewLine::copy_of(l) }).collect(),
    };
    let created = store::insert(c, &draft)?;
    c.audit(
        "correct",
        "claim",
        Some(created.id),
        &format!("{} of claim {} (payer claim number {number})", draft.frequency, original.control_number),
    )?;
    store::get(conn, created.id)
}

/// After the corrections among `batched` went into a batch (`note` names it): closes each
/// claim they correct with a note naming its correction, and marks that claim's open work
/// queue items worked with the same note.
pub(super) fn close_corrected(c: &Change<'_>, batched: &[Claim], note: &str) -> Result<(), ClaimError> {
    for claim in batched {
        let Some(original) = claim.corrects_claim_id else { continue };
        let why = format!("{} by {}, {note}", done(claim.frequency), claim.control_number);
        move_status(c, original, ClaimStatus::Closed, Some(&why))?;
        crate::remit::resolve_claim(c, original, &why).map_err(|e| ClaimError::WorkQueue(Box::new(e)))?;
    }
    Ok(())
}
