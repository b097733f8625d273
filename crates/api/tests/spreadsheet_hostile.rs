//! Malformed and hostile workbooks, for both bank import and questionnaire import: wrong cell
//! types, formulas, duplicate ids, unknown clause ids, stray cells, another assessment's or
//! bank's file, a file too large, a sheet of a million rows, and zip bombs that declare their
//! size honestly or lie about it. Each gets a clear error, fast, with the database unchanged.

#![allow(clippy::unwrap_used)]

mod workbooks;

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::{Duration as Elapsed, Instant};

use assay_api::{
    ApiError, Assay, ErrorCode, NewAssessment, NewParticipant, SheetError, SteppingClock,
};
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

/// Rows of every table an import could write, and the audit trail's length.
fn fingerprint(db: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    ["answer", "vote", "audit_event", "bank", "assessment"]
        .iter()
        .map(|table| {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
}

/// The cell problems of a refused workbook, as `cell: problem` lines.
fn cells(error: &ApiError) -> Vec<String> {
    match error {
        ApiError::BankWorkbook(SheetError::Cells { problems, .. })
        | ApiError::Questionnaire(SheetError::Cells { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        other => panic!("not a list of cells: {other}"),
    }
}

struct Setup {
    dir: tempfile::TempDir,
    db: std::path::PathBuf,
    assay: Assay,
    id: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let mut assay = open(&db);
    let id = assay
        .create_assessment(NewAssessment {
            scope: "Search".into(),
            bank: Some("assay-mlops@1.0.0".into()),
            participants: vec![NewParticipant {
                name: "Ana".into(),
                role: "Facilitator".into(),
            }],
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    Setup { dir, db, assay, id }
}

#[test]
fn a_malformed_bank_workbook_names_every_bad_cell_and_stores_nothing() {
    let Setup {
        dir,
        db,
        mut assay,
        id,
    } = setup();
    let template = dir.path().join("bank.xlsx");
    assay.export_bank("assay-mlops@2.0.0", &template).unwrap();
    let before = fingerprint(&db);
    let edited = |edit: &dyn Fn(&mut Book)| {
        let mut book = Book::read(&template);
        book.set("Bank", "B5", text("2.0.0-edited"));
        edit(&mut book);
        let path = dir.path().join("edited.xlsx");
        book.write(&path);
        path
    };
    let import = |assay: &mut Assay, path: &Path| assay.import_bank(path).unwrap_err();

    // Several cells at once, each by name.
    let path = edited(&|book| {
        let first = book.get("Questions", "A2").unwrap().clone();
        book.set(
            "Questions",
            "C2",
            Cell::Formula("=UPPER(\"x\")".into(), "X".into()),
        )
        .set("Questions", "D3", Cell::Bool(true))
        .set("Headline", "A2", Cell::Date(46000.0))
        .set("Questions", "A4", first)
        .set("Questions", "P2", text("stray"))
        .set("Bank", "A30", text("colour"))
        .set("Questions", "L5", text("iso_42001 A.3.2"));
    });
    let error = import(&mut assay, &path);
    assert_eq!(error.code(), ErrorCode::InvalidBank);
    let first = Book::read(&template);
    let Some(Cell::Text(q2)) = first.get("Questions", "A2") else {
        panic!()
    };
    assert_eq!(
        cells(&error),
        [
            "Bank!A30: `colour` is not a key of a bank (see the list in docs/banks/format.md)"
                .to_owned(),
            "Questions!P2: outside the sheet's columns (A to N); move or clear it".into(),
            "Questions!C2: formula not accepted, type the value".into(),
            "Questions!D3: `TRUE` is not text; type the text".into(),
            format!("Questions!A4: question {q2} is also on row 2"),
            "Questions!L5: `iso_42001 A.3.2` is not `framework: clause, clause`".into(),
            "Headline!A2: a date is not a whole number 1-255".into(),
        ]
    );
    let message = error.to_string();
    assert!(
        message.contains("7 cells could not be read, so nothing was imported"),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");

    // A rule of the bank format, named with the question's row.
    let path = edited(&|book| {
        book.set("Questions", "L3", text("iso_42001: A.99"));
    });
    let message = import(&mut assay, &path).to_string();
    let Some(Cell::Text(q3)) = first.get("Questions", "A3") else {
        panic!()
    };
    assert_eq!(
        message,
        format!(
            "question bank: edited.xlsx, Questions row 3: question {q3}: crosswalk id `A.99` is \
             not in the ISO/IEC 42001 catalogue"
        )
    );
    // A headline level naming a question that is not there.
    let path = edited(&|book| {
        book.set("Headline", "C2", text("SCALE-1\nNOPE-1"));
    });
    assert!(
        import(&mut assay, &path)
            .to_string()
            .ends_with("headline level 1 names unknown question NOPE-1"),
    );
    // Another kind of workbook, and one without a sheet.
    let questionnaire = dir.path().join("questionnaire.xlsx");
    assay
        .export_questionnaire(&id, &questionnaire, None)
        .unwrap();
    let message = import(&mut assay, &questionnaire).to_string();
    assert!(
        message.contains("is not an Assay bank workbook"),
        "{message}"
    );
    let path = edited(&|book| book.sheets.retain(|(name, _)| name != "Catalogues"));
    let message = import(&mut assay, &path).to_string();
    assert!(
        message.contains("has no sheet named `Catalogues`"),
        "{message}"
    );

    assert_eq!(fingerprint(&db), before);
}

#[test]
fn questionnaire_cells_that_cannot_be_read_are_listed_and_nothing_is_written() {
    let Setup {
        dir,
        db,
        mut assay,
        id,
    } = setup();
    let file = dir.path().join("q.xlsx");
    assay.export_questionnaire(&id, &file, None).unwrap();
    let mut book = Book::read(&file);
    let row = |q: &str| book.row_of("Questions", q);
    let (org1, org2, org3, pm1, pm2, ks1) = (
        row("ORG-1"),
        row("ORG-2"),
        row("ORG-3"),
        row("PM-1"),
        row("PM-2"),
        row("KS-1"),
    );
    book.set("Questions", &format!("F{org1}"), Cell::Number(3.0)) // fine on its own
        .set("Questions", &format!("F{org2}"), Cell::Number(7.0))
        .set("Questions", &format!("F{org3}"), text("N/A"))
        .set(
            "Questions",
            &format!("F{pm1}"),
            Cell::Formula("=1+1".into(), "2".into()),
        )
        .set("Questions", &format!("H{pm1}"), Cell::Bool(false))
        .set("Questions", &format!("F{pm2}"), Cell::Number(2.5))
        .set("Questions", &format!("F{ks1}"), Cell::Number(1.0))
        .set("Questions", &format!("G{ks1}"), text("not N/A"))
        .set("Questions", "A60", text("ORG-1"))
        .set("Questions", "F60", Cell::Number(2.0))
        .set("Questions", "A61", text("XYZ-9"))
        .set("Questions", "F62", Cell::Number(2.0))
        .set("Questions", "K3", text("my own column"));
    let bad = dir.path().join("bad.xlsx");
    book.write(&bad);

    let before = fingerprint(&db);
    let error = assay.import_questionnaire(&id, &bad, None).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let problems = cells(&error);
    let expected = [
        "Questions!K3: outside the sheet's columns (A to H); move or clear it".to_owned(),
        format!("Questions!F{org2}: `7` is not a level 0-4 or N/A"),
        format!("Questions!F{pm1}: formula not accepted, type the value"),
        format!("Questions!H{pm1}: `FALSE` is not text; type the text"),
        format!("Questions!F{pm2}: `2.5` is not a level 0-4 or N/A"),
        format!("Questions!A60: question ORG-1 is also on row {org1}"),
        "Questions!A61: no question `XYZ-9` in bank assay-mlops@1.0.0".into(),
        "Questions!A62: no question id on a row with answers".into(),
        format!("Questions!G{org3}: N/A needs a justification"),
        format!(
            "Questions!G{ks1}: a justification goes with N/A only: clear it or set Level to N/A"
        ),
    ];
    for line in &expected {
        assert!(problems.contains(line), "missing {line:?} in {problems:#?}");
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    assert_eq!(fingerprint(&db), before);

    // As votes, N/A needs no justification and a justification is not read; the other cells
    // still refuse the file.
    let error = assay
        .import_questionnaire(&id, &bad, Some("Ana"))
        .unwrap_err();
    let as_votes = cells(&error);
    assert_eq!(as_votes, problems[..problems.len() - 2], "{as_votes:#?}");
    let error = assay.import_questionnaire(&id, &bad, Some("nobody"));
    assert_eq!(error.unwrap_err().code(), ErrorCode::UnknownParticipant);
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_questionnaire_for_another_assessment_or_bank_is_refused() {
    let Setup {
        dir,
        db,
        mut assay,
        id,
    } = setup();
    let other = assay
        .create_assessment(NewAssessment {
            scope: "Ranking".into(),
            bank: Some("assay-mlops@2.0.0".into()),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    let mine = dir.path().join("mine.xlsx");
    assay.export_questionnaire(&id, &mine, None).unwrap();
    let theirs = dir.path().join("theirs.xlsx");
    assay.export_questionnaire(&other, &theirs, None).unwrap();
    let before = fingerprint(&db);

    let error = assay.import_questionnaire(&other, &mine, None).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("mine.xlsx was exported for assessment {id}")),
        "{message}"
    );
    // A file whose About sheet names this assessment but whose bank is another one.
    let mut book = Book::read(&theirs);
    book.set("About", "B3", text(&id));
    let forged = dir.path().join("forged.xlsx");
    book.write(&forged);
    let message = assay
        .import_questionnaire(&id, &forged, None)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("was made with question bank assay-mlops@2.0.0")
            && message.contains("this assessment is taken with assay-mlops@1.0.0"),
        "{message}"
    );
    // A workbook that is not a questionnaire at all.
    let bank = dir.path().join("bank.xlsx");
    assay.export_bank("assay-mlops@1.0.0", &bank).unwrap();
    let message = assay
        .import_questionnaire(&id, &bank, None)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("is not a questionnaire exported by Assay"),
        "{message}"
    );
    assert_eq!(fingerprint(&db), before);
}

/// Both importers on one file: the error of each, and how long it took at most.
fn refuse_both(assay: &mut Assay, id: &str, path: &Path) -> (ApiError, ApiError, Elapsed) {
    let started = Instant::now();
    let bank = assay.import_bank(path).unwrap_err();
    let questionnaire = assay.import_questionnaire(id, path, None).unwrap_err();
    (bank, questionnaire, started.elapsed())
}

#[test]
fn oversized_huge_and_bombed_workbooks_fail_fast_and_cleanly() {
    let Setup {
        dir,
        db,
        mut assay,
        id,
    } = setup();
    let before = fingerprint(&db);

    // Over 16 MiB: refused from its size alone (a sparse file, never read).
    let big = dir.path().join("big.xlsx");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(17 * 1024 * 1024)
        .unwrap();
    let (bank, questionnaire, took) = refuse_both(&mut assay, &id, &big);
    for error in [&bank, &questionnaire] {
        assert!(
            matches!(
                error,
                ApiError::BankWorkbook(SheetError::TooLarge { .. })
                    | ApiError::Questionnaire(SheetError::TooLarge { .. })
            ),
            "{error}"
        );
    }
    assert!(took < Elapsed::from_millis(500), "{took:?}");

    // Not a zip archive.
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, "name,level\nORG-1,3\n").unwrap();
    let (bank, questionnaire, _) = refuse_both(&mut assay, &id, &junk);
    assert_eq!(bank.code(), ErrorCode::InvalidBank);
    assert!(
        questionnaire
            .to_string()
            .starts_with("junk.xlsx is not a workbook Assay can read")
    );

    // A sheet of 200,000 rows, and one value in the last cell a sheet can have.
    let file = dir.path().join("q.xlsx");
    assay.export_questionnaire(&id, &file, None).unwrap();
    let mut book = Book::read(&file);
    for row in 100..200_000 {
        book.set("Questions", &format!("F{row}"), Cell::Number(1.0));
    }
    let huge = dir.path().join("huge.xlsx");
    book.write(&huge);
    let started = Instant::now();
    let message = assay
        .import_questionnaire(&id, &huge, None)
        .unwrap_err()
        .to_string();
    let took = started.elapsed();
    assert!(
        message.contains(
            "has a value in Questions!F10001; a sheet is read up to row 10000 and column BL"
        ),
        "{message}"
    );
    eprintln!("a 200,000-row sheet refused in {took:?}");
    assert!(took < Elapsed::from_secs(3), "{took:?}");
    let mut book = Book::read(&file);
    book.set("Questions", "XFD1048576", text("far"));
    let corner = dir.path().join("corner.xlsx");
    book.write(&corner);
    let message = assay
        .import_questionnaire(&id, &corner, None)
        .unwrap_err()
        .to_string();
    assert!(message.contains("Questions!XFD1048576"), "{message}");

    // A zip bomb that declares what it inflates to: refused before anything is inflated.
    let bomb = dir.path().join("bomb.xlsx");
    std::fs::write(&bomb, honest_bomb(100 * 1024 * 1024)).unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1024 * 1024);
    let (bank, questionnaire, took) = refuse_both(&mut assay, &id, &bomb);
    for error in [bank, questionnaire] {
        let message = error.to_string();
        assert!(
            message.contains("its parts inflate to 104857600 bytes"),
            "{message}"
        );
    }
    assert!(took < Elapsed::from_millis(500), "{took:?}");

    // One that lies: the Questions sheet inflates to 200 MiB but declares its real size.
    let liar = dir.path().join("liar.xlsx");
    std::fs::write(
        &liar,
        lying_bomb(&std::fs::read(&file).unwrap(), 200 * 1024 * 1024),
    )
    .unwrap();
    let started = Instant::now();
    let error = assay.import_questionnaire(&id, &liar, None).unwrap_err();
    let took = started.elapsed();
    let message = error.to_string();
    assert!(
        message.starts_with("liar.xlsx is not a workbook Assay can read: sheet `Questions`"),
        "{message}"
    );
    eprintln!("a lying zip bomb refused in {took:?}: {message}");
    assert!(took < Elapsed::from_secs(3), "{took:?}");

    assert_eq!(fingerprint(&db), before);
}

/// A zip whose one part is `size` bytes of spaces, with its size declared.
fn honest_bomb(size: u64) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    std::io::copy(&mut std::io::repeat(b' ').take(size), &mut zip).unwrap();
    zip.finish().unwrap().into_inner()
}

/// `workbook` with its first sheet padded by `padding` spaces inside `<sheetData>`, while both
/// of the entry's headers still declare the original size.
fn lying_bomb(workbook: &[u8], padding: u64) -> Vec<u8> {
    let target = "xl/worksheets/sheet1.xml";
    let mut source = zip::ZipArchive::new(Cursor::new(workbook)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut declared = 0u32;
    for index in 0..source.len() {
        let mut entry = source.by_index(index).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        if name == target {
            declared = u32::try_from(content.len()).unwrap();
            let text = String::from_utf8(content).unwrap();
            let (head, tail) = text.split_at(text.find("<sheetData>").unwrap() + 11);
            out.write_all(head.as_bytes()).unwrap();
            std::io::copy(&mut std::io::repeat(b' ').take(padding), &mut out).unwrap();
            out.write_all(tail.as_bytes()).unwrap();
        } else {
            out.write_all(&content).unwrap();
        }
    }
    let mut bytes = out.finish().unwrap().into_inner();
    // Local header: size at 22, name length at 26, name at 30. Central: 24, 28, 46.
    for (signature, size_at, name_len_at, name_at) in
        [(b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)]
    {
        let mut patched = 0;
        for start in 0..bytes.len().saturating_sub(name_at) {
            if &bytes[start..start + 4] != signature {
                continue;
            }
            let len = usize::from(u16::from_le_bytes([
                bytes[start + name_len_at],
                bytes[start + name_len_at + 1],
            ]));
            let name = bytes.get(start + name_at..start + name_at + len);
            if name == Some(target.as_bytes()) {
                bytes[start + size_at..start + size_at + 4]
                    .copy_from_slice(&declared.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 1, "{signature:?}");
    }
    bytes
}
