//! The one door to the database: opening (pragmas, migrations), reading, and audited write
//! transactions.
//!
//! Invariants kept here: every connection has WAL, `foreign_keys = ON` and a busy timeout;
//! every mutation runs inside [`Db::write`], which is one SQLite transaction that must record
//! at least one audit row before it may commit. Encryption at rest, when it comes, is switched
//! on in [`Db::open`] and nowhere else.

mod access;
mod migrate;

pub use access::Access;
pub use migrate::latest_version;

use rusqlite::{Connection, Transaction};
use std::cell::Cell;
use std::path::{Path, PathBuf};

/// Why the database could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database at {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("cannot create the folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("this database was written by a newer HME Desk (schema {found}, this program knows up to {known}); install the newer program")]
    TooNew { found: i64, known: i64 },
    #[error("upgrading the database failed in step {name}: {source}")]
    Migration { name: &'static str, source: rusqlite::Error },
    #[error("internal error: a change was about to be saved without an audit record")]
    Unaudited,
    #[error("all {0} have been used; call support before billing more")]
    Exhausted(&'static str),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Lets a module's error enum take `?` on rusqlite calls: the error becomes its `Db` variant
/// (which wraps [`DbError`]), so every module reports database failures the same way.
macro_rules! sqlite_errors {
    ($error:ident) => {
        impl From<rusqlite::Error> for $error {
            fn from(e: rusqlite::Error) -> Self {
                $error::Db(e.into())
            }
        }
    };
}
pub(crate) use sqlite_errors;

/// Who is making a change, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    /// A named user (a staff login, or the CLI's `--user`).
    pub fn new(name: impl Into<String>) -> Actor {
        let name = name.into();
        Actor(if name.trim().is_empty() { "unknown".to_string() } else { name.trim().to_string() })
    }

    /// The operating-system user running the program, for when nobody logged in by name.
    pub fn os_user() -> Actor {
        Actor::new(std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default())
    }

    /// The name written to the audit log.
    pub fn name(&self) -> &str {
        &self.0
    }
}

/// An open HME Desk database.
pub struct Db {
    conn: Connection,
}

/// The identifier the desktop app is registered under; the per-user data folder is named after it.
pub const APP_IDENTIFIER: &str = "com.hmedesk.desk";

/// Where the CLI and the desktop app keep the database when not told otherwise: the per-user
/// data folder (`~/.local/share/com.hmedesk.desk` on Linux, `~/Library/Application Support/...`
/// on macOS, `%APPDATA%\...` on Windows).
pub fn default_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(APP_IDENTIFIER).join("hmedesk.sqlite3")
}

/// The current UTC time in the form the database stores timestamps.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Prepared statements kept per connection. A billing run or a scrub touches a few dozen
/// distinct statements per claim; with rusqlite's default of 16 they evict each other and
/// every call parses its SQL again.
const STATEMENT_CACHE: usize = 256;

impl Db {
    /// Opens (creating when absent) the database at `path` and upgrades its schema.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| DbError::Folder { path: parent.to_path_buf(), source })?;
        }
        let conn = Connection::open(path).map_err(|source| DbError::Open { path: path.to_path_buf(), source })?;
        Db::prepare(conn).map_err(|e| match e {
            DbError::Sqlite(source) => DbError::Open { path: path.to_path_buf(), source },
            other => other,
        })
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Db, DbError> {
        Db::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Db, DbError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrate::migrate(&mut conn)?;
        Ok(Db { conn })
    }

    /// The connection, for read-only queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `change` as one transaction on behalf of `actor`: it commits only when `change`
    /// succeeds *and* wrote an audit record; any error rolls everything back.
    pub fn write<T, E: From<DbError>>(
        &mut self,
        actor: &Actor,
        change: impl FnOnce(&Change<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self.conn.transaction().map_err(DbError::from)?;
        let c = Change { tx, actor, audited: Cell::new(0) };
        let value = change(&c)?;
        if c.audited.get() == 0 {
            return Err(DbError::Unaudited.into());
        }
        c.tx.commit().map_err(DbError::from)?;
        Ok(value)
    }
}

/// `ids` as a JSON array, for statements over many rows that read it with `json_each`.
pub(crate) fn json_ids(ids: &[i64]) -> String {
    let items: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", items.join(","))
}

/// A `LIKE ... ESCAPE '\'` pattern matching text that contains `text` as typed (its `%`, `_`
/// and `\` taken literally), for the searches that look inside names.
pub(crate) fn like_contains(text: &str) -> String {
    format!("%{}%", text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// A write transaction in progress, with the actor it is done for.
pub struct Change<'a> {
    tx: Transaction<'a>,
    actor: &'a Actor,
    audited: Cell<u32>,
}

impl Change<'_> {
    /// The transaction's connection, for the statements of the change.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    /// Who the change is made by, for records that keep their own history (stock movements,
    /// asset events).
    pub fn actor(&self) -> &Actor {
        self.actor
    }

    /// Records in the audit log that `action` was done to `entity` `id`. `summary` says what
    /// changed in a few words; it must not carry clinical details or identifiers beyond ids.
    pub fn audit(&self, action: &str, entity: &str, id: Option<i64>, summary: &str) -> Result<(), DbError> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute((now_utc(), self.actor.name(), action, entity, id, summary))?;
        self.audited.set(self.audited.get() + 1);
        Ok(())
    }

    /// [`Self::audit`] of the same `action` and `summary` for every `entity` in `ids`, in one
    /// statement: a run over thousands of records writes one row each without paying one
    /// statement each.
    pub fn audit_each(&self, action: &str, entity: &str, ids: &[i64], summary: &str) -> Result<(), DbError> {
        let rows = self
            .tx
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, summary)
                 SELECT ?1, ?2, ?3, ?4, value, ?5 FROM json_each(?6)",
            )?
            .execute((now_utc(), self.actor.name(), action, entity, summary, json_ids(ids)))?;
        self.audited.set(self.audited.get() + rows as u32);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unaudited_changes_roll_back() {
        let mut db = Db::open_in_memory().unwrap();
        let actor = Actor::new("test");
        let result: Result<(), DbError> = db.write(&actor, |c| {
            c.conn().execute("INSERT INTO settings (key, value) VALUES ('a', 'b')", [])?;
            Ok(())
        });
        assert!(matches!(result, Err(DbError::Unaudited)));
        let n: i64 = db.conn().query_row("SELECT COUNT(*) FROM settings", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn failed_changes_roll_back_with_their_audit() {
        let mut db = Db::open_in_memory().unwrap();
        let result: Result<(), DbError> = db.write(&Actor::new("test"), |c| {
            c.audit("create", "setting", None, "a")?;
            c.conn().execute("INSERT INTO settings (key, value) VALUES ('a', NULL)", [])?;
            Ok(())
        });
        assert!(result.is_err());
        let n: i64 = db.conn().query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn blank_actor_is_named_unknown() {
        assert_eq!(Actor::new("  ").name(), "unknown");
    }
}
