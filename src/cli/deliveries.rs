//! `hmedesk deliveries ...`: schedule, pick, confirm with a signature image, cancel, pick up
//! and exchange rented units, list and show.

use super::output::{self, cell};
use super::{read_named, Context, Failure};
use crate::deliveries::{
    self, ConfirmInput, Delivery, DeliveryFilter, DeliveryInput, DeliveryStatus, ExchangeInput, PickInput, PickupInput,
};
use crate::validation::parse_date;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List deliveries, newest first
    List {
        #[arg(long)]
        patient: Option<i64>,
        #[arg(long)]
        order: Option<i64>,
        /// scheduled, delivered or cancelled
        #[arg(long)]
        status: Option<String>,
        /// Only those scheduled on this day (a driver's run sheet)
        #[arg(long, conflicts_with_all = ["from", "to"])]
        on: Option<String>,
        /// Only those scheduled on or after this day, YYYY-MM-DD
        #[arg(long)]
        from: Option<String>,
        /// Only those scheduled on or before this day, YYYY-MM-DD
        #[arg(long)]
        to: Option<String>,
        /// Only patients whose name ("Last, First") contains this, in any case
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one delivery with what was picked
    Show { id: i64 },
    /// Schedule a delivery for an order that is ready to deliver
    Schedule(#[command(flatten)] Box<DeliveryInput>),
    /// Pick a serialized unit or stock for one order line (a unit is reserved at once)
    Pick {
        id: i64,
        #[command(flatten)]
        input: PickInput,
    },
    /// Record the signed proof of delivery; moves the stock and units once
    Confirm {
        id: i64,
        #[command(flatten)]
        input: ConfirmInput,
        /// The signature as a PNG image
        #[arg(long)]
        signature: PathBuf,
    },
    /// Call off a scheduled delivery and release its units
    Cancel { id: i64 },
    /// Pick up a rented unit (returned, then cleaning)
    Pickup(#[command(flatten)] PickupInput),
    /// Swap a rented unit for another on the same rental
    Exchange(#[command(flatten)] ExchangeInput),
}

fn rows(list: &[Delivery]) -> Vec<Vec<String>> {
    let mut rows = vec![["ID", "ORDER", "PATIENT", "SCHEDULED", "DRIVER", "STATUS", "DELIVERED", "SIGNED BY", "ITEMS"]
        .map(String::from)
        .to_vec()];
    rows.extend(list.iter().map(|d| {
        let signer = match (&d.signer_name, &d.signer_relationship) {
            (Some(n), Some(r)) => format!("{n} ({r})"),
            (Some(n), None) => n.clone(),
            _ => String::new(),
        };
        vec![
            d.id.to_string(),
            d.order_id.to_string(),
            d.patient_name.clone(),
            d.scheduled_on.to_string(),
            cell(&d.driver),
            d.status.code().to_string(),
            d.delivered_on.map(|x| x.to_string()).unwrap_or_default(),
            signer,
            d.items
                .iter()
                .map(|i| match (&i.serial, &i.lot_number) {
                    (Some(s), _) => format!("{} SN {s}", i.hcpcs),
                    (None, Some(l)) => format!("{}x{} lot {l}", i.hcpcs, i.quantity),
                    (None, None) => format!("{}x{}", i.hcpcs, i.quantity),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ]
    }));
    rows
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    let delivery = match command {
        Command::List { patient, order, status, on, from, to, name } => {
            let status = status
                .map(|s| {
                    DeliveryStatus::from_code(&s)
                        .ok_or_else(|| Failure(format!("status: '{s}' is not one of: scheduled, delivered, cancelled")))
                })
                .transpose()?;
            let day = |field: &str, text: Option<String>| {
                text.map(|d| {
                    parse_date(&d).ok_or_else(|| Failure(format!("{field}: '{d}' is not a date (use YYYY-MM-DD)")))
                })
                .transpose()
            };
            let (from, to) = match day("on", on)? {
                Some(on) => (Some(on), Some(on)),
                None => (day("from", from)?, day("to", to)?),
            };
            let filter = DeliveryFilter { patient_id: patient, order_id: order, status, from, to, patient: name };
            let list = deliveries::list(ctx.db.conn(), &filter)?;
            return output::print(ctx, &list, |l| rows(l));
        }
        Command::Show { id } => deliveries::get(ctx.db.conn(), id)?,
        Command::Schedule(input) => deliveries::schedule(&mut ctx.db, &ctx.actor, &input)?,
        Command::Pick { id, input } => deliveries::pick(&mut ctx.db, &ctx.actor, id, &input)?,
        Command::Confirm { id, input, signature } => {
            let (png, _) = read_named(&signature)?;
            deliveries::confirm(&mut ctx.db, &ctx.actor, id, &input, &png)?
        }
        Command::Cancel { id } => deliveries::cancel(&mut ctx.db, &ctx.actor, id)?,
        Command::Pickup(input) => deliveries::pickup(&mut ctx.db, &ctx.actor, &input)?,
        Command::Exchange(input) => deliveries::exchange(&mut ctx.db, &ctx.actor, &input)?,
    };
    output::print(ctx, &delivery, |d| rows(std::slice::from_ref(d)))
}
