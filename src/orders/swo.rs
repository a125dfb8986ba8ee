//! The Standard Written Order completeness check.
//!
//! Since 2020 every Medicare DMEPOS claim needs an SWO holding these elements (42 CFR
//! 410.38(d)(1); Program Integrity Manual ch. 5 §5.2.2): the beneficiary's name or MBI, the
//! order date, a description of each item (HCPCS code, narrative or brand/model), the
//! quantity, the treating practitioner's name or NPI, and the practitioner's signature.
//! The check returns every element that is missing, not just the first.

use crate::patients::Patient;
use crate::practitioners::Practitioner;
use chrono::NaiveDate;
use serde::Serialize;

/// What the SWO check looks at, taken from an order and the people on it.
#[derive(Debug, Clone, Default)]
pub struct SwoFacts {
    pub patient_name: Option<String>,
    pub patient_mbi: Option<String>,
    pub order_date: Option<NaiveDate>,
    /// Each item: its description (code or narrative) and quantity.
    pub items: Vec<(Option<String>, u32)>,
    pub practitioner_name: Option<String>,
    pub practitioner_npi: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

impl SwoFacts {
    /// The facts of an order on file.
    pub fn of(order: &super::Order, patient: &Patient, practitioner: &Practitioner) -> SwoFacts {
        let full_name = format!("{} {}", patient.first_name.trim(), patient.last_name.trim());
        SwoFacts {
            patient_name: Some(full_name.trim().to_string()).filter(|n| !n.is_empty()),
            patient_mbi: patient.mbi.clone(),
            order_date: Some(order.order_date),
            items: order
                .lines
                .iter()
                .map(|l| {
                    let text = format!("{} {}", l.hcpcs, l.description);
                    (Some(text.trim().to_string()).filter(|t| !t.is_empty()), l.quantity)
                })
                .collect(),
            practitioner_name: Some(practitioner.display_name()),
            practitioner_npi: Some(practitioner.npi.clone()),
            signed_on: order.signed_on,
        }
    }
}

/// One required SWO element that is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "element", rename_all = "snake_case")]
#[ts(export)]
pub enum SwoGap {
    /// Neither the beneficiary's name nor the MBI.
    Beneficiary,
    OrderDate,
    /// No item at all on the order.
    NoItems,
    /// Item `line` (1-based) has no description.
    ItemDescription {
        line: u32,
    },
    /// Item `line` (1-based) has no quantity.
    Quantity {
        line: u32,
    },
    /// Neither the practitioner's name nor NPI.
    Practitioner,
    /// The signed order (with the signature's date) has not come back.
    Signature,
}

impl SwoGap {
    /// What to do about it, in words a biller acts on.
    pub fn message(&self) -> String {
        match self {
            SwoGap::Beneficiary => "The order names neither the patient nor the patient's MBI.".into(),
            SwoGap::OrderDate => "The order date is missing.".into(),
            SwoGap::NoItems => "The order lists no items.".into(),
            SwoGap::ItemDescription { line } => {
                format!("Item {line} has no description (HCPCS code, narrative or brand/model).")
            }
            SwoGap::Quantity { line } => format!("Item {line} has no quantity."),
            SwoGap::Practitioner => "The order names neither the practitioner nor the practitioner's NPI.".into(),
            SwoGap::Signature => {
                "The practitioner's signed order has not been received: get it signed and dated, then record the signature date.".into()
            }
        }
    }
}

/// Every SWO element missing from `facts`; empty means the SWO is complete.
pub fn check(facts: &SwoFacts) -> Vec<SwoGap> {
    let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut gaps = Vec::new();
    if !present(&facts.patient_name) && !present(&facts.patient_mbi) {
        gaps.push(SwoGap::Beneficiary);
    }
    if facts.order_date.is_none() {
        gaps.push(SwoGap::OrderDate);
    }
    if facts.items.is_empty() {
        gaps.push(SwoGap::NoItems);
    }
    for (i, (description, quantity)) in facts.items.iter().enumerate() {
        let line = i as u32 + 1;
        if !present(description) {
            gaps.push(SwoGap::ItemDescription { line });
        }
        if *quantity == 0 {
            gaps.push(SwoGap::Quantity { line });
        }
    }
    if !present(&facts.practitioner_name) && !present(&facts.practitioner_npi) {
        gaps.push(SwoGap::Practitioner);
    }
    if facts.signed_on.is_none() {
        gaps.push(SwoGap::Signature);
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> SwoFacts {
        SwoFacts {
            patient_name: Some("Maria Lopez".into()),
            patient_mbi: Some("1EG4TE5MK73".into()),
            order_date: NaiveDate::from_ymd_opt(2026, 3, 1),
            items: vec![(Some("E0601 CPAP".into()), 1)],
            practitioner_name: Some("Reyes, Alicia MD".into()),
            practitioner_npi: Some("1234567893".into()),
            signed_on: NaiveDate::from_ymd_opt(2026, 3, 2),
        }
    }

    /// The SWO check table: each row takes one or more elements away and names the gaps.
    #[test]
    fn swo_check_table() {
        type Edit = fn(&mut SwoFacts);
        let rows: &[(&str, Edit, &[SwoGap])] = &[
            ("complete", |_| {}, &[]),
            ("name only is enough", |f| f.patient_mbi = None, &[]),
            ("MBI only is enough", |f| f.patient_name = None, &[]),
            (
                "neither name nor MBI",
                |f| {
                    f.patient_name = Some("  ".into());
                    f.patient_mbi = None;
                },
                &[SwoGap::Beneficiary],
            ),
            ("no order date", |f| f.order_date = None, &[SwoGap::OrderDate]),
            ("no items", |f| f.items.clear(), &[SwoGap::NoItems]),
            (
                "second item without description or quantity",
                |f| f.items.push((None, 0)),
                &[SwoGap::ItemDescription { line: 2 }, SwoGap::Quantity { line: 2 }],
            ),
            ("NPI only is enough", |f| f.practitioner_name = None, &[]),
            ("name only is enough for the practitioner", |f| f.practitioner_npi = None, &[]),
            (
                "no practitioner",
                |f| {
                    f.practitioner_name = None;
                    f.practitioner_npi = None;
                },
                &[SwoGap::Practitioner],
            ),
            ("unsigned", |f| f.signed_on = None, &[SwoGap::Signature]),
            (
                "everything missing",
                |f| *f = SwoFacts::default(),
                &[SwoGap::Beneficiary, SwoGap::OrderDate, SwoGap::NoItems, SwoGap::Practitioner, SwoGap::Signature],
            ),
        ];
        for (name, edit, expected) in rows {
            let mut facts = complete();
            edit(&mut facts);
            assert_eq!(check(&facts), *expected, "{name}");
        }
    }

    #[test]
    fn gaps_say_what_to_do() {
        assert!(SwoGap::Signature.message().contains("record the signature date"));
        assert_eq!(SwoGap::Quantity { line: 2 }.message(), "Item 2 has no quantity.");
    }
}
