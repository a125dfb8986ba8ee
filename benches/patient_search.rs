//! Patient search at the scale of a large supplier: 100,000 patients with coverages.
//! The desktop search box queries on every keystroke, so each query must stay under 10 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use hmedesk::coverages::{self, CoverageInput};
use hmedesk::patients::{self, PatientInput, SEARCH_LIMIT};
use hmedesk::payers::{self, PayerInput};
use hmedesk::{Actor, Db};
use std::hint::black_box;

const PATIENTS: usize = 100_000;

const FIRST: &[&str] = &[
    "Maria", "James", "Linda", "Robert", "Patricia", "John", "Barbara", "Michael", "Dorothy", "William", "Rosa",
    "Luis", "Nguyen", "Ana", "Frank", "Helen",
];
const LAST: &[&str] = &[
    "Garcia",
    "Johnson",
    "Williams",
    "Brown",
    "Martinez",
    "Davis",
    "Rodriguez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Hernandez",
    "Moore",
    "Lopez",
    "Lee",
    "Gonzalez",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Perez",
    "Hall",
    "Young",
    "Allen",
    "Sanchez",
    "Wright",
    "King",
    "Scott",
    "Hill",
    "Ramirez",
    "Campbell",
    "Mitchell",
];

fn s(v: impl Into<String>) -> Option<String> {
    Some(v.into())
}

/// Builds the database through the same core calls the screens use, in one transaction.
fn build(path: &std::path::Path) -> Db {
    let mut db = Db::open(path).expect("open");
    let actor = Actor::new("bench");
    db.write(&actor, |c| {
        let payer = payers::create(
            c,
            &PayerInput { name: s("Aetna"), kind: s("commercial"), payer_id: s("60054"), ..Default::default() },
        )?;
        for n in 0..PATIENTS {
            let last = format!(
                "{}{}",
                LAST[n % LAST.len()],
                if n % 7 == 0 { "" } else { &"sonvilleburgtonhamleyford"[..(n / LAST.len()) % 12] }
            );
            let p = patients::create(
                c,
                &PatientInput {
                    first_name: s(FIRST[(n / 3) % FIRST.len()]),
                    last_name: s(last),
                    dob: s(format!("{}-{:02}-{:02}", 1930 + n % 60, 1 + n % 12, 1 + n % 28)),
                    sex: s("U"),
                    phone: s(format!("214{:07}", n)),
                    ..Default::default()
                },
            )?;
            coverages::create(
                c,
                &CoverageInput {
                    patient_id: s(p.id.to_string()),
                    payer_id: s(payer.id.to_string()),
                    member_id: s(format!("W{:09}", n)),
                    effective: s("2025-01-01"),
                    ..Default::default()
                },
            )?;
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })
    .expect("generate patients");
    db
}

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = build(&dir.path().join("bench.sqlite3"));
    let mut group = c.benchmark_group("patient_search_100k");
    for (name, query) in [
        ("one_letter", "g"),
        ("last_name_prefix", "gar"),
        ("first_and_last", "maria lopez"),
        ("date_of_birth", "03/05/1962"),
        ("member_id", "W000051234"),
        ("no_match", "zzzz"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(patients::search(db.conn(), black_box(query), SEARCH_LIMIT).expect("search")))
        });
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
