//! The 999 implementation acknowledgment (005010X231A1): did the clearinghouse or payer
//! accept the 837 file we sent, and if not, which segment and element of which claim
//! transaction it rejected.
//!
//! Layout: AK1 (the group acknowledged) · per transaction set AK2, then IK3 segment errors
//! (each with IK4 element errors), then IK5 (the set's verdict) · AK9 (the group's verdict).

use super::code::Code;
use super::error::{ErrorKind, Position, X12Error};
use super::input::IntoInput;
use super::segment::Segment;
use super::transaction::{keep, read_sets, unexpected, Parsed, SetParser};
use super::value::{self, fill};
use serde::Serialize;

/// IK501/AK901: the verdict on a transaction set or a whole group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// A: accepted.
    Accepted,
    /// E: accepted, but errors were noted.
    AcceptedWithErrors,
    /// P: some transaction sets of the group accepted (AK9 only).
    PartiallyAccepted,
    /// R: rejected.
    Rejected,
    /// M: rejected, message authentication failed.
    RejectedAuthentication,
    /// W: rejected, assurance failed.
    RejectedAssurance,
    /// X: rejected, content could not be decrypted.
    RejectedDecryption,
}

impl AckStatus {
    fn from_code(code: &str, group: bool) -> Option<AckStatus> {
        Some(match code {
            "A" => AckStatus::Accepted,
            "E" => AckStatus::AcceptedWithErrors,
            "P" if group => AckStatus::PartiallyAccepted,
            "R" => AckStatus::Rejected,
            "M" => AckStatus::RejectedAuthentication,
            "W" => AckStatus::RejectedAssurance,
            "X" => AckStatus::RejectedDecryption,
            _ => return None,
        })
    }

    /// True when the claims in it go on to the payer (A or E).
    pub fn is_accepted(self) -> bool {
        matches!(self, AckStatus::Accepted | AckStatus::AcceptedWithErrors)
    }
}

/// IK4: one element in error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ElementError {
    /// Where the IK4 is.
    pub at: Position,
    /// IK401 as written: element position, and component/repeat when given (`2:1`).
    pub position: String,
    /// IK402: the data element reference number.
    pub reference: String,
    /// IK403: the error code (1 required element missing, 7 invalid code value, …).
    pub code: Code,
    /// IK404: a copy of the bad value.
    pub bad_value: String,
}

/// IK3: one segment in error, with its element errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SegmentError {
    /// Where the IK3 is.
    pub at: Position,
    /// IK301: the segment id in error (`NM1`).
    pub segment_id: String,
    /// IK302: its position in the transaction set (ST = 1).
    pub position: Option<u64>,
    /// IK303: the loop it was in.
    pub loop_id: String,
    /// IK304: the error code (8 segment has data element errors, 3 required segment
    /// missing, …).
    pub code: Code,
    /// IK4s.
    pub element_errors: Vec<ElementError>,
}

/// AK2…IK5: the verdict on one of our transaction sets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SetAck {
    /// Where the AK2 is.
    pub at: Position,
    /// AK201: the set acknowledged (`837`).
    pub set_id: String,
    /// AK202: its ST02, which tells which of our batches this is.
    pub control_number: String,
    /// AK203: its implementation guide.
    pub version: String,
    /// IK3s.
    pub segment_errors: Vec<SegmentError>,
    /// IK501; `None` only when `problems` of the 999 says why.
    pub status: Option<AckStatus>,
    /// IK502–IK506: set-level error codes.
    pub error_codes: Vec<Code>,
}

/// One 999 transaction set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ack999 {
    /// Where its ST is.
    pub at: Position,
    /// ST02.
    pub control_number: String,
    /// AK101: functional id of the group acknowledged (`HC` for 837).
    pub functional_id: String,
    /// AK102: GS06 of the group acknowledged.
    pub group_control_number: String,
    /// AK103: GS08 of the group acknowledged.
    pub group_version: String,
    /// AK2 loops.
    pub sets: Vec<SetAck>,
    /// AK901; `None` only when `problems` says why.
    pub status: Option<AckStatus>,
    /// AK902: sets included in the group.
    pub sets_included: Option<u64>,
    /// AK903: sets received.
    pub sets_received: Option<u64>,
    /// AK904: sets accepted.
    pub sets_accepted: Option<u64>,
    /// AK905–AK909: group-level error codes.
    pub error_codes: Vec<Code>,
    /// Everything wrong with this 999.
    pub problems: Vec<X12Error>,
}

/// Push parser for 999s.
#[derive(Default)]
pub struct Parser {
    ack: Ack999,
    seen_ak1: bool,
    seen_ak9: bool,
    /// An AK2 is open (waiting for its IK5).
    open_set: bool,
}

/// Reads every 999 in `source`.
pub fn read<S: IntoInput>(source: S) -> Result<Parsed<Ack999>, X12Error> {
    read_sets::<Parser, S>(source)
}

fn count(seg: &Segment<'_>, n: usize, problems: &mut Vec<X12Error>) -> Option<u64> {
    let text = keep(value::optional(seg, n), problems)?;
    text.parse().map_err(|_| problems.push(value::invalid(seg, n, text, "is not a count"))).ok()
}

fn codes(seg: &Segment<'_>, range: std::ops::RangeInclusive<usize>, out: &mut Vec<Code>, problems: &mut Vec<X12Error>) {
    for n in range {
        if let Some(text) = keep(value::optional(seg, n), problems) {
            out.push(keep(Code::read(seg, n, text), problems));
        }
    }
}

fn status(seg: &Segment<'_>, group: bool, problems: &mut Vec<X12Error>) -> Option<AckStatus> {
    let text = keep(value::required(seg, 1, "acknowledgment code"), problems);
    let status = AckStatus::from_code(text, group);
    if status.is_none() && !text.is_empty() {
        let allowed = if group { "A, E, P, R, M, W or X" } else { "A, E, R, M, W or X" };
        problems.push(value::invalid(seg, 1, text, format!("is not an acknowledgment code ({allowed})")));
    }
    status
}

impl SetParser for Parser {
    type Output = Ack999;
    const SET_ID: &'static str = "999";
    const NAME: &'static str = "999 acknowledgment";

    fn begin(&mut self, st: &Segment<'_>) {
        *self = Parser::default();
        self.ack.at = st.position(0);
        keep(fill(&mut self.ack.control_number, st, 2), &mut self.ack.problems);
    }

    fn segment(&mut self, seg: &Segment<'_>) {
        let ack = &mut self.ack;
        let problems = &mut ack.problems;
        if self.seen_ak9 {
            problems.push(unexpected(seg, "nothing but SE may follow AK9"));
            return;
        }
        if !self.seen_ak1 && seg.id() != "AK1" {
            problems.push(unexpected(seg, "a 999 must start with AK1"));
            return;
        }
        match seg.id() {
            "AK1" if !self.seen_ak1 => {
                self.seen_ak1 = true;
                ack.functional_id = keep(value::required(seg, 1, "functional identifier code"), problems).to_string();
                ack.group_control_number = keep(value::required(seg, 2, "group control number"), problems).to_string();
                keep(fill(&mut ack.group_version, seg, 3), problems);
            }
            "AK2" => {
                if self.open_set {
                    problems.push(unexpected(seg, "the previous AK2 has no IK5"));
                }
                self.open_set = true;
                let mut set = SetAck { at: seg.position(0), ..SetAck::default() };
                set.set_id = keep(value::required(seg, 1, "transaction set identifier"), problems).to_string();
                set.control_number =
                    keep(value::required(seg, 2, "transaction set control number"), problems).to_string();
                keep(fill(&mut set.version, seg, 3), problems);
                ack.sets.push(set);
            }
            "IK3" | "IK4" | "IK5" | "CTX" if !self.open_set => {
                problems.push(unexpected(seg, "IK3, IK4, IK5 and CTX belong after an AK2"))
            }
            "IK3" => {
                let mut error = SegmentError { at: seg.position(0), ..SegmentError::default() };
                error.segment_id = keep(value::required(seg, 1, "segment id in error"), problems).to_string();
                error.position = count(seg, 2, problems);
                keep(fill(&mut error.loop_id, seg, 3), problems);
                let code = keep(value::required(seg, 4, "segment syntax error code"), problems);
                error.code = keep(Code::read(seg, 4, code), problems);
                if let Some(set) = ack.sets.last_mut() {
                    set.segment_errors.push(error);
                }
            }
            "IK4" => {
                let mut error = ElementError { at: seg.position(0), ..ElementError::default() };
                error.position = String::from_utf8_lossy(seg.element(1)).into_owned();
                if error.position.is_empty() {
                    problems.push(
                        seg.error(
                            1,
                            ErrorKind::Missing { element: "IK401".into(), what: "position in segment".into() },
                        ),
                    );
                }
                keep(fill(&mut error.reference, seg, 2), problems);
                let code = keep(value::required(seg, 3, "element syntax error code"), problems);
                error.code = keep(Code::read(seg, 3, code), problems);
                keep(fill(&mut error.bad_value, seg, 4), problems);
                match ack.sets.last_mut().and_then(|s| s.segment_errors.last_mut()) {
                    Some(segment_error) => segment_error.element_errors.push(error),
                    None => problems.push(unexpected(seg, "IK4 belongs after the IK3 of its segment")),
                }
            }
            "CTX" => {}
            "IK5" => {
                self.open_set = false;
                if let Some(set) = ack.sets.last_mut() {
                    set.status = status(seg, false, problems);
                    codes(seg, 2..=6, &mut set.error_codes, problems);
                }
            }
            "AK9" => {
                self.seen_ak9 = true;
                if self.open_set {
                    problems.push(unexpected(seg, "the last AK2 has no IK5"));
                }
                ack.status = status(seg, true, problems);
                ack.sets_included = count(seg, 2, problems);
                ack.sets_received = count(seg, 3, problems);
                ack.sets_accepted = count(seg, 4, problems);
                codes(seg, 5..=9, &mut ack.error_codes, problems);
            }
            _ => problems.push(unexpected(seg, "a 999 holds AK1, AK2, IK3, CTX, IK4, IK5 and AK9 only")),
        }
    }

    fn end(&mut self, se: &Segment<'_>) -> Ack999 {
        if !self.seen_ak9 {
            self.ack.problems.push(
                se.error(0, ErrorKind::Missing { element: "AK9".into(), what: "the group's acknowledgment".into() }),
            );
        }
        std::mem::take(&mut self.ack)
    }
}
