//! Envelope checks and the envelope-aware segment reader.
//!
//! [`Envelope`] is a state machine fed every segment in order. It knows where a segment sits
//! (interchange, functional group, transaction set) and reports, as positioned problems,
//! everything wrong with the envelope:
//!
//! * order: GS only inside an interchange, ST only inside a group, data only inside a
//!   transaction set (TA1 may sit directly in an interchange);
//! * control numbers: IEA02 = ISA13, GE02 = GS06, SE02 = ST02;
//! * counts: SE01 = segments from ST to SE inclusive, GE01 = transaction sets in the group,
//!   IEA01 = groups in the interchange;
//! * completeness: the file must not end inside an interchange.
//!
//! [`Reader`] puts the lexer and the envelope together and is what the typed layers read
//! from: every segment comes with its [`Role`] and the version of its group.

use super::error::{ErrorKind, Position, X12Error};
use super::input::{Input, IntoInput};
use super::lexer::Lexer;
use super::segment::{Segment, Tag};

/// What a segment does in the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// ISA: starts an interchange.
    InterchangeStart,
    /// GS: starts a functional group.
    GroupStart,
    /// ST: starts a transaction set.
    SetStart,
    /// A segment inside a transaction set.
    Body,
    /// SE: ends a transaction set.
    SetEnd,
    /// GE: ends a functional group.
    GroupEnd,
    /// IEA: ends an interchange.
    InterchangeEnd,
    /// TA1 or any segment outside a transaction set.
    Other,
}

#[derive(Debug, Default)]
struct Open {
    control: String,
    at: Position,
    /// Groups in an interchange, sets in a group, segments in a set.
    count: u64,
}

/// The envelope state machine; see the module documentation.
#[derive(Debug, Default)]
pub struct Envelope {
    interchange: Option<Open>,
    group: Option<Open>,
    set: Option<Open>,
    /// GS08 of the open group: the version and implementation guide, like `005010X221A1`.
    version: String,
    /// ST01 of the open transaction set, like `835`.
    set_id: String,
}

impl Envelope {
    /// Looks at the next segment, records any envelope problem in `problems`, and says what
    /// role the segment plays.
    pub fn observe(&mut self, seg: &Segment<'_>, problems: &mut Vec<X12Error>) -> Role {
        let text = |n| seg.text(n).unwrap_or_default().to_string();
        match seg.tag() {
            Tag::ISA => {
                if let Some(open) = self.interchange.take() {
                    self.unclosed(seg, problems);
                    problems.push(envelope(
                        seg.position(0),
                        format!(
                            "a new ISA starts before IEA closed the interchange that began at segment {}",
                            open.at.segment
                        ),
                    ));
                }
                self.interchange = Some(Open { control: text(13), at: seg.position(0), count: 0 });
                Role::InterchangeStart
            }
            Tag::GS => {
                match self.interchange.as_mut() {
                    Some(i) => i.count += 1,
                    None => {
                        problems.push(envelope(seg.position(0), "GS appears outside an interchange (no ISA before it)"))
                    }
                }
                if self.group.is_some() {
                    problems.push(envelope(
                        seg.position(0),
                        "a new GS starts before GE closed the previous functional group",
                    ));
                }
                self.set = None;
                self.group = Some(Open { control: text(6), at: seg.position(0), count: 0 });
                self.version = text(8);
                Role::GroupStart
            }
            Tag::ST => {
                match self.group.as_mut() {
                    Some(g) => g.count += 1,
                    None => problems
                        .push(envelope(seg.position(0), "ST appears outside a functional group (no GS before it)")),
                }
                if self.set.is_some() {
                    problems.push(envelope(
                        seg.position(0),
                        "a new ST starts before SE closed the previous transaction set",
                    ));
                }
                self.set = Some(Open { control: text(2), at: seg.position(0), count: 1 });
                self.set_id = text(1);
                if self.version.is_empty() {
                    self.version = text(3);
                }
                Role::SetStart
            }
            Tag::SE => match self.set.take() {
                Some(set) => {
                    let count = set.count + 1;
                    check_count(seg, 1, count, "segments from ST to SE", problems);
                    check_control(seg, 2, &set, "ST02", problems);
                    Role::SetEnd
                }
                None => {
                    problems.push(envelope(
                        seg.position(0),
                        "SE appears without an open transaction set (no ST before it)",
                    ));
                    Role::Other
                }
            },
            Tag::GE => {
                if self.set.is_some() {
                    problems.push(envelope(
                        seg.position(0),
                        "GE closes the functional group while a transaction set is still open (SE is missing)",
                    ));
                    self.set = None;
                }
                match self.group.take() {
                    Some(group) => {
                        check_count(seg, 1, group.count, "transaction sets in the group", problems);
                        check_control(seg, 2, &group, "GS06", problems);
                    }
                    None => problems.push(envelope(
                        seg.position(0),
                        "GE appears without an open functional group (no GS before it)",
                    )),
                }
                Role::GroupEnd
            }
            Tag::IEA => {
                if self.group.is_some() {
                    problems.push(envelope(
                        seg.position(0),
                        "IEA closes the interchange while a functional group is still open (GE is missing)",
                    ));
                    self.group = None;
                    self.set = None;
                }
                match self.interchange.take() {
                    Some(isa) => {
                        check_count(seg, 1, isa.count, "functional groups in the interchange", problems);
                        check_control(seg, 2, &isa, "ISA13", problems);
                    }
                    None => problems.push(envelope(seg.position(0), "IEA appears without an open interchange")),
                }
                Role::InterchangeEnd
            }
            tag => match self.body(tag) {
                Some(role) => role,
                None => {
                    if !(tag == Tag::TA1 && self.interchange.is_some() && self.group.is_none()) {
                        problems.push(envelope(
                            seg.position(0),
                            format!("{} appears outside a transaction set (between SE and ST, or before ST)", seg.id()),
                        ));
                    }
                    Role::Other
                }
            },
        }
    }

    /// The role of a segment tagged `tag` when it is the common case, the body of an open
    /// transaction set (counted for SE01); `None` for an envelope segment or a segment
    /// outside a set, which [`Self::observe`] must see whole.
    #[inline]
    pub fn body(&mut self, tag: Tag) -> Option<Role> {
        if matches!(tag, Tag::ISA | Tag::GS | Tag::ST | Tag::SE | Tag::GE | Tag::IEA) {
            return None;
        }
        let set = self.set.as_mut()?;
        set.count += 1;
        Some(Role::Body)
    }

    /// Called at the end of input: an interchange still open is a problem.
    pub fn finish(&mut self, at: Position, problems: &mut Vec<X12Error>) {
        let missing = if self.set.is_some() {
            Some("inside a transaction set: SE, GE and IEA are missing")
        } else if self.group.is_some() {
            Some("inside a functional group: GE and IEA are missing")
        } else if self.interchange.is_some() {
            Some("inside an interchange: IEA is missing")
        } else {
            None
        };
        if let Some(detail) = missing {
            problems.push(X12Error::new(at, ErrorKind::UnexpectedEnd { detail: detail.to_string() }));
        }
        *self = Envelope::default();
    }

    /// GS08 (or ST03 when GS08 is empty) of the open group.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// ST01 of the open transaction set.
    pub fn set_id(&self) -> &str {
        &self.set_id
    }

    fn unclosed(&mut self, seg: &Segment<'_>, problems: &mut Vec<X12Error>) {
        if self.group.take().is_some() || self.set.take().is_some() {
            problems.push(envelope(seg.position(0), "the previous interchange ends without GE/SE closing its group"));
        }
    }
}

fn envelope(at: Position, detail: impl Into<String>) -> X12Error {
    X12Error::new(at, ErrorKind::Envelope { detail: detail.into() })
}

fn check_count(seg: &Segment<'_>, n: usize, counted: u64, what: &str, problems: &mut Vec<X12Error>) {
    let written = seg.text(n).unwrap_or_default();
    if written.parse::<u64>().ok() != Some(counted) {
        problems.push(envelope(
            seg.position(n),
            format!("{} says {written:?} but there are {counted} {what}", seg.name(n)),
        ));
    }
}

fn check_control(seg: &Segment<'_>, n: usize, open: &Open, opener: &str, problems: &mut Vec<X12Error>) {
    let written = seg.text(n).unwrap_or_default();
    if written != open.control {
        problems.push(envelope(
            seg.position(n),
            format!(
                "{} control number '{written}' does not match {opener} '{}' at segment {}",
                seg.name(n),
                open.control,
                open.at.segment
            ),
        ));
    }
}

/// A segment with its place in the envelope.
pub struct Item<'a> {
    /// The segment itself.
    pub segment: Segment<'a>,
    /// What it does in the envelope.
    pub role: Role,
    /// GS08 of its group (the implementation guide version, like `005010X221A1`).
    pub version: &'a str,
    /// ST01 of its transaction set (like `835`), empty outside one.
    pub set_id: &'a str,
}

/// Reads segments with envelope checks; the base of every typed reader.
pub struct Reader<I> {
    lexer: Lexer<I>,
    envelope: Envelope,
    problems: Vec<X12Error>,
    done: bool,
}

impl<I: Input> Reader<I> {
    /// A reader over `source`: a byte slice (read in place) or a file (streamed).
    pub fn new<S: IntoInput<Input = I>>(source: S) -> Reader<I> {
        Reader { lexer: Lexer::new(source), envelope: Envelope::default(), problems: Vec::new(), done: false }
    }

    /// The next segment and its role; `None` at the end of input (after which the envelope's
    /// end-of-file check has run).
    pub fn next_item(&mut self) -> Result<Option<Item<'_>>, X12Error> {
        let Some(role) = self.advance()? else {
            return Ok(None);
        };
        Ok(Some(Item {
            segment: self.lexer.current(),
            role,
            version: self.envelope.version(),
            set_id: self.envelope.set_id(),
        }))
    }

    /// Reads the next segment and says its role (then see [`Self::segment`]); `None` at
    /// the end of input. For the hot loops of the typed readers: a role is returned instead
    /// of a whole [`Item`], which costs a large copy per segment.
    pub fn advance(&mut self) -> Result<Option<Role>, X12Error> {
        if self.done {
            return Ok(None);
        }
        if !self.lexer.advance()? {
            self.done = true;
            self.envelope.finish(self.lexer.position(), &mut self.problems);
            return Ok(None);
        }
        // Most segments are the body of a transaction set, told from the tag alone.
        if let Some(role) = self.envelope.body(self.lexer.tag()) {
            return Ok(Some(role));
        }
        Ok(Some(self.envelope.observe(&self.lexer.current(), &mut self.problems)))
    }

    /// The segment the last [`Self::advance`] read.
    pub fn segment(&self) -> Segment<'_> {
        self.lexer.current()
    }

    /// ST01 of the open (or last) transaction set.
    pub fn set_id(&self) -> &str {
        self.envelope.set_id()
    }

    /// GS08 (or ST03) of the open group.
    pub fn version(&self) -> &str {
        self.envelope.version()
    }

    /// Where the next segment would start.
    pub fn position(&self) -> Position {
        self.lexer.position()
    }

    /// Records a problem a typed layer found outside its records (a transaction set it
    /// does not read, say), so it is reported with the envelope's.
    pub fn report(&mut self, problem: X12Error) {
        self.problems.push(problem);
    }

    /// Envelope problems found so far.
    pub fn problems(&self) -> &[X12Error] {
        &self.problems
    }

    /// Takes the envelope problems found so far.
    pub fn take_problems(&mut self) -> Vec<X12Error> {
        std::mem::take(&mut self.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &str =
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~";

    fn problems(body: &str) -> Vec<String> {
        let text = format!("{ISA}{body}");
        let mut reader = Reader::new(text.as_bytes());
        while reader.next_item().unwrap().is_some() {}
        reader.problems().iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_sound_envelope_has_no_problems() {
        assert!(problems(
            "GS*HP*A*B*20240101*1200*7*X*005010X221A1~ST*835*0001~BPR*I~SE*3*0001~GE*1*7~IEA*1*000000001~"
        )
        .is_empty());
    }

    #[test]
    fn reports_each_envelope_problem_where_it_is() {
        let cases = [
            (
                "GS*HP*A*B*1*1*7*X*V~ST*835*1~SE*3*1~GE*1*7~IEA*1*000000001~",
                "segment 4, element 1 (byte 138): SE01 says \"3\" but there are 2 segments from ST to SE",
            ),
            (
                "GS*HP*A*B*1*1*7*X*V~ST*835*1~SE*2*2~GE*1*7~IEA*1*000000001~",
                "SE02 control number '2' does not match ST02 '1' at segment 3",
            ),
            (
                "GS*HP*A*B*1*1*7*X*V~ST*835*1~SE*2*1~GE*2*8~IEA*1*000000001~",
                "GE01 says \"2\" but there are 1 transaction sets",
            ),
            (
                "GS*HP*A*B*1*1*7*X*V~ST*835*1~SE*2*1~GE*1*8~IEA*1*000000001~",
                "GE02 control number '8' does not match GS06 '7'",
            ),
            (
                "GS*HP*A*B*1*1*7*X*V~ST*835*1~SE*2*1~GE*1*7~IEA*3*000000002~",
                "IEA01 says \"3\" but there are 1 functional groups",
            ),
            (
                "GS*HP*A*B*1*1*7*X*V~ST*835*1~SE*2*1~GE*1*7~IEA*1*000000002~",
                "IEA02 control number '000000002' does not match ISA13",
            ),
            ("GS*HP*A*B*1*1*7*X*V~ST*835*1~BPR*I~", "the file ends inside a transaction set"),
            ("GS*HP*A*B*1*1*7*X*V~BPR*I~", "BPR appears outside a transaction set"),
            ("ST*835*1~SE*2*1~IEA*0*000000001~", "ST appears outside a functional group"),
        ];
        for (body, expected) in cases {
            let found = problems(body);
            assert!(found.iter().any(|p| p.contains(expected)), "{body}: {found:?}");
        }
    }

    #[test]
    fn ta1_may_sit_in_an_interchange() {
        assert!(problems("TA1*000000001*240101*1200*A*000~IEA*0*000000001~").is_empty());
    }
}
