//! Breaks in the use of rented equipment (pickup, a hospital or nursing-facility stay) and
//! whether the period of continuous use survives them.
//!
//! The rule (42 CFR 414.230(c)–(d)): an interruption of not longer than 60 consecutive days
//! plus the days remaining in the rental month in which use ceases is temporary, whatever its
//! reason, and the period of continuous use goes on. A longer one starts a new rental period
//! only when the supplier has a new order, new medical-necessity documentation and a
//! statement of why the break happened; without them the old period's count would still
//! apply, so this engine blocks billing and says what to record.
//!
//! Day counting, as this module fixes it: `from` is the first day the item is out of use (the
//! pickup or admission day) and `to` the day use resumes (the delivery or discharge day), so
//! the break lasts `to - from` days. The rental month in which use ceases ends the day before
//! the next anniversary date, so the days remaining in it are `anniversary - from`. The break
//! is therefore temporary exactly when `to` is no later than 60 days after that anniversary.
//!
//! What billing does during and after a temporary break (CMS Claims Processing Manual ch. 20
//! §30.5.4): the month in which use ceased was already billed in full; an anniversary that
//! falls inside the break is not billed; months not billed do not count toward the cap; when
//! use resumes a new date of service is set, so the anniversary day moves to the resume date
//! and the month count carries on where it stopped. A break that ends before the next
//! anniversary changes nothing.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The days a break may last beyond the end of the rental month in which use ceased.
pub const ALLOWED_DAYS_AFTER_MONTH_END: i64 = 60;

/// A stretch of days when the rented item was out of use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Interruption {
    /// The first day out of use: the pickup date or the day of admission.
    pub from: NaiveDate,
    /// The day use resumed: the redelivery date or the day of discharge.
    pub to: NaiveDate,
    /// A new order, new medical-necessity documentation and the reason for the break are on
    /// file, so a break too long to be temporary starts a new rental period.
    pub new_period_documented: bool,
}

/// What a break does to the period of continuous use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakOutcome {
    /// Temporary: the month count carries on when use resumes.
    Temporary,
    /// Longer than allowed, with the documentation for a new period on file.
    NewPeriod,
    /// Longer than allowed and nothing recorded to start a new period: no billing.
    Blocked,
}

impl Interruption {
    /// Reads `FROM:TO` (two `YYYY-MM-DD` dates) as typed on the CLI.
    pub fn parse(text: &str, new_period_documented: bool) -> Result<Interruption, String> {
        let shape = || format!("'{}' is not FROM:TO (two dates, like 2025-03-10:2025-03-24)", text.trim());
        let (from, to) = text.trim().split_once(':').ok_or_else(shape)?;
        let from = crate::validation::parse_date(from).ok_or_else(shape)?;
        let to = crate::validation::parse_date(to).ok_or_else(shape)?;
        if to <= from {
            return Err(format!("'{}' ends before it starts (TO must be after FROM)", text.trim()));
        }
        Ok(Interruption { from, to, new_period_documented })
    }

    /// The days out of use.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days()
    }

    /// The days this break may last and still be temporary, when the rental month in which
    /// use ceased ends the day before `next_anniversary`.
    pub fn allowed_days(&self, next_anniversary: NaiveDate) -> i64 {
        (next_anniversary - self.from).num_days().max(0) + ALLOWED_DAYS_AFTER_MONTH_END
    }

    /// The last day use may resume for the break to stay temporary.
    pub fn latest_temporary_resume(&self, next_anniversary: NaiveDate) -> NaiveDate {
        self.from + Duration::days(self.allowed_days(next_anniversary))
    }

    /// Classifies the break against the rental month it interrupted (414.230(c)–(d)).
    pub fn outcome(&self, next_anniversary: NaiveDate) -> BreakOutcome {
        if self.days() <= self.allowed_days(next_anniversary) {
            BreakOutcome::Temporary
        } else if self.new_period_documented {
            BreakOutcome::NewPeriod
        } else {
            BreakOutcome::Blocked
        }
    }

    /// `FROM–TO`, as reasons show the break.
    pub fn label(&self) -> String {
        format!("{}–{}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A break starting `from` and lasting `days` days.
    fn brk(from: &str, days: i64, documented: bool) -> Interruption {
        Interruption { from: d(from), to: d(from) + Duration::days(days), new_period_documented: documented }
    }

    #[test]
    fn parses_from_to() {
        let i = Interruption::parse(" 2025-03-10:2025-03-24 ", false).unwrap();
        assert_eq!((i.from, i.to, i.days()), (d("2025-03-10"), d("2025-03-24"), 14));
        assert!(Interruption::parse("2025-03-10", false).is_err());
        assert!(Interruption::parse("2025-03-10:soon", false).is_err());
        assert!(Interruption::parse("2025-03-24:2025-03-10", false).unwrap_err().contains("ends before"));
        assert!(Interruption::parse("2025-03-10:2025-03-10", false).is_err());
    }

    /// Rental months start on the 15th; use ceases on 2025-03-25, so the rental month
    /// (03-15 to 04-14) has 21 days left counting the 25th, and the break may last 81 days.
    #[test]
    fn sixty_days_plus_the_rest_of_the_rental_month() {
        let anniversary = d("2025-04-15");
        let remainder = 21;
        let table = [
            (remainder + 59, false, BreakOutcome::Temporary),
            (remainder + 60, false, BreakOutcome::Temporary),
            (remainder + 61, false, BreakOutcome::Blocked),
            (remainder + 61, true, BreakOutcome::NewPeriod),
            (remainder + 200, false, BreakOutcome::Blocked),
            (remainder + 200, true, BreakOutcome::NewPeriod),
            (59, false, BreakOutcome::Temporary),
            (60, false, BreakOutcome::Temporary),
            (61, false, BreakOutcome::Temporary),
        ];
        for (days, documented, expected) in table {
            let b = brk("2025-03-25", days, documented);
            assert_eq!(b.allowed_days(anniversary), 81);
            assert_eq!(b.outcome(anniversary), expected, "{days} days, documented {documented}");
        }
        assert_eq!(brk("2025-03-25", 1, false).latest_temporary_resume(anniversary), d("2025-06-14"));
    }

    #[test]
    fn break_starting_on_the_anniversary_has_no_remainder() {
        let anniversary = d("2025-04-15");
        assert_eq!(brk("2025-04-15", 60, false).outcome(anniversary), BreakOutcome::Temporary);
        assert_eq!(brk("2025-04-15", 61, false).outcome(anniversary), BreakOutcome::Blocked);
        assert_eq!(brk("2025-04-14", 61, false).outcome(anniversary), BreakOutcome::Temporary);
        assert_eq!(brk("2025-04-14", 62, false).outcome(anniversary), BreakOutcome::Blocked);
    }
}
