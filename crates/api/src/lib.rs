//! The API layer of Assay: one method per user action on [`Assay`].
//!
//! The `assay` CLI, the desktop app's commands and the acceptance tests all call these methods
//! and nothing below them, so that a rule (say, "N/A needs a justification") is enforced in one
//! place whatever the front end. Inputs arrive as user text and are validated here; errors come
//! back as [`ApiError`], which carries a stable code for the CLI's exit status and for IPC.

mod actions;
mod audit;
mod bank;
mod bundles;
mod carry;
mod checkpoints;
mod clock;
mod demo;
mod dossier;
mod error;
mod evidence;
mod finalise;
mod history;
mod interop;
mod items;
mod library;
mod links;
mod participants;
mod reports;
mod roadmap;
mod signoffs;
mod soa;
mod spreadsheets;
mod staleness;

use std::path::{Path, PathBuf};

use std::sync::Arc;

use assay_assessment::{Bank, CanonicalBank};
use assay_store::Store;

pub use actions::{AnswerChange, AssessmentSummary, NewAssessment, NewParticipant, TargetChange};
pub use assay_assessment as assessment;
pub use assay_assessment::{BANK_FILE_FORMAT, BANK_FILE_VERSION};
pub use assay_evidence as evidence_model;
pub use assay_store as store;
pub use assay_trackers as trackers;
pub use audit::AuditTrail;
pub use bank::{
    DEFAULT_BANK_ID, DEFAULT_BANK_VERSION, builtin_bank, builtin_bank_file, builtin_bank_paths,
    builtin_bank_version, builtin_banks, load_bank_file,
};
pub use bundles::{
    BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, Bundle, Conflict, ConflictKind, ImportOutcome,
    MAX_BUNDLE_BYTES, MergedBundle, content_hash, merge, write_bundle,
};
pub use checkpoints::{BundleAgainstDatabase, VerifiedBundle, is_bundle_file, verify_bundle_file};
pub use clock::{Clock, IdSource, RandomIds, SequentialIds, SteppingClock, SystemClock};
pub use dossier::ExportedDossier;
pub use error::{ApiError, ErrorCode, ErrorPayload, Result};
pub use evidence::{
    AuthKind, BiasLabel, CancellationToken, Credential, EntityNames, EvidenceLabels,
    EvidenceRequest, ImportSummary, LineageLabel, Progress, ProjectEvidence, SecretLookup,
    TokenStore, TrackerTarget, token_account, tracker_account,
};
pub use interop::{
    APPROACH_TAGS, CardDataset, CardFairness, CardFormat, CardMetric, CardProvenance, CardRun,
    InteropDocument, InteropExport, ModelCard, OSCAL_NAMESPACE, OSCAL_VERSION, TASK_TAGS,
};
pub use items::{ItemChange, ItemView, NewItem};
pub use library::{BankSummary, MAX_BANK_FILE_BYTES, read_bank_file};
pub use links::{FileState, LinkedFile};
pub use reports::{
    Charts, ExportedReport, RenderedReport, ReportAgainstDatabase, ReportExport, ReportFormat,
    VerifiedReport, generator, verify_report_file,
};
pub use roadmap::{AlreadyTracked, RoadmapRaised};
pub use signoffs::SignoffView;
pub use soa::{ExportedSoa, SoaApprovalView, SoaFormat};
pub use spreadsheets::{
    CellProblem, ExportedWorkbook, MAX_COLUMNS, MAX_INFLATED_BYTES, MAX_ROWS, MAX_WORKBOOK_BYTES,
    QuestionnaireExport, QuestionnaireImport, SheetError,
};
pub use staleness::StaleReport;

/// The application identifier; the desktop app's data directory is named after it, and the
/// CLI's default database lives there too so that both see the same assessments.
pub const APP_IDENTIFIER: &str = "app.assay.desktop";

/// The default database: `<OS data dir>/app.assay.desktop/assay.db`
/// (on Linux `~/.local/share/app.assay.desktop/assay.db`).
pub fn default_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER).join("assay.db"))
}

/// An open Assay workspace: the database, the question bank and the clock.
#[derive(Debug)]
pub struct Assay {
    store: Store,
    /// The bank new assessments are taken with unless told otherwise, hashed once at open.
    default_bank: Arc<CanonicalBank>,
    /// Banks read so far, by id and version.
    banks: library::BankCache,
    clock: Box<dyn Clock>,
    ids: Box<dyn IdSource>,
    /// Who is making changes; recorded in the audit trail.
    actor: String,
}

impl Assay {
    /// Opens (creating if needed) the database at `db` with the built-in question bank.
    pub fn open(db: &Path, clock: Box<dyn Clock>) -> Result<Assay> {
        Assay::open_with_bank(db, builtin_bank()?, clock)
    }

    pub fn open_with_bank(db: &Path, bank: Bank, clock: Box<dyn Clock>) -> Result<Assay> {
        let actor = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "unknown".to_owned());
        let mut assay = Assay {
            store: Store::open(db)?,
            default_bank: Arc::new(CanonicalBank::of(bank)),
            banks: library::BankCache::default(),
            clock,
            ids: Box::new(RandomIds),
            actor,
        };
        assay.store_builtin_banks_in_use()?;
        Ok(assay)
    }

    /// Names who makes the changes that follow (default: the OS user name).
    pub fn with_actor(mut self, actor: &str) -> Result<Assay> {
        self.actor = actions::short_text(actor, "actor")?;
        Ok(self)
    }

    /// Names who makes the changes that follow, on an open handle: a live room records each
    /// vote as the participant's device.
    pub fn set_actor(&mut self, actor: &str) -> Result<()> {
        self.actor = actions::short_text(actor, "actor")?;
        Ok(())
    }

    /// Replaces the source of new ids (tests and golden files use [`SequentialIds`]).
    pub fn with_ids(mut self, ids: Box<dyn IdSource>) -> Assay {
        self.ids = ids;
        self
    }

    /// The question bank new assessments are taken with unless another is named.
    pub fn bank(&self) -> &Bank {
        &self.default_bank.bank
    }
}
