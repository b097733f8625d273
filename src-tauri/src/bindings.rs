//! Writes the TypeScript bindings of every type that crosses IPC to `ui/src/ipc/bindings/`
//! (or to `ASSAY_BINDINGS_DIR`): `cargo test -p assay-desktop --features ts --lib bindings`.
//! `scripts/check-ipc-types.sh` regenerates them into a temporary directory and fails when the
//! committed files differ.

use std::path::{Path, PathBuf};

use assay_api::assessment::governance::{GovernanceItem, StatusChange};
use assay_api::assessment::history::{Diff, TrendPoint};
use assay_api::assessment::{
    Answer, Assessment, Bank, Participant, Scorecard, VoteSummary, VoteValue,
};
use assay_api::evidence_model::Tracker;
use assay_api::{
    AnswerChange, AssessmentSummary, AuthKind, Charts, ErrorPayload, ImportSummary, ItemChange,
    ItemView, NewAssessment, ProjectEvidence, ReportExport, ReportFormat, SignoffView,
    TrackerTarget,
};
use ts_rs::{Config, TS};

use crate::ipc::{ExportedReport, ImportProgress, ImportRequest};

/// Every type a command takes or returns; their dependencies are exported with them.
fn export_all(cfg: &Config) -> Result<(), ts_rs::ExportError> {
    AssessmentSummary::export_all(cfg)?;
    Bank::export_all(cfg)?;
    NewAssessment::export_all(cfg)?;
    Assessment::export_all(cfg)?;
    Participant::export_all(cfg)?;
    VoteValue::export_all(cfg)?;
    VoteSummary::export_all(cfg)?;
    AnswerChange::export_all(cfg)?;
    Answer::export_all(cfg)?;
    Scorecard::export_all(cfg)?;
    Charts::export_all(cfg)?;
    ItemView::export_all(cfg)?;
    GovernanceItem::export_all(cfg)?;
    ItemChange::export_all(cfg)?;
    StatusChange::export_all(cfg)?;
    TrendPoint::export_all(cfg)?;
    Diff::export_all(cfg)?;
    SignoffView::export_all(cfg)?;
    ReportFormat::export_all(cfg)?;
    ExportedReport::export_all(cfg)?;
    ReportExport::export_all(cfg)?;
    ProjectEvidence::export_all(cfg)?;
    ImportRequest::export_all(cfg)?;
    TrackerTarget::export_all(cfg)?;
    AuthKind::export_all(cfg)?;
    ImportSummary::export_all(cfg)?;
    ImportProgress::export_all(cfg)?;
    Tracker::export_all(cfg)?;
    ErrorPayload::export_all(cfg)?;
    Ok(())
}

fn out_dir() -> PathBuf {
    match std::env::var_os("ASSAY_BINDINGS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings"),
    }
}

/// `index.ts` re-exports every binding, so the front end imports from one place.
fn write_index(dir: &Path) -> std::io::Result<()> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".ts")?;
            (stem != "index").then(|| stem.to_owned())
        })
        .collect();
    names.sort();
    let mut text = String::from(
        "// Generated with the TypeScript bindings (src-tauri/src/bindings.rs). Do not edit.\n",
    );
    for name in names {
        text.push_str(&format!("export type {{ {name} }} from './{name}';\n"));
    }
    std::fs::write(dir.join("index.ts"), text)
}

#[test]
fn bindings() {
    let dir = out_dir();
    // Start empty, so that a type no longer used does not linger.
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    // serde_json writes 64-bit integers as JSON numbers, which JavaScript reads as `number`.
    let cfg = Config::new().with_large_int("number").with_out_dir(&dir);
    export_all(&cfg).unwrap();
    write_index(&dir).unwrap();
}
