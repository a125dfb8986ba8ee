//! The DME data a built claim carries beyond its codes and charges: the prior authorization
//! number (837P REF*G1, CMS-1500 box 23) and the rental/purchase prices (SV5).
//!
//! Prior authorization: a claim for an item under a prior-authorization program carries the
//! unique tracking number of the affirmed request (CMS Prior Authorization Operational
//! Guide for DMEPOS; 005010X222A1 loop 2300 REF*G1), taken from the order's prior
//! authorization document in force on the date of service.
//!
//! SV5 (005010X222A1 loop 2400, "DME service"): the supplier's rental price and purchase
//! price for the item, the length of medical necessity in days, and the rental frequency.
//! Both prices are required elements, so a line carries SV5 only when the fee schedule knows
//! both: a rental line's rental price is its own charge per unit and its purchase price the
//! schedule's NU charge; an equipment purchase's purchase price is its charge per unit and
//! its rental price the schedule's RR charge. Rentals are billed monthly (SV506 `4`).

use super::build::takes_new_or_used;
use super::x837::DmePrices;
use super::{ClaimError, ClaimLine};
use crate::documents::Reference;
use crate::money::Money;
use crate::orders::{Acquisition, LIFETIME_MONTHS};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

/// Days in a month of medical necessity, for SV503.
const DAYS_PER_MONTH: u32 = 30;

/// SV506: the rental is billed by the month.
pub const MONTHLY: &str = "4";

/// The prior authorization number on file for order `order_id` in force on `dos` for one of
/// `hcpcs` (a document naming no codes covers the whole order), the most recent first.
pub fn prior_authorization(
    conn: &Connection,
    order_id: i64,
    hcpcs: &[&str],
    dos: NaiveDate,
) -> Result<Option<String>, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT pa_number, hcpcs FROM documents
         WHERE order_id = ?1 AND type = 'prior_auth' AND pa_number IS NOT NULL
           AND initial_date <= ?2 AND (expires IS NULL OR expires >= ?2)
           AND (pa_from IS NULL OR pa_to IS NULL OR (pa_from <= ?2 AND pa_to >= ?2))
         ORDER BY initial_date DESC, id DESC",
    )?;
    let mut rows = stmt.query(params![order_id, dos])?;
    while let Some(row) = rows.next()? {
        let codes: String = row.get(1)?;
        if codes.is_empty() || codes.split(':').any(|c| hcpcs.contains(&c)) {
            return Ok(Some(row.get(0)?));
        }
    }
    Ok(None)
}

/// The schedule's charge for `hcpcs` with `modifier` first on `dos`; a fee without that
/// modifier (the schedule's fallback) does not count.
fn charge_with(
    reference: &mut Reference<'_>,
    payer_id: i64,
    hcpcs: &str,
    modifier: &str,
    dos: NaiveDate,
) -> Result<Option<Money>, ClaimError> {
    let fee = reference.fee(payer_id, hcpcs, &[modifier.to_string()], dos)?;
    Ok(fee.filter(|f| f.modifiers.first().is_some_and(|m| m == modifier)).map(|f| f.charge))
}

/// The order line's length of need in months (lifetime when the order does not say).
fn length_of_need(conn: &Connection, order_line_id: Option<i64>) -> Result<u32, ClaimError> {
    let months: Option<u32> = match order_line_id {
        Some(id) => conn
            .prepare_cached("SELECT length_of_need_months FROM order_lines WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten(),
        None => None,
    };
    Ok(months.unwrap_or(LIFETIME_MONTHS))
}

/// SV5 for `line` billed to payer `payer_id`, when the line is DME and both prices are known.
pub fn prices(reference: &mut Reference<'_>, payer_id: i64, line: &ClaimLine) -> Result<Option<DmePrices>, ClaimError> {
    let per_unit = Money::from_cents(line.charge.cents() / i64::from(line.units.max(1)));
    let (rental, purchase) = match line.acquisition {
        Acquisition::Rental => {
            (Some(per_unit), charge_with(reference, payer_id, &line.hcpcs, "NU", line.service_from)?)
        }
        Acquisition::Purchase => {
            if !reference.category(&line.hcpcs)?.is_some_and(takes_new_or_used) {
                return Ok(None);
            }
            (charge_with(reference, payer_id, &line.hcpcs, "RR", line.service_from)?, Some(per_unit))
        }
    };
    let (Some(rental_price), Some(purchase_price)) = (rental, purchase) else {
        return Ok(None);
    };
    let days = length_of_need(reference.conn(), line.order_line_id)? * DAYS_PER_MONTH;
    Ok(Some(DmePrices { days, rental_price, purchase_price, rental_frequency: MONTHLY }))
}
