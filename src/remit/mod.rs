//! Remittance posting: an 835 file in, payments, claim and line adjudications, provider-level
//! adjustments and the biller's queues out.
//!
//! [`import`] posts a whole file in one transaction (all or nothing, idempotent by content hash
//! and by payer + trace number); [`carc`] holds what each adjustment reason code does to a
//! balance (shipped defaults, the supplier's overrides); [`queries`] reads payments, the work
//! queue (denials, rejections, secondary claims billed on a reversed payment), the unmatched
//! queue and each claim's money ([`claim_balances`]); [`cob`] what a payer paid, for the next
//! payer's claim. The X12 reading
//! and the balancing rules live in [`crate::x12::remit835`]; this module only decides what the
//! adjudication means for our claims.

pub mod carc;
pub mod cob;
mod lines;
mod post;
mod queries;
mod queue;
mod secondary;

pub use carc::{CarcAction, CarcCode};
pub(crate) use post::import_in;
pub use post::{import, import_fetched};
pub use queries::{claim_balances, payments, unmatched, work_queue};
pub use queue::{resolve, resolve_claim};

use crate::claims::ClaimError;
use crate::db::DbError;
use crate::money::Money;
use crate::x12::X12Error;
use chrono::NaiveDate;
use serde::Serialize;

/// What importing one 835 did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PostingSummary {
    /// Payments (BPR/TRN) posted.
    pub payments: u32,
    /// Claims found among ours and posted.
    pub claims_matched: u32,
    /// Claims put on the unmatched queue.
    pub claims_unmatched: u32,
    /// Service lines posted on matched claims.
    pub lines_posted: u32,
    /// Claims denied (CLP02 = 4, or nothing paid with an open reason).
    pub claims_denied: u32,
    /// Reversals (CLP02 = 22) that undid an earlier posting.
    pub reversals: u32,
    /// New entries on the work queue.
    pub work_queue: u32,
    /// Draft secondary claims created for patient amounts a secondary coverage may pay.
    pub secondary_drafts: u32,
    /// Secondary claims already sent on a primary payment this file reversed, queued (also
    /// counted in `work_queue`) to be replaced or voided once the corrected claim posts.
    pub secondary_to_correct: u32,
    /// Σ CLP04 of the file.
    pub paid_total: Money,
    /// Σ PLB amounts (positive reduces the payment).
    pub plb_total: Money,
    /// True when nothing was posted because this file, or a payment in it, was posted before.
    pub duplicate: bool,
}

/// One payment on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Payment {
    pub id: i64,
    pub file_name: String,
    pub imported_at: String,
    pub payer_name: String,
    pub payer_id: String,
    /// The check or EFT number.
    pub trace_number: String,
    /// `ACH`, `CHK`, `NON` …
    pub method: String,
    pub paid_on: Option<NaiveDate>,
    /// BPR02: what the payer says it paid.
    pub amount: Money,
    /// Σ claim payments in the remittance.
    pub claims_paid: Money,
    /// Σ provider-level adjustments.
    pub plb_total: Money,
    /// Σ payments posted to our claims (net of reversals in the same payment).
    pub posted: Money,
    /// Σ payments of claims waiting on the unmatched queue.
    pub unmatched: Money,
    pub claim_count: u32,
}

crate::coded_enum! {
    /// Why a claim is on the work queue, so the queue can show and sort what kind of work
    /// each item is.
    WorkKind {
        /// The payer denied the claim or left an adjustment open (an 835).
        Denial = "denial",
        /// The clearinghouse or payer rejected the claim before adjudication (a 999 or 277CA).
        Rejection = "rejection",
        /// A secondary claim went out on a primary payment that was later reversed: it must
        /// be replaced (frequency 7) or voided (frequency 8).
        Correction = "correction",
    }
}

/// A claim a biller must work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct WorkItem {
    pub id: i64,
    pub kind: WorkKind,
    pub claim_id: i64,
    pub control_number: String,
    pub patient_name: String,
    pub payer_name: String,
    /// The reason codes in words.
    pub reason: String,
    pub created_at: String,
}

/// A remittance claim that matched none of ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct UnmatchedClaim {
    pub id: i64,
    pub payment_id: i64,
    pub payer_name: String,
    /// CLP01 as the payer sent it.
    pub control_number: String,
    pub patient_name: String,
    pub member_id: String,
    /// CLP02.
    pub status_code: String,
    pub charge: Money,
    pub paid: Money,
    pub payer_claim_number: String,
    /// Why it could not be posted.
    pub reason: String,
    pub created_at: String,
}

/// A claim's money after posting; `balance` = charge − paid − contractual − patient
/// responsibility − other adjustments. Denied amounts stay in the balance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClaimBalance {
    pub claim_id: i64,
    pub charge: Money,
    /// Net of reversals.
    pub paid: Money,
    /// CO adjustments written off.
    pub contractual: Money,
    /// PR adjustments: deductible, coinsurance, copay and other patient amounts.
    pub patient_responsibility: Money,
    /// OA/PI adjustments recorded against the claim.
    pub other_adjustments: Money,
    /// Adjustments left open for a biller (denials).
    pub open: Money,
    pub balance: Money,
}

/// Why a remittance could not be posted.
#[derive(Debug, thiserror::Error)]
pub enum RemitError {
    /// The file does not read or does not balance: the first problem, positioned, and how many.
    #[error("{file} was not posted: {first}{}", if *count > 1 { format!(" (and {} more problem(s))", count - 1) } else { String::new() })]
    Unreadable { file: String, first: Box<X12Error>, count: usize },
    /// The file holds no 835 payment.
    #[error("{0} holds no 835 remittance")]
    Empty(String),
    /// A reversal does not undo what was posted.
    #[error("the file was not posted: the reversal of claim {claim} at {at} pays {reversal}, but {posted} was posted")]
    ReversalMismatch { claim: String, at: String, reversal: Money, posted: Money },
    /// A CARC code or action given by a person is not one.
    #[error("{0}")]
    Invalid(#[from] crate::validation::Problems),
    #[error(transparent)]
    Claim(#[from] ClaimError),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(RemitError);
