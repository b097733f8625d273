//! What a bundle must satisfy before anything of it is written: unique ids, references that
//! resolve, known questions, events whose hashes match, and text within the usual limits.

use std::collections::HashSet;

use assay_assessment::{Bank, Rating};
use assay_store::BundleContent;

use crate::actions::{MAX_LONG_TEXT, MAX_SHORT_TEXT, check_text};
use crate::{ApiError, Result};

/// More entries than this in any one list is not an assessment but an attack on memory.
const MAX_ENTRIES: usize = 100_000;

pub(crate) fn check_content(content: &BundleContent, bank: &Bank) -> Result<()> {
    let head = &content.assessment;
    id_text(&head.id, "assessment id")?;
    short(&head.scope, "scope")?;
    short(&head.title, "title")?;
    for (what, len) in [
        ("participants", content.participants.len()),
        ("targets", content.targets.len()),
        ("answers", content.answers.len()),
        ("votes", content.votes.len()),
        ("items", content.items.len()),
        ("sign-offs", content.signoffs.len()),
        ("events", content.events.len()),
    ] {
        if len > MAX_ENTRIES {
            return Err(invalid(format!(
                "it lists {len} {what}; at most {MAX_ENTRIES} are accepted"
            )));
        }
    }

    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for participant in &content.participants {
        id_text(&participant.id, "participant id")?;
        short(&participant.name, "participant name")?;
        short(&participant.role, "participant role")?;
        unique(&mut ids, participant.id.clone(), "participant id")?;
        unique(&mut names, participant.name.clone(), "participant name")?;
    }

    let known_question = |id: &str| bank.questions.iter().any(|q| q.id == id);
    let mut seen = HashSet::new();
    for target in &content.targets {
        let known = match target.kind {
            assay_store::TargetKind::Area => bank
                .pillars
                .iter()
                .any(|p| p.areas.iter().any(|a| a.id == target.scope_id)),
            assay_store::TargetKind::Question => known_question(&target.scope_id),
        };
        if !known {
            return Err(invalid(format!(
                "a target names `{}`, which is not in the question bank",
                clip(&target.scope_id)
            )));
        }
        unique(
            &mut seen,
            format!("{:?}/{}", target.kind, target.scope_id),
            "target",
        )?;
    }

    let mut seen = HashSet::new();
    for record in &content.answers {
        if !known_question(&record.question_id) {
            return Err(ApiError::UnknownQuestion(clip(&record.question_id)));
        }
        unique(&mut seen, record.question_id.clone(), "answer to question")?;
        let answer = &record.answer;
        if let Some(Rating::NotApplicable { justification }) = &answer.rating {
            if justification.trim().is_empty() {
                return Err(invalid(format!(
                    "the N/A answer to {} has no justification",
                    record.question_id
                )));
            }
            long(justification, "justification")?;
        }
        if let Some(note) = &answer.note {
            long(note, "note")?;
        }
        for link in &answer.evidence {
            long(&link.target, "evidence reference")?;
            link.check_target().map_err(|e| invalid(e.to_string()))?;
            if let Some(label) = &link.label {
                short(label, "evidence label")?;
            }
        }
    }

    let mut seen = HashSet::new();
    for vote in &content.votes {
        if !known_question(&vote.question_id) {
            return Err(ApiError::UnknownQuestion(clip(&vote.question_id)));
        }
        if !ids.contains(&vote.participant_id) {
            return Err(invalid(format!(
                "a vote on {} is by `{}`, who is not among the participants",
                vote.question_id,
                clip(&vote.participant_id)
            )));
        }
        unique(
            &mut seen,
            format!("{}/{}", vote.question_id, vote.participant_id),
            "vote",
        )?;
    }

    let mut seen = HashSet::new();
    for item in &content.items {
        id_text(&item.id, "item id")?;
        unique(&mut seen, item.id.clone(), "item id")?;
        short(&item.title, "item title")?;
        long(&item.description, "item description")?;
        short(&item.scope, "item scope")?;
        if item.assessment_id.as_deref() != Some(head.id.as_str()) {
            return Err(invalid(format!(
                "item {} belongs to another assessment",
                clip(&item.id)
            )));
        }
        if let Some(owner) = &item.owner {
            short(owner, "item owner")?;
        }
        if let Some(acceptance) = &item.acceptance {
            short(&acceptance.accepted_by, "name of who accepted the risk")?;
            long(&acceptance.reason, "reason for accepting the risk")?;
        }
        for link in &item.evidence {
            long(&link.target, "evidence reference")?;
            link.check_target().map_err(|e| invalid(e.to_string()))?;
            if let Some(label) = &link.label {
                short(label, "evidence label")?;
            }
        }
    }

    let mut seen = HashSet::new();
    for signoff in &content.signoffs {
        id_text(&signoff.id, "sign-off id")?;
        unique(&mut seen, signoff.id.clone(), "sign-off id")?;
        if signoff.assessment_id != head.id {
            return Err(invalid(format!(
                "sign-off {} belongs to another assessment",
                clip(&signoff.id)
            )));
        }
        short(&signoff.name, "sign-off name")?;
        short(&signoff.role, "sign-off role")?;
        long(&signoff.comment, "sign-off comment")?;
    }

    let mut seen = HashSet::new();
    for record in &content.evidence {
        let snapshot = &record.snapshot;
        let source = &snapshot.source;
        long(&source.instance, "tracker URL")?;
        long(&source.project, "tracker project")?;
        unique(&mut seen, format!("{source:?}"), "tracker project")?;
        let sizes = [
            snapshot.datasets.len(),
            snapshot.runs.len(),
            snapshot.model_versions.len(),
            snapshot.edges.len(),
            snapshot.bias.len(),
            record.imports.len(),
        ];
        if sizes.iter().any(|n| *n > MAX_ENTRIES) {
            return Err(invalid(format!(
                "the evidence of {} lists more than {MAX_ENTRIES} entries",
                clip(&source.project)
            )));
        }
    }

    let mut seen = HashSet::new();
    for event in &content.events {
        unique(&mut seen, event.hash.clone(), "event hash")?;
        if !event.hash_matches() {
            return Err(invalid(format!(
                "history event {} ({} {}) does not match its hash (it was altered)",
                event.seq,
                clip(&event.entity),
                clip(&event.entity_id)
            )));
        }
    }
    Ok(())
}

fn unique(seen: &mut HashSet<String>, key: String, what: &str) -> Result<()> {
    if seen.contains(&key) {
        return Err(invalid(format!("{what} `{}` appears twice", clip(&key))));
    }
    seen.insert(key);
    Ok(())
}

fn id_text(value: &str, what: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "{what} `{}` is not a valid id",
            clip(value)
        )))
    }
}

fn short(value: &str, what: &str) -> Result<()> {
    check_text(value, what, MAX_SHORT_TEXT).map_err(|e| invalid(e.to_string()))
}

fn long(value: &str, what: &str) -> Result<()> {
    check_text(value, what, MAX_LONG_TEXT).map_err(|e| invalid(e.to_string()))
}

/// Hostile ids can be huge; quote only their start.
fn clip(value: &str) -> String {
    let mut clipped: String = value.chars().take(40).collect();
    if clipped.len() < value.len() {
        clipped.push('…');
    }
    clipped
}

fn invalid(reason: String) -> ApiError {
    ApiError::InvalidBundle(reason)
}
