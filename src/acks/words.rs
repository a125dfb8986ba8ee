//! Acknowledgment codes in words: the 999's segment, element and set error codes (fixed by
//! the X12 standard, so kept here) and the 277CA claim status codes (shipped in
//! `assets/claim_status.csv`, which a supplier may extend).

use crate::x12::ack277ca::{Status, StatusCode, Verdict};
use crate::x12::ack999::{SegmentError, SetAck};
use std::collections::HashMap;
use std::sync::OnceLock;

const CLAIM_STATUS_CSV: &str = include_str!("../../assets/claim_status.csv");

/// IK304: why a segment is in error.
fn segment_error(code: &str) -> &'static str {
    match code {
        "1" => "unrecognized segment",
        "2" => "unexpected segment",
        "3" => "required segment missing",
        "4" => "loop occurs more often than allowed",
        "5" => "segment occurs more often than allowed",
        "6" => "segment not in the transaction set",
        "7" => "segment out of order",
        "8" => "segment has data element errors",
        "I4" => "segment not used by the implementation guide",
        "I6" => "segment the implementation guide requires here is missing",
        "I7" => "loop occurs fewer times than the implementation guide requires",
        "I8" => "segment occurs fewer times than the implementation guide requires",
        "I9" => "segment the implementation guide does not use here is present",
        _ => "segment error",
    }
}

/// IK403: why an element is in error.
fn element_error(code: &str) -> &'static str {
    match code {
        "1" => "required element missing",
        "2" => "conditionally required element missing",
        "3" => "too many elements",
        "4" => "value too short",
        "5" => "value too long",
        "6" => "invalid character",
        "7" => "invalid code value",
        "8" => "invalid date",
        "9" => "invalid time",
        "10" => "element not allowed with another element present",
        "12" => "too many repetitions",
        "13" => "too many components",
        "I6" => "code value not used by the implementation guide",
        "I9" => "element the implementation guide requires here is missing",
        "I10" => "element not used by the implementation guide",
        "I11" => "too few repetitions",
        "I12" => "value does not match the required pattern",
        "I13" => "element the implementation guide does not use here is present",
        _ => "element error",
    }
}

/// IK502–IK506: why a whole transaction set is in error.
fn set_error(code: &str) -> &'static str {
    match code {
        "1" => "transaction set not supported",
        "2" => "transaction set trailer missing",
        "3" => "ST and SE control numbers differ",
        "4" => "segment count in SE is wrong",
        "5" => "one or more segments in error",
        "6" => "missing or invalid transaction set identifier",
        "7" => "missing or invalid transaction set control number",
        "23" => "transaction set control number used twice in the group",
        "I5" => "one or more segments in error against the implementation guide",
        "I6" => "implementation guide not supported",
        _ => "transaction set error",
    }
}

/// One IK3 with its IK4s in words.
fn segment_in_words(e: &SegmentError) -> String {
    let mut text = format!("{} segment", e.segment_id);
    if let Some(p) = e.position {
        text.push_str(&format!(" #{p}"));
    }
    if !e.loop_id.is_empty() {
        text.push_str(&format!(" in loop {}", e.loop_id));
    }
    text.push_str(&format!(": {}", segment_error(e.code.as_str())));
    for el in &e.element_errors {
        let (element, component) = el.position.split_once(':').unwrap_or((el.position.as_str(), ""));
        let element = element.parse::<u32>().map_or_else(|_| element.to_string(), |n| format!("{n:02}"));
        let component = if component.is_empty() { String::new() } else { format!("-{component}") };
        text.push_str(&format!("; {}{element}{component} {}", e.segment_id, element_error(el.code.as_str())));
        if !el.bad_value.is_empty() {
            text.push_str(&format!(" ('{}')", el.bad_value));
        }
    }
    text
}

/// Everything a 999 says is wrong with one of our transaction sets, in words.
pub fn set_errors(set: &SetAck) -> String {
    let mut parts: Vec<String> = set.segment_errors.iter().map(segment_in_words).collect();
    parts.extend(set.error_codes.iter().map(|c| set_error(c.as_str()).to_string()));
    parts.dedup();
    parts.join("; ")
}

struct StatusWords {
    category: HashMap<String, String>,
    status: HashMap<String, String>,
    entity: HashMap<String, String>,
}

fn status_words() -> &'static StatusWords {
    static WORDS: OnceLock<StatusWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = StatusWords { category: HashMap::new(), status: HashMap::new(), entity: HashMap::new() };
        for row in csv::Reader::from_reader(CLAIM_STATUS_CSV.as_bytes()).into_records().filter_map(Result::ok) {
            let (Some(kind), Some(code), Some(text)) = (row.get(0), row.get(1), row.get(2)) else { continue };
            let table = match kind {
                "category" => &mut words.category,
                "status" => &mut words.status,
                _ => &mut words.entity,
            };
            table.insert(code.to_string(), text.to_string());
        }
        words
    })
}

/// One STC code triple in words: `A7:164:IL rejected for invalid information: the entity's
/// contract/member number (subscriber)`.
pub fn status_code(code: &StatusCode) -> String {
    let w = status_words();
    let category = code.category.as_str();
    let status = code.status.as_str();
    let mut text = category.to_string();
    for part in [status, code.entity.as_str()] {
        if !part.is_empty() {
            text.push(':');
            text.push_str(part);
        }
    }
    let described = |table: &HashMap<String, String>, c: &str, what: &str| {
        table.get(c).cloned().unwrap_or_else(|| format!("{what} {c} (not in the shipped list)"))
    };
    text.push_str(&format!(
        " {}: {}",
        described(&w.category, category, "category"),
        described(&w.status, status, "status")
    ));
    if !code.entity.is_empty() {
        text.push_str(&format!(" ({})", described(&w.entity, code.entity.as_str(), "entity")));
    }
    text
}

/// An STC in words: the codes that decide its verdict (all of them when none rejects), and
/// its free-text message.
pub fn status(s: &Status) -> String {
    let rejecting: Vec<&StatusCode> = s.codes.iter().filter(|c| c.verdict() == Verdict::Rejected).collect();
    let shown: Vec<&StatusCode> = if rejecting.is_empty() { s.codes.iter().collect() } else { rejecting };
    let mut text = shown.into_iter().map(status_code).collect::<Vec<_>>().join("; ");
    if !s.message.is_empty() {
        text.push_str(&format!(" — {}", s.message));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x12::Code;

    fn code(category: &str, status: &str, entity: &str) -> StatusCode {
        StatusCode {
            category: Code::new(category).unwrap(),
            status: Code::new(status).unwrap(),
            entity: Code::new(entity).unwrap(),
        }
    }

    #[test]
    fn status_codes_read_in_words_and_unknown_ones_say_so() {
        assert_eq!(
            status_code(&code("A7", "164", "IL")),
            "A7:164:IL Rejected for invalid information: The entity's contract/member number (subscriber)"
        );
        assert_eq!(
            status_code(&code("A3", "9999", "")),
            "A3:9999 Returned as unprocessable: rejected before adjudication: status 9999 (not in the shipped list)"
        );
    }

    #[test]
    fn a_status_names_only_its_rejecting_codes() {
        let s = Status { codes: vec![code("A1", "19", "PR"), code("A7", "562", "85")], ..Status::default() };
        let text = status(&s);
        assert!(text.starts_with("A7:562:85 ") && !text.contains("A1"), "{text}");
    }
}
