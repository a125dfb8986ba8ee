//! `hmedesk ack ...`: import 999 and 277CA acknowledgments, and list the verdicts that
//! matched none of our batches or claims.

use super::{output, read_named, Context, Failure};
use crate::acks;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import a 999 or 277CA file (all or nothing; a file imported before changes nothing)
    Import {
        /// The 999 or 277CA file
        file: PathBuf,
    },
    /// Acknowledgment verdicts that matched none of our batches or claims
    Unmatched,
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Import { file } => {
            let (bytes, name) = read_named(&file)?;
            let s = acks::import(&mut ctx.db, &ctx.actor, &bytes, &name)?;
            output::print(ctx, &s, |s| {
                if s.duplicate {
                    return vec![vec![format!("{name} was imported before; nothing changed")]];
                }
                vec![
                    vec!["kind".into(), s.kind.clone()],
                    vec!["batches accepted".into(), s.batches_accepted.to_string()],
                    vec!["batches rejected".into(), s.batches_rejected.to_string()],
                    vec!["claims accepted".into(), s.claims_accepted.to_string()],
                    vec!["claims rejected".into(), s.claims_rejected.to_string()],
                    vec!["unchanged".into(), s.unchanged.to_string()],
                    vec!["unmatched".into(), s.unmatched.to_string()],
                ]
            })
        }
        Command::Unmatched => {
            let list = acks::unmatched(ctx.db.conn())?;
            output::print(ctx, &list, |list| {
                let mut rows = vec![["ID", "KIND", "FILE", "CONTROL", "VERDICT", "REASON"].map(String::from).to_vec()];
                rows.extend(list.iter().map(|v| {
                    vec![
                        v.id.to_string(),
                        v.kind.clone(),
                        v.file_name.clone(),
                        v.control_number.clone(),
                        v.verdict.clone(),
                        v.reason.clone(),
                    ]
                }));
                rows
            })
        }
    }
}
