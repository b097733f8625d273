//! The file names the app offers for a model card and for OSCAL assessment results: readable,
//! with the extension of the format, and always one plain file name, whatever the model, the
//! version or the assessment's title holds.

#![allow(clippy::unwrap_used)]

mod interop_fixtures;

use std::path::{Component, Path};

use assay_api::{Assay, CardFormat, ErrorCode, NewAssessment, NewParticipant};
use assay_assessment::{Level, Targets};
use interop_fixtures::{open, start};

/// A name that stays in the directory it is saved to: one normal path component, without
/// separators, control characters or leading and trailing dots and spaces.
fn assert_plain_file_name(name: &str) {
    let components: Vec<Component<'_>> = Path::new(name).components().collect();
    assert!(
        matches!(components.as_slice(), [Component::Normal(_)]),
        "{name:?} is not one file name"
    );
    assert!(
        !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
        "{name:?}"
    );
    assert!(!name.chars().any(char::is_control), "{name:?}");
    assert!(!name.starts_with(['.', ' ']), "{name:?}");
}

fn assessment_titled(assay: &mut Assay, title: &str) -> String {
    assay
        .create_assessment(NewAssessment {
            scope: "Fraud".into(),
            title: title.into(),
            assessed_on: Some(start().date_naive()),
            participants: vec![NewParticipant {
                name: "Ana".into(),
                role: "ML lead".into(),
            }],
            targets: Targets {
                default: Some(Level::new(3).unwrap()),
                ..Targets::default()
            },
            start_from: None,
            bank: None,
        })
        .unwrap()
        .id
}

#[test]
fn model_card_names_say_model_version_and_format() {
    assert_eq!(
        Assay::model_card_file_name("fraud-model", "3", CardFormat::Html),
        "fraud-model v3 model card.html"
    );
    assert_eq!(
        Assay::model_card_file_name("fraud-model", "v3", CardFormat::Json),
        "fraud-model v3 model card.json",
        "a version written with its v is not doubled"
    );
    assert_eq!(
        Assay::model_card_file_name(" fraud-model ", " V12 ", CardFormat::Json),
        "fraud-model v12 model card.json"
    );
}

#[test]
fn hostile_model_names_and_versions_give_one_plain_file_name() {
    let hostile = [
        ("../../etc/passwd", "1"),
        ("..", ".."),
        ("models/fraud", "3/../../x"),
        ("C:\\Windows\\system32", "2"),
        ("fraud\u{0}\u{1}\u{7f}\nmodel", "4\r\n"),
        ("<script>alert(\"x\")</script>", "*?|"),
        ("...", ""),
        ("  . hidden", "v"),
    ];
    for (model, version) in hostile {
        for format in [CardFormat::Html, CardFormat::Json] {
            let name = Assay::model_card_file_name(model, version, format);
            assert_plain_file_name(&name);
            assert!(
                name.ends_with(&format!(" model card.{}", format.extension())),
                "{name:?}"
            );
        }
    }
    assert_eq!(
        Assay::model_card_file_name("../../etc/passwd", "1", CardFormat::Json),
        "-..-etc-passwd v1 model card.json"
    );
}

#[test]
fn oscal_results_names_say_title_date_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("a.db"));
    let id = assessment_titled(&mut assay, "Fraud models Q2");
    assert_eq!(
        assay.oscal_results_file_name(&id).unwrap(),
        "Fraud models Q2 2026-04-09 OSCAL assessment results.json"
    );
}

#[test]
fn hostile_titles_give_one_plain_oscal_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("a.db"));
    for title in [
        "../../etc/passwd",
        "..",
        "Q2/Q3 review: fraud?",
        "a\\b",
        "line1\nline2\u{1}\u{7f}\ttab",
        ". hidden",
        "<b>\"quoted\"</b> | *",
    ] {
        let id = assessment_titled(&mut assay, title);
        let name = assay.oscal_results_file_name(&id).unwrap();
        assert_plain_file_name(&name);
        assert!(
            name.ends_with("2026-04-09 OSCAL assessment results.json"),
            "{name:?}"
        );
    }
}

#[test]
fn oscal_results_name_of_an_unknown_assessment_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let assay = open(&dir.path().join("a.db"));
    let error = assay
        .oscal_results_file_name("no-such-assessment")
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::AssessmentNotFound);
}
