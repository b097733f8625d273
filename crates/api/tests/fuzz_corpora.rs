//! Replays every file of the fuzz corpora (`fuzz/corpus/<target>/`) and of the inputs that once
//! crashed a target (`fuzz/regressions/<target>/`) through the same checks the cargo-fuzz targets
//! run, so CI catches a regression on any input the fuzzers kept without cargo-fuzz or a nightly
//! toolchain. Long fuzzing runs are done by hand with `scripts/fuzz.sh`.

#[path = "../../../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};
use std::time::Instant;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, sorted; none when the folder does not exist.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, check: checks::Check) {
    let corpus = inputs("corpus", target);
    assert!(!corpus.is_empty(), "fuzz/corpus/{target}/ holds no inputs");
    let files: Vec<PathBuf> = corpus
        .into_iter()
        .chain(inputs("regressions", target))
        .collect();
    let started = Instant::now();
    for file in &files {
        let data = std::fs::read(file).expect("a corpus file reads");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "{target}: the input {} fails its check (in fuzz/: `cargo fuzz run --sanitizer none \
             {target} {}` reproduces it)",
            file.display(),
            file.display()
        );
    }
    eprintln!(
        "{target}: {} inputs in {:.2?}",
        files.len(),
        started.elapsed()
    );
}

#[test]
fn mlflow_responses() {
    replay("mlflow_responses", checks::mlflow_responses);
}

#[test]
fn wandb_responses() {
    replay("wandb_responses", checks::wandb_responses);
}

#[test]
fn fairness_names() {
    replay("fairness_names", checks::fairness_names);
}

#[test]
fn bundle_import() {
    replay("bundle_import", checks::bundle_import);
}

#[test]
fn bank_loading() {
    replay("bank_loading", checks::bank_loading);
}

#[test]
fn every_target_has_a_corpus_and_a_fuzz_target() {
    for (target, _) in checks::TARGETS {
        assert!(
            fuzz_dir().join("corpus").join(target).is_dir(),
            "no corpus for {target}"
        );
        let source = fuzz_dir().join("fuzz_targets").join(format!("{target}.rs"));
        assert!(source.is_file(), "no fuzz target {}", source.display());
    }
}
