//! The one error type of the API layer. Every variant has a stable `code` so that the CLI can
//! choose an exit status and the desktop app can receive `{code, message}` over IPC.

use assay_assessment::{BankError, RatingError};
use assay_store::StoreError;
use serde::Serialize;

/// What a lookup error repeats of the user's input: at most [`ECHO_CHARS`] characters, on one
/// line, so a pasted essay or a control character cannot swamp or break the message.
fn echo(input: &str) -> String {
    let mut shown: String = input
        .chars()
        .take(ECHO_CHARS)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if input.chars().nth(ECHO_CHARS).is_some() {
        shown.push('…');
    }
    shown
}

const ECHO_CHARS: usize = 80;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no assessment has the id `{}`; `assay assessment list` shows them", echo(.0))]
    AssessmentNotFound(String),
    #[error(
        "`{}` matches several assessments ({candidates}); give more characters",
        echo(prefix)
    )]
    AmbiguousId { prefix: String, candidates: String },
    #[error("no governance item has the id `{}`; `assay item list` shows them", echo(.0))]
    ItemNotFound(String),
    #[error("{0}")]
    Governance(#[from] assay_assessment::governance::GovernanceError),
    #[error("no question has the id `{}`; `assay bank` lists them", echo(.0))]
    UnknownQuestion(String),
    #[error("no area has the id `{}`; `assay bank` lists them", echo(.0))]
    UnknownArea(String),
    #[error(
        "nobody called `{}` takes part in this assessment; add them with `assay assessment participant`",
        echo(.0)
    )]
    UnknownParticipant(String),
    #[error("`{}` already takes part in this assessment", echo(.0))]
    DuplicateParticipant(String),
    #[error(
        "this assessment was taken with question bank {id} {version}, which this version of \
         Assay does not include"
    )]
    BankMismatch { id: String, version: String },
    #[error("{0}")]
    Rating(#[from] RatingError),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Io(String),
    #[error("the bundle was refused and nothing was imported: {0}")]
    InvalidBundle(String),
    #[error(
        "the bundle was written by a newer version of Assay (bundle schema {found}; this version \
         reads up to {supported}); upgrade Assay to import it"
    )]
    BundleTooNew { found: u64, supported: u32 },
    #[error("{0}")]
    Tracker(#[from] assay_trackers::TrackerError),
    #[error("{0}")]
    Keyring(String),
    /// A report that does not match its data.
    #[error("{0}")]
    Tampered(String),
    #[error(transparent)]
    Report(#[from] assay_reports::ReportError),
    #[error(transparent)]
    Verify(#[from] assay_reports::verify::VerifyError),
    #[error("question bank: {0}")]
    Bank(#[from] BankError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ApiError {
    /// A stable, machine-readable name for the kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::AssessmentNotFound(_) => "assessment_not_found",
            ApiError::AmbiguousId { .. } => "ambiguous_id",
            ApiError::UnknownQuestion(_) => "unknown_question",
            ApiError::ItemNotFound(_) => "item_not_found",
            ApiError::Governance(_) => "invalid_input",
            ApiError::UnknownArea(_) => "unknown_area",
            ApiError::UnknownParticipant(_) => "unknown_participant",
            ApiError::DuplicateParticipant(_) => "duplicate_participant",
            ApiError::BankMismatch { .. } => "bank_mismatch",
            ApiError::Rating(_) | ApiError::Invalid(_) => "invalid_input",
            ApiError::Bank(_) => "invalid_bank",
            ApiError::Io(_) => "io",
            ApiError::InvalidBundle(_) => "invalid_bundle",
            ApiError::BundleTooNew { .. } => "bundle_too_new",
            ApiError::Tracker(e) => e.code(),
            ApiError::Keyring(_) => "keyring_unavailable",
            ApiError::Tampered(_) => "tampered",
            ApiError::Report(_) => "report",
            ApiError::Verify(_) => "not_a_report",
            ApiError::Store(StoreError::NotADatabase { .. }) => "not_a_database",
            ApiError::Store(StoreError::TooNew { .. }) => "database_too_new",
            ApiError::Store(StoreError::DiskFull(_)) => "disk_full",
            ApiError::Store(StoreError::WriteFailed(_)) => "write_failed",
            ApiError::Store(StoreError::Busy(_)) => "database_busy",
            ApiError::Store(_) => "storage",
        }
    }

    /// True when the user's input was at fault (as opposed to the environment).
    pub fn is_user_error(&self) -> bool {
        match self {
            // Tracker settings (an address, a CA file that holds no certificate) are the user's.
            ApiError::Tracker(error) => {
                matches!(error, assay_trackers::TrackerError::InvalidConfig(_))
            }
            ApiError::Store(_)
            | ApiError::Bank(_)
            | ApiError::Io(_)
            | ApiError::Report(_)
            | ApiError::Keyring(_) => false,
            _ => true,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }
}

/// What crosses a process boundary (IPC, `--json` output): `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}

impl From<ApiError> for ErrorPayload {
    fn from(error: ApiError) -> ErrorPayload {
        error.payload()
    }
}

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_errors_repeat_at_most_a_line_of_the_input() {
        let essay = format!("line one\nline two{}", "x".repeat(20_000));
        let message = ApiError::AssessmentNotFound(essay).to_string();
        assert!(!message.contains('\n'), "{message}");
        assert!(message.chars().count() < 200, "{message}");
        assert!(message.contains("line one\u{fffd}line two") && message.contains('…'));
        let short = ApiError::UnknownQuestion("DATA-9".into()).to_string();
        assert_eq!(
            short,
            "no question has the id `DATA-9`; `assay bank` lists them"
        );
    }
}
