//! Answer-save latency in the API layer, the part of the desktop app's save round trip that is
//! not IPC or rendering: `Assay::update_answer` on a database holding 20 demo assessments, as
//! `scripts/bench-desktop.sh` seeds it. Prints p50/p99/max per step.
//!
//!   cargo bench -p assay-api --bench answer_save            # 2,000 saves
//!   BENCH_SAVES=10000 cargo bench -p assay-api --bench answer_save
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark: its figures are its output

use std::time::Instant;

use assay_api::{AnswerChange, Assay, SystemClock};
use assay_assessment::{Level, Rating};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn report(label: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    println!(
        "{label:<28} n={:<6} p50 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
        times.len(),
        percentile(&times, 50.0),
        percentile(&times, 99.0),
        times[times.len() - 1]
    );
}

fn main() {
    let saves: usize = std::env::var("BENCH_SAVES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let mut assay = Assay::open(&db, Box::new(SystemClock)).unwrap();
    let mut id = String::new();
    for _ in 0..20 {
        id = assay.create_demo().unwrap();
    }
    let question = assay.bank().questions[0].id.clone();

    let mut loads = Vec::with_capacity(saves);
    let mut answers = Vec::with_capacity(saves);
    for n in 0..saves {
        let begin = Instant::now();
        assay.assessment(&id).unwrap();
        loads.push(begin.elapsed().as_secs_f64() * 1e3);

        let level = Level::new(if n % 2 == 0 { 1 } else { 3 }).unwrap();
        let begin = Instant::now();
        assay
            .update_answer(
                &id,
                &question,
                AnswerChange {
                    rating: Some(Rating::level(level)),
                    ..AnswerChange::default()
                },
            )
            .unwrap();
        answers.push(begin.elapsed().as_secs_f64() * 1e3);
    }
    report("load the assessment", loads);
    report("update_answer (level)", answers);
}
