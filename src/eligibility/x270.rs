//! The 270 eligibility request (005010X279A1): a pure function from a resolved request to
//! the file, on the `x12::write` envelope writer. One request per file: payer (2100A) →
//! supplier as information receiver (2100B) → subscriber (2000C), and the patient as
//! dependent (2000D) when the subscriber is someone else; the trace number (TRN) and the
//! service type inquiry (EQ) sit at the patient's level.

use crate::x12::write::{GroupHeader, InterchangeHeader, WriteError, Writer};
use crate::x12::Separators;
use chrono::{NaiveDate, NaiveDateTime};

/// The implementation guide the file follows.
pub const VERSION: &str = "005010X279A1";

/// A person as the 270 names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    /// `F`, `M` or `U`.
    pub sex: String,
}

/// Everything a 270 needs, resolved from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request270 {
    /// ISA06/GS02: our submitter id.
    pub submitter_id: String,
    /// ISA08/GS03: the clearinghouse or payer.
    pub receiver_id: String,
    pub created: NaiveDateTime,
    /// ISA13/GS06.
    pub control_number: u32,
    pub production: bool,
    pub payer_name: String,
    /// NM109 of 2100A: the electronic payer id.
    pub payer_id: String,
    pub supplier_name: String,
    pub supplier_npi: String,
    /// TRN03: `1` followed by the supplier's EIN digits.
    pub originator_id: String,
    /// TRN02: our reference, returned in the 271.
    pub trace_number: String,
    /// NM109 of 2100C: the member id (the MBI for Medicare).
    pub member_id: String,
    pub subscriber: Person,
    /// The patient when not the subscriber (loop 2000D).
    pub dependent: Option<Person>,
    /// DTP*291: the date asked about.
    pub service_date: NaiveDate,
    /// EQ01: the service type (`12` DME purchase, `18` DME rental, `30` plan coverage).
    pub service_type: String,
}

/// Writes `r` as a 270 file.
pub fn write_270(r: &Request270) -> Result<Vec<u8>, WriteError> {
    let mut w = Writer::new(Vec::new(), Separators::default()).with_line_breaks();
    w.begin_interchange(&InterchangeHeader {
        sender_qualifier: "ZZ".into(),
        sender_id: r.submitter_id.clone(),
        receiver_qualifier: "ZZ".into(),
        receiver_id: r.receiver_id.clone(),
        created: r.created,
        control_number: r.control_number,
        acknowledgment_requested: false,
        production: r.production,
    })?;
    w.begin_group(&GroupHeader {
        functional_id: "HS".into(),
        sender_code: r.submitter_id.clone(),
        receiver_code: r.receiver_id.clone(),
        created: r.created,
        control_number: r.control_number,
        version: VERSION.into(),
    })?;
    w.begin_set("270", "0001", VERSION)?;
    w.segment("BHT")
        .element("0022")
        .element("13")
        .element(&r.trace_number)
        .element(&r.created.format("%Y%m%d").to_string())
        .element(&r.created.format("%H%M").to_string())
        .finish()?;
    w.segment("HL").element("1").skip(1).element("20").element("1").finish()?;
    w.segment("NM1")
        .element("PR")
        .element("2")
        .element(&r.payer_name)
        .skip(4)
        .element("PI")
        .element(&r.payer_id)
        .finish()?;
    w.segment("HL").element("2").element("1").element("21").element("1").finish()?;
    w.segment("NM1")
        .element("1P")
        .element("2")
        .element(&r.supplier_name)
        .skip(4)
        .element("XX")
        .element(&r.supplier_npi)
        .finish()?;
    let has_dependent = r.dependent.is_some();
    w.segment("HL").element("3").element("2").element("22").element(if has_dependent { "1" } else { "0" }).finish()?;
    if !has_dependent {
        trace(&mut w, r)?;
    }
    w.segment("NM1")
        .element("IL")
        .element("1")
        .element(&r.subscriber.last_name)
        .element(&r.subscriber.first_name)
        .element(r.subscriber.middle_name.as_deref().unwrap_or_default())
        .skip(2)
        .element("MI")
        .element(&r.member_id)
        .finish()?;
    match &r.dependent {
        None => inquiry(&mut w, r, &r.subscriber)?,
        Some(patient) => {
            w.segment("DMG").element("D8").element(&date(r.subscriber.birth_date)).finish()?;
            w.segment("HL").element("4").element("3").element("23").element("0").finish()?;
            trace(&mut w, r)?;
            w.segment("NM1")
                .element("03")
                .element("1")
                .element(&patient.last_name)
                .element(&patient.first_name)
                .element(patient.middle_name.as_deref().unwrap_or_default())
                .finish()?;
            inquiry(&mut w, r, patient)?;
        }
    }
    w.end_set()?;
    w.end_group()?;
    w.end_interchange()?;
    Ok(w.into_inner())
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn trace(w: &mut Writer<Vec<u8>>, r: &Request270) -> Result<(), WriteError> {
    w.segment("TRN").element("1").element(&r.trace_number).element(&r.originator_id).finish()
}

/// DMG, DTP*291 and EQ of the person the question is about.
fn inquiry(w: &mut Writer<Vec<u8>>, r: &Request270, person: &Person) -> Result<(), WriteError> {
    w.segment("DMG").element("D8").element(&date(person.birth_date)).element(&person.sex).finish()?;
    w.segment("DTP").element("291").element("D8").element(&date(r.service_date)).finish()?;
    w.segment("EQ").element(&r.service_type).finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x12::check;

    fn person(first: &str, born: (i32, u32, u32)) -> Person {
        Person {
            last_name: "RIVERA".into(),
            first_name: first.into(),
            middle_name: None,
            birth_date: NaiveDate::from_ymd_opt(born.0, born.1, born.2).unwrap(),
            sex: "F".into(),
        }
    }

    fn request(dependent: Option<Person>) -> Request270 {
        Request270 {
            submitter_id: "HMEDESK".into(),
            receiver_id: "CLAIMMD".into(),
            created: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(9, 30, 0).unwrap(),
            control_number: 42,
            production: false,
            payer_name: "CGS JURISDICTION B".into(),
            payer_id: "17013".into(),
            supplier_name: "LONE STAR HOME MEDICAL".into(),
            supplier_npi: "1234567893".into(),
            originator_id: "1751234567".into(),
            trace_number: "HMD-7-1".into(),
            member_id: "1EG4TE5MK73".into(),
            subscriber: person("MARIA", (1950, 4, 12)),
            dependent,
            service_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            service_type: "12".into(),
        }
    }

    fn text(r: &Request270) -> String {
        String::from_utf8(write_270(r).unwrap()).unwrap()
    }

    #[test]
    fn a_subscriber_request_has_the_inquiry_at_the_subscriber_level() {
        let file = text(&request(None));
        let expected = "ST*270*0001*005010X279A1~\nBHT*0022*13*HMD-7-1*20260302*0930~\nHL*1**20*1~\n\
            NM1*PR*2*CGS JURISDICTION B*****PI*17013~\nHL*2*1*21*1~\n\
            NM1*1P*2*LONE STAR HOME MEDICAL*****XX*1234567893~\nHL*3*2*22*0~\nTRN*1*HMD-7-1*1751234567~\n\
            NM1*IL*1*RIVERA*MARIA****MI*1EG4TE5MK73~\nDMG*D8*19500412*F~\nDTP*291*D8*20260302~\nEQ*12~\n\
            SE*13*0001~\n";
        assert!(file.contains(expected), "{file}");
        let report = check::check(file.as_bytes());
        assert!(report.is_valid(), "{:?}", report.problems);
        assert_eq!(report.sets[0].set_id, "270");
    }

    #[test]
    fn a_dependent_request_names_the_patient_in_2000d() {
        let file = text(&request(Some(person("LUIS", (2010, 1, 5)))));
        assert!(file.contains(
            "HL*3*2*22*1~\nNM1*IL*1*RIVERA*MARIA****MI*1EG4TE5MK73~\nDMG*D8*19500412~\nHL*4*3*23*0~\n\
            TRN*1*HMD-7-1*1751234567~\nNM1*03*1*RIVERA*LUIS~\nDMG*D8*20100105*F~\nDTP*291*D8*20260302~\nEQ*12~\n"
        ));
        assert!(check::check(file.as_bytes()).is_valid());
    }

    #[test]
    fn a_separator_in_a_name_is_refused() {
        let mut r = request(None);
        r.subscriber.last_name = "O*NEIL".into();
        assert!(matches!(write_270(&r), Err(WriteError::SeparatorInData { .. })));
    }
}
