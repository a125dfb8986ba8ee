//! The demo database: a realistic small supplier in Dallas, Texas, for trying the program
//! and for the end-to-end tests. Built only through the same core functions the screens use,
//! so the demo can never hold data the program would refuse.
//!
//! Loading is idempotent: each stage records a marker in `settings` and is skipped when the
//! marker is present, so running `hmedesk demo` twice changes nothing, and stages added by
//! later features load into an older demo database.

use crate::assets::maintenance::{self, MaintenanceScheduleInput, ServiceRecordInput};
use crate::assets::{self, AssetError, AssetStatus};
use crate::catalog::{self, CatalogError};
use crate::coverages::{self, CoverageError, CoverageInput};
use crate::db::{Actor, Change, Db, DbError};
use crate::deliveries::{self, ConfirmInput, DeliveryError, DeliveryInput, ExchangeInput, PickInput, PickupInput};
use crate::documents::{self, DocumentError, DocumentInput, FileError};
use crate::eligibility::{self, EligibilityError};
use crate::fees::{self, FeeError, FeeInput};
use crate::inventory::{self, InventoryError, ItemInput, LocationInput, MovementInput, ReorderLevelInput};
use crate::orders::{self, OrderError, OrderInput, OrderStatus};
use crate::patients::{self, PatientError, PatientInput};
use crate::payers::{self, PayerError, PayerInput};
use crate::practitioners::{self, Npi, PractitionerError, PractitionerInput};
use crate::purchasing::{
    self, PoLineInput, PurchaseOrderInput, PurchasingError, ReceiptInput, ReceiptLineInput, VendorInput,
};
use crate::rentals::BreakInput;
use crate::settings::{self, SettingsError};
use crate::supplier::{self, SupplierError, SupplierInput};
use crate::sync::{inbox, SyncError};
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
    #[error("demo order: {0}")]
    Order(#[from] OrderError),
    #[error("demo document: {0}")]
    Document(#[from] DocumentError),
    #[error("demo delivery: {0}")]
    Delivery(#[from] DeliveryError),
    #[error("demo inventory: {0}")]
    Inventory(#[from] InventoryError),
    #[error("demo asset: {0}")]
    Asset(#[from] AssetError),
    #[error("demo purchasing: {0}")]
    Purchasing(#[from] PurchasingError),
    #[error("demo scan: {0}")]
    Scan(#[from] FileError),
    #[error("demo form: {0}")]
    Print(#[from] crate::print::PrintError),
    #[error("demo sync: {0}")]
    Sync(#[from] SyncError),
    #[error("demo setting: {0}")]
    Setting(#[from] SettingsError),
    #[error("demo eligibility: {0}")]
    Eligibility(#[from] EligibilityError),
    #[error("demo claim: {0}")]
    Claim(#[from] crate::claims::ClaimError),
    #[error("demo remittance: {0}")]
    Remittance(String),
    #[error("demo acknowledgment: {0}")]
    Ack(#[from] crate::acks::AckError),
    #[error("demo posting: {0}")]
    Posting(#[from] crate::remit::RemitError),
    #[error("the demo has no stage '{0}'")]
    UnknownStage(String),
    #[error("demo folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("demo rental: {0}")]
    Rental(#[from] crate::rentals::RentalError),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(DemoError);

pub mod payer;

type Stage = fn(&Change<'_>, NaiveDate) -> Result<(), DemoError>;

/// The stages, in order. Later features append theirs.
const STAGES: &[(&str, Stage)] = &[
    ("intake", load_intake),
    ("inventory", load_inventory),
    ("orders", load_orders),
    ("deliveries", load_deliveries),
    ("returns", load_returns),
    ("rentals", load_rentals),
    ("sync", load_sync),
    ("claims", load_claims),
    ("remit", load_remit),
    ("corrections", load_corrections),
];

/// The made-up signature on the demo's signed deliveries (a script-drawn scribble).
pub const SIGNATURE_PNG: &[u8] = include_bytes!("../assets/demo-signature.png");

/// Loads every demo stage the database lacks, each in its own transaction, with dates
/// relative to `today` so the demo always looks current.
pub fn load(db: &mut Db, actor: &Actor, today: NaiveDate) -> Result<DemoSummary, DemoError> {
    let last = STAGES.last().map_or("", |(name, _)| name);
    load_through(db, actor, today, last)
}

/// Loads the stages up to and including `last` that the database lacks, like [`load`]: the
/// demo as it stood before a later feature's stage (the tests of an earlier step's state).
/// A name that is not a stage is refused and loads nothing.
pub fn load_through(db: &mut Db, actor: &Actor, today: NaiveDate, last: &str) -> Result<DemoSummary, DemoError> {
    let end =
        STAGES.iter().position(|(name, _)| *name == last).ok_or_else(|| DemoError::UnknownStage(last.to_string()))?;
    let mut summary = DemoSummary { loaded: Vec::new(), already_present: Vec::new() };
    for (name, stage) in &STAGES[..=end] {
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
        // Purchase prices of the capped rentals: the engine prices their months from them
        // (10 % months 1-3, 7.5 % months 4-13) and the 837P's SV5 carries them.
        ("E0601", "NU", "936.90", "1850.00"),
        ("E0470", "NU", "2012.70", "3950.00"),
        ("E0562", "NU", "189.50", "450.00"),
        ("E0260", "NU", "1221.40", "2400.00"),
        ("E0277", "NU", "5632.10", "11000.00"),
        ("K0001", "NU", "511.70", "1100.00"),
        ("K0823", "NU", "5520.70", "10500.00"),
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

/// Orders in the states reachable before delivery (intake, documentation pending, ready to
/// deliver, cancelled) with their documents: a signed CPAP order, oxygen with a CMS-484 due
/// for recertification, a power wheelchair waiting for its prior authorization, a hospital bed
/// and mattress whose prior authorization expires soon, an unsigned nebulizer order.
fn load_orders(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    let days_ago = |n: u64| today - chrono::Days::new(n);
    let order = |patient: i64, practitioner: i64, age: u64, signed: bool, diagnoses: &str, lines: &[&str]| {
        let mut input = OrderInput {
            patient_id: Some(patient.to_string()),
            practitioner_id: Some(practitioner.to_string()),
            order_date: Some(days_ago(age).to_string()),
            diagnoses: text(diagnoses),
            signed_on: signed.then(|| days_ago(age.saturating_sub(2)).to_string()),
            notes: None,
            lines: Vec::new(),
        };
        for spec in lines {
            input.lines.push(orders::parse_line_spec(spec).map_err(OrderError::from)?);
        }
        orders::create(c, &input, today)
    };
    let document = |patient: i64, order: i64, input: DocumentInput| {
        documents::create(
            c,
            &DocumentInput { patient_id: Some(patient.to_string()), order_id: Some(order.to_string()), ..input },
        )
    };
    let to = |id: i64, status: OrderStatus| orders::change_status(c, id, status, today);

    let cpap = order(1, 1, 12, true, "1", &["E0601 rental 99mo RR", "A7030 x1 purchase", "A7038 x2 purchase"])?;
    document(
        1,
        cpap.id,
        DocumentInput {
            doc_type: text("swo"),
            initial_date: Some(days_ago(10).to_string()),
            ..DocumentInput::default()
        },
    )?;
    to(cpap.id, OrderStatus::ReadyToDeliver)?;

    let oxygen = order(2, 2, 20, true, "1,2", &["E1390 rental 99mo RR", "E0431 rental 99mo RR"])?;
    document(
        2,
        oxygen.id,
        DocumentInput {
            doc_type: text("cmn"),
            form: text("CMS-484"),
            initial_date: Some(days_ago(18).to_string()),
            recert_due: Some((today + chrono::Days::new(20)).to_string()),
            length_of_need_months: text("99"),
            answers: Some(format!(
                r#"{{"po2_mmhg": 54, "saturation_percent": 87, "test_date": "{}", "test_setting": "outpatient_chronic_stable", "test_condition": "at_rest", "mobile_in_home": true, "flow_rate_lpm": "2"}}"#,
                days_ago(22)
            )),
            notes: text("Texas Medicaid (secondary) still asks for the CMS-484."),
            ..DocumentInput::default()
        },
    )?;
    to(oxygen.id, OrderStatus::ReadyToDeliver)?;

    order(3, 3, 2, false, "1", &["E0570 rental 13mo RR"])?;

    let chair = order(7, 7, 25, true, "1,2", &["K0856 rental 99mo RR"])?;
    document(
        7,
        chair.id,
        DocumentInput {
            doc_type: text("face_to_face"),
            initial_date: Some(days_ago(30).to_string()),
            ..DocumentInput::default()
        },
    )?;
    to(chair.id, OrderStatus::DocumentationPending)?;

    let bed = order(6, 6, 15, true, "1,2", &["E0260 rental 13mo RR", "E0277 rental 13mo RR"])?;
    document(
        6,
        bed.id,
        DocumentInput {
            doc_type: text("prior_auth"),
            hcpcs: text("E0277"),
            initial_date: Some(days_ago(14).to_string()),
            pa_number: text("JC17003302114"),
            pa_units: text("1"),
            pa_from: Some(days_ago(14).to_string()),
            pa_to: Some((today + chrono::Days::new(10)).to_string()),
            ..DocumentInput::default()
        },
    )?;
    to(bed.id, OrderStatus::ReadyToDeliver)?;

    let walker = order(4, 4, 40, true, "1", &["E0143 purchase"])?;
    to(walker.id, OrderStatus::Cancelled)?;
    Ok(())
}

/// Deliveries on the demo's orders: the CPAP signed for by the patient (the order is
/// delivered), the hospital bed signed for by a daughter while the mattress waits (partly
/// delivered), a walker delivered and closed, and the oxygen concentrator picked and
/// scheduled for tomorrow.
fn load_deliveries(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    let days_ago = |n: u64| today - chrono::Days::new(n);
    let warehouse: i64 = c.conn().query_row("SELECT id FROM locations ORDER BY id LIMIT 1", [], |r| r.get(0))?;
    let free_unit = |hcpcs: &str| -> Result<String, DemoError> {
        Ok(c.conn().query_row(
            "SELECT a.serial FROM assets a JOIN items i ON i.id = a.item_id JOIN catalog_items k ON k.id = i.catalog_item_id
             WHERE k.hcpcs = ?1 AND a.status = 'available' AND a.location_id = ?2 ORDER BY a.id LIMIT 1",
            (hcpcs, warehouse),
            |r| r.get(0),
        )?)
    };
    let stock_item = |hcpcs: &str| -> Result<i64, DemoError> {
        Ok(c.conn().query_row(
            "SELECT i.id FROM items i JOIN catalog_items k ON k.id = i.catalog_item_id WHERE k.hcpcs = ?1 AND i.serialized = 0 ORDER BY i.id LIMIT 1",
            [hcpcs],
            |r| r.get(0),
        )?)
    };
    let schedule = |order: i64, on: NaiveDate, instructions: Option<&str>| {
        deliveries::schedule_in(
            c,
            &DeliveryInput {
                order_id: Some(order.to_string()),
                scheduled_on: Some(on.to_string()),
                driver: text("Sam Ortiz"),
                location_id: Some(warehouse.to_string()),
                instructions: instructions.map(str::to_string),
                ..DeliveryInput::default()
            },
            on,
        )
    };
    let pick = |delivery: i64, on: NaiveDate, input: PickInput| deliveries::pick_in(c, delivery, &input, on);
    let unit =
        |line: &str, serial: String| PickInput { line: text(line), serial: Some(serial), ..PickInput::default() };
    let stock = |line: &str, item: i64, quantity: &str| PickInput {
        line: text(line),
        item_id: Some(item.to_string()),
        quantity: text(quantity),
        ..PickInput::default()
    };
    let relative = |delivery: &deliveries::Delivery, first: &str| -> Result<String, DemoError> {
        Ok(format!("{first} {}", crate::patients::get(c.conn(), delivery.patient_id)?.last_name))
    };
    let sign = |delivery: i64, on: NaiveDate, name: &str, relationship: Option<&str>| {
        let input = ConfirmInput {
            signer_name: text(name),
            relationship: relationship.map(str::to_string),
            delivered_on: Some(on.to_string()),
        };
        deliveries::confirm_in(c, delivery, &input, SIGNATURE_PNG, today)
    };
    let order_of = |hcpcs: &str| -> Result<i64, DemoError> {
        Ok(c.conn().query_row(
            "SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.hcpcs = ?1 AND o.status = 'ready_to_deliver' ORDER BY o.id LIMIT 1",
            [hcpcs],
            |r| r.get(0),
        )?)
    };

    let cpap_order = order_of("E0601")?;
    let on = days_ago(5);
    let cpap = schedule(
        cpap_order,
        on,
        Some("Clean the mask cushion daily with mild soap.\nReplace the disposable filter every two weeks."),
    )?;
    pick(cpap.id, on, unit("1", free_unit("E0601")?))?;
    pick(cpap.id, on, stock("2", stock_item("A7030")?, "1"))?;
    pick(cpap.id, on, stock("3", stock_item("A7038")?, "2"))?;
    let patient = crate::patients::get(c.conn(), cpap.patient_id)?;
    sign(cpap.id, on, &format!("{} {}", patient.first_name, patient.last_name), None)?;

    let bed_order = order_of("E0260")?;
    let on = days_ago(2);
    let bed = schedule(bed_order, on, Some("Keep the bed rails up at night."))?;
    pick(bed.id, on, unit("1", free_unit("E0260")?))?;
    sign(bed.id, on, &relative(&bed, "Laura")?, Some("Daughter"))?;

    let walker_patient = 11;
    let walker_order = orders::create(
        c,
        &OrderInput {
            patient_id: Some(walker_patient.to_string()),
            practitioner_id: text("5"),
            order_date: Some(days_ago(45).to_string()),
            diagnoses: text("1"),
            signed_on: Some(days_ago(44).to_string()),
            notes: None,
            lines: vec![orders::parse_line_spec("E0143 purchase").map_err(OrderError::from)?],
        },
        today,
    )?;
    orders::change_status(c, walker_order.id, OrderStatus::ReadyToDeliver, today)?;
    let on = days_ago(40);
    let walker = schedule(walker_order.id, on, None)?;
    pick(walker.id, on, stock("1", stock_item("E0143")?, "1"))?;
    sign(walker.id, on, &relative(&walker, "Alex")?, Some("Spouse"))?;
    orders::change_status(c, walker_order.id, OrderStatus::Closed, today)?;

    let oxygen_order = order_of("E1390")?;
    let tomorrow = today + chrono::Days::new(1);
    let oxygen = schedule(oxygen_order, tomorrow, None)?;
    pick(oxygen.id, today, unit("1", free_unit("E1390")?))?;
    Ok(())
}

/// Paper coming back and units coming home: the signed SWOs and CMNs scanned onto their
/// documents (the printed form stands in for the scan), the CPAP delivered five days ago
/// exchanged yesterday for a noisy motor, and a hospital bed rented after a hip replacement
/// and picked up ten days ago.
fn load_returns(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    let days_ago = |n: u64| today - chrono::Days::new(n);
    let warehouse: i64 = c.conn().query_row("SELECT id FROM locations ORDER BY id LIMIT 1", [], |r| r.get(0))?;
    let free_unit = |hcpcs: &str| -> Result<String, DemoError> {
        Ok(c.conn().query_row(
            "SELECT a.serial FROM assets a JOIN items i ON i.id = a.item_id JOIN catalog_items k ON k.id = i.catalog_item_id
             WHERE k.hcpcs = ?1 AND a.status = 'available' AND a.location_id = ?2 ORDER BY a.id LIMIT 1",
            (hcpcs, warehouse),
            |r| r.get(0),
        )?)
    };

    let signed_papers: Vec<(i64, String)> = {
        let mut stmt = c.conn().prepare("SELECT id, type FROM documents WHERE type IN ('swo', 'cmn') ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, kind) in signed_papers {
        let scan = crate::print::cmn::print(c.conn(), id)?;
        documents::attach_in(c, id, &format!("{kind}-{id}-signed.pdf"), &scan)?;
    }

    let cpap: String = c.conn().query_row(
        "SELECT a.serial FROM delivery_items di JOIN deliveries d ON d.id = di.delivery_id JOIN assets a ON a.id = di.asset_id
         JOIN items i ON i.id = a.item_id JOIN catalog_items k ON k.id = i.catalog_item_id
         WHERE k.hcpcs = 'E0601' AND d.status = 'delivered' AND di.picked_up_on IS NULL ORDER BY di.id LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let exchange = ExchangeInput {
        serial: Some(cpap),
        new_serial: Some(free_unit("E0601")?),
        location_id: Some(warehouse.to_string()),
        date: Some(days_ago(1).to_string()),
        reason: text("Motor noise reported by the patient; swapped for a bench-tested unit"),
    };
    deliveries::exchange_in(c, &exchange, today)?;

    let bed = orders::create(
        c,
        &OrderInput {
            patient_id: text("11"),
            practitioner_id: text("5"),
            order_date: Some(days_ago(100).to_string()),
            diagnoses: text("1"),
            signed_on: Some(days_ago(99).to_string()),
            notes: text("Hospital bed after a hip replacement, until the patient can use the stairs again"),
            lines: vec![orders::parse_line_spec("E0260 rental 3mo").map_err(OrderError::from)?],
        },
        today,
    )?;
    orders::change_status(c, bed.id, OrderStatus::ReadyToDeliver, today)?;
    let on = days_ago(98);
    let delivery = deliveries::schedule_in(
        c,
        &DeliveryInput {
            order_id: Some(bed.id.to_string()),
            scheduled_on: Some(on.to_string()),
            driver: text("Sam Ortiz"),
            location_id: Some(warehouse.to_string()),
            ..DeliveryInput::default()
        },
        on,
    )?;
    let serial = free_unit("E0260")?;
    let pick = PickInput { line: text("1"), serial: Some(serial.clone()), ..PickInput::default() };
    deliveries::pick_in(c, delivery.id, &pick, on)?;
    let patient = crate::patients::get(c.conn(), delivery.patient_id)?;
    let signer = ConfirmInput {
        signer_name: Some(format!("{} {}", patient.first_name, patient.last_name)),
        relationship: None,
        delivered_on: Some(on.to_string()),
    };
    deliveries::confirm_in(c, delivery.id, &signer, SIGNATURE_PNG, today)?;
    let pickup = PickupInput {
        serial: Some(serial),
        location_id: Some(warehouse.to_string()),
        date: Some(days_ago(10).to_string()),
        note: text("No longer needed: the patient manages the stairs again"),
    };
    deliveries::pickup_in(c, &pickup, today)?;
    orders::change_status(c, bed.id, OrderStatus::Closed, today)?;
    Ok(())
}

/// A demo rental: HCPCS, how the order line reads, months since delivery, the serial of the
/// unit delivered.
type DemoRental = (&'static str, &'static str, u32, &'static str);

/// Rentals at every point of their life, delivered months ago to Medicare patients so the
/// billing run has work: a CPAP in its 8th month of 13, a CPAP past its 13th month (title
/// passed to the patient), a concentrator in month 21 of 36, a liquid oxygen system past
/// month 36 whose contents (E0442) are still billed monthly, a home ventilator (frequent
/// servicing, no cap) and a hospital bed whose use a hospital stay interrupted; and CPAP and
/// diabetic supplies delivered about three months ago, now due for a refill (the diabetic
/// patient is insulin-treated: Z79.4 on the diagnosis list).
fn load_rentals(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    let conn = c.conn();
    let months_ago = |n: u32| today.checked_sub_months(Months::new(n)).unwrap_or(today);
    let warehouse: i64 = conn.query_row("SELECT id FROM locations ORDER BY id LIMIT 1", [], |r| r.get(0))?;
    let practitioner: i64 =
        conn.query_row("SELECT id FROM practitioners WHERE pecos_enrolled = 1 ORDER BY id LIMIT 1", [], |r| r.get(0))?;
    let medicare: i64 =
        conn.query_row("SELECT id FROM payers WHERE kind = 'medicare_dme' ORDER BY id LIMIT 1", [], |r| r.get(0))?;

    // Fees for the months before this year's schedule, and the oxygen codes billed without RR.
    let this_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let fee = |hcpcs: &str, modifiers: &str, allowed: &str, charge: &str, termination: Option<NaiveDate>| {
        fees::create(
            c,
            &FeeInput {
                payer_id: Some(medicare.to_string()),
                hcpcs: text(hcpcs),
                modifiers: text(modifiers),
                allowed: text(allowed),
                charge: text(charge),
                effective: Some(months_ago(72).to_string()),
                termination: termination.map(|t| t.to_string()),
            },
        )
    };
    let last_year = this_year.pred_opt();
    for (hcpcs, modifier, allowed, charge) in [
        ("E0601", "RR", "91.40", "185.00"),
        ("E0601", "NU", "914.00", "1850.00"),
        ("E0260", "RR", "119.16", "240.00"),
        ("E0260", "NU", "1191.60", "2400.00"),
        ("E0465", "RR", "1070.65", "2100.00"),
    ] {
        fee(hcpcs, modifier, allowed, charge, last_year)?;
    }
    for (hcpcs, allowed, charge) in
        [("E1390", "175.79", "325.00"), ("E0439", "175.79", "325.00"), ("E0442", "161.83", "290.00")]
    {
        fee(hcpcs, "", allowed, charge, None)?;
    }

    // Medicare patients with no order yet whose coverage began before `start`.
    let patient = |start: NaiveDate| -> Result<i64, DemoError> {
        Ok(conn.query_row(
            "SELECT p.id FROM patients p JOIN coverages v ON v.patient_id = p.id AND v.priority = 'primary'
             WHERE v.payer_id = ?1 AND v.effective <= ?2 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.patient_id = p.id)
             ORDER BY p.id LIMIT 1",
            (medicare, start),
            |r| r.get(0),
        )?)
    };
    let serialized_item = |hcpcs: &str| -> Result<i64, DemoError> {
        let found: Option<i64> = conn
            .query_row(
                "SELECT i.id FROM items i JOIN catalog_items k ON k.id = i.catalog_item_id WHERE k.hcpcs = ?1 AND i.serialized = 1 ORDER BY i.id LIMIT 1",
                [hcpcs],
                |r| r.get(0),
            )
            .optional()?;
        match found {
            Some(id) => Ok(id),
            None => {
                let input = ItemInput {
                    hcpcs: text(hcpcs),
                    name: Some(format!("{hcpcs} rental unit")),
                    manufacturer: text("Demo Medical"),
                    model: Some(format!("{hcpcs}-R")),
                    sku: Some(format!("RENT-{hcpcs}")),
                    unit: text("each"),
                    cost: text("1500.00"),
                    serialized: text("yes"),
                    lot_tracked: text("no"),
                    ..ItemInput::default()
                };
                Ok(inventory::items::create(c, &input)?.id)
            }
        }
    };
    // Orders, signs and delivers one line; returns the delivery's patient and order.
    let deliver = |patient: i64, start: NaiveDate, spec: &str, pick: PickInput| -> Result<i64, DemoError> {
        let order = orders::create(
            c,
            &OrderInput {
                patient_id: Some(patient.to_string()),
                practitioner_id: Some(practitioner.to_string()),
                order_date: Some((start - chrono::Days::new(3)).to_string()),
                diagnoses: text("1"),
                signed_on: Some((start - chrono::Days::new(2)).to_string()),
                notes: None,
                lines: vec![orders::parse_line_spec(spec).map_err(OrderError::from)?],
            },
            start,
        )?;
        orders::change_status(c, order.id, OrderStatus::ReadyToDeliver, start)?;
        let delivery = deliveries::schedule_in(
            c,
            &DeliveryInput {
                order_id: Some(order.id.to_string()),
                scheduled_on: Some(start.to_string()),
                driver: text("Sam Ortiz"),
                location_id: Some(warehouse.to_string()),
                ..DeliveryInput::default()
            },
            start,
        )?;
        deliveries::pick_in(c, delivery.id, &PickInput { line: text("1"), ..pick }, start)?;
        let named = crate::patients::get(conn, patient)?;
        let signer = ConfirmInput {
            signer_name: Some(format!("{} {}", named.first_name, named.last_name)),
            relationship: None,
            delivered_on: Some(start.to_string()),
        };
        deliveries::confirm_in(c, delivery.id, &signer, SIGNATURE_PNG, today)?;
        Ok(order.id)
    };

    let rentals: [DemoRental; 6] = [
        ("E0601", "E0601 rental 13mo RR", 7, "DEMO-CPAP-0701"),
        ("E0601", "E0601 rental 13mo RR", 15, "DEMO-CPAP-1502"),
        ("E1390", "E1390 rental 99mo", 20, "DEMO-OXC-2003"),
        ("E0439", "E0439 rental 99mo", 40, "DEMO-LOX-4004"),
        ("E0465", "E0465 rental 99mo RR", 5, "DEMO-VENT-0505"),
        ("E0260", "E0260 rental 13mo RR", 6, "DEMO-BED-0606"),
    ];
    for (hcpcs, spec, months, serial) in rentals {
        let start = months_ago(months) - chrono::Days::new(3);
        assets::store::receive(
            c,
            &assets::store::NewAsset {
                item_id: serialized_item(hcpcs)?,
                serial: serial.to_string(),
                location_id: warehouse,
                cost: "1500.00".parse().unwrap_or_default(),
                hours_meter: None,
                acquired_on: start - chrono::Days::new(10),
                purchase_order_line_id: None,
            },
        )?;
        let order = deliver(patient(start)?, start, spec, PickInput { serial: text(serial), ..PickInput::default() })?;
        if hcpcs == "E0260" {
            let episode: i64 =
                conn.query_row("SELECT id FROM rental_episodes WHERE order_id = ?1", [order], |r| r.get(0))?;
            let stay = BreakInput {
                from: Some((start + chrono::Days::new(80)).to_string()),
                to: Some((start + chrono::Days::new(100)).to_string()),
                reason: text("hospital"),
                new_period_documented: false,
            };
            crate::rentals::interrupt_in(c, episode, &stay, today)?;
        }
    }

    // Supplies delivered about three months ago: due for a refill now.
    let stock_item = |hcpcs: &str| -> Result<i64, DemoError> {
        Ok(conn.query_row(
            "SELECT i.id FROM items i JOIN catalog_items k ON k.id = i.catalog_item_id WHERE k.hcpcs = ?1 AND i.serialized = 0 ORDER BY i.id LIMIT 1",
            [hcpcs],
            |r| r.get(0),
        )?)
    };
    let supplies = |hcpcs: &str, quantity: &str, lot: Option<String>| -> Result<PickInput, DemoError> {
        Ok(PickInput {
            item_id: Some(stock_item(hcpcs)?.to_string()),
            quantity: text(quantity),
            lot,
            ..PickInput::default()
        })
    };
    let start = today - chrono::Days::new(88);
    deliver(patient(start)?, start, "A7030 x1 purchase", supplies("A7030", "1", None)?)?;
    let diabetic = patient(start)?;
    conn.execute(
        "INSERT INTO patient_diagnoses (patient_id, position, code)
         SELECT ?1, COALESCE(MAX(position), 0) + 1, 'Z79.4' FROM patient_diagnoses WHERE patient_id = ?1",
        [diabetic],
    )?;
    let strips = stock_item("A4253")?;
    let lot: Option<String> = conn
        .query_row("SELECT lot_number FROM lots WHERE item_id = ?1 ORDER BY id LIMIT 1", [strips], |r| r.get(0))
        .optional()?;
    deliver(diabetic, start, "A4253 x6 purchase", supplies("A4253", "6", lot)?)?;
    Ok(())
}

/// A demo item: HCPCS, name, manufacturer, model, SKU, barcode, unit, cost, serialized,
/// lot-tracked, vendor id.
type DemoItem = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    bool,
    bool,
    i64,
);

/// The warehouse: a main warehouse and two vans, four vendors, stocked items, purchase
/// orders received in full and in part, a fleet of concentrators, CPAPs and beds — some out on
/// rent to demo patients, one back for cleaning, one in the shop — an older concentrator and
/// bed due for maintenance, and masks below their reorder minimum (with the drafted line).
fn load_inventory(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    let days_ago = |n: u64| today - chrono::Days::new(n);
    let id = |n: i64| Some(n.to_string());
    let location = |name: &str, kind: &str| {
        inventory::locations::create(c, &LocationInput { name: text(name), kind: text(kind) }).map(|l| l.id)
    };
    let warehouse = location("Main warehouse", "warehouse")?;
    let van1 = location("Van 1", "vehicle")?;
    location("Van 2", "vehicle")?;
    let vendor = |name: &str, account: &str, phone: &str| {
        purchasing::vendors::create(
            c,
            &VendorInput { name: text(name), account_number: text(account), phone: text(phone), email: None },
        )
        .map(|v| v.id)
    };
    let drive = vendor("Drive DeVilbiss Healthcare", "LS-20417", "8004377837")?;
    let resmed = vendor("ResMed", "RM-553018", "8004243374")?;
    let medline = vendor("Medline Industries", "ML-0098812", "8006334546")?;
    vendor("Invacare", "INV-77120", "8003336900")?;

    // (hcpcs, name, manufacturer, model, sku, barcode, unit, cost, serialized, lot, vendor)
    let items: [DemoItem; 7] = [
        (
            "E1390",
            "DeVilbiss 5L concentrator",
            "Drive DeVilbiss",
            "525DS",
            "CON-525",
            Some("0081505005250"),
            "each",
            "650.00",
            true,
            false,
            drive,
        ),
        (
            "E0601",
            "AirSense 11 CPAP",
            "ResMed",
            "39000",
            "CPAP-AS11",
            Some("0619498390007"),
            "each",
            "545.00",
            true,
            false,
            resmed,
        ),
        (
            "E0260",
            "Semi-electric hospital bed",
            "Drive Medical",
            "15030",
            "BED-SE",
            Some("0822383150305"),
            "each",
            "1150.00",
            true,
            false,
            drive,
        ),
        (
            "A7030",
            "AirFit F20 full face mask",
            "ResMed",
            "63401",
            "MASK-F20",
            Some("0619498634019"),
            "each",
            "62.00",
            false,
            false,
            resmed,
        ),
        (
            "A7038",
            "Disposable CPAP filter, 2-pack",
            "ResMed",
            "33778",
            "FLT-DISP",
            None,
            "pack",
            "1.70",
            false,
            false,
            resmed,
        ),
        (
            "A4253",
            "Glucose test strips, 50",
            "Medline",
            "EVCH50",
            "STRIP-50",
            Some("0080196731056"),
            "box",
            "9.50",
            false,
            true,
            medline,
        ),
        (
            "E0143",
            "Folding walker with wheels",
            "Medline",
            "MDS86410W5",
            "WLK-2W",
            None,
            "each",
            "38.00",
            false,
            false,
            medline,
        ),
    ];
    let mut ids = Vec::new();
    for (hcpcs, name, manufacturer, model, sku, barcode, unit, cost, serialized, lot, vendor) in items {
        let yes_no = |b: bool| text(if b { "yes" } else { "no" });
        let item = inventory::items::create(
            c,
            &ItemInput {
                hcpcs: text(hcpcs),
                name: text(name),
                manufacturer: text(manufacturer),
                model: text(model),
                sku: text(sku),
                barcode: barcode.map(str::to_string),
                unit: text(unit),
                cost: text(cost),
                serialized: yes_no(serialized),
                lot_tracked: yes_no(lot),
                vendor_id: id(vendor),
            },
        )?;
        ids.push(item.id);
    }
    let [concentrator, cpap, bed, mask, filter, strips, walker] = ids[..] else { return Ok(()) };

    // Purchase orders: Drive and ResMed received in full, Medline in part.
    let order = |vendor: i64, lines: &[(i64, i64)], on: NaiveDate| -> Result<purchasing::PurchaseOrder, DemoError> {
        let po = purchasing::orders::create(
            c,
            &PurchaseOrderInput { vendor_id: id(vendor), ship_to_id: id(warehouse), notes: None },
            on,
        )?;
        for (item, quantity) in lines {
            purchasing::orders::create_line(
                c,
                po.id,
                &PoLineInput { item_id: id(*item), quantity: id(*quantity), unit_cost: None },
            )?;
        }
        Ok(purchasing::orders::place_in(c, po.id, on)?)
    };
    let receipt = |po: &purchasing::PurchaseOrder, on: NaiveDate, lines: Vec<ReceiptLineInput>| {
        purchasing::receiving::receive_in(c, po.id, &ReceiptInput { date: Some(on.to_string()), lines }, today)
    };
    let line = |po: &purchasing::PurchaseOrder, item: i64, quantity: i64| ReceiptLineInput {
        line_id: po.lines.iter().find(|l| l.item_id == item).map(|l| l.id.to_string()),
        quantity: id(quantity),
        ..ReceiptLineInput::default()
    };
    let serials = |prefix: &str, n: i64| (1..=n).map(|k| format!("{prefix}{:05}", 10_000 + k * 37)).collect::<Vec<_>>();

    let po_drive = order(drive, &[(concentrator, 8), (bed, 4)], days_ago(65))?;
    receipt(
        &po_drive,
        days_ago(58),
        vec![
            ReceiptLineInput { serials: Some(serials("DV525-", 8).join(",")), ..line(&po_drive, concentrator, 8) },
            ReceiptLineInput { serials: Some(serials("DMB-", 4).join(",")), ..line(&po_drive, bed, 4) },
        ],
    )?;
    let po_resmed = order(resmed, &[(cpap, 10), (mask, 40), (filter, 200)], days_ago(50))?;
    receipt(
        &po_resmed,
        days_ago(45),
        vec![
            ReceiptLineInput { serials: Some(serials("23221", 10).join(",")), ..line(&po_resmed, cpap, 10) },
            line(&po_resmed, mask, 40),
            line(&po_resmed, filter, 200),
        ],
    )?;
    let po_medline = order(medline, &[(strips, 50), (walker, 12)], days_ago(20))?;
    receipt(
        &po_medline,
        days_ago(14),
        vec![
            ReceiptLineInput {
                lot: text("EV24117"),
                expires: Some((today + chrono::Days::new(240)).to_string()),
                ..line(&po_medline, strips, 30)
            },
            line(&po_medline, walker, 12),
        ],
    )?;

    // An older concentrator and bed, owned before HME Desk: due for service.
    let older = |item: i64, serial: &str, hours: Option<i64>, acquired: NaiveDate, cost: &str| {
        assets::store::receive(
            c,
            &assets::store::NewAsset {
                item_id: item,
                serial: serial.to_string(),
                location_id: warehouse,
                cost: cost.parse().unwrap_or_default(),
                hours_meter: hours,
                acquired_on: acquired,
                purchase_order_line_id: None,
            },
        )
    };
    let old_concentrator = older(concentrator, "DV525-07731", Some(2_950), days_ago(1_100), "610.00")?;
    let old_bed = older(bed, "DMB-03318", None, days_ago(400), "1095.00")?;
    let schedule = |item: i64, task: &str, days: Option<i64>, hours: Option<i64>| {
        maintenance::create_schedule(
            c,
            &MaintenanceScheduleInput {
                item_id: id(item),
                task: text(task),
                every_days: days.map(|d| d.to_string()),
                every_hours: hours.map(|h| h.to_string()),
            },
        )
    };
    let pm = schedule(concentrator, "Replace filters, check O2 purity and alarms", None, Some(5_000))?;
    schedule(bed, "Annual safety inspection: motors, rails, pendant, cords", Some(365), None)?;
    maintenance::create_service(
        c,
        old_concentrator.id,
        &ServiceRecordInput {
            schedule_id: id(pm.id),
            date: Some(days_ago(700).to_string()),
            technician: text("Luis Ortega"),
            work_done: text("Replaced cabinet and inlet filters; O2 93%; alarms tested"),
            hours_meter: id(9_100),
        },
        today,
    )?;

    let visit = ServiceRecordInput {
        schedule_id: None,
        date: Some(days_ago(6).to_string()),
        technician: text("Luis Ortega"),
        work_done: text("Home visit: cannula and humidifier bottle replaced, hour meter read"),
        hours_meter: id(14_260),
    };

    // Rentals to demo patients: reserve, then deliver.
    let patients: Vec<i64> = {
        let mut stmt = c.conn().prepare("SELECT id FROM patients ORDER BY id LIMIT 12")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    // The units bought on the purchase orders above (the older ones are placed by hand).
    let units = |item: i64| -> Result<Vec<i64>, DemoError> {
        let filter = assets::store::AssetFilter { item_id: Some(item), ..Default::default() };
        let list = assets::store::list(c.conn(), &filter)?;
        Ok(list.into_iter().map(|a| a.id).filter(|a| ![old_concentrator.id, old_bed.id].contains(a)).collect())
    };
    let deliver = |asset: i64, patient: i64, to: AssetStatus, on: NaiveDate| -> Result<(), DemoError> {
        assets::lifecycle::transition_in(c, asset, AssetStatus::Reserved, Some(patient), None, None, on)?;
        assets::lifecycle::transition_in(c, asset, to, None, None, None, on)?;
        Ok(())
    };
    let (concentrators, cpaps, beds) = (units(concentrator)?, units(cpap)?, units(bed)?);
    let mut patient = patients.iter().copied().cycle();
    let mut next_patient = || patient.next().unwrap_or_default();
    for (k, unit) in concentrators.iter().take(3).enumerate() {
        deliver(*unit, next_patient(), AssetStatus::OnRent, days_ago(50 - 9 * k as u64))?;
    }
    deliver(old_concentrator.id, next_patient(), AssetStatus::OnRent, days_ago(30))?;
    maintenance::create_service(c, old_concentrator.id, &visit, today)?;
    for (k, unit) in cpaps.iter().take(4).enumerate() {
        deliver(*unit, next_patient(), AssetStatus::OnRent, days_ago(40 - 7 * k as u64))?;
    }
    deliver(beds[0], next_patient(), AssetStatus::OnRent, days_ago(25))?;
    // A CPAP sold outright, one back from a patient for cleaning, a concentrator in the shop.
    deliver(cpaps[4], next_patient(), AssetStatus::Sold, days_ago(20))?;
    deliver(cpaps[5], next_patient(), AssetStatus::OnRent, days_ago(38))?;
    assets::lifecycle::transition_in(c, cpaps[5], AssetStatus::Returned, None, Some(warehouse), None, days_ago(3))?;
    assets::lifecycle::transition_in(c, cpaps[5], AssetStatus::Cleaning, None, None, None, days_ago(2))?;
    assets::lifecycle::transition_in(
        c,
        concentrators[3],
        AssetStatus::Maintenance,
        None,
        None,
        Some("Low-flow alarm at check-out test"),
        days_ago(4),
    )?;
    assets::lifecycle::transfer_in(c, concentrators[4], van1, days_ago(1))?;

    // Supplies: a van restock, reorder levels, masks going out with CPAP set-ups.
    let movement = |kind: &str, item: i64, quantity: i64, patient: Option<i64>, on: NaiveDate| MovementInput {
        kind: text(kind),
        item_id: id(item),
        quantity: id(quantity),
        location_id: id(warehouse),
        patient_id: patient.map(|p| p.to_string()),
        date: Some(on.to_string()),
        ..MovementInput::default()
    };
    let post = |input: MovementInput| -> Result<(), DemoError> {
        inventory::ledger::post(c, &inventory::ledger::validate(&input, today).map_err(InventoryError::from)?)?;
        Ok(())
    };
    post(MovementInput { to_location_id: id(van1), ..movement("transfer", mask, 6, None, days_ago(30)) })?;
    post(MovementInput { to_location_id: id(van1), ..movement("transfer", filter, 20, None, days_ago(30)) })?;
    for (item, location, min, max) in [(mask, warehouse, 20, 60), (filter, warehouse, 50, 200), (mask, van1, 2, 6)] {
        inventory::reorder::store(
            c,
            &ReorderLevelInput { item_id: id(item), location_id: id(location), min: id(min), max: id(max) },
        )?;
    }
    for (k, p) in patients.iter().take(9).enumerate() {
        post(movement("deliver", mask, 2, Some(*p), days_ago(28 - 2 * k as u64)))?;
        post(movement("deliver", filter, 6, Some(*p), days_ago(28 - 2 * k as u64)))?;
    }
    post(MovementInput {
        reason: text("damaged packaging found at count"),
        ..movement("adjust", filter, -4, None, days_ago(5))
    })?;
    post(movement("deliver", walker, 1, patients.get(10).copied(), days_ago(6)))?;
    Ok(())
}

/// The payer's answer to the demo's first eligibility question (the sample 271 of the
/// tests, its trace number replaced).
const SAMPLE_271: &str = include_str!("../tests/data/x12/eligibility.271");

/// Sync with the folder transport under the app's data folder (`clearinghouse/outgoing` and
/// `clearinghouse/incoming`), two DME eligibility questions queued in the outbox, and the
/// answer to the first waiting in the inbox for the next sync pass to import.
fn load_sync(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    let base = crate::db::default_path().parent().map(|p| p.join("clearinghouse")).unwrap_or_default();
    settings::set_in(c, settings::SYNC_TRANSPORT, "folder")?;
    for (key, folder) in [(settings::SYNC_OUTGOING_DIR, "outgoing"), (settings::SYNC_INCOMING_DIR, "incoming")] {
        let dir = base.join(folder);
        // The demo's clearinghouse is two local folders: made here so the first sync finds them.
        std::fs::create_dir_all(&dir).map_err(|e| DemoError::Folder(dir.display().to_string(), e))?;
        settings::set_in(c, key, &dir.display().to_string())?;
    }
    let mut stmt = c.conn().prepare(
        "SELECT DISTINCT c.patient_id FROM coverages c JOIN payers p ON p.id = c.payer_id
         WHERE p.payer_id IS NOT NULL AND c.priority = 'primary' AND c.effective <= ?1
           AND (c.termination IS NULL OR c.termination >= ?1)
         ORDER BY c.patient_id LIMIT 2",
    )?;
    let patients: Vec<i64> = stmt.query_map([today], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let noon = today.and_hms_opt(12, 0, 0).unwrap_or_default();
    for (n, patient) in patients.into_iter().enumerate() {
        let id = eligibility::queue(c, patient, "12", noon)?;
        if n == 0 {
            let trace: String =
                c.conn().query_row("SELECT trace_number FROM eligibility_checks WHERE id = ?1", [id], |r| r.get(0))?;
            let answer = SAMPLE_271.replace("ELIG-PCN1001", &trace);
            inbox::store(c, &format!("answer-{trace}.271"), "demo", answer.as_bytes())?;
        }
    }
    Ok(())
}

/// Claims the way a biller makes them: purchases billed from the signed deliveries, the
/// rental months due through today, two claims keyed in by hand that the scrubber stops for
/// different reasons, one scrub (clean claims become ready, the others stay drafts with their
/// problems) and one 837P batch of Medicare's ready claims.
fn load_claims(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    crate::claims::build_purchases(c)?;
    crate::rentals::bill_in(c, today)?;
    keyed_in_claims(c, today)?;
    crate::claims::scrub::scrub_all(c, today)?;
    let medicare: Option<i64> = c
        .conn()
        .query_row(
            "SELECT DISTINCT v.payer_id FROM claims k JOIN coverages v ON v.id = k.coverage_id
             JOIN payers p ON p.id = v.payer_id WHERE k.status = 'ready' AND p.kind = 'medicare_dme' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(payer) = medicare {
        crate::claims::create_batch(c, payer, today.and_hms_opt(16, 0, 0).unwrap_or_default())?;
    }
    Ok(())
}

/// The trace number of the demo payer's payment for the Medicare batch.
pub const REMIT_TRACE: &str = "DEMO-EFT-0001";

/// The Medicare batch's way back, each file through the same core calls as one the biller
/// imports: the upload marked sent the way a sync pass marks it (the batch sent, its claims
/// submitted), the clearinghouse's 999 and the payer's 277CA accepting it, and the payer's
/// 835 posted (payments, the CO-50 denial on the work queue, the claim not ours on the
/// unmatched list, interest, and secondary drafts for the coinsurance of patients with a
/// secondary coverage).
fn load_remit(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    use crate::sync::outbox::{self, OutboxState};
    let conn = c.conn();
    let batch: Option<(i64, String)> = conn
        .query_row("SELECT id, sha256 FROM claim_batches ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((batch, sha256)) = batch else { return Ok(()) };
    let upload: Option<(i64, String, OutboxState)> = conn
        .query_row("SELECT id, file_name, state FROM sync_outbox WHERE sha256 = ?1", [&sha256], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((id, file_name, OutboxState::Queued)) = upload {
        outbox::mark_sent(c, id, Some(&file_name))?;
    }
    crate::acks::import_in(c, &payer::batch_accepted(conn, batch, today)?, "demo-accepted.999")?;
    crate::acks::import_in(c, &payer::claims_accepted(conn, batch, today)?, "demo-accepted.277")?;
    let era = payer::remittance(conn, batch, today, REMIT_TRACE)?;
    crate::remit::import_in(c, &era, &format!("era-{REMIT_TRACE}.835"))?;
    Ok(())
}

/// The trace number of the demo payer's second payment: a reversal and its corrected claim.
pub const CORRECTION_TRACE: &str = "DEMO-EFT-0002";

/// A correction to work: the secondary claims the Medicare payment drafted are scrubbed,
/// batched to their payer and sent; then the demo payer takes back its payment on the first of
/// their primary claims (CLP02 = 22) and pays that claim again after a 50.00 deductible, which
/// puts its secondary claim on the work queue to be replaced or voided.
fn load_corrections(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    use crate::sync::outbox;
    crate::claims::scrub::scrub_all(c, today)?;
    let conn = c.conn();
    let secondary: Option<(i64, i64)> = conn
        .query_row(
            "SELECT k.related_claim_id, v.payer_id FROM claims k JOIN coverages v ON v.id = k.coverage_id
             WHERE k.source = 'secondary' AND k.status = 'ready' ORDER BY k.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((primary, payer)) = secondary else { return Ok(()) };
    let (batch, _) = crate::claims::create_batch(c, payer, today.and_hms_opt(16, 30, 0).unwrap_or_default())?;
    let upload: i64 = conn.query_row("SELECT id FROM sync_outbox WHERE sha256 = ?1", [&batch.sha256], |r| r.get(0))?;
    outbox::mark_sent(c, upload, Some(&batch.file_name))?;
    let primary = crate::claims::get(conn, primary)?;
    let deductible = payer::Outcome::Paid { deductible: crate::money::Money::from_cents(5000) };
    let era = payer::readjudicate(&[primary], |_| payer::Outcome::PAID, |_| deductible, today, CORRECTION_TRACE)?;
    crate::remit::import_in(c, &era, &format!("era-{CORRECTION_TRACE}.835"))?;
    Ok(())
}

/// Two claims typed in without an order, each with its own mistakes: a walker ordered by a
/// practitioner not enrolled in PECOS and never confirmed as delivered, and CPAP supplies
/// billed fourteen months late with KX beside GA.
fn keyed_in_claims(c: &Change<'_>, today: NaiveDate) -> Result<(), DemoError> {
    use crate::claims::{ClaimFrequency, ClaimSource, NewClaim, NewLine};
    let conn = c.conn();
    let (patient_id, coverage_id): (i64, i64) = conn.query_row(
        "SELECT v.patient_id, v.id FROM coverages v JOIN payers p ON p.id = v.payer_id
         WHERE p.kind = 'medicare_dme' AND v.priority = 'primary' ORDER BY v.id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let unenrolled: i64 =
        conn.query_row("SELECT id FROM practitioners WHERE pecos_enrolled = 0 ORDER BY id LIMIT 1", [], |r| r.get(0))?;
    let line = |hcpcs: &str, modifiers: &[&str], charge: &str, dos: NaiveDate| NewLine {
        hcpcs: hcpcs.to_string(),
        modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
        from: dos,
        to: dos,
        units: 1,
        charge: charge.parse().unwrap_or_default(),
        allowed: None,
        diagnosis_pointers: vec![1],
        acquisition: orders::Acquisition::Purchase,
        order_line_id: None,
        delivery_item_id: None,
        rental_month: None,
    };
    let claim = |practitioner_id: i64, diagnosis: &str, lines: Vec<NewLine>| NewClaim {
        patient_id,
        coverage_id,
        practitioner_id: Some(practitioner_id),
        order_id: None,
        source: ClaimSource::Purchase,
        frequency: ClaimFrequency::Original,
        payer_claim_number: None,
        related_claim_id: None,
        corrects_claim_id: None,
        prior_authorization: None,
        diagnoses: vec![diagnosis.to_string()],
        lines,
    };
    let walker = claim(unenrolled, "M17.11", vec![line("E0143", &["NU"], "195.00", today - chrono::Days::new(3))]);
    crate::claims::create(c, &walker)?;
    let late = today - Months::new(14);
    let supplies = claim(1, "G47.33", vec![line("A7030", &["KX", "GA"], "165.00", late)]);
    crate::claims::create(c, &supplies)?;
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
