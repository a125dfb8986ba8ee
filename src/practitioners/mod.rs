//! Treating and ordering practitioners: who signs the orders the supplier bills under.
//! Medicare pays DME only when the ordering practitioner is PECOS-enrolled, so that flag
//! lives here beside the NPI.

mod npi;
mod store;

pub use npi::Npi;
pub use store::{add, create, find_by_npi, get, list, update};

use crate::db::DbError;
use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// A practitioner as entered on a form, the CLI or a CSV row: raw text, validated by the core.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct PractitionerInput {
    /// National Provider Identifier (10 digits)
    #[arg(long)]
    pub npi: Option<String>,
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
    /// Credentials such as MD, DO, NP, PA
    #[arg(long)]
    pub credentials: Option<String>,
    #[arg(long)]
    pub address1: Option<String>,
    #[arg(long)]
    pub address2: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long)]
    pub zip: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub fax: Option<String>,
    /// Enrolled in Medicare PECOS (yes/no)
    #[arg(long)]
    pub pecos_enrolled: Option<String>,
}

/// A practitioner on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Practitioner {
    pub id: i64,
    pub npi: String,
    pub first_name: String,
    pub last_name: String,
    pub credentials: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub pecos_enrolled: bool,
}

/// Why a practitioner could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum PractitionerError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no practitioner with id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(PractitionerError);

impl Practitioner {
    /// "Last, First Credentials", as lists and claims show a practitioner.
    pub fn display_name(&self) -> String {
        match &self.credentials {
            Some(c) => format!("{}, {} {}", self.last_name, self.first_name, c),
            None => format!("{}, {}", self.last_name, self.first_name),
        }
    }

    /// The record as a form, for editing.
    pub fn to_input(&self) -> PractitionerInput {
        PractitionerInput {
            npi: Some(self.npi.clone()),
            first_name: Some(self.first_name.clone()),
            last_name: Some(self.last_name.clone()),
            credentials: self.credentials.clone(),
            address1: self.address1.clone(),
            address2: self.address2.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: self.zip.clone(),
            phone: self.phone.clone(),
            fax: self.fax.clone(),
            pecos_enrolled: Some(if self.pecos_enrolled { "yes" } else { "no" }.to_string()),
        }
    }
}

/// Checks every field of `input` and returns the practitioner it describes (with id 0).
pub fn validate(input: &PractitionerInput) -> Result<Practitioner, Problems> {
    use crate::validation::optional;
    let mut p = Problems::new();
    let npi = match crate::validation::optional(input.npi.as_deref()) {
        None => {
            p.add("npi", "is required");
            String::new()
        }
        Some(text) => Npi::parse(&text).map(|n| n.to_string()).unwrap_or_else(|message| {
            p.add("npi", message);
            text
        }),
    };
    let practitioner = Practitioner {
        id: 0,
        npi,
        first_name: p.required("first_name", input.first_name.as_deref()),
        last_name: p.required("last_name", input.last_name.as_deref()),
        credentials: optional(input.credentials.as_deref()),
        address1: optional(input.address1.as_deref()),
        address2: optional(input.address2.as_deref()),
        city: optional(input.city.as_deref()),
        state: p.state("state", input.state.as_deref()),
        zip: p.zip("zip", input.zip.as_deref()),
        phone: p.phone("phone", input.phone.as_deref()),
        fax: p.phone("fax", input.fax.as_deref()),
        pecos_enrolled: p.flag("pecos_enrolled", input.pecos_enrolled.as_deref()).unwrap_or(false),
    };
    p.finish(practitioner)
}
