//! The dashboard: counts of what is on file and the alerts a front desk should act on
//! today. Each feature contributes its own alerts here.

use crate::db::DbError;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    Warning,
    Info,
}

/// Something to act on, with the record it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Alert {
    pub severity: Severity,
    /// The kind of record (`patient`, `practitioner`, `supplier` ...), for linking.
    pub entity: String,
    pub entity_id: Option<i64>,
    pub message: String,
}

/// Counts and alerts for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Dashboard {
    pub supplier_name: Option<String>,
    pub patients: i64,
    pub practitioners: i64,
    pub payers: i64,
    pub catalog_items: i64,
    pub alerts: Vec<Alert>,
}

/// How far ahead scheduled maintenance is flagged.
const MAINTENANCE_WARNING_DAYS: u32 = 7;

/// How far ahead coverage terminations are flagged.
const COVERAGE_WARNING_DAYS: u64 = 30;

/// The dashboard as of `today`.
pub fn summary(conn: &Connection, today: NaiveDate) -> Result<Dashboard, DbError> {
    let count = |table: &str| -> Result<i64, DbError> {
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    };
    let supplier_name: Option<String> = conn
        .query_row("SELECT COALESCE(dba_name, legal_name) FROM supplier WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    let mut alerts = Vec::new();
    if supplier_name.is_none() {
        alerts.push(Alert {
            severity: Severity::Warning,
            entity: "supplier".into(),
            entity_id: None,
            message: "Supplier settings are not filled in yet: claims cannot be sent without the billing NPI, EIN and address.".into(),
        });
    }
    alerts.extend(coverage_alerts(conn, today)?);
    alerts.extend(pecos_alerts(conn)?);
    alerts.extend(reorder_alerts(conn)?);
    alerts.extend(maintenance_alerts(conn, today)?);
    alerts.sort_by_key(|a| a.severity);
    Ok(Dashboard {
        supplier_name,
        patients: count("patients")?,
        practitioners: count("practitioners")?,
        payers: count("payers")?,
        catalog_items: count("catalog_items")?,
        alerts,
    })
}

/// Coverages ending soon, and patients with no coverage in force today.
fn coverage_alerts(conn: &Connection, today: NaiveDate) -> Result<Vec<Alert>, DbError> {
    let horizon = today + chrono::Days::new(COVERAGE_WARNING_DAYS);
    let mut alerts = Vec::new();
    let mut ending = conn.prepare_cached(
        "SELECT c.patient_id, p.last_name || ', ' || p.first_name, y.name, c.priority, c.termination
         FROM coverages c JOIN patients p ON p.id = c.patient_id JOIN payers y ON y.id = c.payer_id
         WHERE c.termination BETWEEN ?1 AND ?2 ORDER BY c.termination",
    )?;
    let rows = ending.query_map(params![today, horizon], |r| {
        Ok(Alert {
            severity: Severity::Warning,
            entity: "patient".into(),
            entity_id: Some(r.get(0)?),
            message: format!(
                "{}: {} coverage with {} ends {}; verify new insurance before the next delivery or bill.",
                r.get::<_, String>(1)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(4)?
            ),
        })
    })?;
    alerts.extend(rows.collect::<Result<Vec<_>, _>>()?);
    let mut uncovered = conn.prepare_cached(
        "SELECT p.id, p.last_name || ', ' || p.first_name FROM patients p
         WHERE NOT EXISTS (SELECT 1 FROM coverages c WHERE c.patient_id = p.id AND c.effective <= ?1
                           AND (c.termination IS NULL OR c.termination >= ?1))
         ORDER BY p.last_name, p.first_name LIMIT 50",
    )?;
    let rows = uncovered.query_map([today], |r| {
        Ok(Alert {
            severity: Severity::Info,
            entity: "patient".into(),
            entity_id: Some(r.get(0)?),
            message: format!(
                "{}: no insurance in force today; add a coverage or mark the patient self-pay.",
                r.get::<_, String>(1)?
            ),
        })
    })?;
    alerts.extend(rows.collect::<Result<Vec<_>, _>>()?);
    Ok(alerts)
}

/// Practitioners whose orders Medicare will not pay for lack of PECOS enrollment.
fn pecos_alerts(conn: &Connection) -> Result<Vec<Alert>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, last_name || ', ' || first_name, npi FROM practitioners WHERE pecos_enrolled = 0 ORDER BY last_name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Alert {
            severity: Severity::Info,
            entity: "practitioner".into(),
            entity_id: Some(r.get(0)?),
            message: format!(
                "{} (NPI {}) is not PECOS-enrolled: Medicare will deny DME ordered by this practitioner.",
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Items below their reorder minimum at a location, and whether a purchase order line was
/// drafted for them.
fn reorder_alerts(conn: &Connection) -> Result<Vec<Alert>, DbError> {
    Ok(crate::inventory::reorder::below_min(conn)?
        .into_iter()
        .map(|l| {
            let next = if l.vendor_id.is_some() {
                "a purchase order line is drafted; review and place it"
            } else {
                "the item has no preferred vendor, so no purchase order line could be drafted"
            };
            Alert {
                severity: Severity::Warning,
                entity: "item".into(),
                entity_id: Some(l.item_id),
                message: format!(
                    "Reorder {} ({}) at {}: {} on hand, minimum {}, {} on order; {next}.",
                    l.name, l.sku, l.location, l.on_hand, l.min, l.on_order
                ),
            }
        })
        .collect())
}

/// Units due (or due within a week) for scheduled maintenance.
fn maintenance_alerts(conn: &Connection, today: NaiveDate) -> Result<Vec<Alert>, DbError> {
    Ok(crate::assets::maintenance::due(conn, today, MAINTENANCE_WARNING_DAYS)?
        .into_iter()
        .map(|d| {
            let when = match (d.due_on, d.hours_since, d.every_hours) {
                (Some(on), _, _) if on < today => format!("overdue since {on}"),
                (Some(on), _, _) => format!("due {on}"),
                (None, Some(run), Some(every)) => format!("{run} hours since the last service (every {every})"),
                _ => "due".to_string(),
            };
            let place = match (&d.patient, &d.location) {
                (Some(patient), _) => format!("at {patient}'s home"),
                (None, Some(location)) => format!("at {location}"),
                (None, None) => String::new(),
            };
            Alert {
                severity: Severity::Warning,
                entity: "asset".into(),
                entity_id: Some(d.asset_id),
                message: format!("Maintenance: {} {} {place}: {} — {when}.", d.item, d.serial, d.task),
            }
        })
        .collect())
}
