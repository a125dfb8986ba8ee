//! The product catalog: HCPCS-coded items with their Medicare payment category, whether
//! they may be rented or sold, the modifiers they are normally billed with, and the unit.
//! A reference list of common DME and supply codes ships in `assets/hcpcs.csv`.

mod codes;
mod store;

pub use codes::{join_modifiers, parse_hcpcs, parse_modifiers, MAX_MODIFIERS};
pub use store::{add, create, find_by_hcpcs, get, list, load_reference, update};

use crate::db::DbError;
use crate::validation::{optional, Problems};
use serde::{Deserialize, Serialize};

/// A catalog item as entered on a form, the CLI or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct CatalogItemInput {
    /// HCPCS Level II code, like E0601
    #[arg(long)]
    pub hcpcs: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Medicare payment category: IN, FS, CR, OX, OS, SD, PO, SU or TE
    #[arg(long)]
    pub category: Option<String>,
    /// May be rented (yes/no)
    #[arg(long)]
    pub rental_allowed: Option<String>,
    /// May be sold (yes/no)
    #[arg(long)]
    pub purchase_allowed: Option<String>,
    /// Modifiers the item is normally billed with, like RR or NU
    #[arg(long)]
    pub default_modifiers: Option<String>,
    /// Billing unit: each, month, box, pair, unit
    #[arg(long)]
    pub unit: Option<String>,
}

crate::coded_enum! {
    /// Medicare DMEPOS payment categories (42 CFR 414 subpart D; the DMEPOS fee schedule's
    /// category column). They decide how an item is paid: purchase, capped rental, oxygen...
    PaymentCategory {
        /// Inexpensive or routinely purchased.
        IN = "IN",
        /// Frequent and substantial servicing.
        FS = "FS",
        /// Capped rental.
        CR = "CR",
        /// Oxygen and oxygen equipment.
        OX = "OX",
        /// Ostomy, tracheostomy and urological supplies.
        OS = "OS",
        /// Surgical dressings.
        SD = "SD",
        /// Prosthetics and orthotics.
        PO = "PO",
        /// Supplies.
        SU = "SU",
        /// Transcutaneous electrical nerve stimulators.
        TE = "TE",
    }
}

impl PaymentCategory {
    /// What the category means, for people.
    pub fn describe(self) -> &'static str {
        match self {
            PaymentCategory::IN => "inexpensive or routinely purchased",
            PaymentCategory::FS => "frequent and substantial servicing",
            PaymentCategory::CR => "capped rental",
            PaymentCategory::OX => "oxygen and oxygen equipment",
            PaymentCategory::OS => "ostomy, tracheostomy and urological supplies",
            PaymentCategory::SD => "surgical dressings",
            PaymentCategory::PO => "prosthetics and orthotics",
            PaymentCategory::SU => "supplies",
            PaymentCategory::TE => "TENS",
        }
    }
}

/// The units an item can be billed in.
const UNITS: &[&str] = &["each", "month", "box", "pair", "unit"];

/// A catalog item on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CatalogItem {
    pub id: i64,
    pub hcpcs: String,
    pub description: String,
    pub category: PaymentCategory,
    pub rental_allowed: bool,
    pub purchase_allowed: bool,
    pub default_modifiers: Vec<String>,
    pub unit: String,
}

/// Why a catalog item could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no catalog item with id {0}")]
    NotFound(i64),
    #[error("the reference HCPCS list in assets/hcpcs.csv is damaged at line {line}: {message}")]
    Reference { line: u64, message: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(CatalogError);

impl CatalogItem {
    /// The record as a form, for editing.
    pub fn to_input(&self) -> CatalogItemInput {
        let yes_no = |b: bool| Some(if b { "yes" } else { "no" }.to_string());
        CatalogItemInput {
            hcpcs: Some(self.hcpcs.clone()),
            description: Some(self.description.clone()),
            category: Some(self.category.code().to_string()),
            rental_allowed: yes_no(self.rental_allowed),
            purchase_allowed: yes_no(self.purchase_allowed),
            default_modifiers: Some(join_modifiers(&self.default_modifiers)),
            unit: Some(self.unit.clone()),
        }
    }
}

/// Checks every field of `input` and returns the item it describes (with id 0).
pub fn validate(input: &CatalogItemInput) -> Result<CatalogItem, Problems> {
    let mut p = Problems::new();
    let hcpcs = match optional(input.hcpcs.as_deref()) {
        None => {
            p.add("hcpcs", "is required");
            String::new()
        }
        Some(text) => parse_hcpcs(&text).unwrap_or_else(|e| {
            p.add("hcpcs", e);
            text
        }),
    };
    let description = p.required("description", input.description.as_deref());
    let category = match optional(input.category.as_deref()) {
        None => {
            p.add("category", "is required (IN, FS, CR, OX, OS, SD, PO, SU or TE)");
            None
        }
        Some(_) => p.choice("category", input.category.as_deref(), PaymentCategory::CHOICES),
    };
    let rental_allowed = p.flag("rental_allowed", input.rental_allowed.as_deref());
    let purchase_allowed = p.flag("purchase_allowed", input.purchase_allowed.as_deref());
    let default_modifiers = parse_modifiers(input.default_modifiers.as_deref().unwrap_or("")).unwrap_or_else(|e| {
        p.add("default_modifiers", e);
        Vec::new()
    });
    let unit = optional(input.unit.as_deref()).map_or("each".to_string(), |u| u.to_ascii_lowercase());
    if !UNITS.contains(&unit.as_str()) {
        p.add("unit", format!("'{unit}' is not one of: {}", UNITS.join(", ")));
    }
    let rental_allowed = rental_allowed.unwrap_or_else(|| category.is_some_and(is_rental_category));
    let purchase_allowed = purchase_allowed.unwrap_or_else(|| !category.is_some_and(is_rental_category));
    if !rental_allowed && !purchase_allowed {
        p.add("purchase_allowed", "an item must be rentable, purchasable or both");
    }
    let item = CatalogItem {
        id: 0,
        hcpcs,
        description,
        category: category.unwrap_or(PaymentCategory::SU),
        rental_allowed,
        purchase_allowed,
        default_modifiers,
        unit,
    };
    p.finish(item)
}

/// Categories paid as monthly rentals by default.
fn is_rental_category(c: PaymentCategory) -> bool {
    matches!(c, PaymentCategory::CR | PaymentCategory::OX | PaymentCategory::FS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rental_and_purchase_default_by_category() {
        let item = |cat: &str| {
            validate(&CatalogItemInput {
                hcpcs: Some("e0601".into()),
                description: Some("CPAP".into()),
                category: Some(cat.into()),
                ..CatalogItemInput::default()
            })
            .unwrap()
        };
        assert_eq!((item("cr").rental_allowed, item("cr").purchase_allowed), (true, false));
        assert_eq!((item("SU").rental_allowed, item("SU").purchase_allowed), (false, true));
        assert_eq!(item("CR").hcpcs, "E0601");
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = CatalogItemInput {
            hcpcs: Some("E06".into()),
            category: Some("ZZ".into()),
            default_modifiers: Some("RRR".into()),
            unit: Some("crate".into()),
            rental_allowed: Some("no".into()),
            purchase_allowed: Some("no".into()),
            ..CatalogItemInput::default()
        };
        let fields: Vec<String> = validate(&bad).unwrap_err().0.into_iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["hcpcs", "description", "category", "default_modifiers", "unit", "purchase_allowed"]);
    }
}
