//! `hmedesk eligibility ...`: ask a payer about a patient's coverage (270/271) and show the
//! answers on file.

use super::{output, Context, Failure};
use crate::eligibility::{self, EligibilityCheck};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ask the payer now (real-time when the clearinghouse offers it, else queued for sync)
    Check {
        patient_id: i64,
        /// X12 service type: 12 DME purchase, 18 DME rental, 30 plan coverage
        #[arg(long, default_value = "12")]
        service_type: String,
    },
    /// The patient's eligibility checks, newest first
    Show { patient_id: i64 },
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Check { patient_id, service_type } => {
            let now = crate::validation::now();
            let check = eligibility::check_configured(&mut ctx.db, &ctx.actor, patient_id, &service_type, now)?;
            output::print(ctx, &check, |c| rows(std::slice::from_ref(c)))
        }
        Command::Show { patient_id } => {
            let checks = eligibility::list_for_patient(ctx.db.conn(), patient_id)?;
            output::print(ctx, &checks, |c| rows(c))
        }
    }
}

fn rows(checks: &[EligibilityCheck]) -> Vec<Vec<String>> {
    checks
        .iter()
        .map(|c| {
            let detail = c.findings.as_ref().map_or_else(String::new, |f| {
                let mut parts = Vec::new();
                if let Some(p) = &f.coinsurance_percent {
                    parts.push(format!("co-insurance {p}%"));
                }
                if let Some(d) = f.deductible_remaining.or(f.deductible) {
                    parts.push(format!("deductible {d}"));
                }
                parts.extend(f.rejections.iter().cloned());
                parts.join("; ")
            });
            vec![
                c.id.to_string(),
                c.payer_name.clone(),
                format!("service type {}", c.service_type),
                c.state.to_string(),
                c.checked_on.map(|d| d.to_string()).unwrap_or_default(),
                detail,
            ]
        })
        .collect()
}
