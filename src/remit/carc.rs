//! Adjustment reason codes: the CARC and RARC descriptions shipped in `assets/`, and what each
//! CARC does to a claim's balance when posted — the shipped default, or the supplier's choice.

use super::RemitError;
use crate::db::{now_utc, Change};
use crate::validation::Problems;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const CARC_CSV: &str = include_str!("../../assets/carc.csv");
const RARC_CSV: &str = include_str!("../../assets/rarc.csv");

crate::coded_enum! {
    /// What posting does with an adjustment carrying a CARC (the CAS group still decides
    /// who is liable: PR is always the patient's).
    CarcAction {
        /// A contractual or regulatory write-off (45 over the fee schedule, 253 sequestration).
        Adjust = "adjust",
        /// The patient owes it (1 deductible, 2 coinsurance, 3 copay).
        Patient = "patient",
        /// A denial a biller must work: the amount stays open and the claim is queued.
        Workqueue = "workqueue",
    }
}

/// A CARC with its description and the action posting takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CarcCode {
    pub code: String,
    pub description: String,
    /// The action in force.
    pub action: CarcAction,
    /// The action shipped in `assets/carc.csv`.
    pub default_action: CarcAction,
}

struct Reference {
    carc: Vec<(String, String, CarcAction)>,
    carc_index: HashMap<String, usize>,
    rarc: HashMap<String, String>,
}

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let rows = |text: &'static str| {
            csv::Reader::from_reader(text.as_bytes())
                .into_records()
                .filter_map(Result::ok)
                .map(|r| r.iter().map(str::to_string).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        let carc: Vec<(String, String, CarcAction)> = rows(CARC_CSV)
            .into_iter()
            .filter_map(|r| {
                let action = CarcAction::from_code(r.get(2)?)?;
                Some((r.first()?.clone(), r.get(1)?.clone(), action))
            })
            .collect();
        let carc_index = carc.iter().enumerate().map(|(i, (code, _, _))| (code.clone(), i)).collect();
        let rarc = rows(RARC_CSV).into_iter().filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone()))).collect();
        Reference { carc, carc_index, rarc }
    })
}

/// The CARC's description, or a sentence saying it is not in the shipped list.
pub fn describe_carc(code: &str) -> String {
    let r = reference();
    match r.carc_index.get(code) {
        Some(&i) => r.carc[i].1.clone(),
        None => format!("reason code {code} (not in the shipped list)"),
    }
}

/// The RARC's description, or a sentence saying it is not in the shipped list.
pub fn describe_rarc(code: &str) -> String {
    reference().rarc.get(code).cloned().unwrap_or_else(|| format!("remark code {code} (not in the shipped list)"))
}

/// The shipped default for `code`; an unknown code goes to a biller.
fn default_action(code: &str) -> CarcAction {
    let r = reference();
    r.carc_index.get(code).map_or(CarcAction::Workqueue, |&i| r.carc[i].2)
}

/// The supplier's overrides.
fn overrides(conn: &Connection) -> Result<HashMap<String, CarcAction>, RemitError> {
    let mut stmt = conn.prepare_cached("SELECT code, action FROM carc_actions")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (code, action) = row?;
        if let Some(action) = CarcAction::from_code(&action) {
            out.insert(code, action);
        }
    }
    Ok(out)
}

/// The actions in force while one file posts: read once, looked up per adjustment.
pub(crate) struct Actions(HashMap<String, CarcAction>);

impl Actions {
    /// Loads the supplier's overrides.
    pub(crate) fn load(conn: &Connection) -> Result<Actions, RemitError> {
        Ok(Actions(overrides(conn)?))
    }

    /// The action for `code`.
    pub(crate) fn get(&self, code: &str) -> CarcAction {
        self.0.get(code).copied().unwrap_or_else(|| default_action(code))
    }
}

/// The shipped CARCs that `search` finds (every one when it is blank), with the action in
/// force, in the shipped order. A code is found by its start ("4" finds 45 and 4), a
/// description by any part of it, in any case.
pub fn list(conn: &Connection, search: &str) -> Result<Vec<CarcCode>, RemitError> {
    let own = overrides(conn)?;
    let search = search.trim();
    let words = search.to_lowercase();
    Ok(reference()
        .carc
        .iter()
        .filter(|(code, description, _)| code.starts_with(search) || description.to_lowercase().contains(&words))
        .map(|(code, description, default)| CarcCode {
            code: code.clone(),
            description: description.clone(),
            action: own.get(code).copied().unwrap_or(*default),
            default_action: *default,
        })
        .collect())
}

/// Sets the supplier's action for `code` (a shipped CARC); setting the default removes the override.
pub fn set_action(c: &Change<'_>, code: &str, action: &str) -> Result<CarcCode, RemitError> {
    let code = code.trim();
    let r = reference();
    let Some(&index) = r.carc_index.get(code) else {
        return Err(Problems::one("code", format!("{code} is not a claim adjustment reason code in the list")).into());
    };
    let Some(action) = CarcAction::from_code(action) else {
        return Err(Problems::one("action", "must be adjust, patient or workqueue").into());
    };
    let (_, description, default) = &r.carc[index];
    if action == *default {
        c.conn().execute("DELETE FROM carc_actions WHERE code = ?1", [code])?;
    } else {
        c.conn().execute(
            "INSERT INTO carc_actions (code, action, updated_at, actor) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (code) DO UPDATE SET action = ?2, updated_at = ?3, actor = ?4",
            params![code, action.code(), now_utc(), c.actor().name()],
        )?;
    }
    c.audit("set_action", "carc", None, &format!("CARC {code} -> {action}"))?;
    Ok(CarcCode { code: code.to_string(), description: description.clone(), action, default_action: *default })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults() {
        assert_eq!(default_action("45"), CarcAction::Adjust);
        assert_eq!(default_action("1"), CarcAction::Patient);
        assert_eq!(default_action("50"), CarcAction::Workqueue);
        assert_eq!(default_action("no such"), CarcAction::Workqueue);
        assert!(describe_carc("16").starts_with("Claim/service lacks information"));
        assert!(describe_rarc("M3").starts_with("Equipment is the same"));
        assert!(reference().carc.len() > 150);
    }

    #[test]
    fn a_search_finds_codes_by_their_start_and_descriptions_by_any_part() {
        let db = crate::db::Db::open_in_memory().unwrap();
        let codes =
            |search: &str| -> Vec<String> { list(db.conn(), search).unwrap().into_iter().map(|c| c.code).collect() };
        assert_eq!(codes("").len(), reference().carc.len());
        assert_eq!(codes("  "), codes(""));
        let by_code = codes("4");
        assert!(by_code.contains(&"45".to_string()) && by_code.contains(&"4".to_string()), "{by_code:?}");
        assert!(by_code.iter().all(|c| c.starts_with('4') || describe_carc(c).contains('4')), "{by_code:?}");
        assert!(by_code.len() < codes("").len());
        let by_words = codes("DEDUCTIBLE");
        assert!(by_words.contains(&"1".to_string()), "{by_words:?}");
        assert!(by_words.iter().all(|c| describe_carc(c).to_lowercase().contains("deductible")), "{by_words:?}");
        assert!(codes("no reason code says this").is_empty());
    }

    #[test]
    fn a_search_shows_the_suppliers_action() {
        let mut db = crate::db::Db::open_in_memory().unwrap();
        db.write(&crate::db::Actor::new("t"), |c| set_action(c, "45", "workqueue")).unwrap();
        let found = list(db.conn(), "45").unwrap();
        let code = found.iter().find(|c| c.code == "45").unwrap();
        assert_eq!((code.action, code.default_action), (CarcAction::Workqueue, CarcAction::Adjust));
    }
}
