//! The CMS-1500 (02/12) paper claim, for payers that take paper.
//!
//! Two variants: [`Cms1500Variant::Data`] prints only the values, positioned for the red
//! pre-printed form; [`Cms1500Variant::Form`] also draws the boxes and their labels, for
//! plain paper. Positions follow the form's print grid (NUCC 1500 Claim Form Reference
//! Instruction Manual 02/12): 10 characters per inch across, 6 lines per inch down, so a
//! value is placed by its line and column, the way an impact printer fills the form. Values
//! are upper case; dates are `MM DD YY` in box 24A and `MM DD YYYY` elsewhere; amounts put
//! the dollars left of the form's dollar/cents rule and the cents right of it (no `$`, no
//! decimal point). Six service lines fit a page: a longer claim continues on more pages, each
//! standing alone, with the total charge on the last.

use super::{PrintError, Sheet, Weight};
use crate::claims::{self, Claim, ClaimFrequency};
use crate::coverages::{self, Coverage, Priority, Relationship};
use crate::money::Money;
use crate::patients::{self, Patient};
use crate::payers::{self, Payer};
use crate::practitioners::{self, Practitioner};
use crate::supplier::{self, Supplier};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Which paper the PDF is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Cms1500Variant {
    /// The values only, for the red pre-printed form.
    Data,
    /// The values with the form's boxes and labels drawn, for plain paper.
    Form,
}

/// Service lines on one page (box 24 has six rows).
pub const LINES_PER_PAGE: usize = 6;

/// One column of the print grid (1/10 inch), in millimetres.
const COLUMN_MM: f32 = 2.54;
/// One line of the print grid (1/6 inch), in millimetres.
const ROW_MM: f32 = 25.4 / 6.0;
/// Where column 1 starts and line 1 ends on the page, aligned to the red form.
const LEFT_MM: f32 = 6.35;
const TOP_MM: f32 = 4.6;
/// Type size of the values.
const VALUE_PT: f32 = 9.0;
/// Type size of the box labels on the full form.
const LABEL_PT: f32 = 4.8;

/// The left edge of grid column `col` (1-based).
fn x(col: f32) -> f32 {
    LEFT_MM + (col - 1.0) * COLUMN_MM
}

/// The top edge of grid line `row` (1-based).
fn top(row: f32) -> f32 {
    TOP_MM + (row - 1.0) * ROW_MM
}

/// The baseline of values on grid line `row`.
fn baseline(row: u8) -> f32 {
    top(f32::from(row) + 1.0) - 1.1
}

/// Something printed on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
    /// Text starting at grid (`row`, `col`), cut to `width` characters.
    Text { row: u8, col: u8, width: u8, text: String },
    /// An amount whose decimal point falls on column `point` (dollars end just before it,
    /// cents follow it).
    Amount { row: u8, point: u8, amount: Money },
}

fn text(row: u8, col: u8, width: u8, value: impl AsRef<str>) -> Mark {
    Mark::Text { row, col, width, text: value.as_ref().to_uppercase() }
}

fn check(row: u8, col: u8) -> Mark {
    text(row, col, 1, "X")
}

/// Everything the form shows, gathered from the database.
#[derive(Debug, Clone)]
struct Cms1500Data {
    claim: Claim,
    patient: Patient,
    coverage: Coverage,
    payer: Payer,
    /// The coverage ahead of this one, on a secondary or tertiary claim.
    primary: Option<(Coverage, Payer)>,
    ordering: Option<Practitioner>,
    supplier: Supplier,
}

fn gather(conn: &Connection, claim_id: i64) -> Result<Cms1500Data, PrintError> {
    let data = |e: &dyn std::fmt::Display| PrintError::Data(e.to_string());
    let claim = claims::get(conn, claim_id).map_err(|e| data(&e))?;
    let patient = patients::get(conn, claim.patient_id).map_err(|e| data(&e))?;
    let coverage = coverages::get(conn, claim.coverage_id).map_err(|e| data(&e))?;
    let payer = payers::get(conn, coverage.payer_id).map_err(|e| data(&e))?;
    let primary = match coverage.priority {
        Priority::Primary => None,
        _ => coverages::active_on(conn, claim.patient_id, claim.service_from)
            .map_err(|e| data(&e))?
            .into_iter()
            .filter(|c| c.priority < coverage.priority)
            .min_by_key(|c| c.priority)
            .map(|c| payers::get(conn, c.payer_id).map(|p| (c, p)))
            .transpose()
            .map_err(|e| data(&e))?,
    };
    let ordering = claim.practitioner_id.map(|id| practitioners::get(conn, id)).transpose().map_err(|e| data(&e))?;
    let supplier = supplier::get(conn)
        .map_err(|e| data(&e))?
        .ok_or_else(|| PrintError::Data("the supplier (billing provider) is not set up".into()))?;
    Ok(Cms1500Data { claim, patient, coverage, payer, primary, ordering, supplier })
}

/// The CMS-1500 PDF of claim `claim_id`: one page per six service lines.
pub fn cms1500(conn: &Connection, claim_id: i64, variant: Cms1500Variant) -> Result<Vec<u8>, PrintError> {
    let data = gather(conn, claim_id)?;
    let mut sheet = Sheet::new(&format!("CMS-1500 claim {}", data.claim.control_number))?;
    let pages = pages(&data);
    for (i, marks) in pages.iter().enumerate() {
        if i > 0 {
            sheet.new_page();
        }
        if variant == Cms1500Variant::Form {
            draw_form(&mut sheet);
        }
        for mark in marks {
            put(&mut sheet, mark);
        }
    }
    Ok(sheet.finish())
}

fn put(sheet: &mut Sheet, mark: &Mark) {
    match mark {
        Mark::Text { row, col, width, text } => {
            let cut: String = text.chars().take(usize::from(*width)).collect();
            sheet.text(x(f32::from(*col)), baseline(*row), VALUE_PT, Weight::Regular, &cut);
        }
        Mark::Amount { row, point, amount } => {
            let shown = amount.to_string();
            let (dollars, cents) = shown.split_once('.').unwrap_or((&shown, "00"));
            let point = f32::from(*point);
            sheet.text_right(x(point) - 0.3, baseline(*row), VALUE_PT, Weight::Regular, dollars);
            sheet.text(x(point + 1.0), baseline(*row), VALUE_PT, Weight::Regular, cents);
        }
    }
}

fn mm_dd_yyyy(d: NaiveDate) -> [String; 3] {
    [d.format("%m").to_string(), d.format("%d").to_string(), d.format("%Y").to_string()]
}

fn name(last: &str, first: &str, middle: Option<&str>) -> String {
    match middle.and_then(|m| m.chars().next()) {
        Some(initial) => format!("{last}, {first}, {initial}"),
        None => format!("{last}, {first}"),
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A name and address as boxes 5, 7, 32 and 33 split them.
struct Place<'a> {
    street: &'a str,
    city: &'a str,
    state: &'a str,
    zip: &'a str,
    phone: &'a str,
}

/// Box 1's check column for the payer's program, from its claim filing indicator.
fn program_column(payer: &Payer) -> u8 {
    match payer.claim_filing_indicator.as_str() {
        "MA" | "MB" => 1,
        "MC" => 8,
        "CH" => 15,
        "VA" => 24,
        "FI" => 39,
        "09" | "11" | "ZZ" => 45,
        _ => 31,
    }
}

/// Every mark on every page.
fn pages(d: &Cms1500Data) -> Vec<Vec<Mark>> {
    let chunks: Vec<_> = d.claim.lines.chunks(LINES_PER_PAGE).collect();
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, lines)| {
            let mut marks = header(d);
            for (n, line) in lines.iter().enumerate() {
                service_line(&mut marks, n, line, &d.claim.place_of_service, &d.supplier.npi);
            }
            footer(&mut marks, d, (i + 1 == count).then_some(d.claim.total_charge));
            marks
        })
        .collect()
}

/// The payer's address (top right) and boxes 1 to 23, the same on every page.
fn header(d: &Cms1500Data) -> Vec<Mark> {
    let (claim, patient, coverage, payer) = (&d.claim, &d.patient, &d.coverage, &d.payer);
    let medicare = payer.is_medicare();
    let mut m = Vec::new();

    // Carrier block.
    m.push(text(2, 41, 31, &payer.name));
    m.push(text(3, 41, 31, payer.address1.as_deref().unwrap_or_default()));
    m.push(text(4, 41, 31, payer.address2.as_deref().unwrap_or_default()));
    let city = [payer.city.as_deref(), payer.state.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    m.push(text(5, 41, 31, format!("{city} {}", super::cmn::zip(payer.zip.as_deref().unwrap_or_default()))));

    // 1, 1a.
    m.push(check(8, program_column(payer)));
    m.push(text(8, 50, 29, &coverage.member_id));

    // 2, 3.
    m.push(text(10, 1, 28, name(&patient.last_name, &patient.first_name, patient.middle_name.as_deref())));
    let [mm, dd, yyyy] = mm_dd_yyyy(patient.dob);
    m.extend([text(10, 31, 2, mm), text(10, 34, 2, dd), text(10, 37, 4, yyyy)]);
    match patient.sex {
        patients::Sex::M => m.push(check(10, 42)),
        patients::Sex::F => m.push(check(10, 47)),
        patients::Sex::U => {}
    }

    // 4, 7: the insured, when not the patient.
    let subscriber = coverage.subscriber.as_ref().filter(|_| coverage.relationship != Relationship::Itself);
    let insured_name = match subscriber {
        Some(s) => name(&s.last_name, &s.first_name, None),
        None => name(&patient.last_name, &patient.first_name, patient.middle_name.as_deref()),
    };
    m.push(text(10, 50, 29, insured_name));

    // 5.
    let home = Place {
        street: patient.address1.as_deref().unwrap_or_default(),
        city: patient.city.as_deref().unwrap_or_default(),
        state: patient.state.as_deref().unwrap_or_default(),
        zip: patient.zip.as_deref().unwrap_or_default(),
        phone: patient.phone.as_deref().unwrap_or_default(),
    };
    address(&mut m, 1, &home);

    // 6.
    m.push(check(
        12,
        match coverage.relationship {
            Relationship::Itself => 33,
            Relationship::Spouse => 38,
            Relationship::Child => 42,
            Relationship::Other => 47,
        },
    ));

    // 7: the insured's address (blank when the patient is the insured, as NUCC allows).
    if let Some(s) = subscriber {
        let place = Place {
            street: s.address1.as_deref().unwrap_or_default(),
            city: s.city.as_deref().unwrap_or_default(),
            state: s.state.as_deref().unwrap_or_default(),
            zip: s.zip.as_deref().unwrap_or_default(),
            phone: "",
        };
        address(&mut m, 50, &place);
    }

    // 9, 9a, 9d, 11d: the payer ahead of this one on a secondary claim.
    if let Some((other, other_payer)) = &d.primary {
        let other_name = match (&other.subscriber, other.relationship) {
            (Some(s), r) if r != Relationship::Itself => name(&s.last_name, &s.first_name, None),
            _ => name(&patient.last_name, &patient.first_name, patient.middle_name.as_deref()),
        };
        m.push(text(18, 1, 28, other_name));
        m.push(text(20, 1, 28, &other.member_id));
        m.push(text(26, 1, 28, &other_payer.name));
    }

    // 11: the insured's group number; Medicare wants NONE when no insurance is primary to it.
    let group = match (&coverage.group_number, medicare && d.primary.is_none()) {
        (_, true) => "NONE".to_string(),
        (Some(g), false) => g.clone(),
        (None, false) => String::new(),
    };
    m.push(text(18, 50, 30, group));

    // 10a–10c: not related to employment or an accident.
    m.extend([check(20, 41), check(22, 41), check(24, 41)]);

    // 11a: the insured's birth date and sex, when not the patient.
    if let Some(s) = subscriber {
        let [mm, dd, yyyy] = mm_dd_yyyy(s.dob);
        m.extend([text(20, 53, 2, mm), text(20, 56, 2, dd), text(20, 59, 4, yyyy)]);
        match s.sex {
            Some(patients::Sex::M) => m.push(check(20, 68)),
            Some(patients::Sex::F) => m.push(check(20, 75)),
            _ => {}
        }
    }

    // 11c, 11d (Medicare leaves both blank on a claim it pays first).
    if !medicare {
        m.push(text(24, 50, 30, &payer.name));
        m.push(check(26, if d.primary.is_some() { 52 } else { 57 }));
    }

    // 12, 13.
    m.push(text(29, 7, 17, "SIGNATURE ON FILE"));
    m.push(text(29, 55, 17, "SIGNATURE ON FILE"));

    // 17, 17b: the ordering provider (qualifier DK).
    if let Some(p) = &d.ordering {
        m.push(text(34, 1, 2, "DK"));
        m.push(text(34, 4, 25, name(&p.last_name, &p.first_name, None)));
        m.push(text(34, 33, 15, &p.npi));
    }

    // 21: ICD-10 indicator and up to 12 diagnoses, A–L across three rows.
    m.push(text(37, 42, 1, "0"));
    for (i, code) in claim.diagnoses.iter().take(claims::MAX_DIAGNOSES).enumerate() {
        let (row, col) = (38 + (i / 4) as u8, 3 + 13 * (i % 4) as u8);
        m.push(text(row, col, 8, code.replace('.', "")));
    }

    // 22: resubmission code and the payer's original claim number for a replacement or void.
    if claim.frequency != ClaimFrequency::Original {
        m.push(text(38, 50, 10, claim.frequency.x12()));
        m.push(text(38, 62, 18, claim.payer_claim_number.as_deref().unwrap_or_default()));
    }

    // 23.
    if let Some(pa) = &claim.prior_authorization {
        m.push(text(40, 50, 29, pa));
    }
    m
}

/// Street on line 12, city and state on line 14, ZIP and phone on line 16, from column
/// `col` (1 for box 5, 50 for box 7).
fn address(m: &mut Vec<Mark>, col: u8, p: &Place<'_>) {
    m.push(text(12, col, 28, p.street));
    m.push(text(14, col, 23, p.city));
    m.push(text(14, col + 25, 2, p.state));
    m.push(text(16, col, 10, super::cmn::zip(p.zip)));
    let phone = digits(p.phone);
    if phone.len() == 10 {
        m.push(text(16, col + 14, 3, &phone[..3]));
        m.push(text(16, col + 18, 8, format!("{}-{}", &phone[3..6], &phone[6..])));
    }
}

/// Service line `n` (0-based on its page) of box 24 on its unshaded row.
fn service_line(m: &mut Vec<Mark>, n: usize, line: &claims::ClaimLine, pos: &str, npi: &str) {
    let row = 44 + 2 * n as u8;
    let mdy = |d: NaiveDate| [d.format("%m").to_string(), d.format("%d").to_string(), d.format("%y").to_string()];
    for (start, date) in [(1, line.service_from), (10, line.service_to)] {
        for (k, part) in mdy(date).into_iter().enumerate() {
            m.push(text(row, start + 3 * k as u8, 2, part));
        }
    }
    m.push(text(row, 19, 2, pos));
    m.push(text(row, 25, 6, &line.hcpcs));
    m.push(text(row, 33, 11, line.modifiers.join(" ")));
    let pointers: String =
        line.diagnosis_pointers.iter().filter(|&&p| (1..=12).contains(&p)).map(|&p| char::from(b'A' + p - 1)).collect();
    m.push(text(row, 45, 4, pointers));
    m.push(Mark::Amount { row, point: 55, amount: line.charge });
    m.push(text(row, 59, 3, line.units.to_string()));
    m.push(text(row, 68, 10, npi));
}

/// Boxes 25 to 33; `total` is the claim's total charge on the last page, `None` on the
/// pages before it.
fn footer(m: &mut Vec<Mark>, d: &Cms1500Data, total: Option<Money>) {
    let s = &d.supplier;
    // 25: the EIN.
    m.push(text(56, 1, 15, digits(&s.ein)));
    m.push(check(56, 19));
    // 26: the patient's account number — the claim's control number, echoed on remittances.
    m.push(text(56, 23, 14, &d.claim.control_number));
    // 27: the supplier accepts assignment.
    m.push(check(56, 38));
    // 28.
    match total {
        Some(total) => m.push(Mark::Amount { row: 56, point: 57, amount: total }),
        None => m.push(text(56, 50, 11, "CONTINUED")),
    }
    // 31: signature on file and the date the claim was made.
    m.push(text(60, 1, 20, "SIGNATURE ON FILE"));
    let made = d.claim.created_at.get(..10).and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
    if let Some(made) = made {
        m.push(text(61, 6, 10, made.format("%m %d %y").to_string()));
    }
    // 33 (and 32 for Medicare): the supplier's name and address. The DME MACs want in 32 the
    // location where the order was accepted, the supplier's own (Medicare Claims Processing
    // Manual, chapter 26, item 32); other payers want 32 only for services away from the
    // patient's home, and these claims are place of service 12, so it stays blank for them.
    let street = match &s.address2 {
        Some(a2) => format!("{} {a2}", s.address1),
        None => s.address1.clone(),
    };
    let city = format!("{} {} {}", s.city, s.state, super::cmn::zip(&digits(&s.zip)));
    let columns: &[(u8, u8)] = if d.payer.is_medicare() { &[(23, 26), (50, 29)] } else { &[(50, 29)] };
    for &(col, width) in columns {
        for (row, value) in (58..).zip([&s.legal_name, &street, &city]) {
            m.push(text(row, col, width, value));
        }
    }
    // 33: the supplier's phone, and 33a its NPI.
    let phone = digits(&s.phone);
    if phone.len() == 10 {
        m.push(text(57, 66, 3, &phone[..3]));
        m.push(text(57, 70, 8, format!("{}-{}", &phone[3..6], &phone[6..])));
    }
    m.push(text(61, 50, 10, &s.npi));
}

/// A box of the full form: grid lines `rows` (first, last) by columns (`left`, `right`)
/// exclusive of `right`, with its label in the top-left corner.
struct FormBox {
    rows: (u8, u8),
    cols: (f32, f32),
    label: &'static str,
}

const fn b(first: u8, last: u8, left: f32, right: f32, label: &'static str) -> FormBox {
    FormBox { rows: (first, last), cols: (left, right), label }
}

/// The right edge of the form.
const RIGHT: f32 = 80.0;

/// The boxes of the full form, top to bottom.
const BOXES: &[FormBox] = &[
    b(7, 8, 1.0, 50.0, "1."),
    b(7, 8, 50.0, RIGHT, "1a. INSURED'S I.D. NUMBER (For Program in Item 1)"),
    b(9, 10, 1.0, 30.5, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)"),
    b(9, 10, 30.5, 50.0, "3. PATIENT'S BIRTH DATE  MM  DD  YY          SEX"),
    b(9, 10, 50.0, RIGHT, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)"),
    b(11, 12, 1.0, 30.5, "5. PATIENT'S ADDRESS (No., Street)"),
    b(11, 12, 30.5, 50.0, "6. PATIENT RELATIONSHIP TO INSURED"),
    b(11, 12, 50.0, RIGHT, "7. INSURED'S ADDRESS (No., Street)"),
    b(13, 14, 1.0, 25.5, "CITY"),
    b(13, 14, 25.5, 30.5, "STATE"),
    b(13, 16, 30.5, 50.0, "8. RESERVED FOR NUCC USE"),
    b(13, 14, 50.0, 73.5, "CITY"),
    b(13, 14, 73.5, RIGHT, "STATE"),
    b(15, 16, 1.0, 14.5, "ZIP CODE"),
    b(15, 16, 14.5, 30.5, "TELEPHONE (Include Area Code)"),
    b(15, 16, 50.0, 64.5, "ZIP CODE"),
    b(15, 16, 64.5, RIGHT, "TELEPHONE (Include Area Code)"),
    b(17, 18, 1.0, 30.5, "9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)"),
    b(17, 18, 30.5, 50.0, "10. IS PATIENT'S CONDITION RELATED TO:"),
    b(17, 18, 50.0, RIGHT, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
    b(19, 20, 1.0, 30.5, "a. OTHER INSURED'S POLICY OR GROUP NUMBER"),
    b(19, 20, 30.5, 50.0, "a. EMPLOYMENT? (Current or Previous)"),
    b(19, 20, 50.0, RIGHT, "a. INSURED'S DATE OF BIRTH  MM  DD  YY            SEX"),
    b(21, 22, 1.0, 30.5, "b. RESERVED FOR NUCC USE"),
    b(21, 22, 30.5, 50.0, "b. AUTO ACCIDENT?                        PLACE (State)"),
    b(21, 22, 50.0, RIGHT, "b. OTHER CLAIM ID (Designated by NUCC)"),
    b(23, 24, 1.0, 30.5, "c. RESERVED FOR NUCC USE"),
    b(23, 24, 30.5, 50.0, "c. OTHER ACCIDENT?"),
    b(23, 24, 50.0, RIGHT, "c. INSURANCE PLAN NAME OR PROGRAM NAME"),
    b(25, 26, 1.0, 30.5, "d. INSURANCE PLAN NAME OR PROGRAM NAME"),
    b(25, 26, 30.5, 50.0, "10d. CLAIM CODES (Designated by NUCC)"),
    b(25, 26, 50.0, RIGHT, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?"),
    b(27, 30, 1.0, 50.0, "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE          SIGNED                    DATE"),
    b(27, 30, 50.0, RIGHT, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE   SIGNED"),
    b(31, 32, 1.0, 30.5, "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)"),
    b(31, 32, 30.5, 50.0, "15. OTHER DATE  QUAL.   MM DD YY"),
    b(31, 32, 50.0, RIGHT, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION"),
    b(33, 34, 1.0, 29.5, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE"),
    b(33, 33, 29.5, 50.0, "17a."),
    b(34, 34, 29.5, 50.0, "17b. NPI"),
    b(33, 34, 50.0, RIGHT, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES"),
    b(35, 36, 1.0, 50.0, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)"),
    b(35, 36, 50.0, RIGHT, "20. OUTSIDE LAB?                       $ CHARGES"),
    b(
        37,
        40,
        1.0,
        50.0,
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)   ICD Ind.",
    ),
    b(37, 38, 50.0, RIGHT, "22. RESUBMISSION CODE          ORIGINAL REF. NO."),
    b(39, 40, 50.0, RIGHT, "23. PRIOR AUTHORIZATION NUMBER"),
    b(55, 56, 1.0, 22.5, "25. FEDERAL TAX I.D. NUMBER"),
    b(55, 56, 22.5, 37.5, "26. PATIENT'S ACCOUNT NO."),
    b(55, 56, 37.5, 50.0, "27. ACCEPT ASSIGNMENT?"),
    b(55, 56, 50.0, 61.5, "28. TOTAL CHARGE"),
    b(55, 56, 61.5, 71.5, "29. AMOUNT PAID"),
    b(55, 56, 71.5, RIGHT, "30. Rsvd for NUCC Use"),
    b(57, 62, 1.0, 22.5, "31. SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS"),
    b(57, 62, 22.5, 50.0, "32. SERVICE FACILITY LOCATION INFORMATION"),
    b(57, 62, 50.0, RIGHT, "33. BILLING PROVIDER INFO & PH #"),
];

/// Box 24's column edges and the heading over each column.
const LINE_COLUMNS: &[(f32, &str)] = &[
    (1.0, "24. A. DATE(S) OF SERVICE  From"),
    (9.5, "To"),
    (18.5, "B. POS"),
    (21.5, "C. EMG"),
    (24.5, "D. CPT/HCPCS"),
    (32.5, "MODIFIER"),
    (44.5, "E. DX PTR"),
    (49.5, "F. $ CHARGES"),
    (58.5, "G. UNITS"),
    (62.5, "H. EPSDT"),
    (64.5, "I. QUAL"),
    (67.5, "J. RENDERING PROVIDER ID. #"),
];

/// Check boxes the form prints: (line, column, the choice beside it).
const CHECKBOXES: &[(u8, u8, &str)] = &[
    (8, 1, "MEDICARE"),
    (8, 8, "MEDICAID"),
    (8, 15, "TRICARE"),
    (8, 24, "CHAMPVA"),
    (8, 31, "GROUP HEALTH PLAN"),
    (8, 39, "FECA BLK LUNG"),
    (8, 45, "OTHER"),
    (10, 42, "M"),
    (10, 47, "F"),
    (12, 33, "Self"),
    (12, 38, "Spouse"),
    (12, 42, "Child"),
    (12, 47, "Other"),
    (20, 35, "YES"),
    (20, 41, "NO"),
    (22, 35, "YES"),
    (22, 41, "NO"),
    (24, 35, "YES"),
    (24, 41, "NO"),
    (20, 68, "M"),
    (20, 75, "F"),
    (26, 52, "YES"),
    (26, 57, "NO"),
    (36, 52, "YES"),
    (36, 57, "NO"),
    (56, 17, "SSN"),
    (56, 19, "EIN"),
    (56, 38, "YES"),
    (56, 43, "NO"),
];

/// Draws the form itself: title, boxes with labels, check boxes and box 24's grid.
fn draw_form(s: &mut Sheet) {
    s.text(x(1.0), baseline(4), 12.0, Weight::Bold, "HEALTH INSURANCE CLAIM FORM");
    s.text(x(1.0), baseline(5), 6.0, Weight::Regular, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12");
    s.text(x(41.0) - 1.0, top(2.0) - 0.6, LABEL_PT, Weight::Regular, "CARRIER");
    s.text(x(1.0), top(7.0) - 0.8, 6.0, Weight::Bold, "PATIENT AND INSURED INFORMATION");
    let thin = 0.5;
    for bx in BOXES {
        let (x1, x2) = (x(bx.cols.0), x(bx.cols.1));
        let (y1, y2) = (top(f32::from(bx.rows.0)), top(f32::from(bx.rows.1) + 1.0));
        s.rect(x1, y1, x2 - x1, y2 - y1, thin);
        let width = s.width(bx.label, LABEL_PT, Weight::Regular);
        let size = LABEL_PT * ((x2 - x1 - 1.2) / width).min(1.0);
        s.text(x1 + 0.6, y1 + 1.8, size, Weight::Regular, bx.label);
    }
    for &(row, col, choice) in CHECKBOXES {
        let size = ROW_MM * 0.6;
        let (left, upper) = (x(f32::from(col)) - 0.4, top(f32::from(row)) + 0.8);
        s.rect(left, upper, size, size, thin);
        s.text(left + size + 0.5, upper + size - 0.3, LABEL_PT, Weight::Regular, choice);
    }
    for (i, letter) in "ABCDEFGHIJKL".chars().enumerate() {
        let (row, col) = (38 + (i / 4) as u8, 1 + 13 * (i % 4) as u8);
        s.text(x(f32::from(col)), baseline(row), 6.0, Weight::Regular, &format!("{letter}."));
    }
    // Box 24: heading, then six lines of a shaded (supplemental) row over a service row.
    let (first, last) = (top(41.0), top(55.0));
    s.rect(x(1.0), first, x(RIGHT) - x(1.0), last - first, thin);
    for (i, (col, heading)) in LINE_COLUMNS.iter().enumerate() {
        if i > 0 {
            s.line(x(*col), first, x(*col), last, thin);
        }
        s.text(x(*col) + 0.5, top(42.0) + 2.0, LABEL_PT, Weight::Regular, heading);
    }
    for n in 0..LINES_PER_PAGE as u8 {
        let shaded = top(f32::from(43 + 2 * n));
        s.line(x(1.0), shaded, x(RIGHT), shaded, thin);
        s.line(x(1.0), shaded + ROW_MM, x(RIGHT), shaded + ROW_MM, 0.2);
        s.text(x(RIGHT) + 0.8, shaded + ROW_MM + 3.0, 7.0, Weight::Bold, &(n + 1).to_string());
    }
    // The dollar/cents rules of 24F, 28 and 29.
    s.line(x(55.5), top(43.0), x(55.5), last, 0.2);
    s.line(x(57.5), top(56.0), x(57.5), top(57.0), 0.2);
    s.line(x(67.5), top(56.0), x(67.5), top(57.0), 0.2);
    s.text(x(1.0), top(64.0), 5.5, Weight::Regular, "NUCC Instruction Manual available at: www.nucc.org");
    s.text(
        x(50.0),
        top(64.0),
        5.5,
        Weight::Regular,
        "PLEASE PRINT OR TYPE    APPROVED OMB-0938-1197 FORM 1500 (02-12)",
    );
}
