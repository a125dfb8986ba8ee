//! Rental episodes on file: one per patient × delivered rental order line (opened by the
//! delivery confirmation, see migration 0006), with the breaks in use and the months paid to
//! another supplier that the biller records on it, and where each one stands today.

use super::{
    oxygen, prior_months_left, schedule, Hcpcs, Interruption, Modifier, RentalCategory, RentalEpisode, RentalError,
    RentalFees,
};
use crate::db::{Actor, Change, Db};
use crate::validation::{optional, Problems};
use chrono::{Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A rental on file, with where it stands on the day it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Episode {
    pub id: i64,
    pub patient_id: i64,
    /// "Last, First", for lists.
    pub patient_name: String,
    pub order_id: i64,
    pub order_line_id: i64,
    pub practitioner_id: i64,
    pub hcpcs: Hcpcs,
    pub category: RentalCategory,
    /// The first date of service: the delivery date.
    pub start: NaiveDate,
    /// Months of this period of continuous use paid to another supplier.
    pub prior_months: u32,
    /// The order's ICD-10-CM codes, primary first.
    pub diagnoses: Vec<String>,
    pub interruptions: Vec<EpisodeBreak>,
    /// Serial numbers of the units that served the rental (delivered, then exchanged in).
    pub assets: Vec<String>,
    /// The month count reached today (0 before the first anniversary is listed).
    pub month: u32,
    /// The count the rental stops at: 13 (capped rental), 36 (oxygen), none otherwise.
    pub cap: Option<u32>,
    /// The next anniversary after today that is billable, if any within two months.
    pub next_bill: Option<NaiveDate>,
    /// Oxygen: the day the supplier's obligation to keep furnishing ends (the end of the
    /// 5-year reasonable useful lifetime, 42 CFR 414.226).
    pub obligation_end: Option<NaiveDate>,
    /// Oxygen: the equipment's maintenance and servicing visits are paid after the cap.
    pub maintenance_eligible: bool,
    /// Oxygen: the anniversary on or after today from which the next maintenance visit may
    /// be billed, while the lifetime lasts.
    pub next_maintenance: Option<NaiveDate>,
}

/// A break in use recorded on an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct EpisodeBreak {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// pickup, hospital, facility or other.
    pub reason: String,
    pub new_period_documented: bool,
}

/// A break in use as typed on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct BreakInput {
    /// The first day out of use (pickup or admission), YYYY-MM-DD
    #[arg(long, required = true)]
    pub from: Option<String>,
    /// The day use resumed (redelivery or discharge), YYYY-MM-DD
    #[arg(long, required = true)]
    pub to: Option<String>,
    /// pickup, hospital, facility or other
    #[arg(long, default_value = "other")]
    pub reason: Option<String>,
    /// A new order, new medical-necessity documentation and the reason for the break are on file
    #[arg(long)]
    #[serde(default)]
    pub new_period_documented: bool,
}

const REASONS: &[(&str, &str)] =
    &[("pickup", "pickup"), ("hospital", "hospital"), ("facility", "facility"), ("other", "other")];

const SELECT: &str = "SELECT e.id, e.patient_id, p.last_name || ', ' || p.first_name, e.order_id, e.order_line_id,
        o.practitioner_id, e.hcpcs, e.category, e.start_date, e.prior_months, o.diagnoses
    FROM rental_episodes e JOIN patients p ON p.id = e.patient_id JOIN orders o ON o.id = e.order_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Episode> {
    let text =
        |i: usize, e: String| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into());
    let diagnoses: String = r.get(10)?;
    Ok(Episode {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        patient_name: r.get(2)?,
        order_id: r.get(3)?,
        order_line_id: r.get(4)?,
        practitioner_id: r.get(5)?,
        hcpcs: Hcpcs::parse(&r.get::<_, String>(6)?).map_err(|e| text(6, e))?,
        category: r.get::<_, String>(7)?.parse().map_err(|e| text(7, e))?,
        start: r.get(8)?,
        prior_months: r.get(9)?,
        diagnoses: diagnoses.split(':').filter(|d| !d.is_empty()).map(str::to_string).collect(),
        interruptions: Vec::new(),
        assets: Vec::new(),
        month: 0,
        cap: None,
        next_bill: None,
        obligation_end: None,
        maintenance_eligible: false,
        next_maintenance: None,
    })
}

impl Episode {
    /// The rules engine's view of this rental, priced with `fees`.
    pub fn engine(&self, fees: RentalFees) -> RentalEpisode {
        RentalEpisode {
            hcpcs: self.hcpcs.clone(),
            category: self.category,
            start: self.start,
            interruptions: self
                .interruptions
                .iter()
                .map(|b| Interruption { from: b.from, to: b.to, new_period_documented: b.new_period_documented })
                .collect(),
            prior_months: self.prior_months,
            fees,
            documentation: Default::default(),
        }
    }

    /// Fills in the month reached by `today`, the next billable anniversary and, for oxygen,
    /// the obligation's end and the next maintenance visit (looked for up to the end of the
    /// lifetime).
    fn progress(mut self, today: NaiveDate) -> Episode {
        let ahead = today.checked_add_months(Months::new(2)).unwrap_or(today);
        let oxygen = self.category == RentalCategory::Oxygen;
        let until = if oxygen { oxygen::lifetime_end(today).unwrap_or(ahead) } else { ahead };
        let laid_out = schedule(&self.engine(RentalFees::Unpriced), until);
        let months = &laid_out.months;
        self.month = months.iter().filter(|m| m.dos <= today).map(|m| m.month).next_back().unwrap_or(0);
        self.cap = self.category.month_cap();
        self.next_bill = months.iter().find(|m| m.dos > today && m.dos <= ahead && m.billable).map(|m| m.dos);
        self.obligation_end = laid_out.oxygen_obligation_end;
        self.maintenance_eligible = oxygen && oxygen::maintenance_eligible(&self.hcpcs);
        self.next_maintenance = months
            .iter()
            .find(|m| m.dos >= today && m.side_lines.iter().any(|l| l.modifiers.contains(&Modifier::MS)))
            .map(|m| m.dos);
        self
    }
}

/// Every episode (or one patient's), with its breaks, oldest first; `today` sets the progress.
pub fn list(conn: &Connection, patient_id: Option<i64>, today: NaiveDate) -> Result<Vec<Episode>, RentalError> {
    Ok(load(conn, patient_id)?.into_iter().map(|e| e.progress(today)).collect())
}

/// Every episode with its breaks and nothing computed: what the billing run reads.
pub(super) fn load_all(conn: &Connection) -> Result<Vec<Episode>, RentalError> {
    load(conn, None)
}

/// Every episode (or one patient's) with its breaks, oldest first, nothing computed.
fn load(conn: &Connection, patient_id: Option<i64>) -> Result<Vec<Episode>, RentalError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE ?1 IS NULL OR e.patient_id = ?1 ORDER BY e.id"))?;
    let episodes: Vec<Episode> = stmt.query_map([patient_id], from_row)?.collect::<Result<_, _>>()?;
    let mut breaks = breaks(conn, patient_id)?;
    Ok(episodes
        .into_iter()
        .map(|mut e| {
            e.interruptions = breaks.remove(&e.id).unwrap_or_default();
            e
        })
        .collect())
}

/// A patient with a rental on file: a choice of the rentals list's patient filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RentalPatient {
    pub id: i64,
    /// "Last, First", as the list shows it.
    pub name: String,
}

/// The patients with a rental on file, by name: what the rentals list can be narrowed to.
pub fn patients(conn: &Connection) -> Result<Vec<RentalPatient>, RentalError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.last_name || ', ' || p.first_name AS name FROM patients p
         WHERE EXISTS (SELECT 1 FROM rental_episodes e WHERE e.patient_id = p.id) ORDER BY name, p.id",
    )?;
    let rows = stmt.query_map([], |r| Ok(RentalPatient { id: r.get(0)?, name: r.get(1)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn break_from_row(r: &Row<'_>) -> rusqlite::Result<(i64, EpisodeBreak)> {
    Ok((
        r.get(0)?,
        EpisodeBreak {
            id: r.get(1)?,
            from: r.get(2)?,
            to: r.get(3)?,
            reason: r.get(4)?,
            new_period_documented: r.get(5)?,
        },
    ))
}

const BREAKS: &str =
    "SELECT episode_id, id, from_date, to_date, reason, new_period_documented FROM rental_interruptions";

/// The breaks of every episode (or of one patient's), by episode.
fn breaks(conn: &Connection, patient_id: Option<i64>) -> Result<HashMap<i64, Vec<EpisodeBreak>>, RentalError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{BREAKS} WHERE ?1 IS NULL OR episode_id IN (SELECT id FROM rental_episodes WHERE patient_id = ?1)
         ORDER BY episode_id, from_date"
    ))?;
    let mut map: HashMap<i64, Vec<EpisodeBreak>> = HashMap::new();
    for row in stmt.query_map([patient_id], break_from_row)? {
        let (episode, b) = row?;
        map.entry(episode).or_default().push(b);
    }
    Ok(map)
}

/// One episode with its breaks, the units that served it and its progress on `today`.
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Episode, RentalError> {
    let mut episode = conn
        .query_row(&format!("{SELECT} WHERE e.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(RentalError::NotFound(id))?;
    let mut stmt = conn.prepare_cached(&format!("{BREAKS} WHERE episode_id = ?1 ORDER BY from_date"))?;
    episode.interruptions =
        stmt.query_map([id], break_from_row)?.map(|r| r.map(|(_, b)| b)).collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.serial FROM delivery_items i JOIN assets a ON a.id = i.asset_id WHERE i.order_line_id = ?1
         UNION
         SELECT a.serial FROM asset_exchanges x JOIN delivery_items i ON i.id = x.delivery_item_id
             JOIN assets a ON a.id = x.new_asset_id WHERE i.order_line_id = ?1
         ORDER BY 1",
    )?;
    episode.assets = stmt.query_map([episode.order_line_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(episode.progress(today))
}

/// Checks a break against the episode it is recorded on.
fn check_break(episode: &Episode, input: &BreakInput) -> Result<(NaiveDate, NaiveDate, &'static str), Problems> {
    let mut p = Problems::new();
    let from = p.required_date("from", input.from.as_deref());
    let to = p.required_date("to", input.to.as_deref());
    let reason = optional(input.reason.as_deref()).unwrap_or_else(|| "other".into());
    let reason = p.choice("reason", Some(reason.as_str()), REASONS);
    if let (Some(from), Some(to)) = (from, to) {
        if to <= from {
            p.add("to", format!("{to} is not after the first day out of use {from}"));
        }
        if from <= episode.start {
            p.add("from", format!("{from} is on or before the first date of service {}", episode.start));
        }
        if let Some(other) = episode.interruptions.iter().find(|b| from < b.to && b.from < to) {
            p.add("from", format!("the break overlaps the one recorded from {} to {}", other.from, other.to));
        }
    }
    match (from, to, reason) {
        (Some(from), Some(to), Some(reason)) if p.is_empty() => Ok((from, to, reason)),
        _ => Err(p),
    }
}

/// Records a break in use on episode `id` (a pickup, a hospital stay...).
pub fn interrupt(db: &mut Db, actor: &Actor, id: i64, input: &BreakInput) -> Result<Episode, RentalError> {
    let today = crate::validation::today();
    db.write(actor, |c| interrupt_in(c, id, input, today))
}

/// [`interrupt`] inside a larger change (the demo data), with progress as of `today`.
pub fn interrupt_in(c: &Change<'_>, id: i64, input: &BreakInput, today: NaiveDate) -> Result<Episode, RentalError> {
    let (from, to, reason) = check_break(&get(c.conn(), id, today)?, input)?;
    c.conn().execute(
        "INSERT INTO rental_interruptions (episode_id, from_date, to_date, reason, new_period_documented)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, from, to, reason, input.new_period_documented],
    )?;
    c.audit("interrupt", "rental", Some(id), &format!("out of use {from} to {to} ({reason})"))?;
    get(c.conn(), id, today)
}

/// Records that a new order, new documentation and the reason are on file for break
/// `break_id`, so a break too long to be temporary starts a new rental period.
pub fn document_new_period(db: &mut Db, actor: &Actor, break_id: i64) -> Result<Episode, RentalError> {
    db.write(actor, |c| {
        let episode: i64 = c
            .conn()
            .query_row("SELECT episode_id FROM rental_interruptions WHERE id = ?1", [break_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Problems::one("break", format!("there is no break in use with id {break_id}")))?;
        c.conn().execute("UPDATE rental_interruptions SET new_period_documented = 1 WHERE id = ?1", [break_id])?;
        c.audit("new-period", "rental", Some(episode), &format!("break {break_id}: new period documented"))?;
        get(c.conn(), episode, crate::validation::today())
    })
}

/// Records the months of this period already paid to another supplier (they count toward
/// the cap, 42 CFR 414.230).
pub fn set_prior_months(db: &mut Db, actor: &Actor, id: i64, months: &str) -> Result<Episode, RentalError> {
    db.write(actor, |c| set_prior_months_in(c, id, months))
}

fn set_prior_months_in(c: &Change<'_>, id: i64, months: &str) -> Result<Episode, RentalError> {
    let today = crate::validation::today();
    let episode = get(c.conn(), id, today)?;
    let mut p = Problems::new();
    let n = months.trim().parse::<u32>().ok().filter(|n| *n <= 600);
    match n {
        None => p.add("prior_months", format!("'{}' is not a number of months (0 to 600)", months.trim())),
        Some(n) => prior_months_left(&mut p, episode.category, n, &RentalFees::Unpriced),
    }
    let n = p.finish(n.unwrap_or_default())?;
    c.conn().execute("UPDATE rental_episodes SET prior_months = ?2 WHERE id = ?1", params![id, n])?;
    c.audit("prior-months", "rental", Some(id), &format!("{n} month(s) with another supplier"))?;
    get(c.conn(), id, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();

    /// The demo as its `rentals` stage leaves it: rentals of several patients, one with a
    /// hospital stay recorded as a break.
    fn demo() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::load_through(&mut db, &Actor::new("test"), TODAY, "rentals").unwrap();
        db
    }

    #[test]
    fn a_patients_list_is_their_rentals_with_their_own_breaks() {
        let db = demo();
        let every = list(db.conn(), None, TODAY).unwrap();
        assert!(every.iter().any(|e| !e.interruptions.is_empty()), "the demo has a break");
        let patients = patients(db.conn()).unwrap();
        assert!(patients.len() > 1, "{patients:?}");
        for patient in &patients {
            let theirs = list(db.conn(), Some(patient.id), TODAY).unwrap();
            let expected: Vec<&Episode> = every.iter().filter(|e| e.patient_id == patient.id).collect();
            assert!(!theirs.is_empty(), "{} has a rental", patient.name);
            assert_eq!(theirs.iter().collect::<Vec<_>>(), expected, "{}", patient.name);
        }
        assert!(list(db.conn(), Some(-1), TODAY).unwrap().is_empty());
    }

    #[test]
    fn the_filter_offers_each_patient_with_a_rental_once_by_name() {
        let db = demo();
        let patients = patients(db.conn()).unwrap();
        let mut with_rentals: Vec<i64> = list(db.conn(), None, TODAY).unwrap().iter().map(|e| e.patient_id).collect();
        with_rentals.sort_unstable();
        with_rentals.dedup();
        let mut offered: Vec<i64> = patients.iter().map(|p| p.id).collect();
        offered.sort_unstable();
        assert_eq!(offered, with_rentals);
        assert!(patients.windows(2).all(|w| w[0].name <= w[1].name), "{patients:?}");
    }
}
