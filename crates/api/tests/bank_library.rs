//! Banks as data: a user's bank imported, used, carried by a bundle to a database whose build
//! does not ship it, and refused when it conflicts or was tampered with, with nothing written.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use assay_api::{
    Assay, Bundle, DEFAULT_BANK_ID, DEFAULT_BANK_VERSION, ErrorCode, NewAssessment, ReportFormat,
    SteppingClock,
};
use assay_assessment::{Bank, CanonicalBank, Level, Rating};
use chrono::{Duration, TimeZone, Utc};

fn open(path: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    Assay::open(
        path,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
}

/// The built-in bank exported as an authoring folder, then edited as a team would: a new
/// version, a retitled bank and one sharpened anchor.
fn team_bank(dir: &Path, assay: &Assay) -> std::path::PathBuf {
    let folder = dir.join("team-bank");
    assay.export_bank("assay-mlops@1.0.0", &folder).unwrap();
    let root = folder.join("bank.toml");
    let text = std::fs::read_to_string(&root).unwrap();
    let text = text
        .replace("version = \"1.0.0\"", "version = \"1.0.0-team.1\"")
        .replace(
            "title = \"Assay MLOps maturity checklist\"",
            "title = \"Our MLOps checklist\"",
        );
    std::fs::write(&root, text).unwrap();
    let people = folder.join("questions/people.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        text.replacen("No ML roles are defined", "No ML role is written down", 1),
    )
    .unwrap();
    folder
}

fn new_assessment(bank: Option<&str>) -> NewAssessment {
    NewAssessment {
        scope: "Search".into(),
        bank: bank.map(str::to_owned),
        ..NewAssessment::default()
    }
}

fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_user_bank_is_imported_used_and_travels_in_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let mut assay = open(&db);
    let folder = team_bank(dir.path(), &assay);

    let summary = assay.import_bank(&folder).unwrap();
    assert_eq!(
        (
            summary.id.as_str(),
            summary.version.as_str(),
            summary.origin.as_str()
        ),
        ("assay-mlops", "1.0.0-team.1", "imported")
    );
    assert!(summary.stored && !summary.is_default);
    // Importing the same content again changes nothing.
    assert_eq!(assay.import_bank(&folder).unwrap(), summary);
    assert_eq!(count(&db, "SELECT count(*) FROM bank"), 1);

    let created = assay
        .create_assessment(new_assessment(Some("assay-mlops@1.0.0-team.1")))
        .unwrap();
    assert_eq!(created.bank_version, "1.0.0-team.1");
    let bank = assay.assessment_bank(&created.id).unwrap();
    assert_eq!(bank.bank.title, "Our MLOps checklist");
    assert!(bank.bank.questions[0].anchors[0].starts_with("No ML role is written down"));
    let change = assay_api::AnswerChange {
        rating: Some(Rating::level(Level::new(2).unwrap())),
        ..Default::default()
    };
    assay.update_answer(&created.id, "ORG-1", change).unwrap();
    let card = assay.score(&created.id).unwrap();
    assert_eq!(card.bank_version, "1.0.0-team.1");
    let html = assay
        .render_report(&created.id, ReportFormat::Html)
        .unwrap()
        .bytes;
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains("Our MLOps checklist 1.0.0-team.1"),
        "the report names the bank it used"
    );

    // A name without a version means the newest version of that id.
    let listed = assay.banks().unwrap();
    let names: Vec<String> = listed
        .iter()
        .map(|b| format!("{}@{}", b.id, b.version))
        .collect();
    assert!(
        names.contains(&"assay-mlops@1.0.0-team.1".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"assay-genai@1.0.0".to_owned()), "{names:?}");

    // Another database, whose build does not ship the team's bank, gets it with the bundle.
    let bundle_path = dir.path().join("search.assay.json");
    let bundle = assay.export_bundle_file(&created.id, &bundle_path).unwrap();
    let carried = bundle.carried_bank().unwrap().unwrap();
    assert_eq!(carried, *bank);
    assert_eq!(
        bundle.content.assessment.bank_digest.as_deref(),
        Some(bank.digest.as_str())
    );
    let other_db = dir.path().join("other.db");
    let mut other = open(&other_db);
    other.import_bundle_file(&bundle_path).unwrap();
    let theirs = other.banks().unwrap();
    let arrived = theirs.iter().find(|b| b.version == "1.0.0-team.1").unwrap();
    assert_eq!(
        (arrived.origin.as_str(), arrived.assessments),
        ("bundle", 1)
    );
    assert_eq!(
        serde_json::to_value(other.score(&created.id).unwrap()).unwrap(),
        serde_json::to_value(assay.score(&created.id).unwrap()).unwrap()
    );
    // The bank file written by export reads back to the same hash.
    let file = dir.path().join("team.json");
    other
        .export_bank("assay-mlops@1.0.0-team.1", &file)
        .unwrap();
    assert_eq!(
        assay_api::read_bank_file(&file).unwrap().digest,
        bank.digest
    );
}

#[test]
fn other_content_under_a_stored_or_built_in_name_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let mut assay = open(&db);
    let folder = team_bank(dir.path(), &assay);
    assay.import_bank(&folder).unwrap();

    // The same name with other content: refused.
    let people = folder.join("questions/people.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        text.replacen("No ML role is written down", "Nobody owns ML", 1),
    )
    .unwrap();
    let error = assay.import_bank(&folder).unwrap_err();
    assert_eq!(error.code(), ErrorCode::BankConflict, "{error}");
    assert!(
        error
            .to_string()
            .contains("give the changed bank a new version"),
        "{error}"
    );

    // A built-in name with other content: refused before anything is stored.
    let root = folder.join("bank.toml");
    let text = std::fs::read_to_string(&root).unwrap();
    std::fs::write(&root, text.replace("1.0.0-team.1", "1.0.0")).unwrap();
    let error = assay.import_bank(&folder).unwrap_err();
    assert_eq!(error.code(), ErrorCode::BankConflict, "{error}");
    assert_eq!(count(&db, "SELECT count(*) FROM bank"), 1);

    // An unknown bank for a new assessment: a clear error, no assessment.
    let error = assay
        .create_assessment(new_assessment(Some("nope@9")))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnknownBank, "{error}");
    assert_eq!(count(&db, "SELECT count(*) FROM assessment"), 0);
}

/// A bundle file's JSON with `edit` applied to its parsed value.
fn edited_bundle(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut value);
    value.to_string()
}

#[test]
fn a_bundle_whose_bank_was_edited_or_swapped_is_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("team.db"));
    let folder = team_bank(dir.path(), &assay);
    assay.import_bank(&folder).unwrap();
    let created = assay
        .create_assessment(new_assessment(Some("assay-mlops@1.0.0-team.1")))
        .unwrap();
    let path = dir.path().join("b.assay.json");
    assay.export_bundle_file(&created.id, &path).unwrap();

    let anchor = "/bank/content/questions/0/anchors/1";
    // The bank's content edited, its recorded hash left alone.
    let edited = edited_bundle(&path, |v| {
        *v.pointer_mut(anchor).unwrap() = "Roles are perfect.".into();
    });
    // The bank edited and its own hash recomputed: the content still names the original.
    let swapped = edited_bundle(&path, |v| {
        *v.pointer_mut(anchor).unwrap() = "Roles are perfect.".into();
        let bank: Bank = serde_json::from_value(v["bank"]["content"].clone()).unwrap();
        v["bank"]["sha256"] = CanonicalBank::of(bank).digest.to_string().into();
    });
    // A bank broken in a way its hash cannot hide: an anchor missing.
    let broken = edited_bundle(&path, |v| {
        v.pointer_mut("/bank/content/questions/0/anchors")
            .unwrap()
            .as_array_mut()
            .unwrap()
            .pop();
    });
    for (case, text, says) in [
        ("edited", edited, "does not match the bank's hash"),
        ("swapped", swapped, "not the one its assessment names"),
        ("broken", broken, "anchor for level 4 is missing"),
    ] {
        let other_db = dir.path().join(format!("{case}.db"));
        let mut other = open(&other_db);
        let error = Bundle::parse_unchecked(&text)
            .and_then(|bundle| other.import_bundle(&bundle))
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidBundle, "{case}: {error}");
        assert!(error.to_string().contains(says), "{case}: {error}");
        assert_eq!(count(&other_db, "SELECT count(*) FROM bank"), 0, "{case}");
        assert_eq!(
            count(&other_db, "SELECT count(*) FROM assessment"),
            0,
            "{case}"
        );
    }
}

#[test]
fn a_stored_bank_edited_in_sql_is_reported_as_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let mut assay = open(&db);
    let created = assay.create_assessment(new_assessment(None)).unwrap();
    assay.verify_audit_trail().unwrap();
    drop(assay);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        // The trigger refuses the edit; someone determined drops it first.
        let refused = conn.execute(
            "UPDATE bank SET content = replace(content, 'Initial', 'Fine')",
            [],
        );
        assert!(refused.unwrap_err().to_string().contains("never changes"));
        conn.execute_batch(
            "DROP TRIGGER bank_never_changes;
             UPDATE bank SET content = replace(content, 'Initial', 'Fine');",
        )
        .unwrap();
    }
    let assay = open(&db);
    let error = assay.verify_audit_trail().unwrap_err();
    assert_eq!(error.code(), ErrorCode::Tampered, "{error}");
    let default = format!("{DEFAULT_BANK_ID}@{DEFAULT_BANK_VERSION}");
    assert!(error.to_string().contains(&default), "{error}");
    // Scoring with a bank that no longer matches its hash is refused too.
    assert!(assay.score(&created.id).is_err());
}
