//! The Medicare DMEPOS payment category of a rented item, which decides every other rental
//! rule: how many months are paid, which month modifiers the claim carries, and what happens
//! after the last paid month (42 CFR 414 subpart D). Only the four categories that can be
//! rented; the catalog's [`PaymentCategory`] holds them all.

use crate::catalog::PaymentCategory;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How Medicare pays for a rented item: the rental categories of the fee schedule's
/// payment-category column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum RentalCategory {
    /// Capped rental (42 CFR 414.229): at most 13 paid months, then title passes to the patient.
    #[serde(rename = "CR")]
    CappedRental,
    /// Oxygen and oxygen equipment (42 CFR 414.226): 36 paid months, then the supplier keeps
    /// furnishing until the end of the 5-year reasonable useful lifetime.
    #[serde(rename = "OX")]
    Oxygen,
    /// Items requiring frequent and substantial servicing (42 CFR 414.222): paid monthly for
    /// as long as the need lasts, with no cap.
    #[serde(rename = "FS")]
    FrequentServicing,
    /// Inexpensive or routinely purchased items, rented (42 CFR 414.220): rent stops once the
    /// rental paid reaches the purchase allowable.
    #[serde(rename = "IN")]
    Inexpensive,
}

impl RentalCategory {
    /// The two-letter code the fee schedule and the CLI use.
    pub fn code(self) -> &'static str {
        match self {
            RentalCategory::CappedRental => "CR",
            RentalCategory::Oxygen => "OX",
            RentalCategory::FrequentServicing => "FS",
            RentalCategory::Inexpensive => "IN",
        }
    }

    /// The most rental months Medicare pays in one period of continuous use, when the cap is a
    /// count of months: 13 for capped rental (42 CFR 414.229), 36 for oxygen (42 CFR 414.226).
    /// Frequent-servicing rentals have no cap; inexpensive items are capped by money instead
    /// (see `fees`).
    pub fn month_cap(self) -> Option<u32> {
        match self {
            RentalCategory::CappedRental => Some(13),
            RentalCategory::Oxygen => Some(36),
            RentalCategory::FrequentServicing | RentalCategory::Inexpensive => None,
        }
    }
}

impl fmt::Display for RentalCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<PaymentCategory> for RentalCategory {
    type Error = PaymentCategory;

    /// The rental category of a catalog category, or the category back when it is not rented
    /// monthly (supplies, prosthetics, dressings...).
    fn try_from(category: PaymentCategory) -> Result<RentalCategory, PaymentCategory> {
        match category {
            PaymentCategory::CR => Ok(RentalCategory::CappedRental),
            PaymentCategory::OX => Ok(RentalCategory::Oxygen),
            PaymentCategory::FS => Ok(RentalCategory::FrequentServicing),
            PaymentCategory::IN => Ok(RentalCategory::Inexpensive),
            other => Err(other),
        }
    }
}

impl FromStr for RentalCategory {
    type Err = String;

    /// Parses `CR`, `OX`, `FS` or `IN`, in any letter case.
    fn from_str(text: &str) -> Result<RentalCategory, String> {
        let category = PaymentCategory::from_code(text).ok_or(text.trim());
        category.and_then(|c| RentalCategory::try_from(c).map_err(|_| text.trim())).map_err(|text| {
            format!(
                "'{text}' is not a rental payment category (use CR capped rental, OX oxygen, \
                 FS frequent and substantial servicing, or IN inexpensive/routinely purchased)"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_fee_schedule_codes() {
        for (text, category) in [
            ("CR", RentalCategory::CappedRental),
            ("ox", RentalCategory::Oxygen),
            (" Fs ", RentalCategory::FrequentServicing),
            ("IN", RentalCategory::Inexpensive),
        ] {
            assert_eq!(text.parse::<RentalCategory>(), Ok(category), "{text}");
            assert_eq!(category.to_string(), text.trim().to_ascii_uppercase());
        }
        for bad in ["", "XX", "CRR", "capped", "SU", "PO"] {
            assert!(bad.parse::<RentalCategory>().is_err(), "{bad}");
        }
    }

    #[test]
    fn catalog_categories() {
        assert_eq!(RentalCategory::try_from(PaymentCategory::CR), Ok(RentalCategory::CappedRental));
        assert_eq!(RentalCategory::try_from(PaymentCategory::SU), Err(PaymentCategory::SU));
    }

    #[test]
    fn month_caps() {
        assert_eq!(RentalCategory::CappedRental.month_cap(), Some(13));
        assert_eq!(RentalCategory::Oxygen.month_cap(), Some(36));
        assert_eq!(RentalCategory::FrequentServicing.month_cap(), None);
        assert_eq!(RentalCategory::Inexpensive.month_cap(), None);
    }

    #[test]
    fn serializes_as_the_code() {
        assert_eq!(serde_json::to_string(&RentalCategory::Oxygen).unwrap(), "\"OX\"");
    }
}
