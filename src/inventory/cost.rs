//! Average cost of stock, by the moving weighted average method.
//!
//! Each receipt re-weighs the item's average cost across the supplier's whole stock:
//!
//! ```text
//! new average = (on hand × old average + received × unit cost) / (on hand + received)
//! ```
//!
//! Units leaving (deliveries, scrap, downward adjustments) leave at the average and do not
//! change it; units coming back (returns, upward adjustments) come back at the average;
//! transfers between locations change nothing. The average is kept exact (a decimal) and
//! rounded to cents only where a value is shown, so no rounding error builds up over thousands
//! of receipts. When everything has left, the last average is kept until the next receipt
//! replaces it.

use crate::money::Money;
use rust_decimal::Decimal;

/// How one movement affects the cost of an item's stock as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostEvent {
    /// Units bought at a price.
    Receipt { quantity: i64, unit_cost: Money },
    /// Units coming back at the current average (returns, upward adjustments).
    In { quantity: i64 },
    /// Units leaving at the current average (deliveries, scrap, downward adjustments).
    Out { quantity: i64 },
}

/// The running moving average of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AverageCost {
    /// Units on hand across every location.
    pub on_hand: i64,
    /// Exact average cost per unit.
    pub average: Decimal,
}

impl AverageCost {
    /// Applies one movement.
    pub fn apply(&mut self, event: CostEvent) {
        match event {
            CostEvent::Receipt { quantity, unit_cost } => {
                let before = Decimal::from(self.on_hand.max(0));
                let total = before + Decimal::from(quantity);
                if !total.is_zero() {
                    self.average = (before * self.average + Decimal::from(quantity) * unit_cost.decimal()) / total;
                }
                self.on_hand += quantity;
            }
            CostEvent::In { quantity } => self.on_hand += quantity,
            CostEvent::Out { quantity } => self.on_hand -= quantity,
        }
    }

    /// The average per unit, rounded to cents for showing.
    pub fn unit(&self) -> Money {
        Money::round_from(self.average)
    }

    /// What the units on hand are worth at the exact average, rounded once to cents.
    pub fn value(&self) -> Money {
        Money::round_from(self.average * Decimal::from(self.on_hand.max(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(events: &[CostEvent]) -> AverageCost {
        let mut cost = AverageCost::default();
        for e in events {
            cost.apply(*e);
        }
        cost
    }

    fn receipt(quantity: i64, cents: i64) -> CostEvent {
        CostEvent::Receipt { quantity, unit_cost: Money::from_cents(cents) }
    }

    #[test]
    fn receipts_are_weighted_by_quantity() {
        // 10 at $10.00 then 30 at $12.00: (100 + 360) / 40 = $11.50.
        let c = run(&[receipt(10, 1000), receipt(30, 1200)]);
        assert_eq!((c.on_hand, c.unit().to_string(), c.value().to_string()), (40, "11.50".into(), "460.00".into()));
    }

    #[test]
    fn issues_leave_at_the_average_and_later_receipts_weigh_what_is_left() {
        // 10 at $10, 5 leave (5 left at $10), 5 at $13: (50 + 65) / 10 = $11.50.
        let c = run(&[receipt(10, 1000), CostEvent::Out { quantity: 5 }, receipt(5, 1300)]);
        assert_eq!((c.on_hand, c.unit().to_string()), (10, "11.50".into()));
    }

    #[test]
    fn the_average_is_exact_and_rounded_once() {
        // Three receipts of 1 at $1.00, $1.00, $1.01: average 1.003333..., 3 units worth $3.01.
        let c = run(&[receipt(1, 100), receipt(1, 100), receipt(1, 101)]);
        assert_eq!((c.unit().to_string(), c.value().to_string()), ("1.00".into(), "3.01".into()));
    }

    #[test]
    fn empty_stock_keeps_the_last_average_until_the_next_receipt() {
        let c = run(&[receipt(2, 500), CostEvent::Out { quantity: 2 }]);
        assert_eq!((c.on_hand, c.unit().to_string(), c.value().to_string()), (0, "5.00".into(), "0.00".into()));
        let c = run(&[receipt(2, 500), CostEvent::Out { quantity: 2 }, CostEvent::In { quantity: 1 }, receipt(1, 700)]);
        assert_eq!((c.on_hand, c.unit().to_string()), (2, "6.00".into()));
    }
}
