//! [`Code`]: a short X12 code value (an adjustment reason, a remark, a modifier, a qualifier)
//! held inline, so a remittance with millions of them does not allocate for each one.

use super::error::X12Error;
use super::segment::Segment;
use super::value::invalid;
use serde::{Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

/// At most this many bytes: the longest code value read here (RARC, CARC, HCPCS modifier,
/// claim filing indicator, revenue code) is 5, and X12 ID elements stop at 15.
const CAPACITY: usize = 15;

/// A code of up to 15 ASCII characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Code {
    /// The length, then the code, padded with zeros: one 16-byte value, built in a register
    /// and stored at once (bytes stored one at a time stall the wider loads that copy the
    /// code on, which cost more than reading the element).
    bytes: [u8; CAPACITY + 1],
}

impl Code {
    /// The code in `text`, `None` when it is longer than a code can be or not ASCII.
    pub fn new(text: &str) -> Option<Code> {
        Code::from_bytes(text.as_bytes())
    }

    /// The code in `raw`, `None` when it is longer than a code can be or not ASCII.
    #[inline]
    pub fn from_bytes(raw: &[u8]) -> Option<Code> {
        if raw.len() > CAPACITY {
            return None;
        }
        let mut packed = raw.len() as u128;
        for (i, &b) in raw.iter().enumerate() {
            if !b.is_ascii() {
                return None;
            }
            packed |= u128::from(b) << (8 * (i + 1));
        }
        Some(Code { bytes: packed.to_le_bytes() })
    }

    /// Reads `text` (taken from element `n` of `seg`) as a code, with a positioned problem
    /// when it cannot be one.
    pub fn read(seg: &Segment<'_>, n: usize, text: &str) -> Result<Code, X12Error> {
        Code::read_bytes(seg, n, text.as_bytes())
    }

    /// [`Code::read`] from raw bytes (a component or trimmed element).
    #[inline]
    pub fn read_bytes(seg: &Segment<'_>, n: usize, raw: &[u8]) -> Result<Code, X12Error> {
        Code::from_bytes(raw).ok_or_else(|| {
            invalid(
                seg,
                n,
                &String::from_utf8_lossy(raw),
                "is longer than 15 characters or not plain ASCII, so it is not a code",
            )
        })
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        let len = usize::from(self.bytes[0]);
        std::str::from_utf8(self.bytes.get(1..=len).unwrap_or_default()).unwrap_or_default()
    }
}

impl Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_short_ascii_codes_only() {
        assert_eq!(Code::new("MA130").unwrap(), "MA130");
        assert_eq!(Code::new("").unwrap().as_str(), "");
        assert!(Code::new("1234567890123456").is_none());
        assert!(Code::new("é").is_none());
        assert_eq!(Code::new("123456789012345").unwrap().as_str(), "123456789012345");
        assert!(Code::new("B") < Code::new("AA"), "shorter codes sort first, as before");
    }
}
