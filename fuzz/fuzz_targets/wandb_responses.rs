//! `cargo fuzz run wandb_responses --sanitizer none`: see `assay_fuzz::wandb_responses` for the input and the checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| assay_fuzz::wandb_responses(data));
