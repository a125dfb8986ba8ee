//! The four separators of an interchange, read from its ISA header.
//!
//! X12 has no fixed delimiters: every interchange declares its own in the ISA segment, which
//! is the one segment of fixed width (106 bytes including its terminator):
//!
//! ```text
//! ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~
//!    ^ element separator (byte 3)                         repetition (ISA11) ^            component (ISA16) ^^ segment terminator (byte 105)
//! ```
//!
//! The repetition separator only exists from version 00501 on: before it, and whenever ISA11
//! holds a letter or digit (many 5010 senders still write the 4010 value `U` there), there is
//! none, and a `U` in the data is just a `U`.

use super::error::{ErrorKind, Position, X12Error};

/// Length of the ISA segment including its terminator.
pub const ISA_LEN: usize = 106;

/// Width of each ISA element, ISA01 to ISA16.
const ISA_WIDTHS: [usize; 16] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

/// The delimiters an interchange uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separators {
    /// Between elements (ISA byte 3), usually `*`.
    pub element: u8,
    /// Between repeats of one element (ISA11), usually `^`; `None` before 00501.
    pub repetition: Option<u8>,
    /// Between the parts of a composite element (ISA16), usually `:`.
    pub component: u8,
    /// After each segment (the byte after ISA16), usually `~`.
    pub segment: u8,
}

impl Default for Separators {
    /// The separators most senders use: `*`, `^`, `:` and `~`.
    fn default() -> Separators {
        Separators { element: b'*', repetition: Some(b'^'), component: b':', segment: b'~' }
    }
}

impl Separators {
    /// Reads the separators from a complete ISA header (`ISA_LEN` bytes starting with `ISA`);
    /// `at` is the position of the header, used for errors.
    pub fn from_isa(header: &[u8], at: Position) -> Result<Separators, X12Error> {
        let damaged = |element: u16, byte: usize, detail: String| {
            X12Error::new(Position { element, byte: at.byte + byte as u64, ..at }, ErrorKind::Isa { detail })
        };
        if header.len() < ISA_LEN {
            return Err(damaged(
                0,
                0,
                format!("the file ends after {} of the 106 characters of the ISA segment", header.len()),
            ));
        }
        let element = header[3];
        if !usable(element) {
            return Err(damaged(0, 3, format!("'{}' cannot be the element separator", shown(element))));
        }
        let component = header[104];
        let segment = header[105];
        if !usable(component) || component == element {
            return Err(damaged(16, 104, format!("'{}' cannot be the component separator (ISA16)", shown(component))));
        }
        if segment == element || segment == component || segment.is_ascii_alphanumeric() || segment == b' ' {
            return Err(damaged(0, 105, format!("'{}' after ISA16 cannot be the segment terminator", shown(segment))));
        }
        // Walk the fixed-width fields: each must end exactly where the next separator is.
        let mut start = 4;
        for (i, width) in ISA_WIDTHS.iter().enumerate() {
            let number = i as u16 + 1;
            let end = start + width;
            let found =
                header[start..ISA_LEN - 1].iter().position(|&b| b == element).map_or(ISA_LEN - 1, |p| start + p);
            let last = number == 16;
            if (!last && found != end) || (last && found < end) {
                let value = String::from_utf8_lossy(&header[start..found.min(ISA_LEN - 1)]).into_owned();
                return Err(damaged(
                    number,
                    start,
                    format!("ISA{number:02} must be exactly {width} characters (padded with spaces) but is '{value}'; the ISA is fixed-width"),
                ));
            }
            start = end + 1;
        }
        let version = &header[84..89];
        let isa11 = header[82];
        let repetition = if version < b"00501".as_slice() || !usable(isa11) {
            None
        } else if isa11 == element || isa11 == component || isa11 == segment {
            return Err(damaged(
                11,
                82,
                format!(
                    "the repetition separator (ISA11) '{}' is the same character as another separator",
                    shown(isa11)
                ),
            ));
        } else {
            Some(isa11)
        };
        Ok(Separators { element, repetition, component, segment })
    }
}

/// True when `b` may serve as an element, component or repetition separator: a visible
/// character or control character, never a letter, digit or space.
fn usable(b: u8) -> bool {
    !(b.is_ascii_alphanumeric() || b == b' ')
}

/// A separator as a person reads it in a message.
pub(crate) fn shown(b: u8) -> String {
    match b {
        b'\r' => "CR".to_string(),
        b'\n' => "LF".to_string(),
        b if b.is_ascii_graphic() => (b as char).to_string(),
        b => format!("0x{b:02X}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &[u8] =
        b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~";

    fn with(at: usize, b: u8) -> Vec<u8> {
        let mut h = ISA.to_vec();
        h[at] = b;
        h
    }

    fn detail(h: &[u8]) -> String {
        Separators::from_isa(h, Position::default()).unwrap_err().to_string()
    }

    #[test]
    fn reads_the_usual_separators() {
        assert_eq!(Separators::from_isa(ISA, Position::default()).unwrap(), Separators::default());
    }

    #[test]
    fn u_or_old_versions_mean_no_repetition_separator() {
        assert_eq!(Separators::from_isa(&with(82, b'U'), Position::default()).unwrap().repetition, None);
        let mut old = ISA.to_vec();
        old[84..89].copy_from_slice(b"00401");
        assert_eq!(Separators::from_isa(&old, Position::default()).unwrap().repetition, None);
    }

    #[test]
    fn refuses_damaged_headers() {
        assert!(detail(&ISA[..50]).contains("ends after 50 of the 106"));
        assert!(detail(&with(3, b'A')).contains("element separator"));
        assert!(detail(&with(104, b'*')).contains("component separator"));
        assert!(detail(&with(105, b':')).contains("segment terminator"));
        assert!(detail(&with(82, b':')).contains("ISA11"));
        let mut short = ISA.to_vec();
        short.remove(40);
        short.insert(60, b' ');
        let message = detail(&short);
        assert!(message.contains("ISA06 must be exactly 15"), "{message}");
        assert!(message.starts_with("segment 0, element 6 (byte 35)"), "{message}");
    }
}
