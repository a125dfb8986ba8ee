//! `hmedesk remit ...`: post 835 files, and read payments, the queues and the CARC actions.

use super::{output, read_named, Context, Failure};
use crate::remit::{self, carc};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Post an 835 remittance file (all or nothing; a file posted before posts nothing)
    Import {
        /// The 835 file
        file: PathBuf,
    },
    /// Payments posted, newest first, with what reached our claims
    Payments,
    /// The work queue: denied, rejected and secondary claims to correct, with the reasons in words
    Queue,
    /// Remittance claims that matched none of ours
    Unmatched,
    /// Money of claims after posting: paid, adjustments, balance
    Balances {
        /// Claim ids
        #[arg(required = true)]
        claims: Vec<i64>,
    },
    /// Claim adjustment reason codes and what posting does with each
    #[command(subcommand)]
    Carc(CarcCommand),
}

#[derive(Debug, Subcommand)]
pub enum CarcCommand {
    /// Every code with its description and action
    List {
        /// Only codes starting with this, or whose description contains it (any case)
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Set the action for a code: adjust, patient or workqueue
    Set { code: String, action: String },
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Import { file } => {
            let (bytes, name) = read_named(&file)?;
            let s = remit::import(&mut ctx.db, &ctx.actor, &bytes, &name)?;
            output::print(ctx, &s, |s| {
                if s.duplicate {
                    return vec![vec![format!("{name} was posted before; nothing was posted again")]];
                }
                vec![
                    vec!["payments".into(), s.payments.to_string()],
                    vec!["claims matched".into(), s.claims_matched.to_string()],
                    vec!["claims unmatched".into(), s.claims_unmatched.to_string()],
                    vec!["claims denied".into(), s.claims_denied.to_string()],
                    vec!["reversals".into(), s.reversals.to_string()],
                    vec!["lines posted".into(), s.lines_posted.to_string()],
                    vec!["paid".into(), s.paid_total.to_string()],
                    vec!["provider adjustments".into(), s.plb_total.to_string()],
                    vec!["to the work queue".into(), s.work_queue.to_string()],
                    vec!["secondary claims to correct".into(), s.secondary_to_correct.to_string()],
                ]
            })
        }
        Command::Payments => {
            let list = remit::payments(ctx.db.conn())?;
            output::print(ctx, &list, |list| {
                let mut rows = vec![["ID", "PAYER", "TRACE", "DATE", "AMOUNT", "POSTED", "UNMATCHED", "PLB", "CLAIMS"]
                    .map(String::from)
                    .to_vec()];
                rows.extend(list.iter().map(|p| {
                    vec![
                        p.id.to_string(),
                        p.payer_name.clone(),
                        p.trace_number.clone(),
                        p.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                        p.amount.to_string(),
                        p.posted.to_string(),
                        p.unmatched.to_string(),
                        p.plb_total.to_string(),
                        p.claim_count.to_string(),
                    ]
                }));
                rows
            })
        }
        Command::Queue => {
            let list = remit::work_queue(ctx.db.conn())?;
            output::print(ctx, &list, |list| {
                let mut rows = vec![["ID", "KIND", "CLAIM", "PATIENT", "PAYER", "REASON"].map(String::from).to_vec()];
                rows.extend(list.iter().map(|w| {
                    vec![
                        w.id.to_string(),
                        w.kind.to_string(),
                        w.control_number.clone(),
                        w.patient_name.clone(),
                        w.payer_name.clone(),
                        w.reason.clone(),
                    ]
                }));
                rows
            })
        }
        Command::Unmatched => {
            let list = remit::unmatched(ctx.db.conn())?;
            output::print(ctx, &list, |list| {
                let mut rows = vec![["ID", "PAYER", "CLAIM", "PATIENT", "CLP02", "CHARGE", "PAID", "REASON"]
                    .map(String::from)
                    .to_vec()];
                rows.extend(list.iter().map(|u| {
                    vec![
                        u.id.to_string(),
                        u.payer_name.clone(),
                        u.control_number.clone(),
                        u.patient_name.clone(),
                        u.status_code.clone(),
                        u.charge.to_string(),
                        u.paid.to_string(),
                        u.reason.clone(),
                    ]
                }));
                rows
            })
        }
        Command::Balances { claims } => {
            let list = remit::claim_balances(ctx.db.conn(), &claims)?;
            output::print(ctx, &list, |list| {
                let mut rows = vec![["CLAIM", "CHARGE", "PAID", "CONTRACTUAL", "PATIENT", "OTHER", "OPEN", "BALANCE"]
                    .map(String::from)
                    .to_vec()];
                rows.extend(list.iter().map(|b| {
                    [b.charge, b.paid, b.contractual, b.patient_responsibility, b.other_adjustments, b.open, b.balance]
                        .iter()
                        .fold(vec![b.claim_id.to_string()], |mut row, m| {
                            row.push(m.to_string());
                            row
                        })
                }));
                rows
            })
        }
        Command::Carc(CarcCommand::List { search }) => {
            let list = carc::list(ctx.db.conn(), &search)?;
            output::print(ctx, &list, |list| {
                let mut rows = vec![["CODE", "ACTION", "DEFAULT", "DESCRIPTION"].map(String::from).to_vec()];
                rows.extend(list.iter().map(|c| {
                    vec![c.code.clone(), c.action.to_string(), c.default_action.to_string(), c.description.clone()]
                }));
                rows
            })
        }
        Command::Carc(CarcCommand::Set { code, action }) => {
            let set = ctx.db.write(&ctx.actor, |c| carc::set_action(c, &code, &action))?;
            output::print(ctx, &set, |c| vec![vec![format!("CARC {} now posts as {}", c.code, c.action)]])
        }
    }
}
