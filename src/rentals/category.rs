//! The Medicare DMEPOS payment category of a rented item, which decides every other rental
//! rule: how many months are paid, which month modifiers the claim carries, and what happens
//! after the last paid month (42 CFR 414 subpart D).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How Medicare pays for a rented item; the fee schedule's payment-category column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum PaymentCategory {
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

impl PaymentCategory {
    /// The two-letter code the fee schedule and the CLI use.
    pub fn code(self) -> &'static str {
        match self {
            PaymentCategory::CappedRental => "CR",
            PaymentCategory::Oxygen => "OX",
            PaymentCategory::FrequentServicing => "FS",
            PaymentCategory::Inexpensive => "IN",
        }
    }

    /// The most rental months Medicare pays in one period of continuous use, when the cap is a
    /// count of months: 13 for capped rental (42 CFR 414.229), 36 for oxygen (42 CFR 414.226).
    /// Frequent-servicing rentals have no cap; inexpensive items are capped by money instead
    /// (see `fees`).
    pub fn month_cap(self) -> Option<u32> {
        match self {
            PaymentCategory::CappedRental => Some(13),
            PaymentCategory::Oxygen => Some(36),
            PaymentCategory::FrequentServicing | PaymentCategory::Inexpensive => None,
        }
    }
}

impl fmt::Display for PaymentCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for PaymentCategory {
    type Err = String;

    /// Parses `CR`, `OX`, `FS` or `IN`, in any letter case.
    fn from_str(text: &str) -> Result<PaymentCategory, String> {
        match text.trim().to_ascii_uppercase().as_str() {
            "CR" => Ok(PaymentCategory::CappedRental),
            "OX" => Ok(PaymentCategory::Oxygen),
            "FS" => Ok(PaymentCategory::FrequentServicing),
            "IN" => Ok(PaymentCategory::Inexpensive),
            _ => Err(format!(
                "'{}' is not a rental payment category (use CR capped rental, OX oxygen, \
                 FS frequent and substantial servicing, or IN inexpensive/routinely purchased)",
                text.trim()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_fee_schedule_codes() {
        for (text, category) in [
            ("CR", PaymentCategory::CappedRental),
            ("ox", PaymentCategory::Oxygen),
            (" Fs ", PaymentCategory::FrequentServicing),
            ("IN", PaymentCategory::Inexpensive),
        ] {
            assert_eq!(text.parse::<PaymentCategory>(), Ok(category), "{text}");
            assert_eq!(category.to_string(), text.trim().to_ascii_uppercase());
        }
        for bad in ["", "XX", "CRR", "capped"] {
            assert!(bad.parse::<PaymentCategory>().is_err(), "{bad}");
        }
    }

    #[test]
    fn month_caps() {
        assert_eq!(PaymentCategory::CappedRental.month_cap(), Some(13));
        assert_eq!(PaymentCategory::Oxygen.month_cap(), Some(36));
        assert_eq!(PaymentCategory::FrequentServicing.month_cap(), None);
        assert_eq!(PaymentCategory::Inexpensive.month_cap(), None);
    }

    #[test]
    fn serializes_as_the_code() {
        assert_eq!(
            serde_json::to_string(&PaymentCategory::Oxygen).unwrap(),
            "\"OX\""
        );
    }
}
