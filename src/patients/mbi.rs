//! Medicare Beneficiary Identifier: 11 characters in a fixed pattern of numeric, alphabetic
//! and alphanumeric positions (CMS, "Understanding the Medicare Beneficiary Identifier (MBI)
//! Format", 2018). Letters S, L, O, I, B and Z are never used, to avoid confusion with digits.

/// What each of the 11 positions may hold.
#[derive(Clone, Copy)]
enum Slot {
    /// 1–9.
    NonZero,
    /// 0–9.
    Numeric,
    /// A–Z less S, L, O, I, B, Z.
    Alpha,
    /// Numeric or alpha.
    AlphaNumeric,
}

const PATTERN: [Slot; 11] = {
    use Slot::*;
    [NonZero, Alpha, AlphaNumeric, Numeric, Alpha, AlphaNumeric, Numeric, Alpha, Alpha, Numeric, Numeric]
};

fn allowed_letter(c: u8) -> bool {
    c.is_ascii_uppercase() && !b"SLOIBZ".contains(&c)
}

/// Normalizes an MBI as typed (any case, the dashes of the printed card `1EG4-TE5-MK73`)
/// and checks it, returning the 11 characters or what is wrong.
pub fn parse_mbi(text: &str) -> Result<String, String> {
    let t = text.trim();
    let compact: String = t.chars().filter(|c| *c != '-' && *c != ' ').collect::<String>().to_ascii_uppercase();
    if compact.len() != 11 || !compact.is_ascii() {
        return Err(format!("MBI '{t}' must be 11 characters, like 1EG4-TE5-MK73"));
    }
    for (i, (c, slot)) in compact.bytes().zip(PATTERN).enumerate() {
        let ok = match slot {
            Slot::NonZero => (b'1'..=b'9').contains(&c),
            Slot::Numeric => c.is_ascii_digit(),
            Slot::Alpha => allowed_letter(c),
            Slot::AlphaNumeric => c.is_ascii_digit() || allowed_letter(c),
        };
        if !ok {
            let want = match slot {
                Slot::NonZero => "a digit 1-9",
                Slot::Numeric => "a digit",
                Slot::Alpha => "a letter other than S, L, O, I, B, Z",
                Slot::AlphaNumeric => "a digit or a letter other than S, L, O, I, B, Z",
            };
            return Err(format!("MBI '{t}': character {} must be {want}", i + 1));
        }
    }
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbi_table() {
        // The CMS example, printed with dashes and in lower case.
        assert_eq!(parse_mbi("1EG4-TE5-MK73").unwrap(), "1EG4TE5MK73");
        assert_eq!(parse_mbi("1eg4te5mk73").unwrap(), "1EG4TE5MK73");
        assert_eq!(parse_mbi("9AA0AA0AA00").unwrap(), "9AA0AA0AA00");
        for (bad, says) in [
            ("0EG4TE5MK73", "character 1 must be a digit 1-9"),
            ("1SG4TE5MK73", "character 2 must be a letter"),
            ("1EG4TE5MK7", "must be 11 characters"),
            ("1EGATE5MK73", "character 4 must be a digit"),
            ("1EG4TE5MK7O", "character 11 must be a digit"),
            ("1EG4TE5M173", "character 9 must be a letter"),
            ("1EG4TÉ5MK73", "must be 11 characters"),
        ] {
            let err = parse_mbi(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
