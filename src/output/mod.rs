//! What the CLI prints: plain text for people, or JSON with `--json`.
//!
//! Write errors are ignored on purpose: when stdout is closed (`assay bank | head`) there is
//! nobody left to tell.

use std::io::{BufWriter, Stdout, Write};

use assay_api::{ApiError, AssessmentSummary, ItemView, SignoffView};
use assay_assessment::history::NoteToReview;
use assay_assessment::scoring::{Scorecard, Summary, method_in_words};
use assay_assessment::{Answer, Assessment, Bank, Rating, VoteSummary, VoteValue};
use serde::Serialize;

pub struct Output {
    json: bool,
    out: BufWriter<Stdout>,
}

type Done = Result<(), ApiError>;

macro_rules! say {
    ($out:expr) => { let _ = writeln!($out.out); };
    ($out:expr, $($arg:tt)*) => { let _ = writeln!($out.out, $($arg)*); };
}

mod files;
mod history;
mod roadmap;
mod soa;
mod verify;

pub use verify::{
    audit_trail, bundle_against_database, bundle_intact, report_against_database, verified_document,
};

impl Output {
    pub fn stdout(json: bool) -> Output {
        Output {
            json,
            out: BufWriter::new(std::io::stdout()),
        }
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    pub fn line(&mut self, text: &str) -> Done {
        say!(self, "{text}");
        Ok(())
    }

    pub fn json(&mut self, value: &impl Serialize) -> Done {
        let _ = serde_json::to_writer_pretty(&mut self.out, value);
        say!(self);
        Ok(())
    }

    pub fn bank(&mut self, bank: &Bank) -> Done {
        if self.json {
            return self.json(bank);
        }
        say!(
            self,
            "{} {} ({}): {} questions",
            bank.title,
            bank.version,
            bank.id,
            bank.questions.len()
        );
        for pillar in &bank.pillars {
            say!(self, "\n{}", pillar.name.to_uppercase());
            for area in &pillar.areas {
                say!(self, "  {} [{}]", area.name, area.id);
                for question in bank.questions_in_area(&area.id) {
                    say!(self, "    {:<8} {}", question.id, question.title);
                }
            }
        }
        say!(self, "\nLevels: {}", numbered(&bank.levels));
        say!(
            self,
            "Crosswalk catalogues: {}",
            bank.frameworks
                .iter()
                .map(|f| format!("{} ({} clauses)", f.name, f.clauses.len()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(())
    }

    pub fn assessment_list(&mut self, list: &[AssessmentSummary]) -> Done {
        if self.json {
            return self.json(&list);
        }
        if list.is_empty() {
            say!(
                self,
                "No assessments yet: `assay assessment new --scope NAME` or `assay demo` creates one."
            );
            return Ok(());
        }
        let mut scope = None;
        for item in list {
            if scope != Some(&item.scope) {
                say!(self, "{}", item.scope);
                scope = Some(&item.scope);
            }
            let level = item
                .headline_level
                .map_or("-".to_owned(), |l| l.to_string());
            say!(
                self,
                "  {}  {}  level {}  {}/{} answered  {} participants  {}",
                item.id,
                item.assessed_on,
                level,
                item.answered,
                item.questions,
                item.participants,
                item.title
            );
        }
        Ok(())
    }

    fn title(&mut self, assessment: &Assessment) {
        say!(
            self,
            "{}: {} ({})",
            assessment.scope,
            assessment.title,
            assessment.assessed_on
        );
    }

    /// `reviews`: notes unchanged since the previous assessment while their level changed.
    pub fn assessment(
        &mut self,
        bank: &Bank,
        assessment: &Assessment,
        reviews: &[NoteToReview],
    ) -> Done {
        if self.json {
            return self.json(assessment);
        }
        self.title(assessment);
        say!(
            self,
            "id {}  bank {} {}",
            assessment.id,
            assessment.bank_id,
            assessment.bank_version
        );
        say!(self, "Participants:");
        for p in &assessment.participants {
            say!(self, "  {} ({})", p.name, p.role);
        }
        for question in &bank.questions {
            let answer = assessment.answers.get(&question.id);
            let summary = assessment.vote_summary(&question.id);
            let consensus = answer
                .and_then(|a| a.rating.as_ref())
                .map_or("unanswered".to_owned(), rating_text);
            let target = assessment
                .targets
                .for_question(question)
                .map_or(String::new(), |t| format!("  target {t}"));
            let dissent = if summary.dissent { "  DISSENT" } else { "" };
            say!(
                self,
                "\n{:<8} {}: {consensus}{target}{dissent}",
                question.id,
                question.title
            );
            let votes: Vec<String> = assessment
                .votes_on(&question.id)
                .map(|v| {
                    let name = assessment
                        .participant(&v.participant_id)
                        .map_or("?", |p| p.name.as_str());
                    format!("{name} {}", vote_text(v.value))
                })
                .collect();
            if !votes.is_empty() {
                say!(self, "         votes: {}", votes.join(", "));
            }
            if let Some(answer) = answer {
                self.answer_details(answer);
            }
            if let Some(review) = reviews.iter().find(|r| r.question == question.id) {
                say!(self, "         NOTE TO REVIEW: {}", review.message);
            }
        }
        Ok(())
    }

    fn answer_details(&mut self, answer: &Answer) {
        if let Some(carried) = &answer.carried {
            let how = carried
                .change
                .map_or(String::new(), |c| format!(", {}", c.label()));
            say!(
                self,
                "         carried from {} ({} {}{how}); not reviewed yet: `assay answer --confirm` keeps it",
                carried.assessment,
                carried.bank,
                carried.questions.join(", ")
            );
        }
        if let Some(confidence) = answer.confidence {
            say!(self, "         confidence: {}", confidence.as_str());
        }
        if let Some(note) = &answer.note {
            say!(self, "         note: {note}");
        }
        for link in &answer.evidence {
            let label = link
                .label
                .as_deref()
                .map_or(String::new(), |l| format!("{l}: "));
            say!(
                self,
                "         evidence ({}): {label}{}",
                link.kind.as_str(),
                link.target
            );
        }
    }

    pub fn items(&mut self, items: &[ItemView]) -> Done {
        if self.json {
            return self.json(&items);
        }
        if items.is_empty() {
            say!(self, "No governance items.");
            return Ok(());
        }
        let mut scope = None;
        for view in items {
            let item = &view.item;
            if scope != Some(&item.scope) {
                say!(self, "{}", item.scope);
                scope = Some(&item.scope);
            }
            let due = item
                .due_on
                .map_or("no due date".to_owned(), |d| format!("due {d}"));
            let overdue = if view.overdue { "  OVERDUE" } else { "" };
            let owner = item.owner.as_deref().unwrap_or("no owner");
            say!(
                self,
                "  {}  {:<13} {:<8} {due}{overdue}  {owner}  {}",
                &item.id[..8.min(item.id.len())],
                item.status.as_str(),
                item.priority.as_str(),
                item.title
            );
        }
        Ok(())
    }

    pub fn item(&mut self, view: &ItemView) -> Done {
        if self.json {
            return self.json(view);
        }
        let item = &view.item;
        say!(self, "{} ({})", item.title, item.id);
        say!(
            self,
            "scope {}  status {}  priority {}",
            item.scope,
            item.status.as_str(),
            item.priority.as_str()
        );
        say!(
            self,
            "owner {}  due {}{}",
            item.owner.as_deref().unwrap_or("-"),
            item.due_on.map_or("-".to_owned(), |d| d.to_string()),
            if view.overdue { "  OVERDUE" } else { "" }
        );
        if let Some(acceptance) = &item.acceptance {
            say!(
                self,
                "risk accepted by {}: {}",
                acceptance.accepted_by,
                acceptance.reason
            );
        }
        if !item.description.is_empty() {
            say!(self, "{}", item.description);
        }
        let links = &item.links;
        if !links.questions.is_empty() {
            say!(
                self,
                "questions: {}  areas: {}",
                links.questions.join(", "),
                links.areas.join(", ")
            );
            say!(self, "clauses: {}", links.clauses.join(", "));
        }
        for link in &item.evidence {
            say!(self, "evidence ({}): {}", link.kind.as_str(), link.target);
        }
        Ok(())
    }

    pub fn signoffs(&mut self, signoffs: &[SignoffView]) -> Done {
        if self.json {
            return self.json(&signoffs);
        }
        if signoffs.is_empty() {
            say!(self, "No sign-offs.");
        }
        for view in signoffs {
            let s = &view.signoff;
            let stale = if view.stale {
                "  STALE: the data changed since"
            } else {
                ""
            };
            say!(
                self,
                "{}  {} ({})  {}{stale}",
                s.signed_on,
                s.name,
                s.role,
                s.decision.as_str()
            );
            if !s.comment.is_empty() {
                say!(self, "    {}", s.comment);
            }
        }
        Ok(())
    }

    pub fn vote_summary(&mut self, summary: &VoteSummary) -> Done {
        let suggested = summary
            .suggested
            .map_or("none".to_owned(), |l| l.to_string());
        let dissent = if summary.dissent {
            "; dissent: votes spread 2 or more levels"
        } else {
            ""
        };
        say!(
            self,
            "vote saved; {} votes, suggested consensus {suggested}{dissent}",
            summary.votes
        );
        Ok(())
    }

    pub fn answer(&mut self, question: &str, answer: &Answer) -> Done {
        let consensus = answer
            .rating
            .as_ref()
            .map_or("unanswered".to_owned(), rating_text);
        say!(self, "{}: {consensus}", question.to_ascii_uppercase());
        self.answer_details(answer);
        Ok(())
    }

    pub fn scorecard(&mut self, bank: &Bank, assessment: &Assessment, card: &Scorecard) -> Done {
        if self.json {
            return self.json(card);
        }
        self.title(assessment);
        let scale = bank.headline.scale.as_deref().unwrap_or("MLOps");
        say!(
            self,
            "Headline: {scale} level {} - {}",
            card.headline.level,
            card.headline.name
        );
        for check in &card.headline.checks {
            if check.met {
                say!(
                    self,
                    "  level {} ({}): named questions at level {} or above",
                    check.level,
                    check.name,
                    bank.headline.threshold
                );
            } else {
                let blockers: Vec<String> = check
                    .blockers
                    .iter()
                    .map(|b| match b.level {
                        Some(level) => format!("{} at {level}", b.question),
                        None => format!("{} unanswered", b.question),
                    })
                    .collect();
                let why = if blockers.is_empty() {
                    "every named question is N/A".to_owned()
                } else {
                    blockers.join(", ")
                };
                say!(
                    self,
                    "  level {} ({}): not met; {why}",
                    check.level,
                    check.name
                );
            }
        }
        let weakest = card
            .weakest_area
            .as_ref()
            .and_then(|id| card.areas.iter().find(|a| &a.area == id));
        say!(
            self,
            "Overall: {}{}",
            summary_text(card.overall),
            weakest.map_or(String::new(), |a| format!(" (weakest: {})", a.name))
        );
        for pillar in &card.pillars {
            say!(
                self,
                "\n{:<52} {}",
                pillar.name.to_uppercase(),
                summary_text(pillar.score)
            );
            for area in card.areas.iter().filter(|a| a.pillar == pillar.pillar) {
                let target = area
                    .target
                    .map_or(String::new(), |t| format!("  target {t}"));
                let below = if area.below_target() {
                    "  below target"
                } else {
                    ""
                };
                say!(
                    self,
                    "  {:<50} {}{target}{below}",
                    area.name,
                    summary_text(area.score)
                );
            }
        }
        if !card.gaps.is_empty() {
            say!(self, "\nGaps against targets (largest first):");
            for gap in &card.gaps {
                let title = bank
                    .question(&gap.question)
                    .map_or("", |q| q.title.as_str());
                say!(
                    self,
                    "  {:<8} {:<44} level {} -> target {}  (gap {})",
                    gap.question,
                    title,
                    gap.level,
                    gap.target,
                    gap.size
                );
            }
        }
        if !card.dissent.is_empty() {
            say!(
                self,
                "\nDissent (votes spread 2 or more levels): {}",
                card.dissent.join(", ")
            );
        }
        say!(
            self,
            "\nAnswered {}, N/A {}, unanswered {} of {} questions.",
            card.answered,
            card.not_applicable,
            card.unanswered,
            bank.questions.len()
        );
        say!(self, "\nHow this is scored:");
        for paragraph in method_in_words(bank) {
            say!(self, "  {paragraph}");
        }
        Ok(())
    }
}

fn numbered(names: &[String]) -> String {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{i} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary_text(summary: Summary) -> String {
    match (summary.mean, summary.min) {
        (Some(mean), Some(min)) => format!("mean {mean:.2}  min {min:.2}"),
        _ => "not scored".to_owned(),
    }
}

fn rating_text(rating: &Rating) -> String {
    match rating {
        Rating::Level { level } => format!("level {level}"),
        Rating::NotApplicable { justification } => format!("N/A ({justification})"),
    }
}

fn vote_text(value: VoteValue) -> String {
    match value {
        VoteValue::Level(level) => level.to_string(),
        VoteValue::NotApplicable => "N/A".to_owned(),
    }
}
