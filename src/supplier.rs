//! The supplier's own identity: the billing provider on every claim (837P loop 2010AA,
//! CMS-1500 box 33) and the header of every printed ticket and form.
//!
//! The 837P requires the billing provider's NPI, EIN, a street address with a nine-digit ZIP
//! code and, for DME suppliers, the taxonomy code (332B00000X is "Durable Medical Equipment &
//! Medical Supplies"). The PTAN is kept for reference; it is not sent on claims.

use crate::db::{Actor, Change, Db, DbError};
use crate::practitioners::Npi;
use crate::validation::{optional, Problems};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The supplier settings as entered on the settings screen or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct SupplierInput {
    #[arg(long)]
    pub legal_name: Option<String>,
    /// "Doing business as" name, shown on tickets when different from the legal name
    #[arg(long)]
    pub dba_name: Option<String>,
    #[arg(long)]
    pub npi: Option<String>,
    /// Employer Identification Number, 9 digits
    #[arg(long)]
    pub ein: Option<String>,
    /// Provider Transaction Access Number from the NSC (reference only)
    #[arg(long)]
    pub ptan: Option<String>,
    /// Provider taxonomy code, like 332B00000X
    #[arg(long)]
    pub taxonomy: Option<String>,
    #[arg(long)]
    pub address1: Option<String>,
    #[arg(long)]
    pub address2: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub state: Option<String>,
    /// ZIP+4 (claims require all nine digits)
    #[arg(long)]
    pub zip: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub contact_name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
}

/// The supplier on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Supplier {
    pub legal_name: String,
    pub dba_name: Option<String>,
    pub npi: String,
    pub ein: String,
    pub ptan: Option<String>,
    pub taxonomy: String,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
    pub contact_name: Option<String>,
    pub email: Option<String>,
}

/// Why the supplier settings could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SupplierError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(SupplierError);

impl Supplier {
    /// The name people know the business by.
    pub fn display_name(&self) -> &str {
        self.dba_name.as_deref().unwrap_or(&self.legal_name)
    }

    /// The record as a form, for editing.
    pub fn to_input(&self) -> SupplierInput {
        SupplierInput {
            legal_name: Some(self.legal_name.clone()),
            dba_name: self.dba_name.clone(),
            npi: Some(self.npi.clone()),
            ein: Some(self.ein.clone()),
            ptan: self.ptan.clone(),
            taxonomy: Some(self.taxonomy.clone()),
            address1: Some(self.address1.clone()),
            address2: self.address2.clone(),
            city: Some(self.city.clone()),
            state: Some(self.state.clone()),
            zip: Some(self.zip.clone()),
            phone: Some(self.phone.clone()),
            contact_name: self.contact_name.clone(),
            email: self.email.clone(),
        }
    }
}

/// Checks every field of `input`.
pub fn validate(input: &SupplierInput) -> Result<Supplier, Problems> {
    let mut p = Problems::new();
    let legal_name = p.required("legal_name", input.legal_name.as_deref());
    let npi = match optional(input.npi.as_deref()) {
        None => {
            p.add("npi", "is required");
            String::new()
        }
        Some(text) => Npi::parse(&text).map(|n| n.to_string()).unwrap_or_else(|e| {
            p.add("npi", e);
            text
        }),
    };
    let ein_text = p.required("ein", input.ein.as_deref());
    let ein: String = ein_text.chars().filter(|c| *c != '-').collect();
    if !ein_text.is_empty() && (ein.len() != 9 || !ein.bytes().all(|b| b.is_ascii_digit())) {
        p.add("ein", format!("'{ein_text}' is not an EIN (9 digits, like 12-3456789)"));
    }
    let taxonomy = optional(input.taxonomy.as_deref()).map_or("332B00000X".to_string(), |t| t.to_ascii_uppercase());
    let t = taxonomy.as_bytes();
    if t.len() != 10 || !t[..9].iter().all(u8::is_ascii_alphanumeric) || t[9] != b'X' {
        p.add(
            "taxonomy",
            format!("'{taxonomy}' is not a provider taxonomy code (10 characters ending in X, like 332B00000X)"),
        );
    }
    let address1 = p.required("address1", input.address1.as_deref());
    let city = p.required("city", input.city.as_deref());
    let state = match optional(input.state.as_deref()) {
        None => {
            p.add("state", "is required");
            None
        }
        some => p.state("state", some.as_deref()),
    };
    let zip = match optional(input.zip.as_deref()) {
        None => {
            p.add("zip", "is required (ZIP+4)");
            None
        }
        some => p.zip("zip", some.as_deref()),
    };
    if zip.as_ref().is_some_and(|z| z.len() != 9) {
        p.add("zip", "claims need the full ZIP+4 for the billing provider (837P loop 2010AA)");
    }
    let phone = match optional(input.phone.as_deref()) {
        None => {
            p.add("phone", "is required");
            None
        }
        some => p.phone("phone", some.as_deref()),
    };
    let supplier = Supplier {
        legal_name,
        dba_name: optional(input.dba_name.as_deref()),
        npi,
        ein,
        ptan: optional(input.ptan.as_deref()),
        taxonomy,
        address1,
        address2: optional(input.address2.as_deref()),
        city,
        state: state.unwrap_or_default(),
        zip: zip.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        contact_name: optional(input.contact_name.as_deref()),
        email: p.email("email", input.email.as_deref()),
    };
    p.finish(supplier)
}

/// The supplier settings, or `None` before they are first saved.
pub fn get(conn: &Connection) -> Result<Option<Supplier>, SupplierError> {
    Ok(conn
        .query_row(
            "SELECT legal_name, dba_name, npi, ein, ptan, taxonomy, address1, address2, city, state, zip, phone, contact_name, email
             FROM supplier WHERE id = 1",
            [],
            |r| {
                Ok(Supplier {
                    legal_name: r.get(0)?,
                    dba_name: r.get(1)?,
                    npi: r.get(2)?,
                    ein: r.get(3)?,
                    ptan: r.get(4)?,
                    taxonomy: r.get(5)?,
                    address1: r.get(6)?,
                    address2: r.get(7)?,
                    city: r.get(8)?,
                    state: r.get(9)?,
                    zip: r.get(10)?,
                    phone: r.get(11)?,
                    contact_name: r.get(12)?,
                    email: r.get(13)?,
                })
            },
        )
        .optional()?)
}

/// Saves the supplier settings (the first save creates them).
pub fn save(db: &mut Db, actor: &Actor, input: &SupplierInput) -> Result<Supplier, SupplierError> {
    db.write(actor, |c| store(c, input))
}

/// Saves the supplier settings inside a larger change.
pub fn store(c: &Change<'_>, input: &SupplierInput) -> Result<Supplier, SupplierError> {
    let s = validate(input)?;
    c.conn().execute(
        "INSERT INTO supplier (id, legal_name, dba_name, npi, ein, ptan, taxonomy, address1, address2, city, state, zip, phone, contact_name, email)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name, dba_name = excluded.dba_name, npi = excluded.npi,
            ein = excluded.ein, ptan = excluded.ptan, taxonomy = excluded.taxonomy, address1 = excluded.address1,
            address2 = excluded.address2, city = excluded.city, state = excluded.state, zip = excluded.zip,
            phone = excluded.phone, contact_name = excluded.contact_name, email = excluded.email",
        params![s.legal_name, s.dba_name, s.npi, s.ein, s.ptan, s.taxonomy, s.address1, s.address2, s.city, s.state, s.zip, s.phone, s.contact_name, s.email],
    )?;
    c.audit("update", "supplier", Some(1), "saved supplier settings")?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_need_a_complete_billing_provider() {
        let problems = validate(&SupplierInput {
            legal_name: Some("Lone Star Home Medical LLC".into()),
            npi: Some("1234567890".into()),
            ein: Some("12-34567".into()),
            taxonomy: Some("332B00000".into()),
            address1: Some("1 Main".into()),
            city: Some("Dallas".into()),
            state: Some("TX".into()),
            zip: Some("75201".into()),
            phone: Some("2145550100".into()),
            ..SupplierInput::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["npi", "ein", "taxonomy", "zip"]);
    }
}
