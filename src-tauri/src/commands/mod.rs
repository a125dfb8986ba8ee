//! The commands the window may invoke, one file per area. Each deserializes its arguments,
//! calls one core function and maps the error; none holds SQL or a business rule.

pub mod app;
pub mod assets;
pub mod catalog;
pub mod claims;
pub mod documents;
pub mod eligibility;
pub mod inventory;
pub mod orders;
pub mod patients;
pub mod payers;
pub mod practitioners;
pub mod purchasing;
pub mod remit;
pub mod rentals;
pub mod supplier;
pub mod sync;
