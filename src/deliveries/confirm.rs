//! Confirming a delivery: the signed proof of delivery, the date of service, and the stock
//! and units moving to the patient — all in one change, and only once.
//!
//! Proof of delivery (Program Integrity Manual ch. 4 §4.26.1; DME MAC Standard
//! Documentation Requirements): signed by the beneficiary or a designee, with the designee's
//! printed name and relationship to the beneficiary; the supplier's own staff may not sign
//! as designee. For direct delivery the date of service is the date delivered.

use super::store::{get, scheduled};
use super::{Delivery, DeliveryError};
use crate::assets::{lifecycle, AssetStatus};
use crate::db::{now_utc, Actor, Change, Db};
use crate::inventory::ledger::{self, NewMovement};
use crate::inventory::MovementKind;
use crate::orders::{self, Acquisition};
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// The largest signature image accepted (a canvas PNG is a few kilobytes).
const MAX_SIGNATURE_BYTES: usize = 2 * 1024 * 1024;

/// The PNG file signature (first eight bytes of every PNG).
const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Relationships that mean the supplier's own staff, who may not sign as designee.
const STAFF: &[&str] =
    &["supplier", "supplier staff", "staff", "employee", "driver", "technician", "delivery technician"];

/// The confirmation as entered (the signature image travels separately, as bytes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ConfirmInput {
    /// The signer's printed name
    #[arg(long)]
    pub signer_name: Option<String>,
    /// The signer's relationship to the patient; blank or "self" when the patient signs
    #[arg(long)]
    pub relationship: Option<String>,
    /// The day delivered (the date of service), YYYY-MM-DD; default today
    #[arg(long)]
    pub delivered_on: Option<String>,
}

/// Who signed, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub name: String,
    /// `None` when the patient signed.
    pub relationship: Option<String>,
}

/// Checks the signer: a name, and for a designee a relationship that is not the supplier's
/// staff and a name that is not the driver's.
pub fn check_signer(p: &mut Problems, input: &ConfirmInput, driver: Option<&str>) -> Signer {
    let name = p.required("signer_name", input.signer_name.as_deref());
    let relationship = optional(input.relationship.as_deref())
        .filter(|r| !r.eq_ignore_ascii_case("self") && !r.eq_ignore_ascii_case("patient"));
    if let Some(r) = &relationship {
        if STAFF.iter().any(|s| s.eq_ignore_ascii_case(r.trim())) {
            p.add("relationship", "the supplier's own staff cannot sign as the patient's designee");
        }
        let is_driver = driver.is_some_and(|d| !name.is_empty() && d.trim().eq_ignore_ascii_case(name.trim()));
        if is_driver {
            p.add("signer_name", "the driver cannot sign as the patient's designee");
        }
    }
    Signer { name, relationship }
}

/// Checks that `png` is a PNG image of sensible size and returns its width and height.
fn check_png(p: &mut Problems, png: &[u8]) -> Option<(u32, u32)> {
    if png.len() > MAX_SIGNATURE_BYTES {
        p.add("signature", "the signature image is larger than 2 MB");
        return None;
    }
    if png.len() < 24 || !png.starts_with(PNG_MAGIC) || &png[12..16] != b"IHDR" {
        p.add("signature", "is not a PNG image (draw the signature again)");
        return None;
    }
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    if width == 0 || height == 0 || width > 4000 || height > 4000 {
        p.add("signature", format!("a {width}×{height} image is not a signature"));
        return None;
    }
    Some((width, height))
}

/// Confirms delivery `id` with the signature image `signature_png`.
pub fn confirm(
    db: &mut Db,
    actor: &Actor,
    id: i64,
    input: &ConfirmInput,
    signature_png: &[u8],
) -> Result<Delivery, DeliveryError> {
    db.write(actor, |c| confirm_in(c, id, input, signature_png, today()))
}

/// [`confirm`] inside a larger change; `today` bounds the delivery date.
pub(crate) fn confirm_in(
    c: &Change<'_>,
    id: i64,
    input: &ConfirmInput,
    signature_png: &[u8],
    today: NaiveDate,
) -> Result<Delivery, DeliveryError> {
    let conn = c.conn();
    let delivery = scheduled(conn, id)?;
    let order = orders::get(conn, delivery.order_id)?;
    let mut p = Problems::new();
    let signer = check_signer(&mut p, input, delivery.driver.as_deref());
    check_png(&mut p, signature_png);
    let delivered_on = p.optional_date("delivered_on", input.delivered_on.as_deref()).unwrap_or(today);
    if delivered_on > today {
        p.add("delivered_on", "is in the future");
    }
    if delivered_on < order.order_date {
        p.add("delivered_on", format!("is before the order date ({})", order.order_date));
    }
    if delivery.items.is_empty() {
        p.add("items", "nothing was picked for this delivery");
    }
    p.finish(())?;

    for item in &delivery.items {
        match item.asset_id {
            Some(asset_id) => {
                let to = match item.acquisition {
                    Acquisition::Rental => AssetStatus::OnRent,
                    Acquisition::Purchase => AssetStatus::Sold,
                };
                lifecycle::transition_in(c, asset_id, to, None, None, None, delivered_on)?;
            }
            None => {
                ledger::record(
                    c,
                    &NewMovement {
                        kind: MovementKind::Deliver,
                        item_id: item.item_id,
                        lot_id: item.lot_id,
                        asset_id: None,
                        from_location_id: Some(delivery.location_id),
                        to_location_id: None,
                        quantity: i64::from(item.quantity),
                        unit_cost: None,
                        patient_id: Some(delivery.patient_id),
                        purchase_order_line_id: None,
                        reason: Some(format!("delivery {id}")),
                        moved_on: delivered_on,
                    },
                )?;
            }
        }
        orders::record_delivered(c, order.id, item.order_line_id, item.quantity)?;
    }
    let updated = conn.execute(
        "UPDATE deliveries SET status = 'delivered', delivered_on = ?1, signer_name = ?2, signer_relationship = ?3,
            signature_png = ?4, signed_at = ?5
         WHERE id = ?6 AND status = 'scheduled'",
        params![delivered_on, signer.name, signer.relationship, signature_png, now_utc(), id],
    )?;
    if updated != 1 {
        return Err(DeliveryError::AlreadyConfirmed { id, on: delivered_on });
    }
    c.audit(
        "confirm",
        "delivery",
        Some(id),
        &format!("delivered {delivered_on}, signed ({} items)", delivery.items.len()),
    )?;
    get(conn, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(name: &str, relationship: Option<&str>) -> Result<Signer, String> {
        let mut p = Problems::new();
        let input = ConfirmInput {
            signer_name: Some(name.into()),
            relationship: relationship.map(str::to_string),
            delivered_on: None,
        };
        let s = check_signer(&mut p, &input, Some("Sam Ortiz"));
        p.finish(s).map_err(|p| p.to_string())
    }

    /// Who may sign the proof of delivery.
    #[test]
    fn signer_table() {
        assert_eq!(signer("Maria Lopez", None).unwrap().relationship, None);
        assert_eq!(signer("Maria Lopez", Some("self")).unwrap().relationship, None);
        assert_eq!(signer("Rosa Lopez", Some("Daughter")).unwrap().relationship.as_deref(), Some("Daughter"));
        assert!(signer("Rosa Lopez", Some("Supplier staff")).unwrap_err().contains("supplier's own staff"));
        assert!(signer("Pat Kim", Some("driver")).unwrap_err().contains("supplier's own staff"));
        assert!(signer("sam ortiz", Some("friend")).unwrap_err().contains("driver cannot sign"));
        assert!(signer(" ", None).unwrap_err().contains("signer_name: is required"));
    }

    #[test]
    fn only_png_signatures_are_accepted() {
        let mut p = Problems::new();
        let png = crate::demo::SIGNATURE_PNG;
        assert_eq!(check_png(&mut p, png), Some((300, 100)));
        assert!(p.is_empty());
        assert_eq!(check_png(&mut p, b"GIF89a......................."), None);
        assert_eq!(check_png(&mut p, &[]), None);
        assert_eq!(p.0.len(), 2);
    }
}
