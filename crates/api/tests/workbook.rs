//! The assessment workbook read back with openpyxl, as an auditor's spreadsheet would read it:
//! a sheet per table with the header frozen and filters on, numbers and dates typed, the scope's
//! tracker evidence complete, and text that looks like a formula kept as text.

#![allow(clippy::unwrap_used)]

mod interop_fixtures;

use std::path::PathBuf;

use assay_api::{NewAssessment, NewItem};
use interop_fixtures::{HOSTILE, open, seed, snapshot};

fn openpyxl() -> Option<PathBuf> {
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

const READ: &str = r#"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    rows = list(sheet.iter_rows())
    out[sheet.title] = {
        "header": [c.value for c in rows[0]],
        "rows": len(rows) - 1,
        "frozen": sheet.freeze_panes,
        "filter": sheet.auto_filter.ref,
        "types": [sorted({type(r[i].value).__name__ for r in rows[1:] if r[i].value is not None})
                  for i in range(len(rows[0]))],
        "formulas": sum(1 for r in rows for c in r if c.data_type == "f"),
        "text": [[c.value for c in r] for r in rows[1:4]],
    }
print(json.dumps(out, default=str))
"#;

#[test]
fn the_workbook_holds_every_table_typed_and_the_full_evidence() {
    let Some(python) = openpyxl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let hostile = |s: &str| format!("{s} {HOSTILE}");
    let evidence = snapshot(&hostile);
    seed(&db, &evidence, "Fraud models");
    let mut assay = open(&db);
    let id = assay
        .create_assessment(NewAssessment {
            scope: "Fraud models".into(),
            title: "Q3 review".into(),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    assay
        .create_item(NewItem {
            assessment: Some(id.clone()),
            title: "=HYPERLINK(\"https://example.com\",\"click\")".into(),
            owner: Some(HOSTILE.chars().take(100).collect()),
            due_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
            ..NewItem::default()
        })
        .unwrap();
    let out = dir.path().join("book.xlsx");
    let book = assay.export_workbook(&id, &out).unwrap();
    let count = |name: &str| book.sheets.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(count("Runs"), evidence.runs.len());
    assert_eq!(count("Fairness"), evidence.bias.len());
    assert_eq!(count("Lineage"), evidence.edges.len());
    assert_eq!(count("Datasets"), evidence.datasets.len());
    assert_eq!(count("Model versions"), evidence.model_versions.len());
    assert_eq!(count("Register"), 1);
    let bank_questions = assay.assessment_bank(&id).unwrap().bank.questions.len();
    assert_eq!(count("Findings"), bank_questions);

    let run = std::process::Command::new(python)
        .args(["-c", READ, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
    let sheets: Vec<String> = read.as_object().unwrap().keys().cloned().collect();
    let mut expected: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    let mut found = sheets.clone();
    found.sort();
    assert_eq!(found, expected);
    for name in &names {
        let sheet = &read[*name];
        assert_eq!(
            sheet["frozen"], "A2",
            "{name}: the header row stays in view"
        );
        assert!(
            sheet["filter"].as_str().unwrap().starts_with("A1:"),
            "{name}: filters"
        );
        assert_eq!(sheet["formulas"], 0, "{name}: no cell is a formula");
        assert_eq!(sheet["rows"], count(name), "{name}");
    }
    let column = |sheet: &str, title: &str| {
        let header = read[sheet]["header"].as_array().unwrap();
        let i = header.iter().position(|h| h == title).unwrap();
        read[sheet]["types"][i].clone()
    };
    assert_eq!(column("Register", "due"), serde_json::json!(["datetime"]));
    assert_eq!(
        column("Register", "created"),
        serde_json::json!(["datetime"])
    );
    assert_eq!(column("Fairness", "value"), serde_json::json!(["float"]));
    assert_eq!(column("Findings", "question"), serde_json::json!(["str"]));
    // Each clause's typed links, by question; blank when none of its links is typed.
    assert_eq!(
        read["Crosswalk"]["header"],
        serde_json::json!([
            "framework",
            "clause",
            "title",
            "coverage",
            "questions",
            "relationship",
            "rationale",
            "evidence links"
        ])
    );
    let bank = assay.assessment_bank(&id).unwrap();
    if bank.bank.has_typed_crosswalk() {
        assert_eq!(
            column("Crosswalk", "relationship"),
            serde_json::json!(["str"])
        );
        assert_eq!(column("Crosswalk", "rationale"), serde_json::json!(["str"]));
        for row in read["Crosswalk"]["text"].as_array().unwrap() {
            let Some(links) = row[5].as_str() else {
                continue;
            };
            for link in links.split("; ") {
                let (question, relationship) = link.split_once(": ").unwrap();
                assert!(bank.bank.question(question).is_some(), "{links}");
                assert!(
                    assay_assessment::Relationship::parse(relationship).is_some(),
                    "{links}"
                );
            }
        }
    }
    let register = &read["Register"]["text"][0];
    assert_eq!(register[1], "=HYPERLINK(\"https://example.com\",\"click\")");
    let runs = read["Runs"]["text"].to_string();
    assert!(
        runs.contains("onerror=alert(1)"),
        "tracker text is kept as text: {runs}"
    );
}
