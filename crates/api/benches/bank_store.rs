//! Loading, checking, hashing and storing a large question bank: a 500-question bank folder
//! (the built-in bank's questions repeated under new ids) imported into a fresh database, the way
//! `assay bank import` and the Libraries screen do it. Budget: 50 ms per import.
//!
//!   cargo bench -p assay-api --bench bank_store            # 20 imports
//!   BENCH_RUNS=100 cargo bench -p assay-api --bench bank_store
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark: its figures are its output

use std::time::Instant;

use assay_api::{Assay, SystemClock, builtin_bank, read_bank_file};
use assay_assessment::{Bank, CanonicalBank};

const QUESTIONS: usize = 500;
const BUDGET_MS: f64 = 50.0;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn report(label: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    let p50 = percentile(&times, 50.0);
    println!(
        "{label:<44} n={:<4} p50 {p50:>7.2} ms  max {:>7.2} ms  p50/budget {:>5.2}",
        times.len(),
        times[times.len() - 1],
        p50 / BUDGET_MS
    );
}

/// The built-in bank grown to `QUESTIONS` questions, spread over its areas in bank order.
fn large_bank() -> Bank {
    let mut bank = builtin_bank().unwrap();
    bank.id = "bench-large".into();
    bank.version = "1.0.0".into();
    // A first version has nothing to upgrade from (the default bank's mappings name its own ids).
    bank.upgrades.clear();
    bank.headline
        .levels
        .iter_mut()
        .for_each(|l| l.requires.truncate(1));
    let templates = bank.questions.clone();
    let mut questions = Vec::with_capacity(QUESTIONS);
    let areas = bank.areas().count();
    for (index, area) in bank.areas().enumerate() {
        let in_area: Vec<_> = templates.iter().filter(|q| q.area == area.id).collect();
        let share = QUESTIONS / areas + usize::from(index < QUESTIONS % areas);
        for n in 0..share {
            let mut question = in_area[n % in_area.len()].clone();
            question.id = format!("{}-{}", area.code, n + 1);
            questions.push(question);
        }
    }
    questions.truncate(QUESTIONS);
    bank.questions = questions;
    bank
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let bank = large_bank();
    let folder = dir.path().join("large-bank");
    for (file, text) in bank.to_files() {
        let path = folder.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let json = CanonicalBank::of(bank.clone()).json;
    println!(
        "bank: {} questions, {} areas, canonical JSON {} KiB",
        bank.questions.len(),
        bank.areas().count(),
        json.len() / 1024
    );

    let (mut reads, mut imports, mut lookups) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let begin = Instant::now();
        let read = read_bank_file(&folder.join("bank.toml")).unwrap();
        reads.push(begin.elapsed().as_secs_f64() * 1e3);
        assert_eq!(read.bank.questions.len(), QUESTIONS);

        let mut assay = Assay::open(
            &dir.path().join(format!("run{run}.db")),
            Box::new(SystemClock),
        )
        .unwrap();
        let begin = Instant::now();
        let stored = assay.import_bank(&folder).unwrap();
        imports.push(begin.elapsed().as_secs_f64() * 1e3);
        assert_eq!(stored.digest, read.digest.as_str());
        drop(assay);

        // A new session reads the stored bank back and checks its hash.
        let assay = Assay::open(
            &dir.path().join(format!("run{run}.db")),
            Box::new(SystemClock),
        )
        .unwrap();
        let begin = Instant::now();
        let found = assay.find_bank("bench-large@1.0.0").unwrap();
        lookups.push(begin.elapsed().as_secs_f64() * 1e3);
        assert_eq!(found.digest, read.digest);
    }
    report("load + check + hash (TOML folder)", reads);
    report("import: load, check, hash, store (SQLite)", imports);
    report("read back from SQLite + hash check", lookups);
}
