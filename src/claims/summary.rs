//! The claims work list: one row per claim with what was charged and, from the posted
//! remittances (`remit::claim_balances`), what was paid, written off and left to the patient;
//! and the payers the list can be narrowed to, with what each has ready to batch.

use super::{ClaimError, ClaimStatus};
use crate::money::Money;
use crate::remit;
use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};
use serde::Serialize;

/// One claim as the work list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClaimSummary {
    pub id: i64,
    pub control_number: String,
    pub status: ClaimStatus,
    pub patient_id: i64,
    pub patient_name: String,
    /// The payer's id in HME Desk (what `claims batch --payer` takes).
    pub payer_id: i64,
    pub payer_name: String,
    pub priority: String,
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    pub batch_id: Option<i64>,
    /// The sum of the line charges.
    pub charge: Money,
    pub paid: Money,
    pub contractual: Money,
    pub patient_responsibility: Money,
    /// What is still owed on the claim: charge less paid and written off.
    pub balance: Money,
}

/// Which claims the work list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SummaryFilter {
    pub status: Option<ClaimStatus>,
    pub payer_id: Option<i64>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ClaimSummary> {
    let charge: Money = r.get(11)?;
    let none = Money::default();
    Ok(ClaimSummary {
        id: r.get(0)?,
        control_number: r.get(1)?,
        status: r.get(2)?,
        patient_id: r.get(3)?,
        patient_name: r.get(4)?,
        payer_id: r.get(5)?,
        payer_name: r.get(6)?,
        priority: r.get(7)?,
        service_from: r.get(8)?,
        service_to: r.get(9)?,
        batch_id: r.get(10)?,
        charge,
        paid: none,
        contractual: none,
        patient_responsibility: none,
        balance: charge,
    })
}

/// Claims matching `filter`, newest first.
pub fn summaries(conn: &Connection, filter: SummaryFilter) -> Result<Vec<ClaimSummary>, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.control_number, c.status, c.patient_id, p.last_name || ', ' || p.first_name, v.payer_id, y.name,
                v.priority, c.service_from, c.service_to, c.batch_id,
                (SELECT COALESCE(SUM(l.charge), 0) FROM claim_lines l WHERE l.claim_id = c.id)
         FROM claims c JOIN patients p ON p.id = c.patient_id JOIN coverages v ON v.id = c.coverage_id
             JOIN payers y ON y.id = v.payer_id
         WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR v.payer_id = ?2)
         ORDER BY c.id DESC",
    )?;
    let mut rows: Vec<ClaimSummary> =
        stmt.query_map(params![filter.status, filter.payer_id], from_row)?.collect::<Result<_, _>>()?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let balances = remit::claim_balances(conn, &ids).map_err(|e| ClaimError::Balances(Box::new(e)))?;
    let by_claim: std::collections::HashMap<i64, remit::ClaimBalance> =
        balances.into_iter().map(|b| (b.claim_id, b)).collect();
    for row in &mut rows {
        let Some(money) = by_claim.get(&row.id) else { continue };
        row.paid = money.paid;
        row.contractual = money.contractual;
        row.patient_responsibility = money.patient_responsibility;
        row.balance = money.balance;
    }
    Ok(rows)
}

/// A payer the claims are billed to, with what is ready to batch for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PayerClaims {
    pub payer_id: i64,
    pub payer_name: String,
    /// Its claims in every status.
    pub claims: i64,
    /// Its claims scrubbed clean and not batched yet.
    pub ready: i64,
    /// The charges of the ready claims.
    pub ready_charge: Money,
}

/// Every payer with claims, by name: the work list's payer filter and the payers a batch can
/// be made for (those with `ready` above zero), without reading every claim.
pub fn by_payer(conn: &Connection) -> Result<Vec<PayerClaims>, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT y.id, y.name, COUNT(*), COUNT(*) FILTER (WHERE c.status = 'ready'),
                COALESCE(SUM((SELECT SUM(l.charge) FROM claim_lines l WHERE l.claim_id = c.id))
                    FILTER (WHERE c.status = 'ready'), 0)
         FROM claims c JOIN coverages v ON v.id = c.coverage_id JOIN payers y ON y.id = v.payer_id
         GROUP BY y.id ORDER BY y.name, y.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PayerClaims {
            payer_id: r.get(0)?,
            payer_name: r.get(1)?,
            claims: r.get(2)?,
            ready: r.get(3)?,
            ready_charge: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
