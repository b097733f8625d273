//! Excel round trips through real files and a real SQLite database: every built-in bank comes
//! back from its workbook with the same hash, a bank authored in a spreadsheet is imported and
//! used, and a questionnaire filled in (here, and by openpyxl as a person's spreadsheet program
//! would) becomes answers or one participant's votes. Malformed and hostile workbooks are in
//! `spreadsheet_hostile.rs`.

#![allow(clippy::unwrap_used)]

mod workbooks;

use std::path::{Path, PathBuf};
use std::time::Instant;

use assay_api::{
    AnswerChange, Assay, ErrorCode, NewAssessment, NewParticipant, SteppingClock, read_bank_file,
};
use assay_assessment::{CanonicalBank, Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};
use workbooks::{Book, Cell, text};

fn open(path: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    Assay::open(
        path,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
}

fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn workshop(assay: &mut Assay, bank: Option<&str>) -> String {
    let new = NewAssessment {
        scope: "Fraud models".into(),
        bank: bank.map(str::to_owned),
        participants: ["Ana", "Bo"]
            .map(|name| NewParticipant {
                name: name.into(),
                role: "ML engineer".into(),
            })
            .to_vec(),
        ..NewAssessment::default()
    };
    assay.create_assessment(new).unwrap().id
}

fn answer(assay: &mut Assay, id: &str, question: &str, rating: Rating, note: Option<&str>) {
    let change = AnswerChange {
        rating: Some(rating),
        note: note.map(str::to_owned),
        ..AnswerChange::default()
    };
    assay.update_answer(id, question, change).unwrap();
}

fn level(n: u8) -> Rating {
    Rating::level(Level::new(n).unwrap())
}

#[test]
fn every_builtin_bank_comes_back_from_its_workbook_with_the_same_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("banks.db");
    let mut assay = open(&db);
    let banks = assay_api::builtin_banks().unwrap();
    let shipped = banks.len();
    assert!(shipped >= 3, "{shipped} built-in banks");
    for bank in banks {
        let original = CanonicalBank::of(bank);
        let file = dir.path().join(format!("{}.xlsx", original.name()));
        let started = Instant::now();
        assay.export_bank(&original.name(), &file).unwrap();
        let exported = started.elapsed();
        let started = Instant::now();
        let back = read_bank_file(&file).unwrap();
        let imported = started.elapsed();
        assert_eq!(back.digest, original.digest, "{}", original.name());
        assert_eq!(back.bank, original.bank, "{}", original.name());
        eprintln!(
            "{}: {} questions, {} bytes, export {exported:?}, import {imported:?}, SHA-256 {}",
            original.name(),
            original.bank.questions.len(),
            std::fs::metadata(&file).unwrap().len(),
            back.digest.short()
        );
        // Imported as any bank file is: the built-in content is accepted and stored once.
        for _ in 0..2 {
            let summary = assay.import_bank(&file).unwrap();
            assert_eq!(summary.digest, original.digest.to_string());
        }
    }
    assert_eq!(usize::try_from(count(&db, "bank")).unwrap(), shipped);

    // What a person sees: one row per question, its evidence one per line, crosswalk lines.
    let file = dir.path().join("assay-mlops@2.0.0.xlsx");
    let book = Book::read(&file);
    let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Bank",
            "Areas",
            "Questions",
            "Headline",
            "Catalogues",
            "Upgrades"
        ]
    );
    let bank = assay.find_bank("assay-mlops@2.0.0").unwrap();
    let first = &bank.bank.questions[0];
    assert_eq!(book.get("Questions", "A2"), Some(&text(&first.id)));
    assert_eq!(
        book.get("Questions", "F2"),
        Some(&text(&first.evidence.join("\n")))
    );
    let Some(Cell::Text(crosswalk)) = book.get("Questions", "L2") else {
        panic!("no crosswalk cell");
    };
    let (framework, clauses) = first.crosswalk.iter().next().unwrap();
    assert!(
        crosswalk.starts_with(&format!("{framework}: {}", clauses.join(", "))),
        "{crosswalk}"
    );
    let upgrades = &book.sheets[5].1;
    let changes: usize = bank.bank.upgrades.iter().map(|u| u.changes.len()).sum();
    assert_eq!(
        upgrades.keys().map(|(row, _)| row).max(),
        Some(&(changes as u32))
    );
}

#[test]
fn a_bank_authored_from_an_exported_template_is_imported_and_used() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let mut assay = open(&db);
    let template = dir.path().join("template.xlsx");
    assay.export_bank("assay-mlops@2.0.0", &template).unwrap();

    // A team edits the template: a new version, a retitled bank, a sharpened anchor, and a
    // new question typed on the last row, after other areas' questions.
    let mut book = Book::read(&template);
    book.set("Bank", "B5", text("2.0.0-team.1"))
        .set("Bank", "B6", text("Our MLOps checklist"));
    assert_eq!(book.get("Bank", "A5"), Some(&text("version")));
    let row = book.row_of("Questions", "ORG-1");
    book.set(
        "Questions",
        &format!("G{row}"),
        text("No ML role is written down."),
    );
    let last = book.sheets[2].1.keys().map(|(r, _)| r + 1).max().unwrap() + 1;
    let new = [
        ("A", "ORG-9"),
        ("B", "organization-design"),
        ("C", "Rotation"),
        ("D", "Do engineers rotate through on-call for models?"),
        ("E", "Shared load."),
        ("F", "A rota\nA runbook"),
        ("G", "None."),
        ("H", "Ad hoc."),
        ("I", "A rota."),
        ("J", "Paged automatically."),
        ("K", "Reviewed quarterly."),
        ("L", "iso_42001: A.3.2"),
    ];
    for (column, value) in new {
        book.set("Questions", &format!("{column}{}", last + 1), text(value));
    }
    let edited = dir.path().join("ours.xlsx");
    book.write(&edited);

    let summary = assay.import_bank(&edited).unwrap();
    assert_eq!(
        (
            summary.id.as_str(),
            summary.version.as_str(),
            summary.title.as_str()
        ),
        ("assay-mlops", "2.0.0-team.1", "Our MLOps checklist")
    );
    let bank = assay.find_bank("assay-mlops@2.0.0-team.1").unwrap();
    let ids: Vec<&str> = bank.bank.questions.iter().map(|q| q.id.as_str()).collect();
    let org: Vec<&&str> = ids.iter().filter(|id| id.starts_with("ORG-")).collect();
    assert_eq!(
        org.last(),
        Some(&&"ORG-9"),
        "bank order puts it with its area"
    );
    assert_eq!(
        bank.bank.question("ORG-1").unwrap().anchors[0],
        "No ML role is written down."
    );
    assert_eq!(
        bank.bank.question("ORG-9").unwrap().evidence,
        ["A rota", "A runbook"]
    );
    let id = workshop(&mut assay, Some("assay-mlops@2.0.0-team.1"));
    answer(&mut assay, &id, "ORG-9", level(2), None);
    assert_eq!(count(&db, "bank"), 1, "the team's bank");

    // Its export reads back to the same hash.
    let again = dir.path().join("again.xlsx");
    assay
        .export_bank("assay-mlops@2.0.0-team.1", &again)
        .unwrap();
    assert_eq!(read_bank_file(&again).unwrap().digest, bank.digest);
}

/// A database's state as rows and the audit trail's length.
fn fingerprint(db: &Path) -> [i64; 4] {
    ["answer", "vote", "audit_event", "bank"].map(|table| count(db, table))
}

#[test]
fn a_questionnaire_exported_and_imported_unchanged_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let mut assay = open(&db);
    let id = workshop(&mut assay, Some("assay-mlops@1.0.0"));
    answer(
        &mut assay,
        &id,
        "GOV-2",
        level(1),
        Some("Seul modèle vérifié — 検証済み"),
    );
    answer(
        &mut assay,
        &id,
        "DE-3",
        Rating::not_applicable("Batch scoring only").unwrap(),
        None,
    );
    let file = dir.path().join("questionnaire.xlsx");
    let export = assay.export_questionnaire(&id, &file, None).unwrap();
    assert_eq!((export.questions, export.answered), (47, 2));

    let book = Book::read(&file);
    let row = book.row_of("Questions", "GOV-2");
    assert_eq!(
        book.get("Questions", &format!("F{row}")),
        Some(&Cell::Number(1.0))
    );
    let row = book.row_of("Questions", "DE-3");
    assert_eq!(
        book.get("Questions", &format!("F{row}")),
        Some(&text("N/A"))
    );
    assert_eq!(
        book.get("Questions", &format!("G{row}")),
        Some(&text("Batch scoring only"))
    );
    assert_eq!(book.get("About", "B3"), Some(&text(&id)));

    let before = fingerprint(&db);
    let summary = assay.import_questionnaire(&id, &file, None).unwrap();
    assert_eq!(
        (summary.answers_set, summary.unchanged, summary.blank),
        (0, 2, 45)
    );
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_filled_questionnaire_becomes_answers_or_one_participants_votes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let mut assay = open(&db);
    let id = workshop(&mut assay, Some("assay-mlops@1.0.0"));
    answer(&mut assay, &id, "GOV-2", level(1), Some("kept"));
    let file = dir.path().join("questionnaire.xlsx");
    assay.export_questionnaire(&id, &file, None).unwrap();

    let mut book = Book::read(&file);
    let cell =
        |book: &Book, id: &str, column: &str| format!("{column}{}", book.row_of("Questions", id));
    let edits = [
        ("ORG-1", "F", Cell::Number(3.0)),
        ("ORG-2", "F", text(" 2 ")),
        ("DE-3", "F", text("n/a")),
        ("DE-3", "G", text("Pas de scoring en ligne")),
        ("GOV-2", "H", text("Ünïcode note ✓")),
    ];
    for (question, column, value) in edits {
        let at = cell(&book, question, column);
        book.set("Questions", &at, value);
    }
    let filled = dir.path().join("filled.xlsx");
    book.write(&filled);

    let audit = count(&db, "audit_event");
    let summary = assay.import_questionnaire(&id, &filled, None).unwrap();
    assert_eq!(
        (summary.answers_set, summary.unchanged, summary.votes_cast),
        (4, 0, 0)
    );
    assert_eq!(count(&db, "audit_event"), audit + 4, "one event per answer");
    let stored = assay.assessment(&id).unwrap();
    let get = |q: &str| stored.answers.get(q).unwrap();
    assert_eq!(get("ORG-1").rating, Some(level(3)));
    assert_eq!(get("ORG-2").rating, Some(level(2)));
    assert_eq!(
        get("DE-3").rating,
        Some(Rating::not_applicable("Pas de scoring en ligne").unwrap())
    );
    assert_eq!(
        get("GOV-2").rating,
        Some(level(1)),
        "a blank level keeps it"
    );
    assert_eq!(get("GOV-2").note.as_deref(), Some("Ünïcode note ✓"));

    // The consensus copy is not Bo's view: importing it as his votes is refused.
    let before = fingerprint(&db);
    let error = assay
        .import_questionnaire(&id, &filled, Some("bo"))
        .unwrap_err();
    assert!(
        error.to_string().contains(
            "was exported with 1 consensus answers filled in, so its levels are not Bo's own votes"
        ),
        "{error}"
    );
    assert_eq!(fingerprint(&db), before);

    // Bo's own copy: his one vote filled in, no consensus text. He adds levels and a note.
    assay
        .cast_vote(&id, "GOV-2", "bo", VoteValue::Level(Level::new(2).unwrap()))
        .unwrap();
    let bos = dir.path().join("bo.xlsx");
    let export = assay.export_questionnaire(&id, &bos, Some("Bo")).unwrap();
    assert_eq!(
        (export.participant.as_deref(), export.answered),
        (Some("Bo"), 1)
    );
    let mut book = Book::read(&bos);
    assert_eq!(
        book.get("Questions", &cell(&book, "GOV-2", "F")),
        Some(&Cell::Number(2.0))
    );
    assert_eq!(
        book.get("Questions", &cell(&book, "GOV-2", "H")),
        None,
        "no consensus note"
    );
    let edits = [
        ("ORG-1", "F", Cell::Number(3.0)),
        ("ORG-1", "H", text("Mon avis: plutôt 3")),
        ("DE-3", "F", text("N/A")),
    ];
    for (question, column, value) in edits {
        let at = cell(&book, question, column);
        book.set("Questions", &at, value);
    }
    book.write(&bos);
    // As someone else: refused.
    let error = assay
        .import_questionnaire(&id, &bos, Some("Ana"))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("holds the votes of Bo, not of Ana"),
        "{error}"
    );
    let summary = assay.import_questionnaire(&id, &bos, None).unwrap();
    assert_eq!(summary.participant.as_deref(), Some("Bo"));
    assert_eq!(
        (
            summary.votes_cast,
            summary.unchanged,
            summary.answers_set,
            summary.notes_not_recorded
        ),
        (2, 1, 0, 1)
    );
    let stored = assay.assessment(&id).unwrap();
    let bo = &stored.participants[1];
    let votes: Vec<(&str, VoteValue)> = stored
        .votes
        .iter()
        .filter(|v| v.participant_id == bo.id)
        .map(|v| (v.question_id.as_str(), v.value))
        .collect();
    assert_eq!(votes.len(), 3, "{votes:?}");
    assert!(votes.contains(&("DE-3", VoteValue::NotApplicable)));
    assert!(votes.contains(&("ORG-1", VoteValue::Level(Level::new(3).unwrap()))));
    assert!(votes.contains(&("GOV-2", VoteValue::Level(Level::new(2).unwrap()))));
    assert_eq!(
        stored.answers.get("ORG-1").unwrap().note,
        None,
        "the consensus answer is untouched"
    );
    // Again: every vote is already there.
    let again = assay.import_questionnaire(&id, &bos, Some("Bo")).unwrap();
    assert_eq!((again.votes_cast, again.unchanged), (0, 3));

    // A blank questionnaire may become anyone's votes.
    let fresh = workshop(&mut assay, Some("assay-mlops@1.0.0"));
    let blank = dir.path().join("blank.xlsx");
    assay.export_questionnaire(&fresh, &blank, None).unwrap();
    let mut book = Book::read(&blank);
    let at = cell(&book, "ORG-1", "F");
    book.set("Questions", &at, Cell::Number(1.0));
    book.write(&blank);
    let summary = assay
        .import_questionnaire(&fresh, &blank, Some("Bo"))
        .unwrap();
    assert_eq!(
        (summary.votes_cast, summary.participant.as_deref()),
        (1, Some("Bo"))
    );

    let nobody = assay
        .import_questionnaire(&id, &filled, Some("Cy"))
        .unwrap_err();
    assert_eq!(nobody.code(), ErrorCode::UnknownParticipant);
}

/// The interpreter of the venv that `scripts/test.sh` sets up with openpyxl, or `None` (with a
/// notice) when it is not set up and not required.
fn openpyxl_python() -> Option<PathBuf> {
    match std::env::var("ASSAY_OPENPYXL_PYTHON") {
        Ok(python) if !python.is_empty() => Some(PathBuf::from(python)),
        _ if std::env::var("ASSAY_REQUIRE_OPENPYXL").as_deref() == Ok("1") => panic!(
            "ASSAY_REQUIRE_OPENPYXL=1 but ASSAY_OPENPYXL_PYTHON is not set: scripts/test.sh sets \
             up .cache/openpyxl-venv and exports it"
        ),
        _ => {
            eprintln!(
                "skipped: ASSAY_OPENPYXL_PYTHON is not set (scripts/test.sh sets up openpyxl)"
            );
            None
        }
    }
}

#[test]
fn a_questionnaire_filled_in_by_openpyxl_imports_as_answers() {
    let Some(python) = openpyxl_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let mut assay = open(&db);
    let id = workshop(&mut assay, Some("assay-mlops@2.0.0"));
    let file = dir.path().join("questionnaire.xlsx");
    assay.export_questionnaire(&id, &file, None).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/spreadsheets/fill_questionnaire.py");
    let filled = dir.path().join("filled.xlsx");
    let run = std::process::Command::new(&python)
        .arg(&script)
        .arg(&file)
        .arg(&filled)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    // The script prints what it did, e.g. `{"ORG-1": {"level": 3, ...}, ...}`.
    let expected: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let expected = expected.as_object().unwrap();

    let summary = assay.import_questionnaire(&id, &filled, None).unwrap();
    assert_eq!(summary.answers_set, expected.len());
    let stored = assay.assessment(&id).unwrap();
    for (question, wanted) in expected {
        let answer = stored.answers.get(question).unwrap();
        let rating = match wanted["level"].as_str() {
            Some("N/A") => {
                Rating::not_applicable(wanted["justification"].as_str().unwrap()).unwrap()
            }
            _ => level(u8::try_from(wanted["level"].as_u64().unwrap()).unwrap()),
        };
        assert_eq!(answer.rating.as_ref(), Some(&rating), "{question}");
        assert_eq!(
            answer.note.as_deref(),
            wanted["note"].as_str(),
            "{question}"
        );
    }
    assert!(
        expected.values().any(|w| w["level"] == "N/A")
            && expected
                .values()
                .any(|w| w["note"].as_str().is_some_and(|n| !n.is_ascii())),
        "the script fills an N/A and a non-ASCII note"
    );
}
