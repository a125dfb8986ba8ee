//! HCPCS Level II codes as the rental rules see them: one letter and four digits, plus the
//! code ranges that change a rule (power wheelchairs, oxygen contents).

use serde::{Serialize, Serializer};
use std::fmt;

/// A HCPCS Level II code such as `E0601` or `K0823`, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hcpcs(String);

impl Hcpcs {
    /// Reads a code as typed (`e0601` is accepted as `E0601`); the message says what is wrong.
    pub fn parse(text: &str) -> Result<Hcpcs, String> {
        crate::catalog::parse_hcpcs(text).map(Hcpcs)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the code lies in `first..=last` (same letter, numeric part in range).
    pub fn in_range(&self, first: &str, last: &str) -> bool {
        self.0.len() == first.len() && self.0.as_str() >= first && self.0.as_str() <= last
    }

    /// Power wheelchairs (K0813–K0864) are paid 15% then 6% of the purchase price per rental
    /// month instead of 10% then 7.5%, for rentals from 2011-01-01 (Affordable Care Act §3136,
    /// 42 CFR 414.229; DME MAC "Capped Rental Items" pages).
    pub fn is_power_wheelchair(&self) -> bool {
        self.in_range("K0813", "K0864")
    }
}

impl fmt::Display for Hcpcs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Hcpcs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl ts_rs::TS for Hcpcs {
    type WithoutGenerics = Hcpcs;
    type OptionInnerType = Hcpcs;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_string()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "string".to_string()
    }
    fn decl(_: &ts_rs::Config) -> String {
        "type Hcpcs = string;".to_string()
    }
    fn decl_concrete(c: &ts_rs::Config) -> String {
        Self::decl(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_as_typed() {
        assert_eq!(Hcpcs::parse(" e0601 ").unwrap().as_str(), "E0601");
        for bad in ["", "E060", "E06011", "00601", "E06O1", "É0601"] {
            assert!(Hcpcs::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn power_wheelchair_range() {
        for (code, pwc) in
            [("K0812", false), ("K0813", true), ("K0823", true), ("K0864", true), ("K0865", false), ("E1390", false)]
        {
            assert_eq!(Hcpcs::parse(code).unwrap().is_power_wheelchair(), pwc, "{code}");
        }
    }
}
