//! The domain of an Assay maturity assessment, free of IO.
//!
//! * [`bank`]: the question bank (pillars, areas, questions with anchored levels, crosswalks to
//!   regulation catalogues) parsed and validated from TOML text. The caller supplies the text,
//!   so the same code serves the bank embedded in the binary, a bank on disk and the fuzzer.
//! * [`answer`]: levels, ratings (a level or N/A with a justification), votes and consensus.
//! * [`scoring`]: the documented, deterministic scoring rule: area and pillar means beside their
//!   minimums, gaps against targets, and the headline Google MLOps level.
//!
//! Everything here is a pure function of its inputs so that the CLI, the desktop app, the
//! reports and the tests all agree on every number.

pub mod answer;
pub mod assessment;
pub mod bank;
pub mod governance;
pub mod history;
pub mod roadmap;
pub mod scoring;
pub mod soa;
pub mod staleness;

pub use answer::{
    Answer, Carried, Confidence, EvidenceKind, EvidenceLink, Level, LinkError, LinkProvenance,
    Rating, RatingError, Vote, VoteSummary, VoteValue,
};
pub use assessment::{Assessment, Participant, Targets};
pub use bank::{
    BANK_FILE_FORMAT, BANK_FILE_VERSION, Bank, BankDigest, BankError, BankFile, CanonicalBank,
    ChangeKind, ClauseMapping, ClauseRelation, Question, Relationship, Upgrade, bank_file_schema,
};
pub use scoring::{Scorecard, score};
