//! `cargo fuzz run mlflow_responses --sanitizer none`: see `assay_fuzz::mlflow_responses` for the input and the checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| assay_fuzz::mlflow_responses(data));
