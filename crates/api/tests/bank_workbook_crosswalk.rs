//! Typed crosswalk links and re-attestation periods in a bank workbook, through real files: a
//! bank with both comes back from its workbook unchanged (also after openpyxl saves it, as a
//! person's spreadsheet program would), a workbook in the earlier twelve-column layout still
//! reads, and a bad relationship, rationale or period is reported with its cell.

#![allow(clippy::unwrap_used)]

mod workbooks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assay_api::{ApiError, Assay, ErrorCode, SheetError, SteppingClock, read_bank_file};
use assay_assessment::{
    BANK_FILE_FORMAT, BANK_FILE_VERSION, Bank, BankFile, CanonicalBank, ClauseRelation,
    Relationship,
};
use chrono::{Duration, TimeZone, Utc};
use workbooks::{Book, Cell, text};

/// Commas, colons (with and without a space), brackets, quotes, markup and a formula: a
/// rationale is text, whatever it looks like.
const HOSTILE_RATIONALE: &str = "Checks roles: only the written list, [not] budgets; \"quoted\", \
     'single' <script>alert(1)</script> =SUM(A1) & ünïcode ✓ a:b";

fn open(path: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    Assay::open(
        path,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
}

/// A built-in bank under a new version, without any typed link or re-attestation period.
fn untyped_bank(assay: &Assay, version: &str) -> Bank {
    let mut bank = assay.find_bank("assay-mlops@2.0.0").unwrap().bank.clone();
    bank.version = version.to_owned();
    for question in &mut bank.questions {
        question.relations.clear();
        question.reattest_days = None;
    }
    bank
}

fn relation(relationship: Relationship, rationale: Option<&str>) -> ClauseRelation {
    ClauseRelation {
        relationship,
        rationale: rationale.map(str::to_owned),
    }
}

/// The same bank with typed links, rationales (one hostile, one with a clause id holding a
/// space, one with colons only) and re-attestation periods at both ends of the range.
fn typed_bank(assay: &Assay, version: &str) -> Bank {
    let mut bank = untyped_bank(assay, version);
    let org1 = bank.questions.iter_mut().find(|q| q.id == "ORG-1").unwrap();
    assert_eq!(org1.crosswalk["iso_42001"], ["A.3.2"]);
    assert_eq!(org1.crosswalk["nist_ai_rmf"], ["GOVERN 2.1"]);
    org1.relations = BTreeMap::from([
        (
            "iso_42001".to_owned(),
            BTreeMap::from([(
                "A.3.2".to_owned(),
                relation(Relationship::Subset, Some(HOSTILE_RATIONALE)),
            )]),
        ),
        (
            "nist_ai_rmf".to_owned(),
            BTreeMap::from([(
                "GOVERN 2.1".to_owned(),
                relation(Relationship::Intersects, Some("Scope: roles: owners.")),
            )]),
        ),
        (
            "eu_ai_act".to_owned(),
            BTreeMap::from([("Art.17".to_owned(), relation(Relationship::Equal, None))]),
        ),
    ]);
    org1.reattest_days = Some(1);
    let second = &mut bank.questions[1];
    let (framework, clauses) = second.crosswalk.iter().next().unwrap();
    second.relations = BTreeMap::from([(
        framework.clone(),
        BTreeMap::from([(
            clauses[0].clone(),
            relation(Relationship::Superset, Some("Asks for more, [all] of it.")),
        )]),
    )]);
    second.reattest_days = Some(3650);
    bank.questions[2].reattest_days = Some(90);
    bank.validated("typed bank").unwrap()
}

/// Stores `bank` as a team would import it (a bank file without a recorded hash); its name.
fn store(assay: &mut Assay, dir: &Path, bank: Bank) -> String {
    let name = format!("{}@{}", bank.id, bank.version);
    let file = BankFile {
        format: BANK_FILE_FORMAT.to_owned(),
        format_version: BANK_FILE_VERSION,
        sha256: None,
        bank,
    };
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
    assay.import_bank(&path).unwrap();
    name
}

/// The cell problems of a refused workbook, as `cell: problem` lines.
fn cells(error: &ApiError) -> Vec<String> {
    match error {
        ApiError::BankWorkbook(SheetError::Cells { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        other => panic!("not a list of cells: {other}"),
    }
}

#[test]
fn typed_links_rationales_and_reattest_days_come_back_from_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("typed.db"));
    let bank = typed_bank(&assay, "2.0.0-typed.1");
    let original = CanonicalBank::of(bank.clone());
    let name = store(&mut assay, dir.path(), bank);
    let file = dir.path().join("typed.xlsx");
    assay.export_bank(&name, &file).unwrap();

    let back = read_bank_file(&file).unwrap();
    assert_eq!(back.bank, original.bank);
    assert_eq!(back.digest, original.digest);
    let org1 = back.bank.question("ORG-1").unwrap();
    assert_eq!(
        org1.relation("iso_42001", "A.3.2")
            .unwrap()
            .rationale
            .as_deref(),
        Some(HOSTILE_RATIONALE)
    );
    assert_eq!(org1.reattest_days, Some(1));

    // What an author sees and types.
    let book = Book::read(&file);
    assert_eq!(
        book.get("Questions", "M1"),
        Some(&text("crosswalk rationale"))
    );
    assert_eq!(book.get("Questions", "N1"), Some(&text("re-attest days")));
    let row = book.row_of("Questions", "ORG-1");
    assert_eq!(
        book.get("Questions", &format!("L{row}")),
        Some(&text(
            "eu_ai_act: Art.17 [equal]\niso_42001: A.3.2 [subset]\nnist_ai_rmf: GOVERN 2.1 \
             [intersects]"
        ))
    );
    assert_eq!(
        book.get("Questions", &format!("M{row}")),
        Some(&text(&format!(
            "iso_42001 A.3.2: {HOSTILE_RATIONALE}\nnist_ai_rmf GOVERN 2.1: Scope: roles: owners."
        )))
    );
    assert_eq!(
        book.get("Questions", &format!("N{row}")),
        Some(&Cell::Number(1.0))
    );
    let untyped = book.row_of("Questions", &back.bank.questions[3].id);
    assert_eq!(book.get("Questions", &format!("M{untyped}")), None);
    assert_eq!(book.get("Questions", &format!("N{untyped}")), None);

    // Typed by hand: any case, and a period typed as text.
    let mut book = book;
    book.set("Bank", "B5", text("2.0.0-typed.2"))
        .set(
            "Questions",
            &format!("L{untyped}"),
            text(&format!(
                "{}: {} [ Subset ]",
                back.bank.questions[3].crosswalk.keys().next().unwrap(),
                back.bank.questions[3].crosswalk.values().next().unwrap()[0]
            )),
        )
        .set("Questions", &format!("N{untyped}"), text(" 30 "));
    let edited = dir.path().join("edited.xlsx");
    book.write(&edited);
    let edited = read_bank_file(&edited).unwrap().bank;
    let fourth = &edited.questions[3];
    let (framework, clauses) = fourth.crosswalk.iter().next().unwrap();
    assert_eq!(
        fourth.relation(framework, &clauses[0]),
        Some(&relation(Relationship::Subset, None))
    );
    assert_eq!(fourth.reattest_days, Some(30));
}

#[test]
fn a_rationale_with_a_line_break_is_refused_at_export_and_kept_in_other_forms() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("lines.db"));
    let mut bank = typed_bank(&assay, "2.0.0-lines.1");
    let org1 = bank.questions.iter_mut().find(|q| q.id == "ORG-1").unwrap();
    org1.relations
        .get_mut("iso_42001")
        .unwrap()
        .get_mut("A.3.2")
        .unwrap()
        .rationale = Some("First line.\nSecond line.".into());
    let name = store(&mut assay, dir.path(), bank);

    // A cell line is one link: the export reads its file back, sees the change and refuses.
    let file = dir.path().join("lines.xlsx");
    let error = assay.export_bank(&name, &file).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert!(
        error
            .to_string()
            .contains("cannot be written as a workbook without changing it"),
        "{error}"
    );
    assert!(!file.exists());
    let json = dir.path().join("lines.json");
    assay.export_bank(&name, &json).unwrap();
    let kept = read_bank_file(&json).unwrap();
    let relation = kept
        .bank
        .question("ORG-1")
        .unwrap()
        .relation("iso_42001", "A.3.2");
    assert_eq!(
        relation.unwrap().rationale.as_deref(),
        Some("First line.\nSecond line.")
    );

    // Typed into a cell, the second line is not a link of its own: reported, not joined.
    let template = dir.path().join("template.xlsx");
    assay.export_bank("assay-mlops@2.0.0", &template).unwrap();
    let mut book = Book::read(&template);
    let row = book.row_of("Questions", "ORG-1");
    book.set(
        "Questions",
        &format!("L{row}"),
        text("eu_ai_act: Art.17\niso_42001: A.3.2 [subset]\nnist_ai_rmf: GOVERN 2.1"),
    )
    .set(
        "Questions",
        &format!("M{row}"),
        text("iso_42001 A.3.2: First line.\nSecond line."),
    );
    let typed = dir.path().join("typed-in.xlsx");
    book.write(&typed);
    let error = read_bank_file(&typed).unwrap_err();
    assert_eq!(
        cells(&error),
        [format!(
            "Questions!M{row}: `Second line.` is not `framework clause: rationale`"
        )]
    );
}

#[test]
fn a_workbook_in_the_earlier_twelve_column_layout_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("old.db"));
    let bank = untyped_bank(&assay, "2.0.0-old.1");
    let original = CanonicalBank::of(bank.validated("old").unwrap());
    let name = store(&mut assay, dir.path(), bank);
    let file = dir.path().join("current.xlsx");
    assay.export_bank(&name, &file).unwrap();

    // Columns M and N did not exist: a workbook written before has twelve.
    let mut book = Book::read(&file);
    let questions = &mut book.sheets[2].1;
    assert!(
        questions
            .keys()
            .all(|(row, column)| *column < 12 || *row == 0)
    );
    questions.retain(|(_, column), _| *column < 12);
    let old = dir.path().join("old.xlsx");
    book.write(&old);
    let back = read_bank_file(&old).unwrap();
    assert_eq!(back.digest, original.digest);
    assert_eq!(back.bank, original.bank);

    // Its columns end at L: a value in M is not read as a rationale but reported.
    let row = book.row_of("Questions", "ORG-1");
    book.set(
        "Questions",
        &format!("L{row}"),
        text("eu_ai_act: Art.17 [equal]\niso_42001: A.3.2\nnist_ai_rmf: GOVERN 2.1"),
    );
    let typed = dir.path().join("old-typed.xlsx");
    book.write(&typed);
    let back = read_bank_file(&typed).unwrap().bank;
    let org1 = back.question("ORG-1").unwrap();
    assert_eq!(
        org1.relation("eu_ai_act", "Art.17"),
        Some(&relation(Relationship::Equal, None)),
        "brackets are read in the earlier layout too"
    );
    book.set(
        "Questions",
        &format!("M{row}"),
        text("eu_ai_act Art.17: why"),
    );
    book.write(&typed);
    let error = read_bank_file(&typed).unwrap_err();
    assert_eq!(
        cells(&error),
        [format!(
            "Questions!M{row}: outside the sheet's columns (A to L); move or clear it"
        )]
    );
}

#[test]
fn bad_relationships_rationales_and_reattest_days_name_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let assay = open(&dir.path().join("bad.db"));
    let file = dir.path().join("bank.xlsx");
    assay.export_bank("assay-mlops@2.0.0", &file).unwrap();
    let mut book = Book::read(&file);
    book.set("Bank", "B5", text("2.0.0-bad.1"));
    let row = book.row_of("Questions", "ORG-1");
    let at = |column: &str, offset: u32| format!("{column}{}", row + offset);
    let crosswalk = "eu_ai_act: Art.17 [partial]\n\
                     iso_42001: A.3.2 [subset], A.3.3 [equal]], A.3.2\n\
                     nist_ai_rmf: GOVERN 2.1, [subset]";
    book.set("Questions", &at("L", 0), text(crosswalk))
        .set(
            "Questions",
            &at("M", 0),
            text(
                "iso_42001 A.3.2: fine\niso_42001 A.3.2: again\nnist_ai_rmf GOVERN 2.1: untyped\n\
                 iso_42001 A.9.9: not linked\nno separator here\niso_42001 A.3.2:",
            ),
        )
        .set("Questions", &at("N", 0), Cell::Number(0.0))
        .set("Questions", &at("N", 1), text("90 days"))
        .set("Questions", &at("N", 2), Cell::Number(12.5))
        .set("Questions", &at("N", 3), Cell::Number(3651.0))
        .set("Questions", &at("N", 4), Cell::Date(46000.0))
        .set(
            "Questions",
            &at("N", 5),
            Cell::Formula("=30*3".into(), "90".into()),
        );
    let bad = dir.path().join("bad.xlsx");
    book.write(&bad);
    let error = read_bank_file(&bad).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidBank);
    let l = at("L", 0);
    let m = at("M", 0);
    let expected = [
        format!(
            "Questions!{l}: `partial` after clause Art.17 is not a relationship: use equal, \
             subset, superset or intersects"
        ),
        format!(
            "Questions!{l}: `equal]` after clause A.3.3 is not a relationship: use equal, \
             subset, superset or intersects"
        ),
        format!("Questions!{l}: clause A.3.2 of iso_42001 is listed twice"),
        format!("Questions!{l}: `[subset]` gives a relationship but no clause id"),
        format!("Questions!{m}: iso_42001 A.3.2 has a rationale on an earlier line"),
        format!(
            "Questions!{m}: the link to nist_ai_rmf GOVERN 2.1 has no relationship: give it one \
             in Questions!{l}, e.g. `GOVERN 2.1 [subset]`"
        ),
        format!(
            "Questions!{m}: iso_42001 A.9.9 is not linked in Questions!{l}: a rationale goes \
             with a link there"
        ),
        format!("Questions!{m}: `no separator here` is not `framework clause: rationale`"),
        format!("Questions!{m}: the line for iso_42001 A.3.2 gives no rationale"),
        format!("Questions!{}: `0` is not a whole number 1-3650", at("N", 0)),
        format!(
            "Questions!{}: `90 days` is not a whole number 1-3650",
            at("N", 1)
        ),
        format!(
            "Questions!{}: `12.5` is not a whole number 1-3650",
            at("N", 2)
        ),
        format!(
            "Questions!{}: `3651` is not a whole number 1-3650",
            at("N", 3)
        ),
        format!(
            "Questions!{}: a date is not a whole number 1-3650",
            at("N", 4)
        ),
        format!(
            "Questions!{}: formula not accepted, type the value",
            at("N", 5)
        ),
    ];
    assert_eq!(cells(&error), expected);

    // Once the cells read, the bank's own rules still apply, named with the question's row.
    book.set("Questions", &at("L", 0), text("iso_42001: A.9.9 [subset]"))
        .clear("Questions", &at("M", 0));
    for offset in 0..6 {
        book.clear("Questions", &at("N", offset));
    }
    book.write(&bad);
    let message = read_bank_file(&bad).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "question bank: bad.xlsx, Questions row {row}: question ORG-1: crosswalk id `A.9.9` \
             is not in the ISO/IEC 42001 catalogue"
        )
    );
}

/// The interpreter of the venv that `scripts/test.sh` sets up with openpyxl, or `None` (with a
/// notice) when it is not set up and not required.
fn openpyxl_python() -> Option<PathBuf> {
    match std::env::var("ASSAY_OPENPYXL_PYTHON") {
        Ok(python) if !python.is_empty() => Some(PathBuf::from(python)),
        _ => {
            assert_ne!(
                std::env::var("ASSAY_REQUIRE_OPENPYXL").as_deref(),
                Ok("1"),
                "ASSAY_REQUIRE_OPENPYXL=1 but ASSAY_OPENPYXL_PYTHON is not set"
            );
            eprintln!("skipped: ASSAY_OPENPYXL_PYTHON is not set (scripts/test.sh sets it up)");
            None
        }
    }
}

/// Opens the workbook, prints the ORG-1 row's last three cells as it reads them, and saves it.
const RESAVE: &str = r#"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
sheet = book["Questions"]
header = [c.value for c in sheet[1]]
row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "ORG-1")
print(json.dumps({"header": header, "cells": [c.value for c in row[11:14]]}))
book.save(sys.argv[2])
"#;

#[test]
fn a_typed_bank_saved_again_by_openpyxl_reads_the_same() {
    let Some(python) = openpyxl_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(&dir.path().join("openpyxl.db"));
    let bank = typed_bank(&assay, "2.0.0-openpyxl.1");
    let original = CanonicalBank::of(bank.clone());
    let name = store(&mut assay, dir.path(), bank);
    let file = dir.path().join("typed.xlsx");
    assay.export_bank(&name, &file).unwrap();
    let saved = dir.path().join("saved.xlsx");
    let run = std::process::Command::new(python)
        .args(["-c", RESAVE])
        .arg(&file)
        .arg(&saved)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        read["header"].as_array().unwrap()[11..14],
        ["crosswalk", "crosswalk rationale", "re-attest days"]
    );
    assert_eq!(
        read["cells"][1],
        format!(
            "iso_42001 A.3.2: {HOSTILE_RATIONALE}\nnist_ai_rmf GOVERN 2.1: Scope: roles: owners."
        )
    );
    assert_eq!(read["cells"][2], 1);
    let back = read_bank_file(&saved).unwrap();
    assert_eq!(back.digest, original.digest);
}
