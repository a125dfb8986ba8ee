//! Payer documentation rules: which documents a payer requires for which items, on which
//! dates of service, and whether a missing one blocks the delivery or only the claim.
//!
//! A rule names one payer or every payer of a kind (Medicare's rules, seeded by migration
//! 0003, apply to every `medicare_dme` payer), and a HCPCS range, a payment category or
//! every item.

use super::{DocType, DocumentError, Form};
use crate::catalog::{parse_hcpcs, PaymentCategory};
use crate::db::{Actor, Db};
use crate::payers::{Payer, PayerKind};
use crate::validation::{optional, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

/// What a missing document holds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Blocks {
    /// The item may not go out until it is on file.
    Delivery,
    /// The item may go out, but the claim may not be sent.
    Billing,
}

impl Blocks {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Blocks::Delivery => "delivery",
            Blocks::Billing => "billing",
        }
    }
}

/// A documentation rule on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DocumentationRule {
    pub id: i64,
    pub payer_id: Option<i64>,
    pub payer_kind: Option<PayerKind>,
    pub hcpcs_from: Option<String>,
    pub hcpcs_to: Option<String>,
    pub category: Option<PaymentCategory>,
    pub document_type: DocType,
    pub form: Option<Form>,
    pub blocks: Blocks,
    pub effective: NaiveDate,
    pub termination: Option<NaiveDate>,
    /// Where the requirement comes from (regulation, LCD, payer manual).
    pub source: String,
}

impl DocumentationRule {
    /// True when the rule applies to an item billed to `payer` under `hcpcs` (payment
    /// category `category`) on date of service `dos`.
    pub fn applies(&self, payer: &Payer, hcpcs: &str, category: Option<PaymentCategory>, dos: NaiveDate) -> bool {
        let payer_matches = self.payer_id == Some(payer.id) || self.payer_kind == Some(payer.kind);
        let item_matches = match (&self.hcpcs_from, &self.hcpcs_to, self.category) {
            (Some(from), Some(to), _) => from.as_str() <= hcpcs && hcpcs <= to.as_str(),
            (_, _, Some(c)) => category == Some(c),
            _ => true,
        };
        let in_force = self.effective <= dos && self.termination.is_none_or(|t| dos <= t);
        payer_matches && item_matches && in_force
    }
}

/// A rule as entered (for a payer's own requirements, such as a Medicaid plan's CMNs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct RuleInput {
    /// The payer the rule is for
    #[arg(long)]
    pub payer_id: Option<String>,
    /// A HCPCS code, or the first of a range
    #[arg(long)]
    pub hcpcs_from: Option<String>,
    /// The last code of a range (blank: just hcpcs_from)
    #[arg(long)]
    pub hcpcs_to: Option<String>,
    /// A payment category instead of codes (IN, FS, CR, OX, ...)
    #[arg(long)]
    pub category: Option<String>,
    /// swo, cmn, dif, face_to_face, prior_auth, abn or other
    #[arg(long)]
    pub document_type: Option<String>,
    #[arg(long)]
    pub form: Option<String>,
    /// delivery or billing
    #[arg(long)]
    pub blocks: Option<String>,
    #[arg(long)]
    pub effective: Option<String>,
    #[arg(long)]
    pub termination: Option<String>,
    /// Where the requirement comes from
    #[arg(long)]
    pub source: Option<String>,
}

const COLUMNS: &str =
    "id, payer_id, payer_kind, hcpcs_from, hcpcs_to, category, document_type, form, blocks, effective, termination, source";

fn from_row(r: &Row<'_>) -> rusqlite::Result<DocumentationRule> {
    let kind: Option<String> = r.get(2)?;
    let category: Option<String> = r.get(5)?;
    let doc_type: String = r.get(6)?;
    let form: Option<String> = r.get(7)?;
    let blocks: String = r.get(8)?;
    Ok(DocumentationRule {
        id: r.get(0)?,
        payer_id: r.get(1)?,
        payer_kind: kind.as_deref().and_then(PayerKind::from_code),
        hcpcs_from: r.get(3)?,
        hcpcs_to: r.get(4)?,
        category: category.as_deref().and_then(PaymentCategory::from_code),
        document_type: DocType::from_code(&doc_type).unwrap_or(DocType::Other),
        form: form.as_deref().and_then(Form::from_code),
        blocks: if blocks == "delivery" { Blocks::Delivery } else { Blocks::Billing },
        effective: r.get(9)?,
        termination: r.get(10)?,
        source: r.get(11)?,
    })
}

/// Every rule on file, payer-kind rules first.
pub fn list_rules(conn: &Connection) -> Result<Vec<DocumentationRule>, DocumentError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM documentation_rules ORDER BY payer_id IS NOT NULL, payer_id, document_type, hcpcs_from, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The rules that apply to `hcpcs` billed to `payer` on `dos`.
pub fn requirements(
    conn: &Connection,
    payer: &Payer,
    hcpcs: &str,
    category: Option<PaymentCategory>,
    dos: NaiveDate,
) -> Result<Vec<DocumentationRule>, DocumentError> {
    Ok(list_rules(conn)?.into_iter().filter(|r| r.applies(payer, hcpcs, category, dos)).collect())
}

/// Saves a payer's own documentation rule.
pub fn add_rule(db: &mut Db, actor: &Actor, input: &RuleInput) -> Result<DocumentationRule, DocumentError> {
    let mut p = Problems::new();
    let payer_id = crate::orders::required_id(&mut p, "payer_id", input.payer_id.as_deref());
    let code = |p: &mut Problems, field: &str, v: Option<&str>| {
        optional(v).and_then(|c| parse_hcpcs(&c).map_err(|e| p.add(field, e)).ok())
    };
    let hcpcs_from = code(&mut p, "hcpcs_from", input.hcpcs_from.as_deref());
    let hcpcs_to = code(&mut p, "hcpcs_to", input.hcpcs_to.as_deref()).or_else(|| hcpcs_from.clone());
    if let (Some(from), Some(to)) = (&hcpcs_from, &hcpcs_to) {
        if to < from {
            p.add("hcpcs_to", "comes before hcpcs_from");
        }
    }
    let category = optional(input.category.as_deref()).and_then(|c| {
        let cat = PaymentCategory::from_code(&c);
        if cat.is_none() {
            p.add("category", format!("'{c}' is not a payment category"));
        }
        cat
    });
    if hcpcs_from.is_some() && category.is_some() {
        p.add("category", "give codes or a category, not both");
    }
    let document_type = match optional(input.document_type.as_deref()) {
        None => {
            p.add("document_type", "is required");
            None
        }
        Some(t) => {
            let parsed = DocType::from_code(&t);
            if parsed.is_none() {
                p.add("document_type", format!("'{t}' is not a document type"));
            }
            parsed
        }
    };
    let form = optional(input.form.as_deref()).and_then(|f| {
        let parsed = Form::from_code(&f);
        if parsed.is_none() {
            p.add("form", format!("'{f}' is not a CMN or DIF form"));
        }
        parsed
    });
    let blocks = p
        .choice("blocks", input.blocks.as_deref(), &[("delivery", Blocks::Delivery), ("billing", Blocks::Billing)])
        .unwrap_or(Blocks::Billing);
    let effective = p.required_date("effective", input.effective.as_deref());
    let termination = p.optional_date("termination", input.termination.as_deref());
    if let (Some(e), Some(t)) = (effective, termination) {
        if t < e {
            p.add("termination", "is before the effective date");
        }
    }
    let source =
        optional(input.source.as_deref()).unwrap_or_else(|| "payer requirement entered by the supplier".into());
    let (document_type, effective) = match (document_type, effective, p.is_empty()) {
        (Some(t), Some(e), true) => (t, e),
        _ => return Err(p.into()),
    };
    db.write(actor, |c| {
        let payer = crate::payers::get(c.conn(), payer_id)
            .map_err(|_| Problems::one("payer_id", format!("there is no payer with id {payer_id}")))?;
        c.conn().execute(
            "INSERT INTO documentation_rules (payer_id, hcpcs_from, hcpcs_to, category, document_type, form, blocks, effective, termination, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                payer.id,
                hcpcs_from,
                hcpcs_to,
                category.map(PaymentCategory::code),
                document_type.code(),
                form.map(Form::code),
                blocks.code(),
                effective,
                termination,
                source
            ],
        )?;
        let id = c.conn().last_insert_rowid();
        c.audit("create", "documentation_rule", Some(id), &format!("{} now requires a {}", payer.name, document_type.label()))?;
        Ok(c.conn().query_row(&format!("SELECT {COLUMNS} FROM documentation_rules WHERE id = ?1"), [id], from_row)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn medicare() -> Payer {
        crate::payers::validate(&crate::payers::PayerInput {
            name: Some("Medicare".into()),
            kind: Some("medicare_dme".into()),
            payer_id: Some("18003".into()),
            claim_filing_indicator: Some("MB".into()),
            ..Default::default()
        })
        .unwrap()
    }

    fn required(
        conn: &Connection,
        hcpcs: &str,
        category: Option<PaymentCategory>,
        dos: &str,
    ) -> Vec<(DocType, Blocks)> {
        let mut v: Vec<(DocType, Blocks)> = requirements(conn, &medicare(), hcpcs, category, dos.parse().unwrap())
            .unwrap()
            .into_iter()
            .map(|r| (r.document_type, r.blocks))
            .collect();
        v.sort_by_key(|(t, b)| (t.code(), *b));
        v.dedup();
        v
    }

    /// The seeded Medicare rules: SWO always; no CMN for dates of service from 2023-01-01;
    /// prior authorization and face-to-face before delivery for power chairs (K0856) and
    /// prior authorization for pressure-reducing mattresses (E0277) and, from 2024-08-12, the
    /// orthoses CMS-6095-N added.
    #[test]
    fn medicare_rules_by_date_of_service() {
        let db = Db::open_in_memory().unwrap();
        let c = db.conn();
        assert_eq!(
            required(c, "E1390", Some(PaymentCategory::OX), "2022-12-31"),
            vec![(DocType::Cmn, Blocks::Billing), (DocType::Swo, Blocks::Billing)]
        );
        assert_eq!(
            required(c, "E1390", Some(PaymentCategory::OX), "2023-01-01"),
            vec![(DocType::Swo, Blocks::Billing)]
        );
        assert_eq!(
            required(c, "K0856", Some(PaymentCategory::CR), "2026-03-01"),
            vec![
                (DocType::FaceToFace, Blocks::Delivery),
                (DocType::PriorAuth, Blocks::Delivery),
                (DocType::Swo, Blocks::Delivery),
                (DocType::Swo, Blocks::Billing)
            ]
        );
        assert!(required(c, "E0277", Some(PaymentCategory::CR), "2026-03-01")
            .contains(&(DocType::PriorAuth, Blocks::Delivery)));
        assert!(!required(c, "E0277", Some(PaymentCategory::CR), "2019-01-01")
            .contains(&(DocType::PriorAuth, Blocks::Delivery)));
        assert!(!required(c, "L1833", Some(PaymentCategory::PO), "2024-08-12")
            .contains(&(DocType::PriorAuth, Blocks::Delivery)));
        let added = [
            ("2024-08-11", "2024-08-12", &["L0631", "L0637", "L0639", "L1843", "L1845", "L1951"][..]),
            ("2026-04-12", "2026-04-13", &["L0651", "L1844", "L1846", "L1852", "L1932"][..]),
        ];
        for (before, from, codes) in added {
            for code in codes {
                let needs_pa = |dos| {
                    required(c, code, Some(PaymentCategory::PO), dos).contains(&(DocType::PriorAuth, Blocks::Delivery))
                };
                assert!(needs_pa(from), "{code} is on the Required Prior Authorization List from {from}");
                assert!(!needs_pa(before), "{code} needed no prior authorization before {from}");
            }
        }
        assert_eq!(
            required(c, "E0601", Some(PaymentCategory::CR), "2026-03-01"),
            vec![(DocType::Swo, Blocks::Billing)]
        );
    }
}
