//! `hmedesk rentals ...`

use super::{output, Context, Failure};
use crate::rentals::{self, RentalMonth, RentalSchedule, ScheduleInput};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lay out a rental month by month (no patient needed): dates of service, billable or
    /// why not, modifiers, fees
    Schedule(ScheduleInput),
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
    }
}
