//! The "missing information" list: for an order (or every open order of a patient), what is
//! not on file yet, whether it holds up the delivery or the claim, and what to do about it.
//!
//! It combines the Standard Written Order check, the diagnoses, the insurance in force,
//! the practitioner's PECOS enrolment (Medicare) and the documents each item needs under
//! the primary payer's rules on the date of service: a delivered item is judged on its
//! delivery date, an item not delivered yet on `today`. A rental line is judged again on
//! every rental month's date of service ([`missing_for_line`]), since a document that has
//! expired since delivery no longer supports the month.

use super::reference::{lookup, Reference};
use super::rules::Blocks;
use super::store::{list, DocumentFilter};
use super::{DocType, Document, DocumentError};
use crate::coverages;
use crate::deliveries;
use crate::orders::swo::{self, SwoFacts};
use crate::orders::{self, Order, OrderError, OrderFilter, OrderStatus};
use crate::patients;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// One thing missing, with what it holds up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MissingItem {
    pub blocks: Blocks,
    pub order_id: i64,
    /// The document type that would resolve it, when a document is what is missing.
    pub document_type: Option<DocType>,
    /// What is missing and what to do, in words a biller acts on.
    pub message: String,
}

/// Everything missing for order `order_id`, delivery blockers first.
pub fn missing_for_order(
    conn: &Connection,
    order_id: i64,
    today: NaiveDate,
) -> Result<Vec<MissingItem>, DocumentError> {
    let order = orders::get(conn, order_id).map_err(order_error)?;
    let documents = list(conn, DocumentFilter { patient_id: Some(order.patient_id), order_id: None })?;
    let mut items = check_order(&mut Reference::new(conn)?, &order, &documents, today, None)?;
    items.sort_by_key(|m| m.blocks);
    Ok(items)
}

/// Everything missing for one line of order `order_id` with every document judged on `dos`:
/// what the rental billing run asks for each month it bills (with one `reference` for the run).
pub fn missing_for_line(
    reference: &mut Reference<'_>,
    order_id: i64,
    order_line_id: i64,
    dos: NaiveDate,
) -> Result<Vec<MissingItem>, DocumentError> {
    let conn = reference.conn();
    let mut order = orders::get(conn, order_id).map_err(order_error)?;
    order.lines.retain(|l| l.id == order_line_id);
    let documents = list(conn, DocumentFilter { patient_id: Some(order.patient_id), order_id: None })?;
    let mut items = check_order(reference, &order, &documents, dos, Some(dos))?;
    items.sort_by_key(|m| m.blocks);
    Ok(items)
}

/// True when the patient signed an Advance Beneficiary Notice in force on `dos` that covers
/// `hcpcs` on order `order_id` (or, naming no order and no code, everything the patient
/// gets): the patient has accepted liability, so a line that fails the payer's coverage
/// criteria is billed with GA instead of GZ.
pub fn abn_on_file(
    conn: &Connection,
    patient_id: i64,
    order_id: i64,
    hcpcs: &str,
    dos: NaiveDate,
) -> Result<bool, DocumentError> {
    let documents = list(conn, DocumentFilter { patient_id: Some(patient_id), order_id: None })?;
    Ok(documents.iter().any(|d| {
        d.doc_type == DocType::Abn
            && (d.covers(order_id, hcpcs) || (d.order_id.is_none() && d.hcpcs.is_empty()))
            && d.is_valid_on(dos)
    }))
}

/// Everything missing on a patient's orders that are not closed or cancelled.
pub fn missing_for_patient(
    conn: &Connection,
    patient_id: i64,
    today: NaiveDate,
) -> Result<Vec<MissingItem>, DocumentError> {
    let documents = list(conn, DocumentFilter { patient_id: Some(patient_id), order_id: None })?;
    let mut reference = Reference::new(conn)?;
    let mut items = Vec::new();
    for order in orders::list(conn, OrderFilter { patient_id: Some(patient_id), status: None }).map_err(order_error)? {
        if !matches!(order.status, OrderStatus::Closed | OrderStatus::Cancelled) {
            items.extend(check_order(&mut reference, &order, &documents, today, None)?);
        }
    }
    items.sort_by_key(|m| (m.blocks, m.order_id));
    Ok(items)
}

fn order_error(e: OrderError) -> DocumentError {
    match e {
        OrderError::Db(e) => DocumentError::Db(e),
        OrderError::NotFound(id) => DocumentError::Invalid(crate::validation::Problems::one(
            "order_id",
            format!("there is no order with id {id}"),
        )),
        other => DocumentError::Invalid(crate::validation::Problems::one("order_id", other.to_string())),
    }
}

/// The gaps of `order`; every line is judged on `judge_on` when given, else as the module
/// doc says.
fn check_order(
    reference: &mut Reference<'_>,
    order: &Order,
    documents: &[Document],
    today: NaiveDate,
    judge_on: Option<NaiveDate>,
) -> Result<Vec<MissingItem>, DocumentError> {
    let conn = reference.conn();
    let patient = patients::get(conn, order.patient_id).map_err(|e| lookup("patient", e))?;
    let practitioner = reference.practitioner(order.practitioner_id)?.clone();
    let mut out = Vec::new();
    let mut push = |blocks: Blocks, document_type: Option<DocType>, message: String| {
        out.push(MissingItem { blocks, order_id: order.id, document_type, message })
    };
    // A delivered line is judged on its date of service (the delivery date), a line still to
    // deliver on today; the insurance is the one in force on the order's first date of service.
    let delivered = match judge_on {
        Some(_) => Default::default(),
        None => deliveries::dates_of_service(conn, order.id).map_err(|e| match e {
            deliveries::DeliveryError::Db(e) => DocumentError::Db(e),
            other => lookup("delivery", other),
        })?,
    };
    let line_dos = |line_id: i64| judge_on.or_else(|| delivered.get(&line_id).copied()).unwrap_or(today);
    let dos = order.lines.iter().map(|l| line_dos(l.id)).min().unwrap_or(today);
    let coverage =
        coverages::active_on(conn, order.patient_id, dos).map_err(|e| lookup("coverage", e))?.into_iter().next();
    let payer = match &coverage {
        Some(c) => Some(reference.payer(c.payer_id)?.clone()),
        None => None,
    };

    // Which items need the written order before delivery (Medicare's WOPD list and the like).
    let mut swo_before_delivery = false;
    let mut document_needs = Vec::new();
    if let Some(payer) = &payer {
        for line in &order.lines {
            let category = reference.category(&line.hcpcs)?;
            for rule in reference.requirements(payer, &line.hcpcs, category, line_dos(line.id)) {
                if rule.document_type == DocType::Swo {
                    swo_before_delivery |= rule.blocks == Blocks::Delivery;
                } else {
                    document_needs.push((line, rule));
                }
            }
        }
    }

    let swo_blocks = if swo_before_delivery { Blocks::Delivery } else { Blocks::Billing };
    for gap in swo::check(&SwoFacts::of(order, &patient, &practitioner)) {
        push(swo_blocks, Some(DocType::Swo), format!("Standard written order: {}", gap.message()));
    }
    if order.diagnoses.is_empty() {
        push(
            Blocks::Billing,
            None,
            "No diagnosis on the order: point it at the patient's diagnoses the item is for.".into(),
        );
    }
    if patient.address1.is_none() || patient.city.is_none() || patient.zip.is_none() {
        push(
            Blocks::Delivery,
            None,
            "The patient's address is incomplete: the delivery and the claim both need it.".into(),
        );
    }
    match (&coverage, &payer) {
        (None, _) | (_, None) => push(
            Blocks::Billing,
            None,
            format!("No insurance in force on {dos}: verify eligibility and add the coverage, or mark the patient self-pay."),
        ),
        (Some(_), Some(payer)) => {
            if payer.is_medicare() && !practitioner.pecos_enrolled {
                push(
                    Blocks::Billing,
                    None,
                    format!(
                        "{} is not PECOS-enrolled: Medicare denies DME ordered by this practitioner; ask the office to enroll or get the order from an enrolled practitioner.",
                        practitioner.display_name()
                    ),
                );
            }
        }
    }
    for (line, rule) in document_needs {
        let candidates: Vec<&Document> = documents
            .iter()
            .filter(|d| {
                d.doc_type == rule.document_type
                    && (rule.form.is_none() || d.form == rule.form)
                    && d.covers(order.id, &line.hcpcs)
            })
            .collect();
        let what = rule.form.map_or(rule.document_type.label().to_string(), |f| {
            format!("{} ({})", rule.document_type.label(), f.code())
        });
        let item = format!("item {} ({})", line.position, line.hcpcs);
        let dos = line_dos(line.id);
        let valid = candidates.iter().find(|d| d.is_valid_on(dos));
        match valid {
            Some(d) if rule.document_type == DocType::PriorAuth && d.pa_units.is_some_and(|u| u < line.quantity) => {
                push(
                    rule.blocks,
                    Some(rule.document_type),
                    format!(
                        "Prior authorization {} approves {} units but {item} orders {}: ask the payer to amend it.",
                        d.pa_number.as_deref().unwrap_or(""),
                        d.pa_units.unwrap_or(0),
                        line.quantity
                    ),
                )
            }
            Some(_) => {}
            None => {
                let expired = candidates.iter().filter_map(|d| d.expires.filter(|e| *e < dos)).max();
                let hold = match rule.blocks {
                    Blocks::Delivery => "before delivery",
                    Blocks::Billing => "before billing",
                };
                let message = match expired {
                    Some(e) => format!("The {what} for {item} expired on {e}: get a new one {hold}."),
                    None => format!("No {what} on file for {item}: get it {hold} ({}).", rule.source),
                };
                push(rule.blocks, Some(rule.document_type), message);
            }
        }
    }
    Ok(out)
}
