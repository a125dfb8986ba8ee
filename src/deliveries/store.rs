//! Delivery queries and the changes before the signature: schedule, pick, cancel.

use super::{Delivery, DeliveryError, DeliveryInput, DeliveryItem, DeliveryStatus};
use crate::assets::{lifecycle, store as asset_store, Asset, AssetStatus};
use crate::db::{json_ids, now_utc, Actor, Change, Db};
use crate::inventory::{items, ledger, locations, lots};
use crate::orders::{self, Acquisition, OrderStatus};
use crate::patients;
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub(super) const SELECT: &str = "SELECT d.id, d.order_id, d.patient_id, p.last_name || ', ' || p.first_name, d.location_id, d.scheduled_on,
        d.driver, d.address1, d.address2, d.city, d.state, d.zip, d.instructions, d.status, d.delivered_on, d.signer_name,
        d.signer_relationship, d.signed_at
    FROM deliveries d JOIN patients p ON p.id = d.patient_id";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Delivery> {
    let status: String = r.get(13)?;
    Ok(Delivery {
        id: r.get(0)?,
        order_id: r.get(1)?,
        patient_id: r.get(2)?,
        patient_name: r.get(3)?,
        location_id: r.get(4)?,
        scheduled_on: r.get(5)?,
        driver: r.get(6)?,
        address1: r.get(7)?,
        address2: r.get(8)?,
        city: r.get(9)?,
        state: r.get(10)?,
        zip: r.get(11)?,
        instructions: r.get(12)?,
        status: DeliveryStatus::from_code(&status).unwrap_or(DeliveryStatus::Scheduled),
        delivered_on: r.get(14)?,
        signer_name: r.get(15)?,
        signer_relationship: r.get(16)?,
        signed_at: r.get(17)?,
        items: Vec::new(),
    })
}

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<DeliveryItem> {
    let acquisition: String = r.get(5)?;
    Ok(DeliveryItem {
        id: r.get(0)?,
        order_line_id: r.get(1)?,
        line_position: r.get(2)?,
        hcpcs: r.get(3)?,
        description: r.get(4)?,
        acquisition: Acquisition::from_code(&acquisition).unwrap_or(Acquisition::Rental),
        item_id: r.get(6)?,
        manufacturer: r.get(7)?,
        model: r.get(8)?,
        asset_id: r.get(9)?,
        serial: r.get(10)?,
        lot_id: r.get(11)?,
        lot_number: r.get(12)?,
        lot_expires: r.get(13)?,
        quantity: r.get(14)?,
        picked_up_on: r.get(15)?,
    })
}

/// Fills in what was picked for every delivery of `deliveries` in one query (a list of many
/// deliveries reads their items together, not one query each).
pub(super) fn with_items(conn: &Connection, deliveries: &mut [Delivery]) -> Result<(), DeliveryError> {
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let at: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT di.id, di.order_line_id, ol.position, ol.hcpcs, ol.description, ol.acquisition, di.item_id, i.manufacturer,
                i.model, di.asset_id, a.serial, di.lot_id, l.lot_number, l.expires, di.quantity, di.picked_up_on,
                di.delivery_id
         FROM delivery_items di JOIN order_lines ol ON ol.id = di.order_line_id JOIN items i ON i.id = di.item_id
         LEFT JOIN assets a ON a.id = di.asset_id LEFT JOIN lots l ON l.id = di.lot_id
         WHERE di.delivery_id IN (SELECT value FROM json_each(?1)) ORDER BY di.delivery_id, ol.position, di.id",
    )?;
    let mut rows = stmt.query([json_ids(&ids)])?;
    while let Some(row) = rows.next()? {
        let delivery_id: i64 = row.get(16)?;
        if let Some(&i) = at.get(&delivery_id) {
            deliveries[i].items.push(item_from_row(row)?);
        }
    }
    Ok(())
}

/// The delivery with `id`, with what was picked.
pub fn get(conn: &Connection, id: i64) -> Result<Delivery, DeliveryError> {
    let d = conn
        .query_row(&format!("{SELECT} WHERE d.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(DeliveryError::NotFound(id))?;
    let mut one = [d];
    with_items(conn, &mut one)?;
    let [d] = one;
    Ok(d)
}

/// Schedules a delivery for an order that is ready to deliver (or partly delivered).
pub fn schedule(db: &mut Db, actor: &Actor, input: &DeliveryInput) -> Result<Delivery, DeliveryError> {
    db.write(actor, |c| schedule_in(c, input, today()))
}

/// The orders a delivery may be scheduled for (see [`OrderStatus::can_be_scheduled`]),
/// newest first: the choices of the scheduling form.
pub fn schedulable_orders(conn: &Connection) -> Result<Vec<orders::Order>, DeliveryError> {
    let mut found = Vec::new();
    for status in OrderStatus::all().filter(|s| s.can_be_scheduled()) {
        found.extend(orders::list(conn, orders::OrderFilter { status: Some(status), ..Default::default() })?);
    }
    found.sort_by_key(|o| std::cmp::Reverse((o.order_date, o.id)));
    Ok(found)
}

/// [`schedule`] inside a larger change.
pub fn schedule_in(c: &Change<'_>, input: &DeliveryInput, today: NaiveDate) -> Result<Delivery, DeliveryError> {
    let conn = c.conn();
    let mut p = Problems::new();
    let order_id = crate::orders::required_id(&mut p, "order_id", input.order_id.as_deref());
    let location_id = crate::orders::required_id(&mut p, "location_id", input.location_id.as_deref());
    let scheduled_on = p.required_date("scheduled_on", input.scheduled_on.as_deref());
    if scheduled_on.is_some_and(|d| d < today - chrono::Days::new(30)) {
        p.add("scheduled_on", "is more than 30 days ago");
    }
    let order = if order_id > 0 {
        match orders::get(conn, order_id) {
            Ok(o) => Some(o),
            Err(orders::OrderError::NotFound(_)) => {
                p.add("order_id", format!("there is no order with id {order_id}"));
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    if let Some(o) = &order {
        if !o.status.can_be_scheduled() {
            p.add(
                "order_id",
                format!(
                    "order {} is {}; only an order ready to deliver (or partly delivered) can be scheduled",
                    o.id,
                    o.status.code()
                ),
            );
        }
    }
    if location_id > 0 && locations::get(conn, location_id).is_err() {
        p.add("location_id", format!("there is no location with id {location_id}"));
    }
    let given = optional(input.address1.as_deref()).is_some();
    let patient = match &order {
        Some(o) => Some(patients::get(conn, o.patient_id).map_err(|e| Problems::one("order_id", e.to_string()))?),
        None => None,
    };
    let (address1, address2, city, state, zip) = if given {
        let a1 = p.required("address1", input.address1.as_deref());
        let city = p.required("city", input.city.as_deref());
        let state = p.state("state", input.state.as_deref());
        let zip = p.zip("zip", input.zip.as_deref());
        if state.is_none() && optional(input.state.as_deref()).is_none() {
            p.add("state", "is required with a delivery address");
        }
        if zip.is_none() && optional(input.zip.as_deref()).is_none() {
            p.add("zip", "is required with a delivery address");
        }
        (a1, optional(input.address2.as_deref()), city, state.unwrap_or_default(), zip.unwrap_or_default())
    } else {
        match &patient {
            Some(pt) if pt.address1.is_some() && pt.city.is_some() && pt.state.is_some() && pt.zip.is_some() => (
                pt.address1.clone().unwrap_or_default(),
                pt.address2.clone(),
                pt.city.clone().unwrap_or_default(),
                pt.state.clone().unwrap_or_default(),
                pt.zip.clone().unwrap_or_default(),
            ),
            Some(_) => {
                p.add("address1", "the patient has no complete address on file: give the delivery address");
                Default::default()
            }
            None => Default::default(),
        }
    };
    let (Some(order), Some(scheduled_on), true) = (order, scheduled_on, p.is_empty()) else {
        return Err(p.into());
    };
    conn.execute(
        "INSERT INTO deliveries (order_id, patient_id, location_id, scheduled_on, driver, address1, address2, city, state, zip,
            instructions, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            order.id,
            order.patient_id,
            location_id,
            scheduled_on,
            optional(input.driver.as_deref()),
            address1,
            address2,
            city,
            state,
            zip,
            optional(input.instructions.as_deref()),
            now_utc()
        ],
    )?;
    let id = conn.last_insert_rowid();
    c.audit("create", "delivery", Some(id), &format!("scheduled delivery of order {} for {scheduled_on}", order.id))?;
    get(conn, id)
}

/// One pick: a serialized unit (by id or serial), or a quantity of a stocked item (with its
/// lot when the item is lot-tracked), for an order line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct PickInput {
    /// The order line's number on the order (1, 2, ...)
    #[arg(long)]
    pub line: Option<String>,
    /// A serialized unit, by its serial number
    #[arg(long)]
    pub serial: Option<String>,
    /// A serialized unit, by its id
    #[arg(long)]
    pub asset_id: Option<String>,
    /// A stocked (not serialized) item
    #[arg(long)]
    pub item_id: Option<String>,
    /// The lot, for a lot-tracked item
    #[arg(long)]
    pub lot: Option<String>,
    /// How many of a stocked item (default 1)
    #[arg(long)]
    pub quantity: Option<String>,
}

/// Picks stock or a unit for delivery `id`; a unit is reserved for the patient at once.
pub fn pick(db: &mut Db, actor: &Actor, id: i64, input: &PickInput) -> Result<Delivery, DeliveryError> {
    db.write(actor, |c| pick_in(c, id, input, today()))
}

/// [`pick`] inside a larger change.
pub fn pick_in(c: &Change<'_>, id: i64, input: &PickInput, today: NaiveDate) -> Result<Delivery, DeliveryError> {
    let conn = c.conn();
    let delivery = scheduled(conn, id)?;
    let order = orders::get(conn, delivery.order_id)?;
    let mut p = Problems::new();
    let position = crate::orders::required_id(&mut p, "line", input.line.as_deref());
    let quantity = match optional(input.quantity.as_deref()) {
        None => 1,
        Some(q) => match q.parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                p.add("quantity", format!("'{q}' is not a quantity"));
                1
            }
        },
    };
    let Some(line) = order.lines.iter().find(|l| i64::from(l.position) == position) else {
        if position > 0 {
            p.add("line", format!("order {} has no line {position}", order.id));
        }
        return Err(p.into());
    };
    let picked: u32 = conn.query_row(
        "SELECT COALESCE(SUM(di.quantity), 0) FROM delivery_items di JOIN deliveries d ON d.id = di.delivery_id
         WHERE di.order_line_id = ?1 AND d.status = 'scheduled'",
        [line.id],
        |r| r.get(0),
    )?;
    if line.delivered_quantity + picked + quantity > line.quantity {
        p.add(
            "quantity",
            format!(
                "line {} orders {} of {}; {} delivered and {} picked already, so {quantity} more is too many",
                line.position, line.quantity, line.hcpcs, line.delivered_quantity, picked
            ),
        );
    }
    let asset_ref = optional(input.asset_id.as_deref()).or_else(|| optional(input.serial.as_deref()));
    let (item_id, asset_id, lot_id) = match asset_ref {
        Some(_) => {
            let asset = find_asset(conn, &mut p, input)?;
            if let Some(a) = &asset {
                if a.hcpcs != line.hcpcs {
                    p.add(
                        "serial",
                        format!("{} is a {} unit; line {} is for {}", a.serial, a.hcpcs, line.position, line.hcpcs),
                    );
                }
                if a.status != AssetStatus::Available {
                    p.add("serial", format!("{} is {}, not available", a.serial, a.status));
                }
                if a.location_id != Some(delivery.location_id) {
                    p.add(
                        "serial",
                        format!(
                            "{} is at {}, not where the delivery leaves from; transfer it first",
                            a.serial,
                            a.location.as_deref().unwrap_or("no location")
                        ),
                    );
                }
                if quantity != 1 {
                    p.add("quantity", "a serialized unit is picked one at a time");
                }
            }
            (asset.as_ref().map_or(0, |a| a.item_id), asset.map(|a| a.id), None)
        }
        None => {
            let item_id = crate::orders::required_id(&mut p, "item_id", input.item_id.as_deref());
            let item = if item_id > 0 { items::get(conn, item_id).ok() } else { None };
            let mut lot_id = None;
            match &item {
                None if item_id > 0 => p.add("item_id", format!("there is no item with id {item_id}")),
                None => {}
                Some(item) => {
                    if item.hcpcs != line.hcpcs {
                        p.add(
                            "item_id",
                            format!(
                                "{} is billed as {}; line {} is for {}",
                                item.label(),
                                item.hcpcs,
                                line.position,
                                line.hcpcs
                            ),
                        );
                    }
                    if item.serialized {
                        p.add("item_id", format!("{} is serialized: pick a unit by its serial number", item.label()));
                    }
                    match (optional(input.lot.as_deref()), item.lot_tracked) {
                        (Some(number), true) => match lots::find(conn, item.id, &number)? {
                            Some(lot) if lot.expires.is_some_and(|e| e < delivery.scheduled_on) => p.add(
                                "lot",
                                format!(
                                    "lot {number} expires {} before the delivery date",
                                    lot.expires.map(|e| e.to_string()).unwrap_or_default()
                                ),
                            ),
                            Some(lot) => lot_id = Some(lot.id),
                            None => p.add("lot", format!("lot {number} of {} is not on file", item.label())),
                        },
                        (None, true) => p.add("lot", format!("is required: {} is tracked by lot", item.label())),
                        (Some(_), false) => p.add("lot", format!("{} is not tracked by lot", item.label())),
                        (None, false) => {}
                    }
                    if p.is_empty() {
                        let on_hand = ledger::on_hand(conn, item.id, delivery.location_id, lot_id)?;
                        let held: i64 = conn.query_row(
                            "SELECT COALESCE(SUM(di.quantity), 0) FROM delivery_items di JOIN deliveries d ON d.id = di.delivery_id
                             WHERE di.item_id = ?1 AND di.lot_id IS ?2 AND d.location_id = ?3 AND d.status = 'scheduled'",
                            params![item.id, lot_id, delivery.location_id],
                            |r| r.get(0),
                        )?;
                        if on_hand - held < i64::from(quantity) {
                            p.add(
                                "quantity",
                                format!("only {} of {} free at the delivery's location ({on_hand} on hand, {held} picked for other deliveries)", on_hand - held, item.label()),
                            );
                        }
                    }
                }
            }
            (item_id, None, lot_id)
        }
    };
    if !p.is_empty() {
        return Err(p.into());
    }
    if let Some(asset_id) = asset_id {
        lifecycle::transition_in(c, asset_id, AssetStatus::Reserved, Some(delivery.patient_id), None, None, today)?;
    }
    conn.execute(
        "INSERT INTO delivery_items (delivery_id, order_line_id, item_id, asset_id, lot_id, quantity) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, line.id, item_id, asset_id, lot_id, quantity],
    )?;
    c.audit("pick", "delivery", Some(id), &format!("picked {quantity} for line {} ({})", line.position, line.hcpcs))?;
    get(conn, id)
}

fn find_asset(conn: &Connection, p: &mut Problems, input: &PickInput) -> Result<Option<Asset>, DeliveryError> {
    if let Some(id) = optional(input.asset_id.as_deref()) {
        return Ok(match id.parse::<i64>().ok().map(|id| asset_store::get(conn, id)) {
            Some(Ok(a)) => Some(a),
            _ => {
                p.add("asset_id", format!("there is no unit with id {id}"));
                None
            }
        });
    }
    let serial = optional(input.serial.as_deref()).unwrap_or_default();
    let mut found = asset_store::find_by_serial(conn, &serial)?;
    match found.len() {
        1 => Ok(found.pop()),
        0 => {
            p.add("serial", format!("no unit has serial {serial}"));
            Ok(None)
        }
        _ => {
            p.add("serial", format!("{} units share serial {serial}; pick by asset_id", found.len()));
            Ok(None)
        }
    }
}

/// The delivery, refused unless it is still scheduled.
pub(super) fn scheduled(conn: &Connection, id: i64) -> Result<Delivery, DeliveryError> {
    let d = get(conn, id)?;
    match (d.status, d.delivered_on) {
        (DeliveryStatus::Scheduled, _) => Ok(d),
        (DeliveryStatus::Delivered, Some(on)) => Err(DeliveryError::AlreadyConfirmed { id, on }),
        (status, _) => Err(DeliveryError::NotScheduled { id, status: status.code() }),
    }
}

/// Calls off a scheduled delivery: the picked units go back to available.
pub fn cancel(db: &mut Db, actor: &Actor, id: i64) -> Result<Delivery, DeliveryError> {
    db.write(actor, |c| {
        let d = scheduled(c.conn(), id)?;
        for item in d.items.iter().filter_map(|i| i.asset_id) {
            lifecycle::transition_in(c, item, AssetStatus::Available, None, None, Some("delivery cancelled"), today())?;
        }
        c.conn().execute("DELETE FROM delivery_items WHERE delivery_id = ?1", [id])?;
        c.conn().execute("UPDATE deliveries SET status = 'cancelled' WHERE id = ?1", [id])?;
        c.audit("cancel", "delivery", Some(id), "delivery cancelled; picked units released")?;
        get(c.conn(), id)
    })
}

/// The date of service of each delivered line of order `order_id`: order line id → the
/// delivery date of the first signed delivery that carried it.
pub fn dates_of_service(conn: &Connection, order_id: i64) -> Result<HashMap<i64, NaiveDate>, DeliveryError> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.order_line_id, MIN(d.delivered_on) FROM delivery_items i JOIN deliveries d ON d.id = i.delivery_id
         WHERE d.order_id = ?1 AND d.status = 'delivered' GROUP BY i.order_line_id",
    )?;
    let rows = stmt.query_map([order_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orders_offered_for_scheduling_are_those_schedule_accepts() {
        let mut db = Db::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        crate::demo::load_through(&mut db, &Actor::new("test"), today, "returns").unwrap();
        let every = orders::list(db.conn(), orders::OrderFilter::default()).unwrap();
        let offered = schedulable_orders(db.conn()).unwrap();
        let wanted: Vec<i64> = every.iter().filter(|o| o.status.can_be_scheduled()).map(|o| o.id).collect();
        assert!(!wanted.is_empty() && wanted.len() < every.len(), "the demo has orders of both kinds");
        assert_eq!(offered.iter().map(|o| o.id).collect::<Vec<_>>(), wanted, "same orders, newest first");
    }
}
