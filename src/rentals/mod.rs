//! The rental and resupply rules engine: which month of a rental is billable, with which
//! modifiers and fee, when a rental stops (title transfer, oxygen cap, purchase price
//! reached), and when supplies may be refilled. Pure functions over values — no database,
//! no clock, no I/O — so the billing run, the UI and the CLI calculator share one answer.
//!
//! Each rule lives in one file with its source: `category` (payment categories), `modifiers`
//! (RR/KH/KI/KJ and KX/GA/GY/GZ), `fees` (monthly fees and the inexpensive-item cap),
//! `interruption` (42 CFR 414.230 breaks in use), `oxygen` (the 36-month cap and the 5-year
//! lifetime), `schedule` (the month-by-month walk) and `resupply` (supply frequency limits).
//!
//! Three files touch the database and keep the rules out of it: `episodes` (the rentals on
//! file, their breaks and prior months), `billing` (the billing run that turns every due
//! month into a draft claim line exactly once, and the missed-cycles report) and `supplies`
//! (the resupply due list from what each patient was delivered).

mod billing;
mod category;
mod episodes;
mod fees;
mod hcpcs;
mod interruption;
mod modifiers;
mod oxygen;
pub mod resupply;
mod schedule;
mod supplies;

pub use billing::{bill, bill_in, bill_with_progress, missed, BilledLine, BillingRun, MissedMonth};
pub use category::RentalCategory;
pub use episodes::{
    document_new_period, get, interrupt, interrupt_in, list, patients, set_prior_months, BreakInput, Episode,
    EpisodeBreak, RentalPatient,
};
pub use fees::RentalFees;
pub use hcpcs::Hcpcs;
pub use interruption::{BreakOutcome, Interruption};
pub use modifiers::{line_modifiers, rental_modifiers, CoverageRule, Documentation, Modifier, MAX_MODIFIERS};
pub use schedule::schedule;
pub use supplies::{insulin_treated, patient_insulin_treated, resupply_due, PatientResupplyDue};

use crate::db::DbError;
use crate::money::Money;
use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One rental of one item to one patient (a patient × order line): everything the rules need
/// to lay out its months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentalEpisode {
    pub hcpcs: Hcpcs,
    pub category: RentalCategory,
    /// The first date of service: the delivery date. Month 1's anniversary.
    pub start: NaiveDate,
    /// Breaks in use, in date order and not overlapping.
    pub interruptions: Vec<Interruption>,
    /// Months of this period of continuous use already paid to another supplier; they count
    /// toward the cap (a change of supplier does not restart the count, 42 CFR 414.230).
    pub prior_months: u32,
    pub fees: RentalFees,
    pub documentation: Documentation,
}

/// A rental month as the billing run and the UI see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RentalMonth {
    /// Which period of continuous use: 1, or more after a documented new period.
    pub period: u32,
    /// The month's number within the period, counting another supplier's months; an
    /// anniversary inside a break (or blocked) shows the next number of its period.
    pub month: u32,
    /// The date of service: the anniversary date.
    pub dos: NaiveDate,
    pub billable: bool,
    /// The claim line's modifiers; empty when not billable.
    pub modifiers: Vec<Modifier>,
    /// The fee, when the episode is priced and the month is billable.
    pub fee: Option<Money>,
    /// Why the month is not billable; `None` when it is.
    pub reason: Option<String>,
    /// Something the biller should know about a billable month (the last paid month, say).
    pub note: Option<String>,
    /// Other lines this month brings (oxygen contents, maintenance visits after the cap).
    pub side_lines: Vec<SideLine>,
}

/// A claim line other than the rental itself that a month makes billable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SideLine {
    pub hcpcs: Hcpcs,
    pub modifiers: Vec<Modifier>,
    pub why: String,
}

/// The record that title to a capped rental item passes to the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TitleTransfer {
    /// The last paid month (13).
    pub last_paid_month: u32,
    pub last_paid_dos: NaiveDate,
    /// The first day after the 13th paid month: title passes on this day (42 CFR 414.229).
    pub title_passes_on: NaiveDate,
}

/// An episode laid out month by month up to a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RentalSchedule {
    pub hcpcs: Hcpcs,
    pub category: RentalCategory,
    pub months: Vec<RentalMonth>,
    /// Capped rental: set once the 13th month is in the schedule.
    pub title_transfer: Option<TitleTransfer>,
    /// Oxygen: the day the supplier's obligation to keep furnishing ends (end of the 5-year
    /// reasonable useful lifetime of the current period).
    pub oxygen_obligation_end: Option<NaiveDate>,
}

/// A schedule request as typed on a form or the CLI: raw text, checked by [`validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ScheduleInput {
    /// HCPCS code of the rented item, like E0601
    #[arg(long, required = true)]
    pub hcpcs: Option<String>,
    /// Payment category: CR, OX, FS or IN
    #[arg(long, required = true)]
    pub category: Option<String>,
    /// First date of service (the delivery date), YYYY-MM-DD
    #[arg(long, required = true)]
    pub start: Option<String>,
    /// List rental months up to this date, YYYY-MM-DD
    #[arg(long, required = true)]
    pub through: Option<String>,
    /// A break in use, FROM:TO: FROM is the first day out of use (pickup or admission), TO
    /// the day use resumed (redelivery or discharge); repeat for several breaks
    #[arg(long = "interruption", value_name = "FROM:TO")]
    #[serde(default)]
    pub interruptions: Vec<String>,
    /// A new order, new medical-necessity documentation and the reason for the break are on
    /// file: a break longer than 60 days plus the rest of the rental month starts a new period
    #[arg(long)]
    #[serde(default)]
    pub new_period_documented: bool,
    /// Months of this rental period already paid to another supplier
    #[arg(long)]
    pub prior_months: Option<String>,
    /// Fee schedule purchase price (CR; IN: the purchase allowable the rent may not pass)
    #[arg(long)]
    pub purchase_price: Option<String>,
    /// Fee schedule monthly rental amount (OX, FS, IN)
    #[arg(long)]
    pub rental_fee: Option<String>,
    /// The payer's coverage criteria: none (no documentation modifier), met (KX),
    /// not-met (GA with an ABN on file, else GZ) or excluded (GY)
    #[arg(long)]
    pub documentation: Option<String>,
    /// An Advance Beneficiary Notice is on file
    #[arg(long)]
    #[serde(default)]
    pub abn_on_file: bool,
}

/// Why a rental or resupply question has no answer.
#[derive(Debug, thiserror::Error)]
pub enum RentalError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("{hcpcs}: {requested} would exceed the limit of {limit} (from {source_note}); next possible date of service for this quantity: {next}")]
    AboveLimit { hcpcs: String, requested: u32, limit: String, source_note: String, next: String },
    #[error("{0} has no resupply frequency limit on file")]
    UnknownSupply(String),
    #[error("there is no rental with id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(RentalError);

/// Checks every field of a schedule request; returns the episode and the last date to list.
pub fn validate(input: &ScheduleInput) -> Result<(RentalEpisode, NaiveDate), Problems> {
    let mut p = Problems::new();
    let hcpcs = match optional(input.hcpcs.as_deref()) {
        None => {
            p.add("hcpcs", "is required");
            None
        }
        Some(text) => Hcpcs::parse(&text).map_err(|e| p.add("hcpcs", e)).ok(),
    };
    let category = match optional(input.category.as_deref()) {
        None => {
            p.add("category", "is required");
            None
        }
        Some(text) => text.parse::<RentalCategory>().map_err(|e| p.add("category", e)).ok(),
    };
    let start = p.required_date("start", input.start.as_deref());
    let through = p.required_date("through", input.through.as_deref());
    if let (Some(start), Some(through)) = (start, through) {
        if through < start {
            p.add("through", format!("{through} is before the start date {start}"));
        }
    }
    let interruptions = interruptions(&mut p, input, start);
    let prior_months = match optional(input.prior_months.as_deref()) {
        None => 0,
        Some(text) => text.parse::<u32>().ok().filter(|n| *n <= 600).unwrap_or_else(|| {
            p.add("prior_months", format!("'{text}' is not a number of months (0 to 600)"));
            0
        }),
    };
    let fees = match (&hcpcs, category) {
        (Some(hcpcs), Some(category)) => fees(&mut p, input, hcpcs, category),
        _ => RentalFees::Unpriced,
    };
    let coverage = p
        .choice(
            "documentation",
            input.documentation.as_deref(),
            &[
                ("none", CoverageRule::NoneApplies),
                ("met", CoverageRule::Met),
                ("not-met", CoverageRule::NotMet),
                ("excluded", CoverageRule::StatutorilyExcluded),
            ],
        )
        .unwrap_or_default();
    let documentation = Documentation { coverage, abn_on_file: input.abn_on_file };
    if let Some(category) = category {
        prior_months_left(&mut p, category, prior_months, &fees);
    }
    match (hcpcs, category, start, through) {
        (Some(hcpcs), Some(category), Some(start), Some(through)) if p.is_empty() => {
            Ok((RentalEpisode { hcpcs, category, start, interruptions, prior_months, fees, documentation }, through))
        }
        _ => Err(p),
    }
}

/// Validates a request and lays out its schedule: the one call the CLI and the UI make.
pub fn calculate(input: &ScheduleInput) -> Result<RentalSchedule, RentalError> {
    let (episode, through) = validate(input)?;
    Ok(schedule(&episode, through))
}

fn interruptions(p: &mut Problems, input: &ScheduleInput, start: Option<NaiveDate>) -> Vec<Interruption> {
    let mut list: Vec<Interruption> = input
        .interruptions
        .iter()
        .filter_map(|text| {
            Interruption::parse(text, input.new_period_documented).map_err(|e| p.add("interruption", e)).ok()
        })
        .collect();
    list.sort_by_key(|i| i.from);
    if let (Some(start), Some(first)) = (start, list.first()) {
        if first.from <= start {
            p.add("interruption", format!("{} starts on or before the first date of service {start}", first.label()));
        }
    }
    for pair in list.windows(2) {
        if pair[1].from < pair[0].to {
            p.add("interruption", format!("{} overlaps {}", pair[1].label(), pair[0].label()));
        }
    }
    list
}

/// The fee schedule amounts each category is priced with: capped rental from the purchase
/// price, oxygen and frequent servicing from the monthly amount, inexpensive items from both
/// (the cap is money, so both are required).
fn fees(p: &mut Problems, input: &ScheduleInput, hcpcs: &Hcpcs, category: RentalCategory) -> RentalFees {
    let mut amount = |field: &str, value: Option<&str>| -> Option<Money> {
        let text = optional(value)?;
        match text.parse::<Money>() {
            Ok(m) if m > Money::ZERO => Some(m),
            Ok(_) => {
                p.add(field, format!("'{text}' must be more than zero"));
                None
            }
            Err(e) => {
                p.add(field, e.to_string());
                None
            }
        }
    };
    let purchase = amount("purchase_price", input.purchase_price.as_deref());
    let rental = amount("rental_fee", input.rental_fee.as_deref());
    match category {
        RentalCategory::CappedRental => {
            if rental.is_some() {
                p.add("rental_fee", "capped rental fees come from the purchase price (10%/7.5%, power wheelchairs 15%/6%); give purchase_price instead");
            }
            purchase.map_or(RentalFees::Unpriced, |price| RentalFees::capped_rental(hcpcs, price))
        }
        RentalCategory::Oxygen | RentalCategory::FrequentServicing => {
            if purchase.is_some() {
                p.add(
                    "purchase_price",
                    format!(
                        "{category} rentals are paid a monthly amount with no purchase price; give rental_fee instead"
                    ),
                );
            }
            rental.map_or(RentalFees::Unpriced, RentalFees::Monthly)
        }
        RentalCategory::Inexpensive => {
            let missing =
                "is required for IN rentals: the rent stops when the total paid reaches the purchase allowable";
            if optional(input.purchase_price.as_deref()).is_none() {
                p.add("purchase_price", missing);
            }
            if optional(input.rental_fee.as_deref()).is_none() {
                p.add("rental_fee", missing);
            }
            match (rental, purchase) {
                (Some(monthly), Some(purchase_allowable)) => RentalFees::Inexpensive { monthly, purchase_allowable },
                _ => RentalFees::Unpriced,
            }
        }
    }
}

/// Refuses prior months that leave nothing to bill, so a schedule is never silently empty.
fn prior_months_left(p: &mut Problems, category: RentalCategory, prior: u32, fees: &RentalFees) {
    let done = match category {
        RentalCategory::CappedRental => prior >= 13,
        RentalCategory::Oxygen => prior >= oxygen::LIFETIME_MONTHS,
        RentalCategory::FrequentServicing => false,
        RentalCategory::Inexpensive => fees.purchase_reached(fees.paid_before(prior)),
    };
    if done {
        let why = match category {
            RentalCategory::CappedRental => "13 months are already paid: title has passed to the patient",
            RentalCategory::Oxygen => "the 5-year reasonable useful lifetime has already ended",
            _ => "the rent already paid reaches the purchase allowable",
        };
        p.add("prior_months", format!("{prior} prior months leave nothing to bill ({why})"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(category: &str) -> ScheduleInput {
        ScheduleInput {
            hcpcs: Some("E0601".into()),
            category: Some(category.into()),
            start: Some("2025-01-15".into()),
            through: Some("2026-01-15".into()),
            ..ScheduleInput::default()
        }
    }

    /// The fields named by the problems with `input`.
    fn fields(input: &ScheduleInput) -> Vec<String> {
        validate(input).err().map(|p| p.0.into_iter().map(|p| p.field).collect()).unwrap_or_default()
    }

    #[test]
    fn accepts_a_plain_request() {
        let (episode, through) = validate(&input("cr")).unwrap();
        assert_eq!(episode.category, RentalCategory::CappedRental);
        assert_eq!(episode.fees, RentalFees::Unpriced);
        assert_eq!(through.to_string(), "2026-01-15");
    }

    /// A change to a good request.
    type Edit = fn(&mut ScheduleInput);

    #[test]
    fn names_every_bad_field() {
        let with = |f: Edit| {
            let mut i = input("CR");
            f(&mut i);
            fields(&i)
        };
        let table: [(Edit, &[&str]); 12] = [
            (|i| i.hcpcs = None, &["hcpcs"]),
            (|i| i.category = Some("RR".into()), &["category"]),
            (|i| i.through = Some("2024-12-31".into()), &["through"]),
            (|i| i.start = Some("".into()), &["start"]),
            (|i| i.interruptions = vec!["2025-01-10:2025-02-01".into()], &["interruption"]),
            (
                |i| i.interruptions = vec!["2025-03-01:2025-04-01".into(), "2025-03-20:2025-05-01".into()],
                &["interruption"],
            ),
            (|i| i.prior_months = Some("13".into()), &["prior_months"]),
            (|i| i.prior_months = Some("-1".into()), &["prior_months"]),
            (|i| i.rental_fee = Some("50".into()), &["rental_fee"]),
            (|i| i.purchase_price = Some("0".into()), &["purchase_price"]),
            (|i| i.documentation = Some("maybe".into()), &["documentation"]),
            (
                |i| {
                    i.category = Some("IN".into());
                    i.purchase_price = Some("100".into());
                    i.rental_fee = Some("10".into());
                    i.prior_months = Some("10".into());
                },
                &["prior_months"],
            ),
        ];
        for (change, expected) in table {
            assert_eq!(with(change), expected.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        }
        let mut oxygen = input("OX");
        oxygen.purchase_price = Some("500".into());
        assert_eq!(fields(&oxygen), ["purchase_price"]);
        let inexpensive = input("IN");
        assert_eq!(fields(&inexpensive), ["purchase_price", "rental_fee"]);
    }

    #[test]
    fn prices_each_category_from_its_amounts() {
        let mut wheelchair = input("CR");
        wheelchair.hcpcs = Some("k0823".into());
        wheelchair.purchase_price = Some("4000".into());
        let (episode, _) = validate(&wheelchair).unwrap();
        assert_eq!(episode.fees.fee(1, Money::ZERO), Some("600.00".parse().unwrap()));
        let mut oxygen = input("OX");
        oxygen.rental_fee = Some("77.31".into());
        assert_eq!(validate(&oxygen).unwrap().0.fees, RentalFees::Monthly("77.31".parse().unwrap()));
    }

    #[test]
    fn documentation_choices() {
        for (text, abn, expected) in [
            ("met", false, Some(Modifier::KX)),
            ("not-met", true, Some(Modifier::GA)),
            ("not-met", false, Some(Modifier::GZ)),
            ("excluded", false, Some(Modifier::GY)),
            ("none", true, None),
        ] {
            let mut i = input("CR");
            i.documentation = Some(text.into());
            i.abn_on_file = abn;
            assert_eq!(validate(&i).unwrap().0.documentation.modifier(), expected, "{text}");
        }
    }
}
