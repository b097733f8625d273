//! The trend of a scope and the difference between two assessments, as the CLI prints them.

use std::io::Write;

use assay_assessment::Bank;
use assay_assessment::history::{Diff, TrendPoint};

use super::{Done, Output};

impl Output {
    pub fn history(&mut self, bank: &Bank, points: &[TrendPoint]) -> Done {
        if self.json {
            return self.json(&points);
        }
        let dates: Vec<String> = points.iter().map(|p| p.assessed_on.to_string()).collect();
        say!(
            self,
            "{:<50} {}",
            "",
            dates.iter().map(|d| format!("{d:>11}")).collect::<String>()
        );
        let row = |values: Vec<String>| {
            values
                .iter()
                .map(|v| format!("{v:>11}"))
                .collect::<String>()
        };
        say!(
            self,
            "{:<50} {}",
            "Headline level",
            row(points
                .iter()
                .map(|p| p.headline_level.to_string())
                .collect())
        );
        say!(
            self,
            "{:<50} {}",
            "Overall mean",
            row(points.iter().map(|p| mean_text(p.overall_mean)).collect())
        );
        for area in bank.areas() {
            // By id: a point scored with an earlier bank version lists its own areas.
            let values = points
                .iter()
                .map(|p| {
                    mean_text(
                        p.areas
                            .iter()
                            .find(|(id, _)| *id == area.id)
                            .and_then(|(_, m)| *m),
                    )
                })
                .collect();
            say!(self, "{:<50} {}", area.name, row(values));
        }
        if points.iter().any(|p| p.bank.is_some()) {
            let versions = points
                .iter()
                .map(|p| {
                    p.bank.as_deref().map_or(bank.version.clone(), |b| {
                        b.rsplit('@').next().unwrap_or(b).to_owned()
                    })
                })
                .collect();
            say!(
                self,
                "{:<50} {}",
                "Bank version (each scored under its own)",
                row(versions)
            );
        }
        Ok(())
    }

    pub fn diff(&mut self, bank: &Bank, diff: &Diff) -> Done {
        if self.json {
            return self.json(diff);
        }
        if let Some((earlier, later)) = &diff.banks {
            say!(
                self,
                "Banks {earlier} -> {later}: scores are each under their own version; {} \
                 questions are not comparable",
                diff.not_comparable.len()
            );
        }
        say!(
            self,
            "Headline level {} -> {}; overall mean {} -> {}",
            diff.headline.0,
            diff.headline.1,
            mean_text(diff.overall_mean.0),
            mean_text(diff.overall_mean.1)
        );
        for area in &diff.areas {
            let name = bank
                .area(&area.area)
                .map_or(area.area.as_str(), |a| a.name.as_str());
            say!(
                self,
                "  {:<50} {} -> {}",
                name,
                mean_text(area.before),
                mean_text(area.after)
            );
        }
        say!(self, "Answers changed: {}", diff.answers.len());
        for change in &diff.answers {
            say!(
                self,
                "  {:<8} {} -> {}",
                change.question,
                change.before,
                change.after
            );
        }
        if !diff.not_comparable.is_empty() {
            say!(self, "Not comparable: {}", diff.not_comparable.len());
            for question in &diff.not_comparable {
                say!(self, "  {:<8} {}", question.question, question.reason);
            }
        }
        say!(
            self,
            "Dissent resolved: {}",
            list_or_none(&diff.dissent_resolved)
        );
        say!(self, "New dissent: {}", list_or_none(&diff.dissent_new));
        say!(
            self,
            "Items opened: {}; closed: {}; overdue: {}",
            diff.items_opened.len(),
            diff.items_closed.len(),
            diff.items_overdue.len()
        );
        Ok(())
    }
}

fn mean_text(mean: Option<f64>) -> String {
    mean.map_or("-".to_owned(), |m| format!("{m:.2}"))
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}
