//! Control numbers that are unique forever: CLM01 and REF*6R on claims, ISA13/GS06/ST02 on
//! batch files. Each comes from a counter row updated inside the caller's transaction, so a
//! rolled-back change gives its number back and a committed one never repeats, across runs
//! and restarts (payers and clearinghouses reject reused interchange control numbers, and the
//! 835 matches claims and lines by these numbers).

use crate::db::Change;
use crate::db::DbError;

crate::coded_enum! {
    /// Which counter.
    ControlKind {
        /// CLM01, the patient control number.
        Claim = "claim",
        /// REF*6R, the line item control number.
        Line = "line",
        /// ISA13, nine digits.
        Interchange = "interchange",
        /// GS06.
        Group = "group",
        /// ST02.
        Set = "set",
    }
}

/// ISA13 is nine digits; the counter may not pass it.
pub const INTERCHANGE_MAX: i64 = 999_999_999;

/// Takes the next number of `kind`.
pub fn next(c: &Change<'_>, kind: ControlKind) -> Result<i64, DbError> {
    let n: i64 = c
        .conn()
        .prepare_cached("UPDATE control_numbers SET last = last + 1 WHERE kind = ?1 RETURNING last")?
        .query_row([kind], |r| r.get(0))?;
    if kind == ControlKind::Interchange && n > INTERCHANGE_MAX {
        return Err(DbError::Exhausted("interchange control numbers"));
    }
    Ok(n)
}

/// CLM01 for claim counter value `n`: short (the 837P allows 20 characters) and recognisably ours.
pub fn claim_number(n: i64) -> String {
    format!("C{n:08}")
}

/// REF*6R for line counter value `n` (the 837P allows 50 characters).
pub fn line_number(n: i64) -> String {
    format!("L{n:09}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Actor, Db};

    fn take(db: &mut Db, kind: ControlKind) -> i64 {
        db.write(&Actor::new("test"), |c| {
            let n = next(c, kind)?;
            c.audit("control", "control_numbers", None, "test")?;
            Ok::<_, DbError>(n)
        })
        .unwrap()
    }

    #[test]
    fn counters_are_independent_and_never_repeat() {
        let mut db = Db::open_in_memory().unwrap();
        assert_eq!(take(&mut db, ControlKind::Claim), 1);
        assert_eq!(take(&mut db, ControlKind::Claim), 2);
        assert_eq!(take(&mut db, ControlKind::Interchange), 1);
        let rolled_back: Result<(), DbError> = db.write(&Actor::new("test"), |c| {
            next(c, ControlKind::Claim)?;
            Err(DbError::Exhausted("test"))
        });
        assert!(rolled_back.is_err());
        assert_eq!(take(&mut db, ControlKind::Claim), 3);
    }

    #[test]
    fn formats_fit_the_837p() {
        assert_eq!(claim_number(42), "C00000042");
        assert_eq!(line_number(7), "L000000007");
        assert!(claim_number(INTERCHANGE_MAX).len() <= 20);
    }
}
