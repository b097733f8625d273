//! The Statement of Applicability and the Annex IV draft verify like the report: a PDF as
//! exported is intact, an edited one or one with damaged data is tampered, and against the
//! database a statement whose decisions have changed since is out of date, not tampered.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use assay_api::{ReportFormat, SoaFormat};
use assay_assessment::soa::{Driver, SoaDecision};
use support::demo_assay;

/// Flips one letter of the PDF's producer (`Assay`, written as UTF-16 hex) without changing the
/// file's length, so that it still parses.
fn edit_producer(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let marker = b"/Producer<FEFF0041";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("the producer is written as a UTF-16 string");
    bytes[at + marker.len() - 1] = b'2';
    std::fs::write(path, &bytes).unwrap();
}

/// Overwrites bytes in the middle of the attached data stream, keeping its length.
fn damage_data(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let spec = b"/Type/EmbeddedFile";
    let at = bytes.windows(spec.len()).position(|w| w == spec).unwrap();
    let start = at + bytes[at..].windows(6).position(|w| w == b"stream").unwrap() + 8;
    for byte in &mut bytes[start + 100..start + 140] {
        *byte ^= 0x5a;
    }
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn exported_statements_and_drafts_verify_and_edits_are_caught() {
    let (dir, assay, id) = demo_assay();
    let soa = dir.path().join("soa.pdf");
    let exported = assay.export_soa(&id, SoaFormat::Pdf, &soa).unwrap();
    let dossier = dir.path().join("annex.pdf");
    let drafted = assay
        .export_dossier(&id, ReportFormat::Pdf, &dossier)
        .unwrap();

    for (path, kind, hash) in [
        (&soa, "Statement of Applicability", &exported.content_hash),
        (&dossier, "Annex IV draft", &drafted.content_hash),
    ] {
        let verified = assay_api::verify_report_file(path).unwrap();
        assert_eq!(verified.kind, kind);
        assert_eq!(&verified.content_hash, hash);
        let against = assay.verify_report_against_database(path).unwrap();
        assert!(against.holds_assessment);
        assert!(
            !against.data_changed,
            "{kind}: nothing changed since export"
        );

        let edited = dir.path().join("edited.pdf");
        std::fs::copy(path, &edited).unwrap();
        edit_producer(&edited);
        let e = assay_api::verify_report_file(&edited).unwrap_err();
        assert_eq!(e.code().as_str(), "tampered", "{e}");
        assert!(
            e.to_string()
                .contains(&format!("the {kind} was edited after export")),
            "{e}"
        );

        std::fs::copy(path, &edited).unwrap();
        damage_data(&edited);
        let e = assay_api::verify_report_file(&edited).unwrap_err();
        assert_eq!(e.code().as_str(), "tampered", "{e}");
    }

    // The report still verifies as a report.
    let report = dir.path().join("report.pdf");
    assay
        .export_report(&id, ReportFormat::Pdf, &report)
        .unwrap();
    assert_eq!(
        assay_api::verify_report_file(&report).unwrap().kind,
        "report"
    );
}

#[test]
fn a_statement_decided_again_since_export_is_out_of_date_not_tampered() {
    let (dir, mut assay, id) = demo_assay();
    let soa = dir.path().join("soa.pdf");
    assay.export_soa(&id, SoaFormat::Pdf, &soa).unwrap();
    let control = assay.statement_of_applicability(&id).unwrap().rows[0]
        .control
        .clone();
    assay
        .set_soa_decision(
            &id,
            &control,
            Some(SoaDecision {
                included: true,
                justification: "Required by group policy".into(),
                drivers: vec![Driver::Legal],
                owner: Some("Lena Fischer".into()),
            }),
        )
        .unwrap();
    let against = assay.verify_report_against_database(&soa).unwrap();
    assert!(against.holds_assessment);
    assert!(against.data_changed, "the decision changed the statement");
    assert_eq!(against.report.kind, "Statement of Applicability");
}

#[test]
fn the_export_log_lists_every_document_and_which_ones_a_change_outdates() {
    let (dir, mut assay, id) = demo_assay();
    let report = dir.path().join("report.pdf");
    assay
        .export_report(&id, ReportFormat::Pdf, &report)
        .unwrap();
    let soa = dir.path().join("soa.xlsx");
    let statement = assay.export_soa(&id, SoaFormat::Xlsx, &soa).unwrap();
    let dossier = dir.path().join("annex.html");
    assay
        .export_dossier(&id, ReportFormat::Html, &dossier)
        .unwrap();

    let log = assay.exports(&id).unwrap();
    let kinds: Vec<(String, &str, bool)> = log
        .iter()
        .map(|e| {
            (
                serde_json::to_value(e.export.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
                e.export.format.as_str(),
                e.stale,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("report".to_owned(), "pdf", false),
            ("soa".to_owned(), "xlsx", false),
            ("dossier".to_owned(), "html", false),
        ]
    );
    assert_eq!(log[1].export.content_hash, statement.content_hash);
    // The app opens only files the log holds: the statement is one now.
    assert_eq!(
        assay.recorded_export(&id, &log[1].export.path).unwrap(),
        std::path::absolute(&soa).unwrap()
    );

    // A decision changes the statement: its export is outdated.
    let control = assay.statement_of_applicability(&id).unwrap().rows[0]
        .control
        .clone();
    assay
        .set_soa_decision(
            &id,
            &control,
            Some(SoaDecision {
                included: false,
                justification: "Not offered to customers".into(),
                drivers: vec![Driver::Contractual],
                owner: None,
            }),
        )
        .unwrap();
    let log = assay.exports(&id).unwrap();
    assert!(log[1].stale, "the statement changed");

    // The draft lists the report's exports only, as the test evidence it cites.
    let draft = assay.dossier_document(&id).unwrap();
    let text = serde_json::to_string(&draft).unwrap();
    assert!(text.contains("report.pdf"));
    assert!(
        !text.contains("soa.xlsx") && !text.contains("annex.html"),
        "{text}"
    );
}
