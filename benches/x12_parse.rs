//! X12 835 reading speed: parse + balance-check of a generated ~50 MB DME remittance,
//! against a plain `memchr` segment split (the ceiling) and the `check` command's path.
//!
//! `cargo bench --bench x12_parse`. With `X12_BENCH_WRITE=<dir>` it first writes
//! `remit-1mb.835`, `remit-50mb.835` and `remit-200mb.835` there, for measuring
//! `hmedesk x12 check`'s peak memory (`/usr/bin/time -v`) and for comparing with pyx12.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hmedesk::x12::check;
use hmedesk::x12::remit835::{RemitEvent, RemitReader};
use hmedesk::Money;
use std::fmt::Write;
use std::hint::black_box;

/// One claim of the generated file: its segments and what it paid.
fn claim(i: u64, out: &mut String) -> (Money, u64) {
    let pcn = format!("PCN{i:08}");
    let mut segments = 0;
    let mut seg = |out: &mut String, s: &str| {
        out.push_str(s);
        out.push_str("~\n");
        segments += 1;
    };
    let paid = match i % 4 {
        // Monthly CPAP rental, paid at 80 % of allowed with coinsurance.
        0 => {
            seg(out, &format!("CLP*{pcn}*1*150*96.4*24.1*MB*2431{i:010}*12"));
            seg(out, &format!("NM1*QC*1*RIVERA*ANA****MI*1EG4TE5MK{:02}", i % 100));
            seg(out, "SVC*HC:E0601:RR:KX:KJ*150*96.4**1");
            seg(out, "DTM*150*20241001");
            seg(out, "DTM*151*20241031");
            seg(out, "CAS*CO*45*29.5");
            seg(out, "CAS*PR*2*24.1");
            seg(out, &format!("REF*6R*{pcn}-1"));
            seg(out, "AMT*B6*120.5");
            9640
        }
        // Oxygen concentrator with a dropped modifier and sequestration.
        1 => {
            seg(out, &format!("CLP*{pcn}*1*250*141.12*36*MB*2431{i:010}*12"));
            seg(out, "NM1*QC*1*CHEN*WEI****MI*2FH5UF6NL83");
            seg(out, "SVC*HC:E1390:RR*250*141.12**1*HC:E1390:RR:KX");
            seg(out, "DTM*472*20241003");
            seg(out, "CAS*CO*45*70**253*2.88");
            seg(out, "CAS*PR*2*36");
            seg(out, &format!("REF*6R*{pcn}-1"));
            seg(out, "AMT*B6*180");
            seg(out, "LQ*HE*N781");
            14112
        }
        // CPAP resupply, three lines, one denied as too frequent.
        2 => {
            seg(out, &format!("CLP*{pcn}*1*260*95.2*23.8*MB*2431{i:010}*12"));
            seg(out, "NM1*QC*1*OKAFOR*GRACE****MI*3GJ6VG7PM94");
            for (n, (code, charge, paid, co, pr)) in [
                ("A7030", "120", "68", "35", "17"),
                ("A7038", "40", "27.2", "6", "6.8"),
                ("A7035", "100", "0", "100", "0"),
            ]
            .iter()
            .enumerate()
            {
                seg(out, &format!("SVC*HC:{code}:NU*{charge}*{paid}**1"));
                seg(out, "DTM*472*20241010");
                if *pr == "0" {
                    seg(out, &format!("CAS*CO*119*{co}"));
                    seg(out, &format!("REF*6R*{pcn}-{}", n + 1));
                    seg(out, "LQ*HE*N362");
                } else {
                    seg(out, &format!("CAS*CO*45*{co}"));
                    seg(out, &format!("CAS*PR*2*{pr}"));
                    seg(out, &format!("REF*6R*{pcn}-{}", n + 1));
                }
            }
            9520
        }
        // Denied: same or similar equipment.
        _ => {
            seg(out, &format!("CLP*{pcn}*4*85*0*0*MB*2431{i:010}*12"));
            seg(out, "NM1*QC*1*PATEL*RAJ****MI*4HK7WH8QN05");
            seg(out, "SVC*HC:E0260:RR:KX*85*0**1");
            seg(out, "DTM*472*20241012");
            seg(out, "CAS*CO*96*85");
            seg(out, &format!("REF*6R*{pcn}-1"));
            seg(out, "LQ*HE*M3");
            0
        }
    };
    (Money::from_cents(paid), segments)
}

/// A valid 835 of about `megabytes` MB: one transaction set, balanced to the cent.
fn remittance(megabytes: usize) -> Vec<u8> {
    let mut claims = String::with_capacity(megabytes << 20);
    let (mut paid, mut segments, mut i) = (Money::ZERO, 0u64, 0u64);
    while claims.len() < (megabytes << 20) {
        if i % 1000 == 0 {
            writeln!(claims, "LX*{}~", i / 1000 + 1).unwrap();
            segments += 1;
        }
        let (p, s) = claim(i, &mut claims);
        paid += p;
        segments += s;
        i += 1;
    }
    let mut out = String::with_capacity(claims.len() + 1024);
    out.push_str(
        "ISA*00*          *00*          *ZZ*DMEMACJA       *ZZ*HMEDESK        *241105*0930*^*00501*000004711*0*P*:~\n",
    );
    out.push_str("GS*HP*DMEMACJA*HMEDESK*20241105*0930*4711*X*005010X221A1~\n");
    let header = [
        "ST*835*0001".to_string(),
        format!(
            "BPR*I*{}*C*ACH*CCP*01*011000015*DA*123456789*1999999999**01*021000021*DA*987654321*20241108",
            paid.x12()
        ),
        "TRN*1*EFT20241108001*1999999999".into(),
        "DTM*405*20241105".into(),
        "N1*PR*NORIDIAN JURISDICTION A DME".into(),
        "N3*PO BOX 6780".into(),
        "N4*FARGO*ND*581086780".into(),
        "PER*BL*EDI SUPPORT*TE*8667025006".into(),
        "N1*PE*HOMEWELL MEDICAL SUPPLY*XX*1234567893".into(),
    ];
    for s in &header {
        writeln!(out, "{s}~").unwrap();
    }
    out.push_str(&claims);
    writeln!(out, "SE*{}*0001~\nGE*1*4711~\nIEA*1*000004711~", segments + header.len() as u64 + 1).unwrap();
    out.into_bytes()
}

/// Reads the whole remittance, one claim at a time; returns claims and problems seen.
fn read_remittance(data: &[u8]) -> (u64, usize) {
    let mut reader = RemitReader::new(data);
    let (mut claims, mut problems) = (0, 0);
    while let Some(event) = reader.next_event().unwrap() {
        match event {
            RemitEvent::Payment(p) => problems += p.problems.len(),
            RemitEvent::Claim(c) => {
                claims += 1;
                problems += c.problems.len();
            }
            RemitEvent::Settlement(s) => problems += s.problems.len(),
        }
    }
    (claims, problems + reader.problems().len())
}

fn write_files() {
    let Some(dir) = std::env::var_os("X12_BENCH_WRITE") else { return };
    for mb in [1, 50, 200] {
        let path = std::path::Path::new(&dir).join(format!("remit-{mb}mb.835"));
        std::fs::write(&path, remittance(mb)).unwrap();
        eprintln!("wrote {}", path.display());
    }
}

fn bench(c: &mut Criterion) {
    write_files();
    let data = remittance(50);
    let (claims, problems) = read_remittance(&data);
    assert_eq!(problems, 0, "the generated remittance must be valid");
    eprintln!("generated 835: {} bytes, {claims} claims", data.len());

    let mut group = c.benchmark_group("835_50MB");
    group.sample_size(10).throughput(Throughput::Bytes(data.len() as u64));
    // A fold, not count(): memchr counts matches with a special fast path that visits no
    // segment.
    group.bench_function("memchr_segment_split", |b| {
        b.iter(|| memchr::memchr_iter(b'~', black_box(&data)).fold(0, |acc, p| acc ^ p))
    });
    group.bench_function("parse_and_balance", |b| b.iter(|| read_remittance(black_box(&data))));
    group.bench_function("check", |b| b.iter(|| check::check(black_box(data.as_slice())).segments));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
