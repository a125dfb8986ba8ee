//! The month-by-month walk of a rental episode: anniversary dates of service, which months
//! are billable, their modifiers and fees, and where billing stops.
//!
//! Anniversary billing: month n's date of service is the period's anchor date plus n − 1
//! months, clamped to the end of a shorter month (a January 31 start bills February 28 or 29,
//! then March 31 again, because every date is counted from the anchor, not from the month
//! before). The anchor is the first date of service, and moves to the day use resumes after
//! a break that spans an anniversary (CMS Claims Processing Manual ch. 20 §30.5.4: "a new date
//! of service" when use resumes; the month count carries on). A break longer than 42 CFR
//! 414.230 allows starts a new period (month 1 again) or blocks billing; see `interruption`.
//!
//! Where billing stops: capped rental after the 13th paid month, with title passing to the
//! patient on the next anniversary (42 CFR 414.229: the first day after the 13th continuous
//! month paid); oxygen equipment after the 36th paid month, after which each anniversary up
//! to the end of the 5-year lifetime is listed as not billable with its contents and
//! maintenance lines (see `oxygen`); inexpensive items once the rent paid reaches the
//! purchase allowable; frequent-servicing items never.

use super::interruption::{BreakOutcome, Interruption};
use super::modifiers::{line_modifiers, Modifier};
use super::{oxygen, RentalCategory, RentalEpisode, RentalMonth, RentalSchedule, SideLine, TitleTransfer};
use crate::money::Money;
use chrono::{Months, NaiveDate};

/// How the reason of a month blocked by a break too long to be temporary begins: such a month
/// is due, and the billing run reports it as missed.
pub(super) const BLOCKED: &str = "billing blocked";

/// Lays out `episode` month by month, listing every anniversary up to and including `through`.
pub fn schedule(episode: &RentalEpisode, through: NaiveDate) -> RentalSchedule {
    let mut walk = Walk { episode, through, period: Period::first(episode), months: Vec::new(), title_transfer: None };
    let mut breaks = episode.interruptions.iter().peekable();
    while let Some(dos) = walk.period.dos().filter(|dos| *dos <= through) {
        if walk.finished(dos) {
            break;
        }
        // A break that is over by this anniversary never reached one: nothing changes.
        while breaks.next_if(|b| b.to <= dos).is_some() {}
        match breaks.next_if(|b| b.from <= dos) {
            Some(interruption) => {
                if !walk.interrupted(interruption, dos) {
                    break;
                }
            }
            None => walk.anniversary(dos),
        }
    }
    RentalSchedule {
        hcpcs: episode.hcpcs.clone(),
        category: episode.category,
        months: walk.months,
        title_transfer: walk.title_transfer,
        oxygen_obligation_end: walk.period.lifetime_end,
    }
}

/// Where the walk stands within one period of continuous use.
struct Period {
    /// 1 for the first period, one more for each documented new period.
    number: u32,
    /// The date anniversaries are counted from: the first date of service, or the day use
    /// resumed after a break.
    anchor: NaiveDate,
    /// Anniversaries since the anchor.
    step: u32,
    /// Months counted toward the cap in this period, another supplier's included.
    counted: u32,
    /// Rent paid in this period (for the inexpensive-item cap).
    paid: Money,
    /// Oxygen: the end of the 5-year reasonable useful lifetime.
    lifetime_end: Option<NaiveDate>,
    /// Oxygen: the earliest date of the next maintenance visit, once the paid period is over.
    next_maintenance: Option<NaiveDate>,
}

impl Period {
    fn first(episode: &RentalEpisode) -> Period {
        Period::new(episode, 1, episode.start, episode.prior_months)
    }

    /// A period whose first date of service with this supplier is `anchor`, `prior` months
    /// into the period. The oxygen lifetime runs from the period's first date of service,
    /// which for months paid to another supplier is taken as `prior` months before `anchor`.
    fn new(episode: &RentalEpisode, number: u32, anchor: NaiveDate, prior: u32) -> Period {
        let oxygen = episode.category == RentalCategory::Oxygen;
        let first_dos = anchor.checked_sub_months(Months::new(prior)).unwrap_or(anchor);
        let lifetime_end = if oxygen { oxygen::lifetime_end(first_dos) } else { None };
        let paid_period_end = first_dos.checked_add_months(Months::new(oxygen::PAID_MONTHS));
        let next_maintenance = if oxygen && prior >= oxygen::PAID_MONTHS && oxygen::maintenance_eligible(&episode.hcpcs)
        {
            paid_period_end.and_then(oxygen::next_maintenance)
        } else {
            None
        };
        Period {
            number,
            anchor,
            step: 0,
            counted: prior,
            paid: episode.fees.paid_before(prior),
            lifetime_end,
            next_maintenance,
        }
    }

    fn dos(&self) -> Option<NaiveDate> {
        self.anchor.checked_add_months(Months::new(self.step))
    }

    /// The anniversary after the current one.
    fn next_dos(&self) -> Option<NaiveDate> {
        self.anchor.checked_add_months(Months::new(self.step + 1))
    }
}

struct Walk<'a> {
    episode: &'a RentalEpisode,
    through: NaiveDate,
    period: Period,
    months: Vec<RentalMonth>,
    title_transfer: Option<TitleTransfer>,
}

impl Walk<'_> {
    fn category(&self) -> RentalCategory {
        self.episode.category
    }

    /// True once nothing more is due in the period: capped rental after month 13, oxygen at
    /// the end of its lifetime, an inexpensive item once its purchase allowable is paid.
    fn finished(&self, dos: NaiveDate) -> bool {
        match self.category() {
            RentalCategory::CappedRental => self.period.counted >= 13,
            RentalCategory::Oxygen => self.period.lifetime_end.is_none_or(|end| dos >= end),
            RentalCategory::Inexpensive => self.episode.fees.purchase_reached(self.period.paid),
            RentalCategory::FrequentServicing => false,
        }
    }

    fn past_oxygen_cap(&self) -> bool {
        self.category() == RentalCategory::Oxygen && self.period.counted >= oxygen::PAID_MONTHS
    }

    /// A regular anniversary: a billable month, or an oxygen month after the cap.
    fn anniversary(&mut self, dos: NaiveDate) {
        if self.past_oxygen_cap() {
            self.after_oxygen_cap(dos);
        } else {
            self.billable(dos);
        }
        self.period.step += 1;
    }

    fn billable(&mut self, dos: NaiveDate) {
        let month = self.period.counted + 1;
        let fee = self.episode.fees.fee(month, self.period.paid);
        self.period.paid += fee.unwrap_or(Money::ZERO);
        self.period.counted = month;
        let next = self.period.next_dos();
        let note = match self.category() {
            RentalCategory::CappedRental if month == 13 => next.map(|title_passes_on| {
                self.title_transfer = Some(TitleTransfer { last_paid_month: 13, last_paid_dos: dos, title_passes_on });
                format!("13th and last paid month: title passes to the patient on {title_passes_on}; only repairs are paid after this")
            }),
            RentalCategory::Oxygen if month == oxygen::PAID_MONTHS => {
                if oxygen::maintenance_eligible(&self.episode.hcpcs) {
                    self.period.next_maintenance = next.and_then(oxygen::next_maintenance);
                }
                let end = self.period.lifetime_end.map(|d| d.to_string()).unwrap_or_default();
                Some(format!("36th and last paid month: the supplier must keep furnishing the equipment until {end} (end of the 5-year reasonable useful lifetime)"))
            }
            RentalCategory::Inexpensive if self.episode.fees.purchase_reached(self.period.paid) => {
                Some("the rent paid now reaches the purchase allowable: no further rental is paid".to_string())
            }
            _ => None,
        };
        self.push(month, dos, true, fee, None, note, Vec::new());
    }

    fn after_oxygen_cap(&mut self, dos: NaiveDate) {
        let hcpcs = &self.episode.hcpcs;
        let mut side_lines = Vec::new();
        if let Some(contents) = oxygen::contents_code(hcpcs) {
            side_lines.push(SideLine {
                hcpcs: contents,
                modifiers: Vec::new(),
                why: "monthly oxygen contents after the 36-month cap".to_string(),
            });
        }
        if self.period.next_maintenance.is_some_and(|due| dos >= due) {
            side_lines.push(SideLine {
                hcpcs: hcpcs.clone(),
                modifiers: vec![Modifier::MS],
                why: "six-month maintenance and servicing visit after the 36-month cap".to_string(),
            });
            self.period.next_maintenance = oxygen::next_maintenance(dos);
        }
        let end = self.period.lifetime_end.map(|d| d.to_string()).unwrap_or_default();
        let reason = format!("36 paid months reached (42 CFR 414.226): no equipment rental is paid; the supplier keeps furnishing it until {end}");
        self.period.counted += 1;
        self.push(self.period.counted, dos, false, None, Some(reason), None, side_lines);
    }

    /// Handles a break that spans the anniversary `dos`: lists the anniversaries inside it
    /// and moves the period on. Returns false when billing is blocked from here on.
    fn interrupted(&mut self, interruption: &Interruption, dos: NaiveDate) -> bool {
        let label = interruption.label();
        let days = interruption.days();
        let allowed = interruption.allowed_days(dos);
        let left = (dos - interruption.from).num_days();
        let limit = format!("{allowed} allowed (60 days plus the {left} left in the rental month, 42 CFR 414.230(c))");
        let too_long = format!("{days} days, more than the {limit}");
        // After the oxygen cap the supplier's obligation continues through any break
        // (CMS-1403-FC), so only the anniversary moves.
        let (outcome, inside) = if self.past_oxygen_cap() {
            (
                BreakOutcome::Temporary,
                format!("item out of use {label}: nothing is billed until use resumes; after the 36th paid month the supplier's obligation continues through any break (CMS-1403-FC)"),
            )
        } else {
            let outcome = interruption.outcome(dos);
            let inside = match outcome {
                BreakOutcome::Temporary => format!(
                    "item out of use {label}: {days} days, within the {limit}; no rental until use resumes, then the month count carries on with a new date of service (CMS Claims Processing Manual ch. 20 §30.5.4)"
                ),
                BreakOutcome::NewPeriod => format!(
                    "item out of use {label}: {too_long}; a new rental period starts on {} with the new order and documentation on file (42 CFR 414.230(d))",
                    interruption.to
                ),
                BreakOutcome::Blocked => format!(
                    "item out of use {label}: {too_long}; billing is blocked after use resumes until a new rental period is documented"
                ),
            };
            (outcome, inside)
        };
        let mut at = Some(dos);
        while let Some(d) = at.filter(|d| *d < interruption.to && *d <= self.through && !self.finished(*d)) {
            self.push(self.period.counted + 1, d, false, None, Some(inside.clone()), None, Vec::new());
            self.period.step += 1;
            at = self.period.dos();
        }
        match outcome {
            BreakOutcome::Temporary => {
                self.period.anchor = interruption.to;
                self.period.step = 0;
                true
            }
            BreakOutcome::NewPeriod => {
                self.period = Period::new(self.episode, self.period.number + 1, interruption.to, 0);
                true
            }
            BreakOutcome::Blocked => {
                self.blocked(interruption, &too_long);
                false
            }
        }
    }

    /// Lists every anniversary from the resume date on as blocked, saying what to record.
    fn blocked(&mut self, interruption: &Interruption, too_long: &str) {
        let reason = format!(
            "{BLOCKED}: the break {} lasted {too_long}; record a new order, new medical-necessity documentation and the reason for the break to start a new rental period (42 CFR 414.230(d))",
            interruption.label()
        );
        self.period.anchor = interruption.to;
        self.period.step = 0;
        while let Some(dos) = self.period.dos().filter(|d| *d <= self.through) {
            self.push(self.period.counted + 1, dos, false, None, Some(reason.clone()), None, Vec::new());
            self.period.step += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        month: u32,
        dos: NaiveDate,
        billable: bool,
        fee: Option<Money>,
        reason: Option<String>,
        note: Option<String>,
        side_lines: Vec<SideLine>,
    ) {
        let modifiers =
            if billable { line_modifiers(self.category(), month, self.episode.documentation) } else { Vec::new() };
        self.months.push(RentalMonth {
            period: self.period.number,
            month,
            dos,
            billable,
            modifiers,
            fee,
            reason,
            note,
            side_lines,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rentals::{CoverageRule, Documentation, Hcpcs, RentalFees};
    use Modifier::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn m(text: &str) -> Money {
        text.parse().unwrap()
    }

    fn episode(code: &str, category: RentalCategory, start: &str) -> RentalEpisode {
        RentalEpisode {
            hcpcs: Hcpcs::parse(code).unwrap(),
            category,
            start: d(start),
            interruptions: Vec::new(),
            prior_months: 0,
            fees: RentalFees::Unpriced,
            documentation: Documentation::default(),
        }
    }

    fn with_break(mut e: RentalEpisode, from: &str, to: &str, documented: bool) -> RentalEpisode {
        e.interruptions.push(Interruption { from: d(from), to: d(to), new_period_documented: documented });
        e
    }

    /// `(month, dos, billable)` of every row.
    fn rows(s: &RentalSchedule) -> Vec<(u32, String, bool)> {
        s.months.iter().map(|r| (r.month, r.dos.to_string(), r.billable)).collect()
    }

    fn billed(s: &RentalSchedule) -> Vec<&RentalMonth> {
        s.months.iter().filter(|r| r.billable).collect()
    }

    #[test]
    fn capped_rental_thirteen_months_then_title() {
        let s = schedule(&episode("E0601", RentalCategory::CappedRental, "2025-01-31"), d("2027-01-01"));
        let dates: Vec<String> = s.months.iter().map(|r| r.dos.to_string()).collect();
        assert_eq!(
            dates,
            [
                "2025-01-31",
                "2025-02-28",
                "2025-03-31",
                "2025-04-30",
                "2025-05-31",
                "2025-06-30",
                "2025-07-31",
                "2025-08-31",
                "2025-09-30",
                "2025-10-31",
                "2025-11-30",
                "2025-12-31",
                "2026-01-31"
            ]
        );
        let modifiers: Vec<&[Modifier]> = s.months.iter().map(|r| r.modifiers.as_slice()).collect();
        assert_eq!(modifiers[0], [RR, KH]);
        assert_eq!(modifiers[1], [RR, KI]);
        assert_eq!(modifiers[2], [RR, KI]);
        assert!(modifiers[3..].iter().all(|m| *m == [RR, KJ]));
        assert!(s.months.iter().all(|r| r.billable && r.reason.is_none() && r.fee.is_none()));
        assert_eq!(
            s.title_transfer,
            Some(TitleTransfer {
                last_paid_month: 13,
                last_paid_dos: d("2026-01-31"),
                title_passes_on: d("2026-02-28")
            })
        );
        assert!(s.months[12].note.as_deref().unwrap().contains("title passes"));
    }

    #[test]
    fn leap_year_anniversaries_come_back_to_the_start_day() {
        let s = schedule(&episode("E0601", RentalCategory::CappedRental, "2024-01-31"), d("2024-04-30"));
        assert_eq!(
            rows(&s),
            [
                (1, "2024-01-31".into(), true),
                (2, "2024-02-29".into(), true),
                (3, "2024-03-31".into(), true),
                (4, "2024-04-30".into(), true)
            ]
        );
    }

    #[test]
    fn through_date_is_inclusive_and_no_title_before_month_13() {
        let s = schedule(&episode("E0601", RentalCategory::CappedRental, "2025-01-15"), d("2025-03-15"));
        assert_eq!(s.months.len(), 3);
        assert_eq!(s.title_transfer, None);
        let s = schedule(&episode("E0601", RentalCategory::CappedRental, "2025-01-15"), d("2025-03-14"));
        assert_eq!(s.months.len(), 2);
    }

    #[test]
    fn prior_supplier_months_count_toward_the_cap() {
        let mut e = episode("E0260", RentalCategory::CappedRental, "2025-06-01");
        e.prior_months = 5;
        let s = schedule(&e, d("2030-01-01"));
        assert_eq!(s.months.len(), 8);
        assert_eq!((s.months[0].month, s.months[0].modifiers.as_slice()), (6, [RR, KJ].as_slice()));
        assert_eq!(s.title_transfer.unwrap().last_paid_dos, d("2026-01-01"));
    }

    #[test]
    fn capped_rental_fees_and_documentation_modifier() {
        let mut e = episode("E0260", RentalCategory::CappedRental, "2025-01-01");
        e.fees = RentalFees::capped_rental(&e.hcpcs, m("1000"));
        e.documentation = Documentation { coverage: CoverageRule::Met, abn_on_file: false };
        let s = schedule(&e, d("2026-12-31"));
        let fees: Vec<Money> = s.months.iter().filter_map(|r| r.fee).collect();
        assert_eq!(fees[..4], [m("100"), m("100"), m("100"), m("75")]);
        assert_eq!(fees.iter().copied().sum::<Money>(), m("1050"));
        assert_eq!(s.months[0].modifiers, [RR, KH, KX]);
        e.documentation = Documentation { coverage: CoverageRule::NotMet, abn_on_file: true };
        assert_eq!(schedule(&e, d("2025-01-01")).months[0].modifiers, [RR, KH, GA]);
    }

    #[test]
    fn short_break_spanning_an_anniversary_moves_the_date_and_keeps_the_count() {
        // In use from 01-15; out 03-25 to 05-01 (37 days), so the 04-15 anniversary is not
        // billed and month 4 is billed on 05-01, the day use resumed.
        let e =
            with_break(episode("E0601", RentalCategory::CappedRental, "2025-01-15"), "2025-03-25", "2025-05-01", false);
        let s = schedule(&e, d("2025-07-01"));
        assert_eq!(
            rows(&s),
            [
                (1, "2025-01-15".into(), true),
                (2, "2025-02-15".into(), true),
                (3, "2025-03-15".into(), true),
                (4, "2025-04-15".into(), false),
                (4, "2025-05-01".into(), true),
                (5, "2025-06-01".into(), true),
                (6, "2025-07-01".into(), true)
            ]
        );
        assert!(s.months[3]
            .reason
            .as_deref()
            .unwrap()
            .contains("37 days, within the 81 allowed (60 days plus the 21 left"));
        assert_eq!(s.months[4].modifiers, [RR, KJ]);
    }

    #[test]
    fn break_within_one_rental_month_changes_nothing() {
        let e =
            with_break(episode("E0601", RentalCategory::CappedRental, "2025-01-15"), "2025-03-20", "2025-04-15", false);
        let s = schedule(&e, d("2025-05-15"));
        let dates: Vec<String> = s.months.iter().map(|r| r.dos.to_string()).collect();
        assert_eq!(dates, ["2025-01-15", "2025-02-15", "2025-03-15", "2025-04-15", "2025-05-15"]);
        assert!(s.months.iter().all(|r| r.billable));
    }

    /// Use ceases 03-25 in the rental month 03-15..04-14: 21 days remain, so up to 81 days
    /// out of use (resuming by 06-14) is temporary.
    #[test]
    fn break_length_edges_59_60_61_days_plus_the_remainder() {
        let start = episode("E0601", RentalCategory::CappedRental, "2025-01-15");
        let table = [
            ("2025-06-13", false, Some(4), None),                 // 21 + 59 days
            ("2025-06-14", false, Some(4), None),                 // 21 + 60 days
            ("2025-06-15", false, None, Some("billing blocked")), // 21 + 61 days
            ("2025-06-15", true, Some(1), None),                  // new period documented
            ("2025-09-01", false, None, Some("billing is blocked")),
        ];
        for (to, documented, first_billed_month, blocked) in table {
            let s = schedule(&with_break(start.clone(), "2025-03-25", to, documented), d("2025-08-31"));
            let resumed = s.months.iter().find(|r| r.dos == d(to));
            match (first_billed_month, resumed) {
                (Some(month), Some(row)) => {
                    assert!(row.billable, "{to}");
                    assert_eq!(row.month, month, "{to}");
                }
                (Some(_), None) => panic!("no row on {to}"),
                (None, _) => {
                    let after: Vec<&RentalMonth> = s.months.iter().filter(|r| r.dos >= d("2025-04-15")).collect();
                    assert!(after.iter().all(|r| !r.billable), "{to}");
                    assert!(after.iter().any(|r| r.reason.as_deref().unwrap().contains(blocked.unwrap())), "{to}");
                }
            }
        }
    }

    #[test]
    fn documented_new_period_restarts_at_month_one() {
        let e =
            with_break(episode("E0601", RentalCategory::CappedRental, "2025-01-15"), "2025-03-25", "2025-07-01", true);
        let s = schedule(&e, d("2025-08-01"));
        let last: Vec<(u32, u32, String, Vec<Modifier>)> = s
            .months
            .iter()
            .rev()
            .take(2)
            .map(|r| (r.period, r.month, r.dos.to_string(), r.modifiers.clone()))
            .collect();
        assert_eq!(last, [(2, 2, "2025-08-01".into(), vec![RR, KI]), (2, 1, "2025-07-01".into(), vec![RR, KH])]);
        assert!(s.months.iter().filter(|r| !r.billable).all(|r| r
            .reason
            .as_deref()
            .unwrap()
            .contains("a new rental period starts on 2025-07-01")));
    }

    #[test]
    fn blocked_months_run_to_the_through_date() {
        let e =
            with_break(episode("E0601", RentalCategory::CappedRental, "2025-01-15"), "2025-03-25", "2025-07-01", false);
        let s = schedule(&e, d("2025-09-01"));
        let blocked: Vec<String> = s
            .months
            .iter()
            .filter(|r| r.reason.as_deref().is_some_and(|t| t.starts_with("billing blocked")))
            .map(|r| r.dos.to_string())
            .collect();
        assert_eq!(blocked, ["2025-07-01", "2025-08-01", "2025-09-01"]);
        assert_eq!(billed(&s).len(), 3);
    }

    #[test]
    fn oxygen_concentrator_36_months_then_lifetime_with_maintenance() {
        let mut e = episode("E1390", RentalCategory::Oxygen, "2025-01-10");
        e.fees = RentalFees::Monthly(m("77.31"));
        let s = schedule(&e, d("2031-01-01"));
        assert_eq!(s.months.len(), 60, "months 37–60 listed until the lifetime ends");
        assert_eq!(billed(&s).len(), 36);
        assert!(billed(&s).iter().all(|r| r.modifiers.is_empty() && r.fee == Some(m("77.31"))));
        assert_eq!(s.oxygen_obligation_end, Some(d("2030-01-10")));
        assert!(s.months[35].note.as_deref().unwrap().contains("until 2030-01-10"));
        let after = &s.months[36];
        assert_eq!((after.month, after.billable, after.fee), (37, false, None));
        assert!(after.reason.as_deref().unwrap().contains("36 paid months reached"));
        let visits: Vec<String> = s
            .months
            .iter()
            .filter(|r| r.side_lines.iter().any(|l| l.modifiers == [MS]))
            .map(|r| r.dos.to_string())
            .collect();
        assert_eq!(visits, ["2028-07-10", "2029-01-10", "2029-07-10"]);
    }

    #[test]
    fn oxygen_liquid_contents_after_the_cap() {
        let s = schedule(&episode("E0439", RentalCategory::Oxygen, "2025-01-10"), d("2028-03-10"));
        let contents: Vec<(u32, &str)> =
            s.months.iter().flat_map(|r| r.side_lines.iter().map(move |l| (r.month, l.hcpcs.as_str()))).collect();
        assert_eq!(contents, [(37, "E0442"), (38, "E0442"), (39, "E0442")]);
    }

    #[test]
    fn oxygen_break_after_the_cap_never_blocks() {
        let e = with_break(episode("E1390", RentalCategory::Oxygen, "2025-01-10"), "2028-03-01", "2028-09-01", false);
        let s = schedule(&e, d("2028-10-01"));
        assert!(s.months.iter().all(|r| !r.reason.as_deref().unwrap_or("").contains("blocked")));
        assert_eq!(s.months.last().unwrap().dos, d("2028-10-01"));
    }

    #[test]
    fn frequent_servicing_has_no_cap() {
        let s = schedule(&episode("E0465", RentalCategory::FrequentServicing, "2025-01-01"), d("2029-01-01"));
        assert_eq!(s.months.len(), 49);
        assert!(s.months.iter().all(|r| r.billable && r.modifiers == [RR]));
    }

    #[test]
    fn inexpensive_rent_stops_at_the_purchase_allowable() {
        let mut e = episode("E0143", RentalCategory::Inexpensive, "2025-01-01");
        e.fees = RentalFees::Inexpensive { monthly: m("12.50"), purchase_allowable: m("110.00") };
        let s = schedule(&e, d("2026-12-31"));
        assert_eq!(s.months.len(), 9);
        assert_eq!(s.months[8].fee, Some(m("10.00")));
        assert!(s.months[8].note.as_deref().unwrap().contains("purchase allowable"));
        assert_eq!(s.months.iter().filter_map(|r| r.fee).sum::<Money>(), m("110.00"));
    }
}
