//! The 837P (005010X222A1) professional claim file, as DME suppliers send it.
//!
//! Input is a [`Batch`] of fully resolved claims: every name, id and amount is already
//! decided; this module only lays them out in the TR3's loops and segments, through the
//! shared X12 writer (which owns separators, counts and envelopes). Loop and segment order
//! follow the TR3 (ASC X12N/005010X222A1, section 2.4):
//!
//! 1000A submitter, 1000B receiver, 2000A/2010AA billing provider (NPI, EIN, taxonomy, street
//! address with ZIP+4), then per claim 2000B/2010BA subscriber and 2010BB payer, 2000C/2010CA
//! patient when the patient is not the subscriber, 2300 claim (CLM, REF*F8 for replacements
//! and voids, REF*G1 prior authorization, HI diagnoses), 2320/2330A/2330B other payers on a
//! secondary claim (SBR, claim-level CAS, AMT*D, AMT*EAF), and 2400 lines (LX, SV1, SV5, CR3,
//! DTP*472, REF*6R) each followed by 2420E, the ordering provider — DME MACs want the ordering
//! practitioner per line — and 2430, each earlier payer's adjudication of the line (SVD, CAS,
//! DTP*573, AMT*EAF).
//!
//! COB balancing (the TR3 front matter on coordination of benefits): per other payer, CLM02
//! − Σ 2320 CAS − Σ 2430 CAS = 2320 AMT*D, and per line SV102 − Σ 2430 CAS = SVD02. The
//! resolved amounts come straight from a balanced 835, so the writer lays them out as given.
//!
//! Medicare DME specifics (CMS Claims Processing Manual ch. 20; CEDI 5010 companion guide):
//! place of service 12 (home), filing indicator MB, no CMN data (CR3) for dates of service
//! from 2023-01-01 — callers decide that by leaving `certification` empty.

use crate::money::Money;
use crate::x12::write::{GroupHeader, InterchangeHeader, WriteError, Writer};
use crate::x12::Separators;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use std::io::Write;

/// The implementation guide this writer follows (GS08 and ST03).
pub const VERSION: &str = "005010X222A1";

/// A postal address; `zip` is 5 or 9 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
}

/// Who sends the file and to whom (loops 1000A/1000B and the envelopes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub submitter_id: String,
    pub submitter_name: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub receiver_id: String,
    pub receiver_name: String,
    /// ISA13; unique per submitter, never reused.
    pub interchange_control: u32,
    /// GS06.
    pub group_control: u32,
    /// ST02.
    pub set_control: u32,
    pub created: NaiveDateTime,
    /// ISA15 `P`, else `T` for test files.
    pub production: bool,
}

/// The supplier as billing provider (loop 2010AA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingProvider {
    pub name: String,
    pub npi: String,
    /// Employer identification number, 9 digits.
    pub ein: String,
    pub taxonomy: String,
    /// A street address (not a PO box) with a nine-digit ZIP code.
    pub address: Address,
}

/// A person on a claim: the subscriber, the patient or another payer's subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub dob: NaiveDate,
    /// `F`, `M` or `U`.
    pub sex: String,
    pub address: Option<Address>,
}

/// Payer responsibility order (SBR01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responsibility {
    Primary,
    Secondary,
    Tertiary,
}

impl Responsibility {
    fn code(self) -> &'static str {
        match self {
            Responsibility::Primary => "P",
            Responsibility::Secondary => "S",
            Responsibility::Tertiary => "T",
        }
    }
}

/// The patient's relationship to the subscriber (SBR02 / PAT01 / 2320 SBR02).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientRelationship {
    SelfInsured,
    Spouse,
    Child,
    Other,
}

impl PatientRelationship {
    fn code(self) -> &'static str {
        match self {
            PatientRelationship::SelfInsured => "18",
            PatientRelationship::Spouse => "01",
            PatientRelationship::Child => "19",
            PatientRelationship::Other => "G8",
        }
    }
}

/// A payer as loop 2010BB or 2330B names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayerName {
    pub name: String,
    /// The electronic payer id (NM109 with qualifier PI).
    pub payer_id: String,
}

/// The coverage a claim is sent under (loops 2000B/2010BA/2010BB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub responsibility: Responsibility,
    pub payer: PayerName,
    /// SBR09, like `MB`, `MC`, `CI`.
    pub filing_indicator: String,
    pub member_id: String,
    pub group_number: Option<String>,
    pub subscriber: Person,
    pub relationship: PatientRelationship,
}

/// Another payer on the claim, for coordination of benefits (loops 2320/2330A/2330B).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherPayer {
    pub coverage: Coverage,
    /// What that payer paid on the claim (AMT*D), once it has adjudicated.
    pub paid: Option<Money>,
    /// The claim-level adjustments that payer made (2320 CAS); line-level ones ride on the
    /// lines' [`LineAdjudication`]s.
    pub adjustments: Vec<Adjustment>,
    /// 2320 AMT*EAF: what is left for the patient after that payer. The TR3 wants it here
    /// only when the payer adjudicated at claim level; otherwise each 2430 carries its own.
    pub remaining_patient_liability: Option<Money>,
}

/// One adjustment an earlier payer made, as its 835 CAS said it: group code (`CO`, `PR`,
/// `OA`, `PI`), claim adjustment reason code and amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub group: String,
    pub reason: String,
    pub amount: Money,
}

/// How an earlier payer adjudicated one service line (loop 2430), so the next payer can
/// coordinate line by line. Balances: line charge − Σ `adjustments` = `paid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineAdjudication {
    /// SVD01: the payer's id, as that payer's 2330B NM109 gives it.
    pub payer_id: String,
    /// SVD02.
    pub paid: Money,
    /// SVD03: the procedure as the payer adjudicated it.
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    /// SVD05: the units the payer paid.
    pub units: Decimal,
    /// 2430 CAS.
    pub adjustments: Vec<Adjustment>,
    /// DTP*573: the date the payer paid (or remitted) the line.
    pub paid_on: NaiveDate,
    /// 2430 AMT*EAF: what is left for the patient on this line after that payer.
    pub remaining_patient_liability: Money,
}

/// A practitioner named on a claim line (loop 2420E, the ordering provider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practitioner {
    pub last_name: String,
    pub first_name: String,
    pub npi: String,
}

/// CLM05-3: an original claim, or a correction of one the payer already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frequency {
    Original,
    /// Replaces the claim the payer numbered `payer_claim_number`.
    Replacement {
        payer_claim_number: String,
    },
    /// Voids the claim the payer numbered `payer_claim_number`.
    Void {
        payer_claim_number: String,
    },
}

/// CR3-1: the kind of certification of medical necessity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificationType {
    Initial,
    Renewal,
    Revised,
}

/// DME rental/purchase prices a payer may want (SV5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmePrices {
    /// Length of medical necessity in days (SV503).
    pub days: u32,
    pub rental_price: Money,
    pub purchase_price: Money,
    /// SV506: `1` weekly, `4` monthly, `6` daily.
    pub rental_frequency: &'static str,
}

/// One service line (loop 2400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// REF*6R, ours and unique forever; echoed on the 835 line.
    pub control_number: String,
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    pub charge: Money,
    pub units: u32,
    pub from: NaiveDate,
    /// Last date of service when it differs from `from`.
    pub to: Option<NaiveDate>,
    /// 1-based pointers into the claim's diagnoses, at most 4.
    pub diagnosis_pointers: Vec<u8>,
    pub prices: Option<DmePrices>,
    /// CR3: certification type and length of need in months, for payers that still want it.
    pub certification: Option<(CertificationType, u32)>,
    pub ordering: Option<Practitioner>,
    /// What earlier payers did with this line, on a secondary or tertiary claim.
    pub adjudications: Vec<LineAdjudication>,
}

/// One claim (loop 2300 and what hangs from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// CLM01, our patient control number; the 835 echoes it in CLP01.
    pub control_number: String,
    pub coverage: Coverage,
    /// The patient, when not the subscriber.
    pub patient: Option<Person>,
    pub place_of_service: String,
    pub frequency: Frequency,
    pub prior_authorization: Option<String>,
    /// ICD-10-CM codes, primary first, at most 12.
    pub diagnoses: Vec<String>,
    pub other_payers: Vec<OtherPayer>,
    pub lines: Vec<Line>,
}

impl Claim {
    /// CLM02: the sum of the line charges.
    pub fn total_charge(&self) -> Money {
        self.lines.iter().map(|l| l.charge).sum()
    }
}

/// Everything one 837P file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub envelope: Envelope,
    pub billing: BillingProvider,
    pub claims: Vec<Claim>,
}

/// Writes `batch` as one interchange with one functional group and one transaction set.
pub fn write_837p<W: Write>(out: W, batch: &Batch) -> Result<W, WriteError> {
    let e = &batch.envelope;
    let mut w = Writer::new(out, Separators::default()).with_line_breaks();
    w.begin_interchange(&InterchangeHeader {
        sender_qualifier: "ZZ".into(),
        sender_id: e.submitter_id.clone(),
        receiver_qualifier: "ZZ".into(),
        receiver_id: e.receiver_id.clone(),
        created: e.created,
        control_number: e.interchange_control,
        acknowledgment_requested: false,
        production: e.production,
    })?;
    w.begin_group(&GroupHeader {
        functional_id: "HC".into(),
        sender_code: e.submitter_id.clone(),
        receiver_code: e.receiver_id.clone(),
        created: e.created,
        control_number: e.group_control,
        version: VERSION.into(),
    })?;
    w.begin_set("837", &format!("{:04}", e.set_control), VERSION)?;
    let date = e.created.format("%Y%m%d").to_string();
    let time = e.created.format("%H%M").to_string();
    w.segment("BHT")
        .element("0019")
        .element("00")
        .element(&format!("{:09}", e.interchange_control))
        .element(&date)
        .element(&time)
        .element("CH")
        .finish()?;
    w.segment("NM1")
        .element("41")
        .element("2")
        .element(&e.submitter_name)
        .skip(4)
        .element("46")
        .element(&e.submitter_id)
        .finish()?;
    w.segment("PER").element("IC").element(&e.contact_name).element("TE").element(&e.contact_phone).finish()?;
    w.segment("NM1")
        .element("40")
        .element("2")
        .element(&e.receiver_name)
        .skip(4)
        .element("46")
        .element(&e.receiver_id)
        .finish()?;
    write_billing_provider(&mut w, &batch.billing)?;
    let mut hl = 1;
    for claim in &batch.claims {
        hl = write_claim(&mut w, claim, hl)?;
    }
    w.end_set()?;
    w.end_group()?;
    w.end_interchange()?;
    Ok(w.into_inner())
}

fn write_billing_provider<W: Write>(w: &mut Writer<W>, b: &BillingProvider) -> Result<(), WriteError> {
    w.segment("HL").element("1").element("").element("20").element("1").finish()?;
    w.segment("PRV").element("BI").element("PXC").element(&b.taxonomy).finish()?;
    w.segment("NM1").element("85").element("2").element(&b.name).skip(4).element("XX").element(&b.npi).finish()?;
    write_address(w, &b.address)?;
    w.segment("REF").element("EI").element(&b.ein).finish()
}

fn write_address<W: Write>(w: &mut Writer<W>, a: &Address) -> Result<(), WriteError> {
    w.segment("N3").element(&a.line1).element(a.line2.as_deref().unwrap_or("")).finish()?;
    w.segment("N4").element(&a.city).element(&a.state).element(&a.zip).finish()
}

fn write_person_name<W: Write>(
    w: &mut Writer<W>,
    qualifier: &str,
    p: &Person,
    id: Option<&str>,
) -> Result<(), WriteError> {
    let segment = w
        .segment("NM1")
        .element(qualifier)
        .element("1")
        .element(&p.last_name)
        .element(&p.first_name)
        .element(p.middle_name.as_deref().unwrap_or(""));
    match id {
        Some(id) => segment.skip(2).element("MI").element(id).finish(),
        None => segment.finish(),
    }
}

fn write_demographics<W: Write>(w: &mut Writer<W>, p: &Person) -> Result<(), WriteError> {
    if let Some(a) = &p.address {
        write_address(w, a)?;
    }
    w.segment("DMG").element("D8").element(&p.dob.format("%Y%m%d").to_string()).element(&p.sex).finish()
}

fn write_sbr<W: Write>(
    w: &mut Writer<W>,
    c: &Coverage,
    relationship: Option<PatientRelationship>,
) -> Result<(), WriteError> {
    w.segment("SBR")
        .element(c.responsibility.code())
        .element(relationship.map_or("", PatientRelationship::code))
        .element(c.group_number.as_deref().unwrap_or(""))
        .skip(5)
        .element(&c.filing_indicator)
        .finish()
}

/// Writes one claim from its subscriber loop down; returns the next free HL number.
fn write_claim<W: Write>(w: &mut Writer<W>, claim: &Claim, hl: u32) -> Result<u32, WriteError> {
    let c = &claim.coverage;
    let subscriber_hl = hl + 1;
    let patient_is_subscriber = claim.patient.is_none();
    w.segment("HL")
        .element(&subscriber_hl.to_string())
        .element("1")
        .element("22")
        .element(if patient_is_subscriber { "0" } else { "1" })
        .finish()?;
    write_sbr(w, c, patient_is_subscriber.then_some(PatientRelationship::SelfInsured))?;
    write_person_name(w, "IL", &c.subscriber, Some(&c.member_id))?;
    if patient_is_subscriber {
        write_demographics(w, &c.subscriber)?;
    }
    w.segment("NM1")
        .element("PR")
        .element("2")
        .element(&c.payer.name)
        .skip(4)
        .element("PI")
        .element(&c.payer.payer_id)
        .finish()?;
    let mut next = subscriber_hl + 1;
    if let Some(patient) = &claim.patient {
        w.segment("HL")
            .element(&next.to_string())
            .element(&subscriber_hl.to_string())
            .element("23")
            .element("0")
            .finish()?;
        w.segment("PAT").element(c.relationship.code()).finish()?;
        write_person_name(w, "QC", patient, None)?;
        write_demographics(w, patient)?;
        next += 1;
    }
    let frequency = match &claim.frequency {
        Frequency::Original => "1",
        Frequency::Replacement { .. } => "7",
        Frequency::Void { .. } => "8",
    };
    w.segment("CLM")
        .element(&claim.control_number)
        .amount(claim.total_charge())
        .skip(2)
        .composite(&[&claim.place_of_service, "B", frequency])
        .element("Y")
        .element("A")
        .element("Y")
        .element("Y")
        .finish()?;
    if let Frequency::Replacement { payer_claim_number } | Frequency::Void { payer_claim_number } = &claim.frequency {
        w.segment("REF").element("F8").element(payer_claim_number).finish()?;
    }
    if let Some(auth) = &claim.prior_authorization {
        w.segment("REF").element("G1").element(auth).finish()?;
    }
    let codes: Vec<String> = claim.diagnoses.iter().map(|d| d.replace('.', "")).collect();
    let mut hi = w.segment("HI");
    for (i, code) in codes.iter().enumerate() {
        hi = hi.composite(&[if i == 0 { "ABK" } else { "ABF" }, code]);
    }
    hi.finish()?;
    for other in &claim.other_payers {
        write_other_payer(w, other)?;
    }
    for (n, line) in claim.lines.iter().enumerate() {
        write_line(w, line, n + 1)?;
    }
    Ok(next - 1)
}

fn write_other_payer<W: Write>(w: &mut Writer<W>, other: &OtherPayer) -> Result<(), WriteError> {
    let c = &other.coverage;
    write_sbr(w, c, Some(c.relationship))?;
    write_cas(w, &other.adjustments)?;
    if let Some(paid) = other.paid {
        w.segment("AMT").element("D").amount(paid).finish()?;
    }
    if let Some(left) = other.remaining_patient_liability {
        w.segment("AMT").element("EAF").amount(left).finish()?;
    }
    w.segment("OI").skip(2).element("Y").skip(2).element("Y").finish()?;
    write_person_name(w, "IL", &c.subscriber, Some(&c.member_id))?;
    w.segment("NM1")
        .element("PR")
        .element("2")
        .element(&c.payer.name)
        .skip(4)
        .element("PI")
        .element(&c.payer.payer_id)
        .finish()
}

/// CAS segments (2320 and 2430 alike): one per group code in the order first seen, at most
/// six reason/amount pairs each (CAS02–CAS19), then another segment of the same group. Zero
/// amounts are left out, as the TR3 notes for both loops.
fn write_cas<W: Write>(w: &mut Writer<W>, adjustments: &[Adjustment]) -> Result<(), WriteError> {
    let mut groups: Vec<&str> = Vec::new();
    for a in adjustments {
        if !groups.contains(&a.group.as_str()) {
            groups.push(&a.group);
        }
    }
    for group in groups {
        let of_group: Vec<&Adjustment> =
            adjustments.iter().filter(|a| a.group == group && !a.amount.is_zero()).collect();
        for chunk in of_group.chunks(6) {
            let mut cas = w.segment("CAS").element(group);
            for (i, a) in chunk.iter().enumerate() {
                if i > 0 {
                    cas = cas.skip(1);
                }
                cas = cas.element(&a.reason).amount(a.amount);
            }
            cas.finish()?;
        }
    }
    Ok(())
}

/// Loop 2430: one earlier payer's adjudication of the line (SVD, CAS, DTP*573, AMT*EAF).
fn write_line_adjudication<W: Write>(w: &mut Writer<W>, a: &LineAdjudication) -> Result<(), WriteError> {
    let mut procedure: Vec<&str> = vec!["HC", &a.hcpcs];
    procedure.extend(a.modifiers.iter().map(String::as_str));
    w.segment("SVD")
        .element(&a.payer_id)
        .amount(a.paid)
        .composite(&procedure)
        .skip(1)
        .element(&a.units.normalize().to_string())
        .finish()?;
    write_cas(w, &a.adjustments)?;
    w.segment("DTP").element("573").element("D8").element(&a.paid_on.format("%Y%m%d").to_string()).finish()?;
    w.segment("AMT").element("EAF").amount(a.remaining_patient_liability).finish()
}

fn write_line<W: Write>(w: &mut Writer<W>, line: &Line, number: usize) -> Result<(), WriteError> {
    w.segment("LX").element(&number.to_string()).finish()?;
    let mut procedure: Vec<&str> = vec!["HC", &line.hcpcs];
    procedure.extend(line.modifiers.iter().map(String::as_str));
    let pointers: Vec<String> = line.diagnosis_pointers.iter().map(u8::to_string).collect();
    let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
    w.segment("SV1")
        .composite(&procedure)
        .amount(line.charge)
        .element("UN")
        .element(&line.units.to_string())
        .skip(2)
        .composite(&pointers)
        .finish()?;
    if let Some(p) = &line.prices {
        w.segment("SV5")
            .composite(&["HC", &line.hcpcs])
            .element("DA")
            .element(&p.days.to_string())
            .amount(p.rental_price)
            .amount(p.purchase_price)
            .element(p.rental_frequency)
            .finish()?;
    }
    if let Some((kind, months)) = line.certification {
        let code = match kind {
            CertificationType::Initial => "I",
            CertificationType::Renewal => "R",
            CertificationType::Revised => "S",
        };
        w.segment("CR3").element(code).element("MO").element(&months.to_string()).finish()?;
    }
    let dtp = w.segment("DTP").element("472");
    match line.to.filter(|to| *to != line.from) {
        Some(to) => {
            dtp.element("RD8").element(&format!("{}-{}", line.from.format("%Y%m%d"), to.format("%Y%m%d"))).finish()?
        }
        None => dtp.element("D8").element(&line.from.format("%Y%m%d").to_string()).finish()?,
    }
    w.segment("REF").element("6R").element(&line.control_number).finish()?;
    if let Some(p) = &line.ordering {
        w.segment("NM1")
            .element("DK")
            .element("1")
            .element(&p.last_name)
            .element(&p.first_name)
            .skip(3)
            .element("XX")
            .element(&p.npi)
            .finish()?;
    }
    for a in &line.adjudications {
        write_line_adjudication(w, a)?;
    }
    Ok(())
}
