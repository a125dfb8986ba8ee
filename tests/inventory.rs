//! Inventory workflows through the core: receiving a purchase order end to end (partial then
//! full, serials become assets, lots carry their expiry), the asset lifecycle and its history
//! and stock effects, reorder drafting, maintenance due, and valuation at moving average cost.

mod common;

use chrono::{Days, NaiveDate};
use common::actor;
use hmedesk::assets::maintenance::{self, MaintenanceScheduleInput, ServiceRecordInput};
use hmedesk::assets::store::{self as asset_store, AssetFilter};
use hmedesk::assets::{lifecycle, reports as asset_reports, AssetError, AssetStatus, TransitionInput};
use hmedesk::catalog;
use hmedesk::inventory::{items, ledger, locations, lots, reorder, reports, scan};
use hmedesk::inventory::{ItemInput, LocationInput, MovementInput, ReorderLevelInput};
use hmedesk::patients::{self, PatientInput};
use hmedesk::purchasing::{orders, receiving, vendors, PoStatus, PurchasingError};
use hmedesk::purchasing::{PoLineInput, PurchaseOrderInput, ReceiptInput, ReceiptLineInput, VendorInput};
use hmedesk::validation::today;
use hmedesk::{dashboard, Db};

fn s(v: impl ToString) -> Option<String> {
    Some(v.to_string())
}

struct Shop {
    db: Db,
    warehouse: i64,
    van: i64,
    vendor: i64,
    cpap: i64,
    strips: i64,
    masks: i64,
    patient: i64,
}

fn shop() -> Shop {
    let mut db = Db::open_in_memory().unwrap();
    db.write(&actor(), catalog::load_reference).unwrap();
    let location = |db: &mut Db, name: &str, kind: &str| {
        locations::add(db, &actor(), &LocationInput { name: s(name), kind: s(kind) }).unwrap().id
    };
    let warehouse = location(&mut db, "Main", "warehouse");
    let van = location(&mut db, "Van 1", "vehicle");
    let vendor = vendors::add(&mut db, &actor(), &VendorInput { name: s("ResMed"), ..Default::default() }).unwrap().id;
    let item = |db: &mut Db, hcpcs: &str, sku: &str, cost: &str, serialized: &str, lot: &str| {
        items::add(
            db,
            &actor(),
            &ItemInput {
                hcpcs: s(hcpcs),
                name: s(sku),
                manufacturer: s("ResMed"),
                model: s(sku),
                sku: s(sku),
                barcode: s(format!("0{sku}")),
                cost: s(cost),
                serialized: s(serialized),
                lot_tracked: s(lot),
                vendor_id: s(vendor),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let cpap = item(&mut db, "E0601", "CPAP", "545.00", "yes", "no");
    let strips = item(&mut db, "A4253", "STRIPS", "9.50", "no", "yes");
    let masks = item(&mut db, "A7030", "MASK", "62.00", "no", "no");
    let patient = patients::add(
        &mut db,
        &actor(),
        &PatientInput {
            first_name: s("Rosa"),
            last_name: s("Garcia"),
            dob: s("1948-03-02"),
            sex: s("F"),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    Shop { db, warehouse, van, vendor, cpap, strips, masks, patient }
}

fn days_ago(n: u64) -> NaiveDate {
    today() - Days::new(n)
}

fn line(po: &orders::PurchaseOrder, item: i64, quantity: i64) -> ReceiptLineInput {
    ReceiptLineInput {
        line_id: s(po.lines.iter().find(|l| l.item_id == item).unwrap().id),
        quantity: s(quantity),
        ..Default::default()
    }
}

fn ordered_po(shop: &mut Shop) -> orders::PurchaseOrder {
    let po = orders::add(
        &mut shop.db,
        &actor(),
        &PurchaseOrderInput { vendor_id: s(shop.vendor), ship_to_id: s(shop.warehouse), notes: None },
    )
    .unwrap();
    for (item, quantity) in [(shop.cpap, 3), (shop.strips, 20), (shop.masks, 10)] {
        orders::add_line(
            &mut shop.db,
            &actor(),
            po.id,
            &PoLineInput { item_id: s(item), quantity: s(quantity), unit_cost: None },
        )
        .unwrap();
    }
    orders::place(&mut shop.db, &actor(), po.id, None).unwrap()
}

#[test]
fn receiving_a_purchase_order_partially_then_in_full() {
    let mut shop = shop();
    let draft = orders::add(
        &mut shop.db,
        &actor(),
        &PurchaseOrderInput { vendor_id: s(shop.vendor), ship_to_id: s(shop.warehouse), notes: None },
    )
    .unwrap();
    let refused = receiving::receive(&mut shop.db, &actor(), draft.id, &ReceiptInput::default()).unwrap_err();
    assert!(matches!(refused, PurchasingError::WrongStatus { status: PoStatus::Draft, .. }), "{refused}");

    let po = ordered_po(&mut shop);
    assert_eq!(po.status, PoStatus::Ordered);
    assert_eq!(po.total.to_string(), "2445.00"); // 3 × 545 + 20 × 9.50 + 10 × 62
    let expiry = today() + Days::new(200);

    // Every problem of a bad receipt is named by line and field; nothing is saved.
    let bad = ReceiptInput {
        date: None,
        lines: vec![
            ReceiptLineInput { serials: s("SN1"), ..line(&po, shop.cpap, 2) },
            ReceiptLineInput { lot: None, ..line(&po, shop.strips, 25) },
            ReceiptLineInput { lot: s("X"), ..line(&po, shop.masks, 1) },
        ],
    };
    let problems = receiving::receive(&mut shop.db, &actor(), po.id, &bad).unwrap_err().to_string();
    assert_eq!(
        problems,
        "lines[0].serials: 2 units need 2 serial numbers; 1 given; \
         lines[1].quantity: 20 of STRIPS are still to come on this line; 25 is too many; \
         lines[1].lot: is required: STRIPS is lot-tracked; lines[2].lot: MASK is not lot-tracked"
    );
    assert_eq!(
        shop.db.conn().query_row("SELECT COUNT(*) FROM stock_movements", [], |r| r.get::<_, i64>(0)).unwrap(),
        0
    );

    let early = ReceiptInput { date: s(days_ago(1)), lines: vec![line(&po, shop.masks, 1)] };
    let e = receiving::receive(&mut shop.db, &actor(), po.id, &early).unwrap_err();
    assert_eq!(e.to_string(), "date: is before the order was placed");
    let partial = ReceiptInput {
        date: None,
        lines: vec![
            ReceiptLineInput { serials: s("SN-1\nSN-2"), ..line(&po, shop.cpap, 2) },
            ReceiptLineInput { lot: s("LOT-A"), expires: s(expiry), ..line(&po, shop.strips, 12) },
            line(&po, shop.masks, 10),
        ],
    };
    let after = receiving::receive(&mut shop.db, &actor(), po.id, &partial).unwrap();
    assert_eq!(after.status, PoStatus::PartiallyReceived);
    assert_eq!(after.lines.iter().map(|l| l.received).collect::<Vec<_>>(), [2, 12, 10]);
    let units =
        asset_store::list(shop.db.conn(), &AssetFilter { item_id: Some(shop.cpap), ..Default::default() }).unwrap();
    assert_eq!(
        units.iter().map(|a| (a.serial.as_str(), a.status)).collect::<Vec<_>>(),
        [("SN-1", AssetStatus::Available), ("SN-2", AssetStatus::Available)]
    );
    assert!(units.iter().all(|a| a.location_id == Some(shop.warehouse) && a.cost.to_string() == "545.00"));
    let lot = lots::find(shop.db.conn(), shop.strips, "LOT-A").unwrap().unwrap();
    assert_eq!((lot.expires, lot.on_hand), (Some(expiry), 12));

    // A serial already on file is refused; the rest arrives with a second lot.
    let dup =
        ReceiptInput { date: None, lines: vec![ReceiptLineInput { serials: s("sn-2"), ..line(&po, shop.cpap, 1) }] };
    let e = receiving::receive(&mut shop.db, &actor(), po.id, &dup).unwrap_err().to_string();
    assert_eq!(e, "lines[0].serials: sn-2 is already on file for CPAP");
    let rest = ReceiptInput {
        date: None,
        lines: vec![
            ReceiptLineInput { serials: s("SN-3"), ..line(&po, shop.cpap, 1) },
            ReceiptLineInput { lot: s("LOT-B"), expires: s(expiry + Days::new(90)), ..line(&po, shop.strips, 8) },
        ],
    };
    let done = receiving::receive(&mut shop.db, &actor(), po.id, &rest).unwrap();
    assert_eq!(done.status, PoStatus::Received);
    assert!(done.lines.iter().all(|l| l.outstanding() == 0));
    let again = receiving::receive(&mut shop.db, &actor(), po.id, &rest).unwrap_err();
    assert!(matches!(again, PurchasingError::WrongStatus { status: PoStatus::Received, .. }));

    // The ledger agrees with the assets and the lots.
    let conn = shop.db.conn();
    assert_eq!(ledger::on_hand(conn, shop.cpap, shop.warehouse, None).unwrap(), 3);
    assert_eq!(ledger::on_hand_total(conn, shop.strips, shop.warehouse).unwrap(), 20);
    assert_eq!(
        lots::list(conn, Some(shop.strips)).unwrap().iter().map(|l| l.lot_number.as_str()).collect::<Vec<_>>(),
        ["LOT-A", "LOT-B"]
    );
    let history = lifecycle::history(conn, units[0].id).unwrap();
    assert_eq!((history[0].to_status, history[0].actor.as_str()), (AssetStatus::Available, "tester"));
}

fn change(db: &mut Db, id: i64, status: &str, extra: TransitionInput) -> Result<hmedesk::assets::Asset, AssetError> {
    lifecycle::transition(db, &actor(), id, &TransitionInput { status: s(status), ..extra })
}

#[test]
fn a_unit_goes_out_on_rent_and_comes_back_with_its_history_and_stock() {
    let mut shop = shop();
    let po = ordered_po(&mut shop);
    receiving::receive(
        &mut shop.db,
        &actor(),
        po.id,
        &ReceiptInput {
            date: None,
            lines: vec![ReceiptLineInput { serials: s("A1 A2 A3"), ..line(&po, shop.cpap, 3) }],
        },
    )
    .unwrap();
    let unit = scan::lookup(shop.db.conn(), " a1 ").unwrap().assets[0].clone();
    let stock = |shop: &Shop| ledger::on_hand(shop.db.conn(), shop.cpap, shop.warehouse, None).unwrap();

    let illegal = change(&mut shop.db, unit.id, "on_rent", TransitionInput::default()).unwrap_err();
    assert_eq!(illegal.to_string(), "A1 is available; it cannot become on_rent (from available it can become: reserved, maintenance, retired, lost)");
    let e = change(&mut shop.db, unit.id, "reserved", TransitionInput::default()).unwrap_err();
    assert_eq!(e.to_string(), "patient_id: is required: say which patient the unit is for");

    change(&mut shop.db, unit.id, "reserved", TransitionInput { patient_id: s(shop.patient), ..Default::default() })
        .unwrap();
    assert_eq!(stock(&shop), 3, "a reserved unit is still on the shelf");
    let out = change(&mut shop.db, unit.id, "on_rent", TransitionInput { date: s(days_ago(30)), ..Default::default() })
        .unwrap();
    assert_eq!((out.location_id, out.patient_id), (None, Some(shop.patient)));
    assert_eq!(stock(&shop), 2);
    let rented = asset_reports::on_rent(shop.db.conn()).unwrap();
    assert_eq!((rented.len(), rented[0].patient.as_str(), rented[0].since), (1, "Garcia, Rosa", days_ago(30)));

    let e = change(&mut shop.db, unit.id, "returned", TransitionInput::default()).unwrap_err();
    assert_eq!(e.to_string(), "location_id: is required: say where the unit is brought back to");
    change(
        &mut shop.db,
        unit.id,
        "returned",
        TransitionInput { location_id: s(shop.van), hours_meter: s(1200), ..Default::default() },
    )
    .unwrap();
    assert_eq!(ledger::on_hand(shop.db.conn(), shop.cpap, shop.van, None).unwrap(), 1);
    let e = change(&mut shop.db, unit.id, "cleaning", TransitionInput { hours_meter: s(900), ..Default::default() })
        .unwrap_err();
    assert_eq!(e.to_string(), "hours_meter: 900 is below the last reading of 1200 hours for A1");
    change(&mut shop.db, unit.id, "cleaning", TransitionInput::default()).unwrap();
    let back = change(&mut shop.db, unit.id, "available", TransitionInput::default()).unwrap();
    assert_eq!(
        (back.status, back.location_id, back.patient_id, back.hours_meter),
        (AssetStatus::Available, Some(shop.van), None, Some(1200))
    );
    let moved = lifecycle::transfer(
        &mut shop.db,
        &actor(),
        unit.id,
        &TransitionInput { location_id: s(shop.warehouse), ..Default::default() },
    )
    .unwrap();
    assert_eq!(moved.location_id, Some(shop.warehouse));
    assert_eq!(stock(&shop), 3);

    let history = lifecycle::history(shop.db.conn(), unit.id).unwrap();
    let steps: Vec<_> =
        history.iter().map(|e| (e.from_status, e.to_status, e.location.clone(), e.patient_id)).collect();
    use AssetStatus::*;
    assert_eq!(
        steps,
        [
            (None, Available, Some("Main".into()), None),
            (Some(Available), Reserved, Some("Main".into()), Some(shop.patient)),
            (Some(Reserved), OnRent, Some("Main".into()), Some(shop.patient)),
            (Some(OnRent), Returned, Some("Van 1".into()), Some(shop.patient)),
            (Some(Returned), Cleaning, Some("Van 1".into()), None),
            (Some(Cleaning), Available, Some("Van 1".into()), None),
            (Some(Available), Available, Some("Main".into()), None),
        ]
    );
    assert!(history.iter().all(|e| e.actor == "tester"));
    assert_eq!(history[2].happened_on, days_ago(30));

    // Lost with a patient takes nothing off the shelf; retired from the shelf is scrapped.
    let second = scan::lookup(shop.db.conn(), "A2").unwrap().assets[0].id;
    change(&mut shop.db, second, "reserved", TransitionInput { patient_id: s(shop.patient), ..Default::default() })
        .unwrap();
    change(&mut shop.db, second, "on_rent", TransitionInput::default()).unwrap();
    let e = change(&mut shop.db, second, "lost", TransitionInput::default()).unwrap_err();
    assert_eq!(e.to_string(), "note: is required: say why the unit is lost");
    change(
        &mut shop.db,
        second,
        "lost",
        TransitionInput { note: s("patient moved away, unreachable"), ..Default::default() },
    )
    .unwrap();
    assert_eq!(stock(&shop), 2);
    let third = scan::lookup(shop.db.conn(), "A3").unwrap().assets[0].id;
    change(
        &mut shop.db,
        third,
        "retired",
        TransitionInput { note: s("motor failure, beyond repair"), ..Default::default() },
    )
    .unwrap();
    assert_eq!(stock(&shop), 1);
    let counts: Vec<(AssetStatus, i64)> = asset_reports::by_status(shop.db.conn())
        .unwrap()
        .into_iter()
        .map(|c| (c.status, c.count))
        .filter(|c| c.1 > 0)
        .collect();
    assert_eq!(counts, [(Available, 1), (Retired, 1), (Lost, 1)]);
}

#[test]
fn serialized_stock_moves_only_with_the_asset_commands() {
    let mut shop = shop();
    let input = MovementInput {
        kind: s("receive"),
        item_id: s(shop.cpap),
        quantity: s(1),
        location_id: s(shop.warehouse),
        ..Default::default()
    };
    let e = ledger::move_stock(&mut shop.db, &actor(), &input).unwrap_err().to_string();
    assert_eq!(e, "item_id: CPAP (CPAP) is serialized: its units move with the asset commands (hmedesk assets ...)");
}

#[test]
fn falling_below_the_minimum_drafts_a_purchase_order_line_and_warns_the_dashboard() {
    let mut shop = shop();
    let receive = MovementInput {
        kind: s("receive"),
        item_id: s(shop.masks),
        quantity: s(30),
        location_id: s(shop.warehouse),
        unit_cost: s("60.00"),
        ..Default::default()
    };
    ledger::move_stock(&mut shop.db, &actor(), &receive).unwrap();
    let level = reorder::set(
        &mut shop.db,
        &actor(),
        &ReorderLevelInput { item_id: s(shop.masks), location_id: s(shop.warehouse), min: s(10), max: s(40) },
    )
    .unwrap();
    assert!(!level.below_min());
    assert!(orders::list(shop.db.conn(), None).unwrap().is_empty());
    let deliver = |quantity: i64| MovementInput {
        kind: s("deliver"),
        item_id: s(shop.masks),
        quantity: s(quantity),
        location_id: s(shop.warehouse),
        patient_id: s(shop.patient),
        ..Default::default()
    };
    ledger::move_stock(&mut shop.db, &actor(), &deliver(22)).unwrap();
    let drafts = orders::list(shop.db.conn(), Some(PoStatus::Draft)).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!((drafts[0].vendor_id, drafts[0].ship_to_id), (shop.vendor, shop.warehouse));
    assert_eq!((drafts[0].lines[0].item_id, drafts[0].lines[0].quantity), (shop.masks, 32)); // 40 − 8 on hand
    assert_eq!(drafts[0].lines[0].unit_cost.to_string(), "62.00");

    // Further use tops the same line up, counting what is already drafted.
    ledger::move_stock(&mut shop.db, &actor(), &deliver(3)).unwrap();
    let drafts = orders::list(shop.db.conn(), Some(PoStatus::Draft)).unwrap();
    assert_eq!((drafts.len(), drafts[0].lines[0].quantity), (1, 35));
    let levels = reorder::below_min(shop.db.conn()).unwrap();
    assert_eq!((levels[0].on_hand, levels[0].on_order, levels[0].shortfall()), (5, 35, 0));
    let alerts = dashboard::summary(shop.db.conn(), today()).unwrap().alerts;
    assert!(
        alerts.iter().any(|a| a.entity == "item"
            && a.message == "Reorder MASK (MASK) at Main: 5 on hand, minimum 10, 35 on order; a purchase order line is drafted; review and place it."),
        "{alerts:?}"
    );
}

#[test]
fn maintenance_falls_due_by_days_or_by_meter_hours() {
    let mut shop = shop();
    let unit = |shop: &mut Shop, serial: &str, hours: Option<i64>, acquired: NaiveDate| {
        asset_store::add(
            &mut shop.db,
            &actor(),
            &hmedesk::assets::AssetInput {
                item_id: s(shop.cpap),
                serial: s(serial),
                location_id: s(shop.warehouse),
                hours_meter: hours.map(|h| h.to_string()),
                date: s(acquired),
                cost: None,
            },
        )
        .unwrap()
        .id
    };
    let fresh = unit(&mut shop, "NEW", Some(100), days_ago(10));
    let worn = unit(&mut shop, "WORN", Some(5_200), days_ago(500));
    let schedule = |shop: &mut Shop, days: Option<i64>, hours: Option<i64>| {
        maintenance::add_schedule(
            &mut shop.db,
            &actor(),
            &MaintenanceScheduleInput {
                item_id: s(shop.cpap),
                task: s("check"),
                every_days: days.map(|d| d.to_string()),
                every_hours: hours.map(|h| h.to_string()),
            },
        )
        .unwrap()
        .id
    };
    let e = maintenance::add_schedule(
        &mut shop.db,
        &actor(),
        &MaintenanceScheduleInput { item_id: s(shop.masks), task: s("x"), ..Default::default() },
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "every_days: give either every_days or every_hours (one interval per schedule); item_id: MASK (MASK) is not serialized: only units with serial numbers are serviced");
    let yearly = schedule(&mut shop, Some(365), None);
    let hourly = schedule(&mut shop, None, Some(5_000));
    let due: Vec<(i64, i64)> =
        maintenance::due(shop.db.conn(), today(), 0).unwrap().iter().map(|d| (d.asset_id, d.schedule_id)).collect();
    assert_eq!(due, [(worn, yearly), (worn, hourly)]);
    maintenance::record_service(
        &mut shop.db,
        &actor(),
        worn,
        &ServiceRecordInput {
            schedule_id: s(hourly),
            technician: s("Luis"),
            work_done: s("filters"),
            hours_meter: s(5_300),
            date: None,
        },
    )
    .unwrap();
    maintenance::record_service(
        &mut shop.db,
        &actor(),
        worn,
        &ServiceRecordInput {
            schedule_id: s(yearly),
            technician: s("Luis"),
            work_done: s("inspection"),
            hours_meter: None,
            date: None,
        },
    )
    .unwrap();
    assert!(maintenance::due(shop.db.conn(), today(), 0).unwrap().is_empty());
    let soon = maintenance::due(shop.db.conn(), today(), 360).unwrap();
    assert_eq!(soon.iter().map(|d| d.asset_id).collect::<Vec<_>>(), [fresh]);
    assert_eq!(soon[0].due_on, Some(days_ago(10) + Days::new(365)));
}

#[test]
fn valuation_uses_the_moving_average_of_receipts() {
    let mut shop = shop();
    let movement = |kind: &str, quantity: &str, cost: Option<&str>| MovementInput {
        kind: s(kind),
        item_id: s(shop.masks),
        quantity: s(quantity),
        location_id: s(shop.warehouse),
        unit_cost: cost.map(str::to_string),
        patient_id: (kind == "deliver").then(|| shop.patient.to_string()),
        ..Default::default()
    };
    for input in [
        movement("receive", "10", Some("10.00")),
        movement("deliver", "5", None),
        movement("receive", "5", Some("13.00")),
        MovementInput { to_location_id: s(shop.van), ..movement("transfer", "4", None) },
    ] {
        ledger::move_stock(&mut shop.db, &actor(), &input).unwrap();
    }
    let v = reports::valuation(shop.db.conn()).unwrap();
    assert_eq!(v.lines.len(), 1);
    assert_eq!(
        (v.lines[0].on_hand, v.lines[0].average_cost.to_string(), v.lines[0].value.to_string()),
        (10, "11.50".into(), "115.00".into())
    );
    assert_eq!(v.total.to_string(), "115.00");
    let stock = reports::stock_on_hand(shop.db.conn(), None, Some(shop.masks)).unwrap();
    assert_eq!(
        stock.iter().map(|l| (l.location.as_str(), l.quantity)).collect::<Vec<_>>(),
        [("Main", 6), ("Van 1", 4)]
    );
}

#[test]
fn reorder_levels_and_item_tracking_are_checked() {
    let mut shop = shop();
    let e = reorder::set(
        &mut shop.db,
        &actor(),
        &ReorderLevelInput { item_id: s(99), location_id: s(shop.warehouse), min: s(10), max: s(5) },
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "max: must be at least the minimum (10); item_id: there is no item with id 99");

    // Once an item has stock history, how it is tracked can no longer change.
    let receive = MovementInput {
        kind: s("receive"),
        item_id: s(shop.masks),
        quantity: s(2),
        location_id: s(shop.warehouse),
        ..Default::default()
    };
    ledger::move_stock(&mut shop.db, &actor(), &receive).unwrap();
    let mut form = items::get(shop.db.conn(), shop.masks).unwrap().to_input();
    form.lot_tracked = s("yes");
    let e = items::update(&mut shop.db, &actor(), shop.masks, &form).unwrap_err();
    assert!(e.to_string().starts_with("serialized: this item has stock history"), "{e}");
    form.lot_tracked = s("no");
    form.cost = s("63.10");
    assert_eq!(items::update(&mut shop.db, &actor(), shop.masks, &form).unwrap().cost.to_string(), "63.10");
    let e = items::add(&mut shop.db, &actor(), &ItemInput { sku: s("mask"), ..form }).unwrap_err();
    assert_eq!(
        e.to_string(),
        "sku: mask is already used by item MASK (MASK); barcode: 0MASK is already used by item MASK (MASK)"
    );
}
