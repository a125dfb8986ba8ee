//! Reading typed values out of elements: text, codes, amounts, quantities and dates, each
//! failing with a positioned problem that names the element (`CLP04 '12,50' is not an
//! amount …`).

use super::code::Code;
use super::error::{ErrorKind, X12Error};
use super::segment::Segment;
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Element `n` as text, which must not be empty; `what` says what it is for the message.
#[inline]
pub fn required<'a>(seg: &Segment<'a>, n: usize, what: &str) -> Result<&'a str, X12Error> {
    let text = seg.text(n)?;
    if text.is_empty() {
        return Err(seg.error(n, ErrorKind::Missing { element: seg.name(n), what: what.to_string() }));
    }
    Ok(text)
}

/// Element `n` as text, `None` when empty.
pub fn optional<'a>(seg: &Segment<'a>, n: usize) -> Result<Option<&'a str>, X12Error> {
    seg.text(n).map(|t| (!t.is_empty()).then_some(t))
}

/// A problem saying element `n` holds a value not allowed there.
pub fn invalid(seg: &Segment<'_>, n: usize, value: &str, why: impl Into<String>) -> X12Error {
    seg.error(n, ErrorKind::Invalid { element: seg.name(n), value: value.to_string(), why: why.into() })
}

/// Element `n` as a required amount of money.
#[inline]
pub fn amount(seg: &Segment<'_>, n: usize, what: &str) -> Result<Money, X12Error> {
    let raw = seg.trimmed(n);
    if raw.is_empty() {
        return Err(seg.error(n, ErrorKind::Missing { element: seg.name(n), what: what.to_string() }));
    }
    Money::from_x12_bytes(raw).map_err(|e| invalid(seg, n, &String::from_utf8_lossy(raw), why_not_money(&e)))
}

/// Element `n` as an amount of money, `None` when empty.
#[inline]
pub fn optional_amount(seg: &Segment<'_>, n: usize) -> Result<Option<Money>, X12Error> {
    if seg.trimmed(n).is_empty() {
        return Ok(None);
    }
    amount(seg, n, "amount").map(Some)
}

fn why_not_money(e: &crate::money::MoneyError) -> &'static str {
    use crate::money::MoneyError::*;
    match e {
        NotANumber(_) => "is not an amount (digits, an optional '-' and '.', like 125.5)",
        TooPrecise(_) => "has more than two decimal places, which an amount of money cannot have",
        TooLarge(_) => "is too large to be an amount",
    }
}

/// Element `n` as a decimal quantity (units, percentages), `None` when empty. Whole
/// numbers (nearly every unit count) are read without going through text.
#[inline]
pub fn optional_decimal(seg: &Segment<'_>, n: usize) -> Result<Option<Decimal>, X12Error> {
    let raw = seg.trimmed(n);
    if (1..=18).contains(&raw.len()) && raw.iter().all(u8::is_ascii_digit) {
        let whole = raw.iter().fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
        return Ok(Some(Decimal::from(whole)));
    }
    match optional(seg, n)? {
        Some(text) if text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') => {
            Decimal::from_str_exact(text).map(Some).map_err(|_| invalid(seg, n, text, "is not a number"))
        }
        Some(text) => Err(invalid(seg, n, text, "is not a number")),
        None => Ok(None),
    }
}

/// Element `n` as a required `CCYYMMDD` date.
#[inline]
pub fn date(seg: &Segment<'_>, n: usize, what: &str) -> Result<NaiveDate, X12Error> {
    let raw = seg.trimmed(n);
    if raw.is_empty() {
        return Err(seg.error(n, ErrorKind::Missing { element: seg.name(n), what: what.to_string() }));
    }
    date_bytes(raw).ok_or_else(|| invalid(seg, n, &String::from_utf8_lossy(raw), "is not a date in the form CCYYMMDD"))
}

/// Element `n` as a `CCYYMMDD` date, `None` when empty.
pub fn optional_date(seg: &Segment<'_>, n: usize) -> Result<Option<NaiveDate>, X12Error> {
    if seg.trimmed(n).is_empty() {
        return Ok(None);
    }
    date(seg, n, "date").map(Some)
}

/// Parses `CCYYMMDD` without allocating.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    date_bytes(text.as_bytes())
}

#[inline]
fn date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    NaiveDate::from_ymd_opt(num(0..4) as i32, num(4..6), num(6..8))
}

/// Element `n` as a code, `None` when empty.
#[inline]
pub fn optional_code(seg: &Segment<'_>, n: usize) -> Result<Option<Code>, X12Error> {
    let raw = seg.trimmed(n);
    if raw.is_empty() {
        return Ok(None);
    }
    Code::read_bytes(seg, n, raw).map(Some)
}

/// A date or a range of dates, as DTP segments carry them (`D8` or `RD8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day (the same as `start` for a single date).
    pub end: NaiveDate,
}

/// Reads a DTP-style date: element `format` (`D8` or `RD8`) says how element `n` is written.
pub fn period(seg: &Segment<'_>, format: usize, n: usize) -> Result<Period, X12Error> {
    let text = required(seg, n, "date")?;
    let bad = || invalid(seg, n, text, "is not a date (CCYYMMDD) or a date range (CCYYMMDD-CCYYMMDD)");
    match seg.text(format)? {
        "RD8" => {
            let (a, b) = text.split_once('-').ok_or_else(bad)?;
            let (start, end) = (parse_date(a).ok_or_else(bad)?, parse_date(b).ok_or_else(bad)?);
            if end < start {
                return Err(invalid(seg, n, text, "ends before it starts"));
            }
            Ok(Period { start, end })
        }
        "D8" | "" => parse_date(text).map(|d| Period { start: d, end: d }).ok_or_else(bad),
        other => Err(invalid(seg, format, other, "is not a date format this program reads (D8 or RD8)")),
    }
}

/// Appends element `n`'s text to `out` (clearing it first), so a reused record keeps its
/// allocation.
#[inline]
pub fn fill(out: &mut String, seg: &Segment<'_>, n: usize) -> Result<(), X12Error> {
    out.clear();
    out.push_str(seg.text(n)?);
    Ok(())
}
