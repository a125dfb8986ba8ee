//! Remittance posting at volume (issue 8): an 835 paying, adjusting (CO-45, PR-1 deductible on
//! one claim in 10, PR-2) and denying (CO-50, one claim in 20) 10,000 claims, with an unmatched
//! claim and a PLB, then the payer's second 835 reversing (CLP02 = 22) one paid claim in 50 and
//! paying its corrected claim, both posted into a database holding 100,000 submitted claims
//! (target under 2 s for the two) through `remit::import`, the path `hmedesk remit import` takes.
//! One patient in four has a secondary coverage: the first file drafts their secondary claims;
//! between the files half of the reversed claims' secondary claims are sent, so the second file
//! closes and drafts again the others and queues those for correction. Each sample posts into a
//! fresh copy of the database; only the two imports are timed.

#[path = "../tests/common/claims.rs"]
mod claims_seed;
#[path = "../tests/common/rentals.rs"]
mod seed;

use chrono::NaiveDate;
use claims_seed::Line;
use criterion::{criterion_group, criterion_main, Criterion};
use hmedesk::claims::ClaimStatus;
use hmedesk::demo::payer::Outcome;
use hmedesk::{claims, demo, remit, Actor, Db, Money};
use std::path::Path;
use std::time::{Duration, Instant};

const PATIENTS: usize = 10_000;
const CLAIMS_PER_PATIENT: usize = 10;
const PAID: usize = PATIENTS;
const DENY_EVERY: usize = 20;
/// Claims (by position in the first file) whose payment took a deductible; those at a multiple
/// of `REVERSE_EVERY` are reversed and paid again without it.
const DEDUCTIBLE_EVERY: usize = 10;
const REVERSE_EVERY: usize = 50;
/// One patient in `SECONDARY_EVERY` has a secondary coverage; of the reversed claims of those
/// patients, the ones at a multiple of `SENT_EVERY` have their secondary claim sent before the
/// reversal.
const SECONDARY_EVERY: usize = 4;
const SENT_EVERY: usize = 200;

/// A monthly CPAP rental, and a resupply purchase of two lines (the second at its allowable).
const RENTAL: &[Line] =
    &[Line { hcpcs: "E0601", modifiers: "RR:KX", charge: 15_000, allowed: Some(10_000), rental_month: Some(4) }];
const PURCHASE: &[Line] = &[
    Line { hcpcs: "A7030", modifiers: "NU", charge: 12_000, allowed: Some(9_000), rental_month: None },
    Line { hcpcs: "A7038", modifiers: "NU", charge: 4_000, allowed: None, rental_month: None },
];

fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(n as u64 % 300)
}

/// Writes the database to `path`: `PATIENTS` patients (one in `SECONDARY_EVERY` with a
/// secondary coverage), each with `CLAIMS_PER_PATIENT` submitted claims alternating rental and
/// purchase. Returns the ids of the claims the remittance pays: each patient's first.
fn database(path: &Path) -> Vec<i64> {
    let db = Db::open(path).unwrap();
    let base = seed::base(&db);
    let conn = db.conn();
    conn.execute_batch("BEGIN").unwrap();
    conn.execute("INSERT INTO payers (name, kind, payer_id, claim_filing_indicator) VALUES ('State Medicaid', 'medicaid', '77027', 'MC')", []).unwrap();
    let medicaid = conn.last_insert_rowid();
    let mut paid = Vec::with_capacity(PAID);
    for n in 0..PATIENTS {
        let rental = seed::Rental { hcpcs: "E0601", category: "CR", start: day(n), coverage_ends: None, signed: true };
        let (patient, coverage) = claims_seed::patient_of(conn, seed::rental(conn, &base, n, &rental));
        if n % SECONDARY_EVERY == 0 {
            claims_seed::secondary(conn, patient, medicaid);
        }
        for k in 0..CLAIMS_PER_PATIENT {
            let lines = if (n + k) % 2 == 0 { RENTAL } else { PURCHASE };
            let id = claims_seed::submitted(conn, patient, coverage, base.practitioner_id, day(n + k), lines);
            if k == 0 {
                paid.push(id);
            }
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    paid
}

/// The deductible the payer took off a claim's payment.
fn deductible() -> Outcome {
    Outcome::Paid { deductible: Money::from_cents(5_000) }
}

/// How the first 835 adjudicates the claim at `i`.
fn first_outcome(i: usize) -> Outcome {
    if i % DENY_EVERY == DENY_EVERY - 1 {
        Outcome::Denied
    } else if i % DEDUCTIBLE_EVERY == 0 {
        deductible()
    } else {
        Outcome::PAID
    }
}

/// The payer's two 835s for claims `paid`: the first adjudicating them all, the second
/// reversing one in `REVERSE_EVERY` (each took a deductible) and paying it again without one.
fn remittances(path: &Path, paid: &[i64]) -> (Vec<u8>, Vec<u8>) {
    let db = Db::open(path).unwrap();
    let claims: Vec<claims::Claim> = paid.iter().map(|&id| claims::get(db.conn(), id).unwrap()).collect();
    let paid_on = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
    let first = demo::payer::adjudicate(&claims, first_outcome, paid_on, "EFT-BENCH-1").unwrap();
    let reversed: Vec<claims::Claim> = claims.into_iter().step_by(REVERSE_EVERY).collect();
    let again_on = NaiveDate::from_ymd_opt(2026, 11, 12).unwrap();
    let second =
        demo::payer::readjudicate(&reversed, |_| deductible(), |_| Outcome::PAID, again_on, "EFT-BENCH-2").unwrap();
    (first, second)
}

/// Sends (ready, batched, submitted) the secondary claims of the primaries in `primaries`.
fn send_secondaries(db: &mut Db, actor: &Actor, primaries: &[i64]) {
    let ids = format!("[{}]", primaries.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let secondaries: Vec<i64> = db
        .conn()
        .prepare("SELECT id FROM claims WHERE source = 'secondary' AND related_claim_id IN (SELECT value FROM json_each(?1))")
        .unwrap()
        .query_map([&ids], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(secondaries.len(), primaries.len());
    db.write(actor, |c| {
        for &id in &secondaries {
            for to in [ClaimStatus::Ready, ClaimStatus::Batched, ClaimStatus::Submitted] {
                claims::set_status(c, id, to, None)?;
            }
        }
        Ok::<_, claims::ClaimError>(())
    })
    .unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.sqlite3");
    let paid = database(&template);
    let (first, second) = remittances(&template, &paid);
    eprintln!(
        "835s: {} bytes paying {} of {} claims, {} bytes reversing and paying again {}",
        first.len(),
        paid.len(),
        PATIENTS * CLAIMS_PER_PATIENT,
        second.len(),
        PAID / REVERSE_EVERY
    );
    let sent: Vec<i64> = paid.iter().copied().step_by(SENT_EVERY).collect();
    let reversed_with_secondary = (0..PAID).filter(|i| i % REVERSE_EVERY == 0 && i % SECONDARY_EVERY == 0).count();
    let copy = dir.path().join("posting.sqlite3");
    let actor = Actor::new("bench");
    let mut group = c.benchmark_group("remit");
    group.sample_size(10);
    group.bench_function("post_10000_then_reversals_into_100000", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                std::fs::copy(&template, &copy).unwrap();
                let mut db = Db::open(&copy).unwrap();
                let start = Instant::now();
                let summary = remit::import(&mut db, &actor, &first, "bench-1.835").unwrap();
                timed += start.elapsed();
                assert_eq!(summary.claims_matched as usize, PAID);
                assert_eq!(summary.claims_denied as usize, PAID / DENY_EVERY);
                assert_eq!(summary.claims_unmatched, 1);
                assert_eq!(summary.secondary_drafts as usize, PATIENTS / SECONDARY_EVERY);
                send_secondaries(&mut db, &actor, &sent);
                let start = Instant::now();
                let summary = remit::import(&mut db, &actor, &second, "bench-2.835").unwrap();
                timed += start.elapsed();
                assert_eq!(summary.reversals as usize, PAID / REVERSE_EVERY);
                assert_eq!(summary.claims_matched as usize, 2 * PAID / REVERSE_EVERY);
                assert_eq!(summary.claims_unmatched, 1);
                assert_eq!(summary.secondary_to_correct as usize, sent.len());
                assert_eq!(summary.work_queue as usize, sent.len());
                assert_eq!(summary.secondary_drafts as usize, reversed_with_secondary - sent.len());
            }
            timed
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
