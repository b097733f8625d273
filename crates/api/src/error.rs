//! The one error type of the API layer and the one list of error codes.
//!
//! Every [`ApiError`] has an [`ErrorCode`], so that the CLI can choose an exit status and the
//! desktop app receives `{code, message}` over IPC; the front end gets `ErrorCode` as a
//! TypeScript union, so both consumers are checked by a compiler. Messages say what is wrong in
//! words that suit every front end; the CLI adds its own hints (`src/main.rs`).

use assay_assessment::{BankError, LinkError, RatingError};
use assay_reports::verify::VerifyError;
use assay_store::StoreError;
use assay_trackers::TrackerError;

use crate::spreadsheets::SheetError;
use serde::{Deserialize, Serialize};

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

/// Declares [`ErrorCode`] with each code's wire name written once: the enum, its serde and
/// TypeScript names, [`ErrorCode::as_str`] and [`ErrorCode::ALL`] all come from this list.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// The stable, machine-readable kind of a failure: what the CLI maps to an exit status,
        /// what crosses IPC as `code` and what the front end matches on. On the wire and in
        /// TypeScript (a union of string literals) each is its snake_case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum ErrorCode {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code's wire name, e.g. `assessment_not_found`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

error_codes! {
    AssessmentNotFound = "assessment_not_found",
    /// An id prefix that matches several assessments or items.
    AmbiguousId = "ambiguous_id",
    ItemNotFound = "item_not_found",
    UnknownQuestion = "unknown_question",
    UnknownArea = "unknown_area",
    UnknownParticipant = "unknown_participant",
    DuplicateParticipant = "duplicate_participant",
    /// The assessment was taken with a question bank this build does not have.
    BankMismatch = "bank_mismatch",
    /// The user's input breaks a rule (a level out of range, N/A without a justification, ...).
    InvalidInput = "invalid_input",
    /// A question bank file could not be read or is inconsistent.
    InvalidBank = "invalid_bank",
    /// No bank with that id and version is stored or built in.
    UnknownBank = "unknown_bank",
    /// Another bank's content is already stored under the same id and version.
    BankConflict = "bank_conflict",
    /// A change to a finalised assessment, which must be reopened first.
    AssessmentFinalised = "assessment_finalised",
    /// A file could not be read or written.
    Io = "io",
    InvalidBundle = "invalid_bundle",
    BundleTooNew = "bundle_too_new",
    KeyringUnavailable = "keyring_unavailable",
    /// A report or the audit trail does not match the data it claims to come from.
    Tampered = "tampered",
    /// A report could not be rendered.
    Report = "report",
    NotAReport = "not_a_report",
    NotADatabase = "not_a_database",
    DatabaseTooNew = "database_too_new",
    DiskFull = "disk_full",
    /// The database file could not be written (an I/O error, a file-size limit).
    WriteFailed = "write_failed",
    DatabaseBusy = "database_busy",
    /// Any other database failure.
    Storage = "storage",
    /// The tracker refused the credentials (HTTP 401).
    AuthFailed = "auth_failed",
    /// The tracker refused this host name or account (HTTP 403).
    HostRejected = "host_rejected",
    /// The tracker has no such project, experiment or entity (HTTP 404).
    NotFound = "not_found",
    RateLimited = "rate_limited",
    /// The tracker failed with HTTP 5xx.
    ServerError = "server_error",
    Timeout = "timeout",
    /// The tracker's answer could not be read.
    BadResponse = "bad_response",
    TooLarge = "too_large",
    Network = "network",
    /// The tracker's TLS certificate was refused.
    Tls = "tls",
    /// The user cancelled a running import.
    Cancelled = "cancelled",
    /// Tracker settings given wrongly (an address, a CA file without a certificate).
    InvalidConfig = "invalid_config",
    /// A path that is not one of the assessment's recorded exports (or was moved).
    NotAnExport = "not_an_export",
    /// Another import is still running.
    ImportRunning = "import_running",
    /// A failure inside the app that the user cannot act on (a panicked task, say).
    Internal = "internal",
}

impl ErrorCode {
    /// True when the user's input was at fault, as opposed to the environment (the disk, the
    /// network, the keyring) or the program.
    pub fn is_user_error(self) -> bool {
        use ErrorCode::*;
        match self {
            AssessmentNotFound | AmbiguousId | ItemNotFound | UnknownQuestion | UnknownArea
            | UnknownParticipant | DuplicateParticipant | BankMismatch | InvalidInput
            | InvalidBank | UnknownBank | BankConflict | AssessmentFinalised | InvalidBundle
            | BundleTooNew | Tampered | NotAReport | InvalidConfig | NotAnExport
            | ImportRunning => true,
            Io | KeyringUnavailable | Report | NotADatabase | DatabaseTooNew | DiskFull
            | WriteFailed | DatabaseBusy | Storage | AuthFailed | HostRejected | NotFound
            | RateLimited | ServerError | Timeout | BadResponse | TooLarge | Network | Tls
            | Cancelled | Internal => false,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no assessment has the id `{}`", echo(.0))]
    AssessmentNotFound(String),
    #[error(
        "`{}` matches several assessments ({candidates}); give more characters",
        echo(prefix)
    )]
    AmbiguousId { prefix: String, candidates: String },
    #[error("no governance item has the id `{}`", echo(.0))]
    ItemNotFound(String),
    #[error("{0}")]
    Governance(#[from] assay_assessment::governance::GovernanceError),
    #[error("no question has the id `{}` in the question bank", echo(.0))]
    UnknownQuestion(String),
    #[error("no area has the id `{}` in the question bank", echo(.0))]
    UnknownArea(String),
    #[error("nobody called `{}` takes part in this assessment", echo(.0))]
    UnknownParticipant(String),
    #[error("`{}` already takes part in this assessment", echo(.0))]
    DuplicateParticipant(String),
    #[error(
        "this assessment was taken with question bank {id} {version}, which this database does \
         not hold and this version of Assay does not include"
    )]
    BankMismatch { id: String, version: String },
    #[error("no question bank `{}` is stored or built in", echo(.0))]
    UnknownBank(String),
    #[error(
        "question bank {name} is already stored with other content (SHA-256 {stored}, this one \
         {offered}); give the changed bank a new version"
    )]
    BankConflict {
        name: String,
        stored: String,
        offered: String,
    },
    #[error(
        "assessment {} is finalised: its answers, votes, participants and targets are frozen; \
         reopen it (with a reason) to change them",
        echo(.0)
    )]
    Finalised(String),
    #[error("{0}")]
    Rating(#[from] RatingError),
    #[error("{0}")]
    Link(#[from] LinkError),
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
    /// A bank workbook that could not be read.
    #[error("question bank: {0}")]
    BankWorkbook(SheetError),
    /// A questionnaire workbook that could not be read or belongs elsewhere.
    #[error("{0}")]
    Questionnaire(SheetError),
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A path given as an export that the assessment's export log does not hold (or a file
    /// that has since moved).
    #[error("{} is not a report exported from this assessment, or it was moved", echo(.0))]
    NotAnExport(String),
    #[error("an import is already running; wait for it or cancel it")]
    ImportRunning,
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// The stable, machine-readable kind of this failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::AssessmentNotFound(_) => ErrorCode::AssessmentNotFound,
            ApiError::AmbiguousId { .. } => ErrorCode::AmbiguousId,
            ApiError::UnknownQuestion(_) => ErrorCode::UnknownQuestion,
            ApiError::ItemNotFound(_) => ErrorCode::ItemNotFound,
            ApiError::UnknownArea(_) => ErrorCode::UnknownArea,
            ApiError::UnknownParticipant(_) => ErrorCode::UnknownParticipant,
            ApiError::DuplicateParticipant(_) => ErrorCode::DuplicateParticipant,
            ApiError::BankMismatch { .. } => ErrorCode::BankMismatch,
            ApiError::Governance(_)
            | ApiError::Rating(_)
            | ApiError::Link(_)
            | ApiError::Invalid(_) => ErrorCode::InvalidInput,
            ApiError::Bank(_) => ErrorCode::InvalidBank,
            ApiError::BankWorkbook(SheetError::Io { .. })
            | ApiError::Questionnaire(SheetError::Io { .. }) => ErrorCode::Io,
            ApiError::BankWorkbook(_) => ErrorCode::InvalidBank,
            ApiError::Questionnaire(_) => ErrorCode::InvalidInput,
            ApiError::UnknownBank(_) => ErrorCode::UnknownBank,
            ApiError::BankConflict { .. } => ErrorCode::BankConflict,
            ApiError::Finalised(_) => ErrorCode::AssessmentFinalised,
            ApiError::Io(_) => ErrorCode::Io,
            ApiError::InvalidBundle(_) => ErrorCode::InvalidBundle,
            ApiError::BundleTooNew { .. } => ErrorCode::BundleTooNew,
            ApiError::Tracker(e) => tracker_code(e),
            ApiError::Keyring(_) => ErrorCode::KeyringUnavailable,
            ApiError::Tampered(_) => ErrorCode::Tampered,
            ApiError::Report(_) => ErrorCode::Report,
            // Data that an Assay report carries but that no longer reads back was tampered with.
            ApiError::Verify(VerifyError::BadData(_)) => ErrorCode::Tampered,
            ApiError::Verify(_) => ErrorCode::NotAReport,
            ApiError::Store(StoreError::NotADatabase { .. }) => ErrorCode::NotADatabase,
            ApiError::Store(StoreError::TooNew { .. }) => ErrorCode::DatabaseTooNew,
            ApiError::Store(StoreError::DiskFull(_)) => ErrorCode::DiskFull,
            ApiError::Store(StoreError::WriteFailed(_)) => ErrorCode::WriteFailed,
            ApiError::Store(StoreError::Busy(_)) => ErrorCode::DatabaseBusy,
            ApiError::Store(_) => ErrorCode::Storage,
            ApiError::NotAnExport(_) => ErrorCode::NotAnExport,
            ApiError::ImportRunning => ErrorCode::ImportRunning,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// True when the user's input was at fault (as opposed to the environment).
    pub fn is_user_error(&self) -> bool {
        self.code().is_user_error()
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// What crosses a process boundary (IPC, `--json` output): `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl From<ApiError> for ErrorPayload {
    fn from(error: ApiError) -> ErrorPayload {
        error.payload()
    }
}

/// Each tracker failure has a code of its own, so the front ends can say what to do about it.
fn tracker_code(error: &TrackerError) -> ErrorCode {
    match error {
        TrackerError::Auth { .. } => ErrorCode::AuthFailed,
        TrackerError::HostRejected { .. } => ErrorCode::HostRejected,
        TrackerError::NotFound { .. } => ErrorCode::NotFound,
        TrackerError::RateLimited { .. } => ErrorCode::RateLimited,
        TrackerError::Server { .. } => ErrorCode::ServerError,
        TrackerError::Timeout { .. } => ErrorCode::Timeout,
        TrackerError::BadResponse { .. } => ErrorCode::BadResponse,
        TrackerError::TooLarge { .. } => ErrorCode::TooLarge,
        TrackerError::Network { .. } => ErrorCode::Network,
        TrackerError::Tls { .. } => ErrorCode::Tls,
        TrackerError::Cancelled => ErrorCode::Cancelled,
        TrackerError::InvalidConfig(_) => ErrorCode::InvalidConfig,
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
            "no question has the id `DATA-9` in the question bank"
        );
    }

    #[test]
    fn every_code_has_one_wire_name_that_serde_and_as_str_agree_on() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::from(code.as_str()));
            let back: ErrorCode = serde_json::from_value(json).unwrap();
            assert_eq!(back, *code);
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
        assert!(serde_json::from_str::<ErrorCode>("\"no_such_code\"").is_err());
    }

    #[test]
    fn tracker_failures_keep_their_codes() {
        use std::time::Duration;
        let target = || "h:1".to_string();
        let all = [
            (TrackerError::Auth { target: target() }, "auth_failed"),
            (
                TrackerError::HostRejected { target: target() },
                "host_rejected",
            ),
            (TrackerError::NotFound { what: "x".into() }, "not_found"),
            (
                TrackerError::RateLimited {
                    target: target(),
                    attempts: 2,
                },
                "rate_limited",
            ),
            (
                TrackerError::Server {
                    target: target(),
                    status: 500,
                    attempts: 1,
                },
                "server_error",
            ),
            (
                TrackerError::Timeout {
                    target: target(),
                    after: Duration::ZERO,
                },
                "timeout",
            ),
            (TrackerError::bad_response("x"), "bad_response"),
            (TrackerError::TooLarge { limit: 1 }, "too_large"),
            (
                TrackerError::Network {
                    target: target(),
                    detail: "x".into(),
                },
                "network",
            ),
            (
                TrackerError::Tls {
                    target: target(),
                    detail: "x".into(),
                },
                "tls",
            ),
            (TrackerError::Cancelled, "cancelled"),
            (TrackerError::InvalidConfig("x".into()), "invalid_config"),
        ];
        for (error, code) in all {
            let error = ApiError::from(error);
            assert_eq!(error.code().as_str(), code);
            assert_eq!(error.is_user_error(), code == "invalid_config", "{code}");
            assert!(!error.to_string().is_empty());
        }
    }
}
