//! The `hmedesk inventory`, `assets` and `po` command-line contract: JSON shapes, exit codes
//! with one line naming the field, refusals that save nothing, and the inventory demo stage.

mod common;

use common::{stderr, TempDb};
use serde_json::Value;

fn ids(v: &Value) -> String {
    v["id"].as_i64().unwrap().to_string()
}

/// A database with a location, a vendor, a CPAP and a mask, and a patient.
fn stocked() -> (TempDb, String, String, String, String) {
    let db = TempDb::new();
    db.cli_json(&["catalog", "add", "--hcpcs", "E0601", "--description", "CPAP", "--category", "CR", "--json"]);
    db.cli_json(&["catalog", "add", "--hcpcs", "A7030", "--description", "Mask", "--category", "SU", "--json"]);
    let warehouse =
        ids(&db.cli_json(&["inventory", "locations", "add", "--name", "Main", "--kind", "warehouse", "--json"]));
    let vendor = ids(&db.cli_json(&["po", "vendors", "add", "--name", "ResMed", "--json"]));
    let item = |hcpcs: &str, sku: &str, serialized: &str| {
        ids(&db.cli_json(&[
            "inventory",
            "items",
            "add",
            "--hcpcs",
            hcpcs,
            "--name",
            sku,
            "--manufacturer",
            "ResMed",
            "--model",
            sku,
            "--sku",
            sku,
            "--cost",
            "10",
            "--serialized",
            serialized,
            "--vendor-id",
            &vendor,
            "--json",
        ]))
    };
    let cpap = item("E0601", "CPAP-1", "yes");
    let mask = item("A7030", "MASK-1", "no");
    db.cli_json(&[
        "patients",
        "add",
        "--first-name",
        "Ann",
        "--last-name",
        "Lee",
        "--dob",
        "1950-01-01",
        "--sex",
        "F",
        "--json",
    ]);
    (db, warehouse, vendor, cpap, mask)
}

#[test]
fn a_purchase_order_is_created_ordered_and_received_from_the_cli() {
    let (db, warehouse, vendor, cpap, mask) = stocked();
    let po = db.cli_json(&["po", "create", "--vendor-id", &vendor, "--ship-to-id", &warehouse, "--json"]);
    let po_id = ids(&po);
    assert_eq!(po["status"], "draft");
    db.cli_json(&["po", "add-line", &po_id, "--item-id", &cpap, "--quantity", "2", "--json"]);
    let po = db.cli_json(&[
        "po",
        "add-line",
        &po_id,
        "--item-id",
        &mask,
        "--quantity",
        "5",
        "--unit-cost",
        "4.50",
        "--json",
    ]);
    assert_eq!(po["total"], "42.50");
    let early = db.cli(&["po", "receive", &po_id, "--line", "1", "--quantity", "1", "--serials", "X"]);
    assert_eq!(
        (early.status.code(), stderr(&early).trim()),
        (Some(1), "error: purchase order 1 is draft; place the order before receiving against it")
    );
    assert_eq!(db.cli_json(&["po", "order", &po_id, "--json"])["status"], "ordered");
    let cpap_line = ids(&po["lines"][0]);
    let received = db.cli_json(&[
        "po",
        "receive",
        &po_id,
        "--line",
        &cpap_line,
        "--quantity",
        "2",
        "--serials",
        "S1,S2",
        "--json",
    ]);
    assert_eq!(received["status"], "partially_received");
    assert_eq!(received["lines"][0]["received"], 2);

    let assets = db.cli_json(&["assets", "list", "--json"]);
    let list = assets.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for field in ["id", "serial", "item", "status"] {
        assert!(!list[0][field].is_null(), "assets list --json lacks {field}: {}", list[0]);
    }
    assert_eq!(
        (list[0]["serial"].as_str(), list[0]["item"].as_str(), list[0]["status"].as_str()),
        (Some("S1"), Some("CPAP-1"), Some("available"))
    );
    let found = db.cli_json(&["inventory", "scan", "s2", "--json"]);
    assert_eq!(found["assets"][0]["serial"], "S2");
    assert!(db.cli_json(&["po", "list", "--status", "partially_received", "--json"]).as_array().unwrap().len() == 1);
}

#[test]
fn over_drawing_stock_exits_1_naming_the_quantity_and_saves_nothing() {
    let (db, warehouse, _, _, mask) = stocked();
    db.cli_json(&[
        "inventory",
        "receive",
        "--item-id",
        &mask,
        "--quantity",
        "3",
        "--location-id",
        &warehouse,
        "--json",
    ]);
    let movements = db.count("stock_movements");
    let out = db.cli(&[
        "inventory",
        "deliver",
        "--item-id",
        &mask,
        "--quantity",
        "5",
        "--location-id",
        &warehouse,
        "--patient-id",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: quantity: only 3 each of MASK-1 (MASK-1) on hand at Main; cannot take 5");
    assert_eq!(db.count("stock_movements"), movements);
    let adjusted = db.cli_json(&[
        "inventory",
        "adjust",
        "--item-id",
        &mask,
        "--quantity",
        "-2",
        "--location-id",
        &warehouse,
        "--reason",
        "count",
        "--json",
    ]);
    assert_eq!((adjusted["kind"].as_str(), adjusted["quantity"].as_i64()), (Some("adjust"), Some(2)));
    let stock = db.cli_json(&["inventory", "stock", "--json"]);
    assert_eq!(stock[0]["quantity"], 1);
}

#[test]
fn an_illegal_status_change_exits_1_and_says_what_is_allowed() {
    let (db, warehouse, _, cpap, _) = stocked();
    let asset = ids(&db.cli_json(&[
        "assets",
        "add",
        "--item-id",
        &cpap,
        "--serial",
        "Q1",
        "--location-id",
        &warehouse,
        "--json",
    ]));
    let out = db.cli(&["assets", "status", &asset, "--status", "cleaning"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim(),
        "error: Q1 is available; it cannot become cleaning (from available it can become: reserved, maintenance, retired, lost)"
    );
    db.cli_json(&["assets", "status", &asset, "--status", "reserved", "--patient-id", "1", "--json"]);
    let rented = db.cli_json(&["assets", "status", &asset, "--status", "on_rent", "--json"]);
    assert_eq!((rented["status"].as_str(), rented["patient"].as_str()), (Some("on_rent"), Some("Lee, Ann")));
    let shown = db.cli_json(&["assets", "show", &asset, "--json"]);
    assert_eq!(shown["history"].as_array().unwrap().len(), 3);
    assert_eq!(shown["history"][2]["actor"], "tester");
    assert_eq!(shown["next"], serde_json::json!(["sold", "returned", "lost"]));
    assert_eq!(db.cli(&["assets", "list", "--status", "gone"]).status.code(), Some(1));
    assert_eq!(db.cli(&["assets", "status"]).status.code(), Some(2));
}

#[test]
fn the_inventory_demo_loads_once_with_rentals_due_maintenance_and_a_reorder_alert() {
    let db = TempDb::new();
    let first = db.cli_json(&["demo", "--json"]);
    assert_eq!(first["loaded"], serde_json::json!(["intake", "inventory"]));
    let tables = [
        "items",
        "assets",
        "asset_events",
        "stock_movements",
        "lots",
        "purchase_orders",
        "purchase_order_lines",
        "vendors",
        "locations",
        "service_records",
        "reorder_levels",
        "audit_log",
    ];
    let counts = |db: &TempDb| tables.map(|t| db.count(t));
    let after_first = counts(&db);
    let second = db.cli_json(&["demo", "--json"]);
    assert_eq!(second["loaded"].as_array().unwrap().len(), 0);
    assert_eq!(counts(&db), after_first);

    let on_rent = db.cli_json(&["assets", "on-rent", "--json"]);
    let items: Vec<&str> = on_rent.as_array().unwrap().iter().map(|r| r["item"].as_str().unwrap()).collect();
    for kind in ["concentrator", "CPAP", "bed"] {
        assert!(items.iter().any(|i| i.contains(kind)), "no {kind} on rent: {items:?}");
    }
    let statuses: Vec<String> = db
        .cli_json(&["po", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap().to_string())
        .collect();
    for status in ["draft", "partially_received", "received"] {
        assert!(statuses.iter().any(|s| s == status), "no {status} purchase order: {statuses:?}");
    }
    assert!(!db.cli_json(&["assets", "maintenance-due", "--json"]).as_array().unwrap().is_empty());
    let alerts = db.cli_json(&["dashboard", "--json"])["alerts"].clone();
    let messages: Vec<&str> = alerts.as_array().unwrap().iter().map(|a| a["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.starts_with("Reorder AirFit F20")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("Maintenance: DeVilbiss")), "{messages:?}");
    let value = db.cli_json(&["inventory", "valuation", "--json"]);
    assert_ne!(value["total"], "0.00");
}
