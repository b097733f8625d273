//! A scope's assessments over time: trend and differences.

use assay_assessment::history::{self, Diff, TrendPoint};
use std::sync::Arc;

use assay_assessment::{Assessment, Bank, CanonicalBank};

use crate::{ApiError, Assay, Result};

impl Assay {
    /// The trend of a scope: its assessments taken with the bank of its latest one, oldest
    /// first.
    pub fn history(&self, scope: &str) -> Result<Vec<TrendPoint>> {
        let bank = self.history_bank(scope)?;
        let assessments = self.scope_assessments(scope, &bank.bank)?;
        Ok(history::trend(&bank.bank, &assessments))
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
            return Err(ApiError::Invalid(format!(
                "{} was taken with bank {} and {} with bank {}: their answers are not comparable \
                 question by question",
                from.id,
                from_bank.name(),
                to.id,
                to_bank.name()
            )));
        }
        let items = self.store.list_items(Some(&to.scope))?;
        Ok(history::diff(&to_bank.bank, &from, &to, &items))
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
}
