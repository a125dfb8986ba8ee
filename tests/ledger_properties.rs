//! Property tests of the stock ledger over random movement sequences: on hand never goes
//! negative, always equals the sum of the movements (checked against an independent model),
//! a movement is refused exactly when it would over-draw (or names a lot never received),
//! and a refused movement changes nothing at all.

mod common;

use hmedesk::catalog::{self, CatalogItemInput};
use hmedesk::inventory::{items, ledger, locations, ItemInput, LocationInput, MovementInput};
use hmedesk::patients::{self, PatientInput};
use hmedesk::{Actor, Db};
use proptest::prelude::*;
use std::collections::HashMap;

const KINDS: [&str; 6] = ["receive", "transfer", "deliver", "return", "adjust", "scrap"];
const LOTS: [&str; 2] = ["L-100", "L-200"];

/// One generated movement: kind, item (0 plain, 1 lot-tracked), location, which other
/// location a transfer goes to, quantity, direction of an adjustment, lot.
#[derive(Debug, Clone)]
struct Op {
    kind: usize,
    item: usize,
    location: usize,
    other: usize,
    quantity: i64,
    up: bool,
    lot: usize,
}

fn op() -> impl Strategy<Value = Op> {
    (0..KINDS.len(), 0..2usize, 0..3usize, 1..3usize, 1i64..12, any::<bool>(), 0..2usize).prop_map(
        |(kind, item, location, other, quantity, up, lot)| Op { kind, item, location, other, quantity, up, lot },
    )
}

struct World {
    db: Db,
    actor: Actor,
    items: [i64; 2],
    locations: [i64; 3],
    patient: i64,
    lots: [Option<i64>; 2],
}

fn world() -> World {
    let mut db = Db::open_in_memory().unwrap();
    let actor = Actor::new("prop");
    let code = catalog::add(
        &mut db,
        &actor,
        &CatalogItemInput {
            hcpcs: Some("A7038".into()),
            description: Some("Filter".into()),
            category: Some("SU".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let item = |db: &mut Db, sku: &str, lot: &str| {
        items::add(
            db,
            &actor,
            &ItemInput {
                hcpcs: Some(code.hcpcs.clone()),
                name: Some(sku.into()),
                manufacturer: Some("Acme".into()),
                model: Some(sku.into()),
                sku: Some(sku.into()),
                cost: Some("1.25".into()),
                lot_tracked: Some(lot.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let items = [item(&mut db, "PLAIN", "no"), item(&mut db, "LOTTED", "yes")];
    let mut location = |name: &str| {
        locations::add(&mut db, &actor, &LocationInput { name: Some(name.into()), kind: Some("warehouse".into()) })
            .unwrap()
            .id
    };
    let locations = [location("A"), location("B"), location("C")];
    let patient = patients::add(
        &mut db,
        &actor,
        &PatientInput {
            first_name: Some("Ann".into()),
            last_name: Some("Lee".into()),
            dob: Some("1950-01-01".into()),
            sex: Some("F".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    World { db, actor, items, locations, patient, lots: [None, None] }
}

/// Everything a movement could touch, to compare before and after a refusal.
fn snapshot(db: &Db) -> Vec<i64> {
    let conn = db.conn();
    let mut values: Vec<i64> = ["stock_movements", "lots", "audit_log", "purchase_orders", "purchase_order_lines"]
        .iter()
        .map(|t| conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0)).unwrap())
        .collect();
    let mut stmt = conn
        .prepare("SELECT item_id, location_id, COALESCE(lot_id, 0), SUM(delta) FROM stock_deltas GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok([r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?])).unwrap();
    values.extend(rows.flat_map(|r| r.unwrap()));
    values
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut w = world();
    // The model: (item index, location index, lot index or 0) -> on hand.
    let mut model: HashMap<(usize, usize, usize), i64> = HashMap::new();
    for op in ops {
        let kind = KINDS[op.kind];
        let lotted = op.item == 1;
        let lot = if lotted { op.lot } else { 0 };
        let other = (op.location + op.other) % 3;
        let outbound = matches!(kind, "transfer" | "deliver" | "scrap") || (kind == "adjust" && !op.up);
        let here = model.get(&(op.item, op.location, lot)).copied().unwrap_or(0);
        let lot_unknown = lotted && kind != "receive" && w.lots[op.lot].is_none();
        let should_refuse = lot_unknown || (outbound && op.quantity > here);

        let input = MovementInput {
            kind: Some(kind.into()),
            item_id: Some(w.items[op.item].to_string()),
            quantity: Some(if kind == "adjust" && !op.up {
                format!("-{}", op.quantity)
            } else {
                op.quantity.to_string()
            }),
            location_id: Some(w.locations[op.location].to_string()),
            to_location_id: (kind == "transfer").then(|| w.locations[other].to_string()),
            lot: lotted.then(|| LOTS[op.lot].to_string()),
            expires: (lotted && kind == "receive").then(|| "2030-01-31".to_string()),
            patient_id: matches!(kind, "deliver" | "return").then(|| w.patient.to_string()),
            reason: (kind == "adjust").then(|| "cycle count".to_string()),
            ..MovementInput::default()
        };
        let before = snapshot(&w.db);
        match ledger::move_stock(&mut w.db, &w.actor, &input) {
            Ok(m) => {
                prop_assert!(!should_refuse, "{op:?} was accepted but should have been refused");
                if lotted {
                    w.lots[op.lot] = m.lot_id;
                }
                if outbound {
                    *model.entry((op.item, op.location, lot)).or_default() -= op.quantity;
                }
                if kind == "transfer" {
                    *model.entry((op.item, other, lot)).or_default() += op.quantity;
                } else if !outbound {
                    *model.entry((op.item, op.location, lot)).or_default() += op.quantity;
                }
            }
            Err(e) => {
                prop_assert!(should_refuse, "{op:?} was refused: {e}");
                prop_assert_eq!(snapshot(&w.db), before, "a refused movement changed something");
                let message = e.to_string();
                prop_assert!(message.starts_with("quantity: only") || message.starts_with("lot:"), "{}", message);
            }
        }
        for (i, item) in w.items.iter().enumerate() {
            for (l, location) in w.locations.iter().enumerate() {
                for (k, lot_id) in if i == 1 { w.lots.to_vec() } else { vec![None] }.into_iter().enumerate() {
                    if i == 1 && lot_id.is_none() {
                        continue;
                    }
                    let on_hand = ledger::on_hand(w.db.conn(), *item, *location, lot_id).unwrap();
                    let summed: i64 =
                        w.db.conn()
                            .query_row(
                                "SELECT COALESCE(SUM(CASE WHEN to_location_id = ?2 THEN quantity ELSE 0 END), 0)
                                  - COALESCE(SUM(CASE WHEN from_location_id = ?2 THEN quantity ELSE 0 END), 0)
                             FROM stock_movements WHERE item_id = ?1 AND lot_id IS ?3",
                                rusqlite::params![item, location, lot_id],
                                |r| r.get(0),
                            )
                            .unwrap();
                    let expected = model.get(&(i, l, if i == 1 { k } else { 0 })).copied().unwrap_or(0);
                    prop_assert!(on_hand >= 0, "negative stock {on_hand}");
                    prop_assert_eq!(on_hand, summed);
                    prop_assert_eq!(on_hand, expected);
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_movements_never_make_stock_negative_and_on_hand_is_the_ledger_sum(ops in prop::collection::vec(op(), 1..40)) {
        run(&ops)?;
    }
}

#[test]
fn an_overdraw_is_refused_with_the_quantity_on_hand_and_changes_nothing() {
    let mut w = world();
    let receive = MovementInput {
        kind: Some("receive".into()),
        item_id: Some(w.items[0].to_string()),
        quantity: Some("3".into()),
        location_id: Some(w.locations[0].to_string()),
        ..MovementInput::default()
    };
    ledger::move_stock(&mut w.db, &w.actor, &receive).unwrap();
    let before = snapshot(&w.db);
    let scrap = MovementInput { kind: Some("scrap".into()), quantity: Some("4".into()), ..receive };
    let e = ledger::move_stock(&mut w.db, &w.actor, &scrap).unwrap_err();
    assert_eq!(e.to_string(), "quantity: only 3 each of PLAIN (PLAIN) on hand at A; cannot take 4");
    assert_eq!(snapshot(&w.db), before);
}
