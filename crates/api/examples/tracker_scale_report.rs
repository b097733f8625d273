//! The tracker-scale report for the rendering benchmark (`scripts/bench-reports.sh`): the demo
//! assessment with an MLflow sweep of 5,050 runs linked to its scope (the fixture of
//! `tests/report_scale.rs`, seeded and deterministic).
//!
//! ```text
//! tracker_scale_report write DIR [RUNS]   writes DIR/report.html and DIR/report.pdf (of a
//!                                         sweep of RUNS runs, 5,050 unless given)
//! tracker_scale_report time html|pdf N    exports N times after one warm-up; prints medians
//! ```
//!
//! `time` prints two medians: `export_ms`, what a user waits for (`Assay::render_report`: the
//! evidence read from the database, the report model built, hashed and rendered), and
//! `render_ms`, the rendering of an already built model alone, comparable with `large_report`.

#![allow(clippy::print_stdout)]

#[path = "../tests/tracker_scale/mod.rs"]
mod tracker_scale;

use std::path::Path;
use std::time::Instant;

use assay_api::{Assay, ReportFormat};
use assay_reports::html::HtmlRenderer;
use assay_reports::model::HashedModel;

type Error = Box<dyn std::error::Error>;

fn format(kind: &str) -> Result<ReportFormat, Error> {
    Ok(ReportFormat::parse(kind)?)
}

fn render(kind: ReportFormat, model: &HashedModel) -> Result<Vec<u8>, Error> {
    let hashed = HashedModel::new(model.model.clone());
    Ok(match kind {
        ReportFormat::Html => HtmlRenderer::new()?.render(&hashed)?.into_bytes(),
        ReportFormat::Pdf => assay_reports::pdf::render(&hashed)?,
    })
}

/// The median of `runs` timings of `f` (in ms) after one warm-up.
fn median_ms(runs: usize, mut f: impl FnMut() -> Result<usize, Error>) -> Result<f64, Error> {
    f()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        std::hint::black_box(f()?);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let n = times.len();
    Ok(if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    })
}

fn scale_assay(dir: &Path, runs: usize) -> (Assay, String) {
    let snapshot = tracker_scale::sweep_snapshot(runs);
    tracker_scale::demo_with_evidence(dir, &snapshot)
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let runs = match args.as_slice() {
        ["write", _, runs] => runs.parse()?,
        _ => tracker_scale::SWEEP_RUNS,
    };
    let temp = tempfile::tempdir()?;
    let (assay, id) = scale_assay(temp.path(), runs);
    match args.as_slice() {
        ["write", dir] | ["write", dir, _] => {
            let dir = Path::new(dir);
            std::fs::create_dir_all(dir)?;
            for kind in [ReportFormat::Html, ReportFormat::Pdf] {
                let file = dir.join(format!("report.{}", kind.extension()));
                assay.export_report(&id, kind, &file)?;
            }
            let model = assay.report_model(&id)?.model;
            println!(
                "runs={} lineage={} bias={}",
                model.evidence_sources.iter().map(|s| s.runs).sum::<usize>(),
                model.lineage.len(),
                model.bias.len()
            );
        }
        ["time", kind, runs] => {
            let (kind, runs) = (format(kind)?, runs.parse()?);
            let export_ms = median_ms(runs, || Ok(assay.render_report(&id, kind)?.bytes.len()))?;
            let model = assay.report_model(&id)?;
            let render_ms = median_ms(runs, || Ok(render(kind, &model)?.len()))?;
            println!("export_ms={export_ms:.2} render_ms={render_ms:.2} runs={runs}");
        }
        _ => {
            return Err("usage: tracker_scale_report write DIR [RUNS] | time html|pdf N".into());
        }
    }
    Ok(())
}
