//! Payers: Medicare's DME MACs, Medicaid plans, commercial insurers and self-pay, with the
//! electronic payer id and the claim filing indicator (X12 SBR09) their claims carry.

mod store;

pub use store::{add, create, get, list, update};

use crate::db::DbError;
use crate::validation::{optional, Problems};
use serde::{Deserialize, Serialize};

/// A payer as entered on a form, the CLI or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct PayerInput {
    #[arg(long)]
    pub name: Option<String>,
    /// medicare_dme, medicaid, commercial or self_pay
    #[arg(long)]
    pub kind: Option<String>,
    /// Electronic payer id used by the clearinghouse (e.g. 18003 for the Jurisdiction C DME MAC)
    #[arg(long)]
    pub payer_id: Option<String>,
    /// Claim filing indicator code (X12 SBR09: MB, MC, CI, BL, HM, 12, ...); defaults by kind
    #[arg(long)]
    pub claim_filing_indicator: Option<String>,
    #[arg(long)]
    pub address1: Option<String>,
    #[arg(long)]
    pub address2: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long)]
    pub zip: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
}

crate::coded_enum! {
    /// What kind of payer this is; it decides which rules apply (Medicare's CMN cut-off, MBI
    /// member ids, PECOS).
    PayerKind {
        MedicareDme = "medicare_dme",
        Medicaid = "medicaid",
        Commercial = "commercial",
        SelfPay = "self_pay",
    }
}

impl PayerKind {
    /// The claim filing indicator a payer of this kind usually takes.
    fn default_filing_indicator(self) -> &'static str {
        match self {
            PayerKind::MedicareDme => "MB",
            PayerKind::Medicaid => "MC",
            PayerKind::Commercial => "CI",
            PayerKind::SelfPay => "09",
        }
    }
}

/// Claim filing indicator codes allowed in 837P SBR09 (005010X222A1, loop 2000B).
pub const CLAIM_FILING_INDICATORS: &[(&str, &str)] = &[
    ("11", "Other non-federal programs"),
    ("12", "Preferred provider organization (PPO)"),
    ("13", "Point of service (POS)"),
    ("14", "Exclusive provider organization (EPO)"),
    ("15", "Indemnity insurance"),
    ("16", "Health maintenance organization (HMO) Medicare risk"),
    ("17", "Dental maintenance organization"),
    ("AM", "Automobile medical"),
    ("BL", "Blue Cross/Blue Shield"),
    ("CH", "CHAMPUS (TRICARE)"),
    ("CI", "Commercial insurance"),
    ("DS", "Disability"),
    ("FI", "Federal employees program"),
    ("HM", "Health maintenance organization"),
    ("LM", "Liability medical"),
    ("MA", "Medicare Part A"),
    ("MB", "Medicare Part B"),
    ("MC", "Medicaid"),
    ("OF", "Other federal program"),
    ("TV", "Title V"),
    ("VA", "Veterans Affairs plan"),
    ("WC", "Workers' compensation health claim"),
    ("ZZ", "Mutually defined"),
    ("09", "Self-pay"),
];

/// A payer on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Payer {
    pub id: i64,
    pub name: String,
    pub kind: PayerKind,
    /// The electronic payer id, absent for paper-only payers and self-pay.
    pub payer_id: Option<String>,
    pub claim_filing_indicator: String,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub phone: Option<String>,
}

/// Why a payer could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum PayerError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no payer with id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(PayerError);

impl Payer {
    /// True for Medicare, whose special rules (MBI, PECOS, no CMNs from 2023) apply.
    pub fn is_medicare(&self) -> bool {
        self.kind == PayerKind::MedicareDme
    }

    /// The record as a form, for editing.
    pub fn to_input(&self) -> PayerInput {
        PayerInput {
            name: Some(self.name.clone()),
            kind: Some(self.kind.code().to_string()),
            payer_id: self.payer_id.clone(),
            claim_filing_indicator: Some(self.claim_filing_indicator.clone()),
            address1: self.address1.clone(),
            address2: self.address2.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: self.zip.clone(),
            phone: self.phone.clone(),
        }
    }
}

/// Checks every field of `input` and returns the payer it describes (with id 0).
pub fn validate(input: &PayerInput) -> Result<Payer, Problems> {
    let mut p = Problems::new();
    let name = p.required("name", input.name.as_deref());
    let kind = match optional(input.kind.as_deref()) {
        None => {
            p.add("kind", "is required (medicare_dme, medicaid, commercial or self_pay)");
            None
        }
        Some(_) => p.choice("kind", input.kind.as_deref(), PayerKind::CHOICES),
    };
    let payer_id = optional(input.payer_id.as_deref()).map(|s| s.to_ascii_uppercase());
    if let Some(id) = &payer_id {
        if id.len() < 2 || id.len() > 80 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            p.add("payer_id", format!("'{id}' is not an electronic payer id (2 to 80 letters and digits)"));
        }
    }
    if kind == Some(PayerKind::MedicareDme) && payer_id.is_none() {
        p.add("payer_id", "is required for Medicare (the DME MAC's CEDI payer id)");
    }
    let indicator = match optional(input.claim_filing_indicator.as_deref()).map(|s| s.to_ascii_uppercase()) {
        Some(code) if CLAIM_FILING_INDICATORS.iter().any(|(c, _)| *c == code) => code,
        Some(code) => {
            p.add(
                "claim_filing_indicator",
                format!("'{code}' is not an X12 claim filing indicator (such as MB, MC, CI, BL)"),
            );
            code
        }
        None => kind.map_or("", |k| k.default_filing_indicator()).to_string(),
    };
    if kind == Some(PayerKind::MedicareDme) && indicator != "MB" {
        p.add("claim_filing_indicator", "Medicare DME claims are filed with indicator MB (Medicare Part B)");
    }
    let payer = Payer {
        id: 0,
        name,
        kind: kind.unwrap_or(PayerKind::Commercial),
        payer_id,
        claim_filing_indicator: indicator,
        address1: optional(input.address1.as_deref()),
        address2: optional(input.address2.as_deref()),
        city: optional(input.city.as_deref()),
        state: p.state("state", input.state.as_deref()),
        zip: p.zip("zip", input.zip.as_deref()),
        phone: p.phone("phone", input.phone.as_deref()),
    };
    p.finish(payer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str) -> PayerInput {
        PayerInput {
            name: Some("Payer".into()),
            kind: Some(kind.into()),
            payer_id: Some("18003".into()),
            ..PayerInput::default()
        }
    }

    #[test]
    fn filing_indicator_defaults_by_kind() {
        for (kind, code) in [("medicare_dme", "MB"), ("medicaid", "MC"), ("commercial", "CI"), ("self_pay", "09")] {
            assert_eq!(validate(&input(kind)).unwrap().claim_filing_indicator, code);
        }
    }

    #[test]
    fn medicare_rules() {
        let no_id = PayerInput { payer_id: None, ..input("medicare_dme") };
        assert!(validate(&no_id).unwrap_err().to_string().contains("payer_id: is required for Medicare"));
        let wrong = PayerInput { claim_filing_indicator: Some("CI".into()), ..input("medicare_dme") };
        assert!(validate(&wrong).unwrap_err().to_string().contains("indicator MB"));
        let bogus = PayerInput { claim_filing_indicator: Some("QQ".into()), ..input("commercial") };
        assert!(validate(&bogus).unwrap_err().to_string().contains("'QQ' is not an X12 claim filing indicator"));
        let kindless = PayerInput { kind: Some("hmo".into()), ..input("commercial") };
        assert!(validate(&kindless).unwrap_err().to_string().contains("kind: 'hmo' is not one of"));
    }
}
