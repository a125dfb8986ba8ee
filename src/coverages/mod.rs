//! Insurance coverages: which payer covers a patient, as primary, secondary or tertiary,
//! over which dates, and who the subscriber is when it is not the patient.
//!
//! Rules kept here: two coverages of the same priority may not overlap in time (the payer
//! order on a date of service must be unambiguous for claims and coordination of benefits);
//! a Medicare member id is an MBI; a subscriber other than the patient needs a name and date
//! of birth (837P loop 2010BA).

mod store;

pub use store::{active_on, add, create, get, list_for_patient, update};

use crate::db::DbError;
use crate::patients::{parse_mbi, Sex};
use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A coverage as entered on a form, the CLI or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct CoverageInput {
    #[arg(long)]
    pub patient_id: Option<String>,
    /// The payer's id in HME Desk (see `hmedesk payers list`)
    #[arg(long)]
    pub payer_id: Option<String>,
    #[arg(long)]
    pub member_id: Option<String>,
    #[arg(long)]
    pub group_number: Option<String>,
    /// primary, secondary or tertiary
    #[arg(long)]
    pub priority: Option<String>,
    /// First covered day, YYYY-MM-DD
    #[arg(long)]
    pub effective: Option<String>,
    /// Last covered day, YYYY-MM-DD (blank while open-ended)
    #[arg(long)]
    pub termination: Option<String>,
    /// The patient's relationship to the subscriber: self, spouse, child or other
    #[arg(long)]
    pub relationship: Option<String>,
    #[arg(long)]
    pub subscriber_first_name: Option<String>,
    #[arg(long)]
    pub subscriber_last_name: Option<String>,
    #[arg(long)]
    pub subscriber_dob: Option<String>,
    #[arg(long)]
    pub subscriber_sex: Option<String>,
    #[arg(long)]
    pub subscriber_address1: Option<String>,
    #[arg(long)]
    pub subscriber_city: Option<String>,
    #[arg(long)]
    pub subscriber_state: Option<String>,
    #[arg(long)]
    pub subscriber_zip: Option<String>,
}

crate::coded_enum! {
    /// The order in which payers are billed.
    Priority {
        Primary = "primary",
        Secondary = "secondary",
        Tertiary = "tertiary",
    }
}

crate::coded_enum! {
    /// The patient's relationship to the subscriber (837P SBR02 / PAT01).
    Relationship {
        Itself = "self",
        Spouse = "spouse",
        Child = "child",
        Other = "other",
    }
}

/// The person who holds the policy, when that is not the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Subscriber {
    pub first_name: String,
    pub last_name: String,
    pub dob: NaiveDate,
    pub sex: Option<Sex>,
    pub address1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

/// A coverage on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Coverage {
    pub id: i64,
    pub patient_id: i64,
    pub payer_id: i64,
    /// The payer's name, for display.
    pub payer_name: String,
    pub member_id: String,
    pub group_number: Option<String>,
    pub priority: Priority,
    pub effective: NaiveDate,
    pub termination: Option<NaiveDate>,
    pub relationship: Relationship,
    /// Present when `relationship` is not `self`.
    pub subscriber: Option<Subscriber>,
}

/// Why a coverage could not be saved or found.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no coverage with id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(CoverageError);

impl Coverage {
    /// True when the coverage is in force on `date`.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.effective <= date && self.termination.is_none_or(|t| date <= t)
    }

    /// True when this coverage's dates overlap `other`'s.
    pub fn overlaps(&self, other: &Coverage) -> bool {
        let ends_before = |a: &Coverage, b: &Coverage| a.termination.is_some_and(|t| t < b.effective);
        !ends_before(self, other) && !ends_before(other, self)
    }

    /// The record as a form, for editing.
    pub fn to_input(&self) -> CoverageInput {
        let s = self.subscriber.as_ref();
        CoverageInput {
            patient_id: Some(self.patient_id.to_string()),
            payer_id: Some(self.payer_id.to_string()),
            member_id: Some(self.member_id.clone()),
            group_number: self.group_number.clone(),
            priority: Some(self.priority.code().to_string()),
            effective: Some(self.effective.to_string()),
            termination: self.termination.map(|d| d.to_string()),
            relationship: Some(self.relationship.code().to_string()),
            subscriber_first_name: s.map(|s| s.first_name.clone()),
            subscriber_last_name: s.map(|s| s.last_name.clone()),
            subscriber_dob: s.map(|s| s.dob.to_string()),
            subscriber_sex: s.and_then(|s| s.sex).map(|x| x.code().to_string()),
            subscriber_address1: s.and_then(|s| s.address1.clone()),
            subscriber_city: s.and_then(|s| s.city.clone()),
            subscriber_state: s.and_then(|s| s.state.clone()),
            subscriber_zip: s.and_then(|s| s.zip.clone()),
        }
    }
}

/// Checks the fields of `input` on their own (the store adds the checks that need the
/// database: the payer's kind and overlaps). Returns the coverage with id 0 and no payer name.
pub fn validate(input: &CoverageInput) -> Result<Coverage, Problems> {
    let mut p = Problems::new();
    let patient_id = required_id(&mut p, "patient_id", input.patient_id.as_deref());
    let payer_id = required_id(&mut p, "payer_id", input.payer_id.as_deref());
    let member_id = p.required("member_id", input.member_id.as_deref()).to_ascii_uppercase();
    let priority = match optional(input.priority.as_deref()) {
        None => Some(Priority::Primary),
        Some(_) => p.choice("priority", input.priority.as_deref(), Priority::CHOICES),
    };
    let effective = p.required_date("effective", input.effective.as_deref());
    let termination = p.optional_date("termination", input.termination.as_deref());
    if let (Some(e), Some(t)) = (effective, termination) {
        if t < e {
            p.add("termination", "is before the effective date");
        }
    }
    let relationship = match optional(input.relationship.as_deref()) {
        None => Some(Relationship::Itself),
        Some(_) => p.choice("relationship", input.relationship.as_deref(), Relationship::CHOICES),
    };
    let subscriber = match relationship {
        Some(Relationship::Itself) | None => {
            let given = [&input.subscriber_first_name, &input.subscriber_last_name, &input.subscriber_dob]
                .iter()
                .any(|f| optional(f.as_deref()).is_some());
            if given {
                p.add("relationship", "subscriber details were given, so the relationship cannot be self");
            }
            None
        }
        Some(_) => {
            let first_name = p.required("subscriber_first_name", input.subscriber_first_name.as_deref());
            let last_name = p.required("subscriber_last_name", input.subscriber_last_name.as_deref());
            let dob = p.required_date("subscriber_dob", input.subscriber_dob.as_deref());
            let sex = p.choice(
                "subscriber_sex",
                input.subscriber_sex.as_deref(),
                &[("F", Sex::F), ("M", Sex::M), ("U", Sex::U)],
            );
            Some(Subscriber {
                first_name,
                last_name,
                dob: dob.unwrap_or_default(),
                sex,
                address1: optional(input.subscriber_address1.as_deref()),
                city: optional(input.subscriber_city.as_deref()),
                state: p.state("subscriber_state", input.subscriber_state.as_deref()),
                zip: p.zip("subscriber_zip", input.subscriber_zip.as_deref()),
            })
        }
    };
    let coverage = Coverage {
        id: 0,
        patient_id,
        payer_id,
        payer_name: String::new(),
        member_id,
        group_number: optional(input.group_number.as_deref()),
        priority: priority.unwrap_or(Priority::Primary),
        effective: effective.unwrap_or_default(),
        termination,
        relationship: relationship.unwrap_or(Relationship::Itself),
        subscriber,
    };
    p.finish(coverage)
}

fn required_id(p: &mut Problems, field: &str, value: Option<&str>) -> i64 {
    match optional(value).map(|v| v.parse::<i64>()) {
        Some(Ok(id)) if id > 0 => id,
        Some(_) => {
            p.add(field, "must be the number of a record on file");
            0
        }
        None => {
            p.add(field, "is required");
            0
        }
    }
}

/// Medicare identifies beneficiaries by MBI; the member id of a Medicare coverage must be one.
fn check_member_id_for_medicare(p: &mut Problems, member_id: &str) -> String {
    match parse_mbi(member_id) {
        Ok(mbi) => mbi,
        Err(e) => {
            p.add("member_id", format!("Medicare member id must be the patient's MBI: {e}"));
            member_id.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CoverageInput {
        CoverageInput {
            patient_id: Some("1".into()),
            payer_id: Some("2".into()),
            member_id: Some("abc123".into()),
            effective: Some("2026-01-01".into()),
            ..CoverageInput::default()
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn defaults_to_primary_self() {
        let c = validate(&input()).unwrap();
        assert_eq!(
            (c.priority, c.relationship, c.member_id.as_str()),
            (Priority::Primary, Relationship::Itself, "ABC123")
        );
        assert!(c.is_active_on(d("2026-01-01")) && !c.is_active_on(d("2025-12-31")));
    }

    #[test]
    fn a_dependent_needs_the_subscriber() {
        let dependent = CoverageInput { relationship: Some("spouse".into()), ..input() };
        let problems = validate(&dependent).unwrap_err().to_string();
        assert!(problems.contains("subscriber_first_name: is required"), "{problems}");
        assert!(problems.contains("subscriber_dob: is required"), "{problems}");
        let with_self = CoverageInput { subscriber_first_name: Some("Joe".into()), ..input() };
        assert!(validate(&with_self).unwrap_err().to_string().contains("cannot be self"));
    }

    #[test]
    fn termination_before_effective_is_refused() {
        let bad = CoverageInput { termination: Some("2025-06-30".into()), ..input() };
        assert!(validate(&bad).unwrap_err().to_string().contains("termination: is before"));
    }

    #[test]
    fn overlap_table() {
        let c = |e: &str, t: Option<&str>| Coverage {
            effective: d(e),
            termination: t.map(d),
            ..validate(&input()).unwrap()
        };
        assert!(c("2026-01-01", None).overlaps(&c("2027-01-01", None)));
        assert!(c("2026-01-01", Some("2026-06-30")).overlaps(&c("2026-06-30", None)));
        assert!(!c("2026-01-01", Some("2026-06-29")).overlaps(&c("2026-06-30", None)));
        assert!(!c("2026-07-01", None).overlaps(&c("2026-01-01", Some("2026-06-30"))));
    }
}
