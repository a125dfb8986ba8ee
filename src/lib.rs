//! HME Desk core: every business rule and every query of the application.
//!
//! The desktop shell (`src-tauri`) and the `hmedesk` CLI are thin adapters over this crate;
//! see `ARCHITECTURE.md` for the module map and the invariants that hold across it.

pub mod audit;
pub mod cli;
pub mod db;
pub mod money;
pub mod practitioners;
pub mod validation;
pub mod x12;

pub use db::{Actor, Db, DbError};
pub use money::Money;
