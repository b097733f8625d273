//! Loads a bank from its `bank.toml` on disk and prints what it holds, or the first problem
//! (file, question, what is wrong). For bank authors:
//! `cargo run -p assay-assessment --example check_bank -- assets/banks/<id>/<version>/bank.toml`

#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool: printing is its job

use std::path::Path;
use std::process::ExitCode;

use assay_assessment::{Bank, CanonicalBank};

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: check_bank PATH/TO/bank.toml");
        return ExitCode::from(2);
    };
    let root = Path::new(&root);
    let dir = root.parent().unwrap_or(Path::new("."));
    let name = root.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    let loaded = Bank::load(&name, |file| std::fs::read_to_string(dir.join(file)));
    match loaded {
        Ok(bank) => {
            let canonical = CanonicalBank::of(bank);
            let bank = &canonical.bank;
            println!("{} ({})", canonical.name(), bank.title);
            println!("sha256 {}", canonical.digest);
            println!(
                "{} pillars, {} areas, {} questions, {} frameworks",
                bank.pillars.len(),
                bank.areas().count(),
                bank.questions.len(),
                bank.frameworks.len()
            );
            for area in bank.areas() {
                let ids: Vec<&str> = bank
                    .questions_in_area(&area.id)
                    .map(|q| q.id.as_str())
                    .collect();
                println!("  {:<6} {}", area.code, ids.join(" "));
            }
            for upgrade in &bank.upgrades {
                println!(
                    "upgrade from {}: {} changes",
                    upgrade.from_version,
                    upgrade.changes.len()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
