//! HME Desk core: every business rule and every query of the application.
//!
//! The desktop shell (`src-tauri`) and the `hmedesk` CLI are thin adapters over this crate;
//! see `ARCHITECTURE.md` for the module map and the invariants that hold across it.

pub mod acks;
pub mod assets;
pub mod audit;
pub mod catalog;
pub mod claims;
pub mod cli;
pub mod coded;
pub mod coverages;
pub mod dashboard;
pub mod db;
pub mod deliveries;
pub mod demo;
pub mod documents;
pub mod eligibility;
pub mod export;
pub mod fees;
pub mod import;
pub mod inventory;
pub mod money;
pub mod orders;
pub mod patients;
pub mod payers;
pub mod practitioners;
pub mod print;
pub mod purchasing;
pub mod remit;
pub mod rentals;
pub mod settings;
pub mod supplier;
pub mod sync;
pub mod validation;
pub mod x12;

pub use db::{Actor, Db, DbError};
pub use money::Money;
