//! Governance register actions: create an item (by hand or from a gap), list, show, update.

use assay_assessment::EvidenceLink;
use assay_assessment::governance::{
    self, GovernanceItem, ItemDraft, ItemLinks, ItemStatus, Priority, StatusChange,
};
use assay_assessment::scoring;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::actions::{
    MAX_LONG_TEXT, MAX_SHORT_TEXT, check_text, optional_long_text, resolve_prefix, short_text,
};
use crate::{ApiError, Assay, Result};

#[derive(Debug, Clone, Default)]
pub struct NewItem {
    pub scope: String,
    pub title: String,
    pub description: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Defaults to medium.
    pub priority: Option<Priority>,
    pub questions: Vec<String>,
    /// The assessment the item is raised in (its scope wins over `scope`).
    pub assessment: Option<String>,
}

/// A partial update: fields left `None` keep their value.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(default)]
pub struct ItemChange {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `Some("")` clears the owner.
    pub owner: Option<String>,
    /// In JSON: absent keeps the due date, `null` clears it.
    #[serde(deserialize_with = "present")]
    #[cfg_attr(feature = "ts", ts(as = "Option<NaiveDate>", optional = nullable))]
    pub due_on: Option<Option<NaiveDate>>,
    pub priority: Option<Priority>,
    pub status: Option<StatusChange>,
    /// Only accepted when the item is (or becomes) done.
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<EvidenceLink>>", optional))]
    pub add_evidence: Vec<EvidenceLink>,
}

/// An item as shown to the user: with whether it is overdue today (by the clock).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemView {
    #[serde(flatten)]
    pub item: GovernanceItem,
    pub overdue: bool,
}

impl Assay {
    pub fn create_item(&mut self, new: NewItem) -> Result<ItemView> {
        let now = self.clock.now();
        let (scope, assessment_id, bank) = match &new.assessment {
            Some(id) => {
                let assessment = self.assessment(id)?;
                let bank = self.bank_for(&assessment)?;
                (assessment.scope, Some(assessment.id), bank)
            }
            None => (short_text(&new.scope, "scope")?, None, self.default_bank()),
        };
        let mut links = ItemLinks::default();
        for question in &new.questions {
            let question = Assay::find_question(&bank.bank, question)?;
            links.questions.push(question.id.clone());
            if !links.areas.contains(&question.area) {
                links.areas.push(question.area.clone());
            }
            for clause in question.crosswalk.values().flatten() {
                if !links.clauses.contains(clause) {
                    links.clauses.push(clause.clone());
                }
            }
        }
        let item = GovernanceItem {
            id: self.ids.next_id(),
            scope,
            assessment_id,
            title: short_text(&new.title, "title")?,
            description: optional_long_text(&new.description, "description")?.unwrap_or_default(),
            links,
            owner: new
                .owner
                .as_deref()
                .map(|o| optional_short(o, "owner"))
                .transpose()?
                .flatten(),
            due_on: new.due_on,
            priority: new.priority.unwrap_or(Priority::Medium),
            status: ItemStatus::Open,
            acceptance: None,
            evidence: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        self.store.put_item(&item, &self.actor)?;
        Ok(self.view(item))
    }

    /// Raises an item from a question's gap in one step, pre-filled from the question, its
    /// target and the clauses it maps to.
    pub fn item_from_gap(&mut self, assessment: &str, question: &str) -> Result<ItemView> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let question_id = Assay::find_question(&bank.bank, question)?.id.clone();
        let card = scoring::score(&bank.bank, &current);
        let gap = card.gaps.iter().find(|g| g.question == question_id).ok_or_else(|| {
            ApiError::Invalid(format!(
                "{question_id} has no gap: it is unanswered, N/A, without a target or at its target"
            ))
        })?;
        let draft = governance::draft_from_gap(&bank.bank, gap)
            .ok_or_else(|| ApiError::UnknownQuestion(question_id.clone()))?;
        self.raise_draft(&current.scope, &current.id, draft)
    }

    /// Stores a drafted item, open and unowned, raised in `assessment`.
    pub(crate) fn raise_draft(
        &mut self,
        scope: &str,
        assessment: &str,
        draft: ItemDraft,
    ) -> Result<ItemView> {
        let now = self.clock.now();
        let item = GovernanceItem {
            id: self.ids.next_id(),
            scope: scope.to_owned(),
            assessment_id: Some(assessment.to_owned()),
            title: draft.title,
            description: draft.description,
            links: draft.links,
            owner: None,
            due_on: None,
            priority: draft.priority,
            status: ItemStatus::Open,
            acceptance: None,
            evidence: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        self.store.put_item(&item, &self.actor)?;
        Ok(self.view(item))
    }

    /// Items of one scope (or all), optionally only the overdue ones.
    pub fn list_items(&self, scope: Option<&str>, overdue_only: bool) -> Result<Vec<ItemView>> {
        let items = self.store.list_items(scope.map(str::trim))?;
        Ok(items
            .into_iter()
            .map(|i| self.view(i))
            .filter(|v| !overdue_only || v.overdue)
            .collect())
    }

    /// One item; `id` may be a unique prefix of at least four characters.
    pub fn item(&self, id: &str) -> Result<ItemView> {
        let id = self.resolve_item(id)?;
        let item = self
            .store
            .load_item(&id)?
            .ok_or(ApiError::ItemNotFound(id))?;
        Ok(self.view(item))
    }

    pub fn update_item(&mut self, id: &str, change: ItemChange) -> Result<ItemView> {
        let mut item = self.item(id)?.item;
        if let Some(title) = change.title {
            item.title = short_text(&title, "title")?;
        }
        if let Some(description) = change.description {
            item.description = optional_long_text(&description, "description")?.unwrap_or_default();
        }
        if let Some(owner) = change.owner {
            item.owner = optional_short(&owner, "owner")?;
        }
        if let Some(due_on) = change.due_on {
            item.due_on = due_on;
        }
        if let Some(priority) = change.priority {
            item.priority = priority;
        }
        if let Some(status) = change.status {
            governance::change_status(&mut item, checked_status(status)?)?;
        }
        if !change.add_evidence.is_empty() && item.status != ItemStatus::Done {
            return Err(governance::GovernanceError::EvidenceBeforeDone.into());
        }
        for link in change.add_evidence {
            item.evidence.push(self.new_evidence_link(link)?);
        }
        item.updated_at = self.clock.now();
        self.store.put_item(&item, &self.actor)?;
        Ok(self.view(item))
    }

    fn view(&self, item: GovernanceItem) -> ItemView {
        let overdue = item.is_overdue(self.clock.now().date_naive());
        ItemView { item, overdue }
    }

    fn resolve_item(&self, id: &str) -> Result<String> {
        resolve_prefix(
            id,
            |p| self.store.item_ids_with_prefix(p),
            ApiError::ItemNotFound,
        )
    }
}

/// A field that is present, even as `null`, is `Some`; serde's default makes an absent one `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> std::result::Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A risk acceptance's name and reason are user text like any other: held to the same limits
/// (which bundles check too). Blank ones are the life-cycle rule's to refuse.
fn checked_status(change: StatusChange) -> Result<StatusChange> {
    if let StatusChange::AcceptRisk {
        accepted_by,
        reason,
    } = &change
    {
        check_text(
            accepted_by.trim(),
            "the name of who accepts the risk",
            MAX_SHORT_TEXT,
        )?;
        check_text(
            reason.trim(),
            "the reason for accepting the risk",
            MAX_LONG_TEXT,
        )?;
    }
    Ok(change)
}

fn optional_short(value: &str, what: &str) -> Result<Option<String>> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        short_text(value, what).map(Some)
    }
}
