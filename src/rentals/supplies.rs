//! The refill due list from the database: each patient's supply history is what was actually
//! delivered (supply codes with a frequency limit on confirmed deliveries, at their delivery
//! dates and quantities), and the insulin-treated flag the glucose supply limits depend on
//! comes from the patient's diagnoses. The rules stay in `resupply`.
//!
//! Insulin-treated (LCD L33822): a diagnosis of type 1 diabetes (E10.*, always treated with
//! insulin) or Z79.4 "long term (current) use of insulin" on the patient's diagnosis list.
//! The diagnosis list is where the practitioner's findings already live and what the claim's
//! diagnoses are drawn from, so no separate flag can disagree with it.

use super::resupply::{due_list, Fill, ResupplyDue, SupplyItem, SupplyLimit};
use super::{Hcpcs, RentalError};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// A refill due for one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PatientResupplyDue {
    pub patient_id: i64,
    /// "Last, First", for lists.
    pub patient_name: String,
    /// Whether the higher glucose supply limits apply (see the module doc).
    pub insulin_treated: bool,
    #[serde(flatten)]
    pub due: ResupplyDue,
}

/// True when one of `diagnoses` (ICD-10-CM, with or without the dot) shows treatment with
/// insulin: type 1 diabetes (E10) or long-term use of insulin (Z79.4).
pub fn insulin_treated<'a>(diagnoses: impl IntoIterator<Item = &'a str>) -> bool {
    diagnoses.into_iter().any(|code| {
        let code = code.trim().replace('.', "").to_ascii_uppercase();
        code.starts_with("E10") || code == "Z794"
    })
}

/// The patients whose diagnoses show treatment with insulin.
fn insulin_patients(conn: &Connection) -> Result<HashSet<i64>, RentalError> {
    let mut stmt = conn.prepare_cached("SELECT patient_id, code FROM patient_diagnoses")?;
    let mut patients = HashSet::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (patient, code) = row?;
        if insulin_treated([code.as_str()]) {
            patients.insert(patient);
        }
    }
    Ok(patients)
}

/// True when patient `patient_id`'s diagnoses show treatment with insulin.
pub fn patient_insulin_treated(conn: &Connection, patient_id: i64) -> Result<bool, RentalError> {
    let mut stmt = conn.prepare_cached("SELECT code FROM patient_diagnoses WHERE patient_id = ?1")?;
    let codes: Vec<String> = stmt.query_map([patient_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(insulin_treated(codes.iter().map(String::as_str)))
}

/// Every patient's supplies due for a refill within `horizon_days` of `as_of` (overdue
/// ones included), soonest first: what the resupply calls list works from.
pub fn resupply_due(
    conn: &Connection,
    as_of: NaiveDate,
    horizon_days: u32,
) -> Result<Vec<PatientResupplyDue>, RentalError> {
    let insulin = insulin_patients(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT d.patient_id, p.last_name || ', ' || p.first_name, l.hcpcs, d.delivered_on, i.quantity
         FROM delivery_items i JOIN deliveries d ON d.id = i.delivery_id JOIN order_lines l ON l.id = i.order_line_id
             JOIN patients p ON p.id = d.patient_id
         WHERE d.status = 'delivered' AND d.delivered_on <= ?1
         ORDER BY d.patient_id, l.hcpcs, d.delivered_on",
    )?;
    let mut histories: BTreeMap<(i64, Hcpcs), (String, Vec<Fill>)> = BTreeMap::new();
    let rows = stmt.query_map([as_of], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?))
    })?;
    for row in rows {
        let (patient, name, code, dos, quantity) = row?;
        let Ok(hcpcs) = Hcpcs::parse(&code) else { continue };
        if SupplyLimit::find(&hcpcs, insulin.contains(&patient)).is_none() {
            continue;
        }
        histories.entry((patient, hcpcs)).or_insert_with(|| (name, Vec::new())).1.push(Fill { dos, quantity });
    }
    let mut due = Vec::new();
    for ((patient_id, hcpcs), (patient_name, history)) in histories {
        let insulin_treated = insulin.contains(&patient_id);
        let item = SupplyItem { hcpcs, insulin_treated, history };
        for line in due_list(std::slice::from_ref(&item), as_of, horizon_days)? {
            due.push(PatientResupplyDue { patient_id, patient_name: patient_name.clone(), insulin_treated, due: line });
        }
    }
    due.sort_by(|a, b| {
        (a.due.next_due, &a.patient_name, &a.due.hcpcs).cmp(&(b.due.next_due, &b.patient_name, &b.due.hcpcs))
    });
    Ok(due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insulin_from_diagnoses() {
        let table: [(&[&str], bool); 6] = [
            (&["E11.9"], false),
            (&["E11.9", "Z79.4"], true),
            (&["e11.65", "z794"], true),
            (&["E10.9"], true),
            (&["Z79.84"], false),
            (&[], false),
        ];
        for (codes, expected) in table {
            assert_eq!(insulin_treated(codes.iter().copied()), expected, "{codes:?}");
        }
    }
}
