//! Evidence that is no longer current (the rule is `assay_assessment::staleness`): an
//! assessment's re-attestation period, its stale evidence, and the counts the home screen shows.

use std::collections::BTreeMap;

use assay_assessment::staleness::{self, StaleEvidence, Supersession};
use assay_evidence::ModelVersion;
use chrono::NaiveDate;
use serde::Serialize;

use crate::{ApiError, Assay, Result};

/// An assessment's stale evidence on the clock's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaleReport {
    /// The assessment's re-attestation period, if set (questions may set their own).
    pub period_days: Option<u32>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub today: NaiveDate,
    pub stale: Vec<StaleEvidence>,
}

/// The registered model versions of a scope's evidence, with the day of the import that saw them.
type ScopeModels = Vec<(ModelVersion, NaiveDate)>;

impl Assay {
    /// The assessment's stale evidence, on its answers and on the register items of its scope.
    pub fn stale_evidence(&self, assessment: &str) -> Result<StaleReport> {
        self.stale_evidence_on(assessment, self.clock.now().date_naive())
    }

    /// The stale evidence as it stood on `today`: the report judges it on its data's date, so
    /// that a report does not change (nor its sign-offs lapse) as days pass.
    pub(crate) fn stale_evidence_on(
        &self,
        assessment: &str,
        today: NaiveDate,
    ) -> Result<StaleReport> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let items = self.store.list_items(Some(&current.scope))?;
        let period = self.store.reattest_period(&current.id)?;
        let models = self.scope_models(&current.scope)?;
        let stale =
            staleness::stale_evidence(&bank.bank, &current, &items, period, today, &|reference| {
                superseded(&models, reference)
            });
        Ok(StaleReport {
            period_days: period,
            today,
            stale,
        })
    }

    /// Sets how many days the assessment's evidence stays current (`None`: it does not expire
    /// with age, unless its question says so); returns the stale evidence as it now stands.
    pub fn set_reattest_period(
        &mut self,
        assessment: &str,
        days: Option<u32>,
    ) -> Result<StaleReport> {
        let current = self.assessment(assessment)?;
        if days.is_some_and(|d| !(1..=3650).contains(&d)) {
            return Err(ApiError::Invalid(
                "a re-attestation period is 1 to 3650 days".into(),
            ));
        }
        self.store
            .set_reattest_period(&current.id, days, self.clock.now())?;
        self.stale_evidence(&current.id)
    }

    /// How many pieces of stale evidence each assessment has, by assessment id (those with
    /// none left out), for the home screen.
    pub fn stale_evidence_counts(&self) -> Result<BTreeMap<String, usize>> {
        let mut counts = BTreeMap::new();
        for summary in self.list_assessments()? {
            let report = self.stale_evidence(&summary.id)?;
            if !report.stale.is_empty() {
                counts.insert(summary.id, report.stale.len());
            }
        }
        Ok(counts)
    }

    fn scope_models(&self, scope: &str) -> Result<ScopeModels> {
        let mut models = Vec::new();
        for source in self.store.evidence_sources()? {
            if !self
                .store
                .evidence_scopes(&source)?
                .iter()
                .any(|s| s == scope)
            {
                continue;
            }
            let seen_on = self
                .store
                .evidence_imports(Some(&source))?
                .iter()
                .map(|i| i.finished_at.date_naive())
                .max();
            let Some(seen_on) = seen_on else { continue };
            let snapshot = self.store.evidence_snapshot(&source)?;
            models.extend(snapshot.model_versions.into_iter().map(|m| (m, seen_on)));
        }
        Ok(models)
    }
}

/// Whether the model version `NAME/VERSION` was superseded: it is not in production while a
/// later version of the same registered model is.
fn superseded(models: &ScopeModels, reference: &str) -> Option<Supersession> {
    let (name, version) = reference.rsplit_once('/')?;
    let version = version.trim().trim_start_matches(['v', 'V']);
    let (named, _) = models
        .iter()
        .find(|(m, _)| m.registry_name == name.trim() && m.version == version)?;
    if named.is_production() {
        return None;
    }
    let number = |v: &str| v.parse::<u64>().ok();
    models
        .iter()
        .filter(|(m, _)| m.registry_name == named.registry_name && m.is_production())
        .find(
            |(m, _)| match (number(&m.version), number(&named.version)) {
                (Some(newer), Some(older)) => newer > older,
                _ => m.version != named.version,
            },
        )
        .map(|(m, seen_on)| Supersession {
            by: format!("{}/{}", m.registry_name, m.version),
            seen_on: *seen_on,
        })
}
