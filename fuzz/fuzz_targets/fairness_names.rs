//! `cargo fuzz run fairness_names --sanitizer none`: see `assay_fuzz::fairness_names` for the input and the checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| assay_fuzz::fairness_names(data));
