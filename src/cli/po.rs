//! `hmedesk po ...`: vendors, purchase orders and receiving.

use super::crud::{self, Crud, Entity};
use super::output::{self, cell};
use super::{Context, Failure};
use crate::db::{Actor, Db};
use crate::purchasing::{orders, receiving, vendors};
use crate::purchasing::{PoLineInput, PoStatus, PurchaseOrder, PurchaseOrderInput, ReceiptInput, ReceiptLineInput};
use crate::purchasing::{Vendor, VendorInput};
use crate::validation::Problems;
use clap::Subcommand;
use rusqlite::Connection;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List purchase orders, newest first
    List {
        /// draft, ordered, partially_received or received
        #[arg(long)]
        status: Option<String>,
    },
    /// Show a purchase order with its lines
    Show { id: i64 },
    /// Start a draft purchase order
    Create(PurchaseOrderInput),
    /// Add a line to a draft
    AddLine {
        po: i64,
        #[command(flatten)]
        input: PoLineInput,
    },
    /// Place a draft with the vendor
    Order {
        id: i64,
        /// The day it was ordered (default today)
        #[arg(long)]
        date: Option<String>,
    },
    /// Receive what arrived for one line (serials typed or scanned, lot and expiry)
    Receive {
        po: i64,
        /// The day it arrived (default today)
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        line: ReceiptLineInput,
    },
    /// Vendors
    #[command(subcommand)]
    Vendors(Crud<VendorInput>),
}

pub struct Vendors;

impl Entity for Vendors {
    type Input = VendorInput;
    type Record = Vendor;
    type Listed = Vendor;
    fn list(conn: &Connection, search: &str) -> Result<Vec<Vendor>, Failure> {
        Ok(vendors::list(conn, search)?)
    }
    fn get(conn: &Connection, id: i64) -> Result<Vendor, Failure> {
        Ok(vendors::get(conn, id)?)
    }
    fn add(db: &mut Db, actor: &Actor, input: &VendorInput) -> Result<Vendor, Failure> {
        Ok(vendors::add(db, actor, input)?)
    }
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &VendorInput) -> Result<Vendor, Failure> {
        Ok(vendors::update(db, actor, id, input)?)
    }
    fn to_input(record: &Vendor) -> VendorInput {
        record.to_input()
    }
    fn header() -> Vec<&'static str> {
        vec!["ID", "NAME", "ACCOUNT", "PHONE", "EMAIL"]
    }
    fn row(v: &Vendor) -> Vec<String> {
        vec![v.id.to_string(), v.name.clone(), cell(&v.account_number), cell(&v.phone), cell(&v.email)]
    }
    fn listed_row(v: &Vendor) -> Vec<String> {
        Self::row(v)
    }
}

fn order_rows(list: &[PurchaseOrder]) -> Vec<Vec<String>> {
    let mut rows =
        vec![["PO", "VENDOR", "SHIP TO", "STATUS", "CREATED", "ORDERED", "LINES", "TOTAL"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|o| {
        vec![
            o.id.to_string(),
            o.vendor.clone(),
            o.ship_to.clone(),
            o.status.to_string(),
            o.created_on.to_string(),
            o.ordered_on.map(|d| d.to_string()).unwrap_or_default(),
            o.lines.len().to_string(),
            o.total.to_string(),
        ]
    }));
    rows
}

fn detail_rows(o: &PurchaseOrder) -> Vec<Vec<String>> {
    let mut rows = order_rows(std::slice::from_ref(o));
    rows.push(Vec::new());
    rows.push(["LINE", "ITEM", "SKU", "NAME", "ORDERED", "RECEIVED", "UNIT COST", "AMOUNT"].map(String::from).to_vec());
    rows.extend(o.lines.iter().map(|l| {
        vec![
            l.id.to_string(),
            l.item_id.to_string(),
            l.sku.clone(),
            l.item.clone(),
            l.quantity.to_string(),
            l.received.to_string(),
            l.unit_cost.to_string(),
            l.amount.to_string(),
        ]
    }));
    rows
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    let po = match command {
        Command::List { status } => {
            let mut p = Problems::new();
            let status = p.choice("status", status.as_deref(), PoStatus::CHOICES);
            let list = orders::list(ctx.db.conn(), p.finish(status)?)?;
            return output::print(ctx, &list, |l| order_rows(l));
        }
        Command::Vendors(c) => return crud::run::<Vendors>(ctx, c),
        Command::Show { id } => orders::get(ctx.db.conn(), id)?,
        Command::Create(input) => orders::add(&mut ctx.db, &ctx.actor, &input)?,
        Command::AddLine { po, input } => orders::add_line(&mut ctx.db, &ctx.actor, po, &input)?,
        Command::Order { id, date } => {
            let mut p = Problems::new();
            let on = p.optional_date("date", date.as_deref());
            orders::place(&mut ctx.db, &ctx.actor, id, p.finish(on)?)?
        }
        Command::Receive { po, date, line } => {
            receiving::receive(&mut ctx.db, &ctx.actor, po, &ReceiptInput { date, lines: vec![line] })?
        }
    };
    output::print(ctx, &po, detail_rows)
}
