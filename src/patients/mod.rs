//! Patients: demographics, the Medicare Beneficiary Identifier, and the ordered list of
//! ICD-10-CM diagnoses that orders and claims point into.

mod icd10;
mod mbi;
mod store;

pub use icd10::{parse_icd10, x12_form as icd10_x12_form};
pub use mbi::parse_mbi;
pub use store::{add, create, get, search, update, SEARCH_LIMIT};

use crate::db::DbError;
use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A patient as entered on a form, the CLI or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct PatientInput {
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
    #[arg(long)]
    pub middle_name: Option<String>,
    /// Date of birth, YYYY-MM-DD
    #[arg(long)]
    pub dob: Option<String>,
    /// F, M or U (unknown)
    #[arg(long)]
    pub sex: Option<String>,
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
    pub email: Option<String>,
    /// Medicare Beneficiary Identifier, when the patient has Medicare
    #[arg(long)]
    pub mbi: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// ICD-10-CM codes, primary first, separated by commas
    #[arg(long)]
    pub diagnoses: Option<String>,
}

/// Administrative sex as claims carry it (X12 DMG03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Sex {
    F,
    M,
    U,
}

impl Sex {
    /// The one-letter code stored and sent on claims.
    pub fn code(self) -> &'static str {
        match self {
            Sex::F => "F",
            Sex::M => "M",
            Sex::U => "U",
        }
    }

    /// Parses the stored code.
    pub fn from_code(code: &str) -> Option<Sex> {
        SEX_CHOICES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|(_, s)| *s)
    }
}

const SEX_CHOICES: &[(&str, Sex)] =
    &[("F", Sex::F), ("M", Sex::M), ("U", Sex::U), ("female", Sex::F), ("male", Sex::M), ("unknown", Sex::U)];

/// A patient on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Patient {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub middle_name: Option<String>,
    pub dob: NaiveDate,
    pub sex: Sex,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mbi: Option<String>,
    pub notes: Option<String>,
    /// ICD-10-CM codes in the practitioner's order; the first is the primary diagnosis.
    pub diagnoses: Vec<String>,
}

/// A patient as search results list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PatientSummary {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub dob: NaiveDate,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub mbi: Option<String>,
    /// Member ids of the patient's coverages other than the MBI, space-separated.
    pub member_ids: String,
}

/// Why a patient could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum PatientError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no patient with id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(PatientError);

/// At most 12 diagnoses fit on a professional claim (X12 837P HI segment, CMS-1500 box 21).
pub const MAX_DIAGNOSES: usize = 12;

impl Patient {
    /// "Last, First", as lists and forms show a patient.
    pub fn display_name(&self) -> String {
        format!("{}, {}", self.last_name, self.first_name)
    }

    /// The record as a form, for editing.
    pub fn to_input(&self) -> PatientInput {
        PatientInput {
            first_name: Some(self.first_name.clone()),
            last_name: Some(self.last_name.clone()),
            middle_name: self.middle_name.clone(),
            dob: Some(self.dob.to_string()),
            sex: Some(self.sex.code().to_string()),
            address1: self.address1.clone(),
            address2: self.address2.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: self.zip.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            mbi: self.mbi.clone(),
            notes: self.notes.clone(),
            diagnoses: Some(self.diagnoses.join(", ")),
        }
    }
}

/// Checks every field of `input` and returns the patient it describes (with id 0).
/// `today` bounds the date of birth.
pub fn validate(input: &PatientInput, today: NaiveDate) -> Result<Patient, Problems> {
    let mut p = Problems::new();
    let first_name = p.required("first_name", input.first_name.as_deref());
    let last_name = p.required("last_name", input.last_name.as_deref());
    let dob = p.required_date("dob", input.dob.as_deref());
    if dob.is_some_and(|d| d > today) {
        p.add("dob", "is in the future");
    }
    let sex = match optional(input.sex.as_deref()) {
        None => {
            p.add("sex", "is required (F, M or U)");
            None
        }
        Some(_) => p.choice("sex", input.sex.as_deref(), SEX_CHOICES),
    };
    let mbi = optional(input.mbi.as_deref()).and_then(|m| parse_mbi(&m).map_err(|e| p.add("mbi", e)).ok());
    let diagnoses = parse_diagnoses(&mut p, input.diagnoses.as_deref());
    let patient = Patient {
        id: 0,
        first_name,
        last_name,
        middle_name: optional(input.middle_name.as_deref()),
        dob: dob.unwrap_or_default(),
        sex: sex.unwrap_or(Sex::U),
        address1: optional(input.address1.as_deref()),
        address2: optional(input.address2.as_deref()),
        city: optional(input.city.as_deref()),
        state: p.state("state", input.state.as_deref()),
        zip: p.zip("zip", input.zip.as_deref()),
        phone: p.phone("phone", input.phone.as_deref()),
        email: p.email("email", input.email.as_deref()),
        mbi,
        notes: optional(input.notes.as_deref()),
        diagnoses,
    };
    p.finish(patient)
}

fn parse_diagnoses(p: &mut Problems, text: Option<&str>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for raw in text.unwrap_or("").split([',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
        match parse_icd10(raw) {
            Ok(code) if codes.contains(&code) => p.add("diagnoses", format!("{code} is listed twice")),
            Ok(code) => codes.push(code),
            Err(e) => p.add("diagnoses", e),
        }
    }
    if codes.len() > MAX_DIAGNOSES {
        p.add("diagnoses", format!("at most {MAX_DIAGNOSES} diagnoses fit on a claim; {} were given", codes.len()));
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn good() -> PatientInput {
        PatientInput {
            first_name: Some("Maria".into()),
            last_name: Some("Lopez".into()),
            dob: Some("1948-03-02".into()),
            sex: Some("f".into()),
            mbi: Some("1eg4-te5-mk73".into()),
            diagnoses: Some("g4733, J44.9".into()),
            ..PatientInput::default()
        }
    }

    #[test]
    fn a_good_patient_is_normalized() {
        let patient = validate(&good(), today()).unwrap();
        assert_eq!(patient.sex, Sex::F);
        assert_eq!(patient.mbi.as_deref(), Some("1EG4TE5MK73"));
        assert_eq!(patient.diagnoses, vec!["G47.33", "J44.9"]);
    }

    #[test]
    fn every_problem_is_reported() {
        let input = PatientInput {
            first_name: Some(" ".into()),
            dob: Some("2030-01-01".into()),
            sex: Some("x".into()),
            mbi: Some("0000".into()),
            diagnoses: Some("J44.9, J44.9, nope".into()),
            ..good()
        };
        let problems = validate(&input, today()).unwrap_err();
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["first_name", "dob", "sex", "mbi", "diagnoses", "diagnoses"]);
    }

    #[test]
    fn thirteen_diagnoses_do_not_fit() {
        let codes: Vec<String> = (0..13).map(|i| format!("M{:02}.0", 10 + i)).collect();
        let input = PatientInput { diagnoses: Some(codes.join(",")), ..good() };
        let problems = validate(&input, today()).unwrap_err();
        assert!(problems.to_string().contains("at most 12 diagnoses"), "{problems}");
    }
}
