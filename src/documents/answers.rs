//! The answers on a CMN or DIF, stored as JSON and checked per form.
//!
//! CMS-484 (oxygen) has a typed schema following its section B questions: the qualifying
//! test (arterial PO2 and/or saturation, date, where and in what condition it was taken),
//! whether a patient ordered portable oxygen is mobile in the home, the highest flow rate
//! ordered ("X" below 1 LPM), the repeat test on 4 LPM when more than 4 LPM is ordered, and
//! the group II questions (edema, cor pulmonale, hematocrit) when PO2 is 56–59 mm Hg or the
//! saturation 89%; answers typed on a form arrive as text and are read into those types.
//! Other forms take a flat object of question → answer.

use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where the qualifying oxygen test was taken (CMS-484 question 1c).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TestSetting {
    /// Within two days before discharge from an inpatient stay.
    InpatientBeforeDischarge,
    /// As an outpatient in a chronic stable state.
    OutpatientChronicStable,
    /// Under other circumstances.
    Other,
}

/// In what condition the patient was tested (CMS-484 question 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TestCondition {
    AtRest,
    Exercise,
    Sleep,
}

/// The answers of a CMS-484 oxygen CMN, section B.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct Oxygen484 {
    /// 1a: arterial blood gas PO2, mm Hg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po2_mmhg: Option<u32>,
    /// 1a: oxygen saturation, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturation_percent: Option<u32>,
    /// 1b: the test date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_date: Option<NaiveDate>,
    /// 1c.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_setting: Option<TestSetting>,
    /// 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_condition: Option<TestCondition>,
    /// 3: for portable oxygen, is the patient mobile within the home?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_in_home: Option<bool>,
    /// 4: the highest flow rate ordered, liters per minute, like "2" or "2.5"; "X" below 1 LPM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_rate_lpm: Option<String>,
    /// 5: with more than 4 LPM, the test taken on 4 LPM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_flow_po2_mmhg: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_flow_saturation_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_flow_test_date: Option<NaiveDate>,
    /// 6–8, asked when PO2 is 56–59 or saturation 89%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependent_edema: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cor_pulmonale: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hematocrit_over_56: Option<bool>,
}

impl Oxygen484 {
    /// The flow rate in tenths of a liter per minute (`X` counts as below 10); `None` when
    /// the text is not a rate.
    fn flow_tenths(&self) -> Option<u32> {
        let text = self.flow_rate_lpm.as_deref()?.trim();
        if text.eq_ignore_ascii_case("x") {
            return Some(5);
        }
        let (whole, tenth) = text.split_once('.').unwrap_or((text, "0"));
        let whole: u32 = whole.parse().ok()?;
        let tenth: u32 = if tenth.len() == 1 { tenth.parse().ok()? } else { return None };
        Some(whole * 10 + tenth)
    }

    /// Checks the answers with each other and against the certification date.
    fn check(&self, p: &mut Problems, certified_on: Option<NaiveDate>) {
        const F: &str = "answers";
        if self.po2_mmhg.is_none() && self.saturation_percent.is_none() {
            p.add(F, "CMS-484 question 1a: give the PO2 (mm Hg) or the oxygen saturation (%)");
        }
        if self.po2_mmhg.is_some_and(|v| !(20..=120).contains(&v)) {
            p.add(F, "po2_mmhg must be between 20 and 120 mm Hg");
        }
        if self.saturation_percent.is_some_and(|v| !(50..=100).contains(&v)) {
            p.add(F, "saturation_percent must be between 50 and 100");
        }
        match (self.test_date, certified_on) {
            (None, _) => p.add(F, "CMS-484 question 1b: the test date is required"),
            (Some(t), Some(c)) if t > c => p.add(F, "the test date is after the certification date"),
            _ => {}
        }
        if self.test_setting.is_none() {
            p.add(F, "CMS-484 question 1c: say where the test was taken (inpatient_before_discharge, outpatient_chronic_stable, other)");
        }
        if self.test_condition.is_none() {
            p.add(F, "CMS-484 question 2: say the test condition (at_rest, exercise, sleep)");
        }
        match (self.flow_rate_lpm.as_deref(), self.flow_tenths()) {
            (None, _) => p.add(F, "CMS-484 question 4: the flow rate (LPM) is required"),
            (Some(text), None) => {
                p.add(F, format!("flow_rate_lpm '{text}' is not a rate like 2 or 2.5 (X below 1 LPM)"))
            }
            (Some(_), Some(t)) if t == 0 || t > 150 => p.add(F, "flow_rate_lpm must be more than 0 and at most 15"),
            (Some(_), Some(t)) if t > 40 => {
                if self.high_flow_po2_mmhg.is_none() && self.high_flow_saturation_percent.is_none() {
                    p.add(F, "CMS-484 question 5: more than 4 LPM is ordered, so give the test result on 4 LPM");
                }
                if self.high_flow_test_date.is_none() {
                    p.add(F, "CMS-484 question 5: give the date of the test on 4 LPM");
                }
            }
            _ => {}
        }
        let group_two = self.po2_mmhg.is_some_and(|v| (56..=59).contains(&v)) || self.saturation_percent == Some(89);
        let answered = [self.dependent_edema, self.cor_pulmonale, self.hematocrit_over_56].iter().any(Option::is_some);
        if group_two && !answered {
            p.add(
                F,
                "CMS-484 questions 6–8: with PO2 56–59 or saturation 89%, answer edema, cor pulmonale and hematocrit",
            );
        }
    }
}

/// Parses and checks the answers text for `form` (`certified_on` is the initial or revised
/// date); returns the JSON to store (`{}` when none were given).
pub(super) fn validate(
    p: &mut Problems,
    form: Option<super::Form>,
    text: Option<&str>,
    certified_on: Option<NaiveDate>,
) -> Value {
    let Some(text) = optional(text) else {
        return Value::Object(Default::default());
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            p.add("answers", "must be a JSON object of question → answer");
            return Value::Object(Default::default());
        }
        Err(e) => {
            p.add("answers", format!("is not valid JSON: {e}"));
            return Value::Object(Default::default());
        }
    };
    match form {
        Some(super::Form::Cms484) => match serde_json::from_value::<Oxygen484>(typed_484(p, value)) {
            Ok(answers) => {
                answers.check(p, certified_on);
                serde_json::to_value(&answers).unwrap_or_default()
            }
            Err(e) => {
                p.add("answers", format!("CMS-484 answers: {e}"));
                Value::Object(Default::default())
            }
        },
        _ => {
            let nested = value.as_object().into_iter().flatten().find(|(_, v)| v.is_object() || v.is_array());
            if let Some((key, _)) = nested {
                p.add("answers", format!("'{key}': answers are plain text, numbers or yes/no"));
            }
            value
        }
    }
}

/// CMS-484 answers whose numbers are whole numbers.
const WHOLE_484: &[&str] = &["po2_mmhg", "saturation_percent", "high_flow_po2_mmhg", "high_flow_saturation_percent"];
/// CMS-484 answers that are yes or no.
const YES_NO_484: &[&str] = &["mobile_in_home", "dependent_edema", "cor_pulmonale", "hematocrit_over_56"];

/// CMS-484 answers as a form sends them — every answer text, blank when not answered — turned
/// into their types: blanks dropped, whole numbers and yes/no read (JSON numbers and booleans
/// pass through).
fn typed_484(p: &mut Problems, value: Value) -> Value {
    let Value::Object(entries) = value else { return value };
    let mut typed = serde_json::Map::new();
    for (key, answer) in entries {
        let Value::String(text) = &answer else {
            typed.insert(key, answer);
            continue;
        };
        let text = text.trim();
        let value = if text.is_empty() {
            continue;
        } else if WHOLE_484.contains(&key.as_str()) {
            match text.parse::<u32>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    p.add("answers", format!("{key} '{text}' is not a whole number"));
                    continue;
                }
            }
        } else if YES_NO_484.contains(&key.as_str()) {
            match text.to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" => Value::Bool(true),
                "no" | "n" | "false" => Value::Bool(false),
                _ => {
                    p.add("answers", format!("{key} '{text}' is not yes or no"));
                    continue;
                }
            }
        } else {
            Value::String(text.to_string())
        };
        typed.insert(key, value);
    }
    Value::Object(typed)
}

#[cfg(test)]
mod tests {
    use super::super::Form;
    use super::*;

    fn check(text: &str) -> Result<Value, String> {
        let mut p = Problems::new();
        let v = validate(&mut p, Some(Form::Cms484), Some(text), NaiveDate::from_ymd_opt(2026, 3, 10));
        p.finish(v).map_err(|p| p.to_string())
    }

    const GOOD: &str = r#"{"po2_mmhg": 54, "test_date": "2026-03-02", "test_setting": "outpatient_chronic_stable",
        "test_condition": "at_rest", "mobile_in_home": true, "flow_rate_lpm": "2"}"#;

    #[test]
    fn a_complete_oxygen_cmn_passes() {
        let v = check(GOOD).unwrap();
        assert_eq!(v["flow_rate_lpm"], "2");
    }

    #[test]
    fn oxygen_answer_table() {
        let rows: &[(&str, &str)] = &[
            (r#"{"flow_rate_lpm": "2"}"#, "question 1a"),
            (r#"{"po2_mmhg": 54, "flow_rate_lpm": "2", "test_date": "2026-03-12"}"#, "after the certification date"),
            (r#"{"po2_mmhg": 54, "flow_rate_lpm": "lots"}"#, "is not a rate"),
            (r#"{"po2_mmhg": 54, "flow_rate_lpm": "5"}"#, "question 5"),
            (r#"{"po2_mmhg": 57, "flow_rate_lpm": "2"}"#, "questions 6–8"),
            (r#"{"po2_mmhg": 540, "flow_rate_lpm": "X"}"#, "between 20 and 120"),
            (r#"{"po2": 54}"#, "unknown field `po2`"),
            (r#"[1, 2]"#, "must be a JSON object"),
            (r#"{"po2_mmhg": "#, "is not valid JSON"),
        ];
        for (text, expected) in rows {
            let message = check(text).unwrap_err();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn answers_typed_on_a_form_are_read_as_text() {
        let form = r#"{"po2_mmhg": "54", "saturation_percent": "", "test_date": "2026-03-02",
            "test_setting": "other", "test_condition": "sleep", "mobile_in_home": "yes", "flow_rate_lpm": " 2.5 ",
            "dependent_edema": ""}"#;
        let v = check(form).unwrap();
        assert_eq!((v["po2_mmhg"].as_u64(), v["mobile_in_home"].as_bool()), (Some(54), Some(true)));
        assert_eq!(v["flow_rate_lpm"], "2.5");
        assert!(v.get("saturation_percent").is_none() && v.get("dependent_edema").is_none());
        let bad = check(r#"{"po2_mmhg": "fifty", "mobile_in_home": "maybe", "flow_rate_lpm": "2"}"#).unwrap_err();
        assert!(bad.contains("po2_mmhg 'fifty' is not a whole number"), "{bad}");
        assert!(bad.contains("mobile_in_home 'maybe' is not yes or no"), "{bad}");
    }

    #[test]
    fn other_forms_take_flat_answers() {
        let mut p = Problems::new();
        validate(&mut p, Some(Form::Cms848), Some(r#"{"1": "Y", "2": 6}"#), None);
        assert!(p.is_empty());
        validate(&mut p, Some(Form::Cms848), Some(r#"{"1": {"nested": true}}"#), None);
        assert!(p.to_string().contains("'1': answers are plain text"), "{p}");
    }
}
