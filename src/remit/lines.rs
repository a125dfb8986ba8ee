//! Which of a claim's lines an 835 service line pays: by REF*6R first, then by procedure and
//! date of service, tolerating the modifiers a payer drops or reorders (SVC06).

use crate::x12::remit835::ServiceLine;
use chrono::NaiveDate;

/// What matching needs of a claim line on file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BilledLine {
    pub id: i64,
    pub control_number: String,
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// How closely an adjudicated procedure's modifiers agree with the billed ones.
fn modifier_fit(billed: &[String], paid: &[&str]) -> Option<u8> {
    let mut billed_sorted: Vec<&str> = billed.iter().map(String::as_str).collect();
    let mut paid_sorted = paid.to_vec();
    billed_sorted.sort_unstable();
    paid_sorted.sort_unstable();
    if billed_sorted == paid_sorted {
        Some(0)
    } else if paid.iter().all(|m| billed.iter().any(|b| b == m)) {
        Some(1)
    } else {
        None
    }
}

/// The index in `lines` of the line `svc` pays, among those not `taken` yet.
pub(crate) fn find(lines: &[BilledLine], taken: &[bool], svc: &ServiceLine) -> Option<usize> {
    let free = |i: &usize| !taken[*i];
    if !svc.control_number.is_empty() {
        if let Some(i) = (0..lines.len()).filter(free).find(|&i| lines[i].control_number == svc.control_number) {
            return Some(i);
        }
    }
    let procedure = svc.billed_procedure.as_ref().unwrap_or(&svc.procedure);
    let modifiers: Vec<&str> = procedure.modifiers.iter().map(|m| m.as_str()).collect();
    let date = svc.service_date.or(svc.period_start);
    let on_date = |l: &BilledLine| date.is_none_or(|d| l.from <= d && d <= l.to);
    (0..lines.len())
        .filter(free)
        .filter(|&i| lines[i].hcpcs == procedure.code && on_date(&lines[i]))
        .filter_map(|i| modifier_fit(&lines[i].modifiers, &modifiers).map(|fit| (fit, i)))
        .min()
        .map(|(_, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x12::remit835::Procedure;
    use crate::x12::Code;

    fn billed(id: i64, hcpcs: &str, modifiers: &[&str], day: u32) -> BilledLine {
        let date = NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        BilledLine {
            id,
            control_number: format!("L{id}"),
            hcpcs: hcpcs.into(),
            modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
            from: date,
            to: date,
        }
    }

    fn svc(control: &str, hcpcs: &str, modifiers: &[&str], day: u32) -> ServiceLine {
        ServiceLine {
            control_number: control.into(),
            procedure: Procedure {
                qualifier: Code::new("HC").unwrap(),
                code: hcpcs.into(),
                modifiers: modifiers.iter().map(|m| Code::new(m).unwrap()).collect(),
            },
            service_date: NaiveDate::from_ymd_opt(2026, 10, day),
            ..ServiceLine::default()
        }
    }

    #[test]
    fn control_number_first_then_procedure_and_date() {
        let lines = [billed(1, "E0601", &["RR", "KX"], 1), billed(2, "A7030", &["NU"], 1)];
        let none = [false, false];
        assert_eq!(find(&lines, &none, &svc("L2", "E0601", &[], 9)), Some(1));
        assert_eq!(find(&lines, &none, &svc("", "E0601", &["KX", "RR"], 1)), Some(0), "reordered");
        assert_eq!(find(&lines, &none, &svc("", "E0601", &["RR"], 1)), Some(0), "dropped");
        assert_eq!(find(&lines, &none, &svc("", "E0601", &["RR", "GA"], 1)), None, "added");
        assert_eq!(find(&lines, &none, &svc("", "E0601", &["RR"], 2)), None, "other date");
        assert_eq!(find(&lines, &[true, false], &svc("L1", "E0601", &["RR", "KX"], 1)), None, "taken");
    }

    #[test]
    fn exact_modifiers_win_over_dropped_ones() {
        let lines = [billed(1, "E0601", &["RR", "KX"], 1), billed(2, "E0601", &["RR"], 1)];
        assert_eq!(find(&lines, &[false, false], &svc("", "E0601", &["RR"], 1)), Some(1));
    }
}
