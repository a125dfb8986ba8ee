//! What the window shares between commands: the open database and who is using it.

use crate::error::CommandError;
use hmedesk::db::{self, Actor, Db};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The app's state: one database connection (commands take turns on it) and the actor the
/// audit log records for this window's changes.
pub struct AppState {
    db: Result<Mutex<Db>, String>,
    actor: Actor,
    path: PathBuf,
    created: bool,
}

/// Where the app keeps its database: `HMEDESK_DB` when set (as the CLI honours it), else the
/// core's per-user default.
pub fn database_path() -> PathBuf {
    std::env::var_os("HMEDESK_DB").map(PathBuf::from).unwrap_or_else(db::default_path)
}

impl AppState {
    /// Opens (creating when absent) the database at `path`. A database that cannot be opened
    /// is kept as its error message, which every command then reports to the UI.
    pub fn open(path: &Path, actor: Actor) -> AppState {
        let created = !path.exists();
        let db = Db::open(path).map(Mutex::new).map_err(|e| e.to_string());
        AppState { db, actor, path: path.to_path_buf(), created }
    }

    /// The database file's location.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when this start created the database (the UI then offers the demo data).
    pub fn created(&self) -> bool {
        self.created
    }

    /// Why the database could not be opened, if it could not.
    pub fn open_error(&self) -> Option<&str> {
        self.db.as_ref().err().map(String::as_str)
    }

    fn lock(&self) -> Result<MutexGuard<'_, Db>, CommandError> {
        let db = self.shared()?;
        // A command that panicked left no half-done change behind (writes are transactions),
        // so the connection is still good to use.
        Ok(db.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// The shared database itself, for a core job that takes it step by step and lets it go
    /// while it waits on the network (the sync pass).
    pub fn shared(&self) -> Result<&Mutex<Db>, CommandError> {
        self.db.as_ref().map_err(CommandError::other)
    }

    /// Who this window's changes are recorded as.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Runs a core query.
    pub fn read<T, E: Into<CommandError>>(&self, query: impl FnOnce(&Db) -> Result<T, E>) -> Result<T, CommandError> {
        let db = self.lock()?;
        query(&db).map_err(Into::into)
    }

    /// Runs a core change on behalf of this window's actor.
    pub fn write<T, E: Into<CommandError>>(
        &self,
        change: impl FnOnce(&mut Db, &Actor) -> Result<T, E>,
    ) -> Result<T, CommandError> {
        let mut db = self.lock()?;
        change(&mut db, &self.actor).map_err(Into::into)
    }
}

impl AppState {
    /// The name the supplier goes by, once its settings are saved.
    pub fn supplier_name(&self) -> Result<Option<String>, CommandError> {
        self.read(|db| hmedesk::supplier::get(db.conn()).map(|s| s.map(|s| s.display_name().to_string())))
    }
}
