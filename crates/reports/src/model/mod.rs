//! The report model: everything a report shows, computed once from the data and nothing else
//! (no clock, no random ids), so that the same data always gives the same report.
//!
//! Three parts: the versioned schema (the serialisable types and [`MODEL_VERSION`]), the
//! builder that fills it from an assessment, its bank, tracker evidence, the register and
//! sign-offs ([`build`] and the `with_*` steps), and the hashes. The model's canonical JSON
//! (serde field order, no maps with unordered keys) is hashed with SHA-256; the hash is printed
//! on the cover and embedded in the files so that `assay verify` can tell whether a report
//! still matches the data it was made from.

mod builder;
mod changes;
mod crosswalk_schema;
mod framing;
mod hash;
mod reading;
mod schema;
mod tracked;

pub use builder::{
    LEGACY_KIND, ProjectInput, build, with_evidence, with_history, with_register, with_roadmap,
    with_signoffs, with_stale_evidence,
};
pub use crosswalk_schema::*;
pub use framing::{Framing, HASH_PROVES, MarkRow};
pub(crate) use hash::sha256_hex;
pub use hash::{HashedModel, canonical_json, content_hash, data_hash, data_hash_as};
pub use reading::{Approval, CROSSWALK_DISCLAIMER, LegendRow, Reading, recommendation};
pub use schema::*;
pub use tracked::*;
