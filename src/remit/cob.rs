//! Coordination of benefits: what an earlier payer's standing posting says about a claim, for
//! the next payer's claim (837P loops 2320 CAS/AMT and 2430 SVD/CAS/DTP*573/AMT).

use super::RemitError;
use crate::claims::x837::Adjustment;
use crate::money::Money;
use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

/// A claim's standing posting (reversed postings and reversals left out), summed over every
/// 835 that still stands on it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// What the payer paid on the claim (2320 AMT*D).
    pub paid: Money,
    /// Claim-level adjustments (835 loop 2100 CAS).
    pub adjustments: Vec<Adjustment>,
    /// Each adjudicated service line (835 loop 2110), in the order posted.
    pub lines: Vec<PostedLine>,
}

/// One service line as the payer adjudicated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostedLine {
    /// The position on the adjudicated claim of the line it matched; `None` when posting
    /// matched no line of ours.
    pub position: Option<i64>,
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    pub paid: Money,
    /// SVC05, the units paid, when the payer gave them.
    pub units: Option<Decimal>,
    pub adjustments: Vec<Adjustment>,
    /// The payment date (BPR16), or the day the 835 was imported when it has none.
    pub paid_on: NaiveDate,
}

impl Standing {
    /// Σ PR adjustments, claim and lines: what the payer left to the patient (AMT*EAF).
    pub fn patient_liability(&self) -> Money {
        patient_share(&self.adjustments) + self.lines.iter().map(PostedLine::patient_liability).sum::<Money>()
    }

    /// Every adjustment, claim and lines, one per group and reason: the claim-level view
    /// when the lines cannot be reported one by one.
    pub fn all_adjustments(&self) -> Vec<Adjustment> {
        let mut all: Vec<Adjustment> = Vec::new();
        for a in self.adjustments.iter().chain(self.lines.iter().flat_map(|l| &l.adjustments)) {
            match all.iter_mut().find(|b| b.group == a.group && b.reason == a.reason) {
                Some(b) => b.amount += a.amount,
                None => all.push(a.clone()),
            }
        }
        all
    }
}

impl PostedLine {
    /// Σ PR adjustments on the line.
    pub fn patient_liability(&self) -> Money {
        patient_share(&self.adjustments)
    }
}

fn patient_share(adjustments: &[Adjustment]) -> Money {
    adjustments.iter().filter(|a| a.group == "PR").map(|a| a.amount).sum()
}

/// The standing posting on claim `claim_id`; `None` while none stands (never posted, or
/// every posting reversed). One query for the whole claim: each line with its adjustments,
/// then the claim-level adjustments.
pub fn standing(conn: &Connection, claim_id: i64) -> Result<Option<Standing>, RemitError> {
    let mut stmt = conn.prepare_cached(
        "WITH standing AS (
             SELECT a.id, a.paid, COALESCE(p.paid_on, substr(f.imported_at, 1, 10)) AS paid_on
             FROM claim_adjudications a
             JOIN payments p ON p.id = a.payment_id
             JOIN remit_files f ON f.id = p.file_id
             -- `+` keeps SQLite on the claim's index rather than reverses_id, NULL on every
             -- posting that is not a reversal.
             WHERE a.claim_id = ?1 AND +a.reverses_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM claim_adjudications r WHERE r.reverses_id = a.id))
         SELECT s.id, s.paid, s.paid_on, l.id, cl.position, l.hcpcs, l.modifiers, l.paid, l.units_paid,
                x.group_code, x.reason, x.amount, x.id
         FROM standing s
         JOIN line_adjudications l ON l.adjudication_id = s.id
         LEFT JOIN claim_lines cl ON cl.id = l.claim_line_id
         LEFT JOIN remit_adjustments x ON x.line_adjudication_id = l.id
         UNION ALL
         SELECT s.id, s.paid, s.paid_on, NULL, NULL, NULL, NULL, NULL, NULL, x.group_code, x.reason, x.amount, x.id
         FROM standing s
         LEFT JOIN remit_adjustments x ON x.adjudication_id = s.id AND x.line_adjudication_id IS NULL
         ORDER BY 1, 4, 13",
    )?;
    let mut rows = stmt.query([claim_id])?;
    let mut result: Option<Standing> = None;
    let (mut adjudication, mut line) = (None, None);
    while let Some(r) = rows.next()? {
        let standing = result.get_or_insert_with(Standing::default);
        let id: i64 = r.get(0)?;
        if adjudication != Some(id) {
            adjudication = Some(id);
            line = None;
            standing.paid += r.get::<_, Money>(1)?;
        }
        let adjustment = match r.get::<_, Option<String>>(9)? {
            Some(group) => Some(Adjustment { group, reason: r.get(10)?, amount: r.get(11)? }),
            None => None,
        };
        let line_id: Option<i64> = r.get(3)?;
        let Some(line_id) = line_id else {
            standing.adjustments.extend(adjustment);
            continue;
        };
        if line != Some(line_id) {
            line = Some(line_id);
            let modifiers: String = r.get(6)?;
            standing.lines.push(PostedLine {
                position: r.get(4)?,
                hcpcs: r.get(5)?,
                modifiers: modifiers.split(':').filter(|m| !m.is_empty()).map(str::to_string).collect(),
                paid: r.get(7)?,
                units: r.get::<_, Option<String>>(8)?.and_then(|u| u.parse().ok()),
                adjustments: Vec::new(),
                paid_on: r.get(2)?,
            });
        }
        if let Some(posted) = standing.lines.last_mut() {
            posted.adjustments.extend(adjustment);
        }
    }
    Ok(result)
}
