//! Assay's local store: one SQLite file per user (or per `--db`), shared by the CLI and the app.
//!
//! The schema grows only by new numbered files in `migrations/`; a landed migration is never
//! edited. All pending migrations run in one transaction, so a failed upgrade leaves the file as
//! it was. A file that is not SQLite, belongs to another application, or was written by a newer
//! Assay is refused before anything is written to it.

mod assessments;
mod audit;
mod banks;
mod bundles;
mod evidence;
mod exports;
mod finals;
mod items;
mod links;
mod open;
mod participants;
mod reattest;
mod replay;
mod roadmap;
mod signoffs;
mod soa;
mod time;
mod votes;

use rusqlite::Connection;

pub use assessments::{AssessmentRow, TargetScope};
pub use audit::{AuditEvent, ChainCheck, GENESIS_HASH};
pub use banks::{BankListing, BankOrigin};
pub use bundles::{
    AnswerRecord, AssessmentHead, BundleContent, ImportMode, ImportRecord, TargetKind,
    TargetRecord, VoteRecord,
};
pub use evidence::{EvidenceImport, EvidenceRecord, ImportCounts, ImportLogEntry, ImportRun};
pub use exports::{ExportKind, ExportRecord};
pub use finals::{FinalState, Reopening};
pub use open::{APPLICATION_ID, SCHEMA_VERSION, migrate_to_version};
pub use participants::{MergeCounts, RoomPosition};
pub use replay::ReplayCheck;
pub use signoffs::{SignoffRecord, TrailPoint};
pub use soa::{SoaApprovalRecord, SoaDecisionRecord};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not an Assay database: {reason}")]
    NotADatabase { path: String, reason: String },
    #[error(
        "{path} was written by a newer version of Assay (schema version {found}; this version \
         reads up to {supported}); upgrade Assay to open it"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot open {path}: {message}")]
    Open { path: String, message: String },
    #[error("the disk is full; nothing was saved ({0})")]
    DiskFull(String),
    /// The operating system refused a write: a file-size limit, a failing device or a disk
    /// that filled up in a way SQLite reports as an I/O error.
    #[error(
        "the database file could not be written (the disk may be full, the file over a size \
         limit or the device failing); nothing was saved ({0})"
    )]
    WriteFailed(String),
    #[error("the database is busy in another program; try again ({0})")]
    Busy(String),
    #[error("the database holds a value this version cannot read: {0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(error.to_string()),
            Some(ErrorCode::SystemIoFailure) => StoreError::WriteFailed(error.to_string()),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Busy(error.to_string())
            }
            _ => StoreError::Sqlite(error),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open Assay database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// The raw connection, for tests and diagnostics that need plain SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
