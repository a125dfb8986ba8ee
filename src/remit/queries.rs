//! Reading what posting wrote: payments with their reconciliation, the work queue,
//! the unmatched queue, and each claim's money.

use super::{ClaimBalance, Payment, RemitError, UnmatchedClaim, WorkItem};
use crate::money::Money;
use rusqlite::Connection;
use std::collections::HashMap;

/// Payments, newest first, each with what was posted to our claims and what waits unmatched.
pub fn payments(conn: &Connection) -> Result<Vec<Payment>, RemitError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, f.file_name, f.imported_at, p.payer_name, p.payer_id, p.trace_number, p.method, p.paid_on,
                p.amount, p.claims_paid, p.plb_total,
                (SELECT COALESCE(SUM(paid), 0) FROM claim_adjudications WHERE payment_id = p.id),
                (SELECT COALESCE(SUM(paid), 0) FROM unmatched_remits WHERE payment_id = p.id),
                (SELECT COUNT(*) FROM claim_adjudications WHERE payment_id = p.id)
                  + (SELECT COUNT(*) FROM unmatched_remits WHERE payment_id = p.id)
         FROM payments p JOIN remit_files f ON f.id = p.file_id ORDER BY p.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Payment {
            id: r.get(0)?,
            file_name: r.get(1)?,
            imported_at: r.get(2)?,
            payer_name: r.get(3)?,
            payer_id: r.get(4)?,
            trace_number: r.get(5)?,
            method: r.get(6)?,
            paid_on: r.get(7)?,
            amount: r.get(8)?,
            claims_paid: r.get(9)?,
            plb_total: r.get(10)?,
            posted: r.get(11)?,
            unmatched: r.get(12)?,
            claim_count: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Open work items (denials, rejections and secondary claims to correct), oldest first.
pub fn work_queue(conn: &Connection) -> Result<Vec<WorkItem>, RemitError> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.kind, w.claim_id, c.control_number, p.last_name || ', ' || p.first_name, y.name, w.reason,
                w.created_at
         FROM work_queue w JOIN claims c ON c.id = w.claim_id JOIN patients p ON p.id = c.patient_id
              JOIN coverages v ON v.id = c.coverage_id JOIN payers y ON y.id = v.payer_id
         WHERE w.resolved_at IS NULL ORDER BY w.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(WorkItem {
            id: r.get(0)?,
            kind: r.get(1)?,
            claim_id: r.get(2)?,
            control_number: r.get(3)?,
            patient_name: r.get(4)?,
            payer_name: r.get(5)?,
            reason: r.get(6)?,
            created_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Remittance claims waiting on the unmatched queue, oldest first.
pub fn unmatched(conn: &Connection) -> Result<Vec<UnmatchedClaim>, RemitError> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.payment_id, p.payer_name, u.control_number, u.patient_name, u.member_id, u.status_code,
                u.charge, u.paid, u.payer_claim_number, u.reason, u.created_at
         FROM unmatched_remits u JOIN payments p ON p.id = u.payment_id
         WHERE u.resolved_at IS NULL ORDER BY u.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(UnmatchedClaim {
            id: r.get(0)?,
            payment_id: r.get(1)?,
            payer_name: r.get(2)?,
            control_number: r.get(3)?,
            patient_name: r.get(4)?,
            member_id: r.get(5)?,
            status_code: r.get(6)?,
            charge: r.get(7)?,
            paid: r.get(8)?,
            payer_claim_number: r.get(9)?,
            reason: r.get(10)?,
            created_at: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The money of each claim in `claim_ids` (in that order; unknown ids are left out): charge
/// from its lines, paid net of reversals, and the adjustments by how they were posted.
pub fn claim_balances(conn: &Connection, claim_ids: &[i64]) -> Result<Vec<ClaimBalance>, RemitError> {
    // One grouped query per kind of money over all the claims, not three queries per claim:
    // the work list asks for every claim at once.
    let ids = format!("[{}]", claim_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let sums = |sql: &str| -> Result<HashMap<i64, Money>, RemitError> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([&ids], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let charges = sums(
        "SELECT claim_id, SUM(charge) FROM claim_lines
         WHERE claim_id IN (SELECT value FROM json_each(?1)) GROUP BY claim_id",
    )?;
    let paid = sums(
        "SELECT claim_id, SUM(paid) FROM claim_adjudications
         WHERE claim_id IN (SELECT value FROM json_each(?1)) GROUP BY claim_id",
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.claim_id, x.posting, SUM(x.amount) FROM remit_adjustments x
         JOIN claim_adjudications a ON a.id = x.adjudication_id
         WHERE a.claim_id IN (SELECT value FROM json_each(?1)) GROUP BY a.claim_id, x.posting",
    )?;
    let mut adjusted: HashMap<(i64, String), Money> = HashMap::new();
    for row in stmt.query_map([&ids], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))? {
        let (key, amount) = row?;
        adjusted.insert(key, amount);
    }
    let mut out = Vec::with_capacity(claim_ids.len());
    for &id in claim_ids {
        let Some(&charge) = charges.get(&id) else {
            continue;
        };
        let sum =
            |kinds: &[&str]| kinds.iter().filter_map(|k| adjusted.get(&(id, (*k).to_string()))).copied().sum::<Money>();
        let mut b = ClaimBalance {
            claim_id: id,
            charge,
            paid: paid.get(&id).copied().unwrap_or_default(),
            contractual: sum(&["contractual"]),
            patient_responsibility: sum(&["deductible", "coinsurance", "copay", "patient"]),
            other_adjustments: sum(&["other"]),
            open: sum(&["open"]),
            balance: Money::default(),
        };
        b.balance = b.charge - b.paid - b.contractual - b.patient_responsibility - b.other_adjustments;
        out.push(b);
    }
    Ok(out)
}
