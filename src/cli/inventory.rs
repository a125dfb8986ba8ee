//! `hmedesk inventory ...`: items, locations, stock movements, stock and valuation reports,
//! lots, reorder levels and scan lookup.

use super::crud::{self, Crud, Entity};
use super::output::{self, cell};
use super::{Context, Failure};
use crate::db::{Actor, Db};
use crate::inventory::reports::{self, StockLevel};
use crate::inventory::{items, ledger, locations, lots, reorder, scan};
use crate::inventory::{Item, ItemInput, Location, LocationInput, Movement, MovementInput, MovementKind};
use crate::inventory::{ReorderLevel, ReorderLevelInput};
use clap::Subcommand;
use rusqlite::Connection;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Stocked items (a model billed under a HCPCS code)
    #[command(subcommand)]
    Items(Crud<ItemInput>),
    /// Warehouses and vehicles
    #[command(subcommand)]
    Locations(Crud<LocationInput>),
    /// Receive stock not bought on a purchase order (opening balances, samples)
    Receive(MovementInput),
    /// Move stock from one location to another
    Transfer(MovementInput),
    /// Stock handed to a patient
    Deliver(MovementInput),
    /// Stock coming back from a patient
    Return(MovementInput),
    /// Correct a count, up (+3) or down (-2), with the reason
    Adjust(MovementInput),
    /// Throw stock away (expired, damaged)
    Scrap(MovementInput),
    /// Stock on hand by location
    Stock {
        #[arg(long)]
        location: Option<i64>,
        #[arg(long)]
        item: Option<i64>,
    },
    /// The stock ledger, newest first
    Movements {
        #[arg(long)]
        item: Option<i64>,
        #[arg(long)]
        location: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Lots of lot-tracked items, soonest expiry first
    Lots {
        #[arg(long)]
        item: Option<i64>,
    },
    /// Stock on hand valued at moving average cost
    Valuation,
    /// Reorder levels (min/max per item and location)
    #[command(subcommand)]
    Reorder(ReorderCommand),
    /// Find the item or the units a scanned barcode or serial number belongs to
    Scan { code: String },
}

#[derive(Debug, Subcommand)]
pub enum ReorderCommand {
    /// Set an item's minimum and maximum at a location
    Set(ReorderLevelInput),
    /// List the levels and where each location stands
    List {
        /// Only locations below their minimum
        #[arg(long)]
        below_min: bool,
    },
}

pub struct Items;
pub struct Locations;

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

impl Entity for Items {
    type Input = ItemInput;
    type Record = Item;
    type Listed = Item;
    fn list(conn: &Connection, search: &str) -> Result<Vec<Item>, Failure> {
        Ok(items::list(conn, search)?)
    }
    fn get(conn: &Connection, id: i64) -> Result<Item, Failure> {
        Ok(items::get(conn, id)?)
    }
    fn add(db: &mut Db, actor: &Actor, input: &ItemInput) -> Result<Item, Failure> {
        Ok(items::add(db, actor, input)?)
    }
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &ItemInput) -> Result<Item, Failure> {
        Ok(items::update(db, actor, id, input)?)
    }
    fn to_input(record: &Item) -> ItemInput {
        record.to_input()
    }
    fn header() -> Vec<&'static str> {
        vec!["ID", "SKU", "HCPCS", "NAME", "MANUFACTURER", "MODEL", "UNIT", "COST", "SERIAL", "LOT"]
    }
    fn row(i: &Item) -> Vec<String> {
        vec![
            i.id.to_string(),
            i.sku.clone(),
            i.hcpcs.clone(),
            i.name.clone(),
            i.manufacturer.clone(),
            i.model.clone(),
            i.unit.clone(),
            i.cost.to_string(),
            yes_no(i.serialized),
            yes_no(i.lot_tracked),
        ]
    }
    fn listed_row(i: &Item) -> Vec<String> {
        Self::row(i)
    }
}

impl Entity for Locations {
    type Input = LocationInput;
    type Record = Location;
    type Listed = Location;
    fn list(conn: &Connection, search: &str) -> Result<Vec<Location>, Failure> {
        Ok(locations::list(conn, search)?)
    }
    fn get(conn: &Connection, id: i64) -> Result<Location, Failure> {
        Ok(locations::get(conn, id)?)
    }
    fn add(db: &mut Db, actor: &Actor, input: &LocationInput) -> Result<Location, Failure> {
        Ok(locations::add(db, actor, input)?)
    }
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &LocationInput) -> Result<Location, Failure> {
        Ok(locations::update(db, actor, id, input)?)
    }
    fn to_input(record: &Location) -> LocationInput {
        record.to_input()
    }
    fn header() -> Vec<&'static str> {
        vec!["ID", "NAME", "KIND"]
    }
    fn row(l: &Location) -> Vec<String> {
        vec![l.id.to_string(), l.name.clone(), l.kind.to_string()]
    }
    fn listed_row(l: &Location) -> Vec<String> {
        Self::row(l)
    }
}

fn movement_rows(list: &[Movement]) -> Vec<Vec<String>> {
    let mut rows = vec![["ID", "DATE", "KIND", "SKU", "LOT", "QTY", "FROM", "TO", "PATIENT", "REASON", "BY"]
        .map(String::from)
        .to_vec()];
    rows.extend(list.iter().map(|m| {
        vec![
            m.id.to_string(),
            m.moved_on.to_string(),
            m.kind.to_string(),
            m.sku.clone(),
            cell(&m.lot_number),
            m.quantity.to_string(),
            cell(&m.from_location),
            cell(&m.to_location),
            m.patient_id.map(|p| p.to_string()).unwrap_or_default(),
            cell(&m.reason),
            m.actor.clone(),
        ]
    }));
    rows
}

fn stock_rows(list: &[StockLevel]) -> Vec<Vec<String>> {
    let mut rows = vec![["LOCATION", "ITEM", "SKU", "LOT", "EXPIRES", "ON HAND"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|s| {
        vec![
            s.location.clone(),
            s.item_id.to_string(),
            s.sku.clone(),
            cell(&s.lot_number),
            s.expires.map(|e| e.to_string()).unwrap_or_default(),
            s.quantity.to_string(),
        ]
    }));
    rows
}

fn level_rows(list: &[ReorderLevel]) -> Vec<Vec<String>> {
    let mut rows =
        vec![["ITEM", "SKU", "LOCATION", "MIN", "MAX", "ON HAND", "ON ORDER", "BELOW MIN"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|l| {
        vec![
            l.item_id.to_string(),
            l.sku.clone(),
            l.location.clone(),
            l.min.to_string(),
            l.max.to_string(),
            l.on_hand.to_string(),
            l.on_order.to_string(),
            yes_no(l.below_min()),
        ]
    }));
    rows
}

fn post(ctx: &mut Context, kind: MovementKind, mut input: MovementInput) -> Result<(), Failure> {
    input.kind = Some(kind.code().to_string());
    let movement = ledger::move_stock(&mut ctx.db, &ctx.actor, &input)?;
    output::print(ctx, &movement, |m| movement_rows(std::slice::from_ref(m)))
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Items(c) => crud::run::<Items>(ctx, c),
        Command::Locations(c) => crud::run::<Locations>(ctx, c),
        Command::Receive(i) => post(ctx, MovementKind::Receive, i),
        Command::Transfer(i) => post(ctx, MovementKind::Transfer, i),
        Command::Deliver(i) => post(ctx, MovementKind::Deliver, i),
        Command::Return(i) => post(ctx, MovementKind::Return, i),
        Command::Adjust(i) => post(ctx, MovementKind::Adjust, i),
        Command::Scrap(i) => post(ctx, MovementKind::Scrap, i),
        Command::Stock { location, item } => {
            let levels = reports::stock_on_hand(ctx.db.conn(), location, item)?;
            output::print(ctx, &levels, |l| stock_rows(l))
        }
        Command::Movements { item, location, limit } => {
            let list = ledger::list(ctx.db.conn(), item, location, limit)?;
            output::print(ctx, &list, |l| movement_rows(l))
        }
        Command::Lots { item } => {
            let list = lots::list(ctx.db.conn(), item)?;
            output::print(ctx, &list, |l| {
                let mut rows = vec![["LOT ID", "ITEM", "LOT", "EXPIRES", "ON HAND"].map(String::from).to_vec()];
                rows.extend(l.iter().map(|t| {
                    vec![
                        t.id.to_string(),
                        t.item_id.to_string(),
                        t.lot_number.clone(),
                        t.expires.map(|e| e.to_string()).unwrap_or_default(),
                        t.on_hand.to_string(),
                    ]
                }));
                rows
            })
        }
        Command::Valuation => {
            let v = reports::valuation(ctx.db.conn())?;
            output::print(ctx, &v, |v| {
                let mut rows = vec![["ITEM", "SKU", "NAME", "ON HAND", "AVG COST", "VALUE"].map(String::from).to_vec()];
                rows.extend(v.lines.iter().map(|l| {
                    vec![
                        l.item_id.to_string(),
                        l.sku.clone(),
                        l.name.clone(),
                        l.on_hand.to_string(),
                        l.average_cost.to_string(),
                        l.value.to_string(),
                    ]
                }));
                rows.push(vec![
                    String::new(),
                    String::new(),
                    "Total".into(),
                    String::new(),
                    String::new(),
                    v.total.to_string(),
                ]);
                rows
            })
        }
        Command::Reorder(ReorderCommand::Set(input)) => {
            let level = reorder::set(&mut ctx.db, &ctx.actor, &input)?;
            output::print(ctx, &level, |l| level_rows(std::slice::from_ref(l)))
        }
        Command::Reorder(ReorderCommand::List { below_min }) => {
            let list = if below_min { reorder::below_min(ctx.db.conn())? } else { reorder::list(ctx.db.conn())? };
            output::print(ctx, &list, |l| level_rows(l))
        }
        Command::Scan { code } => {
            let found = scan::lookup(ctx.db.conn(), &code)?;
            if found.is_empty() {
                return Err(Failure(format!("nothing has the barcode, SKU or serial number '{}'", found.code)));
            }
            output::print(ctx, &found, |f| {
                let mut rows = Vec::new();
                if let Some(i) = &f.item {
                    rows.push(vec!["item".into(), i.id.to_string(), i.sku.clone(), i.name.clone()]);
                }
                rows.extend(f.assets.iter().map(|a| {
                    vec!["asset".into(), a.id.to_string(), a.serial.clone(), format!("{} ({})", a.item, a.status)]
                }));
                rows
            })
        }
    }
}
