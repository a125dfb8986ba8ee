//! The one error shape that crosses to the UI: a form's problems field by field, a missing
//! record, or anything else as one plain sentence.

use hmedesk::validation::Problems;
use serde::Serialize;

/// Why a command failed, as the UI receives it (`kind` tells forms whether to show `problems`
/// inline beside the fields or `message` in the error banner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum CommandError {
    /// The input had problems; nothing was saved.
    Invalid { problems: Problems },
    /// The record asked for is not on file.
    NotFound { message: String },
    /// Anything else (the database could not be opened, a disk error, ...).
    Other { message: String },
}

impl CommandError {
    /// An error the UI shows as a banner.
    pub fn other(message: impl ToString) -> CommandError {
        CommandError::Other { message: message.to_string() }
    }
}

/// A command argument the core refused, shown beside the field that sent it.
impl From<Problems> for CommandError {
    fn from(problems: Problems) -> CommandError {
        CommandError::Invalid { problems }
    }
}

impl From<hmedesk::DbError> for CommandError {
    fn from(e: hmedesk::DbError) -> CommandError {
        CommandError::other(e)
    }
}

/// Maps a core module's error enum onto [`CommandError`]. Business modules share one shape:
/// `Invalid(Problems)`, `NotFound(id)` for modules keyed by id (not for the single supplier
/// record), and failures of the database.
macro_rules! from_module_error {
    (single: $($error:path),+; keyed: $($keyed:path),+ $(,)?) => {
        $(impl From<$error> for CommandError {
            fn from(e: $error) -> CommandError {
                use $error as E;
                match e {
                    E::Invalid(problems) => CommandError::Invalid { problems },
                    other => CommandError::other(other),
                }
            }
        })+
        $(impl From<$keyed> for CommandError {
            fn from(e: $keyed) -> CommandError {
                use $keyed as E;
                match e {
                    E::Invalid(problems) => CommandError::Invalid { problems },
                    E::NotFound(..) => CommandError::NotFound { message: e.to_string() },
                    other => CommandError::other(other),
                }
            }
        })+
    };
}

from_module_error!(
    single: hmedesk::supplier::SupplierError;
    keyed:
        hmedesk::practitioners::PractitionerError,
        hmedesk::patients::PatientError,
        hmedesk::coverages::CoverageError,
        hmedesk::payers::PayerError,
        hmedesk::fees::FeeError,
        hmedesk::catalog::CatalogError,
        hmedesk::orders::OrderError,
        hmedesk::documents::DocumentError,
        hmedesk::deliveries::DeliveryError,
        hmedesk::inventory::InventoryError,
        hmedesk::rentals::RentalError,
        hmedesk::claims::ClaimError,
);

/// A file that could not be attached or read: the document's problems beside the form, a
/// missing file as not found, an altered scan as a banner.
impl From<hmedesk::documents::FileError> for CommandError {
    fn from(e: hmedesk::documents::FileError) -> CommandError {
        use hmedesk::documents::FileError;
        match e {
            FileError::Document(inner) => inner.into(),
            FileError::NotFound(..) => CommandError::NotFound { message: e.to_string() },
            other => CommandError::other(other),
        }
    }
}

/// A PDF that could not be made (a missing record, the supplier settings not filled in): a banner.
impl From<hmedesk::print::PrintError> for CommandError {
    fn from(e: hmedesk::print::PrintError) -> CommandError {
        CommandError::other(e)
    }
}

/// Loading the demo fails only on data the core refuses or a database error: a banner.
impl From<hmedesk::demo::DemoError> for CommandError {
    fn from(e: hmedesk::demo::DemoError) -> CommandError {
        CommandError::other(e)
    }
}

/// A refused asset change: its own problems, or those of the stock movement it would make,
/// show beside the form's fields; an illegal status change is a banner naming what is allowed.
impl From<hmedesk::assets::AssetError> for CommandError {
    fn from(e: hmedesk::assets::AssetError) -> CommandError {
        use hmedesk::assets::AssetError as E;
        use hmedesk::inventory::InventoryError as I;
        match e {
            E::Invalid(problems) | E::Inventory(I::Invalid(problems)) => CommandError::Invalid { problems },
            E::NotFound(..) | E::Inventory(I::NotFound(..)) => CommandError::NotFound { message: e.to_string() },
            other => CommandError::other(other),
        }
    }
}

/// A remittance that was not posted (unreadable, unbalanced, a mismatched reversal) is a
/// banner with the positioned reason; a bad reason code or action shows beside its field.
impl From<hmedesk::remit::RemitError> for CommandError {
    fn from(e: hmedesk::remit::RemitError) -> CommandError {
        match e {
            hmedesk::remit::RemitError::Invalid(problems) => CommandError::Invalid { problems },
            other => CommandError::other(other),
        }
    }
}

/// An acknowledgment that was not applied (unreadable, not a 999 or 277CA): a banner with
/// the positioned reason.
impl From<hmedesk::acks::AckError> for CommandError {
    fn from(e: hmedesk::acks::AckError) -> CommandError {
        CommandError::other(e)
    }
}

/// A sync that could not run (not set up, the clearinghouse unreachable, a file refused): a
/// banner in the sync module's words.
impl From<hmedesk::sync::SyncError> for CommandError {
    fn from(e: hmedesk::sync::SyncError) -> CommandError {
        match e {
            hmedesk::sync::SyncError::NotFound { .. } => CommandError::NotFound { message: e.to_string() },
            other => CommandError::other(other),
        }
    }
}

/// A check that could not be asked (no coverage in force, the supplier not set up, the
/// clearinghouse refusing): a banner.
impl From<hmedesk::eligibility::EligibilityError> for CommandError {
    fn from(e: hmedesk::eligibility::EligibilityError) -> CommandError {
        CommandError::other(e)
    }
}

/// A refused purchasing change, mapped like the modules it calls into.
impl From<hmedesk::purchasing::PurchasingError> for CommandError {
    fn from(e: hmedesk::purchasing::PurchasingError) -> CommandError {
        use hmedesk::purchasing::PurchasingError as E;
        match e {
            E::Invalid(problems) => CommandError::Invalid { problems },
            E::NotFound(..) => CommandError::NotFound { message: e.to_string() },
            E::Inventory(inner) => inner.into(),
            E::Asset(inner) => inner.into(),
            other => CommandError::other(other),
        }
    }
}
