//! `assay bundle ...`: moving assessments between machines and merging copies.

use assay_api::{ApiError, Assay, Conflict};

use crate::args::BundleCommand;
use crate::output::Output;

pub fn run(assay: &mut Assay, command: BundleCommand, out: &mut Output) -> Result<(), ApiError> {
    match command {
        BundleCommand::Export {
            assessment,
            out: file,
        } => {
            let bundle = assay.export_bundle_file(&assessment, &file)?;
            out.line(&format!(
                "Wrote {} ({} answers, {} votes, {} items, {} history events; sha256 {})",
                file.display(),
                bundle.content.answers.len(),
                bundle.content.votes.len(),
                bundle.content.items.len(),
                bundle.content.events.len(),
                bundle.content_hash
            ))
        }
        BundleCommand::Import { file, json } => {
            let outcome = assay.import_bundle_file(&file)?;
            if json {
                return out.json(&outcome);
            }
            let verb = match outcome.mode {
                assay_api::store::ImportMode::New => "Imported",
                assay_api::store::ImportMode::Merge => "Merged into",
            };
            out.line(&format!(
                "{verb} assessment {}: {} participants, {} answers, {} votes, {} items",
                outcome.assessment_id,
                outcome.participants,
                outcome.answers,
                outcome.votes,
                outcome.items
            ))?;
            conflicts(out, &outcome.conflicts, "this database's")
        }
        BundleCommand::Merge {
            ours,
            theirs,
            out: file,
            json,
        } => {
            let merged = assay.merge_bundle_files(&ours, &theirs)?;
            assay_api::write_bundle(&file, &merged.bundle)?;
            if json {
                return out.json(&merged.conflicts);
            }
            out.line(&format!(
                "Wrote {} ({} votes; sha256 {})",
                file.display(),
                merged.bundle.content.votes.len(),
                merged.bundle.content_hash
            ))?;
            conflicts(out, &merged.conflicts, "the first bundle's")
        }
    }
}

fn conflicts(out: &mut Output, conflicts: &[Conflict], kept: &str) -> Result<(), ApiError> {
    if conflicts.is_empty() {
        return out.line("No conflicts.");
    }
    out.line(&format!(
        "{} conflicts (both sides changed the same thing; {kept} value was kept):",
        conflicts.len()
    ))?;
    for conflict in conflicts {
        out.line(&format!(
            "  {} {}: kept {}, other side had {}",
            conflict.kind.as_str(),
            conflict.key,
            conflict.ours,
            conflict.theirs
        ))?;
    }
    Ok(())
}
