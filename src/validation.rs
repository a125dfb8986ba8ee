//! Field validation shared by every intake form: collects *every* problem with an input
//! (the UI shows them all inline at once) and parses the common US formats — dates, states,
//! ZIP codes, phone numbers, email.
//!
//! Core functions take raw text from the UI, the CLI and CSV files alike and either return a
//! typed value or [`Problems`], each naming the field and saying what is wrong in plain words.

use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// One thing wrong with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Problem {
    /// The field's name as the form, the CLI flag (with `_` for `-`) and the CSV column spell it.
    pub field: String,
    /// What is wrong, in words a front desk can act on.
    pub message: String,
}

/// Every problem found with an input; empty means the input is good.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", p.field, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The US state and territory codes the USPS uses, which payers expect in addresses.
const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU", "AS", "MP",
];

impl Problems {
    /// Starts an empty list.
    pub fn new() -> Problems {
        Problems::default()
    }

    /// A list holding one problem, for checks that are not about a form.
    pub fn one(field: &str, message: impl Into<String>) -> Problems {
        let mut p = Problems::new();
        p.add(field, message);
        p
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(Problem { field: field.to_string(), message: message.into() });
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was wrong, else every problem found.
    pub fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// The trimmed text of a required field, or a problem saying it is missing.
    pub fn required(&mut self, field: &str, value: Option<&str>) -> String {
        match optional(value) {
            Some(v) => v,
            None => {
                self.add(field, "is required");
                String::new()
            }
        }
    }

    /// A required date in `YYYY-MM-DD` form (also accepts `MM/DD/YYYY`, as typed in the US).
    pub fn required_date(&mut self, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        match optional(value) {
            Some(v) => self.date_text(field, &v),
            None => {
                self.add(field, "is required");
                None
            }
        }
    }

    /// An optional date; blank is `None`, anything else must be a real date.
    pub fn optional_date(&mut self, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        optional(value).and_then(|v| self.date_text(field, &v))
    }

    fn date_text(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        match parse_date(text) {
            Some(d) => Some(d),
            None => {
                self.add(field, format!("'{text}' is not a date (use YYYY-MM-DD)"));
                None
            }
        }
    }

    /// An optional two-letter US state code, upper-cased.
    pub fn state(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let v = optional(value)?.to_ascii_uppercase();
        if US_STATES.contains(&v.as_str()) {
            Some(v)
        } else {
            self.add(field, format!("'{v}' is not a US state code (two letters, like TX)"));
            None
        }
    }

    /// An optional ZIP code: 5 digits or ZIP+4 (`12345-6789` or 9 digits), stored as digits.
    pub fn zip(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let v = optional(value)?;
        let digits: String = v.chars().filter(|c| *c != '-').collect();
        let shape_ok = match v.find('-') {
            Some(5) => v.len() == 10,
            Some(_) => false,
            None => true,
        };
        if shape_ok && (digits.len() == 5 || digits.len() == 9) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Some(digits)
        } else {
            self.add(field, format!("'{v}' is not a ZIP code (5 digits, or ZIP+4)"));
            None
        }
    }

    /// An optional US phone number: any punctuation, 10 digits (a leading 1 is dropped).
    pub fn phone(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let v = optional(value)?;
        let mut digits: String = v.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 11 && digits.starts_with('1') {
            digits.remove(0);
        }
        let only_punctuation = v.chars().all(|c| c.is_ascii_digit() || " ()-.+".contains(c));
        if digits.len() == 10 && only_punctuation {
            Some(digits)
        } else {
            self.add(field, format!("'{v}' is not a 10-digit phone number"));
            None
        }
    }

    /// An optional email address, checked for the one shape mail servers agree on.
    pub fn email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let v = optional(value)?;
        let ok = match v.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !v.contains(char::is_whitespace)
                    && !domain.contains('@')
            }
            None => false,
        };
        if ok {
            Some(v)
        } else {
            self.add(field, format!("'{v}' is not an email address"));
            None
        }
    }

    /// An optional yes/no answer (`yes`, `no`, `true`, `false`, `y`, `n`, `1`, `0`).
    pub fn flag(&mut self, field: &str, value: Option<&str>) -> Option<bool> {
        let v = optional(value)?;
        match v.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Some(true),
            "no" | "n" | "false" | "0" => Some(false),
            _ => {
                self.add(field, format!("'{v}' is not yes or no"));
                None
            }
        }
    }

    /// A required record id (a positive whole number).
    pub fn required_id(&mut self, field: &str, value: Option<&str>) -> i64 {
        if optional(value).is_none() {
            self.add(field, "is required");
            return 0;
        }
        self.optional_id(field, value).unwrap_or(0)
    }

    /// An optional record id; blank is `None`.
    pub fn optional_id(&mut self, field: &str, value: Option<&str>) -> Option<i64> {
        let v = optional(value)?;
        match v.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                self.add(field, format!("'{v}' is not the number of a record on file"));
                None
            }
        }
    }

    /// An optional whole number of at least `min` (quantities, days, hours).
    pub fn optional_count(&mut self, field: &str, value: Option<&str>, min: i64) -> Option<i64> {
        let v = optional(value)?;
        match v.parse::<i64>() {
            Ok(n) if n >= min => Some(n),
            Ok(_) => {
                self.add(field, format!("must be at least {min}"));
                None
            }
            Err(_) => {
                self.add(field, format!("'{v}' is not a whole number"));
                None
            }
        }
    }

    /// A required whole number of at least `min`.
    pub fn required_count(&mut self, field: &str, value: Option<&str>, min: i64) -> i64 {
        if optional(value).is_none() {
            self.add(field, "is required");
            return min;
        }
        self.optional_count(field, value, min).unwrap_or(min)
    }

    /// An optional amount of money that may not be negative.
    pub fn optional_money(&mut self, field: &str, value: Option<&str>) -> Option<Money> {
        match optional(value)?.parse::<Money>() {
            Ok(m) if m.is_negative() => {
                self.add(field, "may not be negative");
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// An optional value that must be one of `choices` (compared case-insensitively).
    pub fn choice<T: Copy>(&mut self, field: &str, value: Option<&str>, choices: &[(&str, T)]) -> Option<T> {
        let v = optional(value)?;
        if let Some((_, t)) = choices.iter().find(|(name, _)| name.eq_ignore_ascii_case(&v)) {
            return Some(*t);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        self.add(field, format!("'{v}' is not one of: {}", names.join(", ")));
        None
    }
}

/// Lays the fields given in `patch` over `base`: how the CLI's `update` turns "change these
/// flags" into a whole form. Fields absent from `patch` keep their value; an empty string
/// clears one.
pub fn overlay<T: Serialize + serde::de::DeserializeOwned + Clone>(base: &T, patch: &T) -> T {
    let (Ok(serde_json::Value::Object(mut merged)), Ok(serde_json::Value::Object(changes))) =
        (serde_json::to_value(base), serde_json::to_value(patch))
    else {
        return base.clone();
    };
    for (key, value) in changes {
        if !value.is_null() {
            merged.insert(key, value);
        }
    }
    serde_json::from_value(serde_json::Value::Object(merged)).unwrap_or_else(|_| base.clone())
}

/// Blank and whitespace-only text count as absent.
pub fn optional(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// Today's date on this computer's clock: the office's local date, which is what dates of
/// service, dates of birth and document expiries are compared with.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// This computer's local date and time: when a batch file says it was created (ISA09/ISA10).
pub fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// One date passed on its own (a report's "through" date), checked like a form's date field.
pub fn date_field(field: &str, text: &str) -> Result<NaiveDate, Problems> {
    let mut problems = Problems::new();
    problems.required_date(field, Some(text)).ok_or(problems)
}

/// Parses `YYYY-MM-DD` or the US `MM/DD/YYYY`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%m/%d/%Y"))
        .ok()
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem() {
        let mut p = Problems::new();
        p.required("last_name", Some("  "));
        p.zip("zip", Some("1234"));
        p.phone("phone", Some("555-1234"));
        assert_eq!(p.0.len(), 3);
        assert_eq!(
            p.to_string(),
            "last_name: is required; zip: '1234' is not a ZIP code (5 digits, or ZIP+4); phone: '555-1234' is not a 10-digit phone number"
        );
    }

    #[test]
    fn formats_table() {
        let mut p = Problems::new();
        assert_eq!(p.zip("zip", Some("75001")), Some("75001".into()));
        assert_eq!(p.zip("zip", Some("75001-1234")), Some("750011234".into()));
        assert_eq!(p.zip("zip", Some("750011234")), Some("750011234".into()));
        assert_eq!(p.phone("phone", Some("(214) 555-0100")), Some("2145550100".into()));
        assert_eq!(p.phone("phone", Some("+1 214 555 0100")), Some("2145550100".into()));
        assert_eq!(p.state("state", Some("tx")), Some("TX".into()));
        assert_eq!(p.email("email", Some("a.b@example.com")), Some("a.b@example.com".into()));
        assert_eq!(p.optional_date("dob", Some("1948-02-29")), NaiveDate::from_ymd_opt(1948, 2, 29));
        assert_eq!(p.optional_date("dob", Some("02/29/1948")), NaiveDate::from_ymd_opt(1948, 2, 29));
        assert_eq!(p.flag("pecos", Some("Yes")), Some(true));
        assert!(p.is_empty(), "{p}");
        for bad_zip in ["7500", "75001-12", "ABCDE", "750-011234"] {
            assert_eq!(p.zip("zip", Some(bad_zip)), None, "{bad_zip}");
        }
        assert_eq!(p.phone("phone", Some("214-555-01000")), None);
        assert_eq!(p.phone("phone", Some("214x555x0100")), None);
        assert_eq!(p.state("state", Some("XX")), None);
        assert_eq!(p.email("email", Some("nobody@localhost")), None);
        assert_eq!(p.optional_date("dob", Some("1949-02-29")), None);
        assert_eq!(p.optional_date("dob", Some("yesterday")), None);
        assert_eq!(p.flag("pecos", Some("maybe")), None);
        assert_eq!(p.0.len(), 11);
    }

    #[test]
    fn numbers_table() {
        let mut p = Problems::new();
        assert_eq!(p.required_id("item_id", Some(" 7 ")), 7);
        assert_eq!(p.optional_id("lot_id", Some("")), None);
        assert_eq!(p.required_count("quantity", Some("3"), 1), 3);
        assert_eq!(p.optional_count("min", Some("0"), 0), Some(0));
        assert_eq!(p.optional_money("cost", Some("12.5")), Some(Money::from_cents(1250)));
        assert!(p.is_empty(), "{p}");
        assert_eq!(p.required_id("item_id", None), 0);
        assert_eq!(p.optional_id("item_id", Some("-2")), None);
        assert_eq!(p.optional_id("item_id", Some("abc")), None);
        assert_eq!(p.optional_count("quantity", Some("0"), 1), None);
        assert_eq!(p.optional_count("quantity", Some("1.5"), 1), None);
        assert_eq!(p.optional_money("cost", Some("-1")), None);
        assert_eq!(p.optional_money("cost", Some("x")), None);
        assert_eq!(
            p.to_string(),
            "item_id: is required; item_id: '-2' is not the number of a record on file; \
             item_id: 'abc' is not the number of a record on file; quantity: must be at least 1; \
             quantity: '1.5' is not a whole number; cost: may not be negative; \
             cost: 'x' is not an amount (use digits with an optional '.' and cents, like 125.50)"
        );
    }
}
