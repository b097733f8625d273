//! The Statement of Applicability as the CLI prints it: one line per control.

use std::io::Write;

use assay_api::StaleReport;
use assay_assessment::soa::StatementOfApplicability;

use super::{Done, Output};

impl Output {
    pub fn soa(&mut self, soa: &StatementOfApplicability) -> Done {
        if self.json {
            return self.json(soa);
        }
        let c = &soa.counts;
        say!(
            self,
            "{}: {} controls, {} included, {} excluded; {} implemented, {} partially, {} not, \
             {} not assessed; {} with no question mapped; {} still a proposal",
            soa.framework,
            c.controls,
            c.included,
            c.excluded,
            c.implemented,
            c.partially_implemented,
            c.not_implemented,
            c.not_assessed,
            c.uncovered,
            c.undecided
        );
        for row in &soa.rows {
            let applicable = match (row.included, row.decided) {
                (true, true) => "included",
                (true, false) => "included?",
                (false, true) => "excluded",
                (false, false) => "excluded?",
            };
            say!(
                self,
                "  {:<8} {:<40} {:<10} {:<22} {}",
                row.control,
                row.title.chars().take(40).collect::<String>(),
                applicable,
                row.status.label(),
                row.owner.as_deref().unwrap_or("-")
            );
        }
        say!(self, "(? : Assay's proposal until the team decides)");
        Ok(())
    }

    pub fn stale(&mut self, report: &StaleReport) -> Done {
        if self.json {
            return self.json(report);
        }
        match report.period_days {
            Some(days) => {
                say!(
                    self,
                    "Re-attestation period: {days} days (a question's own period wins)"
                );
            }
            None => {
                say!(
                    self,
                    "No re-attestation period set for the assessment (a question's own period \
                     still applies)"
                );
            }
        }
        if report.stale.is_empty() {
            say!(self, "No stale evidence on {}.", report.today);
            return Ok(());
        }
        say!(
            self,
            "{} piece(s) of stale evidence on {}:",
            report.stale.len(),
            report.today
        );
        for s in &report.stale {
            let on = s
                .question
                .as_deref()
                .map(|q| format!("question {q}"))
                .or_else(|| s.item.as_deref().map(|i| format!("item {i}")))
                .unwrap_or_default();
            say!(
                self,
                "  {on}: {} stale since {}: {}",
                s.label.as_deref().unwrap_or(&s.target),
                s.stale_since,
                s.reason
            );
        }
        Ok(())
    }
}
