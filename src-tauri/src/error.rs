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

impl From<hmedesk::DbError> for CommandError {
    fn from(e: hmedesk::DbError) -> CommandError {
        CommandError::other(e)
    }
}

/// Maps a core module's error enum (`Invalid(Problems)`, `NotFound(..)`, anything else) onto
/// [`CommandError`]; every business module follows that shape.
macro_rules! from_module_error {
    ($($error:path),+ $(,)?) => {$(
        impl From<$error> for CommandError {
            fn from(e: $error) -> CommandError {
                use $error as E;
                match e {
                    E::Invalid(problems) => CommandError::Invalid { problems },
                    E::NotFound(..) => CommandError::NotFound { message: e.to_string() },
                    #[allow(unreachable_patterns)]
                    other => CommandError::other(other),
                }
            }
        }
    )+};
}

from_module_error!(hmedesk::practitioners::PractitionerError);
