//! Commands for records that hang off another one (coverages of a patient, fees of a payer)
//! and the supplier's own settings.

use super::output::{self, cell};
use super::{Context, Failure};
use crate::coverages::{self, Coverage, CoverageInput};
use crate::fees::{self, Fee, FeeInput};
use crate::supplier::{self, Supplier, SupplierInput};
use crate::validation::overlay;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum CoverageCommand {
    /// List a patient's coverages
    List {
        #[arg(long)]
        patient: i64,
    },
    /// Show one coverage
    Show { id: i64 },
    /// Add a coverage
    Add(#[command(flatten)] CoverageInput),
    /// Change the given fields of a coverage
    Update {
        id: i64,
        #[command(flatten)]
        input: CoverageInput,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeeCommand {
    /// List a payer's fee schedule
    List {
        #[arg(long)]
        payer: i64,
    },
    /// Show one fee
    Show { id: i64 },
    /// Add a fee
    Add(#[command(flatten)] FeeInput),
    /// Change the given fields of a fee
    Update {
        id: i64,
        #[command(flatten)]
        input: FeeInput,
    },
}

#[derive(Debug, Subcommand)]
pub enum SupplierCommand {
    /// Show the supplier settings
    Show,
    /// Change the given supplier settings
    Set(#[command(flatten)] Box<SupplierInput>),
}

fn coverage_rows(list: &[Coverage]) -> Vec<Vec<String>> {
    let mut rows = vec![["ID", "PATIENT", "PRIORITY", "PAYER", "MEMBER ID", "EFFECTIVE", "TERMINATION"]
        .map(String::from)
        .to_vec()];
    rows.extend(list.iter().map(|c| {
        vec![
            c.id.to_string(),
            c.patient_id.to_string(),
            c.priority.code().to_string(),
            c.payer_name.clone(),
            c.member_id.clone(),
            c.effective.to_string(),
            c.termination.map(|t| t.to_string()).unwrap_or_default(),
        ]
    }));
    rows
}

fn fee_rows(list: &[Fee]) -> Vec<Vec<String>> {
    let mut rows = vec![["ID", "PAYER", "HCPCS", "MODS", "ALLOWED", "CHARGE", "EFFECTIVE", "TERMINATION"]
        .map(String::from)
        .to_vec()];
    rows.extend(list.iter().map(|f| {
        vec![
            f.id.to_string(),
            f.payer_id.to_string(),
            f.hcpcs.clone(),
            f.modifiers.join(":"),
            f.allowed.to_string(),
            f.charge.to_string(),
            f.effective.to_string(),
            f.termination.map(|t| t.to_string()).unwrap_or_default(),
        ]
    }));
    rows
}

fn supplier_rows(s: &Supplier) -> Vec<Vec<String>> {
    [
        ("Legal name", s.legal_name.clone()),
        ("DBA", cell(&s.dba_name)),
        ("NPI", s.npi.clone()),
        ("EIN", s.ein.clone()),
        ("PTAN", cell(&s.ptan)),
        ("Taxonomy", s.taxonomy.clone()),
        ("Address", format!("{}, {}, {} {}", s.address1, s.city, s.state, s.zip)),
        ("Phone", s.phone.clone()),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect()
}

pub fn coverages(ctx: &mut Context, command: CoverageCommand) -> Result<(), Failure> {
    let list = match command {
        CoverageCommand::List { patient } => coverages::list_for_patient(ctx.db.conn(), patient)?,
        CoverageCommand::Show { id } => vec![coverages::get(ctx.db.conn(), id)?],
        CoverageCommand::Add(input) => vec![coverages::add(&mut ctx.db, &ctx.actor, &input)?],
        CoverageCommand::Update { id, input } => {
            let current = coverages::get(ctx.db.conn(), id)?.to_input();
            vec![coverages::update(&mut ctx.db, &ctx.actor, id, &overlay(&current, &input))?]
        }
    };
    output::print(ctx, &list, |l| coverage_rows(l))
}

pub fn fees(ctx: &mut Context, command: FeeCommand) -> Result<(), Failure> {
    let list = match command {
        FeeCommand::List { payer } => fees::list_for_payer(ctx.db.conn(), payer)?,
        FeeCommand::Show { id } => vec![fees::get(ctx.db.conn(), id)?],
        FeeCommand::Add(input) => vec![fees::add(&mut ctx.db, &ctx.actor, &input)?],
        FeeCommand::Update { id, input } => {
            let current = fees::get(ctx.db.conn(), id)?.to_input();
            vec![fees::update(&mut ctx.db, &ctx.actor, id, &overlay(&current, &input))?]
        }
    };
    output::print(ctx, &list, |l| fee_rows(l))
}

pub fn supplier(ctx: &mut Context, command: SupplierCommand) -> Result<(), Failure> {
    let current = supplier::get(ctx.db.conn())?;
    let s = match command {
        SupplierCommand::Show => current
            .ok_or_else(|| Failure("the supplier settings are not filled in yet (hmedesk supplier set ...)".into()))?,
        SupplierCommand::Set(input) => {
            let merged = current.map_or((*input).clone(), |c| overlay(&c.to_input(), &input));
            supplier::save(&mut ctx.db, &ctx.actor, &merged)?
        }
    };
    output::print(ctx, &s, supplier_rows)
}
