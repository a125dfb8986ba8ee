//! Where a claim stands, and the moves between stands a billing office makes.

crate::coded_enum! {
    /// A claim's state, from the first draft to the closed account.
    ClaimStatus {
        /// Built, not yet scrubbed clean; may still change.
        Draft = "draft",
        /// Scrubbed with no blocking problem; waits for the next batch.
        Ready = "ready",
        /// Written into an 837P batch file not yet sent.
        Batched = "batched",
        /// Sent to the clearinghouse.
        Submitted = "submitted",
        /// Accepted by the clearinghouse or payer (999/277CA).
        Accepted = "accepted",
        /// Rejected before adjudication (999/277CA); fix and resubmit.
        Rejected = "rejected",
        /// Adjudicated and paid in full.
        Paid = "paid",
        /// Adjudicated and paid in part.
        PartlyPaid = "partial",
        /// Adjudicated and denied.
        Denied = "denied",
        /// Nothing more to do.
        Closed = "closed",
    }
}

impl ClaimStatus {
    /// True when moving from `self` to `to` is a legal step.
    ///
    /// An 835 can arrive before (or without) a 277CA, so a submitted claim may be adjudicated
    /// directly; a reversal (CLP02 = 22) takes an adjudicated claim back to accepted; a
    /// rejected or denied claim goes back to draft to be corrected; any claim the payer has is
    /// closed when its replacement or void goes out ([`super::draft_correction`]).
    pub fn can_become(self, to: ClaimStatus) -> bool {
        use ClaimStatus::*;
        matches!(
            (self, to),
            (Draft, Ready | Closed)
                | (Ready, Draft | Batched | Closed)
                | (Batched, Submitted | Rejected | Ready)
                | (Submitted, Accepted | Rejected | Paid | PartlyPaid | Denied | Closed)
                | (Accepted, Rejected | Paid | PartlyPaid | Denied | Closed)
                | (Rejected, Draft | Closed)
                | (Paid | PartlyPaid, Accepted | Paid | PartlyPaid | Denied | Closed)
                | (Denied, Accepted | Paid | PartlyPaid | Draft | Closed)
        )
    }

    /// True while the claim's content may still change.
    pub fn is_editable(self) -> bool {
        matches!(self, ClaimStatus::Draft | ClaimStatus::Ready)
    }

    /// True once a payer has decided on the claim.
    pub fn is_adjudicated(self) -> bool {
        matches!(self, ClaimStatus::Paid | ClaimStatus::PartlyPaid | ClaimStatus::Denied)
    }
}

crate::coded_enum! {
    /// Why a claim exists: what built it.
    ClaimSource {
        /// A purchased item, billed once on delivery.
        Purchase = "purchase",
        /// A rental month from the billing run.
        Rental = "rental",
        /// A resupply shipment.
        Resupply = "resupply",
        /// The secondary payer's claim after the primary paid.
        Secondary = "secondary",
        /// A replacement or void of a claim the payer already has.
        Correction = "correction",
    }
}

crate::coded_enum! {
    /// CLM05-3: an original claim, or a correction of one the payer already has.
    ClaimFrequency {
        Original = "original",
        Replacement = "replacement",
        Void = "void",
    }
}

impl ClaimFrequency {
    /// The claim frequency type code the 837P writes (1, 7 or 8).
    pub fn x12(self) -> &'static str {
        match self {
            ClaimFrequency::Original => "1",
            ClaimFrequency::Replacement => "7",
            ClaimFrequency::Void => "8",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimStatus::*;

    #[test]
    fn nothing_leaves_closed_and_nothing_skips_the_scrub() {
        for &to in ClaimStatus::ALL {
            assert!(!Closed.can_become(to), "closed -> {to}");
            assert!(!Draft.can_become(to) || matches!(to, Ready | Closed), "draft -> {to}");
        }
        assert!(!Draft.can_become(Batched));
    }

    #[test]
    fn adjudication_and_reversal() {
        assert!(Submitted.can_become(Paid));
        assert!(Paid.can_become(Accepted));
        assert!(Denied.can_become(Draft));
        assert!(!Paid.can_become(Draft));
        assert!(!Batched.can_become(Closed), "a claim in a file not yet sent is taken out, not closed");
        assert!(Paid.is_adjudicated() && !Accepted.is_adjudicated());
    }

    #[test]
    fn a_claim_the_payer_has_closes_when_its_correction_goes_out() {
        for from in [Submitted, Accepted, Paid, PartlyPaid, Denied] {
            assert!(from.can_become(Closed), "{from} -> closed");
        }
    }

    #[test]
    fn frequency_codes() {
        let codes: Vec<_> = ClaimFrequency::ALL.iter().map(|f| f.x12()).collect();
        assert_eq!(codes, ["1", "7", "8"]);
    }
}
