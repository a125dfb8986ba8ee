//! Documentation: the papers a payer wants before it pays for an item — the standard written
//! order, CMNs (CMS-484 oxygen, 846, 847, 848, 849) and DIFs (CMS-10125, 10126),
//! face-to-face encounter notes, prior authorizations, ABNs — with their dates, length of
//! need, the form's answers and the scanned files; each payer's rules for which documents
//! it requires; and the "missing information" list built from both.
//!
//! Medicare stopped accepting CMNs and DIFs for dates of service from 2023-01-01, but
//! Medicaid and commercial payers still ask for them and older claims reference them, so
//! documents are tracked generically and the payer rules say what is needed when.

mod answers;
mod files;
mod missing;
mod reference;
mod rules;
mod store;

pub use answers::{Oxygen484, TestCondition, TestSetting};
pub use files::{attach, attach_in, file_content, sha256_hex, DocumentFile, FileError};
pub use missing::{abn_on_file, missing_for_line, missing_for_order, missing_for_patient, MissingItem};
pub use reference::Reference;
pub use rules::{add_rule, list_rules, requirements, Blocks, DocumentationRule, RuleInput};
pub use store::{add, create, expiring, form, get, list, search, update, DocumentFilter};

use crate::catalog::parse_hcpcs;
use crate::db::DbError;
use crate::orders::required_id;
use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A document as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct DocumentInput {
    #[arg(long)]
    pub patient_id: Option<String>,
    /// The order the document supports, if any
    #[arg(long)]
    pub order_id: Option<String>,
    /// swo, cmn, dif, face_to_face, prior_auth, abn or other
    #[arg(long = "type")]
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// For a CMN or DIF: CMS-484, CMS-846, CMS-847, CMS-848, CMS-849, CMS-10125 or CMS-10126
    #[arg(long)]
    pub form: Option<String>,
    /// The HCPCS codes it covers (blank: every item of its order)
    #[arg(long)]
    pub hcpcs: Option<String>,
    /// The date the document was signed or the certification began, YYYY-MM-DD
    #[arg(long)]
    pub initial_date: Option<String>,
    #[arg(long)]
    pub revised_date: Option<String>,
    /// When a recertification is due
    #[arg(long)]
    pub recert_due: Option<String>,
    /// The last day the document is good for
    #[arg(long)]
    pub expires: Option<String>,
    /// Months (1–99; 99 = lifetime)
    #[arg(long)]
    pub length_of_need_months: Option<String>,
    /// Prior authorization: the payer's authorization (UTN) number
    #[arg(long)]
    pub pa_number: Option<String>,
    /// Prior authorization: units approved
    #[arg(long)]
    pub pa_units: Option<String>,
    /// Prior authorization: first day it covers
    #[arg(long)]
    pub pa_from: Option<String>,
    /// Prior authorization: last day it covers
    #[arg(long)]
    pub pa_to: Option<String>,
    /// The form's answers as a JSON object (for CMS-484: po2_mmhg, saturation_percent, flow_rate_lpm ...)
    #[arg(long)]
    pub answers: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

/// The kinds of documents tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocType {
    /// Standard written order.
    Swo,
    /// Certificate of medical necessity.
    Cmn,
    /// DME information form.
    Dif,
    FaceToFace,
    PriorAuth,
    /// Advance beneficiary notice of non-coverage.
    Abn,
    Other,
}

const DOC_TYPES: &[(&str, DocType)] = &[
    ("swo", DocType::Swo),
    ("cmn", DocType::Cmn),
    ("dif", DocType::Dif),
    ("face_to_face", DocType::FaceToFace),
    ("prior_auth", DocType::PriorAuth),
    ("abn", DocType::Abn),
    ("other", DocType::Other),
];

impl DocType {
    /// The stored code.
    pub fn code(self) -> &'static str {
        DOC_TYPES.iter().find(|(_, t)| *t == self).map_or("other", |(c, _)| c)
    }

    /// Parses the stored code.
    pub fn from_code(code: &str) -> Option<DocType> {
        let code = code.trim().to_ascii_lowercase().replace('-', "_");
        DOC_TYPES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
    }

    /// The name billers use.
    pub fn label(self) -> &'static str {
        match self {
            DocType::Swo => "standard written order",
            DocType::Cmn => "certificate of medical necessity",
            DocType::Dif => "DME information form",
            DocType::FaceToFace => "face-to-face encounter note",
            DocType::PriorAuth => "prior authorization",
            DocType::Abn => "ABN",
            DocType::Other => "document",
        }
    }
}

/// The CMS forms a CMN or DIF is written on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Form {
    /// Oxygen.
    #[serde(rename = "CMS-484")]
    Cms484,
    /// Pneumatic compression devices.
    #[serde(rename = "CMS-846")]
    Cms846,
    /// Osteogenesis stimulators.
    #[serde(rename = "CMS-847")]
    Cms847,
    /// Transcutaneous electrical nerve stimulators.
    #[serde(rename = "CMS-848")]
    Cms848,
    /// Seat lift mechanisms.
    #[serde(rename = "CMS-849")]
    Cms849,
    /// External infusion pumps (DIF).
    #[serde(rename = "CMS-10125")]
    Cms10125,
    /// Enteral and parenteral nutrition (DIF).
    #[serde(rename = "CMS-10126")]
    Cms10126,
}

const FORMS: &[(&str, Form)] = &[
    ("CMS-484", Form::Cms484),
    ("CMS-846", Form::Cms846),
    ("CMS-847", Form::Cms847),
    ("CMS-848", Form::Cms848),
    ("CMS-849", Form::Cms849),
    ("CMS-10125", Form::Cms10125),
    ("CMS-10126", Form::Cms10126),
];

impl Form {
    /// The form number as CMS prints it.
    pub fn code(self) -> &'static str {
        FORMS.iter().find(|(_, f)| *f == self).map_or("CMS-484", |(c, _)| c)
    }

    /// Parses `CMS-484`, `484` or `cms484`.
    pub fn from_code(code: &str) -> Option<Form> {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        FORMS.iter().find(|(c, _)| c.trim_start_matches("CMS-") == digits).map(|(_, f)| *f)
    }

    /// Whether the form is a CMN (signed by the practitioner) or a DIF (by the supplier).
    pub fn doc_type(self) -> DocType {
        match self {
            Form::Cms10125 | Form::Cms10126 => DocType::Dif,
            _ => DocType::Cmn,
        }
    }

    /// What the form certifies.
    pub fn title(self) -> &'static str {
        match self {
            Form::Cms484 => "Oxygen",
            Form::Cms846 => "Pneumatic Compression Devices",
            Form::Cms847 => "Osteogenesis Stimulators",
            Form::Cms848 => "Transcutaneous Electrical Nerve Stimulators",
            Form::Cms849 => "Seat Lift Mechanisms",
            Form::Cms10125 => "External Infusion Pumps",
            Form::Cms10126 => "Enteral and Parenteral Nutrition",
        }
    }
}

/// A document on file.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Document {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub order_id: Option<i64>,
    #[serde(rename = "type")]
    pub doc_type: DocType,
    pub form: Option<Form>,
    /// Codes covered; empty covers every item of its order.
    pub hcpcs: Vec<String>,
    pub initial_date: NaiveDate,
    pub revised_date: Option<NaiveDate>,
    pub recert_due: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub length_of_need_months: Option<u32>,
    pub pa_number: Option<String>,
    pub pa_units: Option<u32>,
    pub pa_from: Option<NaiveDate>,
    pub pa_to: Option<NaiveDate>,
    #[ts(type = "Record<string, unknown>")]
    pub answers: serde_json::Value,
    pub notes: Option<String>,
    pub files: Vec<DocumentFile>,
}

impl Document {
    /// True when the document applies to `hcpcs` on order `order_id`.
    pub fn covers(&self, order_id: i64, hcpcs: &str) -> bool {
        if self.hcpcs.is_empty() {
            self.order_id == Some(order_id)
        } else {
            self.hcpcs.iter().any(|c| c == hcpcs)
        }
    }

    /// True when the document is in force on `date` (its own dates, and for a prior
    /// authorization the approved range).
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        let in_pa_range = match (self.pa_from, self.pa_to) {
            (Some(from), Some(to)) => from <= date && date <= to,
            _ => true,
        };
        self.initial_date <= date && self.expires.is_none_or(|e| date <= e) && in_pa_range
    }

    /// The form's answers read as CMS-484 answers, when this is an oxygen CMN.
    pub fn oxygen_answers(&self) -> Option<Oxygen484> {
        (self.form == Some(Form::Cms484)).then(|| serde_json::from_value(self.answers.clone()).ok()).flatten()
    }
}

/// Why a document could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no document with id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(DocumentError);

/// Checks every field of `input` and returns the document it describes (id 0, no patient
/// name, no files); the store adds the checks that need the database.
pub fn validate(input: &DocumentInput) -> Result<Document, Problems> {
    let mut p = Problems::new();
    let patient_id = required_id(&mut p, "patient_id", input.patient_id.as_deref());
    let order_id =
        optional(input.order_id.as_deref()).map(|_| required_id(&mut p, "order_id", input.order_id.as_deref()));
    let doc_type = match optional(input.doc_type.as_deref()) {
        None => {
            p.add("type", "is required (swo, cmn, dif, face_to_face, prior_auth, abn or other)");
            None
        }
        Some(_) => p.choice("type", input.doc_type.as_deref(), DOC_TYPES),
    };
    let form = optional(input.form.as_deref()).and_then(|f| {
        let form = Form::from_code(&f);
        if form.is_none() {
            p.add(
                "form",
                format!("'{f}' is not one of: {}", FORMS.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")),
            );
        }
        form
    });
    match (doc_type, form) {
        (Some(t @ (DocType::Cmn | DocType::Dif)), None) if optional(input.form.as_deref()).is_none() => {
            p.add("form", format!("a {} needs its CMS form number", t.label()))
        }
        (Some(t), Some(f)) if f.doc_type() != t => {
            p.add("form", format!("{} is a {} form, not a {}", f.code(), f.doc_type().label(), t.label()))
        }
        _ => {}
    }
    let hcpcs = parse_codes(&mut p, input.hcpcs.as_deref());
    let initial_date = p.required_date("initial_date", input.initial_date.as_deref());
    let revised_date = p.optional_date("revised_date", input.revised_date.as_deref());
    let recert_due = p.optional_date("recert_due", input.recert_due.as_deref());
    let mut expires = p.optional_date("expires", input.expires.as_deref());
    if let Some(start) = initial_date {
        for (field, date) in [("revised_date", revised_date), ("recert_due", recert_due), ("expires", expires)] {
            if date.is_some_and(|d| d < start) {
                p.add(field, "is before the initial date");
            }
        }
    }
    let length_of_need_months = optional(input.length_of_need_months.as_deref()).and_then(|m| match m.parse::<u32>() {
        Ok(n) if (1..=crate::orders::LIFETIME_MONTHS).contains(&n) => Some(n),
        _ => {
            p.add("length_of_need_months", format!("'{m}' is not a length of need (1 to 99 months; 99 = lifetime)"));
            None
        }
    });
    let pa_number = optional(input.pa_number.as_deref());
    let pa_units = optional(input.pa_units.as_deref()).and_then(|u| match u.parse::<u32>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            p.add("pa_units", format!("'{u}' is not a number of units"));
            None
        }
    });
    let pa_from = p.optional_date("pa_from", input.pa_from.as_deref());
    let pa_to = p.optional_date("pa_to", input.pa_to.as_deref());
    if doc_type == Some(DocType::PriorAuth) {
        if pa_number.is_none() {
            p.add("pa_number", "a prior authorization needs its number (the UTN on the decision letter)");
        }
        match (pa_from, pa_to) {
            (Some(from), Some(to)) if to < from => p.add("pa_to", "is before pa_from"),
            (Some(_), Some(_)) => {}
            _ => p.add("pa_from", "a prior authorization needs the dates it covers (pa_from and pa_to)"),
        }
        if expires.is_none() {
            expires = pa_to;
        }
    } else if pa_number.is_some() || pa_units.is_some() || pa_from.is_some() || pa_to.is_some() {
        p.add("pa_number", "prior authorization details belong on a prior_auth document");
    }
    let answers = answers::validate(&mut p, form, input.answers.as_deref(), revised_date.or(initial_date));
    let document = Document {
        id: 0,
        patient_id,
        patient_name: String::new(),
        order_id,
        doc_type: doc_type.unwrap_or(DocType::Other),
        form,
        hcpcs,
        initial_date: initial_date.unwrap_or_default(),
        revised_date,
        recert_due,
        expires,
        length_of_need_months,
        pa_number,
        pa_units,
        pa_from,
        pa_to,
        answers,
        notes: optional(input.notes.as_deref()),
        files: Vec::new(),
    };
    p.finish(document)
}

fn parse_codes(p: &mut Problems, text: Option<&str>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for raw in text.unwrap_or("").split([',', ' ', ':', ';']).filter(|s| !s.trim().is_empty()) {
        match parse_hcpcs(raw) {
            Ok(code) if !codes.contains(&code) => codes.push(code),
            Ok(_) => {}
            Err(e) => p.add("hcpcs", e),
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pa() -> DocumentInput {
        DocumentInput {
            patient_id: Some("1".into()),
            doc_type: Some("prior_auth".into()),
            hcpcs: Some("K0856".into()),
            initial_date: Some("2026-03-01".into()),
            pa_number: Some("JC1234567890".into()),
            pa_units: Some("1".into()),
            pa_from: Some("2026-03-01".into()),
            pa_to: Some("2026-08-31".into()),
            ..DocumentInput::default()
        }
    }

    #[test]
    fn a_prior_authorization_expires_with_its_range() {
        let d = validate(&pa()).unwrap();
        assert_eq!(d.expires, NaiveDate::from_ymd_opt(2026, 8, 31));
        assert!(d.is_valid_on(NaiveDate::from_ymd_opt(2026, 8, 31).unwrap()));
        assert!(!d.is_valid_on(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()));
        assert!(d.covers(7, "K0856") && !d.covers(7, "K0861"));
    }

    #[test]
    fn forms_must_match_the_type() {
        let wrong = DocumentInput { doc_type: Some("dif".into()), form: Some("484".into()), ..pa() };
        let text = validate(&wrong).unwrap_err().to_string();
        assert!(
            text.contains("form: CMS-484 is a certificate of medical necessity form, not a DME information form"),
            "{text}"
        );
        assert!(text.contains("pa_number: prior authorization details belong"), "{text}");
        let bare_cmn = DocumentInput { doc_type: Some("cmn".into()), ..DocumentInput::default() };
        let text = validate(&bare_cmn).unwrap_err().to_string();
        assert!(text.contains("form: a certificate of medical necessity needs its CMS form number"), "{text}");
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = DocumentInput {
            doc_type: Some("prior_auth".into()),
            hcpcs: Some("K08".into()),
            initial_date: Some("2026-03-01".into()),
            expires: Some("2026-02-01".into()),
            length_of_need_months: Some("0".into()),
            pa_from: Some("2026-03-10".into()),
            pa_to: Some("2026-03-01".into()),
            ..DocumentInput::default()
        };
        let fields: Vec<String> = validate(&bad).unwrap_err().0.into_iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["patient_id", "hcpcs", "expires", "length_of_need_months", "pa_number", "pa_to"]);
    }

    #[test]
    fn form_codes_parse_loosely() {
        assert_eq!(Form::from_code("cms484"), Some(Form::Cms484));
        assert_eq!(Form::from_code("CMS-10126"), Some(Form::Cms10126));
        assert_eq!(Form::from_code("485"), None);
        assert_eq!(serde_json::to_value(Form::Cms484).unwrap(), "CMS-484");
    }
}
