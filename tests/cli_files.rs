//! Acceptance tests of the `assay` binary's file exchanges: bundles, bank files and spreadsheets.

#![allow(clippy::unwrap_used)]

mod cli_support;

use cli_support::Workspace;
use serde_json::Value;

#[test]
fn bundles_from_the_command_line() {
    let laptop_a = Workspace::new();
    let laptop_b = Workspace::new();
    let id = laptop_a.ok(&["demo"]).trim().to_owned();
    let file = laptop_a.dir.path().join("review.json");
    let file = file.to_str().unwrap();
    let said = laptop_a.ok(&["bundle", "export", "-a", &id, "-o", file]);
    assert!(said.contains("sha256"), "{said}");

    let imported = laptop_b.json(&["bundle", "import", file, "--json"]);
    assert_eq!(imported["mode"], "new");
    assert_eq!(imported["assessment_id"], id.as_str());
    let votes = imported["votes"].as_u64().unwrap();
    assert!(votes > 0);
    assert_eq!(
        laptop_b.json(&["score", "-a", &id, "--json"]),
        laptop_a.json(&["score", "-a", &id, "--json"])
    );

    // Each laptop changes the same answer differently; merging lists it and keeps every vote.
    laptop_a.ok(&["answer", "-a", &id, "-q", "GOV-3", "--level", "0"]);
    laptop_b.ok(&["answer", "-a", &id, "-q", "GOV-3", "--level", "4"]);
    let from_b = laptop_b.dir.path().join("b.json");
    let from_b = from_b.to_str().unwrap();
    laptop_b.ok(&["bundle", "export", "-a", &id, "-o", from_b]);
    let merged = laptop_a.ok(&["bundle", "import", from_b]);
    assert!(merged.contains("Merged into"), "{merged}");
    assert!(merged.contains("1 conflicts"), "{merged}");
    assert!(merged.contains("answer GOV-3"), "{merged}");
    let after = laptop_a.json(&["assessment", "show", &id, "--json"]);
    assert_eq!(after["votes"].as_array().unwrap().len() as u64, votes);

    // A truncated bundle is refused with one line and status 2.
    let cut = laptop_a.dir.path().join("cut.json");
    let text = std::fs::read_to_string(from_b).unwrap();
    std::fs::write(&cut, &text[..text.len() / 3]).unwrap();
    let error = laptop_b.refused(&["bundle", "import", cut.to_str().unwrap()], 2);
    assert!(error.contains("ends early"), "{error}");

    // Merging files: since the original export only B changed GOV-3, so B's value is taken.
    let out = laptop_a.dir.path().join("m.json");
    let out = out.to_str().unwrap();
    let conflicts = laptop_a.json(&["bundle", "merge", file, from_b, "-o", out, "--json"]);
    assert_eq!(conflicts, serde_json::json!([]));
    let merged: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let answers = merged["content"]["answers"].as_array().unwrap();
    let gov3 = answers
        .iter()
        .find(|a| a["question_id"] == "GOV-3")
        .unwrap();
    assert_eq!(gov3["answer"]["rating"]["level"], 4);
}

#[test]
fn spreadsheets_from_the_command_line() {
    let ws = Workspace::new();
    let path = |name: &str| ws.dir.path().join(name).to_str().unwrap().to_owned();
    let bank = path("bank.xlsx");
    let said = ws.ok(&["bank", "export", "assay-mlops@2.0.0", "-o", &bank]);
    assert!(
        said.starts_with(&format!("wrote {bank} (assay-mlops@2.0.0; SHA-256")),
        "{said}"
    );
    let stored = ws.ok(&["bank", "import", &bank]);
    let digest = said
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches(')');
    assert!(
        stored.contains(&format!("79 questions; SHA-256 {digest}")),
        "{stored}"
    );

    let id = ws
        .ok(&[
            "assessment",
            "new",
            "--scope",
            "Ads",
            "--bank",
            "assay-mlops@1.0.0",
            "--participant",
            "Ana:Lead",
        ])
        .trim()
        .to_owned();
    ws.ok(&[
        "answer",
        "-a",
        &id,
        "-q",
        "GOV-2",
        "-l",
        "3",
        "--note",
        "Één model",
    ]);
    let file = path("q.xlsx");
    let said = ws.ok(&["questionnaire", "export", "-a", &id, "-o", &file]);
    assert!(
        said.contains("47 questions of assay-mlops@1.0.0, 1 answered"),
        "{said}"
    );
    // The file still says 3: importing it sets the answer back.
    ws.ok(&["answer", "-a", &id, "-q", "GOV-2", "-l", "1"]);
    let said = ws.ok(&["questionnaire", "import", "-a", &id, &file]);
    assert!(
        said.contains("1 answers set, 0 unchanged, 46 blank"),
        "{said}"
    );
    let shown = ws.json(&["assessment", "show", &id, "--json"]);
    assert_eq!(shown["answers"]["GOV-2"]["rating"]["level"], 3);
    // The consensus copy is not Ana's view: as her votes it is refused.
    let error = ws.refused(
        &["questionnaire", "import", "-a", &id, &file, "--as", "ana"],
        2,
    );
    assert!(
        error.contains(
            "was exported with 1 consensus answers filled in, so its levels are not Ana's own votes"
        ),
        "{error}"
    );
    // Her own copy holds her votes and comes back as hers, with or without --as.
    ws.ok(&["answer", "-a", &id, "-q", "ORG-1", "-l", "2", "-p", "ana"]);
    let hers = path("ana.xlsx");
    let said = ws.ok(&[
        "questionnaire",
        "export",
        "-a",
        &id,
        "-o",
        &hers,
        "--for",
        "Ana",
    ]);
    assert!(said.contains("1 voted on by Ana"), "{said}");
    ws.ok(&["answer", "-a", &id, "-q", "ORG-1", "-l", "4", "-p", "ana"]);
    let votes = ws.json(&["questionnaire", "import", "-a", &id, &hers, "--json"]);
    assert_eq!(votes["votes_cast"], 1, "her vote of 2 is back");
    assert_eq!(votes["participant"], "Ana");
    let shown = ws.json(&["assessment", "show", &id, "--json"]);
    assert_eq!(shown["votes"][0]["value"]["level"], 2, "{shown}");

    // Another assessment's file: one line, status 2, nothing imported.
    let other = ws
        .ok(&["assessment", "new", "--scope", "Search"])
        .trim()
        .to_owned();
    let error = ws.refused(&["questionnaire", "import", "-a", &other, &file], 2);
    assert!(
        error.contains(&format!("was exported for assessment {id}")),
        "{error}"
    );
    let error = ws.refused(
        &["questionnaire", "export", "-a", &id, "-o", &path("q.csv")],
        2,
    );
    assert!(error.contains("does not end in .xlsx"), "{error}");
}

#[test]
fn a_report_checked_against_the_database() {
    let ws = Workspace::new();
    let id = ws
        .ok(&["assessment", "new", "--scope", "Ads", "--target", "2"])
        .trim()
        .to_owned();
    ws.ok(&["answer", "-a", &id, "-q", "GOV-2", "-l", "1"]);
    let report = ws.dir.path().join("ads.html");
    let report = report.to_str().unwrap();
    ws.ok(&["report", "-a", &id, "--format", "html", "--out", report]);
    let said = ws.ok(&["verify", report]);
    assert!(
        said.ends_with("; the database holds the same data\n"),
        "{said}"
    );
    ws.ok(&["answer", "-a", &id, "-q", "GOV-2", "-l", "2"]);
    let said = ws.ok(&["verify", report]);
    assert!(
        said.contains("; the database has moved on since: 1 audit events after the report's"),
        "{said}"
    );
    let elsewhere = Workspace::new();
    let said = elsewhere.ok(&["verify", report]);
    assert!(
        said.contains("this database does not hold its assessment"),
        "{said}"
    );
}
