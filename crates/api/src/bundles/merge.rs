//! Merging two copies of one assessment, e.g. from two facilitators' laptops.
//!
//! The copies share a history up to the point they parted; the events each has that the other
//! lacks say what each side changed since. A thing changed on one side only takes that side's
//! value. A thing changed on both sides to different values is a conflict: ours is kept and the
//! conflict is listed with both values, so nothing is lost silently. Votes are keyed by question
//! and participant, so two rooms' votes add up; a participant known under two ids on the two
//! sides (same name) is one person.

use std::collections::{BTreeMap, HashMap, HashSet};

use assay_store::{AuditEvent, BundleContent};
use serde::Serialize;

use crate::{ApiError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    Assessment,
    Participant,
    Target,
    Answer,
    Vote,
    Item,
}

impl ConflictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Assessment => "assessment",
            ConflictKind::Participant => "participant",
            ConflictKind::Target => "target",
            ConflictKind::Answer => "answer",
            ConflictKind::Vote => "vote",
            ConflictKind::Item => "item",
        }
    }
}

/// Both sides changed the same thing differently; `ours` was kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    /// The question id, `question/participant`, item id, ...
    pub key: String,
    pub ours: serde_json::Value,
    pub theirs: serde_json::Value,
}

/// Merges `theirs` into `ours` (both of the same assessment).
pub fn merge(
    ours: &BundleContent,
    theirs: &BundleContent,
) -> Result<(BundleContent, Vec<Conflict>)> {
    let id = &ours.assessment.id;
    if theirs.assessment.id != *id {
        return Err(ApiError::InvalidBundle(format!(
            "the bundles hold different assessments ({id} and {}); only copies of one \
             assessment can be merged",
            theirs.assessment.id
        )));
    }
    let (a, b) = (&ours.assessment, &theirs.assessment);
    let digests_differ = matches!((&a.bank_digest, &b.bank_digest), (Some(x), Some(y)) if x != y);
    if (&a.bank_id, &a.bank_version) != (&b.bank_id, &b.bank_version) || digests_differ {
        return Err(ApiError::InvalidBundle(format!(
            "the copies were taken with different question banks ({}@{} and {}@{}); only \
             copies taken with the same bank can be merged",
            a.bank_id, a.bank_version, b.bank_id, b.bank_version
        )));
    }
    let mut conflicts = Vec::new();
    let mut merged = ours.clone();
    if merged.assessment.bank_digest.is_none() {
        merged.assessment.bank_digest.clone_from(&b.bank_digest);
    }

    let head_differs = {
        let (a, b) = (&ours.assessment, &theirs.assessment);
        (&a.scope, &a.title, a.assessed_on, a.default_target)
            != (&b.scope, &b.title, b.assessed_on, b.default_target)
    };
    if head_differs {
        conflicts.push(conflict(
            ConflictKind::Assessment,
            id,
            &ours.assessment,
            &theirs.assessment,
        ));
    }
    merged.assessment.updated_at = ours.assessment.updated_at.max(theirs.assessment.updated_at);

    // Their participant ids, mapped onto ours where the same person has another id.
    let mut their_ids: HashMap<String, String> = HashMap::new();
    for person in &theirs.participants {
        let same_id = ours.participants.iter().find(|p| p.id == person.id);
        let same_name = ours.participants.iter().find(|p| p.name == person.name);
        match (same_id, same_name) {
            (Some(mine), _) => {
                if mine != person {
                    conflicts.push(conflict(
                        ConflictKind::Participant,
                        &person.id,
                        mine,
                        person,
                    ));
                }
                their_ids.insert(person.id.clone(), mine.id.clone());
            }
            (None, Some(mine)) => {
                their_ids.insert(person.id.clone(), mine.id.clone());
            }
            (None, None) => {
                their_ids.insert(person.id.clone(), person.id.clone());
                merged.participants.push(person.clone());
            }
        }
    }
    let map_id = |pid: &str| {
        their_ids
            .get(pid)
            .cloned()
            .unwrap_or_else(|| pid.to_owned())
    };

    let (ours_changed, theirs_changed) =
        changed_since_parting(&ours.events, &theirs.events, id, &map_id);
    let side = |key: &str| Side {
        ours: ours_changed.contains(key),
        theirs: theirs_changed.contains(key),
    };

    // Targets carry no events; a differing target is always a conflict.
    let mut targets: BTreeMap<_, _> = ours
        .targets
        .iter()
        .map(|t| ((t.kind, t.scope_id.clone()), t.clone()))
        .collect();
    for target in &theirs.targets {
        let key = (target.kind, target.scope_id.clone());
        match targets.get(&key) {
            None => {
                targets.insert(key, target.clone());
            }
            Some(mine) if mine != target => {
                conflicts.push(conflict(
                    ConflictKind::Target,
                    &target.scope_id,
                    mine,
                    target,
                ));
            }
            Some(_) => {}
        }
    }
    merged.targets = targets.into_values().collect();

    let mut answers: BTreeMap<_, _> = ours
        .answers
        .iter()
        .map(|a| (a.question_id.clone(), a.clone()))
        .collect();
    for answer in &theirs.answers {
        let key = answer.question_id.clone();
        let mine = answers.get(&key).cloned();
        let event_key = format!("{id}/{key}");
        if let Some(pick) = pick(mine.as_ref(), answer, side(&event_key), |a| &a.answer) {
            match pick {
                Pick::Theirs => {
                    answers.insert(key, answer.clone());
                }
                Pick::Conflict(mine) => {
                    conflicts.push(conflict(
                        ConflictKind::Answer,
                        &key,
                        &mine.answer,
                        &answer.answer,
                    ));
                }
            }
        }
    }
    merged.answers = answers.into_values().collect();

    let mut votes: BTreeMap<_, _> = ours
        .votes
        .iter()
        .map(|v| ((v.question_id.clone(), v.participant_id.clone()), v.clone()))
        .collect();
    for vote in &theirs.votes {
        let mut vote = vote.clone();
        vote.participant_id = map_id(&vote.participant_id);
        let key = (vote.question_id.clone(), vote.participant_id.clone());
        let mine = votes.get(&key).cloned();
        let event_key = format!("{id}/{}/{}", key.0, key.1);
        match pick(mine.as_ref(), &vote, side(&event_key), |v| &v.value) {
            Some(Pick::Theirs) => {
                votes.insert(key, vote);
            }
            Some(Pick::Conflict(mine)) => {
                let shown = format!("{}/{}", key.0, key.1);
                conflicts.push(conflict(
                    ConflictKind::Vote,
                    &shown,
                    &mine.value,
                    &vote.value,
                ));
            }
            None => {}
        }
    }
    merged.votes = votes.into_values().collect();

    let mut items: BTreeMap<_, _> = ours
        .items
        .iter()
        .map(|i| (i.id.clone(), i.clone()))
        .collect();
    for item in &theirs.items {
        let mine = items.get(&item.id).cloned();
        match pick(
            mine.as_ref(),
            item,
            side(&format!("item/{}", item.id)),
            |i| i,
        ) {
            Some(Pick::Theirs) => {
                items.insert(item.id.clone(), item.clone());
            }
            Some(Pick::Conflict(mine)) => {
                conflicts.push(conflict(ConflictKind::Item, &item.id, &mine, item));
            }
            None => {}
        }
    }
    merged.items = items.into_values().collect();

    for signoff in &theirs.signoffs {
        if !merged.signoffs.iter().any(|s| s.id == signoff.id) {
            merged.signoffs.push(signoff.clone());
        }
    }
    merged
        .signoffs
        .sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));

    for record in &theirs.evidence {
        let source = &record.snapshot.source;
        match merged
            .evidence
            .iter_mut()
            .find(|r| r.snapshot.source == *source)
        {
            None => merged.evidence.push(record.clone()),
            Some(mine) => {
                // The more recent import's evidence wins; the import logs add up.
                let last =
                    |r: &assay_store::EvidenceRecord| r.imports.iter().map(|i| i.finished_at).max();
                if last(record) > last(mine) {
                    mine.snapshot = record.snapshot.clone();
                }
                for entry in &record.imports {
                    if !mine.imports.contains(entry) {
                        mine.imports.push(entry.clone());
                    }
                }
                mine.imports.sort_by_key(|i| i.finished_at);
            }
        }
    }

    let known: HashSet<&str> = ours.events.iter().map(|e| e.hash.as_str()).collect();
    merged.events.extend(
        theirs
            .events
            .iter()
            .filter(|e| !known.contains(e.hash.as_str()))
            .cloned(),
    );
    Ok((merged, conflicts))
}

#[derive(Debug, Clone, Copy)]
struct Side {
    ours: bool,
    theirs: bool,
}

enum Pick<T> {
    Theirs,
    Conflict(T),
}

/// What to do with their version of one thing: nothing (same, or only ours changed), take
/// theirs (new, or only theirs changed), or a conflict (both changed, or neither did and still
/// they differ: a change the history does not explain).
fn pick<T: Clone, V: PartialEq + ?Sized>(
    mine: Option<&T>,
    theirs: &T,
    side: Side,
    value: impl Fn(&T) -> &V,
) -> Option<Pick<T>> {
    let Some(mine) = mine else {
        return Some(Pick::Theirs);
    };
    if value(mine) == value(theirs) {
        return None;
    }
    match (side.ours, side.theirs) {
        (true, false) => None,
        (false, true) => Some(Pick::Theirs),
        _ => Some(Pick::Conflict(mine.clone())),
    }
}

/// Entity ids each side changed since the two copies parted: those of the events only one side
/// has. Their vote entity ids are mapped onto our participant ids.
fn changed_since_parting(
    ours: &[AuditEvent],
    theirs: &[AuditEvent],
    assessment_id: &str,
    map_id: &impl Fn(&str) -> String,
) -> (HashSet<String>, HashSet<String>) {
    let our_hashes: HashSet<&str> = ours.iter().map(|e| e.hash.as_str()).collect();
    let their_hashes: HashSet<&str> = theirs.iter().map(|e| e.hash.as_str()).collect();
    let ours_changed = ours
        .iter()
        .filter(|e| !their_hashes.contains(e.hash.as_str()))
        .map(|e| e.entity_id.clone())
        .collect();
    let theirs_changed = theirs
        .iter()
        .filter(|e| !our_hashes.contains(e.hash.as_str()))
        .map(|e| {
            if e.entity != "vote" {
                return e.entity_id.clone();
            }
            // assessment/question/participant
            let prefix = format!("{assessment_id}/");
            match e
                .entity_id
                .strip_prefix(&prefix)
                .and_then(|rest| rest.split_once('/'))
            {
                Some((question, participant)) => {
                    format!("{prefix}{question}/{}", map_id(participant))
                }
                None => e.entity_id.clone(),
            }
        })
        .collect();
    (ours_changed, theirs_changed)
}

fn conflict<A: Serialize, B: Serialize>(
    kind: ConflictKind,
    key: &str,
    ours: &A,
    theirs: &B,
) -> Conflict {
    Conflict {
        kind,
        key: key.to_owned(),
        ours: serde_json::to_value(ours).unwrap_or_default(),
        theirs: serde_json::to_value(theirs).unwrap_or_default(),
    }
}
