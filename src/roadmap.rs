//! `assay roadmap`: the roadmap to the next headline level, effort estimates, and raising it
//! into the register.

use assay_api::{ApiError, Assay};
use assay_assessment::roadmap::Effort;

use crate::output::Output;

pub fn run(
    assay: &mut Assay,
    assessment: &str,
    efforts: &[String],
    raise: bool,
    out: &mut Output,
) -> Result<(), ApiError> {
    // All estimates are read before any is recorded, so a typo records none.
    let estimates = efforts
        .iter()
        .map(|e| parse_estimate(e))
        .collect::<Result<Vec<_>, _>>()?;
    for (question, effort) in estimates {
        assay.set_roadmap_effort(assessment, question, effort)?;
    }
    if raise {
        let raised = assay.raise_roadmap(assessment)?;
        return out.roadmap_raised(&raised);
    }
    out.roadmap(&assay.roadmap(assessment)?)
}

/// `GOV-2=large`, or `GOV-2=guess` to forget the estimate.
fn parse_estimate(text: &str) -> Result<(&str, Option<Effort>), ApiError> {
    let refused = || {
        ApiError::Invalid(format!(
            "`{text}`: give QUESTION=small, medium, large or guess, e.g. GOV-2=large"
        ))
    };
    let (question, effort) = text.split_once('=').ok_or_else(refused)?;
    let effort = match effort.trim() {
        "guess" => None,
        other => Some(Effort::parse(other).ok_or_else(refused)?),
    };
    Ok((question.trim(), effort))
}
