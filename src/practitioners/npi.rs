//! National Provider Identifier: 10 digits whose last is a Luhn check digit computed over
//! the prefix "80840" followed by the first nine digits (CMS, "Requirements for NPI check
//! digit", 45 CFR 162.406; the ISO 7812 card-issuer prefix 80840 identifies US health).

use std::fmt;

/// A National Provider Identifier that passed the format and check-digit test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Npi(String);

impl Npi {
    /// Parses an NPI, saying precisely what is wrong when it is not one.
    pub fn parse(text: &str) -> Result<Npi, String> {
        let t = text.trim();
        if t.len() != 10 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("NPI '{t}' must be exactly 10 digits"));
        }
        if !t.starts_with('1') && !t.starts_with('2') {
            return Err(format!("NPI {t} must start with 1 or 2"));
        }
        let expected = check_digit(&t[..9]);
        let given = t.as_bytes()[9] - b'0';
        if given != expected {
            return Err(format!(
                "NPI {t} is not valid: its check digit should be {expected}, not {given} (typing error?)"
            ));
        }
        Ok(Npi(t.to_string()))
    }

    /// Completes nine digits with their check digit (for generated test and demo data).
    pub fn from_first_nine(first_nine: u32) -> Npi {
        let nine = format!("{:09}", first_nine % 1_000_000_000);
        let check = check_digit(&nine);
        Npi(format!("{nine}{check}"))
    }

    /// The ten digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Luhn check digit for nine NPI digits, prefixed with 80840.
fn check_digit(first_nine: &str) -> u8 {
    let digits = "80840".bytes().chain(first_nine.bytes()).map(|b| u32::from(b - b'0'));
    // Walking from the right, the digit next to the (missing) check digit is doubled first.
    let sum: u32 = digits
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_table() {
        // The CMS example NPI, and real-shaped ones computed by hand.
        for good in ["1234567893", "1245319599", "1003000126", "2000000002", "1987654328"] {
            assert!(Npi::parse(good).is_ok(), "{good}");
        }
        for (bad, says) in [
            ("1234567890", "check digit should be 3"),
            ("2000000004", "check digit should be 2"),
            ("123456789", "exactly 10 digits"),
            ("12345678901", "exactly 10 digits"),
            ("12345X7893", "exactly 10 digits"),
            ("3234567893", "start with 1 or 2"),
            ("", "exactly 10 digits"),
        ] {
            let err = Npi::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
        assert_eq!(Npi::from_first_nine(123_456_789).as_str(), "1234567893");
        assert!(Npi::parse(Npi::from_first_nine(198_765_432).as_str()).is_ok());
    }
}
