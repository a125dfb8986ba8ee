//! ICD-10-CM diagnosis code format: a letter, a digit, a letter or digit, then optionally a
//! dot and one to four more letters or digits (CDC/NCHS ICD-10-CM Official Guidelines,
//! section I.A.3). This checks the shape, not membership in the current code set.

/// Normalizes a diagnosis code as typed (`j449`, `J44.9`) to the dotted form `J44.9`, or
/// says what is wrong.
pub fn parse_icd10(text: &str) -> Result<String, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let (category, rest) = match upper.split_once('.') {
        Some((c, r)) => (c.to_string(), r.to_string()),
        None if upper.len() > 3 && upper.is_ascii() => (upper[..3].to_string(), upper[3..].to_string()),
        None => (upper.clone(), String::new()),
    };
    let c = category.as_bytes();
    let shape_ok = c.len() == 3
        && c[0].is_ascii_uppercase()
        && c[1].is_ascii_digit()
        && c[2].is_ascii_alphanumeric()
        && rest.len() <= 4
        && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        && !(upper.contains('.') && rest.is_empty());
    if !shape_ok {
        return Err(format!("'{t}' is not an ICD-10-CM code (like E11.9 or J44.1)"));
    }
    Ok(if rest.is_empty() { category } else { format!("{category}.{rest}") })
}

/// The code as X12 HI segments carry it: without the dot.
pub fn x12_form(code: &str) -> String {
    code.replace('.', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd10_table() {
        for (input, canonical) in [
            ("J44.9", "J44.9"),
            ("j449", "J44.9"),
            ("E11", "E11"),
            ("G47.33", "G47.33"),
            ("S72.001A", "S72.001A"),
            ("M1A.0710", "M1A.0710"),
            ("Z99.81", "Z99.81"),
        ] {
            assert_eq!(parse_icd10(input).unwrap(), canonical, "{input}");
        }
        for bad in ["", "44.9", "J4", "JJ4.9", "J44.", "J44.12345", "J44-9", "J44.9!"] {
            assert!(parse_icd10(bad).is_err(), "{bad}");
        }
        assert_eq!(x12_form("G47.33"), "G4733");
    }
}
