//! The modifiers on a rental claim line: the rental and rental-month modifiers that follow
//! the month count, and the one documentation modifier (KX, GA, GY or GZ) that follows the
//! documentation on file.
//!
//! Sources: CMS Claims Processing Manual ch. 20 §30.5 (capped rental: RR with KH month 1,
//! KI months 2–3, KJ months 4–13; the HCPCS text of KJ still says "four to fifteen", a
//! leftover from the pre-2006 15-month cap); the DME MAC LCD-related policy articles
//! ("Standard Documentation Requirements": KX when the coverage criteria are met, GA with an
//! ABN on file, GZ without one, GY for a statutorily excluded item, and KX never with
//! GA/GY/GZ); the 837P SV101 composite, which holds at most four modifiers.

use super::category::RentalCategory;
pub use crate::catalog::MAX_MODIFIERS;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One two-character HCPCS modifier used on rental lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Modifier {
    /// Rental.
    RR,
    /// First rental month of a capped rental item.
    KH,
    /// Second or third rental month.
    KI,
    /// Rental months four to thirteen.
    KJ,
    /// Coverage criteria in the payer's policy are met and documented.
    KX,
    /// Waiver of liability (ABN) on file.
    GA,
    /// Statutorily excluded item.
    GY,
    /// Expected to be denied as not reasonable and necessary, no ABN on file.
    GZ,
    /// Six-month maintenance and servicing of oxygen equipment after the paid period.
    MS,
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// What the payer's coverage policy says about this line, as far as the documentation on file
/// shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum CoverageRule {
    /// The payer's policy asks for no documentation modifier on this item.
    #[default]
    NoneApplies,
    /// The policy's criteria are met and documented.
    Met,
    /// The criteria are not met (or not documented): the line is expected to deny.
    NotMet,
    /// The item is excluded by statute.
    StatutorilyExcluded,
}

/// The documentation state that decides the documentation modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Documentation {
    pub coverage: CoverageRule,
    /// An Advance Beneficiary Notice signed by the patient is on file.
    pub abn_on_file: bool,
}

impl Documentation {
    /// The one documentation modifier for this state: KX when the criteria are met; when they
    /// are not, GA with an ABN on file and GZ without; GY for an excluded item. Never more
    /// than one, so KX can never stand beside GA, GY or GZ.
    pub fn modifier(self) -> Option<Modifier> {
        match self.coverage {
            CoverageRule::NoneApplies => None,
            CoverageRule::Met => Some(Modifier::KX),
            CoverageRule::NotMet if self.abn_on_file => Some(Modifier::GA),
            CoverageRule::NotMet => Some(Modifier::GZ),
            CoverageRule::StatutorilyExcluded => Some(Modifier::GY),
        }
    }
}

/// The pricing modifiers for rental month `month` (1-based, counted within the period of
/// continuous use) of an item in `category`.
///
/// Capped rental: RR plus KH/KI/KJ by month. Oxygen equipment takes neither: its claims carry
/// flow-rate modifiers (QE/QF/QG/…) from the prescription instead, and the DME MAC oxygen
/// policy article lists no RR for oxygen. Frequent-servicing and inexpensive items rented
/// carry RR only.
pub fn rental_modifiers(category: RentalCategory, month: u32) -> Vec<Modifier> {
    match category {
        RentalCategory::CappedRental => {
            let month_modifier = match month {
                0 | 1 => Modifier::KH,
                2 | 3 => Modifier::KI,
                _ => Modifier::KJ,
            };
            vec![Modifier::RR, month_modifier]
        }
        RentalCategory::Oxygen => Vec::new(),
        RentalCategory::FrequentServicing | RentalCategory::Inexpensive => vec![Modifier::RR],
    }
}

/// The full modifier list for a billable rental month: pricing modifiers first (the order the
/// DME MACs ask for), then the documentation modifier.
pub fn line_modifiers(category: RentalCategory, month: u32, documentation: Documentation) -> Vec<Modifier> {
    let mut list = rental_modifiers(category, month);
    list.extend(documentation.modifier());
    debug_assert!(list.len() <= MAX_MODIFIERS);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use Modifier::*;
    use RentalCategory::*;

    #[test]
    fn capped_rental_month_modifiers() {
        let table = [(1, KH), (2, KI), (3, KI), (4, KJ), (10, KJ), (13, KJ)];
        for (month, expected) in table {
            assert_eq!(rental_modifiers(CappedRental, month), vec![RR, expected], "month {month}");
        }
    }

    #[test]
    fn other_categories() {
        for month in [1, 2, 4, 13, 36, 40] {
            assert_eq!(rental_modifiers(Oxygen, month), vec![], "oxygen month {month}");
            assert_eq!(rental_modifiers(FrequentServicing, month), vec![RR]);
            assert_eq!(rental_modifiers(Inexpensive, month), vec![RR]);
        }
    }

    #[test]
    fn documentation_modifier_table() {
        use CoverageRule::*;
        let table = [
            (NoneApplies, false, None),
            (NoneApplies, true, None),
            (Met, false, Some(KX)),
            (Met, true, Some(KX)),
            (NotMet, true, Some(GA)),
            (NotMet, false, Some(GZ)),
            (StatutorilyExcluded, false, Some(GY)),
            (StatutorilyExcluded, true, Some(GY)),
        ];
        for (coverage, abn_on_file, expected) in table {
            let doc = Documentation { coverage, abn_on_file };
            assert_eq!(doc.modifier(), expected, "{doc:?}");
        }
    }

    #[test]
    fn line_modifiers_order_and_kx_exclusivity() {
        let kx = Documentation { coverage: CoverageRule::Met, abn_on_file: true };
        assert_eq!(line_modifiers(CappedRental, 5, kx), vec![RR, KJ, KX]);
        let ga = Documentation { coverage: CoverageRule::NotMet, abn_on_file: true };
        assert_eq!(line_modifiers(CappedRental, 1, ga), vec![RR, KH, GA]);
        for coverage in
            [CoverageRule::NoneApplies, CoverageRule::Met, CoverageRule::NotMet, CoverageRule::StatutorilyExcluded]
        {
            for abn_on_file in [false, true] {
                let list = line_modifiers(CappedRental, 2, Documentation { coverage, abn_on_file });
                assert!(list.len() <= MAX_MODIFIERS);
                let has_kx = list.contains(&KX);
                assert!(!(has_kx && list.iter().any(|m| matches!(m, GA | GY | GZ))), "{list:?}");
            }
        }
    }

    #[test]
    fn serializes_as_the_two_letters() {
        assert_eq!(serde_json::to_string(&vec![RR, KH]).unwrap(), r#"["RR","KH"]"#);
    }
}
