//! The monthly rental fee for each month of an episode, from the fee schedule amounts the
//! biller enters: the purchase price for capped rental items, the monthly rental amount for
//! oxygen and frequent-servicing items, and both for inexpensive items rented.
//!
//! Capped rental: 10% of the purchase price in months 1–3 and 7.5% in months 4–13
//! (42 CFR 414.229; CMS Claims Processing Manual ch. 20 §30.5); power wheelchairs 15% then
//! 6% for rentals from 2011-01-01 (Affordable Care Act §3136). Inexpensive or routinely
//! purchased items rented: the total rental paid may not exceed the purchase fee schedule
//! amount (42 CFR 414.220; Claims Processing Manual ch. 20 §30.1), so the month that reaches
//! it is paid only the remainder and rent stops there.

use super::hcpcs::Hcpcs;
use crate::money::Money;
use rust_decimal::Decimal;

/// The fee schedule amounts an episode is priced with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RentalFees {
    /// No amounts entered: the schedule lists months and modifiers without fees.
    Unpriced,
    /// A capped rental item priced from its purchase price.
    CappedRental { purchase_price: Money, power_wheelchair: bool },
    /// The same fee every month (oxygen, frequent and substantial servicing).
    Monthly(Money),
    /// An inexpensive item rented: the monthly rental until the rent paid reaches the
    /// purchase allowable.
    Inexpensive { monthly: Money, purchase_allowable: Money },
}

impl RentalFees {
    /// Prices a capped rental item from its purchase price; power wheelchairs are told apart
    /// by their HCPCS code.
    pub fn capped_rental(hcpcs: &Hcpcs, purchase_price: Money) -> RentalFees {
        RentalFees::CappedRental { purchase_price, power_wheelchair: hcpcs.is_power_wheelchair() }
    }

    /// The fee for rental month `month` when `paid` has already been paid in this period, or
    /// `None` when the episode is unpriced.
    pub fn fee(&self, month: u32, paid: Money) -> Option<Money> {
        match *self {
            RentalFees::Unpriced => None,
            RentalFees::CappedRental { purchase_price, power_wheelchair } => {
                let percent = match (month <= 3, power_wheelchair) {
                    (true, false) => Decimal::new(10, 2),
                    (false, false) => Decimal::new(75, 3),
                    (true, true) => Decimal::new(15, 2),
                    (false, true) => Decimal::new(6, 2),
                };
                Some(Money::round_from(purchase_price.decimal() * percent))
            }
            RentalFees::Monthly(fee) => Some(fee),
            RentalFees::Inexpensive { monthly, purchase_allowable } => {
                let left = purchase_allowable - paid;
                Some(if left < monthly { left.max(Money::ZERO) } else { monthly })
            }
        }
    }

    /// True once the rent paid has reached the purchase allowable of an inexpensive item;
    /// no later month is paid.
    pub fn purchase_reached(&self, paid: Money) -> bool {
        matches!(*self, RentalFees::Inexpensive { purchase_allowable, .. } if paid >= purchase_allowable)
    }

    /// What `months` months paid before this supplier's first claim (another supplier's
    /// months in the same period) count as rent already paid.
    pub fn paid_before(&self, months: u32) -> Money {
        (1..=months).fold(Money::ZERO, |paid, month| paid + self.fee(month, paid).unwrap_or(Money::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Money {
        text.parse().unwrap()
    }

    fn code(text: &str) -> Hcpcs {
        Hcpcs::parse(text).unwrap()
    }

    #[test]
    fn capped_rental_fees_by_month() {
        // A hospital bed with a $1,234.55 purchase price: 10% = 123.455 rounds half away
        // from zero to 123.46; 7.5% = 92.59125 rounds to 92.59.
        let bed = RentalFees::capped_rental(&code("E0260"), m("1234.55"));
        let table = [(1, "123.46"), (2, "123.46"), (3, "123.46"), (4, "92.59"), (13, "92.59")];
        for (month, fee) in table {
            assert_eq!(bed.fee(month, Money::ZERO), Some(m(fee)), "month {month}");
        }
        // Thirteen months pay 3 × 10% + 10 × 7.5% = 105% of the purchase price.
        let bed = RentalFees::capped_rental(&code("E0260"), m("1000"));
        assert_eq!(bed.paid_before(13), m("1050.00"));
    }

    #[test]
    fn power_wheelchair_fees_by_month() {
        let chair = RentalFees::capped_rental(&code("K0823"), m("4000"));
        assert_eq!(chair.fee(1, Money::ZERO), Some(m("600.00")));
        assert_eq!(chair.fee(3, Money::ZERO), Some(m("600.00")));
        assert_eq!(chair.fee(4, Money::ZERO), Some(m("240.00")));
        // 3 × 15% + 10 × 6% = 105% as well.
        assert_eq!(chair.paid_before(13), m("4200.00"));
        let manual = RentalFees::capped_rental(&code("K0001"), m("4000"));
        assert_eq!(manual.fee(1, Money::ZERO), Some(m("400.00")));
    }

    #[test]
    fn inexpensive_rent_stops_at_the_purchase_allowable() {
        let walker = RentalFees::Inexpensive { monthly: m("12.50"), purchase_allowable: m("110.00") };
        assert_eq!(walker.fee(1, Money::ZERO), Some(m("12.50")));
        assert_eq!(walker.fee(9, m("100.00")), Some(m("10.00")), "the last month pays only what is left");
        assert_eq!(walker.fee(10, m("110.00")), Some(m("0.00")));
        assert!(!walker.purchase_reached(m("109.99")));
        assert!(walker.purchase_reached(m("110.00")));
        assert_eq!(walker.paid_before(20), m("110.00"), "prior months never count past the allowable");
    }

    #[test]
    fn unpriced_and_monthly() {
        assert_eq!(RentalFees::Unpriced.fee(1, Money::ZERO), None);
        assert!(!RentalFees::Unpriced.purchase_reached(m("1000000")));
        assert_eq!(RentalFees::Monthly(m("77.31")).fee(36, m("5000")), Some(m("77.31")));
    }
}
