//! One segment as the lexer hands it out: borrowed bytes, split into elements, with the
//! position it came from. Components and repetitions are split only when asked for.

use super::error::{ErrorKind, Position, X12Error};
use super::separators::Separators;

/// A segment borrowed from the reader's buffer, valid until the next segment is read.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// The identifier, checked by the lexer to be 2–3 capitals or digits.
    pub(crate) id: &'a str,
    pub(crate) data: &'a [u8],
    /// Start and end (exclusive) of each element in `data`; index 0 is the segment id.
    pub(crate) bounds: &'a [(u32, u32)],
    pub(crate) separators: Separators,
    pub(crate) index: u64,
    pub(crate) offset: u64,
}

impl<'a> Segment<'a> {
    /// The segment identifier (`ISA`, `CLP`, …), already checked to be 2–3 capitals/digits.
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// The number of elements after the identifier, including empty ones before the last.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    /// True when the segment has no elements after its identifier.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Element `n` (1-based, as the implementation guides number them) as raw bytes; empty
    /// when the segment is shorter.
    pub fn element(&self, n: usize) -> &'a [u8] {
        match self.bounds.get(n) {
            Some(&(start, end)) => &self.data[start as usize..end as usize],
            None => &[],
        }
    }

    /// Element `n` as text with surrounding blanks removed; an error when it is not UTF-8.
    pub fn text(&self, n: usize) -> Result<&'a str, X12Error> {
        self.as_text(n, self.element(n))
    }

    /// `bytes` (a part of element `n`) as text with surrounding blanks removed.
    pub fn as_text(&self, n: usize, bytes: &'a [u8]) -> Result<&'a str, X12Error> {
        std::str::from_utf8(bytes.trim_ascii()).map_err(|_| self.error(n, ErrorKind::NotText { element: self.name(n) }))
    }

    /// Element `n` with surrounding blanks removed, as bytes: for codes, amounts and dates,
    /// which are ASCII and need no text check.
    pub fn trimmed(&self, n: usize) -> &'a [u8] {
        self.element(n).trim_ascii()
    }

    /// The components of element `n`, split on the component separator.
    pub fn components(&self, n: usize) -> impl Iterator<Item = &'a [u8]> + 'a {
        let component = self.separators.component;
        self.element(n).split(move |&b| b == component)
    }

    /// Component `k` (1-based) of element `n` as text; empty when absent.
    pub fn component(&self, n: usize, k: usize) -> Result<&'a str, X12Error> {
        let bytes = self.components(n).nth(k.saturating_sub(1)).unwrap_or_default();
        self.as_text(n, bytes)
    }

    /// The repeats of element `n`, split on the repetition separator (one repeat when the
    /// interchange has none).
    pub fn repetitions(&self, n: usize) -> impl Iterator<Item = &'a [u8]> + 'a {
        let rep = self.separators.repetition;
        self.element(n).split(move |&b| Some(b) == rep)
    }

    /// The separators of the interchange this segment belongs to.
    pub fn separators(&self) -> Separators {
        self.separators
    }

    /// The segment's bytes without its terminator.
    pub fn raw(&self) -> &'a [u8] {
        self.data
    }

    /// Where element `n` (0 for the whole segment) is in the file.
    pub fn position(&self, n: usize) -> Position {
        let start = match self.bounds.get(n) {
            Some(&(start, _)) if n > 0 => u64::from(start),
            _ if n > 0 => self.data.len() as u64,
            _ => 0,
        };
        Position { segment: self.index, element: n.min(usize::from(u16::MAX)) as u16, byte: self.offset + start }
    }

    /// The guide's name of element `n`, like `CLP04`.
    pub fn name(&self, n: usize) -> String {
        format!("{}{n:02}", self.id())
    }

    /// A problem with element `n` of this segment.
    pub fn error(&self, n: usize, kind: ErrorKind) -> X12Error {
        X12Error::new(self.position(n), kind)
    }
}
