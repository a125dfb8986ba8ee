//! Reaching the database one step at a time: a job that waits on the network between its
//! database steps (a sync pass) takes the database for each step and lets it go before the
//! next request, so the window's other commands never wait on the network.

use super::Db;
use std::sync::{Mutex, PoisonError};

/// A way to the database for one step at a time.
pub trait Access {
    /// Runs `step` with the database held, and lets it go when the step returns.
    fn with<T>(&mut self, step: impl FnOnce(&mut Db) -> T) -> T;
}

/// A database the caller has to itself (the CLI, a test): there is nobody to let it go to.
impl Access for &mut Db {
    fn with<T>(&mut self, step: impl FnOnce(&mut Db) -> T) -> T {
        step(self)
    }
}

/// The desktop app's database, shared by its commands: locked for the step only.
impl Access for &Mutex<Db> {
    fn with<T>(&mut self, step: impl FnOnce(&mut Db) -> T) -> T {
        // A step that panicked left no half-done change behind (writes are transactions),
        // so the connection is still good to use.
        let mut db = self.lock().unwrap_or_else(PoisonError::into_inner);
        step(&mut db)
    }
}
