//! Order queries and changes: add, get, list, record the signature, move the status, and
//! count what deliveries brought.

use super::lines::validate_line;
use super::swo::{self, SwoFacts, SwoGap};
use super::{
    resolve_diagnoses, validate, Acquisition, CheckedOrder, Order, OrderError, OrderInput, OrderLine, OrderStatus,
};
use crate::catalog::{self, CatalogError};
use crate::db::{now_utc, Actor, Change, Db};
use crate::documents::{self, Blocks};
use crate::patients::{self, PatientError};
use crate::practitioners::{self, PractitionerError};
use crate::validation::{today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

const SELECT: &str = "SELECT o.id, o.patient_id, p.last_name || ', ' || p.first_name, o.practitioner_id,
        r.last_name || ', ' || r.first_name || COALESCE(' ' || r.credentials, ''), o.order_date, o.diagnoses, o.signed_on,
        o.status, o.notes
    FROM orders o JOIN patients p ON p.id = o.patient_id JOIN practitioners r ON r.id = o.practitioner_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Order> {
    let diagnoses: String = r.get(6)?;
    let status: String = r.get(8)?;
    Ok(Order {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        patient_name: r.get(2)?,
        practitioner_id: r.get(3)?,
        practitioner_name: r.get(4)?,
        order_date: r.get(5)?,
        diagnoses: diagnoses.split(':').filter(|d| !d.is_empty()).map(str::to_string).collect(),
        signed_on: r.get(7)?,
        status: OrderStatus::from_code(&status).unwrap_or(OrderStatus::Intake),
        notes: r.get(9)?,
        lines: Vec::new(),
    })
}

fn line_from_row(r: &Row<'_>) -> rusqlite::Result<OrderLine> {
    let acquisition: String = r.get(5)?;
    let modifiers: String = r.get(7)?;
    Ok(OrderLine {
        id: r.get(0)?,
        position: r.get(1)?,
        hcpcs: r.get(2)?,
        description: r.get(3)?,
        quantity: r.get(4)?,
        acquisition: Acquisition::from_code(&acquisition).unwrap_or(Acquisition::Rental),
        length_of_need_months: r.get(6)?,
        modifiers: modifiers.split(':').filter(|m| !m.is_empty()).map(str::to_string).collect(),
        delivered_quantity: r.get(8)?,
    })
}

fn with_lines(conn: &Connection, mut order: Order) -> Result<Order, OrderError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, hcpcs, description, quantity, acquisition, length_of_need_months, modifiers, delivered_quantity
         FROM order_lines WHERE order_id = ?1 ORDER BY position",
    )?;
    order.lines = stmt.query_map([order.id], line_from_row)?.collect::<Result<_, _>>()?;
    Ok(order)
}

/// The order with `id`, with its lines.
pub fn get(conn: &Connection, id: i64) -> Result<Order, OrderError> {
    let order = conn
        .prepare_cached(&format!("{SELECT} WHERE o.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(OrderError::NotFound(id))?;
    with_lines(conn, order)
}

/// Which orders a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub patient_id: Option<i64>,
    pub status: Option<OrderStatus>,
}

/// Orders matching `filter`, newest first, with their lines.
pub fn list(conn: &Connection, filter: OrderFilter) -> Result<Vec<Order>, OrderError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR o.patient_id = ?1) AND (?2 IS NULL OR o.status = ?2)
         ORDER BY o.order_date DESC, o.id DESC"
    ))?;
    let orders: Vec<Order> = stmt
        .query_map(params![filter.patient_id, filter.status.map(OrderStatus::code)], from_row)?
        .collect::<Result<_, _>>()?;
    orders.into_iter().map(|o| with_lines(conn, o)).collect()
}

/// Every order of a patient, newest first.
pub fn list_for_patient(conn: &Connection, patient_id: i64) -> Result<Vec<Order>, OrderError> {
    list(conn, OrderFilter { patient_id: Some(patient_id), status: None })
}

/// Saves a new order (status intake).
pub fn add(db: &mut Db, actor: &Actor, input: &OrderInput) -> Result<Order, OrderError> {
    db.write(actor, |c| create(c, input, today()))
}

/// Saves a new order inside a larger change; `today` bounds the dates.
pub fn create(c: &Change<'_>, input: &OrderInput, today: NaiveDate) -> Result<Order, OrderError> {
    let conn = c.conn();
    let mut p = Problems::new();
    let checked = validate(input, today).unwrap_or_else(|problems| {
        p = problems;
        CheckedOrder::default()
    });
    let diagnoses = match patients::get(conn, checked.patient_id) {
        Ok(patient) => resolve_diagnoses(&mut p, &checked.diagnoses, &patient.diagnoses),
        Err(PatientError::NotFound(id)) => {
            if id > 0 {
                p.add("patient_id", format!("there is no patient with id {id}"));
            }
            Vec::new()
        }
        Err(PatientError::Db(e)) => return Err(e.into()),
        Err(PatientError::Invalid(problems)) => return Err(problems.into()),
    };
    if checked.practitioner_id > 0 {
        match practitioners::get(conn, checked.practitioner_id) {
            Ok(_) => {}
            Err(PractitionerError::NotFound(id)) => {
                p.add("practitioner_id", format!("there is no practitioner with id {id}"))
            }
            Err(PractitionerError::Db(e)) => return Err(e.into()),
            Err(PractitionerError::Invalid(problems)) => return Err(problems.into()),
        }
    }
    let mut lines = Vec::new();
    for (i, line) in input.lines.iter().enumerate() {
        let code = line.hcpcs.as_deref().unwrap_or("");
        let item = match catalog::find_by_hcpcs(conn, code) {
            Ok(item) => item,
            Err(CatalogError::Db(e)) => return Err(e.into()),
            Err(other) => return Err(Problems::one("lines", other.to_string()).into()),
        };
        lines.push(validate_line(&mut p, i + 1, line, item.as_ref()));
    }
    if !p.is_empty() {
        return Err(p.into());
    }
    conn.execute(
        "INSERT INTO orders (patient_id, practitioner_id, order_date, diagnoses, signed_on, status, notes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'intake', ?6, ?7)",
        params![
            checked.patient_id,
            checked.practitioner_id,
            checked.order_date,
            diagnoses.join(":"),
            checked.signed_on,
            checked.notes,
            now_utc()
        ],
    )?;
    let id = conn.last_insert_rowid();
    for line in &lines {
        conn.execute(
            "INSERT INTO order_lines (order_id, position, hcpcs, description, quantity, acquisition, length_of_need_months, modifiers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                line.position,
                line.hcpcs,
                line.description,
                line.quantity,
                line.acquisition.code(),
                line.length_of_need_months,
                line.modifiers_text()
            ],
        )?;
    }
    c.audit(
        "create",
        "order",
        Some(id),
        &format!("added order for patient {} with {} items", checked.patient_id, lines.len()),
    )?;
    get(conn, id)
}

/// Records that the practitioner's signed order came back, signed on `signed_on`.
pub fn sign(db: &mut Db, actor: &Actor, id: i64, signed_on: NaiveDate) -> Result<Order, OrderError> {
    db.write(actor, |c| {
        let order = get(c.conn(), id)?;
        if signed_on < order.order_date {
            return Err(Problems::one(
                "signed_on",
                "is before the order date; a practitioner cannot sign an order before writing it",
            )
            .into());
        }
        if signed_on > today() {
            return Err(Problems::one("signed_on", "is in the future").into());
        }
        c.conn().execute("UPDATE orders SET signed_on = ?1 WHERE id = ?2", params![signed_on, id])?;
        c.audit("sign", "order", Some(id), &format!("signed order received, signed {signed_on}"))?;
        get(c.conn(), id)
    })
}

/// Moves order `id` to `to` by hand. Delivery states are refused (a confirmed delivery sets
/// them); ready to deliver is refused while anything on file blocks delivery.
pub fn set_status(db: &mut Db, actor: &Actor, id: i64, to: OrderStatus, today: NaiveDate) -> Result<Order, OrderError> {
    db.write(actor, |c| change_status(c, id, to, today))
}

/// [`set_status`] inside a larger change.
pub fn change_status(c: &Change<'_>, id: i64, to: OrderStatus, today: NaiveDate) -> Result<Order, OrderError> {
    let order = get(c.conn(), id)?;
    if to.is_set_by_delivery() || !order.status.can_become(to) {
        return Err(OrderError::Transition { id, from: order.status.code(), to: to.code() });
    }
    if to == OrderStatus::ReadyToDeliver {
        let blockers: Vec<String> = documents::missing_for_order(c.conn(), id, today)
            .map_err(|e| OrderError::Invalid(Problems::one("documents", e.to_string())))?
            .into_iter()
            .filter(|m| m.blocks == Blocks::Delivery)
            .map(|m| m.message)
            .collect();
        if !blockers.is_empty() {
            return Err(OrderError::NotReady { id, reasons: blockers.join(" ") });
        }
    }
    c.conn().execute("UPDATE orders SET status = ?1 WHERE id = ?2", params![to.code(), id])?;
    c.audit("status", "order", Some(id), &format!("order {} → {}", order.status.code(), to.code()))?;
    get(c.conn(), id)
}

/// Counts `quantity` more of line `line_id` as delivered, inside a delivery's change, and
/// moves the order to partly delivered or delivered. Refuses more than was ordered.
pub fn record_delivered(c: &Change<'_>, order_id: i64, line_id: i64, quantity: u32) -> Result<Order, OrderError> {
    let order = get(c.conn(), order_id)?;
    let line = order
        .lines
        .iter()
        .find(|l| l.id == line_id)
        .ok_or_else(|| Problems::one("line_id", format!("order {order_id} has no line {line_id}")))?;
    if line.delivered_quantity + quantity > line.quantity {
        return Err(Problems::one(
            "quantity",
            format!(
                "line {} ({}) orders {} and {} were delivered already; {quantity} more is too many",
                line.position, line.hcpcs, line.quantity, line.delivered_quantity
            ),
        )
        .into());
    }
    c.conn().execute(
        "UPDATE order_lines SET delivered_quantity = delivered_quantity + ?1 WHERE id = ?2",
        params![quantity, line_id],
    )?;
    let updated = get(c.conn(), order_id)?;
    let all_delivered = updated.lines.iter().all(|l| l.delivered_quantity >= l.quantity);
    let to = if all_delivered { OrderStatus::Delivered } else { OrderStatus::PartlyDelivered };
    if updated.status != to {
        if !updated.status.can_become(to) {
            return Err(OrderError::Transition { id: order_id, from: updated.status.code(), to: to.code() });
        }
        c.conn().execute("UPDATE orders SET status = ?1 WHERE id = ?2", params![to.code(), order_id])?;
        c.audit(
            "status",
            "order",
            Some(order_id),
            &format!("order {} → {} by delivery", updated.status.code(), to.code()),
        )?;
    }
    get(c.conn(), order_id)
}

/// Every Standard Written Order element missing from order `id`.
pub fn swo_gaps(conn: &Connection, id: i64) -> Result<Vec<SwoGap>, OrderError> {
    let order = get(conn, id)?;
    let patient = match patients::get(conn, order.patient_id) {
        Ok(p) => p,
        Err(PatientError::Db(e)) => return Err(e.into()),
        Err(other) => return Err(Problems::one("patient_id", other.to_string()).into()),
    };
    let practitioner = match practitioners::get(conn, order.practitioner_id) {
        Ok(p) => p,
        Err(PractitionerError::Db(e)) => return Err(e.into()),
        Err(other) => return Err(Problems::one("practitioner_id", other.to_string()).into()),
    };
    Ok(swo::check(&SwoFacts::of(&order, &patient, &practitioner)))
}
