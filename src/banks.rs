//! `assay bank ...`: listing, showing, importing and exporting question banks.

use assay_api::{ApiError, Assay, BankSummary};

use crate::args::BankCommand;
use crate::output::Output;

pub fn run(assay: &mut Assay, command: BankCommand, out: &mut Output) -> Result<(), ApiError> {
    match command {
        BankCommand::List { json } => {
            let banks = assay.banks()?;
            if json {
                return out.json(&banks);
            }
            for bank in &banks {
                out.line(&listing(bank))?;
            }
            Ok(())
        }
        BankCommand::Show { bank, .. } => {
            let bank = match bank {
                Some(name) => assay.find_bank(&name)?,
                None => {
                    assay.find_bank(&format!("{}@{}", assay.bank().id, assay.bank().version))?
                }
            };
            out.bank(&bank.bank)
        }
        BankCommand::Import { file } => {
            let bank = assay.import_bank(&file)?;
            out.line(&format!(
                "stored {}@{} ({} questions; SHA-256 {})",
                bank.id, bank.version, bank.questions, bank.digest
            ))
        }
        BankCommand::Export { bank, output } => {
            assay.export_bank(&bank, &output)?;
            let found = assay.find_bank(&bank)?;
            out.line(&format!(
                "wrote {} ({}; SHA-256 {})",
                output.display(),
                found.name(),
                found.digest
            ))
        }
    }
}

fn listing(bank: &BankSummary) -> String {
    let mut marks = vec![bank.origin.clone()];
    if bank.is_default {
        marks.push("default".into());
    }
    if !bank.upgrades_from.is_empty() {
        marks.push(format!(
            "takes answers from {}",
            bank.upgrades_from.join(", ")
        ));
    }
    format!(
        "{}@{:<8} {:<44} {:>3} questions  {:>2} assessments  {}  [{}]",
        bank.id,
        bank.version,
        bank.title,
        bank.questions,
        bank.assessments,
        &bank.digest[..bank.digest.len().min(12)],
        marks.join(", ")
    )
}
