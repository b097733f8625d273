//! A realistic demo assessment, built through the same actions a user would take.

use assay_assessment::{Confidence, EvidenceKind, EvidenceLink, Level, Rating, Targets, VoteValue};

use assay_assessment::governance::{ItemStatus, StatusChange};

use crate::{AnswerChange, Assay, ItemChange, NewAssessment, NewParticipant, Result};

const PARTICIPANTS: &[(&str, &str)] = &[
    ("Priya Raman", "Facilitator, ML platform lead"),
    ("Tomasz Kowalski", "ML engineer"),
    ("Amara Okafor", "Data scientist"),
    ("Diego Herrera", "Data platform engineer"),
    ("Lena Fischer", "ML auditor, compliance"),
];

/// On contested questions the engineers and the auditor see things differently.
const CONTESTED_LEAN: [i8; 5] = [-1, 2, 0, -1, 1];
const CONTESTED: &[&str] = &["KS-3", "GOV-2", "CICD-2", "OBS-1", "COST-2"];
/// Areas the auditor votes on; elsewhere she observes.
const AUDITOR_AREAS: &[&str] = &[
    "organization-design",
    "knowledge-sharing",
    "scoping",
    "governance",
    "deployment-observability",
];

/// Consensus by area, then the questions that differ from their area.
const AREA_LEVEL: &[(&str, u8)] = &[
    ("organization-design", 2),
    ("project-management", 1),
    ("knowledge-sharing", 2),
    ("scoping", 2),
    ("data-discovery", 2),
    ("model-development", 3),
    ("governance", 1),
    ("data-engineering", 2),
    ("decision-optimization", 1),
    ("cicd-testing", 2),
    ("scaling-reproducibility", 3),
    ("deployment-observability", 2),
    ("cost-time-to-value", 2),
    ("maintainability", 2),
    ("fit-for-purpose", 3),
];
const QUESTION_LEVEL: &[(&str, u8)] = &[
    ("PM-2", 0),
    ("DATA-3", 3),
    ("DEV-3", 4),
    ("SCALE-4", 1),
    ("OBS-3", 3),
    ("CICD-1", 3),
    ("GOV-3", 2),
    ("MAINT-3", 1),
];
const NOT_APPLICABLE: (&str, &str) = (
    "DE-3",
    "Fraud scores are computed in a nightly batch; there is no online feature serving to keep \
     consistent with training.",
);
/// Voted on but parked: the room ran out of time before agreeing.
const PARKED: &str = "FIT-3";

const NOTES: &[(&str, &str)] = &[
    (
        "GOV-2",
        "Fairness metrics exist for the card-present model only; nobody owns reviewing them before a release.",
    ),
    (
        "CICD-2",
        "Pipeline changes are deployed by hand from a runbook after the tests pass.",
    ),
    (
        "OBS-1",
        "Drift dashboards exist, but alerts go to a channel nobody watches at weekends.",
    ),
    (
        "DEV-3",
        "Every training run logs parameters, metrics, commit and dataset digest to MLflow.",
    ),
    (
        "PM-2",
        "Projects are planned in two-week sprints with fixed deliverables, exploration included.",
    ),
];

impl Assay {
    /// Creates the demo assessment "Payments fraud detection" and returns its id.
    pub fn create_demo(&mut self) -> Result<String> {
        let level = |v: u8| Level::saturating(v.into());
        let mut targets = Targets {
            default: Some(level(2)),
            ..Targets::default()
        };
        for area in ["governance", "deployment-observability", "cicd-testing"] {
            targets.areas.insert(area.into(), level(3));
        }
        targets.questions.insert("GOV-2".into(), level(4));
        let assessment = self.create_assessment(NewAssessment {
            scope: "Payments fraud detection".into(),
            title: "Quarterly MLOps maturity review".into(),
            assessed_on: None,
            participants: PARTICIPANTS
                .iter()
                .map(|(name, role)| NewParticipant {
                    name: (*name).into(),
                    role: (*role).into(),
                })
                .collect(),
            targets,
            start_from: None,
            // The demo's answers name this bank's questions.
            bank: Some("assay-mlops@1.0.0".into()),
        })?;
        let id = assessment.id;

        let questions: Vec<(String, String)> = self
            .assessment_bank(&id)?
            .bank
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.area.clone()))
            .collect();
        for (number, (question, area)) in questions.iter().enumerate() {
            let consensus = QUESTION_LEVEL
                .iter()
                .chain(AREA_LEVEL)
                .find(|(key, _)| key == question || key == area)
                .map_or(2, |(_, v)| *v);
            let auditor_votes = AUDITOR_AREAS.contains(&area.as_str());
            let lean = |index: usize| -> i8 {
                if CONTESTED.contains(&question.as_str()) {
                    return CONTESTED_LEAN[index];
                }
                // Elsewhere the room mostly agrees: one or two people a level apart, in one
                // direction, so the median stays on the consensus.
                let direction = if auditor_votes && number.is_multiple_of(3) {
                    -1
                } else {
                    1
                };
                if (index + number).is_multiple_of(3) {
                    direction
                } else {
                    0
                }
            };
            for (index, (name, _)) in PARTICIPANTS.iter().enumerate() {
                let auditor = index == PARTICIPANTS.len() - 1;
                if auditor && !auditor_votes {
                    continue;
                }
                let value = if question == NOT_APPLICABLE.0 && index != 3 {
                    VoteValue::NotApplicable
                } else {
                    VoteValue::Level(Level::saturating(
                        i64::from(consensus) + i64::from(lean(index)),
                    ))
                };
                self.cast_vote(&id, question, name, value)?;
            }
            if question == PARKED {
                continue;
            }
            let rating = if question == NOT_APPLICABLE.0 {
                Rating::not_applicable(NOT_APPLICABLE.1)?
            } else {
                Rating::level(level(consensus))
            };
            let note = NOTES
                .iter()
                .find(|(q, _)| q == question)
                .map(|(_, n)| (*n).to_owned());
            let confidence = match consensus {
                _ if CONTESTED.contains(&question.as_str()) => Confidence::Low,
                0 | 4 => Confidence::High,
                _ => Confidence::Medium,
            };
            self.update_answer(
                &id,
                question,
                AnswerChange {
                    rating: Some(rating),
                    note,
                    confidence: Some(confidence),
                    ..AnswerChange::default()
                },
            )?;
        }

        let links = [
            (
                "DEV-3",
                EvidenceKind::Url,
                "https://mlflow.payments.example.com/#/experiments/12",
                "MLflow experiment: fraud-gbm",
            ),
            (
                "SCALE-1",
                EvidenceKind::Url,
                "https://git.payments.example.com/ml/fraud/-/blob/main/docs/pipelines/training-dag.md",
                "Training DAG description",
            ),
            (
                "GOV-3",
                EvidenceKind::Url,
                "https://wiki.payments.example.com/models/fraud-gbm/model-card",
                "Model card v3",
            ),
        ];
        for (question, kind, target, label) in links {
            let link = EvidenceLink {
                kind,
                target: target.into(),
                label: Some(label.into()),
                as_of: None,
                provenance: None,
            };
            self.update_answer(
                &id,
                question,
                AnswerChange {
                    add_evidence: vec![link],
                    ..AnswerChange::default()
                },
            )?;
        }
        self.demo_register(&id)?;
        Ok(id)
    }

    /// Register items the workshop raised: two from gaps with owners and due dates, one risk
    /// accepted by the facilitator.
    fn demo_register(&mut self, id: &str) -> Result<()> {
        let today = self.clock.now().date_naive();
        let owners = [
            ("GOV-2", "Lena Fischer", 60),
            ("CICD-2", "Tomasz Kowalski", 30),
        ];
        for (question, owner, days) in owners {
            let item = self.item_from_gap(id, question)?.item;
            self.update_item(
                &item.id,
                ItemChange {
                    owner: Some(owner.into()),
                    due_on: Some(today.checked_add_days(chrono::Days::new(days))),
                    status: Some(StatusChange::To(ItemStatus::InProgress)),
                    ..ItemChange::default()
                },
            )?;
        }
        let accepted = self.item_from_gap(id, "PM-2")?.item;
        self.update_item(
            &accepted.id,
            ItemChange {
                status: Some(StatusChange::AcceptRisk {
                    accepted_by: "Priya Raman".into(),
                    reason: "Sprint planning is set by the payments programme until the \
                             platform migration ends; revisit next quarter."
                        .into(),
                }),
                ..ItemChange::default()
            },
        )?;
        Ok(())
    }
}
