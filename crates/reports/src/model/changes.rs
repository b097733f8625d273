//! The change summary in words: one sentence both renderers print under "Changes since the
//! previous assessment".

use super::schema::ChangesSection;

impl ChangesSection {
    /// One sentence for both renderers.
    pub fn summary(&self) -> String {
        let list = |items: &[String]| {
            if items.is_empty() {
                "none".to_owned()
            } else {
                items.join(", ")
            }
        };
        if let Some(votes_cast) = self.votes_cast {
            return self.summary_v3(votes_cast);
        }
        format!(
            "Since {} ({}): headline level {} -> {}; {} answers changed; dissent resolved on {}, new dissent on {}; register items opened {}, closed {}, overdue {}.",
            self.previous_title,
            self.previous_assessed_on,
            self.headline_before,
            self.headline_after,
            self.answers.len(),
            list(&self.dissent_resolved),
            list(&self.dissent_new),
            self.items_opened,
            self.items_closed,
            self.items_overdue
        )
    }

    /// Model version 3: dissent only when votes were cast, notes to review, items counted as
    /// they changed in between.
    fn summary_v3(&self, votes_cast: bool) -> String {
        let list = |items: &[String]| items.join(", ");
        let mut parts = vec![
            format!(
                "headline level {} -> {}",
                self.headline_before, self.headline_after
            ),
            match self.answers.len() {
                1 => "1 answer changed".to_owned(),
                n => format!("{n} answers changed"),
            },
        ];
        if !votes_cast {
            parts
                .push("nobody has voted in this assessment yet, so dissent is not compared".into());
        } else if self.dissent_resolved.is_empty() && self.dissent_new.is_empty() {
            parts.push("no change in dissent".into());
        } else {
            if !self.dissent_resolved.is_empty() {
                parts.push(format!(
                    "dissent resolved on {}",
                    list(&self.dissent_resolved)
                ));
            }
            if !self.dissent_new.is_empty() {
                parts.push(format!("new dissent on {}", list(&self.dissent_new)));
            }
        }
        if let Some(n) = self.notes_to_review.filter(|n| *n > 0) {
            parts.push(if n == 1 {
                "1 note still reads as before its level changed (marked for review)".to_owned()
            } else {
                format!("{n} notes still read as before their level changed (marked for review)")
            });
        }
        parts.push(format!(
            "register items created in between {}, closed {}, overdue now {}",
            self.items_opened, self.items_closed, self.items_overdue
        ));
        format!(
            "Since {} ({}): {}.",
            self.previous_title,
            self.previous_assessed_on,
            parts.join("; ")
        )
    }
}
