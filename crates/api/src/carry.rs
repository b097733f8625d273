//! Carrying an earlier assessment's answers into a new one (`assessment new --from`), with the
//! same bank or across bank versions through the mapping the newer version declares. Every
//! carried answer records where it came from until someone reviews it, so nothing carried looks
//! like a fresh answer in the workshop or the report.

use std::collections::BTreeMap;

use assay_assessment::history::NotComparable;
use assay_assessment::{
    Answer, Assessment, Bank, CanonicalBank, Carried, ChangeKind, Level, Rating, Targets,
};

use crate::{ApiError, Result};

/// How the earlier assessment's questions become the new one's.
pub(crate) enum Carry<'a> {
    /// The same bank: each answer goes to the same question.
    Same,
    /// A newer version of the bank: the mapping it declares from the earlier version.
    Upgrade(&'a assay_assessment::Upgrade),
}

impl<'a> Carry<'a> {
    /// How answers taken with `from` reach `to`; an error when `to` declares no way.
    pub(crate) fn between(from: &CanonicalBank, to: &'a CanonicalBank) -> Result<Carry<'a>> {
        if from.digest == to.digest {
            return Ok(Carry::Same);
        }
        if from.bank.id == to.bank.id
            && let Some(upgrade) = to.bank.upgrade_from(&from.bank.version)
        {
            return Ok(Carry::Upgrade(upgrade));
        }
        Err(ApiError::Invalid(format!(
            "bank {} declares no mapping from {}, so the earlier answers cannot be carried; \
             start without --from, or with a bank that maps {}",
            to.name(),
            from.name(),
            from.name()
        )))
    }

    /// For each question of the new bank, the earlier questions its answer comes from.
    fn sources(&self, earlier: &Assessment, new_bank: &Bank) -> BTreeMap<String, Vec<String>> {
        match self {
            Carry::Same => earlier
                .answers
                .keys()
                .filter(|q| new_bank.question(q).is_some())
                .map(|q| (q.clone(), vec![q.clone()]))
                .collect(),
            Carry::Upgrade(upgrade) => upgrade
                .sources()
                .into_iter()
                .map(|(new, old)| (new.to_owned(), old.into_iter().map(str::to_owned).collect()))
                .collect(),
        }
    }

    fn change_of(&self, sources: &[String]) -> Option<ChangeKind> {
        match self {
            Carry::Same => None,
            Carry::Upgrade(upgrade) => {
                let kinds: Vec<ChangeKind> = sources
                    .iter()
                    .filter_map(|old| upgrade.change_of(old).map(|c| c.kind))
                    .collect();
                // Several changes feeding one question amount to a merge.
                match kinds.as_slice() {
                    [one] => Some(*one),
                    _ => Some(ChangeKind::Merged),
                }
            }
        }
    }

    /// The answers the new assessment starts with, each marked as carried.
    pub(crate) fn answers(
        &self,
        earlier: &Assessment,
        earlier_bank: &CanonicalBank,
        new_bank: &Bank,
    ) -> BTreeMap<String, Answer> {
        let mut carried = BTreeMap::new();
        for (question, sources) in self.sources(earlier, new_bank) {
            let answers: Vec<(&String, &Answer)> = sources
                .iter()
                .filter_map(|old| earlier.answers.get(old).map(|a| (old, a)))
                .collect();
            if answers.is_empty() {
                continue;
            }
            let mut answer = combine(&answers);
            answer.carried = Some(Carried {
                assessment: earlier.id.clone(),
                bank: earlier_bank.name(),
                questions: answers.iter().map(|(q, _)| (*q).clone()).collect(),
                change: self.change_of(&sources),
            });
            carried.insert(question, answer);
        }
        carried
    }

    /// The earlier targets, on the new bank's areas and questions (the highest target of a
    /// question's sources).
    pub(crate) fn targets(&self, earlier: &Assessment, new_bank: &Bank) -> Targets {
        if let Carry::Same = self {
            return earlier.targets.clone();
        }
        let mut targets = Targets {
            default: earlier.targets.default,
            ..Targets::default()
        };
        for (area, level) in &earlier.targets.areas {
            if new_bank.area(area).is_some() {
                targets.areas.insert(area.clone(), *level);
            }
        }
        for (question, sources) in self.sources(earlier, new_bank) {
            let highest: Option<Level> = sources
                .iter()
                .filter_map(|old| earlier.targets.questions.get(old).copied())
                .max();
            if let Some(level) = highest {
                targets.questions.insert(question, level);
            }
        }
        targets
    }
}

/// One answer from the answers of one or more earlier questions: the lowest level (a merged
/// practice is only as mature as its weakest part), N/A only when all were N/A, and the notes
/// and evidence of all of them.
fn combine(answers: &[(&String, &Answer)]) -> Answer {
    if let [(_, only)] = answers {
        return Answer {
            carried: None,
            ..(*only).clone()
        };
    }
    let lowest = answers
        .iter()
        .filter_map(|(_, a)| match &a.rating {
            Some(Rating::Level { level }) => Some(*level),
            _ => None,
        })
        .min();
    let rating = match lowest {
        Some(level) => Some(Rating::level(level)),
        None => {
            let reasons: Vec<String> = answers
                .iter()
                .filter_map(|(q, a)| match &a.rating {
                    Some(Rating::NotApplicable { justification }) => {
                        Some(format!("{q}: {justification}"))
                    }
                    _ => None,
                })
                .collect();
            (!reasons.is_empty()).then(|| Rating::NotApplicable {
                justification: reasons.join("; "),
            })
        }
    };
    let notes: Vec<String> = answers
        .iter()
        .filter_map(|(q, a)| a.note.as_ref().map(|n| format!("{q}: {n}")))
        .collect();
    let mut evidence = Vec::new();
    for (_, answer) in answers {
        for link in &answer.evidence {
            if !evidence.contains(link) {
                evidence.push(link.clone());
            }
        }
    }
    Answer {
        rating,
        note: (!notes.is_empty()).then(|| notes.join("\n")),
        confidence: answers.iter().filter_map(|(_, a)| a.confidence).min(),
        evidence,
        carried: None,
    }
}

impl Carry<'_> {
    /// The earlier assessment as if taken with the newer bank, holding only the answers and
    /// votes that mean the same there (kept or renamed questions), and the questions left out.
    pub(crate) fn comparable(
        &self,
        earlier: &Assessment,
        new_bank: &CanonicalBank,
    ) -> (Assessment, Vec<NotComparable>) {
        let mut projected = earlier.clone();
        projected.bank_id.clone_from(&new_bank.bank.id);
        projected.bank_version.clone_from(&new_bank.bank.version);
        let Carry::Upgrade(upgrade) = self else {
            return (projected, Vec::new());
        };
        let sources = upgrade.sources();
        let mut same: BTreeMap<&str, &str> = BTreeMap::new();
        let mut left_out = Vec::new();
        for question in &new_bank.bank.questions {
            let from = sources.get(question.id.as_str());
            let kinds: Vec<ChangeKind> = from
                .into_iter()
                .flatten()
                .filter_map(|old| upgrade.change_of(old).map(|c| c.kind))
                .collect();
            let reason = match (from.map(Vec::as_slice), kinds.as_slice()) {
                (Some([old]), [ChangeKind::Kept | ChangeKind::Renamed]) => {
                    same.insert(question.id.as_str(), old);
                    continue;
                }
                (None | Some([]), _) => format!("new in {}", new_bank.name()),
                (Some([old]), [ChangeKind::Split]) => {
                    format!("split from {old}, whose answer covered more than this question")
                }
                (Some(olds), _) => format!("merged from {}", olds.join(", ")),
            };
            left_out.push(NotComparable {
                question: question.id.clone(),
                reason,
            });
        }
        projected.answers = same
            .iter()
            .filter_map(|(new, old)| {
                let answer = earlier.answers.get(*old)?;
                Some(((*new).to_owned(), answer.clone()))
            })
            .collect();
        projected.votes = earlier
            .votes
            .iter()
            .filter_map(|vote| {
                let (new, _) = same.iter().find(|(_, old)| **old == vote.question_id)?;
                let mut vote = vote.clone();
                vote.question_id = (*new).to_owned();
                Some(vote)
            })
            .collect();
        projected.targets = self.targets(earlier, &new_bank.bank);
        (projected, left_out)
    }
}
