//! Where an order stands, and the moves allowed between states.
//!
//! intake → documentation pending → ready to deliver → partly delivered → delivered →
//! closed, with cancellation possible until something was delivered. Delivery states are
//! set only by confirmed deliveries, never by hand.

use serde::{Deserialize, Serialize};

/// An order's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderStatus {
    /// Just taken in: items and practitioner entered, nothing checked yet.
    Intake,
    /// Waiting for the signed order or other documents.
    DocumentationPending,
    /// Everything needed before delivery is on file.
    ReadyToDeliver,
    /// Some items delivered, others still to come.
    PartlyDelivered,
    /// Every item delivered.
    Delivered,
    /// Finished: nothing more will happen on this order.
    Closed,
    /// Called off before anything was delivered.
    Cancelled,
}

const STATUSES: &[(&str, OrderStatus)] = &[
    ("intake", OrderStatus::Intake),
    ("documentation_pending", OrderStatus::DocumentationPending),
    ("ready_to_deliver", OrderStatus::ReadyToDeliver),
    ("partly_delivered", OrderStatus::PartlyDelivered),
    ("delivered", OrderStatus::Delivered),
    ("closed", OrderStatus::Closed),
    ("cancelled", OrderStatus::Cancelled),
];

impl OrderStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        STATUSES.iter().find(|(_, s)| *s == self).map_or("intake", |(c, _)| c)
    }

    /// Parses the stored code (or a `documentation-pending` spelling from the CLI).
    pub fn from_code(code: &str) -> Option<OrderStatus> {
        let code = code.trim().to_ascii_lowercase().replace('-', "_");
        STATUSES.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
    }

    /// Every state, in workflow order.
    pub fn all() -> impl Iterator<Item = OrderStatus> {
        STATUSES.iter().map(|(_, s)| *s)
    }

    /// True when a delivery may be scheduled for an order in this state: ready to deliver,
    /// or partly delivered with lines still to bring.
    pub fn can_be_scheduled(self) -> bool {
        matches!(self, OrderStatus::ReadyToDeliver | OrderStatus::PartlyDelivered)
    }

    /// True when the move from `self` to `to` is legal at all (whether it is allowed now
    /// may depend on more, such as the documents on file).
    pub fn can_become(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Intake, DocumentationPending | ReadyToDeliver | Cancelled)
                | (DocumentationPending, ReadyToDeliver | Cancelled)
                | (ReadyToDeliver, DocumentationPending | PartlyDelivered | Delivered | Cancelled)
                | (PartlyDelivered, PartlyDelivered | Delivered | Closed)
                | (Delivered, Closed)
        )
    }

    /// True for the states only a confirmed delivery may set.
    pub fn is_set_by_delivery(self) -> bool {
        matches!(self, OrderStatus::PartlyDelivered | OrderStatus::Delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn transition_table() {
        let legal = [
            (Intake, DocumentationPending),
            (Intake, ReadyToDeliver),
            (Intake, Cancelled),
            (DocumentationPending, ReadyToDeliver),
            (DocumentationPending, Cancelled),
            (ReadyToDeliver, DocumentationPending),
            (ReadyToDeliver, PartlyDelivered),
            (ReadyToDeliver, Delivered),
            (ReadyToDeliver, Cancelled),
            (PartlyDelivered, PartlyDelivered),
            (PartlyDelivered, Delivered),
            (PartlyDelivered, Closed),
            (Delivered, Closed),
        ];
        for from in OrderStatus::all() {
            for to in OrderStatus::all() {
                assert_eq!(from.can_become(to), legal.contains(&(from, to)), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in OrderStatus::all() {
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(OrderStatus::from_code("Ready-To-Deliver"), Some(ReadyToDeliver));
    }
}
