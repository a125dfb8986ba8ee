//! CSV imports of patients, practitioners and fee schedules: all or nothing.
//!
//! The whole file is one transaction. Every row goes through the same validation as the
//! screens; the first bad row stops the import, nothing is saved, and the error names the
//! file's line (the header is line 1) and the field. Unknown columns are refused rather than
//! silently ignored, since a misspelt header would otherwise drop a column of data.

use crate::db::{Actor, Change, Db, DbError};
use crate::fees::{self, FeeError, FeeInput};
use crate::patients::{self, PatientError, PatientInput};
use crate::practitioners::{self, PractitionerError, PractitionerInput};
use crate::validation::Problems;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::Read;

/// What an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    Patients,
    Practitioners,
    Fees,
}

/// The outcome of a successful import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportSummary {
    pub kind: String,
    pub rows: usize,
}

/// Why an import saved nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {problems}")]
    Row { line: u64, problems: Problems },
    #[error("line {line}: {message}")]
    Unreadable { line: u64, message: String },
    #[error("the file has no rows to import")]
    Empty,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What a row's save can fail with: a validation problem, or the database.
enum RowFailure {
    Invalid(Problems),
    Db(DbError),
    Other(String),
}

macro_rules! row_failure_from {
    ($($error:ident),*) => {$(
        impl From<$error> for RowFailure {
            fn from(e: $error) -> RowFailure {
                match e {
                    $error::Invalid(p) => RowFailure::Invalid(p),
                    $error::Db(db) => RowFailure::Db(db),
                    other => RowFailure::Other(other.to_string()),
                }
            }
        }
    )*};
}

row_failure_from!(PatientError, PractitionerError, FeeError);

/// Imports `source` as `kind`. For fees, `payer_id` fills the column when the file has none.
pub fn import_csv(
    db: &mut Db,
    actor: &Actor,
    kind: ImportKind,
    source: impl Read,
    payer_id: Option<i64>,
) -> Result<ImportSummary, ImportError> {
    let rows = match kind {
        ImportKind::Patients => import_rows::<PatientInput, _>(db, actor, source, "patients", |c, row| {
            patients::create(c, row).map(drop).map_err(RowFailure::from)
        })?,
        ImportKind::Practitioners => {
            import_rows::<PractitionerInput, _>(db, actor, source, "practitioners", |c, row| {
                practitioners::create(c, row).map(drop).map_err(RowFailure::from)
            })?
        }
        ImportKind::Fees => import_rows::<FeeInput, _>(db, actor, source, "fees", |c, row| {
            let mut row = row.clone();
            if row.payer_id.as_deref().is_none_or(|p| p.trim().is_empty()) {
                row.payer_id = payer_id.map(|p| p.to_string());
            }
            fees::create(c, &row).map(drop).map_err(RowFailure::from)
        })?,
    };
    Ok(ImportSummary { kind: format!("{kind:?}").to_lowercase(), rows })
}

fn import_rows<T, F>(db: &mut Db, actor: &Actor, source: impl Read, what: &str, save: F) -> Result<usize, ImportError>
where
    T: DeserializeOwned + Serialize + Default,
    F: Fn(&Change<'_>, &T) -> Result<(), RowFailure>,
{
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(source);
    let headers = reader.headers().map_err(unreadable)?.clone();
    check_header::<T>(&headers)?;
    db.write(actor, |c| {
        let mut count = 0;
        for record in reader.records() {
            let record = record.map_err(unreadable)?;
            let line = record.position().map_or(0, |p| p.line());
            let row: T = record.deserialize(Some(&headers)).map_err(unreadable)?;
            save(c, &row).map_err(|failure| match failure {
                RowFailure::Invalid(problems) => ImportError::Row { line, problems },
                RowFailure::Db(e) => ImportError::Db(e),
                RowFailure::Other(message) => ImportError::Unreadable { line, message },
            })?;
            count += 1;
        }
        if count == 0 {
            return Err(ImportError::Empty);
        }
        c.audit("import", what, None, &format!("imported {count} {what} from CSV"))?;
        Ok(count)
    })
}

/// Refuses a header with a column the form does not know, naming the ones it does.
fn check_header<T: Serialize + Default>(headers: &csv::StringRecord) -> Result<(), ImportError> {
    let known: Vec<String> = match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let unknown: Vec<&str> = headers.iter().filter(|h| !known.iter().any(|k| k == h)).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Unreadable {
            line: 1,
            message: format!("unknown column {}; the columns are: {}", unknown.join(", "), known.join(", ")),
        })
    }
}

fn unreadable(e: csv::Error) -> ImportError {
    let line = e.position().map_or(1, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text (save the file as CSV UTF-8)".to_string(),
        csv::ErrorKind::Deserialize { err, .. } => {
            format!("{}: {}", err.field().map_or("a field".to_string(), |f| format!("field {}", f + 1)), err.kind())
        }
        _ => e.to_string(),
    };
    ImportError::Unreadable { line, message }
}
