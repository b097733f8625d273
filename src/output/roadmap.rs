//! The roadmap to the next level and what raising it did, as the CLI prints them.

use std::io::Write;

use assay_api::RoadmapRaised;
use assay_assessment::roadmap::{Roadmap, RoadmapStep};

use super::{Done, Output};

impl Output {
    pub fn roadmap(&mut self, map: &Roadmap) -> Done {
        if self.json {
            return self.json(map);
        }
        say!(self, "Headline level {} ({})", map.level, map.level_name);
        match &map.next {
            None => {
                say!(self, "This is the bank's top level.");
            }
            Some(next) if next.all_not_applicable => {
                say!(
                    self,
                    "Next: level {} ({}): every question it names is N/A, so nothing shows it is reached.",
                    next.level,
                    next.name
                );
            }
            Some(next) => {
                say!(
                    self,
                    "Next: level {} ({}): {} question(s) must reach level {} first.",
                    next.level,
                    next.name,
                    next.blockers,
                    next.threshold
                );
            }
        }
        let (blocking, rest): (Vec<&RoadmapStep>, Vec<&RoadmapStep>) =
            map.steps.iter().partition(|s| s.blocks_next);
        if !blocking.is_empty() {
            say!(self, "\nBlocks the next level");
            for step in blocking {
                self.step(step);
            }
        }
        if !rest.is_empty() {
            say!(self, "\nThen");
            for step in rest {
                self.step(step);
            }
        }
        if map.steps.is_empty() {
            say!(self, "\nNo gaps: every answered question is at its target.");
        }
        Ok(())
    }

    fn step(&mut self, step: &RoadmapStep) {
        let now = match (step.level, step.not_applicable) {
            (Some(level), _) => level.to_string(),
            (None, true) => "N/A".to_owned(),
            (None, false) => "-".to_owned(),
        };
        let gate = step
            .blocks_level
            .filter(|_| !step.blocks_next)
            .map(|l| format!("  gates level {l}"))
            .unwrap_or_default();
        let effort = if step.effort_estimated {
            step.effort.as_str().to_owned()
        } else {
            format!("{} (guess)", step.effort.as_str())
        };
        say!(
            self,
            "  {:<9} {:<44} {:>3} -> {} (+{})  effort {effort}{gate}",
            step.question,
            step.title.chars().take(44).collect::<String>(),
            now,
            step.goal,
            step.climb
        );
    }

    pub fn roadmap_raised(&mut self, raised: &RoadmapRaised) -> Done {
        if self.json {
            return self.json(raised);
        }
        say!(self, "raised {} register item(s)", raised.created.len());
        for view in &raised.created {
            say!(self, "  {}  {}", view.item.id, view.item.title);
        }
        if !raised.already_tracked.is_empty() {
            say!(
                self,
                "{} step(s) already tracked by an open item:",
                raised.already_tracked.len()
            );
            for tracked in &raised.already_tracked {
                say!(
                    self,
                    "  {:<9} {}  {}",
                    tracked.question,
                    tracked.item_id,
                    tracked.item_title
                );
            }
        }
        Ok(())
    }
}
