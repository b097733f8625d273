//! `cargo fuzz run bank_loading --sanitizer none`: see `assay_fuzz::bank_loading` for the input and the checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| assay_fuzz::bank_loading(data));
