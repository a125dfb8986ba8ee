//! Preventive maintenance: schedules per item (model) — every N days, or every N hours on
//! the unit's hour meter, as concentrator manufacturers specify filter and sieve service —
//! service records per unit, and the list of units due.
//!
//! A unit is due on a schedule when the days since its last service on that schedule (or since
//! it was acquired) reach the interval, or when its meter has run the interval's hours since
//! that service (or since zero). Units on rent count: a concentrator in a patient's home is
//! serviced there. Sold, retired and lost units are not the supplier's to service.

use super::lifecycle::set_hours;
use super::{store, AssetError};
use crate::db::{now_utc, Actor, Change, Db, DbError};
use crate::inventory::items;
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// A schedule as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct MaintenanceScheduleInput {
    /// The serialized item (model) every unit of which follows the schedule
    #[arg(long)]
    pub item_id: Option<String>,
    /// What to do, like "replace filters, check O2 purity"
    #[arg(long)]
    pub task: Option<String>,
    /// Every this many days
    #[arg(long)]
    pub every_days: Option<String>,
    /// Every this many hours on the unit's hour meter
    #[arg(long)]
    pub every_hours: Option<String>,
}

/// A schedule on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MaintenanceSchedule {
    pub id: i64,
    pub item_id: i64,
    pub sku: String,
    pub task: String,
    pub every_days: Option<i64>,
    pub every_hours: Option<i64>,
}

/// A service record as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ServiceRecordInput {
    /// The schedule the work satisfies (blank for a repair)
    #[arg(long)]
    pub schedule_id: Option<String>,
    /// The day the work was done, YYYY-MM-DD (default today)
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub technician: Option<String>,
    /// What was done
    #[arg(long)]
    pub work_done: Option<String>,
    /// Hour meter reading at the service
    #[arg(long)]
    pub hours_meter: Option<String>,
}

/// Work done on a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ServiceRecord {
    pub id: i64,
    pub asset_id: i64,
    pub schedule_id: Option<i64>,
    pub performed_on: NaiveDate,
    pub technician: String,
    pub work_done: String,
    pub hours_meter: Option<i64>,
    pub recorded_at: String,
    pub actor: String,
}

/// A unit due (or coming due) for scheduled maintenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MaintenanceDue {
    pub asset_id: i64,
    pub serial: String,
    pub item: String,
    pub status: super::AssetStatus,
    pub location: Option<String>,
    pub patient_id: Option<i64>,
    pub patient: Option<String>,
    pub schedule_id: i64,
    pub task: String,
    /// The last service on this schedule, if any.
    pub last_service: Option<NaiveDate>,
    /// For day schedules: the day it falls due.
    pub due_on: Option<NaiveDate>,
    /// For hour schedules: hours run since the last service, and the interval.
    pub hours_since: Option<i64>,
    pub every_hours: Option<i64>,
}

/// Adds a schedule.
pub fn add_schedule(
    db: &mut Db,
    actor: &Actor,
    input: &MaintenanceScheduleInput,
) -> Result<MaintenanceSchedule, AssetError> {
    db.write(actor, |c| create_schedule(c, input))
}

/// [`add_schedule`] inside a larger change (the demo).
pub fn create_schedule(c: &Change<'_>, input: &MaintenanceScheduleInput) -> Result<MaintenanceSchedule, AssetError> {
    let mut p = Problems::new();
    let item_id = p.required_id("item_id", input.item_id.as_deref());
    let task = p.required("task", input.task.as_deref());
    let every_days = p.optional_count("every_days", input.every_days.as_deref(), 1);
    let every_hours = p.optional_count("every_hours", input.every_hours.as_deref(), 1);
    let given = |v: &Option<String>| optional(v.as_deref()).is_some();
    if given(&input.every_days) == given(&input.every_hours) {
        p.add("every_days", "give either every_days or every_hours (one interval per schedule)");
    }
    if item_id > 0 {
        match items::get(c.conn(), item_id) {
            Ok(item) if !item.serialized => p.add(
                "item_id",
                format!("{} is not serialized: only units with serial numbers are serviced", item.label()),
            ),
            Ok(_) => {}
            Err(_) => p.add("item_id", format!("there is no item with id {item_id}")),
        }
    }
    p.finish(())?;
    c.conn().execute(
        "INSERT INTO maintenance_schedules (item_id, task, every_days, every_hours) VALUES (?1, ?2, ?3, ?4)",
        params![item_id, task, every_days, every_hours],
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("create", "maintenance_schedule", Some(id), &format!("schedule for item {item_id}"))?;
    get_schedule(c.conn(), id)
}

const SCHEDULE: &str = "SELECT s.id, s.item_id, i.sku, s.task, s.every_days, s.every_hours
    FROM maintenance_schedules s JOIN items i ON i.id = s.item_id";

fn schedule_from_row(r: &Row<'_>) -> rusqlite::Result<MaintenanceSchedule> {
    Ok(MaintenanceSchedule {
        id: r.get(0)?,
        item_id: r.get(1)?,
        sku: r.get(2)?,
        task: r.get(3)?,
        every_days: r.get(4)?,
        every_hours: r.get(5)?,
    })
}

/// The schedule with `id`.
pub fn get_schedule(conn: &Connection, id: i64) -> Result<MaintenanceSchedule, AssetError> {
    conn.query_row(&format!("{SCHEDULE} WHERE s.id = ?1"), [id], schedule_from_row)
        .optional()?
        .ok_or(AssetError::NotFound("maintenance schedule", id))
}

/// Every schedule, by item.
pub fn schedules(conn: &Connection) -> Result<Vec<MaintenanceSchedule>, AssetError> {
    let mut stmt = conn.prepare_cached(&format!("{SCHEDULE} ORDER BY i.name COLLATE NOCASE, s.id"))?;
    let rows = stmt.query_map([], schedule_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records work done on unit `asset_id`; a meter reading updates the unit's hour meter.
pub fn record_service(
    db: &mut Db,
    actor: &Actor,
    asset_id: i64,
    input: &ServiceRecordInput,
) -> Result<ServiceRecord, AssetError> {
    db.write(actor, |c| create_service(c, asset_id, input, today()))
}

/// [`record_service`] inside a larger change, as of `today`.
pub fn create_service(
    c: &Change<'_>,
    asset_id: i64,
    input: &ServiceRecordInput,
    today: NaiveDate,
) -> Result<ServiceRecord, AssetError> {
    let asset = store::get(c.conn(), asset_id)?;
    let mut p = Problems::new();
    let schedule_id = p.optional_id("schedule_id", input.schedule_id.as_deref());
    let performed_on = p.optional_date("date", input.date.as_deref()).unwrap_or(today);
    if performed_on > today {
        p.add("date", "is in the future");
    }
    let technician = p.required("technician", input.technician.as_deref());
    let work_done = p.required("work_done", input.work_done.as_deref());
    let hours_meter = p.optional_count("hours_meter", input.hours_meter.as_deref(), 0);
    if let Some(id) = schedule_id {
        match get_schedule(c.conn(), id) {
            Ok(s) if s.item_id != asset.item_id => {
                p.add("schedule_id", format!("schedule {id} is for {}, not this unit's item", s.sku))
            }
            Ok(_) => {}
            Err(_) => p.add("schedule_id", format!("there is no maintenance schedule with id {id}")),
        }
    }
    p.finish(())?;
    if let Some(reading) = hours_meter {
        set_hours(c, &asset, reading)?;
    }
    c.conn().execute(
        "INSERT INTO service_records (asset_id, schedule_id, performed_on, technician, work_done, hours_meter,
            recorded_at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![asset_id, schedule_id, performed_on, technician, work_done, hours_meter, now_utc(), c.actor().name()],
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("create", "service_record", Some(id), &format!("service on asset {asset_id}"))?;
    Ok(c.conn().query_row(&format!("{SERVICE} WHERE id = ?1"), [id], service_from_row)?)
}

const SERVICE: &str = "SELECT id, asset_id, schedule_id, performed_on, technician, work_done, hours_meter,
    recorded_at, actor FROM service_records";

fn service_from_row(r: &Row<'_>) -> rusqlite::Result<ServiceRecord> {
    Ok(ServiceRecord {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        schedule_id: r.get(2)?,
        performed_on: r.get(3)?,
        technician: r.get(4)?,
        work_done: r.get(5)?,
        hours_meter: r.get(6)?,
        recorded_at: r.get(7)?,
        actor: r.get(8)?,
    })
}

/// Unit `asset_id`'s service records, newest first.
pub fn service_history(conn: &Connection, asset_id: i64) -> Result<Vec<ServiceRecord>, AssetError> {
    let mut stmt =
        conn.prepare_cached(&format!("{SERVICE} WHERE asset_id = ?1 ORDER BY performed_on DESC, id DESC"))?;
    let rows = stmt.query_map([asset_id], service_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Units due for scheduled maintenance by `today` plus `within_days` (day schedules), or
/// whose meter has run a schedule's hours; most overdue first.
pub fn due(conn: &Connection, today: NaiveDate, within_days: u32) -> Result<Vec<MaintenanceDue>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.serial, i.name, a.status, l.name, a.patient_id, p.last_name || ', ' || p.first_name,
                s.id, s.task, s.every_days, s.every_hours, a.acquired_on, a.hours_meter,
                (SELECT MAX(r.performed_on) FROM service_records r WHERE r.asset_id = a.id AND r.schedule_id = s.id),
                (SELECT r.hours_meter FROM service_records r WHERE r.asset_id = a.id AND r.schedule_id = s.id
                   AND r.hours_meter IS NOT NULL ORDER BY r.performed_on DESC, r.id DESC LIMIT 1)
         FROM assets a JOIN items i ON i.id = a.item_id JOIN maintenance_schedules s ON s.item_id = a.item_id
         LEFT JOIN locations l ON l.id = a.location_id LEFT JOIN patients p ON p.id = a.patient_id
         WHERE a.status NOT IN ('sold', 'retired', 'lost')
         ORDER BY a.id, s.id",
    )?;
    let horizon = today + chrono::Days::new(u64::from(within_days));
    let mut rows = stmt.query([])?;
    let mut due = Vec::new();
    while let Some(r) = rows.next()? {
        let every_days: Option<i64> = r.get(9)?;
        let every_hours: Option<i64> = r.get(10)?;
        let acquired_on: NaiveDate = r.get(11)?;
        let meter: Option<i64> = r.get(12)?;
        let last_service: Option<NaiveDate> = r.get(13)?;
        let hours_at_service: Option<i64> = r.get(14)?;
        let due_on = every_days.map(|d| last_service.unwrap_or(acquired_on) + chrono::Days::new(d.unsigned_abs()));
        let hours_since = every_hours.map(|_| meter.unwrap_or(0) - hours_at_service.unwrap_or(0));
        let is_due = due_on.is_some_and(|d| d <= horizon)
            || matches!((hours_since, every_hours), (Some(run), Some(every)) if run >= every);
        if is_due {
            due.push(MaintenanceDue {
                asset_id: r.get(0)?,
                serial: r.get(1)?,
                item: r.get(2)?,
                status: r.get(3)?,
                location: r.get(4)?,
                patient_id: r.get(5)?,
                patient: r.get(6)?,
                schedule_id: r.get(7)?,
                task: r.get(8)?,
                last_service,
                due_on,
                hours_since,
                every_hours,
            });
        }
    }
    due.sort_by_key(|d| (d.due_on.unwrap_or(today), d.asset_id));
    Ok(due)
}
