//! The reference data a run over many orders or claims reads again and again — the payers'
//! documentation rules, the catalog's payment categories, payers, practitioners and fee
//! schedules — read
//! from the database once per run instead of once per line. A billing run over ten thousand
//! rentals or a scrub of a month's claims would otherwise spend most of its time asking
//! the same few rows again. A run is short and holds the connection, so nothing goes stale.

use super::rules::{list_rules, DocumentationRule};
use super::DocumentError;
use crate::catalog::{self, PaymentCategory};
use crate::fees::{self, Fee};
use crate::payers::{self, Payer};
use crate::practitioners::{self, Practitioner};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;

/// Reference rows loaded on first use and kept for one run.
pub struct Reference<'c> {
    conn: &'c Connection,
    rules: Vec<DocumentationRule>,
    categories: HashMap<String, Option<PaymentCategory>>,
    payers: HashMap<i64, Payer>,
    practitioners: HashMap<i64, Practitioner>,
    /// Fee schedule rows by payer, then code.
    fees: HashMap<i64, HashMap<String, Vec<Fee>>>,
}

impl<'c> Reference<'c> {
    /// Starts a run over `conn`, reading the documentation rules.
    pub fn new(conn: &'c Connection) -> Result<Reference<'c>, DocumentError> {
        Ok(Reference {
            conn,
            rules: list_rules(conn)?,
            categories: HashMap::new(),
            payers: HashMap::new(),
            practitioners: HashMap::new(),
            fees: HashMap::new(),
        })
    }

    /// The connection the run reads, for the rows that are not reference data.
    pub fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// The rules that apply to `hcpcs` billed to `payer` on `dos`.
    pub fn requirements(
        &self,
        payer: &Payer,
        hcpcs: &str,
        category: Option<PaymentCategory>,
        dos: NaiveDate,
    ) -> Vec<DocumentationRule> {
        self.rules.iter().filter(|r| r.applies(payer, hcpcs, category, dos)).cloned().collect()
    }

    /// The catalog's payment category for `hcpcs`; `None` when the code is not in the catalog.
    pub fn category(&mut self, hcpcs: &str) -> Result<Option<PaymentCategory>, DocumentError> {
        if let Some(known) = self.categories.get(hcpcs) {
            return Ok(*known);
        }
        let category =
            catalog::find_by_hcpcs(self.conn, hcpcs).map_err(|e| lookup("catalog item", e))?.map(|i| i.category);
        self.categories.insert(hcpcs.to_string(), category);
        Ok(category)
    }

    /// The payer with `id`.
    pub fn payer(&mut self, id: i64) -> Result<&Payer, DocumentError> {
        if !self.payers.contains_key(&id) {
            let payer = payers::get(self.conn, id).map_err(|e| lookup("payer", e))?;
            self.payers.insert(id, payer);
        }
        Ok(&self.payers[&id])
    }

    /// The practitioner with `id`.
    pub fn practitioner(&mut self, id: i64) -> Result<&Practitioner, DocumentError> {
        if !self.practitioners.contains_key(&id) {
            let practitioner = practitioners::get(self.conn, id).map_err(|e| lookup("practitioner", e))?;
            self.practitioners.insert(id, practitioner);
        }
        Ok(&self.practitioners[&id])
    }

    /// The fee that prices a line of `hcpcs` with `modifiers` to `payer_id` on `dos` (see
    /// [`fees::pick`]).
    pub fn fee(
        &mut self,
        payer_id: i64,
        hcpcs: &str,
        modifiers: &[String],
        dos: NaiveDate,
    ) -> Result<Option<&Fee>, DocumentError> {
        let conn = self.conn;
        let by_code = self.fees.entry(payer_id).or_default();
        if !by_code.contains_key(hcpcs) {
            let schedule = fees::for_code(conn, payer_id, hcpcs).map_err(|e| lookup("fee", e))?;
            by_code.insert(hcpcs.to_string(), schedule);
        }
        Ok(fees::pick(&by_code[hcpcs], modifiers, dos))
    }
}

/// A record the check needs could not be read: said against the kind of record.
pub(super) fn lookup(what: &str, e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Invalid(crate::validation::Problems::one(what, e.to_string()))
}
