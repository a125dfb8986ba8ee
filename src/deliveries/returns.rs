//! Units coming back: a pickup (the rented unit is returned to a location, then goes to
//! cleaning) and an exchange (a rented unit swapped for another on the same rental).
//!
//! An exchange does not end the rental: the delivered line keeps its delivery date (the
//! rental's first date of service, from which the rental months count) and now points to the
//! new unit; the swap is recorded with its reason.

use super::{store, DeliveryError};
use crate::assets::{lifecycle, store as asset_store, Asset, AssetStatus};
use crate::db::{now_utc, Actor, Change, Db};
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A pickup as entered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct PickupInput {
    /// The unit picked up, by serial number
    #[arg(long)]
    pub serial: Option<String>,
    /// Where it is brought back to
    #[arg(long)]
    pub location_id: Option<String>,
    /// The day, YYYY-MM-DD (default today)
    #[arg(long)]
    pub date: Option<String>,
    /// Why (end of need, patient deceased, upgrade ...)
    #[arg(long)]
    pub note: Option<String>,
}

/// An exchange as entered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ExchangeInput {
    /// The unit with the patient now, by serial number
    #[arg(long)]
    pub serial: Option<String>,
    /// The replacement unit, by serial number (available, same HCPCS)
    #[arg(long)]
    pub new_serial: Option<String>,
    /// Where the old unit is brought back to
    #[arg(long)]
    pub location_id: Option<String>,
    /// The day, YYYY-MM-DD (default today)
    #[arg(long)]
    pub date: Option<String>,
    /// Why the unit is swapped (malfunction, recall, upgrade ...)
    #[arg(long)]
    pub reason: Option<String>,
}

/// The one unit with `serial`, or a problem on `field`.
fn unit(
    conn: &Connection,
    p: &mut Problems,
    field: &str,
    serial: Option<&str>,
) -> Result<Option<Asset>, DeliveryError> {
    let Some(serial) = optional(serial) else {
        p.add(field, "is required");
        return Ok(None);
    };
    let mut found = asset_store::find_by_serial(conn, &serial)?;
    Ok(match found.len() {
        1 => found.pop(),
        0 => {
            p.add(field, format!("no unit has serial {serial}"));
            None
        }
        n => {
            p.add(field, format!("{n} units share serial {serial}"));
            None
        }
    })
}

/// The delivered line a rented unit is out on: (delivery item id, patient id).
fn open_line(conn: &Connection, asset_id: i64) -> Result<Option<(i64, i64)>, DeliveryError> {
    Ok(conn
        .query_row(
            "SELECT di.id, d.patient_id FROM delivery_items di JOIN deliveries d ON d.id = di.delivery_id
             WHERE di.asset_id = ?1 AND di.picked_up_on IS NULL AND d.status = 'delivered'",
            [asset_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn date(p: &mut Problems, text: Option<&str>, today: NaiveDate) -> NaiveDate {
    let on = p.optional_date("date", text).unwrap_or(today);
    if on > today {
        p.add("date", "is in the future");
    }
    on
}

/// Brings `asset` back to `location` on `on` and sends it to cleaning.
fn bring_back(
    c: &Change<'_>,
    asset: i64,
    location: i64,
    on: NaiveDate,
    note: Option<&str>,
) -> Result<(), DeliveryError> {
    lifecycle::transition_in(c, asset, AssetStatus::Returned, None, Some(location), note, on)?;
    lifecycle::transition_in(c, asset, AssetStatus::Cleaning, None, None, None, on)?;
    Ok(())
}

/// Picks up a rented unit: returned to the location, then cleaning; its delivered line is
/// closed on that day. Returns the delivery it had gone out on.
pub fn pickup(db: &mut Db, actor: &Actor, input: &PickupInput) -> Result<super::Delivery, DeliveryError> {
    db.write(actor, |c| pickup_in(c, input, today()))
}

/// Picks up a rented unit inside a larger change, `today` being the latest allowed date.
pub fn pickup_in(c: &Change<'_>, input: &PickupInput, today: NaiveDate) -> Result<super::Delivery, DeliveryError> {
    let conn = c.conn();
    let mut p = Problems::new();
    let asset = unit(conn, &mut p, "serial", input.serial.as_deref())?;
    let location = crate::orders::required_id(&mut p, "location_id", input.location_id.as_deref());
    let on = date(&mut p, input.date.as_deref(), today);
    let line = match &asset {
        Some(a) if a.status != AssetStatus::OnRent => {
            p.add("serial", format!("{} is {}, not on rent with a patient", a.serial, a.status));
            None
        }
        Some(a) => {
            let line = open_line(conn, a.id)?;
            if line.is_none() {
                p.add("serial", format!("{} did not go out on a delivery recorded here", a.serial));
            }
            line
        }
        None => None,
    };
    let (Some(asset), Some((item_id, _)), true) = (asset, line, p.is_empty()) else {
        return Err(p.into());
    };
    bring_back(c, asset.id, location, on, optional(input.note.as_deref()).as_deref())?;
    conn.execute("UPDATE delivery_items SET picked_up_on = ?1 WHERE id = ?2", params![on, item_id])?;
    c.audit("pickup", "asset", Some(asset.id), &format!("picked up {} on {on}", asset.serial))?;
    let delivery: i64 =
        conn.query_row("SELECT delivery_id FROM delivery_items WHERE id = ?1", [item_id], |r| r.get(0))?;
    store::get(conn, delivery)
}

/// Swaps a rented unit for another of the same code on the same rental.
pub fn exchange(db: &mut Db, actor: &Actor, input: &ExchangeInput) -> Result<super::Delivery, DeliveryError> {
    db.write(actor, |c| exchange_in(c, input, today()))
}

/// Swaps a rented unit inside a larger change, `today` being the latest allowed date.
pub fn exchange_in(c: &Change<'_>, input: &ExchangeInput, today: NaiveDate) -> Result<super::Delivery, DeliveryError> {
    let conn = c.conn();
    let mut p = Problems::new();
    let old = unit(conn, &mut p, "serial", input.serial.as_deref())?;
    let new = unit(conn, &mut p, "new_serial", input.new_serial.as_deref())?;
    let location = crate::orders::required_id(&mut p, "location_id", input.location_id.as_deref());
    let reason = p.required("reason", input.reason.as_deref());
    let on = date(&mut p, input.date.as_deref(), today);
    let mut line = None;
    if let Some(o) = &old {
        if o.status != AssetStatus::OnRent {
            p.add("serial", format!("{} is {}, not on rent with a patient", o.serial, o.status));
        } else {
            line = open_line(conn, o.id)?;
            if line.is_none() {
                p.add("serial", format!("{} did not go out on a delivery recorded here", o.serial));
            }
        }
    }
    if let (Some(o), Some(n)) = (&old, &new) {
        if n.hcpcs != o.hcpcs {
            p.add("new_serial", format!("{} is a {} unit; the rental is for {}", n.serial, n.hcpcs, o.hcpcs));
        }
        if n.status != AssetStatus::Available {
            p.add("new_serial", format!("{} is {}, not available", n.serial, n.status));
        }
    }
    let (Some(old), Some(new), Some((item_id, patient_id)), true) = (old, new, line, p.is_empty()) else {
        return Err(p.into());
    };
    lifecycle::transition_in(c, new.id, AssetStatus::Reserved, Some(patient_id), None, None, on)?;
    lifecycle::transition_in(c, new.id, AssetStatus::OnRent, None, None, None, on)?;
    bring_back(c, old.id, location, on, Some(&format!("exchanged for {}: {reason}", new.serial)))?;
    conn.execute(
        "UPDATE delivery_items SET asset_id = ?1, item_id = ?2 WHERE id = ?3",
        params![new.id, new.item_id, item_id],
    )?;
    conn.execute(
        "INSERT INTO asset_exchanges (delivery_item_id, old_asset_id, new_asset_id, exchanged_on, reason, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![item_id, old.id, new.id, on, reason, now_utc()],
    )?;
    c.audit("exchange", "asset", Some(new.id), &format!("{} exchanged for {} on {on}", old.serial, new.serial))?;
    let delivery: i64 =
        conn.query_row("SELECT delivery_id FROM delivery_items WHERE id = ?1", [item_id], |r| r.get(0))?;
    store::get(conn, delivery)
}
