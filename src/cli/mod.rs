//! The `hmedesk` command line: parses arguments, opens the database, calls one core function
//! per command and prints the result (a table for people, `--json` for programs).
//!
//! Contract: exit 0 on success; 1 on a data or user error, with one line on stderr naming the
//! field and the problem; 2 on a usage error. Nothing here decides a business rule.

mod ack;
mod assets;
mod claims;
mod crud;
mod deliveries;
mod documents;
mod eligibility;
mod entities;
mod inventory;
mod orders;
mod output;
mod po;
mod print;
mod records;
mod remit;
mod rentals;
mod sync;
mod x12;

use crate::db::{self, Actor, Db};
use crate::import::ImportKind;
use crate::validation::today;
use crate::{audit, dashboard, demo, export, import};
use clap::{Parser, Subcommand};
use crud::Crud;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// HME Desk: intake, inventory, orders, billing and remittance for HME/DME suppliers.
#[derive(Debug, Parser)]
#[command(name = "hmedesk", version, about)]
pub struct Cli {
    /// The database file (default: the per-user data folder the desktop app uses)
    #[arg(long, global = true, env = "HMEDESK_DB")]
    db: Option<PathBuf>,
    /// Who is making changes, for the audit log (default: the operating-system user)
    #[arg(long, global = true, env = "HMEDESK_USER")]
    user: Option<String>,
    /// Print machine-readable JSON instead of a table
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Top,
}

/// Commands that work on files alone, then every command that uses the database.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process; boxing buys nothing")]
enum Top {
    /// X12 files (835, 999, 277CA, 271) on their own, without the database
    #[command(subcommand)]
    X12(x12::Command),
    #[command(flatten)]
    Db(Command),
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the database, or upgrade an older one
    Init,
    /// Load the demo supplier, payers, practitioners and patients (safe to run again)
    Demo,
    /// Counts and the alerts to act on today
    Dashboard,
    /// Patients: demographics, MBI and diagnoses
    #[command(subcommand)]
    Patients(Crud<crate::patients::PatientInput>),
    /// Patients' insurance coverages
    #[command(subcommand)]
    Coverages(records::CoverageCommand),
    /// Payers: Medicare DME MAC, Medicaid, commercial, self-pay
    #[command(subcommand)]
    Payers(Crud<crate::payers::PayerInput>),
    /// Payers' fee schedules
    #[command(subcommand)]
    Fees(records::FeeCommand),
    /// Ordering and treating practitioners
    #[command(subcommand)]
    Practitioners(Crud<crate::practitioners::PractitionerInput>),
    /// The HCPCS catalog
    #[command(subcommand)]
    Catalog(Crud<crate::catalog::CatalogItemInput>),
    /// The supplier's own identity (billing provider)
    #[command(subcommand)]
    Supplier(records::SupplierCommand),
    /// Import a CSV file, all rows or none
    Import {
        kind: ImportKind,
        file: PathBuf,
        /// For fees: the payer the rows belong to when the file has no payer_id column
        #[arg(long)]
        payer: Option<i64>,
    },
    /// Write every table as CSV and JSON into a folder
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// The audit log: who changed what, and when
    Audit {
        /// Only changes to this kind of record (patient, payer, ...)
        #[arg(long)]
        entity: Option<String>,
        /// Only changes to this record
        #[arg(long)]
        id: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Rental billing: the month-by-month schedule calculator
    #[command(subcommand)]
    Rentals(rentals::Command),
    /// Orders: items ordered by a practitioner, the SWO check, what is missing
    #[command(subcommand)]
    Orders(orders::Command),
    /// Documentation: SWOs, CMNs/DIFs, face-to-face notes, prior authorizations, ABNs, scans
    #[command(subcommand)]
    Documents(documents::Command),
    /// Deliveries: schedule, pick, sign for, pick up and exchange equipment
    #[command(subcommand)]
    Deliveries(deliveries::Command),
    /// Print paperwork as PDF
    #[command(subcommand)]
    Print(print::Command),
    /// Inventory: items, locations, the stock ledger, lots, reorder levels, stock reports
    #[command(subcommand)]
    Inventory(inventory::Command),
    /// Serialized equipment: lifecycle, history, maintenance, rentals out
    #[command(subcommand)]
    Assets(assets::Command),
    /// Purchase orders, receiving and vendors
    #[command(subcommand)]
    Po(po::Command),
    /// Claims: build from deliveries, scrub, 837P batches
    #[command(subcommand)]
    Claims(claims::Command),
    /// Clearinghouse sync: one pass, the outbox and the inbox
    Sync(sync::SyncArgs),
    /// Eligibility (270/271): ask a payer about a patient's coverage
    #[command(subcommand)]
    Eligibility(eligibility::Command),
    /// Program settings (sync transport and folders, clearinghouse URL)
    #[command(subcommand)]
    Settings(sync::SettingsCommand),
    /// Remittances (835): post a file, payments, the denial and unmatched queues, CARC actions
    #[command(subcommand)]
    Remit(remit::Command),
    /// Acknowledgments (999, 277CA): batch and claim statuses, the unmatched verdicts
    #[command(subcommand)]
    Ack(ack::Command),
}

/// What a command needs: the open database, who is acting, how to print.
pub struct Context {
    pub db: Db,
    pub actor: Actor,
    pub json: bool,
}

/// A failed command: the one line printed on stderr.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

/// Reads a file named on the command line, with its name (without the folders) for the
/// records and messages that mention it.
fn read_named(path: &Path) -> Result<(Vec<u8>, String), Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok((bytes, name))
}

/// Runs the CLI with `args` (the program name first) and returns the process exit code.
pub fn run<I: IntoIterator<Item = T>, T: Into<OsString> + Clone>(args: I) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match execute(cli) {
        Ok(()) => 0,
        Err(Failure(message)) => {
            eprintln!("error: {}", message.replace('\n', " "));
            1
        }
    }
}

fn execute(cli: Cli) -> Result<(), Failure> {
    let command = match cli.command {
        Top::X12(c) => return x12::run(c, cli.json),
        Top::Db(command) => command,
    };
    let path = cli.db.unwrap_or_else(db::default_path);
    let db = Db::open(&path)?;
    let actor = cli.user.map(Actor::new).unwrap_or_else(Actor::os_user);
    let mut ctx = Context { db, actor, json: cli.json };
    match command {
        Command::Init => {
            output::message(&ctx, &format!("database ready at {} (schema {})", path.display(), db::latest_version()));
            Ok(())
        }
        Command::Demo => {
            let summary = demo::load(&mut ctx.db, &ctx.actor, today())?;
            let text = if summary.loaded.is_empty() {
                "the demo data is already loaded; nothing changed".to_string()
            } else {
                format!("loaded demo data: {}", summary.loaded.join(", "))
            };
            output::print(&ctx, &summary, |_| vec![vec![text]])
        }
        Command::Dashboard => {
            let d = dashboard::summary(ctx.db.conn(), today())?;
            output::print(&ctx, &d, |d| {
                let mut rows = vec![
                    vec!["Patients".into(), d.patients.to_string()],
                    vec!["Practitioners".into(), d.practitioners.to_string()],
                    vec!["Payers".into(), d.payers.to_string()],
                    vec!["Catalog items".into(), d.catalog_items.to_string()],
                ];
                rows.extend(
                    d.alerts.iter().map(|a| vec![format!("{:?}", a.severity).to_lowercase(), a.message.clone()]),
                );
                rows
            })
        }
        Command::Patients(c) => crud::run::<entities::Patients>(&mut ctx, c),
        Command::Coverages(c) => records::coverages(&mut ctx, c),
        Command::Payers(c) => crud::run::<entities::Payers>(&mut ctx, c),
        Command::Fees(c) => records::fees(&mut ctx, c),
        Command::Practitioners(c) => crud::run::<entities::Practitioners>(&mut ctx, c),
        Command::Catalog(c) => crud::run::<entities::Catalog>(&mut ctx, c),
        Command::Supplier(c) => records::supplier(&mut ctx, c),
        Command::Import { kind, file, payer } => {
            let source =
                std::fs::File::open(&file).map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
            let summary = import::import_csv(&mut ctx.db, &ctx.actor, kind, source, payer)?;
            output::print(&ctx, &summary, |s| vec![vec![format!("imported {} {}", s.rows, s.kind)]])
        }
        Command::Export { out } => {
            let summary = export::export_all(ctx.db.conn(), &out)?;
            output::print(&ctx, &summary, |s| {
                s.tables.iter().map(|t| vec![t.table.clone(), t.rows.to_string()]).collect()
            })
        }
        Command::Audit { entity, id, limit } => {
            let entries = audit::recent(ctx.db.conn(), entity.as_deref(), id, limit)?;
            output::print(&ctx, &entries, |list| {
                list.iter()
                    .map(|e| {
                        vec![
                            e.at.clone(),
                            e.actor.clone(),
                            e.action.clone(),
                            e.entity.clone(),
                            e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                            e.summary.clone(),
                        ]
                    })
                    .collect()
            })
        }
        Command::Rentals(c) => rentals::run(&mut ctx, c),
        Command::Orders(c) => orders::run(&mut ctx, c),
        Command::Documents(c) => documents::run(&mut ctx, c),
        Command::Deliveries(c) => deliveries::run(&mut ctx, c),
        Command::Print(c) => print::run(&mut ctx, c),
        Command::Inventory(c) => inventory::run(&mut ctx, c),
        Command::Assets(c) => assets::run(&mut ctx, c),
        Command::Po(c) => po::run(&mut ctx, c),
        Command::Claims(c) => claims::run(&mut ctx, c),
        Command::Sync(args) => sync::run(&mut ctx, args),
        Command::Settings(c) => sync::settings(&mut ctx, c),
        Command::Eligibility(c) => eligibility::run(&mut ctx, c),
        Command::Remit(c) => remit::run(&mut ctx, c),
        Command::Ack(c) => ack::run(&mut ctx, c),
    }
}
