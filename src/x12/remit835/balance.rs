//! The 835 balancing rules (TR3 005010X221A1 section 1.10.2), checked as each claim and
//! each transaction set is finished. A failure becomes a positioned problem on the claim or
//! the settlement; it never stops reading, because a payer's arithmetic slip on one claim
//! must not keep the rest of the remittance from being posted.

use super::{Claim, Payment, Settlement};
use crate::money::Money;
use crate::x12::error::{ErrorKind, Position, X12Error};

fn unbalanced(at: Position, rule: &str, expected: Money, found: Money) -> X12Error {
    X12Error::new(at, ErrorKind::Unbalanced { rule: rule.to_string(), expected, found })
}

/// Checks a finished claim: each line, the lines against the claim, and the claim's charge
/// against its payment and adjustments.
pub fn check_claim(claim: &mut Claim) {
    // Each line's adjustments are summed once, for its own rule and the claim's.
    let mut line_adjustments = Money::ZERO;
    for line in &claim.lines {
        let expected = line.charge - line.paid;
        let found = line.total_adjustments();
        line_adjustments += found;
        if expected != found {
            claim.problems.push(unbalanced(
                line.paid_at,
                "service line charge (SVC02) − paid (SVC03) must equal the line's adjustments (CAS)",
                expected,
                found,
            ));
        }
    }
    let claim_level: Money = claim.adjustments.iter().map(|a| a.amount).sum();
    if !claim.lines.is_empty() {
        let expected = claim.lines.iter().map(|l| l.paid).sum::<Money>() - claim_level;
        if expected != claim.paid {
            claim.problems.push(unbalanced(
                claim.paid_at,
                "claim paid (CLP04) must equal the sum of its lines' paid amounts (SVC03) less claim-level adjustments (CAS)",
                expected,
                claim.paid,
            ));
        }
    }
    let expected = claim.charge - claim.paid;
    let found = claim_level + line_adjustments;
    if expected != found {
        claim.problems.push(unbalanced(
            claim.paid_at,
            "claim charge (CLP03) − paid (CLP04) must equal all claim and line adjustments (CAS)",
            expected,
            found,
        ));
    }
}

/// Checks BPR02 against the claims paid and the provider adjustments.
pub fn check_payment(payment: &Payment, settlement: &mut Settlement) {
    let adjustments: Money = settlement.provider_adjustments.iter().map(|a| a.amount).sum();
    let expected = settlement.claims_paid - adjustments;
    let found = if payment.credit_debit == "D" { -payment.total } else { payment.total };
    if payment.problems.is_empty() && expected != found {
        settlement.problems.push(unbalanced(
            payment.total_at,
            "total payment (BPR02) must equal the claims paid (Σ CLP04) minus the provider adjustments (Σ PLB)",
            expected,
            found,
        ));
    }
}
