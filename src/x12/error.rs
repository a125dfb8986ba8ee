//! Errors and problems found in X12 files, each with the position it was found at.
//!
//! One type, [`X12Error`], serves both as the error that stops reading (the file is not X12,
//! a segment never ends, the disk failed) and as a *problem* collected while reading goes on
//! (a control number that does not match, an amount that is not an amount, a remittance that
//! does not balance). Either way the message starts with where it is: the segment number
//! within the file (the first ISA is segment 1), the element (0 for the whole segment) and the
//! byte offset, so a biller can open the file in any editor and find it.

use crate::money::Money;
use serde::Serialize;
use std::fmt;

/// Where in a file something was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Position {
    /// 1-based number of the segment within the file, counting every segment of every
    /// interchange (the first ISA is 1).
    pub segment: u64,
    /// 1-based element number within the segment, or 0 when the whole segment is meant.
    pub element: u16,
    /// Offset in bytes from the start of the file (a UTF-8 byte-order mark counts) of the
    /// element, or of the segment when `element` is 0.
    pub byte: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "segment {}", self.segment)?;
        if self.element > 0 {
            write!(f, ", element {}", self.element)?;
        }
        write!(f, " (byte {})", self.byte)
    }
}

/// What went wrong at a [`Position`]; the message reads in words a biller understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct X12Error {
    /// Where the problem is.
    pub at: Position,
    /// What the problem is.
    pub kind: ErrorKind,
}

impl fmt::Display for X12Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.kind)
    }
}

impl std::error::Error for X12Error {}

/// For programs: the position, the kind with its details, and the message as printed.
impl Serialize for X12Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("X12Error", 3)?;
        out.serialize_field("at", &self.at)?;
        out.serialize_field("kind", &self.kind)?;
        out.serialize_field("message", &self.to_string())?;
        out.end()
    }
}

/// The kinds of problem an X12 file can have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file could not be read.
    #[error("the file could not be read: {message}")]
    Io { message: String },
    /// The file is UTF-16 text; X12 is single-byte text.
    #[error("the file is UTF-16 text; X12 files must be plain ASCII (save it again as ANSI or UTF-8)")]
    Utf16,
    /// The file holds nothing but blank space.
    #[error("the file is empty")]
    Empty,
    /// The first segment is not ISA, so the separators cannot be known.
    #[error("the file does not start with an ISA interchange header (it starts with '{found}'), so it is not a complete X12 file")]
    NoIsa { found: String },
    /// The ISA header is not the fixed-width 106-character segment X12 requires.
    #[error("the ISA header is damaged: {detail}")]
    Isa { detail: String },
    /// A segment runs on past the longest segment this reader accepts.
    #[error("a segment runs on for more than {limit} bytes without a '{terminator}' segment terminator")]
    SegmentTooLong { limit: usize, terminator: String },
    /// A segment starts with something that is not a segment identifier.
    #[error("'{found}' is not a segment identifier (2 or 3 capital letters or digits); a separator or terminator may be missing")]
    BadSegmentId { found: String },
    /// An element holds bytes that are not text.
    #[error("{element} is not readable text")]
    NotText { element: String },
    /// The envelope (ISA/GS/ST … SE/GE/IEA) is broken: order, counts or control numbers.
    #[error("{detail}")]
    Envelope { detail: String },
    /// The file ends where more was expected.
    #[error("the file ends {detail}")]
    UnexpectedEnd { detail: String },
    /// A required element is empty or missing.
    #[error("{element} ({what}) is required but missing")]
    Missing { element: String, what: String },
    /// An element holds a value that is not allowed there.
    #[error("{element} '{value}' {why}")]
    Invalid { element: String, value: String, why: String },
    /// A segment appears where the transaction does not allow it.
    #[error("{segment} is not expected here: {why}")]
    Unexpected { segment: String, why: String },
    /// A remittance total does not add up.
    #[error("{rule}: expected {expected}, found {found}")]
    Unbalanced { rule: String, expected: Money, found: Money },
}

impl X12Error {
    /// Builds an error at `at`.
    pub fn new(at: Position, kind: ErrorKind) -> X12Error {
        X12Error { at, kind }
    }

    /// A file that cannot be opened or read at all, placed at its start.
    pub fn io(e: &std::io::Error) -> X12Error {
        X12Error::new(Position::default(), ErrorKind::Io { message: e.to_string() })
    }
}
