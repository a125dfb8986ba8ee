//! The delivery ticket: what the driver brings to the patient's home and the patient (or a
//! designee) signs as proof of delivery.
//!
//! It carries what Medicare's proof-of-delivery rules ask for (Program Integrity Manual ch. 4
//! §4.26; DME MAC Standard Documentation Requirements): the patient's name, the delivery
//! address, a description of each item detailed enough to identify it (HCPCS, description,
//! brand/model, serial or lot), the quantity, the date delivered, and the signature of the
//! patient or designee with the designee's printed name and relationship. Once signed it is
//! printed again with the signature embedded.

use super::cmn::{date, phone, zip};
use super::{PrintError, Sheet, Weight, MARGIN_MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM};
use crate::catalog::{self, PaymentCategory};
use crate::deliveries::{self, DeliveryStatus};
use crate::orders::Acquisition;
use crate::{patients, supplier};
use chrono::NaiveDate;
use rusqlite::Connection;

/// One item on the ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketItem {
    pub hcpcs: String,
    pub description: String,
    /// "Manufacturer Model".
    pub brand_model: String,
    /// "SN 123" or "Lot A1 (exp 2027-01-31)".
    pub serial_or_lot: String,
    pub quantity: u32,
    /// "Rental" or "Purchase".
    pub acquisition: String,
}

/// The signed proof of delivery, when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSignature {
    pub png: Vec<u8>,
    pub printed_name: String,
    /// `None` when the patient signed.
    pub relationship: Option<String>,
    pub signed_on: NaiveDate,
}

/// Everything the ticket shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketData {
    pub supplier_name: String,
    pub supplier_npi: String,
    pub supplier_phone: String,
    pub supplier_address: String,
    pub delivery_id: i64,
    pub order_id: i64,
    pub scheduled_on: NaiveDate,
    pub driver: Option<String>,
    pub patient_name: String,
    pub patient_dob: NaiveDate,
    pub patient_phone: Option<String>,
    /// Street, city, state, ZIP lines.
    pub address: Vec<String>,
    pub items: Vec<TicketItem>,
    pub instructions: Vec<String>,
    pub signature: Option<TicketSignature>,
}

/// What the patient acknowledges by signing, on every ticket.
pub const ACKNOWLEDGEMENTS: &[&str] = &[
    "I received the items listed above in good condition, and they were set up in my home.",
    "I was shown how to use, clean and care for the equipment, and I received the manufacturer's instructions and warranty information.",
    "I received the supplier's standards, my rights and responsibilities, the complaint process and the emergency contact number.",
    "Rented equipment remains the supplier's property unless ownership passes under my insurance rules; I will call the supplier before moving it, and for repairs.",
];

/// The safety note printed for oxygen equipment.
const OXYGEN_NOTE: &str = "Oxygen: no smoking, candles or open flames within 10 feet; keep cylinders upright and secured; call us before you run low.";

/// Gathers what delivery `delivery_id`'s ticket shows (with the signature once signed).
pub fn gather(conn: &Connection, delivery_id: i64) -> Result<TicketData, PrintError> {
    let data = |e: &dyn std::fmt::Display| PrintError::Data(e.to_string());
    let d = deliveries::get(conn, delivery_id).map_err(|e| data(&e))?;
    let patient = patients::get(conn, d.patient_id).map_err(|e| data(&e))?;
    let supplier = supplier::get(conn).map_err(|e| data(&e))?.ok_or_else(|| {
        PrintError::Data("the supplier settings are not filled in yet (hmedesk supplier set ...)".into())
    })?;
    let mut instructions: Vec<String> = d
        .instructions
        .as_deref()
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut items = Vec::new();
    for item in &d.items {
        let category = catalog::find_by_hcpcs(conn, &item.hcpcs).map_err(|e| data(&e))?.map(|i| i.category);
        if category == Some(PaymentCategory::OX) && !instructions.iter().any(|i| i == OXYGEN_NOTE) {
            instructions.push(OXYGEN_NOTE.to_string());
        }
        let serial_or_lot = match (&item.serial, &item.lot_number) {
            (Some(serial), _) => format!("SN {serial}"),
            (None, Some(lot)) => match item.lot_expires {
                Some(e) => format!("Lot {lot} (exp {})", date(Some(e))),
                None => format!("Lot {lot}"),
            },
            (None, None) => String::new(),
        };
        items.push(TicketItem {
            hcpcs: item.hcpcs.clone(),
            description: item.description.clone(),
            brand_model: format!("{} {}", item.manufacturer, item.model).trim().to_string(),
            serial_or_lot,
            quantity: item.quantity,
            acquisition: match item.acquisition {
                Acquisition::Rental => "Rental".into(),
                Acquisition::Purchase => "Purchase".into(),
            },
        });
    }
    let signature = match (d.status, d.delivered_on, &d.signer_name) {
        (DeliveryStatus::Delivered, Some(on), Some(name)) => {
            let png: Vec<u8> =
                conn.query_row("SELECT signature_png FROM deliveries WHERE id = ?1", [d.id], |r| r.get(0))?;
            Some(TicketSignature {
                png,
                printed_name: name.clone(),
                relationship: d.signer_relationship.clone(),
                signed_on: on,
            })
        }
        _ => None,
    };
    let mut address = vec![d.address1.clone()];
    address.extend(d.address2.clone());
    address.push(format!("{} {} {}", d.city, d.state, zip(&d.zip)));
    Ok(TicketData {
        supplier_name: supplier.display_name().to_string(),
        supplier_npi: supplier.npi.clone(),
        supplier_phone: supplier.phone.clone(),
        supplier_address: format!("{}, {} {} {}", supplier.address1, supplier.city, supplier.state, zip(&supplier.zip)),
        delivery_id: d.id,
        order_id: d.order_id,
        scheduled_on: d.scheduled_on,
        driver: d.driver.clone(),
        patient_name: format!("{}, {}", patient.last_name, patient.first_name),
        patient_dob: patient.dob,
        patient_phone: patient.phone.clone(),
        address,
        items,
        instructions,
        signature,
    })
}

/// The PDF ticket of delivery `delivery_id`.
pub fn print(conn: &Connection, delivery_id: i64) -> Result<Vec<u8>, PrintError> {
    render(&gather(conn, delivery_id)?)
}

/// Lays out the ticket on one letter page (more when the item list is long).
pub fn render(t: &TicketData) -> Result<Vec<u8>, PrintError> {
    let mut s = Sheet::new(&format!("Delivery ticket {}", t.delivery_id))?;
    let right = PAGE_WIDTH_MM - MARGIN_MM;
    let width = right - MARGIN_MM;

    // Supplier header.
    s.text(MARGIN_MM, 18.0, 14.0, Weight::Bold, &t.supplier_name);
    s.text(MARGIN_MM, 23.0, 8.5, Weight::Regular, &t.supplier_address);
    s.text(
        MARGIN_MM,
        27.0,
        8.5,
        Weight::Regular,
        &format!("Phone {}   NPI {}", phone(&Some(t.supplier_phone.clone())), t.supplier_npi),
    );
    s.text_right(right, 18.0, 14.0, Weight::Bold, "DELIVERY TICKET");
    s.text_right(
        right,
        23.5,
        9.0,
        Weight::Regular,
        &format!("Delivery no. {}   Order no. {}", t.delivery_id, t.order_id),
    );
    s.text_right(
        right,
        27.5,
        9.0,
        Weight::Regular,
        &format!(
            "Scheduled {}{}",
            date(Some(t.scheduled_on)),
            t.driver.as_deref().map(|d| format!("   Driver {d}")).unwrap_or_default()
        ),
    );
    s.line(MARGIN_MM, 30.5, right, 30.5, 1.0);

    // Patient and delivery address.
    let half = MARGIN_MM + width / 2.0;
    s.text(MARGIN_MM, 36.0, 7.0, Weight::Regular, "PATIENT");
    s.text(MARGIN_MM, 41.0, 10.5, Weight::Bold, &t.patient_name);
    s.text(MARGIN_MM, 45.5, 9.0, Weight::Regular, &format!("Date of birth {}", date(Some(t.patient_dob))));
    s.text(MARGIN_MM, 49.5, 9.0, Weight::Regular, &phone(&t.patient_phone));
    s.text(half, 36.0, 7.0, Weight::Regular, "DELIVERY ADDRESS");
    let mut y = 41.0;
    for line in &t.address {
        s.text(half, y, 9.5, Weight::Regular, line);
        y += 4.5;
    }

    // Items.
    let mut y = 58.0;
    let cols = [MARGIN_MM, MARGIN_MM + 16.0, MARGIN_MM + 82.0, MARGIN_MM + 122.0, MARGIN_MM + 157.0, MARGIN_MM + 168.0];
    s.line(MARGIN_MM, y - 4.0, right, y - 4.0, 0.5);
    for (x, title) in cols.iter().zip(["HCPCS", "DESCRIPTION", "BRAND / MODEL", "SERIAL / LOT", "QTY", "TYPE"]) {
        s.text(*x, y, 7.0, Weight::Bold, title);
    }
    s.line(MARGIN_MM, y + 1.5, right, y + 1.5, 0.5);
    y += 6.0;
    for item in &t.items {
        if y > PAGE_HEIGHT_MM - 110.0 {
            s.new_page();
            y = 20.0;
        }
        s.text(cols[0], y, 8.5, Weight::Bold, &item.hcpcs);
        s.text(cols[4], y, 8.5, Weight::Regular, &item.quantity.to_string());
        s.text(cols[5], y, 8.5, Weight::Regular, &item.acquisition);
        let after_description =
            s.paragraph(cols[1], y, cols[2] - cols[1] - 2.0, 8.0, Weight::Regular, &item.description);
        let after_brand = s.paragraph(cols[2], y, cols[3] - cols[2] - 2.0, 8.0, Weight::Regular, &item.brand_model);
        let after_serial = s.paragraph(cols[3], y, cols[4] - cols[3] - 2.0, 8.0, Weight::Bold, &item.serial_or_lot);
        y = after_description.max(after_brand).max(after_serial) + 1.0;
        s.line(MARGIN_MM, y - 3.0, right, y - 3.0, 0.2);
    }

    // Instructions and acknowledgements.
    y += 3.0;
    s.text(MARGIN_MM, y, 9.0, Weight::Bold, "Patient instructions and acknowledgements");
    y += 5.0;
    for note in t.instructions.iter().map(String::as_str).chain(ACKNOWLEDGEMENTS.iter().copied()) {
        s.text(MARGIN_MM, y, 8.0, Weight::Regular, "•");
        y = s.paragraph(MARGIN_MM + 4.0, y, width - 4.0, 8.0, Weight::Regular, note) + 0.8;
    }

    // Proof of delivery.
    let top = (y + 4.0).max(PAGE_HEIGHT_MM - 78.0);
    s.rect(MARGIN_MM, top, width, 58.0, 0.8);
    s.text(MARGIN_MM + 3.0, top + 6.0, 10.0, Weight::Bold, "PROOF OF DELIVERY");
    s.paragraph(
        MARGIN_MM + 3.0,
        top + 11.0,
        width - 6.0,
        7.5,
        Weight::Regular,
        "Signed by the patient, or by a designee who is not an employee of the supplier. A designee prints their name and relationship to the patient.",
    );
    let line_y = top + 36.0;
    let sig_right = MARGIN_MM + 110.0;
    if let Some(sig) = &t.signature {
        s.png(&sig.png, MARGIN_MM + 4.0, top + 17.0, sig_right - MARGIN_MM - 8.0, line_y - top - 18.0)?;
    }
    s.line(MARGIN_MM + 3.0, line_y, sig_right, line_y, 0.6);
    s.text(MARGIN_MM + 3.0, line_y + 3.5, 6.5, Weight::Regular, "SIGNATURE OF PATIENT OR DESIGNEE");
    s.line(sig_right + 8.0, line_y, right - 3.0, line_y, 0.6);
    s.text(sig_right + 8.0, line_y + 3.5, 6.5, Weight::Regular, "DATE DELIVERED");
    let name_y = top + 50.0;
    s.line(MARGIN_MM + 3.0, name_y, sig_right, name_y, 0.6);
    s.text(MARGIN_MM + 3.0, name_y + 3.5, 6.5, Weight::Regular, "PRINTED NAME");
    s.line(sig_right + 8.0, name_y, right - 3.0, name_y, 0.6);
    s.text(sig_right + 8.0, name_y + 3.5, 6.5, Weight::Regular, "RELATIONSHIP TO PATIENT (IF NOT THE PATIENT)");
    if let Some(sig) = &t.signature {
        s.text(sig_right + 9.0, line_y - 1.5, 10.0, Weight::Bold, &date(Some(sig.signed_on)));
        s.text(MARGIN_MM + 4.0, name_y - 1.5, 10.0, Weight::Bold, &sig.printed_name);
        s.text(
            sig_right + 9.0,
            name_y - 1.5,
            10.0,
            Weight::Bold,
            sig.relationship.as_deref().unwrap_or("Self (patient)"),
        );
    }
    Ok(s.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::demo::SIGNATURE_PNG;

    #[test]
    fn a_ticket_renders_signed_and_unsigned() {
        let mut t = TicketData {
            supplier_name: "Lone Star Home Medical".into(),
            supplier_npi: "1548720360".into(),
            supplier_phone: "2145550100".into(),
            supplier_address: "4200 Commerce St, Dallas TX 75226".into(),
            delivery_id: 7,
            order_id: 3,
            scheduled_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            driver: Some("Sam Ortiz".into()),
            patient_name: "Lopez, Maria".into(),
            patient_dob: NaiveDate::from_ymd_opt(1948, 3, 2).unwrap(),
            patient_phone: Some("2145550199".into()),
            address: vec!["12 Elm St".into(), "Dallas TX 75204".into()],
            items: vec![TicketItem {
                hcpcs: "E1390".into(),
                description: "Oxygen concentrator".into(),
                brand_model: "Invacare Platinum 5".into(),
                serial_or_lot: "SN PL5-0042".into(),
                quantity: 1,
                acquisition: "Rental".into(),
            }],
            instructions: vec!["No smoking or open flames near the oxygen.".into()],
            signature: None,
        };
        let unsigned = render(&t).unwrap();
        assert!(unsigned.starts_with(b"%PDF"));
        t.signature = Some(TicketSignature {
            png: SIGNATURE_PNG.to_vec(),
            printed_name: "Rosa Lopez".into(),
            relationship: Some("Daughter".into()),
            signed_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        });
        let signed = render(&t).unwrap();
        assert!(signed.len() > unsigned.len());
        t.signature.as_mut().unwrap().png = b"not a png".to_vec();
        assert!(matches!(render(&t), Err(PrintError::Image(_))));
    }
}
