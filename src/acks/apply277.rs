//! A 277CA applied: each claim acknowledgment (TRN02 = our CLM01) decides one claim; line
//! statuses (REF*FJ = our REF*6R) are named in the reason. A rejection above claim level
//! (receiver or billing provider) names no claim, so it is kept on the unmatched list.

use super::record::{self, Found, Verdict};
use super::words;
use super::{AckError, AckSummary};
use crate::claims;
use crate::db::Change;
use crate::x12::ack277ca::{self, Ack277ca, ClaimAck, LineAck, Status};
use rusqlite::{params, OptionalExtension};

fn verdict(v: ack277ca::Verdict) -> Verdict {
    match v {
        ack277ca::Verdict::Accepted => Verdict::Accepted,
        ack277ca::Verdict::Rejected => Verdict::Rejected,
        ack277ca::Verdict::Other => Verdict::Other,
    }
}

fn statuses(list: &[Status]) -> String {
    list.iter().map(words::status).collect::<Vec<_>>().join("; ")
}

/// How a biller finds the line: its position and HCPCS on the claim, else what the 277CA sent.
fn line_name(c: &Change<'_>, claim_id: Option<i64>, line: &LineAck) -> Result<String, AckError> {
    let ours: Option<(i64, String)> = match claim_id {
        Some(id) if !line.control_number.is_empty() => c
            .conn()
            .query_row(
                "SELECT position, hcpcs FROM claim_lines WHERE claim_id = ?1 AND control_number = ?2",
                params![id, line.control_number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        _ => None,
    };
    Ok(match ours {
        Some((position, hcpcs)) => format!("line {position} ({hcpcs})"),
        None if line.control_number.is_empty() => format!("line {}", line.procedure),
        None => format!("line {} {} (not a line of this claim)", line.control_number, line.procedure),
    })
}

fn reason(c: &Change<'_>, claim_id: Option<i64>, ack: &ClaimAck) -> Result<String, AckError> {
    let mut parts = Vec::new();
    if !ack.statuses.is_empty() {
        parts.push(statuses(&ack.statuses));
    }
    for line in ack.lines.iter().filter(|l| !l.statuses.is_empty()) {
        parts.push(format!("{}: {}", line_name(c, claim_id, line)?, statuses(&line.statuses)));
    }
    Ok(parts.join("; "))
}

/// Applies every claim and above-claim status of one 277CA transaction set.
pub fn apply(
    c: &Change<'_>,
    file_id: i64,
    file_name: &str,
    ack: &Ack277ca,
    summary: &mut AckSummary,
) -> Result<(), AckError> {
    for b in ack.batch_statuses.iter().filter(|b| b.status.verdict() == ack277ca::Verdict::Rejected) {
        let level = if b.level == "19" { format!("billing provider {}", b.provider_npi) } else { "receiver".into() };
        let reason = format!("277CA {file_name}: every claim of the {level} rejected: {}", words::status(&b.status));
        let found = Found {
            file_id,
            kind: "277ca",
            batch_id: None,
            claim_id: None,
            control_number: &level,
            verdict: Verdict::Rejected,
            reason: &reason,
        };
        record::keep(c, &found, summary)?;
    }
    for claim in &ack.claims {
        let pcn = claim.patient_control_number.as_str();
        let claim_id = claims::find_by_control_number(c.conn(), pcn)?;
        let v = verdict(claim.verdict());
        let why = reason(c, claim_id, claim)?;
        let text = match claim_id {
            Some(_) => format!("277CA {file_name}: {why}"),
            None => format!(
                "277CA {file_name}: claim {pcn} of {}, {}: {why}; no claim of ours has this control number",
                claim.patient_last_name, claim.patient_first_name
            ),
        };
        let found =
            Found { file_id, kind: "277ca", batch_id: None, claim_id, control_number: pcn, verdict: v, reason: &text };
        record::keep(c, &found, summary)?;
        if let Some(id) = claim_id {
            let note = format!("277CA {file_name}: {}", v.code());
            record::move_claim(c, id, v, &note, &text, summary)?;
        }
    }
    Ok(())
}
