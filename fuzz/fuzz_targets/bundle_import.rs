//! `cargo fuzz run bundle_import --sanitizer none`: see `assay_fuzz::bundle_import` for the input and the checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| assay_fuzz::bundle_import(data));
