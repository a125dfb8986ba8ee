//! Orders: what a treating practitioner ordered for a patient — the items (HCPCS, quantity,
//! rental or purchase, length of need, modifiers), the diagnoses they are for, the dates —
//! and where the order stands on its way to the patient's home.
//!
//! Rules kept here: an order's lines name catalog items and may only be rented or bought
//! as the catalog allows; diagnoses are pointers into the patient's own ordered ICD-10 list;
//! the status moves only along the legal transitions ([`OrderStatus::can_become`]); and the
//! Standard Written Order check ([`swo`]) lists every element a payer would find missing.

mod lines;
mod status;
mod store;
pub mod swo;

pub use lines::{parse_line_spec, Acquisition, OrderLine, OrderLineInput, LIFETIME_MONTHS};
pub use status::OrderStatus;
pub use store::{
    add, change_status, create, get, list, list_for_patient, record_delivered, set_status, sign, swo_gaps, OrderFilter,
};

use crate::db::DbError;
use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An order as entered on a form or the CLI: raw text, checked by the core.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct OrderInput {
    #[arg(long)]
    pub patient_id: Option<String>,
    /// The ordering (treating) practitioner's id in HME Desk
    #[arg(long)]
    pub practitioner_id: Option<String>,
    /// The date the practitioner wrote the order, YYYY-MM-DD
    #[arg(long)]
    pub order_date: Option<String>,
    /// Diagnosis pointers into the patient's list (1 = primary) or ICD-10 codes, comma-separated
    #[arg(long)]
    pub diagnoses: Option<String>,
    /// The date on the practitioner's signature, once the signed order is back
    #[arg(long)]
    pub signed_on: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// The ordered items.
    #[arg(skip)]
    #[ts(optional = nullable)]
    pub lines: Vec<OrderLineInput>,
}

/// An order on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Order {
    pub id: i64,
    pub patient_id: i64,
    /// "Last, First", for lists.
    pub patient_name: String,
    pub practitioner_id: i64,
    /// "Last, First Credentials", for lists.
    pub practitioner_name: String,
    pub order_date: NaiveDate,
    /// ICD-10-CM codes, in the order the practitioner gave them.
    pub diagnoses: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    pub status: OrderStatus,
    pub notes: Option<String>,
    pub lines: Vec<OrderLine>,
}

/// Why an order could not be saved, found or moved on.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no order with id {0}")]
    NotFound(i64),
    #[error("order {id} is {from} and cannot become {to}")]
    Transition { id: i64, from: &'static str, to: &'static str },
    #[error("order {id} cannot be ready to deliver yet: {reasons}")]
    NotReady { id: i64, reasons: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(OrderError);

impl Order {
    /// True while more of the order can still be delivered.
    pub fn is_open(&self) -> bool {
        !matches!(self.status, OrderStatus::Delivered | OrderStatus::Closed | OrderStatus::Cancelled)
    }
}

/// The fields of an order checked on their own; the store adds the checks that need the
/// database (patient, practitioner, catalog items, diagnosis pointers).
#[derive(Default)]
pub(crate) struct CheckedOrder {
    pub patient_id: i64,
    pub practitioner_id: i64,
    pub order_date: NaiveDate,
    /// Pointers (1-based) or codes, as given.
    pub diagnoses: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Checks the order's own fields (not its lines, not what needs the database).
pub(crate) fn validate(input: &OrderInput, today: NaiveDate) -> Result<CheckedOrder, Problems> {
    let mut p = Problems::new();
    let patient_id = required_id(&mut p, "patient_id", input.patient_id.as_deref());
    let practitioner_id = required_id(&mut p, "practitioner_id", input.practitioner_id.as_deref());
    let order_date = p.required_date("order_date", input.order_date.as_deref());
    if order_date.is_some_and(|d| d > today) {
        p.add("order_date", "is in the future");
    }
    let signed_on = p.optional_date("signed_on", input.signed_on.as_deref());
    if let (Some(o), Some(s)) = (order_date, signed_on) {
        if s < o {
            p.add("signed_on", "is before the order date; a practitioner cannot sign an order before writing it");
        }
    }
    if signed_on.is_some_and(|d| d > today) {
        p.add("signed_on", "is in the future");
    }
    let diagnoses: Vec<String> = input
        .diagnoses
        .as_deref()
        .unwrap_or("")
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    if input.lines.is_empty() {
        p.add("lines", "an order needs at least one item");
    }
    p.finish(CheckedOrder {
        patient_id,
        practitioner_id,
        order_date: order_date.unwrap_or_default(),
        diagnoses,
        signed_on,
        notes: optional(input.notes.as_deref()),
    })
}

/// A positive record id from a form field.
pub(crate) fn required_id(p: &mut Problems, field: &str, value: Option<&str>) -> i64 {
    match optional(value).map(|v| v.parse::<i64>()) {
        Some(Ok(id)) if id > 0 => id,
        Some(_) => {
            p.add(field, "must be the number of a record on file");
            0
        }
        None => {
            p.add(field, "is required");
            0
        }
    }
}

/// A claim line points to at most four diagnoses (837P SV107, CMS-1500 box 24E).
pub const MAX_POINTERS: usize = 4;

/// Resolves diagnosis pointers (`1` = the patient's first code) and codes against the
/// patient's list; every code must be on that list, so claims can point to it.
pub(crate) fn resolve_diagnoses(p: &mut Problems, given: &[String], patient_codes: &[String]) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for item in given {
        let code = match item.parse::<usize>() {
            Ok(n) if (1..=patient_codes.len()).contains(&n) => Some(patient_codes[n - 1].clone()),
            Ok(n) => {
                p.add(
                    "diagnoses",
                    format!("pointer {n} does not exist: the patient has {} diagnoses", patient_codes.len()),
                );
                None
            }
            Err(_) => match crate::patients::parse_icd10(item) {
                Ok(code) if patient_codes.contains(&code) => Some(code),
                Ok(code) => {
                    p.add(
                        "diagnoses",
                        format!("{code} is not on the patient's diagnosis list; add it to the patient first"),
                    );
                    None
                }
                Err(e) => {
                    p.add("diagnoses", e);
                    None
                }
            },
        };
        if let Some(code) = code {
            if codes.contains(&code) {
                p.add("diagnoses", format!("{code} is given twice"));
            } else {
                codes.push(code);
            }
        }
    }
    if codes.len() > MAX_POINTERS {
        p.add(
            "diagnoses",
            format!("a claim line points to at most {MAX_POINTERS} diagnoses; {} were given", codes.len()),
        );
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input() -> OrderInput {
        OrderInput {
            patient_id: Some("1".into()),
            practitioner_id: Some("2".into()),
            order_date: Some("2026-03-01".into()),
            diagnoses: Some("1, 2".into()),
            lines: vec![OrderLineInput { hcpcs: Some("E0601".into()), ..OrderLineInput::default() }],
            ..OrderInput::default()
        }
    }

    #[test]
    fn every_problem_with_the_order_fields_is_reported() {
        let bad = OrderInput {
            patient_id: Some("x".into()),
            practitioner_id: None,
            order_date: Some("2026-13-01".into()),
            lines: Vec::new(),
            ..OrderInput::default()
        };
        let fields: Vec<String> =
            validate(&bad, d("2026-03-05")).err().unwrap().0.into_iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["patient_id", "practitioner_id", "order_date", "lines"]);
    }

    #[test]
    fn signature_dates_are_checked_against_the_order_date() {
        let early = OrderInput { signed_on: Some("2026-02-28".into()), ..input() };
        let message = validate(&early, d("2026-03-05")).err().unwrap().to_string();
        assert!(message.contains("signed_on: is before the order date"), "{message}");
        let future = OrderInput { order_date: Some("2026-04-01".into()), ..input() };
        assert!(validate(&future, d("2026-03-05")).err().unwrap().to_string().contains("order_date: is in the future"));
    }

    #[test]
    fn diagnosis_pointers_resolve_against_the_patients_list() {
        let patient = vec!["G47.33".to_string(), "I10".to_string()];
        let mut p = Problems::new();
        let given: Vec<String> = ["2", "G47.33"].map(String::from).to_vec();
        assert_eq!(resolve_diagnoses(&mut p, &given, &patient), vec!["I10", "G47.33"]);
        assert!(p.is_empty());
        let bad: Vec<String> = ["3", "J44.9", "1", "G4733"].map(String::from).to_vec();
        resolve_diagnoses(&mut p, &bad, &patient);
        let text = p.to_string();
        assert!(text.contains("pointer 3 does not exist"), "{text}");
        assert!(text.contains("J44.9 is not on the patient's diagnosis list"), "{text}");
        assert!(text.contains("G47.33 is given twice"), "{text}");
    }
}
