//! Purchase claims from signed deliveries: every purchased item on a confirmed delivery is
//! billed once, to the primary coverage in force on the date of service.
//!
//! A purchase is billed on delivery (CMS Claims Processing Manual ch. 20 §110.3: the date of
//! service of a delivered item is the date of delivery). Each equipment line carries NU (new
//! equipment purchased), the order line's own modifiers, the fee schedule's charge and allowable for the
//! code on that date, and pointers to the order's first diagnoses. The line keeps the delivery
//! item it bills, so a delivery item is never billed twice; rentals are billed by the rental
//! run instead.

use super::{create, Claim, ClaimError, ClaimFrequency, ClaimSource, NewClaim, NewLine, MAX_DIAGNOSES, MAX_POINTERS};
use crate::catalog::{self, PaymentCategory};
use crate::coverages::{self, Priority};
use crate::db::Change;
use crate::money::Money;
use crate::orders::{self, Acquisition};
use crate::payers::{self, PayerKind};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// The modifier of a new item purchased.
pub const PURCHASE_MODIFIER: &str = "NU";

/// A signed delivery whose purchased items could not be billed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Unbilled {
    pub delivery_id: i64,
    pub reason: String,
}

/// What one build made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BuildReport {
    pub created: Vec<Claim>,
    pub unbilled: Vec<Unbilled>,
}

/// One purchased delivery item not yet on any claim line.
struct Pending {
    delivery_id: i64,
    order_id: i64,
    patient_id: i64,
    delivered_on: NaiveDate,
    delivery_item_id: i64,
    order_line_id: i64,
    hcpcs: String,
    modifiers: String,
    quantity: u32,
}

fn pending(conn: &Connection) -> Result<Vec<Pending>, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.order_id, d.patient_id, d.delivered_on, i.id, l.id, l.hcpcs, l.modifiers, i.quantity
         FROM delivery_items i JOIN deliveries d ON d.id = i.delivery_id JOIN order_lines l ON l.id = i.order_line_id
         WHERE d.status = 'delivered' AND l.acquisition = 'purchase'
           AND NOT EXISTS (SELECT 1 FROM claim_lines c WHERE c.delivery_item_id = i.id)
         ORDER BY d.id, l.position, i.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Pending {
            delivery_id: r.get(0)?,
            order_id: r.get(1)?,
            patient_id: r.get(2)?,
            delivered_on: r.get(3)?,
            delivery_item_id: r.get(4)?,
            order_line_id: r.get(5)?,
            hcpcs: r.get(6)?,
            modifiers: r.get(7)?,
            quantity: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// True for equipment, whose purchase says new (NU) or used (UE); supplies, dressings and
/// orthotics take neither (CMS Claims Processing Manual ch. 20 §50).
pub fn takes_new_or_used(category: PaymentCategory) -> bool {
    matches!(
        category,
        PaymentCategory::IN | PaymentCategory::CR | PaymentCategory::FS | PaymentCategory::TE | PaymentCategory::OX
    )
}

/// NU first when the item is equipment, then the order line's modifiers (without a second
/// NU or a rental modifier).
fn purchase_modifiers(category: Option<PaymentCategory>, order_modifiers: &str) -> Vec<String> {
    let rest = order_modifiers.split(':').filter(|m| !m.is_empty() && !matches!(*m, "NU" | "RR" | "UE"));
    let nu = category.is_none_or(takes_new_or_used).then_some(PURCHASE_MODIFIER);
    nu.into_iter().chain(rest).map(str::to_string).collect()
}

/// Bills every purchased item on a signed delivery that is not on a claim yet: one draft
/// claim per delivery, to the primary coverage in force on the delivery date.
pub fn build_purchases(c: &Change<'_>) -> Result<BuildReport, ClaimError> {
    let conn = c.conn();
    let mut report = BuildReport { created: Vec::new(), unbilled: Vec::new() };
    let items = pending(conn)?;
    for group in items.chunk_by(|a, b| a.delivery_id == b.delivery_id) {
        let first = &group[0];
        match draft_for_delivery(conn, group)? {
            Ok(claim) => report.created.push(create(c, &claim)?),
            Err(reason) => report.unbilled.push(Unbilled { delivery_id: first.delivery_id, reason }),
        }
    }
    let summary = format!(
        "billed purchases: {} claim(s), {} delivery(ies) left unbilled",
        report.created.len(),
        report.unbilled.len()
    );
    c.audit("build", "claim", None, &summary)?;
    Ok(report)
}

/// The claim for one delivery's purchased items, or why there is none.
fn draft_for_delivery(conn: &Connection, group: &[Pending]) -> Result<Result<NewClaim, String>, ClaimError> {
    let first = &group[0];
    let dos = first.delivered_on;
    let coverage =
        coverages::active_on(conn, first.patient_id, dos)?.into_iter().find(|c| c.priority == Priority::Primary);
    let Some(coverage) = coverage else {
        return Ok(Err(format!("no primary coverage in force on {dos}: add or extend the patient's coverage")));
    };
    let payer = payers::get(conn, coverage.payer_id)?;
    if payer.kind == PayerKind::SelfPay {
        return Ok(Err(format!("{} is self-pay: bill the patient, not a payer", payer.name)));
    }
    let order = orders::get(conn, first.order_id)?;
    let diagnoses: Vec<String> = order.diagnoses.iter().take(MAX_DIAGNOSES).cloned().collect();
    let pointers: Vec<u8> = (1..=diagnoses.len().min(MAX_POINTERS)).filter_map(|n| u8::try_from(n).ok()).collect();
    let mut lines = Vec::with_capacity(group.len());
    for item in group {
        let category = catalog::find_by_hcpcs(conn, &item.hcpcs)?.map(|i| i.category);
        let modifiers = purchase_modifiers(category, &item.modifiers);
        let fee = crate::fees::lookup(conn, payer.id, &item.hcpcs, &modifiers, dos)?;
        let times = |m: Money| Money::from_cents(m.cents() * i64::from(item.quantity));
        lines.push(NewLine {
            hcpcs: item.hcpcs.clone(),
            modifiers,
            from: dos,
            to: dos,
            units: item.quantity,
            charge: fee.as_ref().map_or(Money::default(), |f| times(f.charge)),
            allowed: fee.as_ref().map(|f| times(f.allowed)),
            diagnosis_pointers: pointers.clone(),
            acquisition: Acquisition::Purchase,
            order_line_id: Some(item.order_line_id),
            delivery_item_id: Some(item.delivery_item_id),
            rental_month: None,
        });
    }
    Ok(Ok(NewClaim {
        patient_id: first.patient_id,
        coverage_id: coverage.id,
        practitioner_id: Some(order.practitioner_id),
        order_id: Some(order.id),
        source: ClaimSource::Purchase,
        frequency: ClaimFrequency::Original,
        payer_claim_number: None,
        related_claim_id: None,
        corrects_claim_id: None,
        prior_authorization: None,
        diagnoses,
        lines,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equipment_purchases_carry_nu_first_and_no_rental_modifier() {
        let walker = Some(PaymentCategory::IN);
        assert_eq!(purchase_modifiers(walker, ""), ["NU"]);
        assert_eq!(purchase_modifiers(walker, "KX"), ["NU", "KX"]);
        assert_eq!(purchase_modifiers(walker, "NU:RT"), ["NU", "RT"]);
        assert_eq!(purchase_modifiers(None, "RR:KX"), ["NU", "KX"]);
        assert!(purchase_modifiers(Some(PaymentCategory::SU), "").is_empty());
        assert_eq!(purchase_modifiers(Some(PaymentCategory::PO), "RT"), ["RT"]);
    }
}
