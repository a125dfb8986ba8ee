//! Coordination of benefits: what an earlier payer's posting says about a claim, for the
//! next payer's claim (837P loop 2320 AMT*D).

use super::RemitError;
use crate::money::Money;
use rusqlite::Connection;

/// What the payer of claim `claim_id` paid on it, net of reversals; `None` while no 835
/// posting stands on it (never posted, or every posting reversed).
pub fn paid_on(conn: &Connection, claim_id: i64) -> Result<Option<Money>, RemitError> {
    let (standing, paid): (i64, Money) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(a.paid), 0) FROM claim_adjudications a
         WHERE a.claim_id = ?1 AND a.reverses_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM claim_adjudications r WHERE r.reverses_id = a.id)",
        [claim_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((standing > 0).then_some(paid))
}
