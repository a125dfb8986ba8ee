//! The asset lifecycle as a transition table.
//!
//! ```text
//! available → reserved → on_rent ─→ returned → cleaning → available
//!     ↑          │          │   ↘ sold (title passes: capped rental month 13, or a sale)
//!     └──────────┘          │
//! reserved → sold           └→ lost → returned (found again)
//! available, returned, cleaning ⇄ maintenance → available | cleaning
//! available, returned, cleaning, maintenance → retired;  any unit not sold or retired → lost
//! ```
//!
//! "Delivered" is `on_rent` or `sold`. Sold and retired units are gone for good.

use crate::coded_enum;

coded_enum! {
    /// Where a unit is in its life.
    AssetStatus {
        /// Clean, checked, on a shelf or in a van: can go out.
        Available = "available",
        /// Set aside for a patient's delivery.
        Reserved = "reserved",
        /// With a patient on a rental.
        OnRent = "on_rent",
        /// With a patient who owns it (sold, or title passed after a capped rental).
        Sold = "sold",
        /// Back from a patient, not yet cleaned.
        Returned = "returned",
        /// Being cleaned and disinfected.
        Cleaning = "cleaning",
        /// Being serviced or repaired.
        Maintenance = "maintenance",
        /// Taken out of service for good.
        Retired = "retired",
        /// Cannot be found (missing from a count, not returned by a patient).
        Lost = "lost",
    }
}

impl AssetStatus {
    /// True when the lifecycle allows going from `self` to `to`.
    pub fn can_become(self, to: AssetStatus) -> bool {
        use AssetStatus::*;
        matches!(
            (self, to),
            (Available, Reserved | Maintenance | Retired | Lost)
                | (Reserved, Available | OnRent | Sold | Lost)
                | (OnRent, Returned | Sold | Lost)
                | (Returned, Cleaning | Maintenance | Retired | Lost)
                | (Cleaning, Available | Maintenance | Retired | Lost)
                | (Maintenance, Available | Cleaning | Retired | Lost)
                | (Lost, Returned)
        )
    }

    /// The statuses reachable from `self`.
    pub fn next(self) -> Vec<AssetStatus> {
        AssetStatus::ALL.iter().copied().filter(|to| self.can_become(*to)).collect()
    }

    /// True while the unit is at one of the supplier's locations (and counts as stock there).
    pub fn in_stock(self) -> bool {
        use AssetStatus::*;
        matches!(self, Available | Reserved | Returned | Cleaning | Maintenance)
    }
}

#[cfg(test)]
mod tests {
    use super::AssetStatus::{self, *};

    /// Every pair: rows are the current status, columns the new one, in the order of
    /// `AssetStatus::ALL` (available, reserved, on_rent, sold, returned, cleaning,
    /// maintenance, retired, lost). `x` = allowed.
    const TABLE: [(AssetStatus, &str); 9] = [
        (Available, ". x . . . . x x x"),
        (Reserved, "x . x x . . . . x"),
        (OnRent, ". . . x x . . . x"),
        (Sold, ". . . . . . . . ."),
        (Returned, ". . . . . x x x x"),
        (Cleaning, "x . . . . . x x x"),
        (Maintenance, "x . . . . x . x x"),
        (Retired, ". . . . . . . . ."),
        (Lost, ". . . . x . . . ."),
    ];

    #[test]
    fn every_pair_of_the_transition_table() {
        for (from, row) in TABLE {
            let marks: Vec<&str> = row.split(' ').collect();
            assert_eq!(marks.len(), AssetStatus::ALL.len());
            for (to, mark) in AssetStatus::ALL.iter().zip(marks) {
                assert_eq!(from.can_become(*to), mark == "x", "{from} -> {to}");
            }
        }
    }

    #[test]
    fn a_rental_goes_round_the_cycle() {
        let cycle = [Available, Reserved, OnRent, Returned, Cleaning, Available];
        assert!(cycle.windows(2).all(|w| w[0].can_become(w[1])));
    }

    #[test]
    fn stock_statuses_are_the_ones_on_a_shelf() {
        let in_stock: Vec<AssetStatus> = AssetStatus::ALL.iter().copied().filter(|s| s.in_stock()).collect();
        assert_eq!(in_stock, [Available, Reserved, Returned, Cleaning, Maintenance]);
    }
}
