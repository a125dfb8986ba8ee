//! Resupply of disposable supplies under Medicare frequency limits: how much of a supply may
//! be billed when, the refill due list, and refusal of a quantity above the limit.
//!
//! Limits are the "usual maximum quantities" of the DME MAC local coverage determinations:
//! PAP supplies from LCD L33718 (Positive Airway Pressure Devices for Obstructive Sleep
//! Apnea), test strips and lancets from LCD L33822 (Glucose Monitors), whose limits differ
//! for patients treated with insulin. Quantities are in billing units (A4253 is a box of 50
//! strips, A4259 a box of 100 lancets).
//!
//! How a limit is checked: a supplier may dispense at most a 3-month quantity at a time (DME
//! MAC Standard Documentation Requirements, refill requirements), so a limit stated per month
//! is checked over any 3 months (two A7032 cushions a month allows six in one delivery), and
//! a limit stated per 3 or 6 months over any window of that length. A delivery is refused
//! when, with it, some window would hold more than the limit allows. The refill contact with
//! the patient may come no sooner than 14 days before delivery (same source), which the due
//! list shows.

use super::hcpcs::Hcpcs;
use super::RentalError;
use crate::validation::Problems;
use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A usual maximum quantity: `quantity` units per `months` months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SupplyLimit {
    pub hcpcs: &'static str,
    pub description: &'static str,
    pub quantity: u32,
    pub months: u32,
    /// `Some(true)` for the limit that applies to insulin-treated patients, `Some(false)` for
    /// the other one, `None` when the limit does not depend on it.
    pub insulin_treated: Option<bool>,
    /// The coverage policy the limit comes from.
    pub source: &'static str,
}

const PAP: &str = "LCD L33718 (PAP devices)";
const GLUCOSE: &str = "LCD L33822 (glucose monitors)";

const fn limit(
    hcpcs: &'static str,
    description: &'static str,
    quantity: u32,
    months: u32,
    insulin_treated: Option<bool>,
    source: &'static str,
) -> SupplyLimit {
    SupplyLimit { hcpcs, description, quantity, months, insulin_treated, source }
}

/// The frequency limits on file.
pub const LIMITS: &[SupplyLimit] = &[
    limit("A7027", "combination oral/nasal mask", 1, 3, None, PAP),
    limit("A7028", "oral cushion for combination mask", 2, 1, None, PAP),
    limit("A7029", "nasal pillows for combination mask, pair", 2, 1, None, PAP),
    limit("A7030", "full face mask", 1, 3, None, PAP),
    limit("A7031", "full face mask cushion", 1, 1, None, PAP),
    limit("A7032", "nasal mask cushion", 2, 1, None, PAP),
    limit("A7033", "nasal pillows, pair", 2, 1, None, PAP),
    limit("A7034", "nasal mask or cannula-type interface", 1, 3, None, PAP),
    limit("A7035", "headgear", 1, 6, None, PAP),
    limit("A7036", "chinstrap", 1, 6, None, PAP),
    limit("A7037", "tubing", 1, 3, None, PAP),
    limit("A7038", "disposable filter", 2, 1, None, PAP),
    limit("A7039", "non-disposable filter", 1, 6, None, PAP),
    limit("A7046", "humidifier water chamber", 1, 6, None, PAP),
    limit("A4604", "heated tubing", 1, 3, None, PAP),
    limit("A4253", "blood glucose test strips, box of 50", 6, 3, Some(true), GLUCOSE),
    limit("A4253", "blood glucose test strips, box of 50", 2, 3, Some(false), GLUCOSE),
    limit("A4259", "lancets, box of 100", 3, 3, Some(true), GLUCOSE),
    limit("A4259", "lancets, box of 100", 1, 3, Some(false), GLUCOSE),
];

/// The most months' supply dispensed at once.
const MOST_MONTHS_AT_ONCE: u32 = 3;

/// Days before delivery a refill contact may be made, at the earliest.
const CONTACT_DAYS_BEFORE: i64 = 14;

impl SupplyLimit {
    /// The limit for `hcpcs`, choosing the insulin or non-insulin one where they differ.
    pub fn find(hcpcs: &Hcpcs, insulin_treated: bool) -> Option<&'static SupplyLimit> {
        LIMITS.iter().find(|l| l.hcpcs == hcpcs.as_str() && l.insulin_treated.is_none_or(|i| i == insulin_treated))
    }

    /// The length of the window the limit is checked over.
    pub fn window_months(&self) -> u32 {
        self.months.max(MOST_MONTHS_AT_ONCE)
    }

    /// The most units any window may hold.
    pub fn window_quantity(&self) -> u32 {
        self.quantity * self.window_months() / self.months
    }

    /// "2 per month (up to 6 in any 3 months)", as refusals say it.
    pub fn describe(&self) -> String {
        let per = if self.months == 1 { "month".to_string() } else { format!("{} months", self.months) };
        let mut text = format!("{} per {per}", self.quantity);
        if self.window_months() != self.months {
            text.push_str(&format!(" (up to {} in any {} months)", self.window_quantity(), self.window_months()));
        }
        text
    }

    /// True when a delivery of `quantity` on `dos` keeps every window within the limit.
    fn fits(&self, history: &[Fill], dos: NaiveDate, quantity: u32) -> bool {
        let window = Months::new(self.window_months());
        let fills: Vec<Fill> = history.iter().copied().chain([Fill { dos, quantity }]).collect();
        let in_window =
            |start: NaiveDate, d: NaiveDate| start <= d && start.checked_add_months(window).is_none_or(|end| d < end);
        fills.iter().filter(|g| in_window(g.dos, dos)).all(|g| {
            let held: u64 = fills.iter().filter(|f| in_window(g.dos, f.dos)).map(|f| u64::from(f.quantity)).sum();
            held <= u64::from(self.window_quantity())
        })
    }

    /// The earliest date on or after `earliest` on which `quantity` may be delivered, or `None`
    /// when the quantity is more than any one window allows.
    pub fn next_allowed(&self, history: &[Fill], quantity: u32, earliest: NaiveDate) -> Option<NaiveDate> {
        if quantity > self.window_quantity() {
            return None;
        }
        let window = Months::new(self.window_months());
        let mut candidates: Vec<NaiveDate> = history
            .iter()
            .filter_map(|f| f.dos.checked_add_months(window))
            .filter(|d| *d > earliest)
            .chain([earliest])
            .collect();
        candidates.sort();
        candidates.into_iter().find(|d| self.fits(history, *d, quantity))
    }
}

/// A delivery of a supply already billed (or about to be).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Fill {
    pub dos: NaiveDate,
    pub quantity: u32,
}

/// One supply a patient receives, with its delivery history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyItem {
    pub hcpcs: Hcpcs,
    /// Decides the glucose test strip and lancet limits.
    pub insulin_treated: bool,
    pub history: Vec<Fill>,
}

/// A line of the refill due list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ResupplyDue {
    pub hcpcs: Hcpcs,
    pub description: String,
    pub last_fill: Option<NaiveDate>,
    /// A usual refill: one limit period's quantity.
    pub quantity: u32,
    /// The first date of service the frequency limit allows for that quantity.
    pub next_due: NaiveDate,
    /// The earliest day to contact the patient about the refill.
    pub contact_from: NaiveDate,
}

/// Refuses a delivery of `quantity` units on `dos` that the frequency limit does not allow,
/// saying the limit, its source and the next possible date.
pub fn check(item: &SupplyItem, dos: NaiveDate, quantity: u32) -> Result<(), RentalError> {
    let limit = SupplyLimit::find(&item.hcpcs, item.insulin_treated)
        .ok_or_else(|| RentalError::UnknownSupply(item.hcpcs.to_string()))?;
    if quantity == 0 {
        return Err(Problems::one("quantity", "must be at least 1").into());
    }
    if limit.fits(&item.history, dos, quantity) {
        return Ok(());
    }
    let next = match limit.next_allowed(&item.history, quantity, dos) {
        Some(d) => d.to_string(),
        None => format!("none, at most {} can be delivered at once", limit.window_quantity()),
    };
    Err(RentalError::AboveLimit {
        hcpcs: item.hcpcs.to_string(),
        requested: quantity,
        limit: limit.describe(),
        source_note: limit.source.to_string(),
        next,
    })
}

/// The supplies due for a refill within `horizon_days` of `as_of` (overdue ones included),
/// soonest first.
pub fn due_list(items: &[SupplyItem], as_of: NaiveDate, horizon_days: u32) -> Result<Vec<ResupplyDue>, RentalError> {
    let horizon = as_of + Duration::days(i64::from(horizon_days));
    let mut due = Vec::new();
    for item in items {
        let limit = SupplyLimit::find(&item.hcpcs, item.insulin_treated)
            .ok_or_else(|| RentalError::UnknownSupply(item.hcpcs.to_string()))?;
        let last_fill = item.history.iter().map(|f| f.dos).max();
        let Some(next_due) = limit.next_allowed(&item.history, limit.quantity, last_fill.unwrap_or(as_of)) else {
            continue;
        };
        if next_due <= horizon {
            due.push(ResupplyDue {
                hcpcs: item.hcpcs.clone(),
                description: limit.description.to_string(),
                last_fill,
                quantity: limit.quantity,
                next_due,
                contact_from: next_due - Duration::days(CONTACT_DAYS_BEFORE),
            });
        }
    }
    due.sort_by(|a, b| (a.next_due, &a.hcpcs).cmp(&(b.next_due, &b.hcpcs)));
    Ok(due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn item(code: &str, insulin_treated: bool, fills: &[(&str, u32)]) -> SupplyItem {
        SupplyItem {
            hcpcs: Hcpcs::parse(code).unwrap(),
            insulin_treated,
            history: fills.iter().map(|(dos, quantity)| Fill { dos: d(dos), quantity: *quantity }).collect(),
        }
    }

    #[test]
    fn every_limit_has_a_whole_window_quantity() {
        for l in LIMITS {
            assert_eq!(l.quantity * l.window_months() % l.months, 0, "{}", l.hcpcs);
            assert!(Hcpcs::parse(l.hcpcs).is_ok(), "{}", l.hcpcs);
        }
    }

    #[test]
    fn limits_table() {
        let table = [
            ("A7030", false, "1 per 3 months"),
            ("A7032", false, "2 per month (up to 6 in any 3 months)"),
            ("A7038", false, "2 per month (up to 6 in any 3 months)"),
            ("A7035", false, "1 per 6 months"),
            ("A7046", false, "1 per 6 months"),
            ("A4604", false, "1 per 3 months"),
            ("A4253", true, "6 per 3 months"),
            ("A4253", false, "2 per 3 months"),
            ("A4259", true, "3 per 3 months"),
            ("A4259", false, "1 per 3 months"),
        ];
        for (code, insulin, expected) in table {
            let l = SupplyLimit::find(&Hcpcs::parse(code).unwrap(), insulin).unwrap();
            assert_eq!(l.describe(), expected, "{code} insulin {insulin}");
        }
        assert!(SupplyLimit::find(&Hcpcs::parse("E0601").unwrap(), false).is_none());
    }

    #[test]
    fn one_mask_per_three_months() {
        let mask = item("A7030", false, &[("2025-01-15", 1)]);
        assert!(check(&mask, d("2025-04-14"), 1).is_err());
        assert!(check(&mask, d("2025-04-15"), 1).is_ok());
        let err = check(&mask, d("2025-03-01"), 1).unwrap_err().to_string();
        assert_eq!(err, "A7030: 1 would exceed the limit of 1 per 3 months (from LCD L33718 (PAP devices)); next possible date of service for this quantity: 2025-04-15");
        assert!(check(&mask, d("2025-04-15"), 2)
            .unwrap_err()
            .to_string()
            .contains("at most 1 can be delivered at once"));
    }

    #[test]
    fn cushions_two_a_month_up_to_three_months_at_once() {
        let empty = item("A7032", false, &[]);
        assert!(check(&empty, d("2025-01-10"), 6).is_ok(), "a 3-month supply at once");
        assert!(check(&empty, d("2025-01-10"), 7).is_err());
        let cushions = item("A7032", false, &[("2025-01-10", 2)]);
        assert!(check(&cushions, d("2025-02-10"), 2).is_ok());
        assert!(check(&cushions, d("2025-01-20"), 4).is_ok(), "advance within the 3-month quantity");
        assert!(check(&cushions, d("2025-01-20"), 5).is_err());
        let full = item("A7032", false, &[("2025-01-10", 6)]);
        assert!(check(&full, d("2025-04-09"), 1).is_err());
        assert!(check(&full, d("2025-04-10"), 6).is_ok());
        assert_eq!(
            SupplyLimit::find(&full.hcpcs, false).unwrap().next_allowed(&full.history, 2, d("2025-02-01")),
            Some(d("2025-04-10"))
        );
    }

    #[test]
    fn test_strips_depend_on_insulin() {
        let strips = item("A4253", false, &[("2025-01-01", 2)]);
        assert!(check(&strips, d("2025-02-01"), 1).is_err());
        let insulin = SupplyItem { insulin_treated: true, ..strips.clone() };
        assert!(check(&insulin, d("2025-02-01"), 4).is_ok());
        assert!(check(&insulin, d("2025-02-01"), 5).is_err());
    }

    #[test]
    fn refuses_unknown_supplies_and_zero_quantities() {
        assert!(matches!(check(&item("E0601", false, &[]), d("2025-01-01"), 1), Err(RentalError::UnknownSupply(_))));
        assert!(check(&item("A7030", false, &[]), d("2025-01-01"), 0).unwrap_err().to_string().contains("quantity"));
    }

    #[test]
    fn due_list_soonest_first() {
        let items = [
            item("A7035", false, &[("2025-01-05", 1)]),
            item("A7030", false, &[("2025-01-15", 1)]),
            item("A7038", false, &[("2025-03-20", 6)]),
            item("A7037", false, &[]),
        ];
        let due = due_list(&items, d("2025-04-01"), 30).unwrap();
        let got: Vec<(&str, NaiveDate)> = due.iter().map(|r| (r.hcpcs.as_str(), r.next_due)).collect();
        assert_eq!(got, vec![("A7037", d("2025-04-01")), ("A7030", d("2025-04-15"))]);
        assert_eq!(due[1].contact_from, d("2025-04-01"));
        assert_eq!(due[1].last_fill, Some(d("2025-01-15")));
        assert!(due_list(&[item("E0601", false, &[])], d("2025-04-01"), 30).is_err());
    }
}
