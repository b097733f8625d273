//! An assessment as OSCAL assessment results. One result holds the assessment: a finding per
//! question (is its consensus level at its target?), an observation per answer and per tracker
//! indicator of the scope, and a risk per item of the scope's governance register, with its
//! owner as the party responsible for the remediation and its due date as the deadline.
//!
//! Assay assessments follow a question bank, not an OSCAL assessment plan: the bank is cited
//! in the back matter, and `import-ap` points there. `assay oscal catalog` writes the bank as
//! the OSCAL catalog whose control and objective ids the findings name.

use std::collections::BTreeSet;

use assay_assessment::governance::{GovernanceItem, ItemStatus};
use assay_assessment::scoring::{self, Scorecard};
use assay_assessment::{Answer, Assessment, Bank, EvidenceKind, Question, Rating};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::oscal_values::{
    OSCAL_VERSION, Parties, end_of_day, party_uuid, prop, prop_in, props_of, timestamp, uri,
};
use super::text::{markup_line, markup_multiline, token};
use super::{InteropDocument, pretty_json, stable_uuid};
use crate::evidence::ProjectEvidence;
use crate::{Assay, ItemView, Result};

const ASSESSOR: &str = "assessor";
const ACTION_OWNER: &str = "action-owner";
const RISK_ACCEPTOR: &str = "risk-acceptor";

impl Assay {
    /// An assessment as OSCAL assessment results: a finding per question, observations from
    /// its answers and the scope's tracker evidence, and a risk per register item.
    pub fn render_oscal_results(&self, assessment: &str) -> Result<InteropDocument> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let items = self.list_items(Some(&current.scope), false)?;
        let evidence = self.evidence(Some(&current.scope))?;
        let results = Results {
            bank: &bank.bank,
            bank_digest: bank.digest.as_str(),
            assessment: &current,
            card: scoring::score(&bank.bank, &current),
            items: &items,
            evidence: &evidence,
            parties: Parties::default(),
        };
        let (document, id) = results.document(self.clock.now());
        Ok(InteropDocument {
            text: pretty_json(&document),
            kind: format!("OSCAL {OSCAL_VERSION} assessment results"),
            id,
        })
    }
}

struct Results<'a> {
    bank: &'a Bank,
    bank_digest: &'a str,
    assessment: &'a Assessment,
    card: Scorecard,
    items: &'a [ItemView],
    evidence: &'a [ProjectEvidence],
    parties: Parties,
}

impl Results<'_> {
    /// The document and its UUID, which changes with its content and nothing else.
    fn document(mut self, now: DateTime<Utc>) -> (Value, String) {
        for participant in &self.assessment.participants {
            self.parties.add(
                &participant.name,
                Some(format!("Takes part as {}", participant.role)),
            );
        }
        let result = self.result();
        let bank_resource = self.uuid("bank", "");
        let back_matter = json!({"resources": [{
            "uuid": bank_resource,
            "title": markup_line(&format!("Question bank {} {}", self.bank.title, self.bank.version), "Question bank"),
            "props": props_of([
                prop("bank-id", &self.bank.id),
                prop("bank-version", &self.bank.version),
                prop("bank-sha256", self.bank_digest),
            ]),
        }]});
        let mut metadata = json!({
            "title": markup_line(
                &format!("{}: {}", self.assessment.title, self.assessment.scope),
                "Assessment results",
            ),
            "last-modified": timestamp(now),
            "version": timestamp(self.assessment.updated_at),
            "oscal-version": OSCAL_VERSION,
            "roles": [
                {"id": ASSESSOR, "title": "Assessor"},
                {"id": ACTION_OWNER, "title": "Action owner"},
                {"id": RISK_ACCEPTOR, "title": "Risk acceptor"},
            ],
            "props": props_of([prop("scope", &self.assessment.scope), prop("generator", &crate::generator())]),
        });
        let assessors: Vec<String> = self
            .assessment
            .participants
            .iter()
            .map(|p| party_uuid(&p.name))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !assessors.is_empty() {
            metadata["responsible-parties"] =
                json!([{"role-id": ASSESSOR, "party-uuids": assessors}]);
        }
        if !self.parties.list.is_empty() {
            metadata["parties"] = json!(self.parties.list);
        }
        // The document's UUID is derived from what it says (everything but the time it was
        // written), so a changed assessment gets a new one and an unchanged one keeps it.
        let content = pretty_json(&json!([metadata["parties"], result, back_matter]));
        let digest = format!("{:x}", Sha256::digest(content.as_bytes()));
        let id = self.uuid("document", &digest).to_string();
        let document = json!({"assessment-results": {
            "uuid": id,
            "metadata": metadata,
            "import-ap": {
                "href": format!("#{bank_resource}"),
                "remarks": "The assessment followed the question bank in the back matter rather \
                            than an OSCAL assessment plan; `assay oscal catalog` writes that \
                            bank as an OSCAL catalog.",
            },
            "results": [result],
            "back-matter": back_matter,
        }});
        (document, id)
    }

    fn result(&mut self) -> Value {
        let (assessment, bank, items) = (self.assessment, self.bank, self.items);
        let not_applicable: Vec<&Question> = bank
            .questions
            .iter()
            .filter(|q| matches!(rating(assessment, q), Some(Rating::NotApplicable { .. })))
            .collect();
        let mut selection = json!({"include-all": {}});
        if !not_applicable.is_empty() {
            let excluded: Vec<Value> = not_applicable
                .iter()
                .map(|q| json!({"control-id": token(&q.id)}))
                .collect();
            selection["exclude-controls"] = json!(excluded);
            selection["remarks"] = json!(
                "Questions answered not applicable, each with its justification in an observation."
            );
        }
        let indicators = self.indicator_observations();
        let mut observations = self.answer_observations();
        observations.extend(indicators.iter().map(|(o, _)| o.clone()));
        let risks: Vec<Value> = items.iter().map(|i| self.risk(&i.item)).collect();
        let findings: Vec<Value> = bank
            .questions
            .iter()
            .filter(|q| !not_applicable.contains(q))
            .map(|q| self.finding(q, &indicators))
            .collect();
        let mut props: Vec<Option<Value>> = vec![
            prop("assessed-on", &assessment.assessed_on.to_string()),
            prop("bank-id", &self.bank.id),
            prop("bank-version", &self.bank.version),
            prop("bank-sha256", self.bank_digest),
            prop("headline-level", &self.card.headline.level.to_string()),
            prop("headline-name", &self.card.headline.name),
        ];
        for area in &self.card.areas {
            if let Some(mean) = area.score.mean {
                props.push(prop_in(
                    "area-mean",
                    &token(&area.area),
                    &format!("{mean:.2}"),
                ));
            }
        }
        let mut result = json!({
            "uuid": self.uuid("result", ""),
            "title": markup_line(&assessment.title, "Assessment"),
            "description": markup_multiline(&format!(
                "Maturity assessment of {} on {} with the question bank {} {}. Headline level {} \
                 ({}); {} questions answered, {} not applicable, {} without a consensus answer.",
                assessment.scope, assessment.assessed_on, bank.title, bank.version,
                self.card.headline.level, self.card.headline.name, self.card.answered,
                self.card.not_applicable,
                self.card.unanswered,
            ), "Maturity assessment"),
            "start": timestamp(assessment.created_at),
            "end": timestamp(assessment.updated_at.max(assessment.created_at)),
            "props": props_of(props),
            "reviewed-controls": {"control-selections": [selection]},
        });
        for (key, list) in [
            ("observations", observations),
            ("risks", risks),
            ("findings", findings),
        ] {
            if !list.is_empty() {
                result[key] = json!(list);
            }
        }
        result
    }

    /// Is the question's consensus level at its target? Unanswered is not satisfied: nothing
    /// shows that it is. Without a target the level is recorded and nothing falls short.
    fn finding(&self, question: &Question, indicators: &[(Value, Vec<String>)]) -> Value {
        let answer = self.assessment.answers.get(&question.id);
        let level = answer
            .and_then(|a| a.rating.as_ref())
            .and_then(Rating::as_level);
        let target = self.assessment.targets.for_question(question);
        let name = |l: u8| {
            self.bank
                .levels
                .get(usize::from(l))
                .cloned()
                .unwrap_or_default()
        };
        let (state, reason, description) = match (level, target) {
            (None, _) => (
                "not-satisfied",
                "other",
                "No consensus answer was recorded.".to_owned(),
            ),
            (Some(level), None) => (
                "satisfied",
                "other",
                format!(
                    "Consensus level {level} ({}); no target level was set.",
                    name(level.value())
                ),
            ),
            (Some(level), Some(target)) if level >= target => (
                "satisfied",
                "pass",
                format!(
                    "Consensus level {level} ({}) meets the target level {target} ({}).",
                    name(level.value()),
                    name(target.value())
                ),
            ),
            (Some(level), Some(target)) => (
                "not-satisfied",
                "fail",
                format!(
                    "Consensus level {level} ({}) falls {} short of the target level {target} ({}).",
                    name(level.value()),
                    target.value() - level.value(),
                    name(target.value())
                ),
            ),
        };
        let mut props = vec![prop("area", &question.area)];
        if let Some(level) = level {
            props.push(prop("level", &level.to_string()));
        }
        if let Some(target) = target {
            props.push(prop("target-level", &target.to_string()));
        }
        let mut finding = json!({
            "uuid": self.uuid("finding", &question.id),
            "title": markup_line(&format!("{} {}", question.id, question.title), "Question"),
            "description": markup_multiline(&description, "-"),
            "props": props_of(props),
            "target": {
                "type": "objective-id",
                "target-id": format!("{}_obj", token(&question.id)),
                "status": {"state": state, "reason": reason},
            },
        });
        let mut related: Vec<Value> = Vec::new();
        if level.is_some() {
            related.push(json!({"observation-uuid": self.uuid("answer", &question.id)}));
        }
        for (observation, questions) in indicators {
            if questions
                .iter()
                .any(|q| q.eq_ignore_ascii_case(&question.id))
            {
                related.push(json!({"observation-uuid": observation["uuid"]}));
            }
        }
        if !related.is_empty() {
            finding["related-observations"] = json!(related);
        }
        let risks: Vec<Value> = self
            .items
            .iter()
            .filter(|i| {
                i.item
                    .links
                    .questions
                    .iter()
                    .any(|q| q.eq_ignore_ascii_case(&question.id))
            })
            .map(|i| json!({"risk-uuid": self.uuid("risk", &i.item.id)}))
            .collect();
        if !risks.is_empty() {
            finding["related-risks"] = json!(risks);
        }
        finding
    }

    /// One observation per consensus answer (a level, or not applicable with its reason), with
    /// its note and evidence links.
    fn answer_observations(&self) -> Vec<Value> {
        let assessment = self.assessment;
        let mut observations = Vec::new();
        for question in &self.bank.questions {
            let Some(answer) = assessment.answers.get(&question.id) else {
                continue;
            };
            let Some(rating) = &answer.rating else {
                continue;
            };
            let mut text = match rating {
                Rating::Level { level } => format!(
                    "The participants agreed on level {level} ({}).",
                    self.bank
                        .levels
                        .get(usize::from(level.value()))
                        .map_or("", String::as_str)
                ),
                Rating::NotApplicable { justification } => {
                    format!("Answered not applicable: {justification}")
                }
            };
            if let Some(note) = &answer.note {
                text.push_str(&format!("\n\nNote: {note}"));
            }
            let summary = assessment.vote_summary(&question.id);
            let mut props = vec![prop("question", &question.id)];
            if let Some(confidence) = answer.confidence {
                props.push(prop("confidence", confidence.as_str()));
            }
            props.push(prop("votes", &summary.votes.to_string()));
            if summary.dissent {
                props.push(prop("dissent", "true"));
            }
            if let Some(carried) = &answer.carried {
                props.push(prop("carried-from", &carried.assessment));
            }
            let mut observation = json!({
                "uuid": self.uuid("answer", &question.id),
                "title": markup_line(&format!("{} consensus answer", question.id), "Answer"),
                "description": markup_multiline(&text, "-"),
                "props": props_of(props),
                "methods": ["INTERVIEW"],
                "types": ["control-objective"],
                "collected": timestamp(assessment.updated_at),
            });
            let evidence = relevant_evidence(answer);
            if !evidence.is_empty() {
                observation["relevant-evidence"] = json!(evidence);
            }
            observations.push(observation);
        }
        observations
    }

    /// One observation per indicator of the scope's tracker evidence, with the questions it
    /// bears on.
    fn indicator_observations(&self) -> Vec<(Value, Vec<String>)> {
        let mut observations = Vec::new();
        for project in self.evidence {
            let source = &project.source;
            let last = project.imports.last();
            let collected = last.map_or(self.assessment.updated_at, |i| i.finished_at);
            let content_hash = last.map_or_else(String::new, |i| i.content_hash.clone());
            for indicator in &project.indicators {
                let key = format!(
                    "{}\n{}\n{}\n{}",
                    source.tracker.as_str(),
                    source.instance,
                    source.project,
                    indicator.id
                );
                let mut props = vec![prop("tracker", source.tracker.as_str())];
                if let Some(level) = indicator.suggested_level {
                    props.push(prop("suggested-level", &level.to_string()));
                }
                props.extend(indicator.questions.iter().map(|q| prop("question", q)));
                let observation = json!({
                    "uuid": self.uuid("indicator", &key),
                    "title": markup_line(&indicator.title, "Tracker indicator"),
                    "description": markup_multiline(&indicator.basis, "-"),
                    "props": props_of(props),
                    "methods": ["EXAMINE"],
                    "collected": timestamp(collected),
                    "relevant-evidence": [{
                        "description": markup_multiline(&format!(
                            "{} project {} at {}, evidence SHA-256 {content_hash}",
                            source.tracker.as_str(), source.project, source.instance
                        ), "Tracker evidence"),
                    }],
                });
                observations.push((observation, indicator.questions.clone()));
            }
        }
        observations
    }

    /// A register item as a risk: its status, its due date as the deadline, its owner as the
    /// party responsible for the remediation, and an accepted risk's acceptance in the log.
    fn risk(&mut self, item: &GovernanceItem) -> Value {
        let mut statement = format!("Priority {}.", item.priority.as_str());
        if !item.links.questions.is_empty() {
            statement.push_str(&format!(" Addresses {}.", item.links.questions.join(", ")));
        }
        if !item.links.clauses.is_empty() {
            statement.push_str(&format!(" Clauses: {}.", item.links.clauses.join(", ")));
        }
        let status = match item.status {
            ItemStatus::Open => "open",
            ItemStatus::InProgress => "remediating",
            ItemStatus::Done => "closed",
            // OSCAL's word for a risk left in place on purpose.
            ItemStatus::RiskAccepted => "deviation-approved",
        };
        let mut risk = json!({
            "uuid": self.uuid("risk", &item.id),
            "title": markup_line(&item.title, "Register item"),
            "description": markup_multiline(&item.description, &markup_line(&item.title, "-")),
            "statement": markup_multiline(&statement, "-"),
            "props": props_of([prop("item-id", &item.id), prop("priority", item.priority.as_str())]),
            "status": status,
        });
        let deadline = item.due_on.map(end_of_day);
        if let Some(deadline) = &deadline {
            risk["deadline"] = json!(deadline);
        }
        if item.owner.is_some() || deadline.is_some() {
            let mut task = json!({
                "uuid": self.uuid("task", &item.id),
                "type": "action",
                "title": markup_line(&item.title, "Action"),
            });
            if let Some(owner) = &item.owner {
                let party = self.parties.add(owner, None);
                task["responsible-roles"] =
                    json!([{"role-id": ACTION_OWNER, "party-uuids": [party]}]);
            }
            if let Some(deadline) = &deadline {
                task["timing"] = json!({"on-date": {"date": deadline}});
            }
            let mut plan = "The register item's action".to_owned();
            if let Some(owner) = &item.owner {
                plan.push_str(&format!(", owned by {owner}"));
            }
            if let Some(due) = item.due_on {
                plan.push_str(&format!(", due {due}"));
            }
            risk["remediations"] = json!([{
                "uuid": self.uuid("remediation", &item.id),
                "lifecycle": if item.status == ItemStatus::Done { "completed" } else { "planned" },
                "title": markup_line(&item.title, "Remediation"),
                "description": markup_multiline(&format!("{plan}."), "-"),
                "tasks": [task],
            }]);
        }
        if let Some(acceptance) = &item.acceptance {
            let party = self.parties.add(&acceptance.accepted_by, None);
            risk["risk-log"] = json!({"entries": [{
                "uuid": self.uuid("acceptance", &item.id),
                "title": "Risk accepted",
                "description": markup_multiline(&acceptance.reason, "-"),
                "start": timestamp(item.updated_at),
                "logged-by": [{"party-uuid": party, "role-id": RISK_ACCEPTOR}],
                "status-change": status,
            }]});
        }
        let links: Vec<Value> = item
            .evidence
            .iter()
            .filter(|l| l.kind == EvidenceKind::Url)
            .filter_map(|l| {
                let href = uri(&l.target)?;
                Some(json!({"href": href, "text": markup_line(l.label.as_deref().unwrap_or(&l.target), "Evidence")}))
            })
            .collect();
        if !links.is_empty() {
            risk["links"] = json!(links);
        }
        risk
    }

    /// A UUID for one object of this assessment's results, the same in every export.
    fn uuid(&self, kind: &str, key: &str) -> String {
        stable_uuid(&format!(
            "assessment-results\n{}\n{kind}\n{key}",
            self.assessment.id
        ))
        .to_string()
    }
}

fn rating<'a>(assessment: &'a Assessment, question: &Question) -> Option<&'a Rating> {
    assessment
        .answers
        .get(&question.id)
        .and_then(|a| a.rating.as_ref())
}

/// An answer's evidence links: a web link with its address, a file with its path and the
/// SHA-256 recorded when it was linked.
fn relevant_evidence(answer: &Answer) -> Vec<Value> {
    answer
        .evidence
        .iter()
        .map(|link| {
            let shown = match &link.label {
                Some(label) => format!("{label} ({} {})", link.kind.as_str(), link.target),
                None => format!("{} {}", link.kind.as_str(), link.target),
            };
            let mut evidence = json!({"description": markup_multiline(&shown, "Evidence")});
            if link.kind == EvidenceKind::Url
                && let Some(href) = uri(&link.target)
            {
                evidence["href"] = json!(href);
            }
            let digest = link.provenance.as_ref().and_then(|p| p.sha256.as_deref());
            if let Some(prop) = digest.and_then(|d| prop("sha256", d)) {
                evidence["props"] = json!([prop]);
            }
            evidence
        })
        .collect()
}
