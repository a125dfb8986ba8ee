//! The demo database: a realistic small supplier in Dallas, Texas, for trying the program
//! and for the end-to-end tests. Built only through the same core functions the screens use,
//! so the demo can never hold data the program would refuse.
//!
//! Loading is idempotent: each stage records a marker in `settings` and is skipped when the
//! marker is present, so running `hmedesk demo` twice changes nothing, and stages added by
//! later features load into an older demo database.

use crate::catalog::{self, CatalogError};
use crate::coverages::{self, CoverageError, CoverageInput};
use crate::db::{Actor, Change, Db, DbError};
use crate::fees::{self, FeeError, FeeInput};
use crate::patients::{self, PatientError, PatientInput};
use crate::payers::{self, PayerError, PayerInput};
use crate::practitioners::{self, Npi, PractitionerError, PractitionerInput};
use crate::supplier::{self, SupplierError, SupplierInput};
use chrono::{Datelike, Months, NaiveDate};
use rusqlite::OptionalExtension;
use serde::Serialize;

/// What `load` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DemoSummary {
    /// Stages loaded by this call (empty when everything was already there).
    pub loaded: Vec<String>,
    /// Stages that were already in the database.
    pub already_present: Vec<String>,
}

/// Why the demo could not be loaded; nothing of the failing stage is saved.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo supplier: {0}")]
    Supplier(#[from] SupplierError),
    #[error("demo catalog: {0}")]
    Catalog(#[from] CatalogError),
    #[error("demo payer: {0}")]
    Payer(#[from] PayerError),
    #[error("demo fee: {0}")]
    Fee(#[from] FeeError),
    #[error("demo practitioner: {0}")]
    Practitioner(#[from] PractitionerError),
    #[error("demo patient: {0}")]
    Patient(#[from] PatientError),
    #[error("demo coverage: {0}")]
    Coverage(#[from] CoverageError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for DemoError {
    fn from(e: rusqlite::Error) -> Self {
        DemoError::Db(e.into())
    }
}

type Stage = fn(&Change<'_>, NaiveDate) -> Result<(), DemoError>;

/// The stages, in order. Later features append theirs.
const STAGES: &[(&str, Stage)] = &[("intake", load_intake)];

/// Loads every demo stage the database lacks, each in its own transaction, with dates
/// relative to `today` so the demo always looks current.
pub fn load(db: &mut Db, actor: &Actor, today: NaiveDate) -> Result<DemoSummary, DemoError> {
    let mut summary = DemoSummary { loaded: Vec::new(), already_present: Vec::new() };
    for (name, stage) in STAGES {
        let key = format!("demo.{name}");
        let present: Option<String> =
            db.conn().query_row("SELECT value FROM settings WHERE key = ?1", [&key], |r| r.get(0)).optional()?;
        if present.is_some() {
            summary.already_present.push(name.to_string());
            continue;
        }
        db.write(actor, |c| {
            stage(c, today)?;
            c.conn().execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", (&key, today.to_string()))?;
            c.audit("load", "demo", None, &format!("loaded demo stage {name}"))?;
            Ok::<_, DemoError>(())
        })?;
        summary.loaded.push(name.to_string());
    }
    Ok(summary)
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// A small deterministic generator, so the demo is the same on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST_NAMES: &[&str] = &[
    "Maria", "James", "Linda", "Robert", "Patricia", "John", "Barbara", "Michael", "Dorothy", "William", "Betty",
    "David", "Helen", "Richard", "Sandra", "Joseph", "Carol", "Thomas", "Ruth", "Charles", "Sharon", "Daniel",
    "Gloria", "Jose", "Rosa", "Luis", "Ana", "Frank", "Shirley", "Raymond", "Martha", "Harold",
];
const LAST_NAMES: &[&str] = &[
    "Garcia",
    "Johnson",
    "Williams",
    "Brown",
    "Martinez",
    "Davis",
    "Rodriguez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Hernandez",
    "Moore",
    "Jackson",
    "Lopez",
    "Lee",
    "Gonzalez",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Perez",
    "Hall",
    "Young",
    "Allen",
    "Sanchez",
    "Wright",
    "King",
    "Scott",
    "Nguyen",
    "Hill",
    "Ramirez",
];
const STREETS: &[&str] = &[
    "Elm St",
    "Oak Lawn Ave",
    "Mockingbird Ln",
    "Preston Rd",
    "Maple Ave",
    "Live Oak St",
    "Ross Ave",
    "Greenville Ave",
    "Beltline Rd",
    "Camp Bowie Blvd",
];
const CITIES: &[(&str, &str)] = &[
    ("Dallas", "75204"),
    ("Dallas", "75214"),
    ("Dallas", "75230"),
    ("Plano", "75023"),
    ("Irving", "75038"),
    ("Garland", "75040"),
    ("Mesquite", "75149"),
    ("Richardson", "75080"),
    ("Arlington", "76010"),
    ("Fort Worth", "76104"),
];
/// Diagnoses a DME supplier sees every day, grouped as a practitioner would list them.
const DIAGNOSIS_SETS: &[&str] = &[
    "G47.33, I10",
    "J44.9, J96.11, Z99.81",
    "J44.1, R09.02",
    "I50.22, J96.11",
    "E11.9, M17.11",
    "M17.11, R26.89",
    "G12.21, M62.81",
    "E11.42, I10",
    "G47.33, E66.01",
    "J84.10, J96.11",
    "I63.9, R26.89, M62.81",
    "G35, R26.89",
];

fn load_intake(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    supplier::store(
        c,
        &SupplierInput {
            legal_name: text("Lone Star Home Medical LLC"),
            dba_name: text("Lone Star Home Medical"),
            npi: Some(Npi::from_first_nine(154_872_036).to_string()),
            ein: text("75-2468013"),
            ptan: text("TX1234567"),
            taxonomy: text("332B00000X"),
            address1: text("4200 Commerce St"),
            address2: text("Suite 110"),
            city: text("Dallas"),
            state: text("TX"),
            zip: text("752264501"),
            phone: text("2145550100"),
            contact_name: text("Dana Whitfield"),
            email: text("billing@lonestarhomemed.example"),
        },
    )?;
    catalog::load_reference(c)?;
    let payers = load_payers(c, today)?;
    load_practitioners(c)?;
    load_patients(c, today, &payers)?;
    Ok(())
}

/// The demo's payers, by role.
struct DemoPayers {
    medicare: i64,
    medicaid: i64,
    bcbs: i64,
    aetna: i64,
}

fn load_payers(c: &Change<'_>, today: NaiveDate) -> Result<DemoPayers, DemoError> {
    let add = |name: &str, kind: &str, payer_id: &str, indicator: &str, city: &str, state: &str, zip: &str| {
        payers::create(
            c,
            &PayerInput {
                name: text(name),
                kind: text(kind),
                payer_id: text(payer_id),
                claim_filing_indicator: text(indicator),
                address1: text("PO Box 20010"),
                city: text(city),
                state: text(state),
                zip: text(zip),
                ..PayerInput::default()
            },
        )
        .map(|p| p.id)
    };
    let p = DemoPayers {
        medicare: add(
            "Medicare DME MAC Jurisdiction C (CGS)",
            "medicare_dme",
            "18003",
            "MB",
            "Nashville",
            "TN",
            "37202",
        )?,
        medicaid: add("Texas Medicaid (TMHP)", "medicaid", "617591011", "MC", "Austin", "TX", "78720")?,
        bcbs: add("Blue Cross Blue Shield of Texas", "commercial", "84980", "BL", "Richardson", "TX", "75085")?,
        aetna: add("Aetna", "commercial", "60054", "CI", "Lexington", "KY", "40512")?,
    };
    // Medicare-like allowed amounts for the codes the demo bills; other payers scale them.
    const FEES: &[(&str, &str, &str, &str)] = &[
        ("E0601", "RR", "93.69", "185.00"),
        ("E0470", "RR", "201.27", "395.00"),
        ("E0562", "RR", "18.95", "45.00"),
        ("E1390", "RR", "175.79", "325.00"),
        ("E0431", "RR", "19.42", "45.00"),
        ("E1392", "RR", "45.36", "95.00"),
        ("E0260", "RR", "122.14", "240.00"),
        ("E0277", "RR", "563.21", "1100.00"),
        ("K0001", "RR", "51.17", "110.00"),
        ("K0823", "RR", "552.07", "1050.00"),
        ("E0465", "RR", "1097.41", "2100.00"),
        ("E0143", "NU", "107.36", "195.00"),
        ("E0100", "NU", "24.18", "45.00"),
        ("A7030", "", "94.94", "165.00"),
        ("A7031", "", "34.22", "65.00"),
        ("A7032", "", "29.55", "55.00"),
        ("A7034", "", "61.32", "115.00"),
        ("A7035", "", "20.54", "40.00"),
        ("A7037", "", "17.68", "35.00"),
        ("A7038", "", "3.37", "8.00"),
        ("A7039", "", "9.98", "20.00"),
        ("A7046", "", "15.94", "30.00"),
        ("A4253", "", "8.32", "30.00"),
        ("A4259", "", "8.73", "20.00"),
    ];
    let effective = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    for (payer, percent) in [(p.medicare, 100), (p.medicaid, 82), (p.bcbs, 112), (p.aetna, 108)] {
        for (hcpcs, modifiers, allowed, charge) in FEES {
            let allowed: crate::Money = allowed.parse().unwrap_or_default();
            let scaled = crate::Money::round_from(allowed.decimal() * rust_decimal::Decimal::new(percent, 2));
            fees::create(
                c,
                &FeeInput {
                    payer_id: Some(payer.to_string()),
                    hcpcs: text(hcpcs),
                    modifiers: text(modifiers),
                    allowed: Some(scaled.to_string()),
                    charge: text(charge),
                    effective: Some(effective.to_string()),
                    termination: None,
                },
            )?;
        }
    }
    Ok(p)
}

fn load_practitioners(c: &Change<'_>) -> Result<(), DemoError> {
    const DOCTORS: &[(&str, &str, &str, bool)] = &[
        ("Alicia", "Reyes", "MD", true),
        ("Benjamin", "Okafor", "MD", true),
        ("Catherine", "Hollis", "DO", true),
        ("Daniel", "Cho", "MD", true),
        ("Elena", "Vasquez", "NP", true),
        ("Franklin", "Moss", "MD", true),
        ("Grace", "Patel", "MD", true),
        ("Henry", "Dubois", "PA-C", true),
        ("Irene", "Kowalski", "MD", true),
        ("Jamal", "Price", "DO", true),
        ("Karen", "Lindqvist", "NP", true),
        ("Leonard", "Shaw", "MD", false),
    ];
    for (i, (first, last, credentials, pecos)) in DOCTORS.iter().enumerate() {
        let (city, zip) = CITIES[i % CITIES.len()];
        practitioners::create(
            c,
            &PractitionerInput {
                npi: Some(Npi::from_first_nine(161_000_000 + 7_919 * i as u32).to_string()),
                first_name: text(first),
                last_name: text(last),
                credentials: text(credentials),
                address1: Some(format!("{} Medical Pkwy", 1200 + 40 * i)),
                city: text(city),
                state: text("TX"),
                zip: text(zip),
                phone: Some(format!("214555{:04}", 2000 + i)),
                fax: Some(format!("214555{:04}", 3000 + i)),
                pecos_enrolled: text(if *pecos { "yes" } else { "no" }),
                address2: None,
            },
        )?;
    }
    Ok(())
}

/// An MBI in the CMS pattern, different for every `n`.
fn demo_mbi(n: usize) -> String {
    const LETTERS: &[u8] = b"ACDEFGHJKMNPQRTUVWXY";
    let letter = |k: usize| LETTERS[k % LETTERS.len()] as char;
    let digit = |k: usize| char::from(b'0' + (k % 10) as u8);
    format!(
        "{}{}{}{}{}{}{}{}{}{}{}",
        char::from(b'1' + (n % 9) as u8),
        letter(n),
        letter(n / 3 + 7),
        digit(n / 7),
        letter(n / 5 + 3),
        digit(n / 11 + 4),
        digit(n + 3),
        letter(n / 2 + 11),
        letter(n / 13 + 5),
        digit(n / 17 + 1),
        digit(n * 7 + 2),
    )
}

fn load_patients(c: &Change<'_>, today: NaiveDate, payers: &DemoPayers) -> Result<(), DemoError> {
    let mut dice = Dice(0x5eed_1234_abcd_0042);
    let months_ago = |m: u32| today.checked_sub_months(Months::new(m)).unwrap_or(today);
    for n in 0..64usize {
        let first = FIRST_NAMES[(n * 7 + n / FIRST_NAMES.len()) % FIRST_NAMES.len()];
        let last = LAST_NAMES[(n * 11 + 3) % LAST_NAMES.len()];
        let (city, zip) = CITIES[dice.below(CITIES.len())];
        // Most DME patients are on Medicare; every fifth is a younger commercial patient.
        let commercial = n % 5 == 4;
        let age_years = if commercial { 34 + dice.below(28) } else { 66 + dice.below(24) };
        let dob = today
            .with_day(1)
            .and_then(|d| d.checked_sub_months(Months::new(age_years as u32 * 12 + dice.below(12) as u32)))
            .and_then(|d| d.with_day(1 + dice.below(28) as u32))
            .unwrap_or(today);
        let mbi = (!commercial).then(|| demo_mbi(n));
        let patient = patients::create(
            c,
            &PatientInput {
                first_name: text(first),
                last_name: text(last),
                middle_name: None,
                dob: Some(dob.to_string()),
                sex: text(
                    if [
                        "Maria", "Linda", "Patricia", "Barbara", "Dorothy", "Betty", "Helen", "Sandra", "Carol",
                        "Ruth", "Sharon", "Gloria", "Rosa", "Ana", "Shirley", "Martha",
                    ]
                    .contains(&first)
                    {
                        "F"
                    } else {
                        "M"
                    },
                ),
                address1: Some(format!("{} {}", 100 + dice.below(9800), dice.pick(STREETS))),
                address2: None,
                city: text(city),
                state: text("TX"),
                zip: text(zip),
                phone: Some(format!(
                    "{}555{:04}",
                    if city == "Fort Worth" || city == "Arlington" { "817" } else { "214" },
                    4000 + n
                )),
                email: (n % 3 == 0)
                    .then(|| format!("{}.{}{}@mail.example", first.to_lowercase(), last.to_lowercase(), n)),
                mbi: mbi.clone(),
                notes: (n % 9 == 0).then(|| "Prefers morning deliveries; call daughter before arriving.".to_string()),
                diagnoses: text(DIAGNOSIS_SETS[n % DIAGNOSIS_SETS.len()]),
            },
        )?;
        let coverage =
            |payer_id: i64, member_id: String, priority: &str, effective: NaiveDate, termination: Option<NaiveDate>| {
                CoverageInput {
                    patient_id: Some(patient.id.to_string()),
                    payer_id: Some(payer_id.to_string()),
                    member_id: Some(member_id),
                    priority: text(priority),
                    effective: Some(effective.to_string()),
                    termination: termination.map(|t| t.to_string()),
                    relationship: text("self"),
                    ..CoverageInput::default()
                }
            };
        match (commercial, mbi) {
            (true, _) => {
                let (payer, prefix) = if n % 2 == 0 { (payers.bcbs, "XDB") } else { (payers.aetna, "W") };
                let mut input =
                    coverage(payer, format!("{prefix}{:09}", 100_000_000 + n * 7_331), "primary", months_ago(30), None);
                input.group_number = Some(format!("GRP{:05}", 10_000 + n));
                if n == 9 {
                    // A dependent on a spouse's employer plan.
                    input.relationship = text("spouse");
                    input.subscriber_first_name = text("Rafael");
                    input.subscriber_last_name = text(last);
                    input.subscriber_dob = text("1971-05-14");
                    input.subscriber_sex = text("M");
                }
                if n == 14 {
                    // Coverage about to end: the dashboard warns.
                    input.termination = Some((today + chrono::Days::new(12)).to_string());
                }
                coverages::create(c, &input)?;
            }
            (false, Some(mbi)) => {
                let medicare_start = months_ago(12 * (1 + n as u32 % 8));
                coverages::create(c, &coverage(payers.medicare, mbi, "primary", medicare_start, None))?;
                if n % 6 == 1 {
                    coverages::create(
                        c,
                        &coverage(
                            payers.medicaid,
                            format!("5{:08}", 20_000_000 + n * 913),
                            "secondary",
                            medicare_start,
                            None,
                        ),
                    )?;
                } else if n % 6 == 3 {
                    coverages::create(
                        c,
                        &coverage(
                            payers.bcbs,
                            format!("XDM{:09}", 300_000_000 + n * 1_117),
                            "secondary",
                            medicare_start,
                            None,
                        ),
                    )?;
                }
            }
            (false, None) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patients::parse_mbi;

    #[test]
    fn demo_mbis_follow_the_cms_pattern_and_differ() {
        let all: std::collections::HashSet<String> = (0..64).map(demo_mbi).collect();
        assert_eq!(all.len(), 64);
        for mbi in &all {
            assert!(parse_mbi(mbi).is_ok(), "{mbi}");
        }
    }
}
