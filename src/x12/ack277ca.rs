//! The 277CA claim acknowledgment (005010X214): for every claim of a batch we sent, whether
//! the payer's front end took it into adjudication (STC category A1/A2) or rejected it
//! (A3, A6, A7, A8 …) and why.
//!
//! Layout: hierarchical levels (HL03) 20 information source → 21 receiver → 19 billing
//! provider → PT patient/claim. At the claim level, TRN02 is *our* patient control number
//! (CLM01), REF*1K the payer's claim number and REF*D9 the clearinghouse trace number; STC
//! carries the status; SVC lines (loop 2220D) may carry their own STC.

use super::code::Code;
use super::error::{ErrorKind, Position, X12Error};
use super::input::IntoInput;
use super::segment::Segment;
use super::transaction::{keep, read_sets, unexpected, Parsed, SetParser};
use super::value::{self, fill, Period};
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// One status code triple of an STC: category, status and entity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCode {
    /// Claim status category (`A1` received, `A2` accepted, `A3` returned, `A7` rejected
    /// for invalid information …).
    pub category: Code,
    /// Claim status code (why).
    pub status: Code,
    /// Entity the status is about (`85` billing provider, `IL` subscriber …), when given.
    pub entity: Code,
}

/// What a status means for the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A0/A1/A2/A5: received, forwarded or accepted for adjudication.
    Accepted,
    /// A3/A4/A6/A7/A8: returned or rejected; correct and resubmit.
    Rejected,
    /// Anything else (pending, request for information, errors at the payer).
    Other,
}

impl StatusCode {
    /// What the category code means for the claim.
    pub fn verdict(&self) -> Verdict {
        match self.category.as_str() {
            "A0" | "A1" | "A2" | "A5" => Verdict::Accepted,
            "A3" | "A4" | "A6" | "A7" | "A8" => Verdict::Rejected,
            _ => Verdict::Other,
        }
    }
}

/// One STC segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Where the STC is.
    pub at: Position,
    /// STC01, then STC10 and STC11 when given.
    pub codes: Vec<StatusCode>,
    /// STC02: the status date.
    pub date: Option<NaiveDate>,
    /// STC04: the charge the status is about.
    pub charge: Option<Money>,
    /// STC12: free-form message.
    pub message: String,
}

impl Status {
    /// Rejected when any code rejects, accepted when the first accepts, else other.
    pub fn verdict(&self) -> Verdict {
        if self.codes.iter().any(|c| c.verdict() == Verdict::Rejected) {
            Verdict::Rejected
        } else {
            self.codes.first().map_or(Verdict::Other, StatusCode::verdict)
        }
    }
}

/// A service line's status (loop 2220D).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LineAck {
    /// Where the SVC is.
    pub at: Position,
    /// SVC01 as written, like `HC:E0601:RR`.
    pub procedure: String,
    /// SVC02.
    pub charge: Option<Money>,
    /// REF*FJ: our line item control number.
    pub control_number: String,
    /// STCs.
    pub statuses: Vec<Status>,
}

/// One claim's acknowledgment (loops 2000D/2200D).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimAck {
    /// Where its HL is.
    pub at: Position,
    /// NPI of the billing provider (2100C NM109 when NM108 is XX).
    pub billing_provider_npi: String,
    /// NM1*QC patient last name.
    pub patient_last_name: String,
    /// NM1*QC patient first name.
    pub patient_first_name: String,
    /// TRN02: our patient control number (CLM01).
    pub patient_control_number: String,
    /// REF*1K: the payer's claim number.
    pub payer_claim_number: String,
    /// REF*D9: the clearinghouse trace number.
    pub clearinghouse_trace: String,
    /// DTP*472: the claim's service dates.
    pub service_period: Option<Period>,
    /// STCs of the claim.
    pub statuses: Vec<Status>,
    /// Line-level statuses.
    pub lines: Vec<LineAck>,
}

impl ClaimAck {
    /// Rejected when any status rejects, accepted when the first accepts.
    pub fn verdict(&self) -> Verdict {
        let all = self.statuses.iter().chain(self.lines.iter().flat_map(|l| &l.statuses));
        let verdicts: Vec<Verdict> = all.map(Status::verdict).collect();
        if verdicts.contains(&Verdict::Rejected) {
            Verdict::Rejected
        } else {
            verdicts.first().copied().unwrap_or(Verdict::Other)
        }
    }
}

/// A status given above claim level (receiver or billing provider).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchStatus {
    /// HL03 of the level: `21` receiver or `19` billing provider.
    pub level: String,
    /// The provider's NPI at level 19.
    pub provider_npi: String,
    /// The STC.
    pub status: Status,
}

/// One 277CA transaction set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ack277ca {
    /// Where its ST is.
    pub at: Position,
    /// ST02.
    pub control_number: String,
    /// Statuses at receiver and provider level (a provider-level rejection rejects all its
    /// claims).
    pub batch_statuses: Vec<BatchStatus>,
    /// Claim-level acknowledgments.
    pub claims: Vec<ClaimAck>,
    /// Everything wrong with this 277CA.
    pub problems: Vec<X12Error>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    None,
    Source,
    Receiver,
    Provider,
    Patient,
}

/// Push parser for 277CAs.
pub struct Parser {
    ack: Ack277ca,
    level: Level,
    level_code: String,
    provider_npi: String,
    in_line: bool,
    hl_ids: Vec<String>,
}

impl Default for Parser {
    fn default() -> Parser {
        Parser {
            ack: Ack277ca::default(),
            level: Level::None,
            level_code: String::new(),
            provider_npi: String::new(),
            in_line: false,
            hl_ids: Vec::new(),
        }
    }
}

/// Reads every 277CA in `source`.
pub fn read<S: IntoInput>(source: S) -> Result<Parsed<Ack277ca>, X12Error> {
    read_sets::<Parser, S>(source)
}

fn status_codes(seg: &Segment<'_>, n: usize, problems: &mut Vec<X12Error>) -> Option<StatusCode> {
    if seg.element(n).is_empty() {
        return None;
    }
    let mut part = |k| keep(seg.component(n, k).and_then(|t| Code::read(seg, n, t)), problems);
    let code = StatusCode { category: part(1), status: part(2), entity: part(3) };
    if code.category.is_empty() || code.status.is_empty() {
        let written = String::from_utf8_lossy(seg.element(n)).into_owned();
        problems.push(value::invalid(seg, n, &written, "must hold a category code and a status code, like A7:562:85"));
    }
    Some(code)
}

fn read_stc(seg: &Segment<'_>, problems: &mut Vec<X12Error>) -> Status {
    let mut status = Status { at: seg.position(0), ..Status::default() };
    match status_codes(seg, 1, problems) {
        Some(code) => status.codes.push(code),
        None => {
            problems.push(seg.error(1, ErrorKind::Missing { element: "STC01".into(), what: "claim status".into() }))
        }
    }
    status.codes.extend(status_codes(seg, 10, problems));
    status.codes.extend(status_codes(seg, 11, problems));
    status.date = keep(value::optional_date(seg, 2), problems);
    status.charge = keep(value::optional_amount(seg, 4), problems);
    keep(fill(&mut status.message, seg, 12), problems);
    status
}

impl Parser {
    fn hl(&mut self, seg: &Segment<'_>) {
        let problems = &mut self.ack.problems;
        let id = keep(value::required(seg, 1, "hierarchical id"), problems).to_string();
        let parent = keep(value::optional(seg, 2), problems);
        if let Some(parent) = parent {
            if !self.hl_ids.iter().any(|h| h == parent) {
                problems.push(value::invalid(seg, 2, parent, "names a parent HL that does not come before it"));
            }
        }
        if self.hl_ids.contains(&id) {
            problems.push(value::invalid(seg, 1, &id, "is used by an earlier HL"));
        }
        self.hl_ids.push(id);
        let code = keep(value::required(seg, 3, "hierarchical level code"), problems);
        self.level = match code {
            "20" => Level::Source,
            "21" => Level::Receiver,
            "19" => Level::Provider,
            "PT" => Level::Patient,
            other => {
                if !other.is_empty() {
                    problems.push(value::invalid(seg, 3, other, "is not a 277CA level (20, 21, 19 or PT)"));
                }
                Level::None
            }
        };
        self.level_code = code.to_string();
        self.in_line = false;
        if self.level == Level::Patient {
            let claim = ClaimAck {
                at: seg.position(0),
                billing_provider_npi: self.provider_npi.clone(),
                ..ClaimAck::default()
            };
            self.ack.claims.push(claim);
        }
        if self.level == Level::Provider {
            self.provider_npi.clear();
        }
    }
}

impl SetParser for Parser {
    type Output = Ack277ca;
    const SET_ID: &'static str = "277";
    const NAME: &'static str = "277CA claim acknowledgment";

    fn accepts(version: &str) -> Result<(), String> {
        if version.contains("X214") {
            Ok(())
        } else {
            Err("is not the 277CA guide (005010X214); a 277 claim status response (X212) is not read here".into())
        }
    }

    fn begin(&mut self, st: &Segment<'_>) {
        *self = Parser::default();
        self.ack.at = st.position(0);
        keep(fill(&mut self.ack.control_number, st, 2), &mut self.ack.problems);
    }

    fn segment(&mut self, seg: &Segment<'_>) {
        if seg.id() == "HL" {
            return self.hl(seg);
        }
        let problems = &mut self.ack.problems;
        let claim = if self.level == Level::Patient { self.ack.claims.last_mut() } else { None };
        match (seg.id(), claim) {
            ("BHT", _) if self.hl_ids.is_empty() => {}
            (_, _) if self.hl_ids.is_empty() => {
                problems.push(unexpected(seg, "a 277CA starts with BHT and then HL levels"))
            }
            ("NM1", None) if self.level == Level::Provider && seg.element(8) == b"XX" => {
                keep(fill(&mut self.provider_npi, seg, 9), problems);
            }
            ("STC", None) if matches!(self.level, Level::Receiver | Level::Provider) => {
                let status = read_stc(seg, problems);
                let provider_npi =
                    if self.level == Level::Provider { self.provider_npi.clone() } else { String::new() };
                self.ack.batch_statuses.push(BatchStatus { level: self.level_code.clone(), provider_npi, status });
            }
            ("NM1", Some(claim)) if seg.element(1) == b"QC" => {
                keep(fill(&mut claim.patient_last_name, seg, 3), problems);
                keep(fill(&mut claim.patient_first_name, seg, 4), problems);
            }
            ("TRN", Some(claim)) => {
                claim.patient_control_number =
                    keep(value::required(seg, 2, "patient control number"), problems).to_string();
            }
            ("SVC", Some(claim)) => {
                self.in_line = true;
                let mut line = LineAck { at: seg.position(0), ..LineAck::default() };
                line.procedure = String::from_utf8_lossy(seg.element(1)).into_owned();
                line.charge = keep(value::optional_amount(seg, 2), problems);
                claim.lines.push(line);
            }
            ("STC", Some(claim)) => {
                let status = read_stc(seg, problems);
                match (self.in_line, claim.lines.last_mut()) {
                    (true, Some(line)) => line.statuses.push(status),
                    _ => claim.statuses.push(status),
                }
            }
            ("REF", Some(claim)) => match (seg.element(1), self.in_line, claim.lines.last_mut()) {
                (b"1K", false, _) => keep(fill(&mut claim.payer_claim_number, seg, 2), problems),
                (b"D9", false, _) => keep(fill(&mut claim.clearinghouse_trace, seg, 2), problems),
                (b"FJ", true, Some(line)) => keep(fill(&mut line.control_number, seg, 2), problems),
                _ => {}
            },
            ("DTP", Some(claim)) if !self.in_line && seg.element(1) == b"472" => {
                claim.service_period = keep(value::period(seg, 2, 3).map(Some), problems);
            }
            _ => {}
        }
    }

    fn end(&mut self, se: &Segment<'_>) -> Ack277ca {
        for claim in &self.ack.claims {
            if claim.patient_control_number.is_empty() {
                let at = claim.at;
                self.ack.problems.push(X12Error::new(
                    at,
                    ErrorKind::Missing {
                        element: "TRN02".into(),
                        what: "the claim's patient control number (loop 2200D)".into(),
                    },
                ));
            }
            if claim.statuses.is_empty() && claim.lines.iter().all(|l| l.statuses.is_empty()) {
                self.ack.problems.push(X12Error::new(
                    claim.at,
                    ErrorKind::Missing { element: "STC".into(), what: "the claim's status (loop 2200D)".into() },
                ));
            }
        }
        if self.hl_ids.is_empty() {
            self.ack.problems.push(se.error(
                0,
                ErrorKind::Missing {
                    element: "HL".into(),
                    what: "the hierarchical levels of the acknowledgment".into(),
                },
            ));
        }
        std::mem::take(&mut self.ack)
    }
}
