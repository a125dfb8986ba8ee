//! `hmedesk rentals ...`: the schedule calculator, the rentals on file (list, show, breaks in
//! use, prior months), the billing run, the missed-cycles report and the resupply due list.

use super::{output, Context, Failure};
use crate::rentals::{
    self, BillingRun, BreakInput, Episode, MissedMonth, PatientResupplyDue, RentalMonth, RentalSchedule, ScheduleInput,
};
use crate::validation::{parse_date, today};
use chrono::NaiveDate;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lay out a rental month by month (no patient needed): dates of service, billable or
    /// why not, modifiers, fees
    Schedule(ScheduleInput),
    /// List the rentals on file with the month reached and the next bill date
    List {
        #[arg(long)]
        patient: Option<i64>,
    },
    /// Show one rental: breaks in use, units, progress
    Show { id: i64 },
    /// Record a break in use (pickup, hospital or facility stay)
    Interrupt {
        id: i64,
        #[command(flatten)]
        input: BreakInput,
    },
    /// Record that a new order and documentation are on file for a break (starts a new period
    /// when the break is too long to be temporary)
    NewPeriod {
        /// The break's id (see `rentals show`)
        break_id: i64,
    },
    /// Record the months of this rental period already paid to another supplier
    PriorMonths { id: i64, months: String },
    /// Bill every due rental month up to a date as draft claims (running it again creates nothing)
    Bill {
        /// Bill months whose date of service is on or before this day, YYYY-MM-DD
        #[arg(long)]
        through: String,
    },
    /// List every due rental month up to a date that is not billed, with the reason
    Missed {
        #[arg(long)]
        through: String,
    },
    /// List the supplies due for a refill, from what each patient was delivered
    Resupply {
        /// The day to judge from, YYYY-MM-DD
        #[arg(long)]
        as_of: String,
        /// Also list refills due within this many days
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
}

fn date(field: &str, text: &str) -> Result<NaiveDate, Failure> {
    parse_date(text).ok_or_else(|| Failure(format!("{field}: '{text}' is not a date (use YYYY-MM-DD)")))
}

fn episode_rows(list: &[Episode]) -> Vec<Vec<String>> {
    let mut rows = vec![["ID", "PATIENT", "HCPCS", "CAT", "START", "MONTH", "NEXT BILL", "BREAKS", "UNITS"]
        .map(String::from)
        .to_vec()];
    rows.extend(list.iter().map(|e| {
        let month = e.cap.map_or(e.month.to_string(), |cap| format!("{}/{cap}", e.month));
        let breaks: Vec<String> =
            e.interruptions.iter().map(|b| format!("#{} {}..{} {}", b.id, b.from, b.to, b.reason)).collect();
        vec![
            e.id.to_string(),
            e.patient_name.clone(),
            e.hcpcs.to_string(),
            e.category.to_string(),
            e.start.to_string(),
            month,
            e.next_bill.map(|d| d.to_string()).unwrap_or_default(),
            breaks.join(", "),
            e.assets.join(", "),
        ]
    }));
    rows
}

fn missed_rows(list: &[MissedMonth]) -> Vec<Vec<String>> {
    let mut rows = vec![["RENTAL", "PATIENT", "HCPCS", "PERIOD", "MONTH", "DOS", "REASON"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|m| {
        vec![
            m.episode_id.to_string(),
            m.patient_name.clone(),
            m.hcpcs.clone(),
            m.period.to_string(),
            m.month.to_string(),
            m.dos.to_string(),
            m.reason.clone(),
        ]
    }));
    rows
}

fn resupply_rows(list: &[PatientResupplyDue]) -> Vec<Vec<String>> {
    let mut rows =
        vec![["PATIENT", "HCPCS", "SUPPLY", "LAST FILL", "QTY", "DUE", "CONTACT FROM"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|r| {
        vec![
            r.patient_name.clone(),
            r.due.hcpcs.to_string(),
            r.due.description.clone(),
            r.due.last_fill.map(|d| d.to_string()).unwrap_or_default(),
            r.due.quantity.to_string(),
            r.due.next_due.to_string(),
            r.due.contact_from.to_string(),
        ]
    }));
    rows
}

fn run_rows(run: &BillingRun) -> Vec<Vec<String>> {
    let mut rows = vec![vec![format!(
        "{} claim(s), {} line(s) created through {}; {} due month(s) missed (see rentals missed)",
        run.claims_created, run.lines_created, run.through, run.missed
    )]];
    rows.extend(run.lines.iter().map(|l| {
        vec![
            l.claim_control_number.clone(),
            l.episode_id.to_string(),
            format!("{} {}", l.hcpcs, l.modifiers.join(" ")),
            l.month.to_string(),
            l.dos.to_string(),
            l.charge.to_string(),
        ]
    }));
    rows
}

fn rows(schedule: &RentalSchedule) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "PERIOD".into(),
        "MONTH".into(),
        "DOS".into(),
        "BILL".into(),
        "MODIFIERS".into(),
        "FEE".into(),
        "REASON / NOTE".into(),
    ]];
    rows.extend(schedule.months.iter().map(|m: &RentalMonth| {
        let modifiers: Vec<String> = m.modifiers.iter().map(ToString::to_string).collect();
        let side: Vec<String> = m
            .side_lines
            .iter()
            .map(|l| {
                let mods: Vec<String> = l.modifiers.iter().map(ToString::to_string).collect();
                format!("+ {} {}", l.hcpcs, mods.join(" ")).trim_end().to_string()
            })
            .collect();
        let text = [m.reason.clone(), m.note.clone(), (!side.is_empty()).then(|| side.join(", "))];
        vec![
            m.period.to_string(),
            m.month.to_string(),
            m.dos.to_string(),
            if m.billable { "yes" } else { "no" }.into(),
            modifiers.join(" "),
            m.fee.map(|f| f.to_string()).unwrap_or_default(),
            text.into_iter().flatten().collect::<Vec<_>>().join("; "),
        ]
    }));
    let summary = |text: String| [vec![String::new(); 6], vec![text]].concat();
    if let Some(t) = &schedule.title_transfer {
        rows.push(summary(format!(
            "title passes to the patient on {} (after month {} on {})",
            t.title_passes_on, t.last_paid_month, t.last_paid_dos
        )));
    }
    if let Some(end) = schedule.oxygen_obligation_end {
        rows.push(summary(format!("oxygen: the supplier must keep furnishing the equipment until {end}")));
    }
    rows
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Schedule(input) => {
            let schedule = rentals::calculate(&input)?;
            // The JSON contract is the array of months; the table adds the summary lines.
            output::print(ctx, &schedule.months, |_| rows(&schedule))
        }
        Command::List { patient } => {
            let list = rentals::list(ctx.db.conn(), patient, today())?;
            output::print(ctx, &list, |l| episode_rows(l))
        }
        Command::Show { id } => {
            let episode = rentals::get(ctx.db.conn(), id, today())?;
            output::print(ctx, &episode, |e| episode_rows(std::slice::from_ref(e)))
        }
        Command::Interrupt { id, input } => {
            let episode = rentals::interrupt(&mut ctx.db, &ctx.actor, id, &input)?;
            output::print(ctx, &episode, |e| episode_rows(std::slice::from_ref(e)))
        }
        Command::NewPeriod { break_id } => {
            let episode = rentals::document_new_period(&mut ctx.db, &ctx.actor, break_id)?;
            output::print(ctx, &episode, |e| episode_rows(std::slice::from_ref(e)))
        }
        Command::PriorMonths { id, months } => {
            let episode = rentals::set_prior_months(&mut ctx.db, &ctx.actor, id, &months)?;
            output::print(ctx, &episode, |e| episode_rows(std::slice::from_ref(e)))
        }
        Command::Bill { through } => {
            let run = rentals::bill(&mut ctx.db, &ctx.actor, date("through", &through)?)?;
            output::print(ctx, &run, run_rows)
        }
        Command::Missed { through } => {
            let list = rentals::missed(ctx.db.conn(), date("through", &through)?)?;
            output::print(ctx, &list, |l| missed_rows(l))
        }
        Command::Resupply { as_of, days } => {
            let list = rentals::resupply_due(ctx.db.conn(), date("as_of", &as_of)?, days)?;
            output::print(ctx, &list, |l| resupply_rows(l))
        }
    }
}
