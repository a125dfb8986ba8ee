//! Checking any X12 file this program understands: the envelope always, and each
//! transaction set with its typed reader (835, 999, 277CA, 271). Other sets (837, 270, 997,
//! TA1 …) get the envelope check only, and the report says so. Behind `hmedesk x12 check`.
//!
//! Runs in one pass at the lexer's speed and holds one claim at a time, so a 1 GB 835 is
//! checked in constant memory.

use super::envelope::{Reader, Role};
use super::error::{Position, X12Error};
use super::input::IntoInput;
use super::remit835::parse::Remit835;
use super::segment::Segment;
use super::transaction::SetParser;
use super::{ack277ca, ack999, elig271};
use crate::money::Money;
use serde::Serialize;

/// What one transaction set turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetSummary {
    /// Where its ST is.
    pub at: Position,
    /// ST01.
    pub set_id: String,
    /// ST02.
    pub control_number: String,
    /// GS08 (or ST03): the implementation guide.
    pub version: String,
    /// A one-line description: what was read, or that only the envelope was checked.
    pub summary: String,
}

/// The result of checking a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Segments read.
    pub segments: u64,
    /// Every transaction set, in file order.
    pub sets: Vec<SetSummary>,
    /// Every problem, in file order; empty means the file is valid.
    pub problems: Vec<X12Error>,
}

impl Report {
    /// True when nothing is wrong.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

enum Active {
    None,
    Remit { claims: u64, paid: Money },
    Ack999(ack999::Parser),
    Ack277(ack277ca::Parser),
    Elig271(elig271::Parser),
}

/// Checks everything in `source`. A problem that stops reading (not X12, a damaged ISA) is
/// the last problem of the report.
pub fn check<S: IntoInput>(source: S) -> Report {
    let mut reader = Reader::new(source);
    let mut report = Report::default();
    let mut remit = Remit835::default();
    let mut active = Active::None;
    loop {
        let role = match reader.advance() {
            Ok(Some(role)) => role,
            Ok(None) => break,
            Err(fatal) => {
                report.problems.extend(reader.take_problems());
                report.problems.push(fatal);
                break;
            }
        };
        report.segments += 1;
        let seg = &reader.segment();
        match role {
            Role::SetStart => {
                let (next, summary) = start(seg, reader.set_id(), reader.version(), &mut remit);
                active = next;
                report.sets.push(SetSummary {
                    at: seg.position(0),
                    set_id: reader.set_id().to_string(),
                    control_number: seg.text(2).unwrap_or_default().to_string(),
                    version: reader.version().to_string(),
                    summary,
                });
            }
            Role::Body => match &mut active {
                Active::Remit { claims, paid } => {
                    if remit.segment(seg).claim {
                        count_claim(&mut remit, claims, paid, &mut report.problems);
                    }
                }
                Active::Ack999(p) => p.segment(seg),
                Active::Ack277(p) => p.segment(seg),
                Active::Elig271(p) => p.segment(seg),
                Active::None => {}
            },
            Role::SetEnd => {
                let summary = match std::mem::replace(&mut active, Active::None) {
                    Active::Remit { mut claims, mut paid } => {
                        let ready = remit.end(seg);
                        if ready.claim {
                            count_claim(&mut remit, &mut claims, &mut paid, &mut report.problems);
                        }
                        report.problems.append(&mut remit.payment.problems);
                        report.problems.append(&mut remit.settlement.problems);
                        Some(format!(
                            "835 remittance: {claims} claims, {paid} paid, payment {} ({}), trace {}",
                            remit.payment.total, remit.payment.method, remit.payment.trace_number
                        ))
                    }
                    Active::Ack999(mut p) => {
                        let mut ack = p.end(seg);
                        report.problems.append(&mut ack.problems);
                        let status = ack.status.map_or("no verdict".to_string(), |s| format!("{s:?}"));
                        Some(format!(
                            "999 acknowledgment: {} transaction sets acknowledged, group {status}",
                            ack.sets.len()
                        ))
                    }
                    Active::Ack277(mut p) => {
                        let mut ack = p.end(seg);
                        report.problems.append(&mut ack.problems);
                        let rejected = ack.claims.iter().filter(|c| c.verdict() == ack277ca::Verdict::Rejected).count();
                        Some(format!("277CA claim acknowledgment: {} claims, {rejected} rejected", ack.claims.len()))
                    }
                    Active::Elig271(mut p) => {
                        let mut elig = p.end(seg);
                        report.problems.append(&mut elig.problems);
                        let benefits: usize = elig.persons.iter().map(|p| p.benefits.len()).sum();
                        Some(format!("271 eligibility response: {} persons, {benefits} benefits", elig.persons.len()))
                    }
                    Active::None => None,
                };
                if let (Some(summary), Some(set)) = (summary, report.sets.last_mut()) {
                    set.summary = summary;
                }
            }
            _ => {}
        }
    }
    report.problems.extend(reader.take_problems());
    report.problems.sort_by_key(|p| (p.at.segment, p.at.element));
    report
}

/// Chooses the reader for a transaction set at its ST.
fn start(st: &Segment<'_>, set_id: &str, version: &str, remit: &mut Remit835) -> (Active, String) {
    let reading = |name: &str| format!("{name} (not finished: SE missing)");
    match set_id {
        "835" => {
            remit.begin(st);
            (Active::Remit { claims: 0, paid: Money::ZERO }, reading("835 remittance"))
        }
        "999" => {
            let mut p = ack999::Parser::default();
            p.begin(st);
            (Active::Ack999(p), reading("999 acknowledgment"))
        }
        "277" if ack277ca::Parser::accepts(version).is_ok() => {
            let mut p = ack277ca::Parser::default();
            p.begin(st);
            (Active::Ack277(p), reading("277CA claim acknowledgment"))
        }
        "271" => {
            let mut p = elig271::Parser::default();
            p.begin(st);
            (Active::Elig271(p), reading("271 eligibility response"))
        }
        other => {
            (Active::None, format!("{other} ({version}): envelope checked; this program does not read its contents"))
        }
    }
}

fn count_claim(remit: &mut Remit835, claims: &mut u64, paid: &mut Money, problems: &mut Vec<X12Error>) {
    *claims += 1;
    let claim = remit.done_mut();
    *paid += claim.paid;
    problems.append(&mut claim.problems);
}
