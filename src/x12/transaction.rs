//! Reading every transaction set of one kind from a file into memory, for the small
//! transactions (999, 277CA, 271) whose files are a few kilobytes.

use super::envelope::{Reader, Role};
use super::error::{ErrorKind, X12Error};
use super::input::IntoInput;
use super::segment::Segment;
use serde::Serialize;

/// A push parser for one kind of transaction set, fed its segments from ST to SE.
pub trait SetParser: Default {
    /// What one transaction set becomes.
    type Output;
    /// ST01 of the sets this parser reads.
    const SET_ID: &'static str;
    /// What a biller calls it, for messages ("999 acknowledgment").
    const NAME: &'static str;

    /// Whether the group's version (GS08 or ST03) is one this parser reads; the problem
    /// to report when not.
    fn accepts(_version: &str) -> Result<(), String> {
        Ok(())
    }
    /// Starts a set at its ST.
    fn begin(&mut self, st: &Segment<'_>);
    /// One segment between ST and SE.
    fn segment(&mut self, seg: &Segment<'_>);
    /// Ends the set at its SE and hands over what was read.
    fn end(&mut self, se: &Segment<'_>) -> Self::Output;
}

/// Every transaction set of one kind in a file, plus the file-level problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parsed<T> {
    /// One per ST/SE of the right kind, in file order.
    pub sets: Vec<T>,
    /// Envelope problems and transaction sets of another kind.
    pub problems: Vec<X12Error>,
}

/// Feeds the sets a parser reads; reports (and skips) every other set.
pub struct Dispatch<P> {
    parser: P,
    active: bool,
}

impl<P: SetParser> Default for Dispatch<P> {
    fn default() -> Dispatch<P> {
        Dispatch { parser: P::default(), active: false }
    }
}

impl<P: SetParser> Dispatch<P> {
    /// Passes on one segment; returns a finished set at its SE, or a problem when a set of
    /// another kind (or version) starts.
    pub fn feed(
        &mut self,
        role: Role,
        seg: &Segment<'_>,
        set_id: &str,
        version: &str,
    ) -> Result<Option<P::Output>, X12Error> {
        match role {
            Role::SetStart => {
                self.active = false;
                if set_id != P::SET_ID {
                    let why = format!("is not a {}; this transaction set was skipped", P::NAME);
                    return Err(
                        seg.error(1, ErrorKind::Invalid { element: "ST01".into(), value: set_id.to_string(), why })
                    );
                }
                if let Err(why) = P::accepts(version) {
                    return Err(seg.error(
                        0,
                        ErrorKind::Invalid { element: "GS08/ST03".into(), value: version.to_string(), why },
                    ));
                }
                self.active = true;
                self.parser.begin(seg);
            }
            Role::Body if self.active => self.parser.segment(seg),
            Role::SetEnd if self.active => {
                self.active = false;
                return Ok(Some(self.parser.end(seg)));
            }
            _ => {}
        }
        Ok(None)
    }
}

/// Reads every set `P` understands from `source`.
pub fn read_sets<P: SetParser, S: IntoInput>(source: S) -> Result<Parsed<P::Output>, X12Error> {
    let mut reader = Reader::new(source);
    let mut dispatch = Dispatch::<P>::default();
    let mut sets = Vec::new();
    while let Some(item) = reader.next_item()? {
        match dispatch.feed(item.role, &item.segment, item.set_id, item.version) {
            Ok(Some(set)) => sets.push(set),
            Ok(None) => {}
            Err(problem) => reader.report(problem),
        }
    }
    Ok(Parsed { sets, problems: reader.take_problems() })
}

/// Keeps the value, or records the problem and goes on with the default.
#[inline]
pub fn keep<T: Default>(result: Result<T, X12Error>, problems: &mut Vec<X12Error>) -> T {
    result.unwrap_or_else(|e| {
        problems.push(e);
        T::default()
    })
}

/// A segment the transaction does not allow where it appears.
pub fn unexpected(seg: &Segment<'_>, why: impl Into<String>) -> X12Error {
    seg.error(0, ErrorKind::Unexpected { segment: seg.id().to_string(), why: why.into() })
}
