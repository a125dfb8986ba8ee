//! Claims at volume: 10,000 rental claims built by the billing run, scrubbed and written into
//! one 837P batch (target under 2 s), and the 837P writing alone next to reading the same
//! claims from SQLite (the writer should be no slower than the read).

#[path = "../tests/common/rentals.rs"]
mod seed;

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hmedesk::claims::x837::{write_837p, Batch, Envelope};
use hmedesk::claims::{self, resolve, scrub, ClaimFilter, ClaimStatus};
use hmedesk::{rentals, supplier, Actor, Db};
use std::hint::black_box;

const CLAIMS: usize = 10_000;
const KINDS: &[(&str, &str)] = &[("E0601", "CR"), ("E1390", "OX"), ("E0465", "FS"), ("E0143", "IN")];

fn through() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()
}

/// `CLAIMS` rentals with one month due each, every one scrub-clean: a supplier on file, a
/// valid MBI, and a signed delivery of the rented item.
fn database(actor: &Actor) -> (Db, i64) {
    let mut db = Db::open_in_memory().unwrap();
    let base = seed::base(&db);
    supplier::save(
        &mut db,
        actor,
        &supplier::SupplierInput {
            legal_name: Some("Bench Medical Supply".into()),
            npi: Some("1245319599".into()),
            ein: Some("12-3456789".into()),
            taxonomy: Some("332B00000X".into()),
            address1: Some("100 Main St".into()),
            city: Some("Springfield".into()),
            state: Some("IL".into()),
            zip: Some("627011234".into()),
            phone: Some("2175550100".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let conn = db.conn();
    conn.execute_batch("BEGIN").unwrap();
    for n in 0..CLAIMS {
        let (hcpcs, category) = KINDS[n % KINDS.len()];
        let start = through() - Days::new((n % 28) as u64);
        let rental = seed::Rental { hcpcs, category, start, coverage_ends: None, signed: true };
        let id = seed::rental(conn, &base, n, &rental);
        conn.execute("UPDATE rental_episodes SET prior_months = ?2 WHERE id = ?1", (id, n % 7)).unwrap();
        let mbi = format!("1EG4TE5MK{:02}", n % 100);
        conn.execute(
            "UPDATE coverages SET member_id = ?2 WHERE patient_id = (SELECT patient_id FROM rental_episodes WHERE id = ?1)",
            (id, mbi),
        )
        .unwrap();
        seed::deliver(conn, id, start);
    }
    conn.execute_batch("COMMIT").unwrap();
    (db, base.payer_id)
}

/// Build (the billing run), scrub, batch: the whole path of a month's claims.
fn build_scrub_write(c: &mut Criterion) {
    let actor = Actor::new("bench");
    let mut group = c.benchmark_group("claims");
    group.sample_size(10);
    group.bench_function("build_scrub_write_10000", |b| {
        b.iter_batched(
            || database(&actor),
            |(mut db, payer)| {
                let run = rentals::bill(&mut db, &actor, through()).unwrap();
                assert_eq!(run.claims_created, CLAIMS);
                let results = db.write(&actor, |c| scrub::scrub_all(c, today())).unwrap();
                let ready = results.iter().filter(|r| r.status == ClaimStatus::Ready).count();
                assert_eq!(ready, CLAIMS, "{:?}", results.iter().find(|r| r.status != ClaimStatus::Ready));
                let (batch, content) = db
                    .write(&actor, |c| claims::create_batch(c, payer, today().and_hms_opt(9, 0, 0).unwrap()))
                    .unwrap();
                assert_eq!(batch.claim_count as usize, CLAIMS);
                black_box(content);
                db
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Reading the claims from SQLite against writing the same resolved claims as 837P.
fn write_vs_read(c: &mut Criterion) {
    let actor = Actor::new("bench");
    let (mut db, _) = database(&actor);
    rentals::bill(&mut db, &actor, through()).unwrap();
    let conn = db.conn();
    let supplier = supplier::get(conn).unwrap().unwrap();
    let all = claims::list(conn, &ClaimFilter::default()).unwrap();
    let resolved: Vec<_> = all.iter().map(|c| resolve::resolve(conn, c).unwrap()).collect();
    let batch = Batch {
        envelope: Envelope {
            submitter_id: supplier.npi.clone(),
            submitter_name: supplier.legal_name.clone(),
            contact_name: supplier.legal_name.clone(),
            contact_phone: "2175550100".into(),
            receiver_id: "17013".into(),
            receiver_name: "Medicare DME".into(),
            interchange_control: 1,
            group_control: 1,
            set_control: 1,
            created: today().and_hms_opt(9, 0, 0).unwrap(),
            production: false,
        },
        billing: resolve::billing_provider(&supplier),
        claims: resolved,
    };
    let mut group = c.benchmark_group("claims");
    group.sample_size(20);
    group.bench_function("read_10000_from_sqlite", |b| {
        b.iter(|| black_box(claims::list(conn, &ClaimFilter::default()).unwrap()))
    });
    group.bench_function("write_837p_10000", |b| {
        b.iter(|| black_box(write_837p(Vec::with_capacity(8 << 20), &batch).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, build_scrub_write, write_vs_read);
criterion_main!(benches);
