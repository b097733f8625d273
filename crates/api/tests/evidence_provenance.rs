//! Evidence provenance: each link records who added it and when, a linked file its SHA-256 at
//! that moment (a later change to the file shows as stale), and reports print it; web links are
//! clickable in the PDF.

#![allow(clippy::unwrap_used)]

use assay_api::{
    AnswerChange, ApiError, Assay, FileState, NewAssessment, NewParticipant, ReportFormat,
    SteppingClock,
};
use assay_assessment::{EvidenceKind, EvidenceLink, Level, Rating, Targets};
use chrono::{Duration, TimeZone, Utc};

const RUNBOOK_SHA256: &str = "a0bd8567ec5da5c4c78ef8370994af0b34e5c83c1ebdd28359d297096f8efa75";

fn open(dir: &std::path::Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
    Assay::open(
        &dir.join("p.db"),
        Box::new(SteppingClock::new(start, Duration::minutes(1))),
    )
    .unwrap()
    .with_actor("ana")
    .unwrap()
}

fn new_assessment(assay: &mut Assay) -> String {
    let new = NewAssessment {
        scope: "Claims".into(),
        bank: Some("assay-mlops@2.0.0".into()),
        participants: vec![NewParticipant {
            name: "Ana".into(),
            role: "Engineer".into(),
        }],
        // Level 2 answers fall short of this, so they are findings with their evidence.
        targets: Targets {
            default: Some(Level::new(3).unwrap()),
            ..Targets::default()
        },
        ..NewAssessment::default()
    };
    assay.create_assessment(new).unwrap().id
}

fn link(kind: EvidenceKind, target: &str) -> EvidenceLink {
    EvidenceLink {
        kind,
        target: target.to_owned(),
        label: Some("Runbook".into()),
        as_of: None,
        provenance: None,
    }
}

fn add(assay: &mut Assay, id: &str, question: &str, link: EvidenceLink) -> Result<(), ApiError> {
    let change = AnswerChange {
        rating: Some(Rating::level(Level::new(2).unwrap())),
        add_evidence: vec![link],
        ..AnswerChange::default()
    };
    assay.update_answer(id, question, change).map(|_| ())
}

#[test]
fn a_linked_file_keeps_its_digest_and_shows_when_it_changes_or_goes() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    let file = dir.path().join("runbook.md");
    std::fs::write(&file, "# Runbook\n").unwrap();
    add(
        &mut assay,
        &id,
        "OBS-1",
        link(EvidenceKind::File, file.to_str().unwrap()),
    )
    .unwrap();

    let answer = assay.assessment(&id).unwrap().answers["OBS-1"].clone();
    let provenance = answer.evidence[0].provenance.clone().unwrap();
    assert_eq!(provenance.added_by, "ana");
    // printf '# Runbook\n' | sha256sum
    assert_eq!(provenance.sha256.as_deref(), Some(RUNBOOK_SHA256));

    let state = |assay: &Assay| assay.check_linked_files(&id).unwrap()[0].state;
    assert_eq!(state(&assay), FileState::Unchanged);
    std::fs::write(&file, "# Runbook, edited\n").unwrap();
    assert_eq!(state(&assay), FileState::Changed);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(state(&assay), FileState::Missing);

    // The provenance survives a reopen of the database and is what the report prints.
    drop(assay);
    let assay = open(dir.path());
    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    assert!(html.contains("Added by ana on 2026-10-01"), "{html}");
    assert!(html.contains(provenance.sha256.as_deref().unwrap()));
}

#[test]
fn a_file_that_cannot_be_read_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    let missing = dir.path().join("nowhere.pdf");
    let err = add(
        &mut assay,
        &id,
        "OBS-1",
        link(EvidenceKind::File, missing.to_str().unwrap()),
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "invalid_input");
    assert!(err.to_string().contains("cannot be read"), "{err}");
    assert!(!assay.assessment(&id).unwrap().answers.contains_key("OBS-1"));
}

#[test]
fn provenance_sent_by_a_caller_is_replaced_by_the_real_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    let mut forged = link(EvidenceKind::Url, "https://wiki.example.com/runbook");
    forged.provenance = Some(assay_assessment::LinkProvenance {
        added_at: Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(),
        added_by: "the auditor".into(),
        sha256: Some("0".repeat(64)),
    });
    add(&mut assay, &id, "OBS-1", forged).unwrap();
    let stored = assay.assessment(&id).unwrap().answers["OBS-1"].evidence[0].clone();
    let provenance = stored.provenance.unwrap();
    assert_eq!(provenance.added_by, "ana");
    assert_eq!(provenance.sha256, None, "a web link has no file digest");
    assert!(provenance.added_at > Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
}

#[test]
fn web_evidence_is_a_clickable_link_in_the_pdf_and_other_schemes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = new_assessment(&mut assay);
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
    ] {
        let err = add(&mut assay, &id, "OBS-2", link(EvidenceKind::Url, bad)).unwrap_err();
        assert!(err.to_string().contains("http://"), "{bad}: {err}");
    }
    add(
        &mut assay,
        &id,
        "OBS-1",
        link(EvidenceKind::Url, "https://wiki.example.com/runbook"),
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    let plain = dir.path().join("plain.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&pdf)
        .arg(&plain)
        .status()
        .expect("qpdf is installed by scripts/test.sh");
    assert!(status.success());
    let bytes = String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).into_owned();
    let uris = bytes
        .matches("/URI (https://wiki.example.com/runbook)")
        .count();
    // Once on the finding, once in the appendix.
    assert_eq!(uris, 2, "link annotations in the PDF");
    assert!(bytes.contains("/Subtype /Link"));
}
