//! A scope's assessments over time: trend and differences.

use assay_assessment::history::{self, AreaDelta, Diff, NoteToReview, TrendPoint};
use assay_assessment::scoring;
use std::sync::Arc;

use assay_assessment::{Assessment, Bank, CanonicalBank};

use crate::carry::Carry;
use crate::{ApiError, Assay, Result};

impl Assay {
    /// The trend of a scope: its assessments taken with the bank of its latest one, oldest
    /// first.
    /// Assessments taken with an earlier version of that bank which it declares a mapping from
    /// are included, each scored under its own version and marked with it.
    pub fn history(&self, scope: &str) -> Result<Vec<TrendPoint>> {
        let latest = self.history_bank(scope)?;
        let mut points = Vec::new();
        for row in self.store.list_assessments()? {
            if row.scope != scope.trim() {
                continue;
            }
            let assessment = self.assessment(&row.id)?;
            let Ok(bank) = self.bank_for(&assessment) else {
                continue;
            };
            let comparable = bank.digest == latest.digest
                || (bank.bank.id == latest.bank.id
                    && latest.bank.upgrade_from(&bank.bank.version).is_some());
            if !comparable {
                continue;
            }
            for mut point in history::trend(&bank.bank, std::slice::from_ref(&assessment)) {
                if bank.digest != latest.digest {
                    point.bank = Some(bank.name());
                }
                points.push((assessment.assessed_on, assessment.created_at, point));
            }
        }
        points.sort_by_key(|(on, created, _)| (*on, *created));
        Ok(points.into_iter().map(|(_, _, point)| point).collect())
    }

    /// The bank a scope's trend is computed with: that of its latest assessment.
    pub fn history_bank(&self, scope: &str) -> Result<Arc<CanonicalBank>> {
        let latest = self
            .store
            .list_assessments()?
            .into_iter()
            .rfind(|row| row.scope == scope.trim())
            .ok_or_else(|| {
                ApiError::Invalid(format!("no assessment has the scope `{}`", scope.trim()))
            })?;
        self.bank_for(&self.assessment(&latest.id)?)
    }

    /// What changed between two assessments (normally of the same scope), taken with the same
    /// bank.
    pub fn diff(&self, from: &str, to: &str) -> Result<Diff> {
        let (from, to) = (self.assessment(from)?, self.assessment(to)?);
        let (from_bank, to_bank) = (self.bank_for(&from)?, self.bank_for(&to)?);
        if from_bank.digest != to_bank.digest {
            return self.diff_across_versions(&from, &from_bank, &to, &to_bank);
        }
        let items = self.store.list_items(Some(&to.scope))?;
        Ok(history::diff(&to_bank.bank, &from, &to, &items))
    }

    /// The notes of an assessment that still read as written for the level its answer had in
    /// the scope's previous assessment (see [`history::notes_to_review`]); empty for the first.
    pub fn notes_to_review(&self, assessment: &str) -> Result<Vec<NoteToReview>> {
        let current = self.assessment(assessment)?;
        let key = |a: &Assessment| (a.assessed_on, a.created_at);
        let mut previous: Option<Assessment> = None;
        for row in self.store.list_assessments()? {
            // Only assessments of the scope dated no later than this one can come before it.
            if row.scope != current.scope
                || row.id == current.id
                || row.assessed_on > current.assessed_on
            {
                continue;
            }
            let candidate = self.assessment(&row.id)?;
            let newer = previous.as_ref().is_none_or(|p| key(&candidate) > key(p));
            if key(&candidate) < key(&current) && newer {
                previous = Some(candidate);
            }
        }
        let Some(previous) = previous else {
            return Ok(Vec::new());
        };
        // An earlier assessment on a bank this one declares no mapping from has nothing to compare.
        match self.diff(&previous.id, &current.id) {
            Ok(diff) => Ok(diff.notes_to_review),
            Err(ApiError::Invalid(_)) => Ok(Vec::new()),
            Err(other) => Err(other),
        }
    }

    /// The assessments of a scope taken with `bank`, in store order.
    pub(crate) fn scope_assessments(&self, scope: &str, bank: &Bank) -> Result<Vec<Assessment>> {
        let mut out = Vec::new();
        for row in self.store.list_assessments()? {
            if row.scope == scope.trim()
                && row.bank_id == bank.id
                && row.bank_version == bank.version
            {
                out.push(self.assessment(&row.id)?);
            }
        }
        Ok(out)
    }

    /// A diff between assessments taken with two versions of a bank, through the mapping the
    /// later version declares: answers compared only where the question kept its meaning, the
    /// other questions listed with the reason, and each side's headline, overall and area
    /// scores under its own version.
    fn diff_across_versions(
        &self,
        from: &Assessment,
        from_bank: &CanonicalBank,
        to: &Assessment,
        to_bank: &CanonicalBank,
    ) -> Result<Diff> {
        let carry = Carry::between(from_bank, to_bank).map_err(|_| {
            ApiError::Invalid(format!(
                "{} was taken with bank {} and {} with bank {}, which declares no mapping from it: \
                 their answers are not comparable question by question",
                from.id,
                from_bank.name(),
                to.id,
                to_bank.name()
            ))
        })?;
        let (projected, not_comparable) = carry.comparable(from, to_bank);
        let items = self.store.list_items(Some(&to.scope))?;
        let mut diff = history::diff(&to_bank.bank, &projected, to, &items);
        let skipped = |q: &str| not_comparable.iter().any(|n| n.question == q);
        diff.answers.retain(|a| !skipped(&a.question));
        diff.dissent_new.retain(|q| !skipped(q));
        diff.notes_to_review.retain(|n| !skipped(&n.question));
        diff.from.clone_from(&from.id);
        let own = scoring::score(&from_bank.bank, from);
        let after = scoring::score(&to_bank.bank, to);
        diff.headline.0 = own.headline.level;
        diff.overall_mean.0 = own.overall.mean;
        diff.areas = after
            .areas
            .iter()
            .map(|a| {
                let before = own.areas.iter().find(|b| b.area == a.area);
                AreaDelta {
                    area: a.area.clone(),
                    before: before.and_then(|b| b.score.mean),
                    after: a.score.mean,
                }
            })
            .filter(|d| d.before != d.after)
            .collect();
        diff.banks = Some((from_bank.name(), to_bank.name()));
        diff.not_comparable = not_comparable;
        Ok(diff)
    }
}
