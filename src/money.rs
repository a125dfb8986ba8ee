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

    /// Builds an amount from whole cents, the form the database stores. From its parts, which
    /// inline to a value built in registers: an 835 holds millions of amounts.
    #[inline]
    pub fn from_cents(cents: i64) -> Money {
        let magnitude = cents.unsigned_abs();
        Money(Decimal::from_parts(magnitude as u32, (magnitude >> 32) as u32, 0, cents < 0, 2))
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

impl Money {
    /// Parses an X12 decimal amount (TR3 "R" type): an optional leading `-`, digits, an
    /// optional `.` with decimals, nothing else — no `$`, commas, plus sign or exponent.
    /// Zeros past the cents are accepted (`7.500`); any other third decimal is refused as
    /// [`MoneyError::TooPrecise`], never rounded. Reads without allocating, because an 835
    /// holds millions of amounts.
    pub fn from_x12(text: &str) -> Result<Money, MoneyError> {
        Money::from_x12_bytes(text.as_bytes())
    }

    /// [`Money::from_x12`] straight from the bytes of an X12 element.
    #[inline]
    pub fn from_x12_bytes(bytes: &[u8]) -> Result<Money, MoneyError> {
        match plain_cents(bytes) {
            Some(cents) => Ok(Money::from_cents(cents)),
            None => Money::from_unusual_x12(bytes),
        }
    }

    /// The whole grammar of [`Money::from_x12`], with its errors, for what [`plain_cents`]
    /// does not take.
    fn from_unusual_x12(bytes: &[u8]) -> Result<Money, MoneyError> {
        let text = || String::from_utf8_lossy(bytes).into_owned();
        let (negative, digits) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            _ => (false, bytes),
        };
        let mut cents: i64 = 0;
        let mut decimals: Option<u32> = None;
        let mut any_digit = false;
        for &b in digits {
            match (b, decimals) {
                (b'.', None) => decimals = Some(0),
                (b'0'..=b'9', _) => {
                    any_digit = true;
                    let d = i64::from(b - b'0');
                    match decimals {
                        Some(n) if n >= 2 => {
                            if d != 0 {
                                return Err(MoneyError::TooPrecise(text()));
                            }
                        }
                        _ => {
                            cents = cents
                                .checked_mul(10)
                                .and_then(|c| c.checked_add(d))
                                .ok_or_else(|| MoneyError::TooLarge(text()))?;
                            decimals = decimals.map(|n| n + 1);
                        }
                    }
                }
                _ => return Err(MoneyError::NotANumber(text())),
            }
        }
        if !any_digit {
            return Err(MoneyError::NotANumber(text()));
        }
        for _ in decimals.unwrap_or(0).min(2)..2 {
            cents = cents.checked_mul(10).ok_or_else(|| MoneyError::TooLarge(text()))?;
        }
        if cents > MAX_CENTS {
            return Err(MoneyError::TooLarge(text()));
        }
        Ok(Money::from_cents(if negative { -cents } else { cents }))
    }
}

/// The amount in the form nearly every X12 amount takes, `-`? digits, then `.` and one or
/// two digits or nothing, in cents; `None` for anything else (which the full parser reads
/// or refuses). At most 13 digits before the point, so it is always below [`MAX_CENTS`].
#[inline]
fn plain_cents(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    let whole_len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if whole_len == 0 || whole_len > 13 {
        return None;
    }
    let (whole, rest) = digits.split_at(whole_len);
    let fraction = match *rest {
        [] => 0,
        [b'.', d] if d.is_ascii_digit() => 10 * i64::from(d - b'0'),
        [b'.', d, e] if d.is_ascii_digit() && e.is_ascii_digit() => 10 * i64::from(d - b'0') + i64::from(e - b'0'),
        _ => return None,
    };
    let cents = whole.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')) * 100 + fraction;
    Some(if negative { -cents } else { cents })
}

/// The largest amount in cents [`Money::from_x12`] accepts: X12 amounts are at most 18
/// characters, and this keeps any sum of a file's amounts far from overflowing.
const MAX_CENTS: i64 = 999_999_999_999_999;

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
    #[inline]
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    #[inline]
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    #[inline]
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    #[inline]
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    #[inline]
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
        for c in [0, 1, -1, 12550, -999_999, 1_000_000_000, 1 << 40, -(1 << 33) - 7, i64::MAX, i64::MIN] {
            assert_eq!(Money::from_cents(c).cents(), c);
            assert_eq!(Money::from_cents(c).decimal(), Decimal::new(c, 2), "{c}");
        }
        assert!(!Money::from_cents(0).decimal().is_sign_negative());
    }

    #[test]
    fn x12_form_drops_trailing_zeros() {
        assert_eq!(m("125.50").x12(), "125.5");
        assert_eq!(m("125.00").x12(), "125");
        assert_eq!(m("0").x12(), "0");
        assert_eq!(m("-3.05").x12(), "-3.05");
    }

    #[test]
    fn x12_amounts_are_strict() {
        for (input, cents) in [
            ("125", 12500),
            ("125.5", 12550),
            ("-3.05", -305),
            (".5", 50),
            ("7.500", 750),
            ("0", 0),
            ("-0", 0),
            ("12.", 1200),
        ] {
            assert_eq!(Money::from_x12(input), Ok(Money::from_cents(cents)), "{input}");
        }
        for input in ["", "-", ".", "$5", "1,000", "+5", "1e3", "1.2.3", " 5", "--5"] {
            assert!(matches!(Money::from_x12(input), Err(MoneyError::NotANumber(_))), "{input}");
        }
        assert!(matches!(Money::from_x12("1.005"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(Money::from_x12("99999999999999999999"), Err(MoneyError::TooLarge(_))));
    }

    #[test]
    fn the_quick_path_for_plain_amounts_agrees_with_the_full_grammar() {
        let mut taken = 0;
        for sign in ["", "-", "+"] {
            for whole in ["", "0", "7", "125", "1234567890123", "12345678901234", "999999999999999"] {
                for fraction in ["", ".", ".5", ".05", ".50", ".500", ".505", "5", ".x", ". 5"] {
                    let input = format!("{sign}{whole}{fraction}");
                    if let Some(cents) = plain_cents(input.as_bytes()) {
                        taken += 1;
                        assert_eq!(Ok(Money::from_cents(cents)), Money::from_unusual_x12(input.as_bytes()), "{input}");
                    }
                }
            }
        }
        // No plus; up to 13 digits (4 of the wholes) with nothing, one or two decimals after
        // a point (4 fractions), and the 4 runs of digits a bare "5" makes of them.
        assert_eq!(taken, 2 * (4 * 4 + 4));
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
