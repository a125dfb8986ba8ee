//! CMN forms as PDF, filled from a document record: CMS-484 (oxygen) laid out in its
//! sections A–D with the section B questions, and one general layout for the other CMNs,
//! DIFs and any other item's order/medical-necessity form.
//!
//! Section A (supplier-completed: patient, supplier, practitioner, codes), section B (the
//! practitioner's answers: length of need, diagnoses, the form's questions), section C (the
//! supplier's narrative description of the items with charge and fee-schedule allowance),
//! section D (the attestation and signature line — a CMN is signed on paper by the
//! practitioner, a DIF by the supplier).

use super::{PrintError, Sheet, Weight, MARGIN_MM, PAGE_WIDTH_MM};
use crate::documents::{self, DocType, Document, Oxygen484, TestCondition, TestSetting};
use crate::money::Money;
use crate::patients::{self, Patient};
use crate::practitioners::{self, Practitioner};
use crate::supplier::{self, Supplier};
use crate::{catalog, coverages, fees, orders};
use rusqlite::Connection;

/// One item in section C.
#[derive(Debug, Clone, PartialEq)]
pub struct CmnItem {
    pub hcpcs: String,
    pub description: String,
    pub charge: Option<Money>,
    pub allowance: Option<Money>,
}

/// Everything a CMN form shows, gathered from the database.
#[derive(Debug, Clone)]
pub struct CmnData {
    pub document: Document,
    pub patient: Patient,
    pub supplier: Option<Supplier>,
    pub practitioner: Option<Practitioner>,
    pub diagnoses: Vec<String>,
    pub items: Vec<CmnItem>,
}

/// Gathers what document `document_id`'s form shows.
pub fn gather(conn: &Connection, document_id: i64) -> Result<CmnData, PrintError> {
    let data = |e: &dyn std::fmt::Display| PrintError::Data(e.to_string());
    let document = documents::get(conn, document_id).map_err(|e| data(&e))?;
    let patient = patients::get(conn, document.patient_id).map_err(|e| data(&e))?;
    let supplier = supplier::get(conn).map_err(|e| data(&e))?;
    let order = document.order_id.map(|id| orders::get(conn, id)).transpose().map_err(|e| data(&e))?;
    let practitioner =
        order.as_ref().map(|o| practitioners::get(conn, o.practitioner_id)).transpose().map_err(|e| data(&e))?;
    let diagnoses = order.as_ref().map_or_else(|| patient.diagnoses.clone(), |o| o.diagnoses.clone());
    let payer_id = coverages::active_on(conn, patient.id, document.initial_date)
        .map_err(|e| data(&e))?
        .first()
        .map(|c| c.payer_id);
    let mut lines: Vec<(String, String, Vec<String>)> = match &order {
        Some(o) => o
            .lines
            .iter()
            .filter(|l| document.hcpcs.is_empty() || document.hcpcs.contains(&l.hcpcs))
            .map(|l| (l.hcpcs.clone(), l.description.clone(), l.modifiers.clone()))
            .collect(),
        None => Vec::new(),
    };
    for code in &document.hcpcs {
        if !lines.iter().any(|(c, _, _)| c == code) {
            let item = catalog::find_by_hcpcs(conn, code).map_err(|e| data(&e))?;
            let (description, modifiers) =
                item.map_or((String::new(), Vec::new()), |i| (i.description, i.default_modifiers));
            lines.push((code.clone(), description, modifiers));
        }
    }
    let mut items = Vec::new();
    for (hcpcs, description, modifiers) in lines {
        let fee = match payer_id {
            Some(payer) => {
                fees::lookup(conn, payer, &hcpcs, &modifiers, document.initial_date).map_err(|e| data(&e))?
            }
            None => None,
        };
        items.push(CmnItem {
            hcpcs,
            description,
            charge: fee.as_ref().map(|f| f.charge),
            allowance: fee.map(|f| f.allowed),
        });
    }
    Ok(CmnData { document, patient, supplier, practitioner, diagnoses, items })
}

/// The PDF of document `document_id`'s form.
pub fn print(conn: &Connection, document_id: i64) -> Result<Vec<u8>, PrintError> {
    render(&gather(conn, document_id)?)
}

pub(crate) fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%m/%d/%Y").to_string()).unwrap_or_default()
}

/// A stored ZIP (5 or 9 digits) as printed: `75226` or `75226-4501`.
pub(crate) fn zip(z: &str) -> String {
    if z.len() == 9 {
        format!("{}-{}", &z[..5], &z[5..])
    } else {
        z.to_string()
    }
}

pub(crate) fn phone(p: &Option<String>) -> String {
    match p.as_deref() {
        Some(d) if d.len() == 10 => format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..]),
        Some(d) => d.to_string(),
        None => String::new(),
    }
}

fn yes_no(b: Option<bool>) -> String {
    match b {
        Some(true) => "Y".into(),
        Some(false) => "N".into(),
        None => String::new(),
    }
}

/// Width of section B's answer column, in mm.
const ANSWER_WIDTH: f32 = 34.0;

/// Lays out the form.
pub fn render(data: &CmnData) -> Result<Vec<u8>, PrintError> {
    let d = &data.document;
    let title = match (d.doc_type, d.form) {
        (_, Some(f)) if f.doc_type() == DocType::Dif => {
            format!("DME INFORMATION FORM {} — {}", f.code(), f.title().to_uppercase())
        }
        (_, Some(f)) => format!("CERTIFICATE OF MEDICAL NECESSITY {} — {}", f.code(), f.title().to_uppercase()),
        _ => "ORDER AND CERTIFICATE OF MEDICAL NECESSITY".to_string(),
    };
    let mut s = Sheet::new(&title)?;
    let right = PAGE_WIDTH_MM - MARGIN_MM;
    let width = right - MARGIN_MM;
    let half = MARGIN_MM + width / 2.0;

    s.text(MARGIN_MM, 16.0, 7.0, Weight::Regular, "DEPARTMENT OF HEALTH AND HUMAN SERVICES");
    s.text(MARGIN_MM, 19.5, 7.0, Weight::Regular, "CENTERS FOR MEDICARE & MEDICAID SERVICES");
    if let Some(f) = d.form {
        s.text_right(right, 16.0, 7.0, Weight::Regular, &format!("Form {}", f.code()));
    }
    let title_w = s.width(&title, 12.0, Weight::Bold);
    s.text((PAGE_WIDTH_MM - title_w) / 2.0, 27.0, 12.0, Weight::Bold, &title);

    // Section A.
    let mut y = s.section(35.0, "SECTION A   Certification type/date");
    let (initial, revised, recert) = match (d.revised_date, d.recert_due) {
        (Some(r), _) => (String::new(), date(Some(r)), String::new()),
        _ => (date(Some(d.initial_date)), String::new(), String::new()),
    };
    s.field(MARGIN_MM, y, "INITIAL", &initial);
    s.field(MARGIN_MM + 55.0, y, "REVISED", &revised);
    s.field(MARGIN_MM + 110.0, y, "RECERTIFICATION", &recert);
    y += 4.0;
    let box_h = 27.0;
    s.rect(MARGIN_MM, y, width / 2.0 - 1.0, box_h, 0.5);
    s.rect(half + 1.0, y, width / 2.0 - 1.0, box_h, 0.5);
    let p = &data.patient;
    let left = MARGIN_MM + 2.0;
    s.text(left, y + 4.0, 6.5, Weight::Regular, "PATIENT NAME, ADDRESS, TELEPHONE and MBI");
    s.text(left, y + 9.0, 9.5, Weight::Bold, &format!("{}, {}", p.last_name, p.first_name));
    s.text(left, y + 13.5, 9.0, Weight::Regular, p.address1.as_deref().unwrap_or(""));
    s.text(
        left,
        y + 17.5,
        9.0,
        Weight::Regular,
        &format!(
            "{} {} {}",
            p.city.as_deref().unwrap_or(""),
            p.state.as_deref().unwrap_or(""),
            zip(p.zip.as_deref().unwrap_or(""))
        ),
    );
    s.text(left, y + 21.5, 9.0, Weight::Regular, &phone(&p.phone));
    s.field(left, y + 25.5, "MBI", p.mbi.as_deref().unwrap_or(""));
    let sx = half + 3.0;
    s.text(sx, y + 4.0, 6.5, Weight::Regular, "SUPPLIER NAME, ADDRESS, TELEPHONE and NPI");
    if let Some(sup) = &data.supplier {
        s.text(sx, y + 9.0, 9.5, Weight::Bold, sup.display_name());
        s.text(sx, y + 13.5, 9.0, Weight::Regular, &sup.address1);
        s.text(sx, y + 17.5, 9.0, Weight::Regular, &format!("{} {} {}", sup.city, sup.state, zip(&sup.zip)));
        s.text(sx, y + 21.5, 9.0, Weight::Regular, &phone(&Some(sup.phone.clone())));
        s.field(sx, y + 25.5, "NPI", &sup.npi);
    }
    y += box_h + 5.0;
    s.field(MARGIN_MM, y, "PLACE OF SERVICE", "12 (home)");
    let codes: Vec<&str> = data.items.iter().map(|i| i.hcpcs.as_str()).collect();
    s.field(MARGIN_MM + 50.0, y, "HCPCS CODES", &codes.join("  "));
    s.field(MARGIN_MM + 125.0, y, "PT DOB", &date(Some(p.dob)));
    s.field(MARGIN_MM + 162.0, y, "SEX", p.sex.code());
    y += 3.0;
    s.rect(MARGIN_MM, y, width, 14.0, 0.5);
    s.text(left, y + 4.0, 6.5, Weight::Regular, "PHYSICIAN NAME, ADDRESS, TELEPHONE and NPI");
    if let Some(doc) = &data.practitioner {
        s.text(left, y + 9.0, 9.5, Weight::Bold, &doc.display_name());
        let address = format!(
            "{}  {} {} {}",
            doc.address1.as_deref().unwrap_or(""),
            doc.city.as_deref().unwrap_or(""),
            doc.state.as_deref().unwrap_or(""),
            zip(doc.zip.as_deref().unwrap_or(""))
        );
        s.text(left, y + 12.5, 8.5, Weight::Regular, &format!("{}   {}", address.trim(), phone(&doc.phone)));
        s.field(half + 30.0, y + 9.0, "NPI", &doc.npi);
    }
    y += 21.0;

    // Section B.
    y = s.section(y, "SECTION B   Information in this section may not be completed by the supplier");
    let lon = d.length_of_need_months.map(|m| if m == 99 { "99 (lifetime)".to_string() } else { m.to_string() });
    s.field(MARGIN_MM, y, "EST. LENGTH OF NEED (# OF MONTHS):", lon.as_deref().unwrap_or(""));
    s.field(MARGIN_MM + 90.0, y, "DIAGNOSIS CODES (ICD-10):", &data.diagnoses.join("  "));
    y += 6.0;
    let questions = match d.oxygen_answers() {
        Some(o) => oxygen_questions(&o),
        None => generic_questions(&d.answers),
    };
    s.text(MARGIN_MM, y, 7.0, Weight::Bold, "ANSWERS");
    s.text(MARGIN_MM + ANSWER_WIDTH, y, 7.0, Weight::Bold, "QUESTIONS");
    y += 4.5;
    for (answer, question) in &questions {
        if let Some(answer) = answer {
            s.text(MARGIN_MM, y, 8.0, Weight::Bold, answer);
            s.line(MARGIN_MM, y + 1.0, MARGIN_MM + ANSWER_WIDTH - 3.0, y + 1.0, 0.4);
        }
        y = s.paragraph(MARGIN_MM + ANSWER_WIDTH, y, width - ANSWER_WIDTH, 7.5, Weight::Regular, question) + 1.2;
    }
    y += 1.5;

    // Section C.
    y = s.section(y, "SECTION C   Narrative description of equipment and cost");
    s.text(MARGIN_MM, y, 6.5, Weight::Regular, "(1) Narrative description of all items, accessories and options ordered; (2) Supplier's charge; (3) Medicare fee schedule allowance for each item.");
    y += 4.5;
    s.text(MARGIN_MM, y, 7.0, Weight::Bold, "HCPCS");
    s.text(MARGIN_MM + 16.0, y, 7.0, Weight::Bold, "DESCRIPTION");
    s.text_right(right - 30.0, y, 7.0, Weight::Bold, "CHARGE");
    s.text_right(right, y, 7.0, Weight::Bold, "ALLOWANCE");
    y += 4.5;
    for item in &data.items {
        s.text(MARGIN_MM, y, 8.5, Weight::Bold, &item.hcpcs);
        s.text_right(right - 30.0, y, 8.5, Weight::Regular, &item.charge.map(|m| format!("${m}")).unwrap_or_default());
        s.text_right(right, y, 8.5, Weight::Regular, &item.allowance.map(|m| format!("${m}")).unwrap_or_default());
        y = s.paragraph(MARGIN_MM + 16.0, y, width - 16.0 - 50.0, 8.0, Weight::Regular, &item.description) + 1.0;
    }
    y += 2.0;

    // Section D.
    let is_dif = d.form.is_some_and(|f| f.doc_type() == DocType::Dif);
    y = s.section(
        y,
        if is_dif {
            "SECTION D   Supplier attestation and signature/date"
        } else {
            "SECTION D   Physician attestation and signature/date"
        },
    );
    let attestation = if is_dif {
        "I certify that the information on this form is true, accurate and complete, to the best of my knowledge, and that the medical record supports it."
    } else {
        "I certify that I am the treating physician identified in Section A of this form. I have received Sections A, B and C of the Certificate of Medical Necessity (including charges for items ordered). Any statement on my letterhead attached hereto has been reviewed and signed by me. I certify that the medical necessity information in Section B is true, accurate and complete, to the best of my knowledge, and I understand that any falsification, omission, or concealment of material fact in that section may subject me to civil or criminal liability."
    };
    y = s.paragraph(MARGIN_MM, y, width, 7.5, Weight::Regular, attestation) + 9.0;
    s.line(MARGIN_MM, y, MARGIN_MM + 110.0, y, 0.6);
    s.line(MARGIN_MM + 125.0, y, right, y, 0.6);
    s.text(
        MARGIN_MM,
        y + 3.5,
        6.5,
        Weight::Regular,
        if is_dif { "SUPPLIER'S SIGNATURE" } else { "PHYSICIAN'S SIGNATURE" },
    );
    s.text(MARGIN_MM + 125.0, y + 3.5, 6.5, Weight::Regular, "DATE");
    Ok(s.finish())
}

/// CMS-484 section B: each question with its answer (`None` for a line that is not a question).
fn oxygen_questions(o: &Oxygen484) -> Vec<(Option<String>, String)> {
    let setting = o.test_setting.map(|t| match t {
        TestSetting::OutpatientChronicStable => "1",
        TestSetting::InpatientBeforeDischarge => "2",
        TestSetting::Other => "3",
    });
    let condition = o.test_condition.map(|c| match c {
        TestCondition::AtRest => "1",
        TestCondition::Exercise => "2",
        TestCondition::Sleep => "3",
    });
    let num = |v: Option<u32>, unit: &str| v.map(|v| format!("{v} {unit}")).unwrap_or_default();
    vec![
        (Some(num(o.po2_mmhg, "mm Hg")), "1a. Result of the most recent test taken on or before the certification date: (a) arterial blood gas PO2 and/or".into()),
        (Some(num(o.saturation_percent, "%")), "      (b) oxygen saturation test.".into()),
        (Some(date(o.test_date)), "1b. Date of test.".into()),
        (Some(setting.unwrap_or("").into()), "1c. Was the test performed (1) with the patient in a chronic stable state as an outpatient, (2) within two days prior to discharge from an inpatient facility to home, or (3) under other circumstances?".into()),
        (Some(condition.unwrap_or("").into()), "2. Was the test in question 1 performed (1) at rest, (2) during exercise, or (3) during sleep?".into()),
        (Some(yes_no(o.mobile_in_home)), "3. If you are ordering portable oxygen, is the patient mobile within the home? If you are not ordering portable oxygen, leave blank.".into()),
        (Some(o.flow_rate_lpm.clone().map(|f| format!("{f} LPM")).unwrap_or_default()), "4. Enter the highest oxygen flow rate ordered for this patient in liters per minute. If less than 1 LPM, enter an \"X\".".into()),
        (
            Some([num(o.high_flow_po2_mmhg, "mm Hg"), num(o.high_flow_saturation_percent, "%"), date(o.high_flow_test_date)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" / ")),
            "5. If greater than 4 LPM is prescribed, enter the results of the most recent test taken on 4 LPM: (a) arterial blood gas PO2 and/or (b) oxygen saturation, and (c) the date of that test.".into(),
        ),
        (None, "Answer questions 6–8 only if the PO2 = 56–59 or the oxygen saturation = 89% in question 1.".into()),
        (Some(yes_no(o.dependent_edema)), "6. Does the patient have dependent edema due to congestive heart failure?".into()),
        (Some(yes_no(o.cor_pulmonale)), "7. Does the patient have cor pulmonale or pulmonary hypertension documented by P pulmonale on an EKG or by an echocardiogram, gated blood pool scan or direct pulmonary artery pressure measurement?".into()),
        (Some(yes_no(o.hematocrit_over_56)), "8. Does the patient have a hematocrit greater than 56%?".into()),
    ]
}

/// Other forms: each answer under its question's key.
fn generic_questions(answers: &serde_json::Value) -> Vec<(Option<String>, String)> {
    let Some(map) = answers.as_object().filter(|m| !m.is_empty()) else {
        return vec![(None, "No answers recorded.".into())];
    };
    map.iter()
        .map(|(question, answer)| {
            let text = match answer {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(true) => "Y".into(),
                serde_json::Value::Bool(false) => "N".into(),
                other => other.to_string(),
            };
            (Some(text), question.replace('_', " "))
        })
        .collect()
}
