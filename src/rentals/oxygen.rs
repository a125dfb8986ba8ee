//! Oxygen after the 36th paid month: what the supplier still owes and what it may still bill.
//!
//! 42 CFR 414.226 caps oxygen equipment rental at 36 monthly payments and obliges the
//! supplier that furnished the equipment in month 36 to keep furnishing it for any period of
//! medical need until the end of its 5-year reasonable useful lifetime, which runs from the
//! first date of service (MIPPA 2008 §144(b), implemented by CMS-1403-FC, November 2008: the
//! obligation is not affected by the length or number of breaks in need after the cap).
//! After the cap only two things are still paid:
//! - contents for gaseous and liquid systems, monthly (CMS Claims Processing Manual ch. 20
//!   §30.6; E0441–E0444);
//! - a maintenance and servicing visit (equipment code + MS) for a stationary or portable
//!   concentrator or transfilling equipment used in month 36, no more often than every 6
//!   months and not sooner than 6 months after the end of the paid period (Noridian JD DME
//!   "Maintenance" page).

use super::hcpcs::Hcpcs;
use chrono::{Months, NaiveDate};

/// Rental months of oxygen equipment Medicare pays in one period of continuous use.
pub const PAID_MONTHS: u32 = 36;

/// The reasonable useful lifetime of oxygen equipment, in months.
pub const LIFETIME_MONTHS: u32 = 60;

/// The least time between oxygen maintenance visits, and from the end of the paid period to
/// the first one.
pub const MAINTENANCE_EVERY_MONTHS: u32 = 6;

/// The day the supplier's obligation to keep furnishing ends: the 5-year lifetime counted
/// from the first date of service. `None` only past the calendar's end.
pub fn lifetime_end(first_dos: NaiveDate) -> Option<NaiveDate> {
    first_dos.checked_add_months(Months::new(LIFETIME_MONTHS))
}

/// The contents code billed monthly after the cap for a gaseous or liquid system, or `None`
/// for equipment whose contents are not billed (concentrators, transfilling, portable
/// concentrators): stationary gaseous E0424 → E0441, stationary liquid E0439 → E0442,
/// portable gaseous E0431 → E0443, portable liquid E0434 → E0444.
pub fn contents_code(equipment: &Hcpcs) -> Option<Hcpcs> {
    let contents = match equipment.as_str() {
        "E0424" => "E0441",
        "E0439" => "E0442",
        "E0431" => "E0443",
        "E0434" => "E0444",
        _ => return None,
    };
    Hcpcs::parse(contents).ok()
}

/// True for equipment whose post-cap maintenance visits are paid: stationary concentrators
/// (E1390, E1391), portable concentrators (E1392) and home transfilling equipment (K0738).
pub fn maintenance_eligible(equipment: &Hcpcs) -> bool {
    matches!(equipment.as_str(), "E1390" | "E1391" | "E1392" | "K0738")
}

/// The earliest date of the next maintenance visit after one on (or a paid period ending on)
/// `after`.
pub fn next_maintenance(after: NaiveDate) -> Option<NaiveDate> {
    after.checked_add_months(Months::new(MAINTENANCE_EVERY_MONTHS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn code(text: &str) -> Hcpcs {
        Hcpcs::parse(text).unwrap()
    }

    #[test]
    fn lifetime_is_sixty_months_from_the_first_date_of_service() {
        assert_eq!(lifetime_end(d("2024-01-15")), Some(d("2029-01-15")));
        assert_eq!(lifetime_end(d("2024-02-29")), Some(d("2029-02-28")));
    }

    #[test]
    fn contents_codes() {
        let table = [
            ("E0424", Some("E0441")),
            ("E0439", Some("E0442")),
            ("E0431", Some("E0443")),
            ("E0434", Some("E0444")),
            ("E1390", None),
            ("K0738", None),
        ];
        for (equipment, contents) in table {
            assert_eq!(contents_code(&code(equipment)).as_ref().map(Hcpcs::as_str), contents, "{equipment}");
        }
    }

    #[test]
    fn maintenance_equipment() {
        for (equipment, eligible) in
            [("E1390", true), ("E1391", true), ("E1392", true), ("K0738", true), ("E0424", false), ("E0439", false)]
        {
            assert_eq!(maintenance_eligible(&code(equipment)), eligible, "{equipment}");
        }
        assert_eq!(next_maintenance(d("2027-01-15")), Some(d("2027-07-15")));
    }
}
