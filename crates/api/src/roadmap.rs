//! The roadmap to the next headline level (the rule is `assay_assessment::roadmap`), the
//! team's effort estimates, and turning the roadmap into register items.

use std::collections::BTreeMap;

use assay_assessment::governance::{GovernanceItem, ItemStatus};
use assay_assessment::roadmap::{self, Effort, Roadmap};
use assay_assessment::scoring;
use serde::Serialize;

use crate::items::ItemView;
use crate::{ApiError, Assay, Result};

/// A roadmap step left out when raising, because an open item already tracks its question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AlreadyTracked {
    pub question: String,
    pub item_id: String,
    pub item_title: String,
}

/// What turning a roadmap into register items did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoadmapRaised {
    /// New items, in roadmap order.
    pub created: Vec<ItemView>,
    pub already_tracked: Vec<AlreadyTracked>,
}

impl Assay {
    /// The roadmap of an assessment, with the team's effort estimates.
    pub fn roadmap(&self, assessment: &str) -> Result<Roadmap> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let card = scoring::score(&bank.bank, &current);
        let efforts: BTreeMap<String, Effort> = self
            .store
            .roadmap_efforts(&current.id)?
            .into_iter()
            .filter_map(|(q, e)| Some((q, Effort::parse(&e)?)))
            .collect();
        Ok(roadmap::roadmap(&bank.bank, &current, &card, &efforts))
    }

    /// Sets the team's effort estimate for a question (`None`: back to the guess from the
    /// climb); returns the roadmap as it now stands.
    pub fn set_roadmap_effort(
        &mut self,
        assessment: &str,
        question: &str,
        effort: Option<Effort>,
    ) -> Result<Roadmap> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let bank = self.bank_for(&current)?;
        let question = Assay::find_question(&bank.bank, question)?.id.clone();
        self.store.set_roadmap_effort(
            &current.id,
            &question,
            effort.map(Effort::as_str),
            self.clock.now(),
            &self.actor,
        )?;
        self.roadmap(&current.id)
    }

    /// Raises a register item for every roadmap step whose question no open or in-progress
    /// item of the scope already tracks, in roadmap order.
    pub fn raise_roadmap(&mut self, assessment: &str) -> Result<RoadmapRaised> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let map = self.roadmap(&current.id)?;
        let open: Vec<GovernanceItem> = self
            .store
            .list_items(Some(&current.scope))?
            .into_iter()
            .filter(|i| matches!(i.status, ItemStatus::Open | ItemStatus::InProgress))
            .collect();
        let mut raised = RoadmapRaised {
            created: Vec::new(),
            already_tracked: Vec::new(),
        };
        for step in &map.steps {
            if let Some(item) = open
                .iter()
                .find(|i| i.links.questions.contains(&step.question))
            {
                raised.already_tracked.push(AlreadyTracked {
                    question: step.question.clone(),
                    item_id: item.id.clone(),
                    item_title: item.title.clone(),
                });
                continue;
            }
            let draft = roadmap::draft_from_step(&bank.bank, step)
                .ok_or_else(|| ApiError::UnknownQuestion(step.question.clone()))?;
            raised
                .created
                .push(self.raise_draft(&current.scope, &current.id, draft)?);
        }
        Ok(raised)
    }
}
