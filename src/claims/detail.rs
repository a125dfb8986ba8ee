//! One claim as a biller reviews it before sending or fixing it: the claim with its lines,
//! its history, what the scrubber finds on it today, and the payer's claim number a correction
//! of it names.

use super::scrub::{self, Finding};
use super::{is_correctable, payer_claim_number_on_file, store, Claim, ClaimError, ClaimEvent};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// A claim with its history and its problems as of the day it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClaimDetail {
    pub claim: Claim,
    pub events: Vec<ClaimEvent>,
    /// What the scrubber finds today (nothing is saved; `claims scrub` moves statuses).
    pub problems: Vec<Finding>,
    /// The payer's claim number from the claim's latest posting (CLP07): what a replacement
    /// or void of it names unless the biller types another.
    pub payer_claim_number_on_file: Option<String>,
    /// True when the payer has the claim and no correction of it is under way: a replacement
    /// or void of it may be drafted.
    pub correctable: bool,
}

/// Claim `id` with its history, today's scrub findings and whether it may be corrected.
pub fn detail(conn: &Connection, id: i64, today: NaiveDate) -> Result<ClaimDetail, ClaimError> {
    let claim = store::get(conn, id)?;
    Ok(ClaimDetail {
        events: store::events(conn, id)?,
        problems: scrub::scrub(conn, claim.clone(), today)?,
        payer_claim_number_on_file: payer_claim_number_on_file(conn, id)?,
        correctable: is_correctable(conn, &claim)?,
        claim,
    })
}
