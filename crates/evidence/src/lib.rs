//! Evidence imported from experiment trackers, in one shape for every tracker.
//!
//! Pure data and rules: no network, no database. The tracker clients fill a [`Snapshot`];
//! [`fairness`] turns metric names into [`BiasEvidence`]; [`indicators`] draws the
//! checklist-facing numbers from a snapshot; [`display`] words it for people.

pub mod display;
pub mod fairness;
pub mod indicators;
mod model;

pub use model::*;
