//! Property tests of the rental engine over generated episodes: the cap is never passed,
//! modifiers follow the month, every listed month is billable or says why not, and nothing
//! is billed while the item is out of use.

use chrono::{Duration, Months, NaiveDate};
use hmedesk::rentals::{
    line_modifiers, schedule, CoverageRule, Documentation, Hcpcs, Interruption, Modifier, RentalCategory,
    RentalEpisode, RentalFees, MAX_MODIFIERS,
};
use hmedesk::Money;
use proptest::prelude::*;

fn category() -> impl Strategy<Value = RentalCategory> {
    prop_oneof![
        Just(RentalCategory::CappedRental),
        Just(RentalCategory::Oxygen),
        Just(RentalCategory::FrequentServicing),
        Just(RentalCategory::Inexpensive),
    ]
}

fn documentation() -> impl Strategy<Value = Documentation> {
    let coverage = prop_oneof![
        Just(CoverageRule::NoneApplies),
        Just(CoverageRule::Met),
        Just(CoverageRule::NotMet),
        Just(CoverageRule::StatutorilyExcluded),
    ];
    (coverage, any::<bool>()).prop_map(|(coverage, abn_on_file)| Documentation { coverage, abn_on_file })
}

/// Up to three breaks after `start`, in order and not overlapping: (gap before, length, documented).
fn breaks() -> impl Strategy<Value = Vec<(i64, i64, bool)>> {
    prop::collection::vec((1i64..150, 1i64..200, any::<bool>()), 0..4)
}

prop_compose! {
    fn episode()(
        category in category(),
        code in prop::sample::select(vec!["E0601", "E0260", "K0823", "E1390", "E0439", "E0431", "E0465", "E0143"]),
        start_days in 0i64..15_000,
        span_months in 0u32..90,
        prior in 0u32..40,
        breaks in breaks(),
        monthly_cents in 100i64..50_000,
        allowable_months in 1i64..20,
        allowable_extra in 0i64..10_000,
        purchase_cents in 0i64..1_000_000,
        documentation in documentation(),
    ) -> (RentalEpisode, NaiveDate) {
        let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(start_days);
        let through = start.checked_add_months(Months::new(span_months)).unwrap();
        let monthly = Money::from_cents(monthly_cents);
        let hcpcs = Hcpcs::parse(code).unwrap();
        let (fees, prior_months) = match category {
            RentalCategory::CappedRental => {
                let fees = if purchase_cents == 0 { RentalFees::Unpriced } else { RentalFees::capped_rental(&hcpcs, Money::from_cents(purchase_cents)) };
                (fees, prior % 13)
            }
            RentalCategory::Oxygen => (RentalFees::Monthly(monthly), prior),
            RentalCategory::FrequentServicing => (RentalFees::Monthly(monthly), prior),
            RentalCategory::Inexpensive => {
                let purchase_allowable = Money::from_cents(monthly_cents * allowable_months + allowable_extra);
                (RentalFees::Inexpensive { monthly, purchase_allowable }, prior % allowable_months as u32)
            }
        };
        let mut interruptions = Vec::new();
        let mut after = start;
        for (gap, length, new_period_documented) in breaks {
            let from = after + Duration::days(gap);
            let to = from + Duration::days(length);
            interruptions.push(Interruption { from, to, new_period_documented });
            after = to;
        }
        (RentalEpisode { hcpcs, category, start, interruptions, prior_months, fees, documentation }, through)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn billed_months_never_exceed_the_cap((episode, through) in episode()) {
        let s = schedule(&episode, through);
        for period in 1..=s.months.last().map_or(0, |m| m.period) {
            let prior = if period == 1 { episode.prior_months } else { 0 };
            let billed: Vec<_> = s.months.iter().filter(|m| m.period == period && m.billable).collect();
            if let Some(cap) = episode.category.month_cap() {
                prop_assert!(billed.len() as u32 <= cap.saturating_sub(prior), "period {period}: {} billed after {prior}", billed.len());
                prop_assert!(billed.iter().all(|m| m.month <= cap));
            }
            if let RentalFees::Inexpensive { purchase_allowable, .. } = episode.fees {
                let paid: Money = episode.fees.paid_before(prior) + billed.iter().filter_map(|m| m.fee).sum::<Money>();
                prop_assert!(paid <= purchase_allowable, "paid {paid} > {purchase_allowable}");
            }
            // Billed months count up one at a time from where the period stood.
            for (i, m) in billed.iter().enumerate() {
                prop_assert_eq!(m.month, prior + 1 + i as u32);
            }
        }
    }

    #[test]
    fn modifiers_follow_the_month((episode, through) in episode()) {
        let s = schedule(&episode, through);
        for m in &s.months {
            if m.billable {
                prop_assert_eq!(&m.modifiers, &line_modifiers(episode.category, m.month, episode.documentation));
                let month_modifier = m.modifiers.iter().find(|x| matches!(x, Modifier::KH | Modifier::KI | Modifier::KJ)).copied();
                let expected = match (episode.category, m.month) {
                    (RentalCategory::CappedRental, 1) => Some(Modifier::KH),
                    (RentalCategory::CappedRental, 2..=3) => Some(Modifier::KI),
                    (RentalCategory::CappedRental, _) => Some(Modifier::KJ),
                    _ => None,
                };
                prop_assert_eq!(month_modifier, expected);
            } else {
                prop_assert!(m.modifiers.is_empty());
            }
            prop_assert!(m.modifiers.len() <= MAX_MODIFIERS);
            let kx = m.modifiers.contains(&Modifier::KX);
            prop_assert!(!(kx && m.modifiers.iter().any(|x| matches!(x, Modifier::GA | Modifier::GY | Modifier::GZ))));
        }
    }

    #[test]
    fn every_listed_month_is_billable_or_says_why((episode, through) in episode()) {
        let s = schedule(&episode, through);
        let mut last = None;
        for m in &s.months {
            prop_assert!(m.billable != m.reason.is_some(), "{m:?}");
            prop_assert!(m.dos <= through && m.dos >= episode.start);
            prop_assert!(last.is_none_or(|d| d < m.dos), "dates go forward");
            last = Some(m.dos);
            if !m.billable {
                prop_assert!(m.fee.is_none());
            }
        }
    }

    #[test]
    fn nothing_is_billed_while_out_of_use((episode, through) in episode()) {
        let s = schedule(&episode, through);
        for m in s.months.iter().filter(|m| m.billable) {
            prop_assert!(!episode.interruptions.iter().any(|b| b.from <= m.dos && m.dos < b.to), "{m:?}");
        }
    }
}
