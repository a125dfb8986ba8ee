//! Rentals written straight into a database for the billing tests and the billing benchmark:
//! a Medicare payer with a fee schedule, a PECOS-enrolled practitioner, and one patient with
//! primary coverage, a signed order and a rental episode per call.

use chrono::NaiveDate;
use hmedesk::Db;
use rusqlite::{params, Connection};

/// The fee schedule: code, modifiers, allowed, charge (cents).
const FEES: &[(&str, &str, i64, i64)] = &[
    ("E0601", "NU", 100_000, 150_000),
    ("E0601", "RR", 10_000, 15_000),
    ("E1390", "", 7_731, 12_000),
    ("E0465", "RR", 100_000, 130_000),
    ("E0143", "RR", 1_250, 2_000),
    ("E0143", "NU", 11_000, 15_000),
];

const CATALOG: &[(&str, &str)] = &[("E0601", "CR"), ("E1390", "OX"), ("E0465", "FS"), ("E0143", "IN"), ("E0470", "CR")];

/// Ids the rentals hang on.
pub struct Base {
    pub payer_id: i64,
    pub practitioner_id: i64,
}

/// Adds the payer, its fees, the practitioner and the catalog items.
pub fn base(db: &Db) -> Base {
    let conn = db.conn();
    conn.execute(
        "INSERT INTO payers (name, kind, payer_id, claim_filing_indicator) VALUES ('Medicare DME', 'medicare_dme', '17013', 'MB')",
        [],
    )
    .unwrap();
    let payer_id = conn.last_insert_rowid();
    for (hcpcs, modifiers, allowed, charge) in FEES {
        conn.execute(
            "INSERT INTO fees (payer_id, hcpcs, modifiers, allowed_cents, charge_cents, effective) VALUES (?1, ?2, ?3, ?4, ?5, '2000-01-01')",
            params![payer_id, hcpcs, modifiers, allowed, charge],
        )
        .unwrap();
    }
    for (hcpcs, category) in CATALOG {
        conn.execute(
            "INSERT OR IGNORE INTO catalog_items (hcpcs, description, category, rental_allowed, purchase_allowed) VALUES (?1, ?1, ?2, 1, 1)",
            params![hcpcs, category],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO practitioners (npi, first_name, last_name, pecos_enrolled) VALUES ('1234567893', 'Ada', 'Lovelace', 1)",
        [],
    )
    .unwrap();
    Base { payer_id, practitioner_id: conn.last_insert_rowid() }
}

/// What varies between seeded rentals.
#[derive(Debug, Clone)]
pub struct Rental {
    pub hcpcs: &'static str,
    pub category: &'static str,
    pub start: NaiveDate,
    /// The primary coverage ends on this day (none: open-ended).
    pub coverage_ends: Option<NaiveDate>,
    /// The order is signed (a written order on file).
    pub signed: bool,
}

/// Adds a patient with coverage, an order and a rental episode; returns the episode id.
pub fn rental(conn: &Connection, base: &Base, n: usize, r: &Rental) -> i64 {
    conn.execute(
        "INSERT INTO patients (first_name, last_name, dob, sex, address1, city, state, zip) VALUES ('Pat', ?1, '1950-01-01', 'F', '1 Main St', 'Springfield', 'IL', '62701')",
        [format!("Rental{n}")],
    )
    .unwrap();
    let patient = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO coverages (patient_id, payer_id, member_id, priority, effective, termination, relationship) VALUES (?1, ?2, ?3, 'primary', '2000-01-01', ?4, 'self')",
        params![patient, base.payer_id, format!("M{n}"), r.coverage_ends],
    )
    .unwrap();
    let signed = r.signed.then(|| r.start.pred_opt().unwrap());
    conn.execute(
        "INSERT INTO orders (patient_id, practitioner_id, order_date, diagnoses, signed_on, status, created_at) VALUES (?1, ?2, ?3, 'G47.33', ?4, 'delivered', '2020-01-01T00:00:00Z')",
        params![patient, base.practitioner_id, r.start.pred_opt().unwrap(), signed],
    )
    .unwrap();
    let order = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO order_lines (order_id, position, hcpcs, description, quantity, acquisition, delivered_quantity) VALUES (?1, 1, ?2, 'rented item', 1, 'rental', 1)",
        params![order, r.hcpcs],
    )
    .unwrap();
    let line = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO rental_episodes (patient_id, order_id, order_line_id, hcpcs, category, start_date, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '2020-01-01T00:00:00Z')",
        params![patient, order, line, r.hcpcs, r.category, r.start],
    )
    .unwrap();
    conn.last_insert_rowid()
}

/// Records a signed delivery of episode `episode_id`'s rented item on `on` (the proof of
/// delivery the claim scrubber asks for), adding the warehouse and the item on first use.
#[allow(dead_code)]
pub fn deliver(conn: &Connection, episode_id: i64, on: NaiveDate) {
    conn.execute("INSERT OR IGNORE INTO locations (name, kind) VALUES ('Warehouse', 'warehouse')", []).unwrap();
    let (patient, order, line, hcpcs): (i64, i64, i64, String) = conn
        .query_row(
            "SELECT patient_id, order_id, order_line_id, hcpcs FROM rental_episodes WHERE id = ?1",
            [episode_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    conn.execute(
        "INSERT OR IGNORE INTO items (catalog_item_id, name, manufacturer, model, sku, unit, cost_cents, serialized, lot_tracked)
         SELECT id, hcpcs, 'Acme', hcpcs, hcpcs, 'each', 0, 0, 0 FROM catalog_items WHERE hcpcs = ?1",
        [&hcpcs],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO deliveries (order_id, patient_id, location_id, scheduled_on, address1, city, state, zip, status,
            delivered_on, signer_name, signature_png, signed_at, created_at)
         VALUES (?1, ?2, (SELECT id FROM locations WHERE name = 'Warehouse'), ?3, '1 Main St', 'Springfield', 'IL',
            '62701', 'delivered', ?3, 'Pat', x'89504E47', ?3, '2020-01-01T00:00:00Z')",
        params![order, patient, on],
    )
    .unwrap();
    let delivery = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO delivery_items (delivery_id, order_line_id, item_id, quantity)
         VALUES (?1, ?2, (SELECT id FROM items WHERE sku = ?3), 1)",
        params![delivery, line, hcpcs],
    )
    .unwrap();
}
