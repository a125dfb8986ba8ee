//! The deliveries list: which deliveries a screen, the CLI or a driver's run sheet asks for
//! ([`DeliveryFilter`]), turned into SQL conditions so the indexes on patient, order and
//! scheduled date do the narrowing.

use super::store::{with_items, SELECT};
use super::{Delivery, DeliveryError, DeliveryStatus};
use crate::db::like_contains;
use crate::validation::Problems;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};

/// Which deliveries a list shows: every condition that is set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(export, optional_fields)]
pub struct DeliveryFilter {
    pub patient_id: Option<i64>,
    pub order_id: Option<i64>,
    pub status: Option<DeliveryStatus>,
    /// Scheduled on or after this day.
    pub from: Option<NaiveDate>,
    /// Scheduled on or before this day (`from` = `to` is a driver's run sheet).
    pub to: Option<NaiveDate>,
    /// Part of the patient's name as lists show it ("Last, First"), in any case.
    pub patient: Option<String>,
}

impl DeliveryFilter {
    /// The conditions and their values; a range that ends before it starts is refused.
    fn conditions(&self) -> Result<(Vec<&'static str>, Vec<Value>), Problems> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to < from {
                return Err(Problems::one(
                    "to",
                    format!("{to} is before {from}: the range must end on or after its start"),
                ));
            }
        }
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        let mut add = |condition: &'static str, value: Value| {
            conditions.push(condition);
            values.push(value);
        };
        if let Some(id) = self.patient_id {
            add("d.patient_id = ?", Value::Integer(id));
        }
        if let Some(id) = self.order_id {
            add("d.order_id = ?", Value::Integer(id));
        }
        if let Some(status) = self.status {
            add("d.status = ?", Value::Text(status.code().to_string()));
        }
        if let Some(from) = self.from {
            add("d.scheduled_on >= ?", Value::Text(from.to_string()));
        }
        if let Some(to) = self.to {
            add("d.scheduled_on <= ?", Value::Text(to.to_string()));
        }
        if let Some(name) = self.patient.as_deref().filter(|n| !n.trim().is_empty()) {
            add("(p.last_name || ', ' || p.first_name) LIKE ? ESCAPE '\\'", Value::Text(like_contains(name)));
        }
        Ok((conditions, values))
    }
}

/// Deliveries matching `filter`, by scheduled date (newest first), with what was picked.
/// Only the conditions that are set reach the SQL, so each can use its index; the items of
/// all of them come in one more query.
pub fn list(conn: &Connection, filter: &DeliveryFilter) -> Result<Vec<Delivery>, DeliveryError> {
    let (conditions, values) = filter.conditions()?;
    let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    let mut stmt = conn.prepare_cached(&format!("{SELECT}{filter} ORDER BY d.scheduled_on DESC, d.id DESC"))?;
    let mut rows: Vec<Delivery> =
        stmt.query_map(params_from_iter(values), super::store::from_row)?.collect::<Result<_, _>>()?;
    with_items(conn, &mut rows)?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Actor, Db};

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();

    /// The demo as its `returns` stage leaves it: deliveries scheduled, signed for and picked
    /// up, for several patients over several days.
    fn demo() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::load_through(&mut db, &Actor::new("test"), TODAY, "returns").unwrap();
        db
    }

    fn ids(list: &[Delivery]) -> Vec<i64> {
        list.iter().map(|d| d.id).collect()
    }

    /// What the filter must keep, decided here over the whole list rather than in SQL.
    fn kept(every: &[Delivery], keep: impl Fn(&Delivery) -> bool) -> Vec<i64> {
        every.iter().filter(|d| keep(d)).map(|d| d.id).collect()
    }

    #[test]
    fn each_condition_keeps_exactly_the_deliveries_it_names() {
        let db = demo();
        let every = list(db.conn(), &DeliveryFilter::default()).unwrap();
        assert!(every.len() >= 4, "{}", every.len());
        let first = &every[every.len() - 1];
        let last = &every[0];
        assert!(first.scheduled_on < last.scheduled_on, "the demo's deliveries span several days");
        let run = |f: DeliveryFilter| ids(&list(db.conn(), &f).unwrap());

        for status in [DeliveryStatus::Scheduled, DeliveryStatus::Delivered] {
            let wanted = kept(&every, |d| d.status == status);
            assert!(!wanted.is_empty(), "{status:?}");
            assert_eq!(run(DeliveryFilter { status: Some(status), ..Default::default() }), wanted);
        }
        let patient = last.patient_id;
        assert_eq!(
            run(DeliveryFilter { patient_id: Some(patient), ..Default::default() }),
            kept(&every, |d| d.patient_id == patient)
        );
        assert_eq!(
            run(DeliveryFilter { order_id: Some(first.order_id), ..Default::default() }),
            kept(&every, |d| d.order_id == first.order_id)
        );
        let (from, to) = (first.scheduled_on.succ_opt().unwrap(), last.scheduled_on);
        let range = run(DeliveryFilter { from: Some(from), to: Some(to), ..Default::default() });
        assert_eq!(range, kept(&every, |d| d.scheduled_on >= from && d.scheduled_on <= to));
        assert!(!range.is_empty() && range.len() < every.len());
        let day = run(DeliveryFilter { from: Some(to), to: Some(to), ..Default::default() });
        assert_eq!(day, kept(&every, |d| d.scheduled_on == to));
    }

    #[test]
    fn the_patient_name_matches_any_part_in_any_case_and_conditions_combine() {
        let db = demo();
        let every = list(db.conn(), &DeliveryFilter::default()).unwrap();
        let name = every[0].patient_name.clone();
        let last_name = name.split(',').next().unwrap().to_string();
        let part = last_name[1..].to_uppercase();
        let by_name = list(db.conn(), &DeliveryFilter { patient: Some(format!(" {part} ")), ..Default::default() });
        let wanted = kept(&every, |d| d.patient_name.to_uppercase().contains(&part));
        assert_eq!(ids(&by_name.unwrap()), wanted);
        assert!(wanted.contains(&every[0].id));

        let status = every[0].status;
        let both = DeliveryFilter { patient: Some(last_name.clone()), status: Some(status), ..Default::default() };
        assert_eq!(
            ids(&list(db.conn(), &both).unwrap()),
            kept(&every, |d| d.patient_name.contains(&last_name) && d.status == status)
        );
        let none = DeliveryFilter { patient: Some("100%_".into()), ..Default::default() };
        assert!(list(db.conn(), &none).unwrap().is_empty(), "% and _ are taken literally");
        let blank = DeliveryFilter { patient: Some("  ".into()), ..Default::default() };
        assert_eq!(ids(&list(db.conn(), &blank).unwrap()), ids(&every));
    }

    #[test]
    fn the_list_carries_the_same_items_as_each_delivery_read_alone() {
        let db = demo();
        let every = list(db.conn(), &DeliveryFilter::default()).unwrap();
        let alone: Vec<Delivery> = every.iter().map(|d| super::super::store::get(db.conn(), d.id).unwrap()).collect();
        assert_eq!(every, alone);
        let on_file: usize = db.conn().query_row("SELECT COUNT(*) FROM delivery_items", [], |r| r.get(0)).unwrap();
        assert_eq!(every.iter().map(|d| d.items.len()).sum::<usize>(), on_file);
        assert!(every.iter().any(|d| d.items.len() > 1), "some delivery carries several items");
        assert!(every.iter().filter(|d| !d.items.is_empty()).count() > 1, "several deliveries carry items");
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_refused_naming_the_end() {
        let db = demo();
        let backwards = DeliveryFilter { from: Some(TODAY), to: TODAY.pred_opt(), ..Default::default() };
        match list(db.conn(), &backwards) {
            Err(DeliveryError::Invalid(problems)) => {
                assert!(problems.0.iter().any(|p| p.field == "to"), "{problems:?}")
            }
            other => panic!("expected a problem with to, got {other:?}"),
        }
    }

    #[test]
    fn a_date_range_and_a_patient_are_looked_up_by_index() {
        let db = demo();
        let plan = |f: &DeliveryFilter| -> String {
            let (conditions, values) = f.conditions().unwrap();
            let sql = format!("EXPLAIN QUERY PLAN {SELECT} WHERE {}", conditions.join(" AND "));
            let mut stmt = db.conn().prepare(&sql).unwrap();
            let rows = stmt.query_map(params_from_iter(values), |r| r.get::<_, String>(3)).unwrap();
            rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
        };
        let range = DeliveryFilter { from: Some(TODAY), to: Some(TODAY), ..Default::default() };
        assert!(plan(&range).contains("deliveries_scheduled"), "{}", plan(&range));
        let patient = DeliveryFilter { patient_id: Some(1), ..Default::default() };
        assert!(plan(&patient).contains("deliveries_patient"), "{}", plan(&patient));
    }
}
