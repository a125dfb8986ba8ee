//! `hmedesk assets ...`: serialized units, their lifecycle and history, maintenance, and the
//! asset reports.

use super::output::{self, cell};
use super::{Context, Failure};
use crate::assets::maintenance::{self, MaintenanceDue, MaintenanceScheduleInput, ServiceRecordInput};
use crate::assets::store::{self, AssetFilter};
use crate::assets::{self, lifecycle, reports, Asset, AssetEvent, AssetInput, AssetStatus, TransitionInput};
use crate::validation::{today, Problems};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List units
    List {
        /// Only units in this status (available, reserved, on_rent, sold, returned, cleaning,
        /// maintenance, retired, lost)
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        item: Option<i64>,
        #[arg(long)]
        patient: Option<i64>,
        /// Serial prefix, or part of the item's name, SKU or HCPCS
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Show a unit with its history and service records
    Show { id: i64 },
    /// Bring a unit already owned into stock
    Add(AssetInput),
    /// Change a unit's status (reserve, deliver, pick up, clean, service, retire...)
    Status {
        id: i64,
        #[command(flatten)]
        input: TransitionInput,
    },
    /// Move a unit on the shelf to another location
    Transfer {
        id: i64,
        #[arg(long)]
        location_id: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        date: Option<String>,
    },
    /// A unit's history: where, which patient, when, who
    History { id: i64 },
    /// Record maintenance or a repair done on a unit
    Service {
        id: i64,
        #[command(flatten)]
        input: ServiceRecordInput,
    },
    /// Maintenance schedules per item
    #[command(subcommand)]
    Schedules(ScheduleCommand),
    /// Units due for scheduled maintenance
    MaintenanceDue {
        /// Also list what falls due within this many days
        #[arg(long, default_value_t = 0)]
        within_days: u32,
    },
    /// How many units are in each status
    ByStatus,
    /// Units out on rent, by patient
    OnRent,
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// List the schedules
    List,
    /// Add a schedule: every N days or every N meter hours
    Add(MaintenanceScheduleInput),
}

fn asset_rows(list: &[Asset]) -> Vec<Vec<String>> {
    let mut rows =
        vec![["ID", "SERIAL", "ITEM", "HCPCS", "STATUS", "LOCATION", "PATIENT", "HOURS"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|a| {
        vec![
            a.id.to_string(),
            a.serial.clone(),
            a.item.clone(),
            a.hcpcs.clone(),
            a.status.to_string(),
            cell(&a.location),
            cell(&a.patient),
            a.hours_meter.map(|h| h.to_string()).unwrap_or_default(),
        ]
    }));
    rows
}

fn history_rows(list: &[AssetEvent]) -> Vec<Vec<String>> {
    let mut rows = vec![["DATE", "FROM", "TO", "LOCATION", "PATIENT", "BY", "NOTE"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|e| {
        vec![
            e.happened_on.to_string(),
            e.from_status.map(|s| s.to_string()).unwrap_or_default(),
            e.to_status.to_string(),
            cell(&e.location),
            cell(&e.patient),
            e.actor.clone(),
            cell(&e.note),
        ]
    }));
    rows
}

fn due_rows(list: &[MaintenanceDue]) -> Vec<Vec<String>> {
    let mut rows =
        vec![["ASSET", "SERIAL", "ITEM", "TASK", "LAST", "DUE", "HOURS SINCE", "WHERE"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|d| {
        vec![
            d.asset_id.to_string(),
            d.serial.clone(),
            d.item.clone(),
            d.task.clone(),
            d.last_service.map(|s| s.to_string()).unwrap_or_default(),
            d.due_on.map(|s| s.to_string()).unwrap_or_default(),
            d.hours_since.map(|h| h.to_string()).unwrap_or_default(),
            d.patient.clone().or_else(|| d.location.clone()).unwrap_or_default(),
        ]
    }));
    rows
}

fn status_filter(status: Option<String>) -> Result<Option<AssetStatus>, Failure> {
    let mut p = Problems::new();
    let parsed = p.choice("status", status.as_deref(), AssetStatus::CHOICES);
    Ok(p.finish(parsed)?)
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::List { status, item, patient, search } => {
            let filter =
                AssetFilter { status: status_filter(status)?, item_id: item, patient_id: patient, search, hcpcs: None };
            let list = store::list(ctx.db.conn(), &filter)?;
            output::print(ctx, &list, |l| asset_rows(l))
        }
        Command::Show { id } => {
            let detail = assets::detail(ctx.db.conn(), id)?;
            output::print(ctx, &detail, |d| {
                let mut rows = asset_rows(std::slice::from_ref(&d.asset));
                rows.push(Vec::new());
                rows.extend(history_rows(&d.history));
                rows.extend(d.service.iter().map(|s| {
                    vec![
                        s.performed_on.to_string(),
                        "service".into(),
                        s.work_done.clone(),
                        s.hours_meter.map(|h| format!("{h} h")).unwrap_or_default(),
                        String::new(),
                        s.technician.clone(),
                    ]
                }));
                rows
            })
        }
        Command::Add(input) => {
            let asset = store::add(&mut ctx.db, &ctx.actor, &input)?;
            output::print(ctx, &asset, |a| asset_rows(std::slice::from_ref(a)))
        }
        Command::Status { id, input } => {
            let asset = lifecycle::transition(&mut ctx.db, &ctx.actor, id, &input)?;
            output::print(ctx, &asset, |a| asset_rows(std::slice::from_ref(a)))
        }
        Command::Transfer { id, location_id, note, date } => {
            let input = TransitionInput { location_id: Some(location_id), note, date, ..TransitionInput::default() };
            let asset = lifecycle::transfer(&mut ctx.db, &ctx.actor, id, &input)?;
            output::print(ctx, &asset, |a| asset_rows(std::slice::from_ref(a)))
        }
        Command::History { id } => {
            let history = lifecycle::history(ctx.db.conn(), id)?;
            output::print(ctx, &history, |h| history_rows(h))
        }
        Command::Service { id, input } => {
            let record = maintenance::record_service(&mut ctx.db, &ctx.actor, id, &input)?;
            output::print(ctx, &record, |s| {
                vec![vec![s.performed_on.to_string(), s.technician.clone(), s.work_done.clone()]]
            })
        }
        Command::Schedules(c) => {
            let list = match c {
                ScheduleCommand::List => maintenance::schedules(ctx.db.conn())?,
                ScheduleCommand::Add(input) => vec![maintenance::add_schedule(&mut ctx.db, &ctx.actor, &input)?],
            };
            output::print(ctx, &list, |l| {
                let mut rows = vec![["ID", "ITEM", "SKU", "TASK", "EVERY"].map(String::from).to_vec()];
                rows.extend(l.iter().map(|s| {
                    let every = match (s.every_days, s.every_hours) {
                        (Some(d), _) => format!("{d} days"),
                        (None, Some(h)) => format!("{h} hours"),
                        (None, None) => String::new(),
                    };
                    vec![s.id.to_string(), s.item_id.to_string(), s.sku.clone(), s.task.clone(), every]
                }));
                rows
            })
        }
        Command::MaintenanceDue { within_days } => {
            let due = maintenance::due(ctx.db.conn(), today(), within_days)?;
            output::print(ctx, &due, |d| due_rows(d))
        }
        Command::ByStatus => {
            let counts = reports::by_status(ctx.db.conn())?;
            output::print(ctx, &counts, |c| c.iter().map(|s| vec![s.status.to_string(), s.count.to_string()]).collect())
        }
        Command::OnRent => {
            let list = reports::on_rent(ctx.db.conn())?;
            output::print(ctx, &list, |l| {
                let mut rows =
                    vec![["PATIENT", "NAME", "ASSET", "SERIAL", "ITEM", "HCPCS", "SINCE"].map(String::from).to_vec()];
                rows.extend(l.iter().map(|r| {
                    vec![
                        r.patient_id.to_string(),
                        r.patient.clone(),
                        r.asset_id.to_string(),
                        r.serial.clone(),
                        r.item.clone(),
                        r.hcpcs.clone(),
                        r.since.to_string(),
                    ]
                }));
                rows
            })
        }
    }
}
