//! How the CLI reaches practitioners, patients, payers and catalog items in the core.

use super::crud::Entity;
use super::output::cell;
use super::Failure;
use crate::catalog::{self, CatalogItem, CatalogItemInput};
use crate::db::{Actor, Db};
use crate::patients::{self, Patient, PatientInput, PatientSummary};
use crate::payers::{self, Payer, PayerInput};
use crate::practitioners::{self, Practitioner, PractitionerInput};
use rusqlite::Connection;

pub struct Practitioners;
pub struct Patients;
pub struct Payers;
pub struct Catalog;

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

impl Entity for Practitioners {
    type Input = PractitionerInput;
    type Record = Practitioner;
    type Listed = Practitioner;
    fn list(conn: &Connection, search: &str) -> Result<Vec<Practitioner>, Failure> {
        Ok(practitioners::list(conn, search)?)
    }
    fn get(conn: &Connection, id: i64) -> Result<Practitioner, Failure> {
        Ok(practitioners::get(conn, id)?)
    }
    fn add(db: &mut Db, actor: &Actor, input: &PractitionerInput) -> Result<Practitioner, Failure> {
        Ok(practitioners::add(db, actor, input)?)
    }
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &PractitionerInput) -> Result<Practitioner, Failure> {
        Ok(practitioners::update(db, actor, id, input)?)
    }
    fn to_input(record: &Practitioner) -> PractitionerInput {
        record.to_input()
    }
    fn header() -> Vec<&'static str> {
        vec!["ID", "NPI", "NAME", "PECOS", "PHONE"]
    }
    fn row(p: &Practitioner) -> Vec<String> {
        vec![p.id.to_string(), p.npi.clone(), p.display_name(), yes_no(p.pecos_enrolled), cell(&p.phone)]
    }
    fn listed_row(p: &Practitioner) -> Vec<String> {
        Self::row(p)
    }
}

impl Entity for Patients {
    type Input = PatientInput;
    type Record = Patient;
    type Listed = PatientSummary;
    fn list(conn: &Connection, search: &str) -> Result<Vec<PatientSummary>, Failure> {
        Ok(patients::search(conn, search, u32::MAX)?)
    }
    fn get(conn: &Connection, id: i64) -> Result<Patient, Failure> {
        Ok(patients::get(conn, id)?)
    }
    fn add(db: &mut Db, actor: &Actor, input: &PatientInput) -> Result<Patient, Failure> {
        Ok(patients::add(db, actor, input)?)
    }
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &PatientInput) -> Result<Patient, Failure> {
        Ok(patients::update(db, actor, id, input)?)
    }
    fn to_input(record: &Patient) -> PatientInput {
        record.to_input()
    }
    fn header() -> Vec<&'static str> {
        vec!["ID", "NAME", "DOB", "PHONE", "IDS"]
    }
    fn row(p: &Patient) -> Vec<String> {
        vec![p.id.to_string(), p.display_name(), p.dob.to_string(), cell(&p.phone), cell(&p.mbi)]
    }
    fn listed_row(p: &PatientSummary) -> Vec<String> {
        let ids = [p.mbi.as_deref().unwrap_or(""), &p.member_ids].join(" ");
        vec![
            p.id.to_string(),
            format!("{}, {}", p.last_name, p.first_name),
            p.dob.to_string(),
            cell(&p.phone),
            ids.trim().to_string(),
        ]
    }
}

impl Entity for Payers {
    type Input = PayerInput;
    type Record = Payer;
    type Listed = Payer;
    fn list(conn: &Connection, search: &str) -> Result<Vec<Payer>, Failure> {
        Ok(payers::list(conn, search)?)
    }
    fn get(conn: &Connection, id: i64) -> Result<Payer, Failure> {
        Ok(payers::get(conn, id)?)
    }
    fn add(db: &mut Db, actor: &Actor, input: &PayerInput) -> Result<Payer, Failure> {
        Ok(payers::add(db, actor, input)?)
    }
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &PayerInput) -> Result<Payer, Failure> {
        Ok(payers::update(db, actor, id, input)?)
    }
    fn to_input(record: &Payer) -> PayerInput {
        record.to_input()
    }
    fn header() -> Vec<&'static str> {
        vec!["ID", "NAME", "KIND", "PAYER ID", "FILING"]
    }
    fn row(p: &Payer) -> Vec<String> {
        vec![
            p.id.to_string(),
            p.name.clone(),
            p.kind.code().to_string(),
            cell(&p.payer_id),
            p.claim_filing_indicator.clone(),
        ]
    }
    fn listed_row(p: &Payer) -> Vec<String> {
        Self::row(p)
    }
}

impl Entity for Catalog {
    type Input = CatalogItemInput;
    type Record = CatalogItem;
    type Listed = CatalogItem;
    fn list(conn: &Connection, search: &str) -> Result<Vec<CatalogItem>, Failure> {
        Ok(catalog::list(conn, search)?)
    }
    fn get(conn: &Connection, id: i64) -> Result<CatalogItem, Failure> {
        Ok(catalog::get(conn, id)?)
    }
    fn add(db: &mut Db, actor: &Actor, input: &CatalogItemInput) -> Result<CatalogItem, Failure> {
        Ok(catalog::add(db, actor, input)?)
    }
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &CatalogItemInput) -> Result<CatalogItem, Failure> {
        Ok(catalog::update(db, actor, id, input)?)
    }
    fn to_input(record: &CatalogItem) -> CatalogItemInput {
        record.to_input()
    }
    fn header() -> Vec<&'static str> {
        vec!["ID", "HCPCS", "CAT", "RENT", "BUY", "MODS", "DESCRIPTION"]
    }
    fn row(i: &CatalogItem) -> Vec<String> {
        vec![
            i.id.to_string(),
            i.hcpcs.clone(),
            i.category.code().to_string(),
            yes_no(i.rental_allowed),
            yes_no(i.purchase_allowed),
            catalog::join_modifiers(&i.default_modifiers),
            i.description.clone(),
        ]
    }
    fn listed_row(i: &CatalogItem) -> Vec<String> {
        Self::row(i)
    }
}
