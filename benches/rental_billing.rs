//! The monthly billing run over 10,000 active rentals (capped, oxygen, frequent servicing and
//! inexpensive items at different months), each with one month due: target under 1 s.

#[path = "../tests/common/rentals.rs"]
mod seed;

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hmedesk::{rentals, Actor, Db};

const RENTALS: usize = 10_000;
const KINDS: &[(&str, &str)] = &[("E0601", "CR"), ("E1390", "OX"), ("E0465", "FS"), ("E0143", "IN")];

fn through() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
}

/// A database with `RENTALS` rentals started in the 28 days before the run, with 0 to 6
/// months paid before (so the month modifiers vary).
fn database() -> Db {
    let db = Db::open_in_memory().unwrap();
    let base = seed::base(&db);
    db.conn().execute_batch("BEGIN").unwrap();
    for n in 0..RENTALS {
        let (hcpcs, category) = KINDS[n % KINDS.len()];
        let start = through() - Days::new((n % 28) as u64);
        let rental = seed::Rental { hcpcs, category, start, coverage_ends: None, signed: true };
        let id = seed::rental(db.conn(), &base, n, &rental);
        db.conn().execute("UPDATE rental_episodes SET prior_months = ?2 WHERE id = ?1", (id, n % 7)).unwrap();
    }
    db.conn().execute_batch("COMMIT").unwrap();
    db
}

fn billing_run(c: &mut Criterion) {
    let actor = Actor::new("bench");
    let mut group = c.benchmark_group("rentals");
    group.sample_size(10);
    group.bench_function("bill_10000_rentals", |b| {
        b.iter_batched(
            database,
            |mut db| {
                let run = rentals::bill(&mut db, &actor, through()).unwrap();
                assert_eq!(run.lines_created, RENTALS);
                db
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, billing_run);
criterion_main!(benches);
