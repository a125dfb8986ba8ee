//! Moving a unit through its lifecycle: status changes (checked against the table in
//! [`super::status`]), transfers between locations, hour meter readings, and the history
//! each of them leaves.
//!
//! What each change does to stock: a delivery (reserved → on_rent or sold) takes the unit
//! out of its location for the patient; a pickup (on_rent → returned) puts it into the
//! location it is brought to; lost or retired takes a unit on a shelf out (an adjustment, or
//! scrap); a lost unit found again (lost → returned) is counted back in. Other changes leave
//! it where it is.

use super::status::AssetStatus;
use super::store::{self, Asset};
use super::AssetError;
use crate::db::{now_utc, Actor, Change, Db};
use crate::inventory::ledger::{self, NewMovement};
use crate::inventory::{locations, MovementKind};
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

/// A status change or a transfer, as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct TransitionInput {
    /// The new status: available, reserved, on_rent, sold, returned, cleaning, maintenance,
    /// retired or lost
    #[arg(long)]
    pub status: Option<String>,
    /// The patient a unit is reserved for
    #[arg(long)]
    pub patient_id: Option<String>,
    /// Where a returned unit is brought, or where a transfer goes
    #[arg(long)]
    pub location_id: Option<String>,
    /// Why (required when a unit is lost or retired)
    #[arg(long)]
    pub note: Option<String>,
    /// Hour meter reading taken now, for equipment that has one
    #[arg(long)]
    pub hours_meter: Option<String>,
    /// The day it happened, YYYY-MM-DD (default today)
    #[arg(long)]
    pub date: Option<String>,
}

/// One row of a unit's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AssetEvent {
    pub id: i64,
    pub asset_id: i64,
    pub happened_on: NaiveDate,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
    /// Who recorded it.
    pub actor: String,
    pub from_status: Option<AssetStatus>,
    pub to_status: AssetStatus,
    /// The location involved: where the unit went, or where it left from.
    pub location_id: Option<i64>,
    pub location: Option<String>,
    /// The patient involved: who it was reserved for, delivered to or picked up from.
    pub patient_id: Option<i64>,
    pub patient: Option<String>,
    pub note: Option<String>,
}

/// The checked common fields of a [`TransitionInput`].
struct Details {
    patient_id: Option<i64>,
    location_id: Option<i64>,
    note: Option<String>,
    hours_meter: Option<i64>,
    on: NaiveDate,
}

fn details(p: &mut Problems, input: &TransitionInput, today: NaiveDate) -> Details {
    let on = p.optional_date("date", input.date.as_deref()).unwrap_or(today);
    if on > today {
        p.add("date", "is in the future");
    }
    Details {
        patient_id: p.optional_id("patient_id", input.patient_id.as_deref()),
        location_id: p.optional_id("location_id", input.location_id.as_deref()),
        note: optional(input.note.as_deref()),
        hours_meter: p.optional_count("hours_meter", input.hours_meter.as_deref(), 0),
        on,
    }
}

/// Changes the status of unit `id`.
pub fn transition(db: &mut Db, actor: &Actor, id: i64, input: &TransitionInput) -> Result<Asset, AssetError> {
    let mut p = Problems::new();
    let to = match optional(input.status.as_deref()) {
        Some(_) => p.choice("status", input.status.as_deref(), AssetStatus::CHOICES),
        None => {
            p.add("status", "is required");
            None
        }
    };
    let d = details(&mut p, input, today());
    let to = p.finish(to)?.unwrap_or(AssetStatus::Available);
    db.write(actor, |c| change(c, id, to, &d))
}

/// [`transition`] inside a larger change (the demo): `to` with the given patient, location,
/// note, hour reading and date.
pub fn transition_in(
    c: &Change<'_>,
    id: i64,
    to: AssetStatus,
    patient_id: Option<i64>,
    location_id: Option<i64>,
    note: Option<&str>,
    on: NaiveDate,
) -> Result<Asset, AssetError> {
    let d = Details { patient_id, location_id, note: note.map(str::to_string), hours_meter: None, on };
    change(c, id, to, &d)
}

fn change(c: &Change<'_>, id: i64, to: AssetStatus, d: &Details) -> Result<Asset, AssetError> {
    let asset = store::get(c.conn(), id)?;
    let from = asset.status;
    if !from.can_become(to) {
        let allowed: Vec<&str> = from.next().iter().map(|s| s.code()).collect();
        let allowed = if allowed.is_empty() { "nothing".to_string() } else { allowed.join(", ") };
        return Err(AssetError::IllegalTransition { serial: asset.serial, from, to, allowed });
    }
    let mut p = Problems::new();
    match (to, d.patient_id) {
        (AssetStatus::Reserved, None) => p.add("patient_id", "is required: say which patient the unit is for"),
        (AssetStatus::Reserved, Some(patient)) => {
            let exists: bool =
                c.conn().query_row("SELECT EXISTS(SELECT 1 FROM patients WHERE id = ?1)", [patient], |r| r.get(0))?;
            if !exists {
                p.add("patient_id", format!("there is no patient with id {patient}"));
            }
        }
        (_, Some(_)) => p.add("patient_id", "is only for reserving a unit (a delivery goes to the reserved patient)"),
        (_, None) => {}
    }
    match (to, d.location_id) {
        (AssetStatus::Returned, None) => p.add("location_id", "is required: say where the unit is brought back to"),
        (AssetStatus::Returned, Some(l)) if locations::get(c.conn(), l).is_err() => {
            p.add("location_id", format!("there is no location with id {l}"))
        }
        (AssetStatus::Returned, Some(_)) | (_, None) => {}
        (_, Some(_)) => p.add("location_id", "is only for returns (use transfer to move a unit on the shelf)"),
    }
    if matches!(to, AssetStatus::Lost | AssetStatus::Retired) && d.note.is_none() {
        p.add("note", format!("is required: say why the unit is {to}"));
    }
    check_hours(&mut p, &asset, d.hours_meter);
    p.finish(())?;

    // Where the unit is and who has it after the change.
    let (location_after, patient_after) = match to {
        AssetStatus::Reserved => (asset.location_id, d.patient_id),
        AssetStatus::OnRent | AssetStatus::Sold => (None, asset.patient_id),
        AssetStatus::Returned => (d.location_id, None),
        AssetStatus::Lost | AssetStatus::Retired => (None, None),
        AssetStatus::Available | AssetStatus::Cleaning | AssetStatus::Maintenance => (asset.location_id, None),
    };
    let movement = match (from.in_stock(), to.in_stock(), to) {
        (true, false, AssetStatus::OnRent | AssetStatus::Sold) => {
            Some((MovementKind::Deliver, asset.location_id, None, asset.patient_id, None))
        }
        (true, false, AssetStatus::Retired) => {
            Some((MovementKind::Scrap, asset.location_id, None, None, d.note.clone()))
        }
        (true, false, _) => Some((
            MovementKind::Adjust,
            asset.location_id,
            None,
            None,
            Some(format!("lost: {}", d.note.as_deref().unwrap_or_default())),
        )),
        (false, true, _) if from == AssetStatus::Lost => {
            Some((MovementKind::Adjust, None, d.location_id, None, Some("lost unit found".to_string())))
        }
        (false, true, _) => Some((MovementKind::Return, None, d.location_id, asset.patient_id, None)),
        _ => None,
    };
    if let Some((kind, from_location_id, to_location_id, patient_id, reason)) = movement {
        ledger::record(
            c,
            &NewMovement {
                kind,
                item_id: asset.item_id,
                lot_id: None,
                asset_id: Some(id),
                from_location_id,
                to_location_id,
                quantity: 1,
                unit_cost: None,
                patient_id,
                purchase_order_line_id: None,
                reason,
                moved_on: d.on,
            },
        )?;
    }
    c.conn().execute(
        "UPDATE assets SET status = ?1, location_id = ?2, patient_id = ?3, hours_meter = COALESCE(?4, hours_meter)
         WHERE id = ?5",
        params![to, location_after, patient_after, d.hours_meter, id],
    )?;
    let event_location = location_after.or(asset.location_id);
    let event_patient = patient_after.or(asset.patient_id);
    log(c, id, d.on, Some(from), to, event_location, event_patient, d.note.as_deref())?;
    c.audit("update", "asset", Some(id), &format!("{from} -> {to}"))?;
    store::get(c.conn(), id)
}

/// A reading may not go backwards: the meter only counts up.
fn check_hours(p: &mut Problems, asset: &Asset, reading: Option<i64>) {
    if let (Some(now), Some(last)) = (reading, asset.hours_meter) {
        if now < last {
            p.add("hours_meter", format!("{now} is below the last reading of {last} hours for {}", asset.serial));
        }
    }
}

/// Moves unit `id` to another location without changing its status (warehouse to van).
pub fn transfer(db: &mut Db, actor: &Actor, id: i64, input: &TransitionInput) -> Result<Asset, AssetError> {
    let mut p = Problems::new();
    if optional(input.status.as_deref()).is_some() {
        p.add("status", "a transfer keeps the status; change it separately");
    }
    let d = details(&mut p, input, today());
    if d.location_id.is_none() && p.is_empty() {
        p.add("location_id", "is required: say where the unit goes");
    }
    if d.patient_id.is_some() {
        p.add("patient_id", "is not used by a transfer");
    }
    p.finish(())?;
    let to = d.location_id.unwrap_or_default();
    db.write(actor, |c| relocate(c, id, to, &d))
}

/// [`transfer`] inside a larger change (the demo).
pub fn transfer_in(c: &Change<'_>, id: i64, to: i64, on: NaiveDate) -> Result<Asset, AssetError> {
    relocate(c, id, to, &Details { patient_id: None, location_id: Some(to), note: None, hours_meter: None, on })
}

fn relocate(c: &Change<'_>, id: i64, to: i64, d: &Details) -> Result<Asset, AssetError> {
    let asset = store::get(c.conn(), id)?;
    let mut p = Problems::new();
    if !asset.status.in_stock() {
        p.add("location_id", format!("{} is {}, not on a shelf; it cannot be transferred", asset.serial, asset.status));
    } else if asset.location_id == Some(to) {
        p.add("location_id", format!("{} is already there", asset.serial));
    } else if locations::get(c.conn(), to).is_err() {
        p.add("location_id", format!("there is no location with id {to}"));
    }
    check_hours(&mut p, &asset, d.hours_meter);
    p.finish(())?;
    ledger::record(
        c,
        &NewMovement {
            kind: MovementKind::Transfer,
            item_id: asset.item_id,
            lot_id: None,
            asset_id: Some(id),
            from_location_id: asset.location_id,
            to_location_id: Some(to),
            quantity: 1,
            unit_cost: None,
            patient_id: None,
            purchase_order_line_id: None,
            reason: d.note.clone(),
            moved_on: d.on,
        },
    )?;
    c.conn().execute(
        "UPDATE assets SET location_id = ?1, hours_meter = COALESCE(?2, hours_meter) WHERE id = ?3",
        params![to, d.hours_meter, id],
    )?;
    log(c, id, d.on, Some(asset.status), asset.status, Some(to), asset.patient_id, d.note.as_deref())?;
    c.audit("update", "asset", Some(id), &format!("transferred to location {to}"))?;
    store::get(c.conn(), id)
}

/// Records a new hour meter reading (at a pickup, a home visit), refusing one below the last.
pub fn set_hours(c: &Change<'_>, asset: &Asset, reading: i64) -> Result<(), AssetError> {
    let mut p = Problems::new();
    check_hours(&mut p, asset, Some(reading));
    p.finish(())?;
    c.conn().execute("UPDATE assets SET hours_meter = ?1 WHERE id = ?2", params![reading, asset.id])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn log(
    c: &Change<'_>,
    asset_id: i64,
    on: NaiveDate,
    from: Option<AssetStatus>,
    to: AssetStatus,
    location_id: Option<i64>,
    patient_id: Option<i64>,
    note: Option<&str>,
) -> Result<(), AssetError> {
    c.conn().execute(
        "INSERT INTO asset_events (asset_id, happened_on, recorded_at, actor, from_status, to_status, location_id,
            patient_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![asset_id, on, now_utc(), c.actor().name(), from, to, location_id, patient_id, note],
    )?;
    Ok(())
}

fn event_from_row(r: &Row<'_>) -> rusqlite::Result<AssetEvent> {
    Ok(AssetEvent {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        happened_on: r.get(2)?,
        recorded_at: r.get(3)?,
        actor: r.get(4)?,
        from_status: r.get(5)?,
        to_status: r.get(6)?,
        location_id: r.get(7)?,
        location: r.get(8)?,
        patient_id: r.get(9)?,
        patient: r.get(10)?,
        note: r.get(11)?,
    })
}

/// Unit `id`'s history, oldest first.
pub fn history(conn: &Connection, id: i64) -> Result<Vec<AssetEvent>, AssetError> {
    store::get(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.asset_id, e.happened_on, e.recorded_at, e.actor, e.from_status, e.to_status, e.location_id,
                l.name, e.patient_id, p.last_name || ', ' || p.first_name, e.note
         FROM asset_events e LEFT JOIN locations l ON l.id = e.location_id LEFT JOIN patients p ON p.id = e.patient_id
         WHERE e.asset_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt.query_map([id], event_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
