//! Deliveries on the demo database: only available units can be picked (and are reserved),
//! a confirmation moves stock and units exactly once and refuses a repeat, the signer rules,
//! pickups and exchanges that keep the rental, the CLI contract and the ticket's text.

mod common;

use chrono::Days;
use common::{actor, stderr, TempDb};
use hmedesk::assets::{store as asset_store, AssetStatus};
use hmedesk::deliveries::{
    self, ConfirmInput, DeliveryError, DeliveryInput, DeliveryStatus, ExchangeInput, PickInput, PickupInput,
};
use hmedesk::demo::{self, SIGNATURE_PNG};
use hmedesk::documents::{self, DocumentInput, RuleInput};
use hmedesk::inventory::ledger;
use hmedesk::orders::{self, OrderInput, OrderStatus};
use hmedesk::validation::today;
use hmedesk::Db;

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

const WAREHOUSE: i64 = 1;

fn demo_db() -> (TempDb, Db) {
    let temp = TempDb::new();
    let mut db = temp.open();
    demo::load(&mut db, &actor(), today()).unwrap();
    (temp, db)
}

/// A signed order for demo patient 20, ready to deliver.
fn ready_order(db: &mut Db, lines: &[&str]) -> orders::Order {
    let o = orders::add(
        db,
        &actor(),
        &OrderInput {
            patient_id: s("20"),
            practitioner_id: s("2"),
            order_date: Some((today() - Days::new(3)).to_string()),
            diagnoses: s("1"),
            signed_on: Some((today() - Days::new(2)).to_string()),
            lines: lines.iter().map(|l| orders::parse_line_spec(l).unwrap()).collect(),
            ..OrderInput::default()
        },
    )
    .unwrap();
    orders::set_status(db, &actor(), o.id, OrderStatus::ReadyToDeliver, today()).unwrap()
}

fn schedule(db: &mut Db, order: i64) -> deliveries::Delivery {
    deliveries::schedule(
        db,
        &actor(),
        &DeliveryInput {
            order_id: Some(order.to_string()),
            scheduled_on: Some(today().to_string()),
            driver: s("Sam Ortiz"),
            location_id: Some(WAREHOUSE.to_string()),
            ..DeliveryInput::default()
        },
    )
    .unwrap()
}

fn available(db: &Db, hcpcs: &str) -> Vec<asset_store::Asset> {
    let filter = asset_store::AssetFilter {
        status: Some(AssetStatus::Available),
        hcpcs: Some(hcpcs.into()),
        ..Default::default()
    };
    let units = asset_store::list(db.conn(), &filter).unwrap();
    assert!(units.iter().all(|a| a.hcpcs == hcpcs), "the filter keeps only {hcpcs}");
    units.into_iter().filter(|a| a.location_id == Some(WAREHOUSE)).collect()
}

fn item_id(db: &Db, hcpcs: &str) -> i64 {
    db.conn()
        .query_row(
            "SELECT i.id FROM items i JOIN catalog_items k ON k.id = i.catalog_item_id WHERE k.hcpcs = ?1 AND i.serialized = 0",
            [hcpcs],
            |r| r.get(0),
        )
        .unwrap()
}

fn unit(line: &str, serial: &str) -> PickInput {
    PickInput { line: s(line), serial: s(serial), ..PickInput::default() }
}

fn signed_by(name: &str, relationship: Option<&str>) -> ConfirmInput {
    ConfirmInput { signer_name: s(name), relationship: relationship.map(str::to_string), delivered_on: None }
}

#[test]
fn confirmation_moves_stock_and_units_exactly_once() {
    let (temp, mut db) = demo_db();
    let order = ready_order(&mut db, &["E0601 rental 99mo RR", "A7038 x2 purchase"]);
    let d = schedule(&mut db, order.id);
    let cpap = available(&db, "E0601").remove(0);
    deliveries::pick(&mut db, &actor(), d.id, &unit("1", &cpap.serial)).unwrap();
    let filters = item_id(&db, "A7038");
    deliveries::pick(
        &mut db,
        &actor(),
        d.id,
        &PickInput { line: s("2"), item_id: Some(filters.to_string()), quantity: s("2"), ..PickInput::default() },
    )
    .unwrap();
    assert_eq!(asset_store::get(db.conn(), cpap.id).unwrap().status, AssetStatus::Reserved);
    let filters_before = ledger::on_hand(db.conn(), filters, WAREHOUSE, None).unwrap();
    let cpaps_before = ledger::on_hand(db.conn(), cpap.item_id, WAREHOUSE, None).unwrap();
    let movements_before = temp.count("stock_movements");

    let signed =
        deliveries::confirm(&mut db, &actor(), d.id, &signed_by("Rosa Perez", Some("Daughter")), SIGNATURE_PNG)
            .unwrap();
    assert_eq!(signed.status, DeliveryStatus::Delivered);
    assert_eq!(signed.delivered_on, Some(today()), "the date of service is the delivery date");
    let unit_after = asset_store::get(db.conn(), cpap.id).unwrap();
    assert_eq!((unit_after.status, unit_after.patient_id), (AssetStatus::OnRent, Some(20)));
    assert_eq!(ledger::on_hand(db.conn(), filters, WAREHOUSE, None).unwrap(), filters_before - 2);
    assert_eq!(ledger::on_hand(db.conn(), cpap.item_id, WAREHOUSE, None).unwrap(), cpaps_before - 1);
    assert_eq!(temp.count("stock_movements"), movements_before + 2);
    assert_eq!(orders::get(db.conn(), order.id).unwrap().status, OrderStatus::Delivered);

    let again = deliveries::confirm(&mut db, &actor(), d.id, &signed_by("Rosa Perez", Some("Daughter")), SIGNATURE_PNG);
    assert!(matches!(again, Err(DeliveryError::AlreadyConfirmed { .. })), "{again:?}");
    assert_eq!(ledger::on_hand(db.conn(), filters, WAREHOUSE, None).unwrap(), filters_before - 2);
    assert_eq!(temp.count("stock_movements"), movements_before + 2);
    let another = available(&db, "E0601").remove(0);
    assert!(matches!(
        deliveries::pick(&mut db, &actor(), d.id, &unit("1", &another.serial)),
        Err(DeliveryError::AlreadyConfirmed { .. })
    ));
}

#[test]
fn only_available_units_at_the_location_can_be_picked() {
    let (_temp, mut db) = demo_db();
    let order = ready_order(&mut db, &["E1390 rental 99mo RR"]);
    let d = schedule(&mut db, order.id);
    let on_rent = asset_store::list(
        db.conn(),
        &asset_store::AssetFilter { status: Some(AssetStatus::OnRent), ..Default::default() },
    )
    .unwrap()
    .into_iter()
    .find(|a| a.hcpcs == "E1390")
    .unwrap();
    let refused = deliveries::pick(&mut db, &actor(), d.id, &unit("1", &on_rent.serial)).unwrap_err().to_string();
    assert!(refused.contains("is on_rent, not available"), "{refused}");
    let cpap = &available(&db, "E0601")[0];
    let wrong_code = deliveries::pick(&mut db, &actor(), d.id, &unit("1", &cpap.serial)).unwrap_err().to_string();
    assert!(wrong_code.contains("line 1 is for E1390"), "{wrong_code}");
    let in_van = asset_store::list(
        db.conn(),
        &asset_store::AssetFilter { status: Some(AssetStatus::Available), ..Default::default() },
    )
    .unwrap()
    .into_iter()
    .find(|a| a.hcpcs == "E1390" && a.location_id != Some(WAREHOUSE))
    .unwrap();
    let elsewhere = deliveries::pick(&mut db, &actor(), d.id, &unit("1", &in_van.serial)).unwrap_err().to_string();
    assert!(elsewhere.contains("transfer it first"), "{elsewhere}");

    let good = available(&db, "E1390").remove(0);
    deliveries::pick(&mut db, &actor(), d.id, &unit("1", &good.serial)).unwrap();
    let second = available(&db, "E1390").remove(0);
    let too_many = deliveries::pick(&mut db, &actor(), d.id, &unit("1", &second.serial)).unwrap_err().to_string();
    assert!(too_many.contains("too many"), "{too_many}");
    deliveries::cancel(&mut db, &actor(), d.id).unwrap();
    assert_eq!(asset_store::get(db.conn(), good.id).unwrap().status, AssetStatus::Available);
}

#[test]
fn supplier_staff_cannot_sign_and_nothing_moves() {
    let (temp, mut db) = demo_db();
    let order = ready_order(&mut db, &["E0601 rental 99mo RR"]);
    let d = schedule(&mut db, order.id);
    let cpap = available(&db, "E0601").remove(0);
    deliveries::pick(&mut db, &actor(), d.id, &unit("1", &cpap.serial)).unwrap();
    let movements = temp.count("stock_movements");
    for (name, relationship, expected) in [
        ("Sam Ortiz", Some("neighbor"), "driver cannot sign"),
        ("Dana Whitfield", Some("supplier staff"), "supplier's own staff"),
        ("", None, "signer_name: is required"),
    ] {
        let err =
            deliveries::confirm(&mut db, &actor(), d.id, &signed_by(name, relationship), SIGNATURE_PNG).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
    let not_png = deliveries::confirm(&mut db, &actor(), d.id, &signed_by("Ana Perez", None), b"GIF89a").unwrap_err();
    assert!(not_png.to_string().contains("not a PNG"), "{not_png}");
    assert_eq!(temp.count("stock_movements"), movements);
    assert_eq!(asset_store::get(db.conn(), cpap.id).unwrap().status, AssetStatus::Reserved);
    assert_eq!(deliveries::get(db.conn(), d.id).unwrap().status, DeliveryStatus::Scheduled);
}

#[test]
fn an_exchange_keeps_the_rental_and_a_pickup_sends_the_unit_to_cleaning() {
    let (_temp, mut db) = demo_db();
    let order = ready_order(&mut db, &["E1390 rental 99mo RR"]);
    let d = schedule(&mut db, order.id);
    let first = available(&db, "E1390").remove(0);
    deliveries::pick(&mut db, &actor(), d.id, &unit("1", &first.serial)).unwrap();
    let delivered = deliveries::confirm(&mut db, &actor(), d.id, &signed_by("Ana Perez", None), SIGNATURE_PNG).unwrap();

    let replacement = available(&db, "E1390").remove(0);
    let exchanged = deliveries::exchange(
        &mut db,
        &actor(),
        &ExchangeInput {
            serial: Some(first.serial.clone()),
            new_serial: Some(replacement.serial.clone()),
            location_id: Some(WAREHOUSE.to_string()),
            reason: s("low oxygen concentration alarm"),
            ..ExchangeInput::default()
        },
    )
    .unwrap();
    assert_eq!(exchanged.delivered_on, delivered.delivered_on, "the rental keeps its first date of service");
    assert_eq!(exchanged.items[0].serial.as_deref(), Some(replacement.serial.as_str()));
    let new_unit = asset_store::get(db.conn(), replacement.id).unwrap();
    assert_eq!((new_unit.status, new_unit.patient_id), (AssetStatus::OnRent, Some(20)));
    assert_eq!(asset_store::get(db.conn(), first.id).unwrap().status, AssetStatus::Cleaning);

    let no_reason = deliveries::exchange(
        &mut db,
        &actor(),
        &ExchangeInput {
            serial: Some(replacement.serial.clone()),
            new_serial: Some(first.serial.clone()),
            location_id: s("1"),
            ..ExchangeInput::default()
        },
    );
    assert!(no_reason.unwrap_err().to_string().contains("reason: is required"));

    let picked_up = deliveries::pickup(
        &mut db,
        &actor(),
        &PickupInput {
            serial: Some(replacement.serial.clone()),
            location_id: s("1"),
            note: s("end of need"),
            ..PickupInput::default()
        },
    )
    .unwrap();
    assert_eq!(picked_up.items[0].picked_up_on, Some(today()));
    assert_eq!(asset_store::get(db.conn(), replacement.id).unwrap().status, AssetStatus::Cleaning);
    let twice = deliveries::pickup(
        &mut db,
        &actor(),
        &PickupInput { serial: Some(replacement.serial), location_id: s("1"), ..PickupInput::default() },
    );
    assert!(twice.unwrap_err().to_string().contains("not on rent"));
}

/// A delivered order's documents are judged on its date of service, not on today: a
/// document that expired after the delivery still covers it, while the same item not yet
/// delivered needs a new one.
#[test]
fn missing_information_judges_a_delivered_order_on_its_delivery_date() {
    let (_temp, mut db) = demo_db();
    let payer = hmedesk::coverages::active_on(db.conn(), 20, today()).unwrap()[0].payer_id;
    documents::add_rule(
        &mut db,
        &actor(),
        &RuleInput {
            payer_id: Some(payer.to_string()),
            hcpcs_from: s("A7038"),
            document_type: s("other"),
            blocks: s("billing"),
            effective: s("2020-01-01"),
            source: s("plan policy"),
            ..RuleInput::default()
        },
    )
    .unwrap();
    let document = |db: &mut Db, order_id: i64| {
        documents::add(
            db,
            &actor(),
            &DocumentInput {
                patient_id: s("20"),
                order_id: Some(order_id.to_string()),
                doc_type: s("other"),
                initial_date: Some((today() - Days::new(3)).to_string()),
                expires: Some((today() - Days::new(1)).to_string()),
                ..DocumentInput::default()
            },
        )
        .unwrap();
    };
    let expired = |db: &Db, order_id: i64| {
        documents::missing_for_order(db.conn(), order_id, today())
            .unwrap()
            .iter()
            .any(|m| m.message.contains("item 1 (A7038) expired on"))
    };

    let delivered = ready_order(&mut db, &["A7038 x2 purchase"]);
    document(&mut db, delivered.id);
    let d = schedule(&mut db, delivered.id);
    let filters = item_id(&db, "A7038");
    deliveries::pick(
        &mut db,
        &actor(),
        d.id,
        &PickInput { line: s("1"), item_id: Some(filters.to_string()), quantity: s("2"), ..PickInput::default() },
    )
    .unwrap();
    let on = today() - Days::new(2);
    let input = ConfirmInput { delivered_on: Some(on.to_string()), ..signed_by("Rosa Perez", Some("Daughter")) };
    deliveries::confirm(&mut db, &actor(), d.id, &input, SIGNATURE_PNG).unwrap();
    assert!(!expired(&db, delivered.id), "the document was in force on the date of service {on}");

    let waiting = ready_order(&mut db, &["A7038 x2 purchase"]);
    document(&mut db, waiting.id);
    assert!(expired(&db, waiting.id), "an order still to deliver is judged on today");
}

#[test]
fn the_demo_has_orders_in_every_state_signed_deliveries_returns_and_scans() {
    let (_temp, db) = demo_db();
    let all = orders::list(db.conn(), orders::OrderFilter::default()).unwrap();
    for status in OrderStatus::all() {
        assert!(all.iter().any(|o| o.status == status), "no demo order is {status:?}");
    }
    let list = deliveries::list(db.conn(), &deliveries::DeliveryFilter::default()).unwrap();
    assert!(list.iter().any(|d| d.status == DeliveryStatus::Scheduled && !d.items.is_empty()));
    assert!(list.iter().filter(|d| d.status == DeliveryStatus::Delivered).count() >= 3);
    let picked_up = list.iter().flat_map(|d| &d.items).filter(|i| i.picked_up_on.is_some()).count();
    assert_eq!(picked_up, 1, "the demo's rented bed was picked up");
    let exchanged: i64 = db.conn().query_row("SELECT COUNT(*) FROM asset_exchanges", [], |r| r.get(0)).unwrap();
    assert_eq!(exchanged, 1, "the demo's CPAP was exchanged");
    let docs = documents::list(db.conn(), documents::DocumentFilter::default()).unwrap();
    let scanned = docs.iter().filter(|d| !d.files.is_empty()).collect::<Vec<_>>();
    assert!(scanned.len() >= 2 && scanned.iter().any(|d| d.form.is_some()), "signed SWOs and CMNs carry their scans");
    for file in scanned.iter().flat_map(|d| &d.files) {
        assert!(documents::file_content(db.conn(), file.id).unwrap().1.starts_with(b"%PDF"));
    }
}

/// Text of a PDF, or `None` (with a note) where pdftotext is not installed.
fn pdf_text(path: &std::path::Path) -> Option<String> {
    match std::process::Command::new("pdftotext").arg("-layout").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            eprintln!("pdftotext is not installed (poppler-utils); skipping the PDF text check");
            None
        }
    }
}

#[test]
fn cli_schedule_pick_sign_and_print_the_ticket() {
    let db = TempDb::new();
    db.cli_json(&["demo", "--json"]);
    let order = {
        let mut d = db.open();
        ready_order(&mut d, &["E0260 rental 13mo RR"]).id
    };
    let serial = available(&db.open(), "E0260")[0].serial.clone();
    let scheduled = db.cli_json(&[
        "deliveries",
        "schedule",
        "--order-id",
        &order.to_string(),
        "--scheduled-on",
        &today().to_string(),
        "--location-id",
        "1",
        "--driver",
        "Sam Ortiz",
        "--json",
    ]);
    let id = scheduled["id"].to_string();
    db.cli_json(&["deliveries", "pick", &id, "--line", "1", "--serial", &serial, "--json"]);
    let signature = db.dir.path().join("signature.png");
    std::fs::write(&signature, SIGNATURE_PNG).unwrap();
    let sign = |name: &str, relationship: &str| {
        db.cli(&[
            "deliveries",
            "confirm",
            &id,
            "--signer-name",
            name,
            "--relationship",
            relationship,
            "--signature",
            signature.to_str().unwrap(),
        ])
    };
    let staff = sign("Dana Whitfield", "employee");
    assert_eq!(staff.status.code(), Some(1));
    assert!(stderr(&staff).contains("supplier's own staff"), "{}", stderr(&staff));
    assert_eq!(sign("Rosa Perez", "Daughter").status.code(), Some(0));
    let repeat = sign("Rosa Perez", "Daughter");
    assert_eq!(repeat.status.code(), Some(1));
    assert!(stderr(&repeat).contains("already confirmed"), "{}", stderr(&repeat));

    let list = db.cli_json(&["deliveries", "list", "--json"]);
    let mine = list.as_array().unwrap().iter().find(|d| d["id"] == scheduled["id"]).unwrap();
    assert_eq!(mine["status"], "delivered");
    for field in ["id", "patient_id", "status"] {
        assert!(!mine[field].is_null(), "{field} missing in {mine}");
    }
    assert_eq!(mine["patient_id"], 20);
    let day = mine["scheduled_on"].as_str().unwrap();
    let that_day = db.cli_json(&["deliveries", "list", "--from", day, "--to", day, "--status", "delivered", "--json"]);
    let that_day = that_day.as_array().unwrap();
    assert!(that_day.iter().any(|d| d["id"] == scheduled["id"]));
    assert!(that_day.iter().all(|d| d["scheduled_on"] == day && d["status"] == "delivered"), "{that_day:?}");
    assert_eq!(
        db.cli_json(&["deliveries", "list", "--on", day, "--status", "delivered", "--json"]).as_array(),
        Some(that_day)
    );
    let name = mine["patient_name"].as_str().unwrap()[..3].to_uppercase();
    let by_name = db.cli_json(&["deliveries", "list", "--name", &name, "--json"]);
    let by_name = by_name.as_array().unwrap();
    assert!(by_name.iter().any(|d| d["id"] == scheduled["id"]));
    assert!(by_name.iter().all(|d| d["patient_name"].as_str().unwrap().to_uppercase().contains(&name)));
    let backwards = db.cli(&["deliveries", "list", "--from", "2026-02-01", "--to", "2026-01-01"]);
    assert_eq!(backwards.status.code(), Some(1));
    assert!(stderr(&backwards).contains("to"), "{}", stderr(&backwards));

    let pdf = db.dir.path().join("ticket.pdf");
    let out = db.cli(&["print", "delivery-ticket", &id, "--out", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let patient = db.cli_json(&["patients", "show", "20", "--json"]);
    if let Some(text) = pdf_text(&pdf) {
        let last = patient["last_name"].as_str().unwrap();
        for expected in [
            last,
            serial.as_str(),
            "E0260",
            "PROOF OF DELIVERY",
            "SIGNATURE OF PATIENT OR DESIGNEE",
            "Rosa Perez",
            "Daughter",
            "Rental",
        ] {
            assert!(text.contains(expected), "{expected} missing from:\n{text}");
        }
    }
    assert_eq!(db.cli(&["print", "delivery-ticket", "999", "--out", pdf.to_str().unwrap()]).status.code(), Some(1));
}
