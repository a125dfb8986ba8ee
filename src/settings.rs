//! Program settings: the key/value `settings` table, with the keys a person may change and
//! the rule each value must follow. Sync reads its transport configuration from here, claim
//! batches their X12 envelope ids;
//! secrets (the clearinghouse API key) never live here — see `sync::credentials`.

use crate::db::{Actor, Change, Db, DbError};
use crate::validation::Problems;
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeMap;

/// Which transport sync uses: `folder` or `claimmd`.
pub const SYNC_TRANSPORT: &str = "sync.transport";
/// Folder transport: where outgoing files are written.
pub const SYNC_OUTGOING_DIR: &str = "sync.outgoing_dir";
/// Folder transport: where incoming files are picked up.
pub const SYNC_INCOMING_DIR: &str = "sync.incoming_dir";
/// Claim.MD transport: the API's base URL.
pub const SYNC_BASE_URL: &str = "sync.base_url";
/// Minutes between background sync passes in the desktop app.
pub const SYNC_INTERVAL_MINUTES: &str = "sync.interval_minutes";
/// Seconds an HTTP request may take before it counts as timed out (and is retried later).
pub const SYNC_TIMEOUT_SECONDS: &str = "sync.timeout_seconds";

/// Days an active eligibility answer counts as recent for the claim scrubber.
pub const ELIGIBILITY_MAX_AGE_DAYS: &str = "eligibility.max_age_days";

/// ISA06/GS02/1000A: the submitter id the clearinghouse gave the supplier (default: its NPI).
pub const X12_SUBMITTER_ID: &str = "x12.submitter_id";
/// ISA08/GS03/1000B: the receiver's id (default: the payer's electronic payer id).
pub const X12_RECEIVER_ID: &str = "x12.receiver_id";
/// 1000B: the receiver's name (default: the payer's name).
pub const X12_RECEIVER_NAME: &str = "x12.receiver_name";
/// ISA15: `true` sends production files (`P`), anything else test files (`T`).
pub const X12_PRODUCTION: &str = "x12.production";

/// The keys `set` accepts, each with its rule.
const KEYS: &[(&str, Rule)] = &[
    (SYNC_TRANSPORT, Rule::OneOf(&["folder", "claimmd"])),
    (SYNC_OUTGOING_DIR, Rule::Text),
    (SYNC_INCOMING_DIR, Rule::Text),
    (SYNC_BASE_URL, Rule::Url),
    (SYNC_INTERVAL_MINUTES, Rule::Count),
    (SYNC_TIMEOUT_SECONDS, Rule::Count),
    (ELIGIBILITY_MAX_AGE_DAYS, Rule::Count),
    (X12_SUBMITTER_ID, Rule::Text),
    (X12_RECEIVER_ID, Rule::Text),
    (X12_RECEIVER_NAME, Rule::Text),
    (X12_PRODUCTION, Rule::OneOf(&["true", "false"])),
];

#[derive(Debug, Clone, Copy)]
enum Rule {
    OneOf(&'static [&'static str]),
    Text,
    Url,
    Count,
}

impl Rule {
    fn check(self, value: &str) -> Result<String, String> {
        let value = value.trim();
        match self {
            Rule::OneOf(choices) => choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(value))
                .map(|c| c.to_string())
                .ok_or_else(|| format!("must be one of: {}", choices.join(", "))),
            Rule::Text if value.is_empty() => Err("must not be empty".into()),
            Rule::Text => Ok(value.to_string()),
            Rule::Url if value.starts_with("https://") || value.starts_with("http://") => {
                Ok(value.trim_end_matches('/').to_string())
            }
            Rule::Url => Err("must start with https:// (or http:// for a local test server)".into()),
            Rule::Count => match value.parse::<u32>() {
                Ok(n) if n > 0 => Ok(n.to_string()),
                _ => Err("must be a whole number greater than 0".into()),
            },
        }
    }
}

/// Why a setting could not be read or saved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Invalid(Problems),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(SettingsError);

/// The value of `key`, or `None` when it was never set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>, DbError> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Every setting a person may change, with its value when set.
pub fn list(conn: &Connection) -> Result<BTreeMap<String, Option<String>>, DbError> {
    KEYS.iter().map(|(key, _)| Ok((key.to_string(), get(conn, key)?))).collect()
}

/// Checks and saves `value` under `key`; an unknown key or a value breaking the key's rule
/// changes nothing.
pub fn set(db: &mut Db, actor: &Actor, key: &str, value: &str) -> Result<String, SettingsError> {
    db.write(actor, |c| set_in(c, key, value))
}

/// [`set`] inside a larger change (the demo configures sync this way).
pub fn set_in(c: &Change<'_>, key: &str, value: &str) -> Result<String, SettingsError> {
    let key = key.trim();
    let Some((_, rule)) = KEYS.iter().find(|(k, _)| *k == key) else {
        let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        return Err(invalid("key", format!("'{key}' is not a setting; known settings: {}", known.join(", "))));
    };
    let value = rule.check(value).map_err(|message| invalid(key, message))?;
    c.conn().execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, &value),
    )?;
    c.audit("update", "setting", None, &format!("set {key}"))?;
    Ok(value)
}

fn invalid(field: &str, message: String) -> SettingsError {
    let mut problems = Problems::default();
    problems.add(field, message);
    SettingsError::Invalid(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_are_checked_and_saved() {
        let mut db = Db::open_in_memory().unwrap();
        let actor = Actor::new("t");
        assert_eq!(set(&mut db, &actor, SYNC_TRANSPORT, " Folder ").unwrap(), "folder");
        assert_eq!(get(db.conn(), SYNC_TRANSPORT).unwrap().as_deref(), Some("folder"));
        assert_eq!(set(&mut db, &actor, SYNC_BASE_URL, "https://svc.claim.md/").unwrap(), "https://svc.claim.md");
        assert!(matches!(set(&mut db, &actor, SYNC_TRANSPORT, "ftp"), Err(SettingsError::Invalid(_))));
        assert!(matches!(set(&mut db, &actor, "sync.colour", "red"), Err(SettingsError::Invalid(_))));
        assert!(matches!(set(&mut db, &actor, SYNC_INTERVAL_MINUTES, "0"), Err(SettingsError::Invalid(_))));
        assert_eq!(get(db.conn(), SYNC_TRANSPORT).unwrap().as_deref(), Some("folder"));
        assert_eq!(list(db.conn()).unwrap()[SYNC_OUTGOING_DIR], None);
        assert_eq!(set(&mut db, &actor, X12_PRODUCTION, "TRUE").unwrap(), "true");
        assert!(matches!(set(&mut db, &actor, X12_PRODUCTION, "yes"), Err(SettingsError::Invalid(_))));
        assert_eq!(set(&mut db, &actor, X12_SUBMITTER_ID, " SUB123 ").unwrap(), "SUB123");
    }
}
