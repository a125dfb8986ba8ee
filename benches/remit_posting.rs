//! Remittance posting at volume (issue 8): an 835 paying, adjusting (CO-45, PR-2) and denying
//! (CO-50, one claim in 20) 10,000 claims, with an unmatched claim and a PLB, posted into a
//! database holding 100,000 submitted claims (target under 2 s) through `remit::import`, the
//! path `hmedesk remit import` takes. Each sample posts into a fresh copy of the database.

#[path = "../tests/common/claims.rs"]
mod claims_seed;
#[path = "../tests/common/rentals.rs"]
mod seed;

use chrono::NaiveDate;
use claims_seed::Line;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hmedesk::{claims, demo, remit, Actor, Db};
use std::path::Path;

const PATIENTS: usize = 10_000;
const CLAIMS_PER_PATIENT: usize = 10;
const PAID: usize = PATIENTS;
const DENY_EVERY: usize = 20;

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

/// Writes the database to `path`: `PATIENTS` patients (one in four with a secondary
/// coverage), each with `CLAIMS_PER_PATIENT` submitted claims alternating rental and
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
        if n % 4 == 0 {
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

/// The payer's 835 for claims `paid`, denying one in `DENY_EVERY`.
fn remittance(path: &Path, paid: &[i64]) -> Vec<u8> {
    let db = Db::open(path).unwrap();
    let claims: Vec<claims::Claim> = paid.iter().map(|&id| claims::get(db.conn(), id).unwrap()).collect();
    let paid_on = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
    demo::payer::adjudicate(&claims, |i| i % DENY_EVERY == DENY_EVERY - 1, paid_on, "EFT-BENCH-1").unwrap()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.sqlite3");
    let paid = database(&template);
    let file = remittance(&template, &paid);
    eprintln!("835: {} bytes paying {} of {} claims", file.len(), paid.len(), PATIENTS * CLAIMS_PER_PATIENT);
    let copy = dir.path().join("posting.sqlite3");
    let actor = Actor::new("bench");
    let mut group = c.benchmark_group("remit");
    group.sample_size(10);
    group.bench_function("post_10000_into_100000", |b| {
        b.iter_batched(
            || {
                std::fs::copy(&template, &copy).unwrap();
                Db::open(&copy).unwrap()
            },
            |mut db| {
                let summary = remit::import(&mut db, &actor, &file, "bench.835").unwrap();
                assert_eq!(summary.claims_matched as usize, PAID);
                assert_eq!(summary.claims_denied as usize, PAID / DENY_EVERY);
                assert_eq!(summary.claims_unmatched, 1);
                db
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
