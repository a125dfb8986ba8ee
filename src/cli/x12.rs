//! `hmedesk x12 ...`: X12 files on their own, without the database.

use super::{output, Failure};
use crate::x12::check::{self, Report};
use crate::x12::X12Error;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read and validate an X12 file (835, 999, 277CA, 271; the envelope of any other);
    /// exit 0 when valid, 1 with every problem and where it is
    Check {
        /// The file to check
        file: PathBuf,
    },
}

pub fn run(command: Command, json: bool) -> Result<(), Failure> {
    match command {
        Command::Check { file } => {
            let report = match std::fs::File::open(&file) {
                Ok(f) => check::check(f),
                Err(e) => Report { problems: vec![X12Error::io(&e)], ..Report::default() },
            };
            print(&report, json)?;
            if report.is_valid() {
                Ok(())
            } else {
                Err(Failure(format!("{} has {} problem(s)", file.display(), report.problems.len())))
            }
        }
    }
}

fn print(report: &Report, json: bool) -> Result<(), Failure> {
    if json {
        output::line(&serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    for set in &report.sets {
        output::line(&format!("ST {} (control {}) at {}: {}", set.set_id, set.control_number, set.at, set.summary));
    }
    for problem in &report.problems {
        output::line(&format!("problem: {problem}"));
    }
    if report.is_valid() {
        output::line(&format!(
            "valid: {} segments, {} transaction sets, no problems",
            report.segments,
            report.sets.len()
        ));
    }
    Ok(())
}
