//! One segment as the lexer hands it out: borrowed bytes, split into elements, with the
//! position it came from. Components and repetitions are split only when asked for.

use super::error::{ErrorKind, Position, X12Error};
use super::separators::Separators;

/// A segment identifier packed into a number, so readers tell segments apart with one
/// integer comparison instead of a string comparison per candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Tag(u32);

impl Tag {
    /// The tag of `id` when it can be a segment identifier: 2–3 capitals or digits.
    pub fn from_id(id: &[u8]) -> Option<Tag> {
        let valid = (2..=3).contains(&id.len()) && id.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        valid.then(|| Tag::pack(id))
    }

    const fn pack(id: &[u8]) -> Tag {
        let third = if id.len() > 2 { id[2] } else { 0 };
        Tag(u32::from_le_bytes([id[0], id[1], third, 0]))
    }

    /// Interchange header.
    pub const ISA: Tag = Tag::pack(b"ISA");
    /// Interchange trailer.
    pub const IEA: Tag = Tag::pack(b"IEA");
    /// Functional group header.
    pub const GS: Tag = Tag::pack(b"GS");
    /// Functional group trailer.
    pub const GE: Tag = Tag::pack(b"GE");
    /// Transaction set header.
    pub const ST: Tag = Tag::pack(b"ST");
    /// Transaction set trailer.
    pub const SE: Tag = Tag::pack(b"SE");
    /// Interchange acknowledgment.
    pub const TA1: Tag = Tag::pack(b"TA1");
    /// Financial information (835 payment).
    pub const BPR: Tag = Tag::pack(b"BPR");
    /// Trace number.
    pub const TRN: Tag = Tag::pack(b"TRN");
    /// Currency.
    pub const CUR: Tag = Tag::pack(b"CUR");
    /// Reference identification.
    pub const REF: Tag = Tag::pack(b"REF");
    /// Date/time reference.
    pub const DTM: Tag = Tag::pack(b"DTM");
    /// Party name.
    pub const N1: Tag = Tag::pack(b"N1");
    /// Additional name.
    pub const N2: Tag = Tag::pack(b"N2");
    /// Address.
    pub const N3: Tag = Tag::pack(b"N3");
    /// City, state, ZIP.
    pub const N4: Tag = Tag::pack(b"N4");
    /// Contact.
    pub const PER: Tag = Tag::pack(b"PER");
    /// Remittance delivery method.
    pub const RDM: Tag = Tag::pack(b"RDM");
    /// Header number (835 claim grouping).
    pub const LX: Tag = Tag::pack(b"LX");
    /// Provider summary (institutional).
    pub const TS3: Tag = Tag::pack(b"TS3");
    /// Provider supplemental summary.
    pub const TS2: Tag = Tag::pack(b"TS2");
    /// Claim payment information.
    pub const CLP: Tag = Tag::pack(b"CLP");
    /// Claim adjustment.
    pub const CAS: Tag = Tag::pack(b"CAS");
    /// Individual or organizational name.
    pub const NM1: Tag = Tag::pack(b"NM1");
    /// Outpatient adjudication information.
    pub const MOA: Tag = Tag::pack(b"MOA");
    /// Inpatient adjudication information.
    pub const MIA: Tag = Tag::pack(b"MIA");
    /// Service payment information.
    pub const SVC: Tag = Tag::pack(b"SVC");
    /// Monetary amount.
    pub const AMT: Tag = Tag::pack(b"AMT");
    /// Industry code (remarks).
    pub const LQ: Tag = Tag::pack(b"LQ");
    /// Provider-level adjustment.
    pub const PLB: Tag = Tag::pack(b"PLB");
}

/// A segment borrowed from the reader's input, valid until the next segment is read.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// The identifier packed, for matching (the lexer checked it is 2–3 capitals or digits).
    pub(crate) tag: Tag,
    pub(crate) data: &'a [u8],
    /// Start and end (exclusive) of each element in `data`; index 0 is the segment id.
    pub(crate) bounds: &'a [(u32, u32)],
    pub(crate) separators: Separators,
    /// True when the lexer found no byte outside ASCII in `data`.
    pub(crate) ascii: bool,
    pub(crate) index: u64,
    pub(crate) offset: u64,
}

impl<'a> Segment<'a> {
    /// The segment identifier (`ISA`, `CLP`, …), already checked to be 2–3 capitals/digits.
    pub fn id(&self) -> &'a str {
        std::str::from_utf8(self.element(0)).unwrap_or_default()
    }

    /// The identifier as a [`Tag`], for matching without string comparisons.
    #[inline]
    pub fn tag(&self) -> Tag {
        self.tag
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
    #[inline]
    pub fn element(&self, n: usize) -> &'a [u8] {
        match self.bounds.get(n) {
            Some(&(start, end)) => &self.data[start as usize..end as usize],
            None => &[],
        }
    }

    /// Element `n` as text with surrounding blanks removed; an error when it is not UTF-8.
    #[inline]
    pub fn text(&self, n: usize) -> Result<&'a str, X12Error> {
        self.as_text(n, self.element(n))
    }

    /// `bytes` (a part of element `n`) as text with surrounding blanks removed. Nearly every
    /// segment is plain ASCII, which the lexer noted while finding its end, so the text
    /// needs no check of its own.
    #[inline]
    pub fn as_text(&self, n: usize, bytes: &'a [u8]) -> Result<&'a str, X12Error> {
        let bytes = bytes.trim_ascii();
        let within = self.data.as_ptr_range();
        if self.ascii && within.start <= bytes.as_ptr() && bytes.as_ptr_range().end <= within.end {
            // SAFETY: `bytes` lies within `data`, whose every byte is ASCII, which is UTF-8.
            return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
        }
        std::str::from_utf8(bytes).map_err(|_| self.error(n, ErrorKind::NotText { element: self.name(n) }))
    }

    /// Element `n` with surrounding blanks removed, as bytes: for codes, amounts and dates,
    /// which are ASCII and need no text check.
    #[inline]
    pub fn trimmed(&self, n: usize) -> &'a [u8] {
        self.element(n).trim_ascii()
    }

    /// The components of element `n`, split on the component separator.
    #[inline]
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
    #[inline]
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
