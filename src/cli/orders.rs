//! `hmedesk orders ...`: list, show, add (with `--line` items), record the signature, move
//! the status, the SWO check and the missing-information list.

use super::output::{self, cell};
use super::{Context, Failure};
use crate::documents::{self, MissingItem};
use crate::orders::{self, parse_line_spec, Order, OrderFilter, OrderInput, OrderStatus};
use crate::validation::{parse_date, today};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List orders, newest first
    List {
        #[arg(long)]
        patient: Option<i64>,
        /// intake, documentation_pending, ready_to_deliver, partly_delivered, delivered, closed or cancelled
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one order with its items
    Show { id: i64 },
    /// Add an order
    Add {
        #[command(flatten)]
        input: OrderInput,
        /// An item: `HCPCS [xQTY] [rental|purchase] [LONmo] [MODIFIERS] [-- description]`,
        /// e.g. `E0601 x1 rental 99mo RR`; repeat for more items
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Record that the signed order came back
    Sign {
        id: i64,
        /// The date on the practitioner's signature, YYYY-MM-DD
        #[arg(long)]
        on: String,
    },
    /// Move an order to another status (delivery states are set by confirming deliveries)
    Status { id: i64, status: String },
    /// The Standard Written Order elements still missing
    Swo { id: i64 },
    /// What is missing before delivery or billing, for an order or every open order of a patient
    Missing {
        #[arg(long, conflicts_with = "patient", required_unless_present = "patient")]
        order: Option<i64>,
        #[arg(long)]
        patient: Option<i64>,
    },
}

fn status_arg(text: &str) -> Result<OrderStatus, Failure> {
    OrderStatus::from_code(text).ok_or_else(|| {
        let all: Vec<&str> = OrderStatus::all().map(OrderStatus::code).collect();
        Failure(format!("status: '{text}' is not one of: {}", all.join(", ")))
    })
}

fn order_rows(list: &[Order]) -> Vec<Vec<String>> {
    let mut rows =
        vec![["ID", "DATE", "PATIENT", "PRACTITIONER", "STATUS", "SIGNED", "ITEMS"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|o| {
        vec![
            o.id.to_string(),
            o.order_date.to_string(),
            o.patient_name.clone(),
            o.practitioner_name.clone(),
            o.status.code().to_string(),
            o.signed_on.map(|d| d.to_string()).unwrap_or_default(),
            o.lines.iter().map(|l| format!("{}x{}", l.hcpcs, l.quantity)).collect::<Vec<_>>().join(" "),
        ]
    }));
    rows
}

fn detail_rows(o: &Order) -> Vec<Vec<String>> {
    let mut rows = order_rows(std::slice::from_ref(o));
    rows.push(vec![]);
    rows.push(["#", "HCPCS", "QTY", "TYPE", "LON", "MODS", "DELIVERED", "DESCRIPTION"].map(String::from).to_vec());
    rows.extend(o.lines.iter().map(|l| {
        vec![
            l.position.to_string(),
            l.hcpcs.clone(),
            l.quantity.to_string(),
            l.acquisition.code().to_string(),
            l.length_of_need_months.map(|m| m.to_string()).unwrap_or_default(),
            l.modifiers_text(),
            l.delivered_quantity.to_string(),
            l.description.clone(),
        ]
    }));
    rows.push(vec!["Diagnoses".into(), o.diagnoses.join(", ")]);
    rows.push(vec!["Notes".into(), cell(&o.notes)]);
    rows
}

/// Rows for a missing-information list.
pub fn missing_rows(list: &[MissingItem]) -> Vec<Vec<String>> {
    if list.is_empty() {
        return vec![vec!["Nothing is missing.".into()]];
    }
    let mut rows = vec![["ORDER", "BLOCKS", "WHAT TO DO"].map(String::from).to_vec()];
    rows.extend(list.iter().map(|m| vec![m.order_id.to_string(), m.blocks.code().to_string(), m.message.clone()]));
    rows
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    let order = match command {
        Command::List { patient, status } => {
            let status = status.as_deref().map(status_arg).transpose()?;
            let list = orders::list(ctx.db.conn(), OrderFilter { patient_id: patient, status })?;
            return output::print(ctx, &list, |l| order_rows(l));
        }
        Command::Show { id } => orders::get(ctx.db.conn(), id)?,
        Command::Add { mut input, lines } => {
            input.lines = lines.iter().map(|l| parse_line_spec(l)).collect::<Result<_, _>>()?;
            orders::add(&mut ctx.db, &ctx.actor, &input)?
        }
        Command::Sign { id, on } => {
            let date = parse_date(&on).ok_or_else(|| Failure(format!("on: '{on}' is not a date (use YYYY-MM-DD)")))?;
            orders::sign(&mut ctx.db, &ctx.actor, id, date)?
        }
        Command::Status { id, status } => {
            orders::set_status(&mut ctx.db, &ctx.actor, id, status_arg(&status)?, today())?
        }
        Command::Swo { id } => {
            let gaps = orders::swo_gaps(ctx.db.conn(), id)?;
            return output::print(ctx, &gaps, |gaps| {
                if gaps.is_empty() {
                    vec![vec!["The standard written order is complete.".into()]]
                } else {
                    gaps.iter().map(|g| vec![g.message()]).collect()
                }
            });
        }
        Command::Missing { order, patient } => {
            let list = match (order, patient) {
                (Some(order), _) => documents::missing_for_order(ctx.db.conn(), order, today())?,
                (None, Some(patient)) => documents::missing_for_patient(ctx.db.conn(), patient, today())?,
                (None, None) => Vec::new(),
            };
            return output::print(ctx, &list, |l| missing_rows(l));
        }
    };
    output::print(ctx, &order, detail_rows)
}
