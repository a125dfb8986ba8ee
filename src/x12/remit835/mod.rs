//! The 835 (005010X221A1) remittance advice, read one claim at a time.
//!
//! An 835 says what a payer paid and why: a payment header (BPR amount and method, TRN
//! check or EFT trace number, N1 payer and payee), then per claim a CLP with its adjustments
//! (CAS), the patient (NM1*QC), remarks (MOA/MIA) and its service lines (SVC with their own
//! CAS, dates, REF*6R line control number, AMT*B6 allowed amount, LQ*HE remarks), and at the
//! end the provider-level adjustments (PLB) that are not tied to a claim.
//!
//! [`RemitReader`] streams the file and hands out a [`Payment`] when a transaction's header
//! is complete, each [`Claim`] as soon as its last line is read, and a [`Settlement`] at SE.
//! Posting can therefore work through a file of any size holding one claim in memory.
//!
//! The balancing rules of the TR3 (section 1.10.2) are checked as the file is read and any
//! failure is recorded, with its position, as a problem of the claim or settlement:
//!
//! * service line: charge (SVC02) − paid (SVC03) = Σ line adjustments (CAS);
//! * claim: paid (CLP04) = Σ line paid (SVC03) − Σ claim-level adjustments when the claim
//!   has lines (a payer may take a claim-level CAS off lines that were paid in full), and
//!   charge (CLP03) − paid (CLP04) = Σ claim and line adjustments;
//! * transaction: BPR02 = Σ claim paid (CLP04) − Σ provider adjustments (PLB).

mod balance;
pub(crate) mod parse;
mod reader;

pub use reader::{RemitEvent, RemitReader};

use super::code::Code;
use super::error::{Position, X12Error};
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The payer or the payee of a remittance (N1 loop).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Party {
    /// N102.
    pub name: String,
    /// N103: what kind of identifier `id` is (`XX` NPI, `FI` tax id, `XV` payer id …).
    pub id_qualifier: String,
    /// N104.
    pub id: String,
}

/// The header of one 835 transaction set: the payment as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Payment {
    /// Where the ST segment is.
    pub at: Position,
    /// ST02.
    pub control_number: String,
    /// BPR01: `I` remittance with payment, `H` notification only, `C`/`D`/`P`/`U`/`X` …
    pub handling: String,
    /// BPR02: the total actually paid.
    pub total: Money,
    /// Where BPR02 is.
    pub total_at: Position,
    /// BPR03: `C` credit or `D` debit.
    pub credit_debit: String,
    /// BPR04: `ACH`, `CHK`, `NON`, `BOP`, `FWT`.
    pub method: String,
    /// BPR16: when the money moves.
    pub date: Option<NaiveDate>,
    /// TRN02: the check or EFT trace number the deposit is matched by.
    pub trace_number: String,
    /// TRN03: who issued the trace number (the payer's id, usually `1` + tax id).
    pub trace_originator: String,
    /// DTM*405: when the payer produced the remittance.
    pub production_date: Option<NaiveDate>,
    /// N1*PR.
    pub payer: Party,
    /// N1*PE.
    pub payee: Party,
    /// Problems with the header segments.
    pub problems: Vec<X12Error>,
}

/// CLP02: what the payer did with the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// 1: processed as primary.
    Primary,
    /// 2: processed as secondary.
    Secondary,
    /// 3: processed as tertiary.
    Tertiary,
    /// 4: denied.
    Denied,
    /// 19: processed as primary, forwarded to another payer.
    PrimaryForwarded,
    /// 20: processed as secondary, forwarded.
    SecondaryForwarded,
    /// 21: processed as tertiary, forwarded.
    TertiaryForwarded,
    /// 22: reversal of a previous payment; amounts are negative and undo the original.
    Reversal,
    /// 23: not our claim, forwarded to another payer.
    NotOurClaim,
    /// 25: predetermination pricing only, no payment.
    PredeterminationOnly,
}

impl ClaimStatus {
    /// The status a CLP02 code stands for.
    pub fn from_code(code: &str) -> Option<ClaimStatus> {
        ClaimStatus::from_bytes(code.as_bytes())
    }

    /// [`ClaimStatus::from_code`] from the element's bytes.
    pub fn from_bytes(code: &[u8]) -> Option<ClaimStatus> {
        use ClaimStatus::*;
        Some(match code {
            b"1" => Primary,
            b"2" => Secondary,
            b"3" => Tertiary,
            b"4" => Denied,
            b"19" => PrimaryForwarded,
            b"20" => SecondaryForwarded,
            b"21" => TertiaryForwarded,
            b"22" => Reversal,
            b"23" => NotOurClaim,
            b"25" => PredeterminationOnly,
            _ => return None,
        })
    }
}

/// CAS01: who the adjustment is charged to. 5010 allows only these four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AdjustmentGroup {
    /// CO: contractual obligation; the supplier writes it off.
    #[serde(rename = "CO")]
    Contractual,
    /// PR: patient responsibility (deductible, coinsurance, copay); bill the patient.
    #[serde(rename = "PR")]
    PatientResponsibility,
    /// OA: other adjustment.
    #[serde(rename = "OA")]
    Other,
    /// PI: payer-initiated reduction.
    #[serde(rename = "PI")]
    PayerInitiated,
}

impl AdjustmentGroup {
    /// The group a CAS01 code stands for.
    pub fn from_code(code: &str) -> Option<AdjustmentGroup> {
        AdjustmentGroup::from_bytes(code.as_bytes())
    }

    /// [`AdjustmentGroup::from_code`] from the element's bytes.
    pub fn from_bytes(code: &[u8]) -> Option<AdjustmentGroup> {
        match code {
            b"CO" => Some(AdjustmentGroup::Contractual),
            b"PR" => Some(AdjustmentGroup::PatientResponsibility),
            b"OA" => Some(AdjustmentGroup::Other),
            b"PI" => Some(AdjustmentGroup::PayerInitiated),
            _ => None,
        }
    }
}

/// One reason/amount/quantity triplet of a CAS segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Adjustment {
    /// CAS01.
    pub group: AdjustmentGroup,
    /// The claim adjustment reason code (CARC), like `45` or `253`.
    pub reason: Code,
    /// Positive reduces the payment; negative (in reversals) increases it.
    pub amount: Money,
    /// Units adjusted, when given.
    pub quantity: Option<Decimal>,
}

/// A procedure as SVC01/SVC06 carry it: `HC:E0601:RR:KX`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Procedure {
    /// Code list: `HC` HCPCS/CPT, `N4` NDC, `NU` revenue code, `ER`, `AD`, `IV`, `WK` …
    pub qualifier: Code,
    /// The procedure code itself.
    pub code: String,
    /// Up to four modifiers, in the order written.
    pub modifiers: Vec<Code>,
}

/// One service line (loop 2110).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceLine {
    /// Where the SVC segment is.
    pub at: Position,
    /// SVC01: the procedure as adjudicated.
    pub procedure: Procedure,
    /// SVC02: the line's charge.
    pub charge: Money,
    /// SVC03: what the payer paid for the line.
    pub paid: Money,
    /// Where SVC03 is: balancing problems of the line point here.
    pub paid_at: Position,
    /// SVC04: revenue code, when given.
    pub revenue_code: Option<Code>,
    /// SVC05: units paid.
    pub units_paid: Option<Decimal>,
    /// SVC06: the procedure as billed, when the payer changed it (dropped or reordered
    /// modifiers, a different code). Match lines by `control_number` first.
    pub billed_procedure: Option<Procedure>,
    /// SVC07: units billed, when they differ from units paid.
    pub units_billed: Option<Decimal>,
    /// DTM*472: the date of service.
    pub service_date: Option<NaiveDate>,
    /// DTM*150: first day of a service period (rentals).
    pub period_start: Option<NaiveDate>,
    /// DTM*151: last day of a service period.
    pub period_end: Option<NaiveDate>,
    /// Line-level CAS.
    pub adjustments: Vec<Adjustment>,
    /// REF*6R: our line item control number, echoed; empty when the payer left it out.
    pub control_number: String,
    /// AMT*B6: the allowed amount.
    pub allowed: Option<Money>,
    /// LQ*HE: remittance advice remark codes (RARC), like `M3` or `N425`.
    pub remarks: Vec<Code>,
}

/// The patient of a claim (NM1*QC).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Patient {
    /// NM103.
    pub last_name: String,
    /// NM104.
    pub first_name: String,
    /// NM109: the member id the payer knows the patient by.
    pub member_id: String,
}

/// One claim payment (loop 2100) with its service lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// Where the CLP segment is.
    pub at: Position,
    /// CLP01: our patient control number, as sent in CLM01.
    pub patient_control_number: String,
    /// CLP02; `None` only when `problems` says why.
    pub status: Option<ClaimStatus>,
    /// CLP03: total charge.
    pub charge: Money,
    /// CLP04: total paid (negative in reversals).
    pub paid: Money,
    /// Where CLP04 is: balancing problems of the claim point here.
    pub paid_at: Position,
    /// CLP05: the patient's responsibility.
    pub patient_responsibility: Option<Money>,
    /// CLP06: claim filing indicator (`MB` Medicare Part B, `MC` Medicaid, `CI` commercial …).
    pub filing_indicator: Code,
    /// CLP07: the payer's claim number (ICN/DCN), needed for reopenings and corrections.
    pub payer_claim_number: String,
    /// NM1*QC.
    pub patient: Patient,
    /// Claim-level CAS.
    pub adjustments: Vec<Adjustment>,
    /// MOA/MIA remark codes.
    pub remarks: Vec<Code>,
    /// Loop 2110.
    pub lines: Vec<ServiceLine>,
    /// Everything wrong with this claim: unreadable elements and failed balancing rules.
    pub problems: Vec<X12Error>,
}

/// A provider-level adjustment (one PLB reason/amount pair).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderAdjustment {
    /// Where the PLB segment is.
    pub at: Position,
    /// PLB01: the provider (NPI) it applies to.
    pub provider: String,
    /// PLB02: last day of the provider's fiscal period.
    pub fiscal_period_end: Option<NaiveDate>,
    /// The reason: `WO` overpayment recovery, `L6` interest, `FB` forward balance, `CV`
    /// capital passthrough, `72` authorized return …
    pub reason: Code,
    /// The reference that goes with the reason (often the original claim number).
    pub reference: String,
    /// Positive reduces the payment; negative increases it.
    pub amount: Money,
}

/// The end of one 835 transaction set: provider adjustments and the payment balance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Settlement {
    /// Where the SE segment is.
    pub at: Position,
    /// Every PLB pair.
    pub provider_adjustments: Vec<ProviderAdjustment>,
    /// Claims in the transaction set.
    pub claim_count: u64,
    /// Σ CLP04.
    pub claims_paid: Money,
    /// Problems outside any claim: PLB segments, the BPR02 balance, misplaced segments.
    pub problems: Vec<X12Error>,
}
