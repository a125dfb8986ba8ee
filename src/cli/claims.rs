//! `hmedesk claims ...`: build purchase claims from signed deliveries, scrub, batch into an
//! 837P file, list and show, and draft a replacement or void of a claim the payer has.

use super::output;
use super::{Context, Failure};
use crate::claims::{self, scrub, ClaimStatus, CorrectionKind, SummaryFilter};
use crate::validation::today;
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bill every purchased item on a signed delivery not billed yet (draft claims)
    Build,
    /// Check every draft and ready claim; clean drafts become ready, failing ready claims drafts
    Scrub,
    /// Write every ready claim of a payer into one 837P file and mark them batched
    Batch {
        /// The payer's id in HME Desk
        #[arg(long)]
        payer: i64,
        /// Where to write the file
        #[arg(long)]
        out: PathBuf,
    },
    /// Claims with their charge and balance, newest first
    List {
        /// draft, ready, batched, submitted, accepted, rejected, paid, partial, denied or closed
        #[arg(long)]
        status: Option<String>,
        /// Only claims to this payer (its id in HME Desk)
        #[arg(long)]
        payer: Option<i64>,
    },
    /// The payers with claims, with what each has ready to batch
    Payers,
    /// One claim with its lines, history and current scrub problems
    Show { id: i64 },
    /// The 837P batch files made so far
    Batches,
    /// Draft a replacement (frequency 7) or void (frequency 8) of a claim the payer already has;
    /// scrub and batch it like any claim, and the batch closes the claim it corrects
    Correct {
        /// The claim's id in HME Desk
        id: i64,
        /// Replace the claim (frequency 7)
        #[arg(long, conflicts_with = "void", required_unless_present = "void")]
        replace: bool,
        /// Void the claim (frequency 8)
        #[arg(long)]
        void: bool,
        /// The payer's claim number (ICN); by default the one from the claim's latest remittance
        #[arg(long)]
        payer_claim_number: Option<String>,
    },
}

/// What `claims batch` prints.
#[derive(Debug, Serialize)]
struct BatchOutput {
    batch_id: i64,
    claims: i64,
    file: PathBuf,
    interchange_control: i64,
    total_charge: crate::Money,
    sha256: String,
}

/// What `claims show` prints.
fn parse_status(text: &str) -> Result<ClaimStatus, Failure> {
    ClaimStatus::from_code(text).ok_or_else(|| {
        let all: Vec<&str> = ClaimStatus::ALL.iter().map(|s| s.code()).collect();
        Failure(format!("status: '{text}' is not one of: {}", all.join(", ")))
    })
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Build => {
            let report = ctx.db.write(&ctx.actor, claims::build_purchases)?;
            output::print(ctx, &report, |r| {
                let mut rows: Vec<Vec<String>> = r
                    .created
                    .iter()
                    .map(|c| {
                        vec![
                            c.control_number.clone(),
                            c.patient_name.clone(),
                            c.payer_name.clone(),
                            c.total_charge.to_string(),
                        ]
                    })
                    .collect();
                rows.extend(r.unbilled.iter().map(|u| vec![format!("delivery {}", u.delivery_id), u.reason.clone()]));
                rows
            })
        }
        Command::Scrub => {
            let results = ctx.db.write(&ctx.actor, |c| scrub::scrub_all(c, today()))?;
            output::print(ctx, &results, |list| {
                let mut rows = Vec::new();
                for r in list {
                    rows.push(vec![
                        r.control_number.clone(),
                        r.status.to_string(),
                        format!("{} problem(s)", r.problems.len()),
                    ]);
                    rows.extend(r.problems.iter().map(|p| {
                        vec![
                            String::new(),
                            format!("{:?}", p.severity).to_lowercase(),
                            format!("{}: {}", p.rule, p.message),
                        ]
                    }));
                }
                rows
            })
        }
        Command::Batch { payer, out } => {
            let now = crate::validation::now();
            let (batch, content) = ctx.db.write(&ctx.actor, |c| claims::create_batch(c, payer, now))?;
            std::fs::write(&out, &content).map_err(|e| {
                Failure(format!("batch {} is saved, but {} could not be written: {e}", batch.id, out.display()))
            })?;
            let printed = BatchOutput {
                batch_id: batch.id,
                claims: batch.claim_count,
                file: out,
                interchange_control: batch.interchange_control,
                total_charge: batch.total_charge,
                sha256: batch.sha256,
            };
            output::print(ctx, &printed, |b| {
                vec![vec![format!(
                    "batch {}: {} claim(s), {}, written to {}",
                    b.batch_id,
                    b.claims,
                    b.total_charge,
                    b.file.display()
                )]]
            })
        }
        Command::List { status, payer } => {
            let filter = SummaryFilter { status: status.as_deref().map(parse_status).transpose()?, payer_id: payer };
            let list = claims::summaries(ctx.db.conn(), filter)?;
            output::print(ctx, &list, |list| {
                let mut rows = vec![["ID", "CLAIM", "STATUS", "PATIENT", "PAYER", "FROM", "CHARGE", "BALANCE"]
                    .map(String::from)
                    .to_vec()];
                rows.extend(list.iter().map(|c| {
                    vec![
                        c.id.to_string(),
                        c.control_number.clone(),
                        c.status.to_string(),
                        c.patient_name.clone(),
                        c.payer_name.clone(),
                        c.service_from.to_string(),
                        c.charge.to_string(),
                        c.balance.to_string(),
                    ]
                }));
                rows
            })
        }
        Command::Payers => {
            let payers = claims::by_payer(ctx.db.conn())?;
            output::print(ctx, &payers, |payers| {
                let mut rows =
                    vec![["PAYER ID", "PAYER", "CLAIMS", "READY", "READY CHARGE"].map(String::from).to_vec()];
                rows.extend(payers.iter().map(|p| {
                    vec![
                        p.payer_id.to_string(),
                        p.payer_name.clone(),
                        p.claims.to_string(),
                        p.ready.to_string(),
                        p.ready_charge.to_string(),
                    ]
                }));
                rows
            })
        }
        Command::Show { id } => {
            let shown = claims::detail(ctx.db.conn(), id, today())?;
            output::print(ctx, &shown, |s| {
                let c = &s.claim;
                let mut rows = vec![
                    vec!["Claim".into(), format!("{} ({})", c.control_number, c.status)],
                    vec!["Patient".into(), c.patient_name.clone()],
                    vec!["Payer".into(), format!("{} ({})", c.payer_name, c.priority)],
                    vec!["Diagnoses".into(), c.diagnoses.join(", ")],
                    vec!["Charge".into(), c.total_charge.to_string()],
                ];
                if let Some(original) = c.corrects_claim_id {
                    let number = c.payer_claim_number.as_deref().unwrap_or_default();
                    rows.push(vec![
                        "Corrects".into(),
                        format!("claim id {original} ({}, payer claim {number})", c.frequency),
                    ]);
                }
                rows.extend(c.lines.iter().map(|l| {
                    vec![
                        format!("Line {}", l.position),
                        format!("{} {} {}x {} {}", l.hcpcs, l.modifiers.join(" "), l.units, l.service_from, l.charge),
                    ]
                }));
                rows.extend(
                    s.problems.iter().map(|p| vec![format!("{:?}", p.severity), format!("{}: {}", p.rule, p.message)]),
                );
                rows.extend(s.events.iter().map(|e| vec![e.at.clone(), format!("{} ({})", e.to, e.actor)]));
                rows
            })
        }
        Command::Correct { id, replace, void: _, payer_claim_number } => {
            let kind = if replace { CorrectionKind::Replacement } else { CorrectionKind::Void };
            let draft =
                ctx.db.write(&ctx.actor, |c| claims::draft_correction(c, id, kind, payer_claim_number.as_deref()))?;
            output::print(ctx, &draft, |d| {
                vec![vec![format!(
                    "claim {} (id {}) drafted: {} of claim id {id}, payer claim number {}; scrub and batch it to send it",
                    d.control_number,
                    d.id,
                    d.frequency,
                    d.payer_claim_number.as_deref().unwrap_or_default()
                )]]
            })
        }
        Command::Batches => {
            let list = claims::list_batches(ctx.db.conn())?;
            output::print(ctx, &list, |list| {
                list.iter()
                    .map(|b| {
                        vec![
                            b.id.to_string(),
                            b.file_name.clone(),
                            b.claim_count.to_string(),
                            b.total_charge.to_string(),
                            b.status.clone(),
                        ]
                    })
                    .collect()
            })
        }
    }
}
