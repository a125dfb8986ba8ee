//! Fee schedules: for each payer, what it allows and what the supplier bills for a HCPCS code
//! with a set of pricing modifiers, over a date range. Claims take their charge and expected
//! allowed amount from here; the rental engine takes the purchase price from here.

mod store;

pub use store::{add, create, for_code, get, list_for_payer, lookup, pick, update};

use crate::catalog::{join_modifiers, parse_hcpcs, parse_modifiers};
use crate::db::DbError;
use crate::money::Money;
use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A fee as entered on a form, the CLI or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct FeeInput {
    /// The payer's id in HME Desk
    #[arg(long)]
    pub payer_id: Option<String>,
    #[arg(long)]
    pub hcpcs: Option<String>,
    /// Pricing modifiers, like RR or NU (blank for none)
    #[arg(long)]
    pub modifiers: Option<String>,
    /// What the payer allows, in dollars
    #[arg(long)]
    pub allowed: Option<String>,
    /// What the supplier bills, in dollars
    #[arg(long)]
    pub charge: Option<String>,
    /// First date of service the fee applies to, YYYY-MM-DD
    #[arg(long)]
    pub effective: Option<String>,
    /// Last date of service the fee applies to (blank while open-ended)
    #[arg(long)]
    pub termination: Option<String>,
}

/// A fee on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Fee {
    pub id: i64,
    pub payer_id: i64,
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    pub allowed: Money,
    pub charge: Money,
    pub effective: NaiveDate,
    pub termination: Option<NaiveDate>,
}

/// Why a fee could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum FeeError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no fee with id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(FeeError);

impl Fee {
    /// True when the fee applies to a date of service.
    pub fn applies_on(&self, date: NaiveDate) -> bool {
        self.effective <= date && self.termination.is_none_or(|t| date <= t)
    }

    /// The record as a form, for editing.
    pub fn to_input(&self) -> FeeInput {
        FeeInput {
            payer_id: Some(self.payer_id.to_string()),
            hcpcs: Some(self.hcpcs.clone()),
            modifiers: Some(join_modifiers(&self.modifiers)),
            allowed: Some(self.allowed.to_string()),
            charge: Some(self.charge.to_string()),
            effective: Some(self.effective.to_string()),
            termination: self.termination.map(|t| t.to_string()),
        }
    }
}

/// Checks every field of `input` on its own and returns the fee (with id 0).
pub fn validate(input: &FeeInput) -> Result<Fee, Problems> {
    let mut p = Problems::new();
    let payer_id = match optional(input.payer_id.as_deref()).map(|v| v.parse::<i64>()) {
        Some(Ok(id)) if id > 0 => id,
        Some(_) => {
            p.add("payer_id", "must be the number of a payer on file");
            0
        }
        None => {
            p.add("payer_id", "is required");
            0
        }
    };
    let hcpcs = match optional(input.hcpcs.as_deref()) {
        Some(text) => parse_hcpcs(&text).unwrap_or_else(|e| {
            p.add("hcpcs", e);
            text
        }),
        None => {
            p.add("hcpcs", "is required");
            String::new()
        }
    };
    let modifiers = parse_modifiers(input.modifiers.as_deref().unwrap_or("")).unwrap_or_else(|e| {
        p.add("modifiers", e);
        Vec::new()
    });
    let allowed = amount(&mut p, "allowed", input.allowed.as_deref());
    let charge = amount(&mut p, "charge", input.charge.as_deref());
    let effective = p.required_date("effective", input.effective.as_deref());
    let termination = p.optional_date("termination", input.termination.as_deref());
    if let (Some(e), Some(t)) = (effective, termination) {
        if t < e {
            p.add("termination", "is before the effective date");
        }
    }
    let fee = Fee {
        id: 0,
        payer_id,
        hcpcs,
        modifiers,
        allowed,
        charge,
        effective: effective.unwrap_or_default(),
        termination,
    };
    p.finish(fee)
}

/// A required amount of money that may not be negative.
fn amount(p: &mut Problems, field: &str, value: Option<&str>) -> Money {
    match optional(value).map(|v| v.parse::<Money>()) {
        Some(Ok(m)) if m.is_negative() => {
            p.add(field, "may not be negative");
            m
        }
        Some(Ok(m)) => m,
        Some(Err(e)) => {
            p.add(field, e.to_string());
            Money::ZERO
        }
        None => {
            p.add(field, "is required");
            Money::ZERO
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_decimals() {
        let fee = validate(&FeeInput {
            payer_id: Some("1".into()),
            hcpcs: Some("e0601".into()),
            modifiers: Some("rr".into()),
            allowed: Some("93.43".into()),
            charge: Some("$150".into()),
            effective: Some("2026-01-01".into()),
            ..FeeInput::default()
        })
        .unwrap();
        assert_eq!((fee.allowed.to_string(), fee.charge.to_string()), ("93.43".into(), "150.00".into()));
        assert_eq!(fee.modifiers, vec!["RR"]);
    }

    #[test]
    fn bad_amounts_name_their_field() {
        let problems = validate(&FeeInput {
            payer_id: Some("x".into()),
            hcpcs: Some("E0601".into()),
            allowed: Some("93.431".into()),
            charge: Some("-1".into()),
            effective: Some("2026-01-01".into()),
            termination: Some("2025-01-01".into()),
            ..FeeInput::default()
        })
        .unwrap_err()
        .to_string();
        assert_eq!(
            problems,
            "payer_id: must be the number of a payer on file; allowed: '93.431' has more than two decimal places; \
             charge: may not be negative; termination: is before the effective date"
        );
    }
}
