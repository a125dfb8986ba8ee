//! Money has one door: every amount in HME Desk is a [`Money`], built from text or cents,
//! never from a float.
//!
//! Amounts are US dollars with exactly two decimal places. The database stores them as
//! integer cents (exact, and summable in SQL); the UI and JSON see decimal strings; X12 sees
//! the shortest form the TR3 allows (`x12()`). Rounding happens only where a rule says so
//! (`Money::round_from`), half away from zero, as CMS fee arithmetic does.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

/// An exact amount of US dollars, always held at two decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// Why a piece of text is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("'{0}' is not an amount (use digits with an optional '.' and cents, like 125.50)")]
    NotANumber(String),
    #[error("'{0}' has more than two decimal places")]
    TooPrecise(String),
    #[error("'{0}' is too large")]
    TooLarge(String),
}

impl Money {
    /// Zero dollars.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Builds an amount from whole cents, the form the database stores.
    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    /// The amount in whole cents, for storage. Exact because amounts never carry more than
    /// two decimals.
    pub fn cents(self) -> i64 {
        let scaled = (self.0 * Decimal::ONE_HUNDRED).trunc();
        i64::try_from(scaled).unwrap_or(if scaled.is_sign_negative() { i64::MIN } else { i64::MAX })
    }

    /// Rounds a computed decimal (a percentage of a fee, say) to cents, half away from zero.
    /// This is the only rounding point for money in the program.
    pub fn round_from(value: Decimal) -> Money {
        let mut v = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        v.rescale(2);
        Money(v)
    }

    /// The exact decimal value.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// True for amounts below zero (reversals, recoupments).
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// True for exactly zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// The X12 form of an amount: no trailing zeros after the point, no lone point, no
    /// leading plus (X12 R/decimal type, TR3 section B.1.1.3.1.3).
    pub fn x12(self) -> String {
        self.0.normalize().to_string()
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Parses what a person types: `125`, `125.5`, `125.50`, `-3.10`, with an optional `$`
    /// and thousands commas. More than two decimals is refused rather than rounded.
    fn from_str(text: &str) -> Result<Money, MoneyError> {
        let cleaned: String = text.trim().replacen('$', "", 1).replace(',', "");
        if cleaned.is_empty() || cleaned.contains(['e', 'E']) {
            return Err(MoneyError::NotANumber(text.to_string()));
        }
        let value = Decimal::from_str_exact(&cleaned).map_err(|e| match e {
            rust_decimal::Error::ExceedsMaximumPossibleValue | rust_decimal::Error::LessThanMinimumPossibleValue => {
                MoneyError::TooLarge(text.to_string())
            }
            _ => MoneyError::NotANumber(text.to_string()),
        })?;
        if value.scale() > 2 && value.normalize().scale() > 2 {
            return Err(MoneyError::TooPrecise(text.to_string()));
        }
        if value.abs() > Decimal::new(i64::MAX / 100, 0) / Decimal::ONE_HUNDRED {
            return Err(MoneyError::TooLarge(text.to_string()));
        }
        let mut v = value.normalize();
        v.rescale(2);
        Ok(Money(v))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl ts_rs::TS for Money {
    type WithoutGenerics = Money;
    type OptionInnerType = Money;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_string()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "string".to_string()
    }
    fn decl(_: &ts_rs::Config) -> String {
        "type Money = string;".to_string()
    }
    fn decl_concrete(c: &ts_rs::Config) -> String {
        Self::decl(c)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl rusqlite::ToSql for Money {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.cents().into())
    }
}

impl rusqlite::types::FromSql for Money {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Money> {
        i64::column_result(v).map(Money::from_cents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn parses_what_people_type() {
        for (input, shown) in [
            ("125", "125.00"),
            ("125.5", "125.50"),
            ("$1,234.56", "1234.56"),
            ("-3.10", "-3.10"),
            (" 0 ", "0.00"),
            ("7.500", "7.50"),
        ] {
            assert_eq!(m(input).to_string(), shown, "{input}");
        }
    }

    #[test]
    fn refuses_what_is_not_money() {
        assert!(matches!("".parse::<Money>(), Err(MoneyError::NotANumber(_))));
        assert!(matches!("abc".parse::<Money>(), Err(MoneyError::NotANumber(_))));
        assert!(matches!("1e5".parse::<Money>(), Err(MoneyError::NotANumber(_))));
        assert!(matches!("1.005".parse::<Money>(), Err(MoneyError::TooPrecise(_))));
        assert!(matches!("99999999999999999999999".parse::<Money>(), Err(MoneyError::TooLarge(_))));
    }

    #[test]
    fn cents_round_trip() {
        for c in [0, 1, -1, 12550, -999_999, 1_000_000_000] {
            assert_eq!(Money::from_cents(c).cents(), c);
        }
    }

    #[test]
    fn x12_form_drops_trailing_zeros() {
        assert_eq!(m("125.50").x12(), "125.5");
        assert_eq!(m("125.00").x12(), "125");
        assert_eq!(m("0").x12(), "0");
        assert_eq!(m("-3.05").x12(), "-3.05");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(Money::round_from(Decimal::new(92_5925, 4)).to_string(), "92.59");
        assert_eq!(Money::round_from(Decimal::new(10_125, 3)).to_string(), "10.13");
        assert_eq!(Money::round_from(Decimal::new(-10_125, 3)).to_string(), "-10.13");
    }

    #[test]
    fn serializes_as_a_decimal_string() {
        assert_eq!(serde_json::to_string(&m("12.3")).unwrap(), "\"12.30\"");
        let back: Money = serde_json::from_str("\"12.30\"").unwrap();
        assert_eq!(back, m("12.30"));
    }
}
