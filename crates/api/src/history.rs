//! A scope's assessments over time: trend and differences.

use assay_assessment::history::{self, Diff, TrendPoint};

use crate::{ApiError, Assay, Result};

impl Assay {
    /// The trend of a scope: every assessment of it, oldest first.
    pub fn history(&self, scope: &str) -> Result<Vec<TrendPoint>> {
        let assessments = self.scope_assessments(scope)?;
        if assessments.is_empty() {
            return Err(ApiError::Invalid(format!(
                "no assessment has the scope `{}`",
                scope.trim()
            )));
        }
        Ok(history::trend(&self.bank, &assessments))
    }

    /// What changed between two assessments (normally of the same scope).
    pub fn diff(&self, from: &str, to: &str) -> Result<Diff> {
        let (from, to) = (self.assessment(from)?, self.assessment(to)?);
        self.check_bank(&from)?;
        self.check_bank(&to)?;
        let items = self.store.list_items(Some(&to.scope))?;
        Ok(history::diff(&self.bank, &from, &to, &items))
    }

    /// The assessments of a scope taken with this build's bank.
    pub(crate) fn scope_assessments(
        &self,
        scope: &str,
    ) -> Result<Vec<assay_assessment::Assessment>> {
        let mut out = Vec::new();
        for row in self.store.list_assessments()? {
            if row.scope == scope.trim()
                && row.bank_id == self.bank.id
                && row.bank_version == self.bank.version
            {
                out.push(self.assessment(&row.id)?);
            }
        }
        Ok(out)
    }
}
