//! `assay soa`: the ISO/IEC 42001 Statement of Applicability of an assessment, shown, decided
//! control by control, and exported.

use std::path::PathBuf;

use assay_api::{ApiError, Assay, SoaFormat};
use assay_assessment::governance::Decision;
use assay_assessment::soa::{Driver, SoaDecision};

use crate::output::Output;

/// What `assay soa` was asked to do.
pub struct SoaRequest {
    pub assessment: String,
    pub format: Option<String>,
    pub out: Option<PathBuf>,
    pub control: Option<String>,
    pub include: bool,
    pub exclude: bool,
    pub proposal: bool,
    pub justification: Option<String>,
    pub drivers: Vec<String>,
    pub owner: Option<String>,
    pub approval: Option<Approval>,
}

/// Management's approval, as typed.
pub struct Approval {
    pub name: String,
    pub role: String,
    pub decision: String,
    pub comment: String,
}

pub fn run(assay: &mut Assay, request: SoaRequest, out: &mut Output) -> Result<(), ApiError> {
    if let Some(control) = &request.control {
        let decision = if request.proposal {
            None
        } else if request.include || request.exclude {
            let drivers = request
                .drivers
                .iter()
                .map(|d| {
                    Driver::parse(d).ok_or_else(|| {
                        ApiError::Invalid(format!(
                            "`{d}` is not a driver: use risk, legal, contractual or good_practice"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(SoaDecision {
                included: request.include,
                justification: request.justification.clone().unwrap_or_default(),
                drivers,
                owner: request.owner.clone(),
            })
        } else {
            return Err(ApiError::Invalid(
                "with --control, say --include, --exclude or --proposal".into(),
            ));
        };
        assay.set_soa_decision(&request.assessment, control, decision)?;
    }
    if let Some(approval) = &request.approval {
        let decision = Decision::parse(&approval.decision)?;
        let doc = assay.approve_soa(
            &request.assessment,
            &approval.name,
            &approval.role,
            decision,
            &approval.comment,
        )?;
        out.line(&format!(
            "approved by {} for the content with SHA-256 {}",
            approval.name,
            doc.content_hash()
        ))?;
    }
    if let Some(path) = &request.out {
        let format = match &request.format {
            Some(f) => SoaFormat::parse(f)?,
            None => SoaFormat::parse(
                path.extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or_default(),
            )?,
        };
        let exported = assay.export_soa(&request.assessment, format, path)?;
        return out.line(&format!(
            "wrote {} (content SHA-256 {})",
            exported.path, exported.content_hash
        ));
    }
    out.soa(&assay.statement_of_applicability(&request.assessment)?)
}
