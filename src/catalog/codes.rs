//! HCPCS Level II codes and modifiers as claims carry them: a letter and four digits
//! (CMS HCPCS Level II coding procedures), and up to four two-character modifiers per line
//! (837P SV101-3..6, CMS-1500 box 24D).

/// At most four modifiers fit on a claim line.
pub const MAX_MODIFIERS: usize = 4;

/// Normalizes a HCPCS Level II code (`e0601` → `E0601`) or says what is wrong.
pub fn parse_hcpcs(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    let b = code.as_bytes();
    if b.len() == 5 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit) {
        Ok(code)
    } else {
        Err(format!("'{}' is not a HCPCS Level II code (a letter and 4 digits, like E0601)", text.trim()))
    }
}

/// Parses modifiers written `RR:KH`, `RR KH` or `RR,KH` into upper-case two-character codes,
/// keeping their order (the first modifier is the pricing modifier).
pub fn parse_modifiers(text: &str) -> Result<Vec<String>, String> {
    let mut mods: Vec<String> = Vec::new();
    for m in text.split([':', ',', ' ']).map(str::trim).filter(|m| !m.is_empty()) {
        let m = m.to_ascii_uppercase();
        if m.len() != 2 || !m.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("'{m}' is not a modifier (two letters or digits, like RR or KX)"));
        }
        if mods.contains(&m) {
            return Err(format!("modifier {m} is given twice"));
        }
        mods.push(m);
    }
    if mods.len() > MAX_MODIFIERS {
        return Err(format!("at most {MAX_MODIFIERS} modifiers fit on a claim line; {} were given", mods.len()));
    }
    Ok(mods)
}

/// The canonical stored form of a modifier list: colon-joined, `""` for none.
pub fn join_modifiers(mods: &[String]) -> String {
    mods.join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcpcs_table() {
        assert_eq!(parse_hcpcs(" e0601 ").unwrap(), "E0601");
        assert_eq!(parse_hcpcs("K0823").unwrap(), "K0823");
        for bad in ["", "E060", "E06011", "00601", "EE601", "E06O1"] {
            assert!(parse_hcpcs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn modifier_table() {
        assert_eq!(parse_modifiers("rr:kh").unwrap(), vec!["RR", "KH"]);
        assert_eq!(parse_modifiers("RR, KX  RT").unwrap(), vec!["RR", "KX", "RT"]);
        assert_eq!(parse_modifiers("").unwrap(), Vec::<String>::new());
        assert!(parse_modifiers("RRR").unwrap_err().contains("not a modifier"));
        assert!(parse_modifiers("RR:RR").unwrap_err().contains("twice"));
        assert!(parse_modifiers("RR:KH:KX:RT:LT").unwrap_err().contains("at most 4"));
        assert_eq!(join_modifiers(&parse_modifiers("NU KX").unwrap()), "NU:KX");
    }
}
