//! Order lines: one ordered item each — HCPCS code, description, quantity, rental or
//! purchase, length of need and modifiers — checked against the catalog item it names.

use crate::catalog::{join_modifiers, parse_hcpcs, parse_modifiers, CatalogItem};
use crate::validation::{optional, Problems};
use serde::{Deserialize, Serialize};

/// Length of need written as 99 months means "lifetime" (CMN section A, 837P CR303).
pub const LIFETIME_MONTHS: u32 = 99;

/// One ordered item as entered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct OrderLineInput {
    pub hcpcs: Option<String>,
    /// What the practitioner ordered in words (narrative, brand/model); defaults to the catalog's.
    pub description: Option<String>,
    /// Defaults to 1.
    pub quantity: Option<String>,
    /// `rental` or `purchase`; defaults to what the catalog item allows (rental first).
    pub acquisition: Option<String>,
    /// Months (1–99; 99 = lifetime).
    pub length_of_need_months: Option<String>,
    /// Like `RR KX` or `NU:RT`.
    pub modifiers: Option<String>,
}

/// Whether the patient rents the item or buys it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Acquisition {
    Rental,
    Purchase,
}

const ACQUISITIONS: &[(&str, Acquisition)] = &[("rental", Acquisition::Rental), ("purchase", Acquisition::Purchase)];

impl Acquisition {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Acquisition::Rental => "rental",
            Acquisition::Purchase => "purchase",
        }
    }

    /// Parses the stored code.
    pub fn from_code(code: &str) -> Option<Acquisition> {
        ACQUISITIONS.iter().find(|(c, _)| *c == code).map(|(_, a)| *a)
    }
}

/// An ordered item on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OrderLine {
    pub id: i64,
    /// 1-based place on the order.
    pub position: u32,
    pub hcpcs: String,
    pub description: String,
    pub quantity: u32,
    pub acquisition: Acquisition,
    pub length_of_need_months: Option<u32>,
    pub modifiers: Vec<String>,
    /// How many have been delivered so far.
    pub delivered_quantity: u32,
}

impl OrderLine {
    /// The modifiers as stored.
    pub fn modifiers_text(&self) -> String {
        join_modifiers(&self.modifiers)
    }
}

/// Checks line `position` (1-based) against its catalog item (`None` when the code is not
/// in the catalog). Problems name the field `lines[N].field`.
pub(crate) fn validate_line(
    p: &mut Problems,
    position: usize,
    input: &OrderLineInput,
    item: Option<&CatalogItem>,
) -> OrderLine {
    let field = |name: &str| format!("lines[{position}].{name}");
    let hcpcs = match optional(input.hcpcs.as_deref()) {
        None => {
            p.add(&field("hcpcs"), "is required");
            String::new()
        }
        Some(text) => match parse_hcpcs(&text) {
            Ok(code) => {
                if item.is_none() {
                    p.add(&field("hcpcs"), format!("{code} is not in the catalog; add the item there first"));
                }
                code
            }
            Err(e) => {
                p.add(&field("hcpcs"), e);
                text
            }
        },
    };
    let description =
        optional(input.description.as_deref()).or_else(|| item.map(|i| i.description.clone())).unwrap_or_default();
    let quantity = match optional(input.quantity.as_deref()) {
        None => 1,
        Some(q) => match q.parse::<u32>() {
            Ok(n) if (1..=9999).contains(&n) => n,
            _ => {
                p.add(&field("quantity"), format!("'{q}' is not a quantity (a whole number from 1 to 9999)"));
                1
            }
        },
    };
    let acquisition = match optional(input.acquisition.as_deref()) {
        None => match item {
            Some(i) if !i.rental_allowed => Acquisition::Purchase,
            _ => Acquisition::Rental,
        },
        Some(_) => {
            p.choice(&field("acquisition"), input.acquisition.as_deref(), ACQUISITIONS).unwrap_or(Acquisition::Rental)
        }
    };
    if let Some(i) = item {
        match acquisition {
            Acquisition::Rental if !i.rental_allowed => {
                p.add(&field("acquisition"), format!("{} cannot be rented (the catalog allows purchase only)", i.hcpcs))
            }
            Acquisition::Purchase if !i.purchase_allowed => p.add(
                &field("acquisition"),
                format!("{} cannot be purchased (the catalog allows rental only)", i.hcpcs),
            ),
            _ => {}
        }
    }
    let length_of_need_months = optional(input.length_of_need_months.as_deref()).and_then(|m| match m.parse::<u32>() {
        Ok(n) if (1..=LIFETIME_MONTHS).contains(&n) => Some(n),
        _ => {
            p.add(
                &field("length_of_need_months"),
                format!("'{m}' is not a length of need (1 to 99 months; 99 = lifetime)"),
            );
            None
        }
    });
    let modifiers = match optional(input.modifiers.as_deref()) {
        None => item.map(|i| i.default_modifiers.clone()).unwrap_or_default(),
        Some(text) => parse_modifiers(&text).unwrap_or_else(|e| {
            p.add(&field("modifiers"), e);
            Vec::new()
        }),
    };
    if modifiers.iter().any(|m| m == "RT") && modifiers.iter().any(|m| m == "LT") && quantity < 2 {
        p.add(&field("modifiers"), "RT and LT together mean both sides: the quantity must be at least 2");
    }
    OrderLine {
        id: 0,
        position: position as u32,
        hcpcs,
        description,
        quantity,
        acquisition,
        length_of_need_months,
        modifiers,
        delivered_quantity: 0,
    }
}

/// Reads the compact line form the CLI takes: `HCPCS [xQTY] [rental|purchase] [LONmo]
/// [MODIFIERS...]`, for example `E0601 x1 rental 99mo RR KX`. Anything after ` -- ` is the
/// description.
pub fn parse_line_spec(spec: &str) -> Result<OrderLineInput, Problems> {
    let (codes, description) = match spec.split_once(" -- ") {
        Some((c, d)) => (c, Some(d.trim().to_string())),
        None => (spec, None),
    };
    let mut tokens = codes.split_whitespace();
    let mut line =
        OrderLineInput { hcpcs: tokens.next().map(str::to_string), description, ..OrderLineInput::default() };
    let mut modifiers = Vec::new();
    for token in tokens {
        let lower = token.to_ascii_lowercase();
        if let Some(q) = lower.strip_prefix('x').filter(|q| !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit())) {
            line.quantity = Some(q.to_string());
        } else if lower == "rental" || lower == "purchase" {
            line.acquisition = Some(lower);
        } else if let Some(m) = lower.strip_suffix("mo") {
            line.length_of_need_months = Some(m.to_string());
        } else if token.len() == 2 {
            modifiers.push(token.to_string());
        } else {
            return Err(Problems::one(
                "line",
                format!("'{token}' in '{spec}' is not xQTY, rental, purchase, a length like 12mo, or a modifier"),
            ));
        }
    }
    if !modifiers.is_empty() {
        line.modifiers = Some(modifiers.join(" "));
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{validate as catalog_item, CatalogItemInput};

    fn item(hcpcs: &str, category: &str) -> CatalogItem {
        catalog_item(&CatalogItemInput {
            hcpcs: Some(hcpcs.into()),
            description: Some("Item".into()),
            category: Some(category.into()),
            default_modifiers: Some(if category == "CR" { "RR" } else { "" }.into()),
            ..CatalogItemInput::default()
        })
        .unwrap()
    }

    #[test]
    fn defaults_come_from_the_catalog() {
        let mut p = Problems::new();
        let cpap = item("E0601", "CR");
        let line = validate_line(
            &mut p,
            1,
            &OrderLineInput { hcpcs: Some("e0601".into()), ..Default::default() },
            Some(&cpap),
        );
        assert!(p.is_empty(), "{p}");
        assert_eq!(
            (line.acquisition, line.quantity, line.modifiers.clone()),
            (Acquisition::Rental, 1, vec!["RR".to_string()])
        );
        let mask = item("A7030", "SU");
        let line = validate_line(
            &mut p,
            2,
            &OrderLineInput { hcpcs: Some("A7030".into()), ..Default::default() },
            Some(&mask),
        );
        assert_eq!(line.acquisition, Acquisition::Purchase);
    }

    #[test]
    fn rental_and_purchase_follow_the_catalog() {
        let mut p = Problems::new();
        let mask = item("A7030", "SU");
        let rent_a_mask =
            OrderLineInput { hcpcs: Some("A7030".into()), acquisition: Some("rental".into()), ..Default::default() };
        validate_line(&mut p, 1, &rent_a_mask, Some(&mask));
        assert_eq!(p.to_string(), "lines[1].acquisition: A7030 cannot be rented (the catalog allows purchase only)");
    }

    #[test]
    fn every_line_problem_is_named() {
        let mut p = Problems::new();
        let bad = OrderLineInput {
            hcpcs: Some("Z9".into()),
            quantity: Some("0".into()),
            acquisition: Some("lease".into()),
            length_of_need_months: Some("120".into()),
            modifiers: Some("RT LT XYZ".into()),
            ..Default::default()
        };
        validate_line(&mut p, 3, &bad, None);
        let fields: Vec<String> = p.0.into_iter().map(|x| x.field).collect();
        assert_eq!(
            fields,
            vec![
                "lines[3].hcpcs",
                "lines[3].quantity",
                "lines[3].acquisition",
                "lines[3].length_of_need_months",
                "lines[3].modifiers"
            ]
        );
    }

    #[test]
    fn both_sides_need_two() {
        let mut p = Problems::new();
        let brace = item("L1832", "PO");
        let one = OrderLineInput { hcpcs: Some("L1832".into()), modifiers: Some("RT LT".into()), ..Default::default() };
        validate_line(&mut p, 1, &one, Some(&brace));
        assert!(p.to_string().contains("quantity must be at least 2"), "{p}");
    }

    #[test]
    fn the_cli_line_form_reads_every_part() {
        let line = parse_line_spec("E0601 x2 rental 13mo RR KX -- ResMed AirSense 11").unwrap();
        assert_eq!(line.hcpcs.as_deref(), Some("E0601"));
        assert_eq!(line.quantity.as_deref(), Some("2"));
        assert_eq!(line.acquisition.as_deref(), Some("rental"));
        assert_eq!(line.length_of_need_months.as_deref(), Some("13"));
        assert_eq!(line.modifiers.as_deref(), Some("RR KX"));
        assert_eq!(line.description.as_deref(), Some("ResMed AirSense 11"));
        assert!(parse_line_spec("E0601 lots").is_err());
    }
}
