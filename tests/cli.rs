//! Acceptance tests of the `assay` binary: the command contract, real database files, and bad
//! input that gets a one-line error, a non-zero status and changes nothing.

#![allow(clippy::unwrap_used)]

mod cli_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

use cli_support::{Run, Workspace, assay_in};

#[test]
fn bank_json_has_three_pillars_fifteen_areas_and_anchored_questions() {
    let ws = Workspace::new();
    let bank = ws.json(&["bank", "--json"]);
    assert_eq!(bank["pillars"].as_array().unwrap().len(), 3);
    let areas: usize = bank["pillars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["areas"].as_array().unwrap().len())
        .sum();
    assert_eq!(areas, 15);
    let questions = bank["questions"].as_array().unwrap();
    assert!(questions.len() >= 45);
    for q in questions {
        assert_eq!(q["anchors"].as_array().unwrap().len(), 5, "{}", q["id"]);
        assert!(
            q["crosswalk"]
                .as_object()
                .unwrap()
                .values()
                .any(|ids| !ids.as_array().unwrap().is_empty())
        );
        assert!(
            !q["why"].as_str().unwrap().is_empty() && !q["evidence"].as_array().unwrap().is_empty()
        );
    }
    assert!(!ws.db.exists(), "listing the bank touches no database");
    let text = ws.ok(&["bank"]);
    assert!(text.contains("PEOPLE") && text.contains("GOV-2"));
}

#[test]
fn demo_then_score_list_and_show() {
    let ws = Workspace::new();
    let id = ws.ok(&["demo"]).trim().to_owned();
    assert_eq!(id.len(), 36, "prints the id: {id}");
    let card = ws.json(&["score", "--assessment", &id, "--json"]);
    assert_eq!(card["headline"]["level"], 1);
    assert_eq!(card["areas"].as_array().unwrap().len(), 15);
    assert_eq!(card["pillars"].as_array().unwrap().len(), 3);
    assert!(card["overall"]["mean"].as_f64().unwrap() > card["overall"]["min"].as_f64().unwrap());
    let text = ws.ok(&["score", "-a", &id[..8]]);
    assert!(
        text.contains("Headline: MLOps level 1 - ML pipeline automation"),
        "{text}"
    );
    assert!(text.contains("How this is scored"));

    let list = ws.json(&["assessment", "list", "--json"]);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["headline_level"], 1);
    let shown = ws.ok(&["assessment", "show", &id]);
    assert!(
        shown.contains("N/A (Fraud scores are computed in a nightly batch"),
        "{shown}"
    );
    assert!(shown.contains("DISSENT"));
    let json = ws.json(&["assessment", "show", &id, "--json"]);
    assert_eq!(json["participants"].as_array().unwrap().len(), 5);
}

#[test]
fn a_workshop_from_the_command_line() {
    let ws = Workspace::new();
    let id = ws
        .ok(&[
            "assessment",
            "new",
            "--scope",
            "Search ranking",
            "--date",
            "2026-02-03",
            "--participant",
            "Ana:Facilitator",
            "--participant",
            "Bo:ML engineer",
            "--target",
            "2",
            "--area-target",
            "governance=3",
            "--question-target",
            "gov-2=4",
        ])
        .trim()
        .to_owned();
    ws.ok(&[
        "assessment",
        "participant",
        &id,
        "--name",
        "Cy",
        "--role",
        "Auditor",
    ]);
    ws.ok(&["answer", "-a", &id, "-q", "GOV-2", "-p", "Ana", "-l", "1"]);
    let vote = ws.ok(&["answer", "-a", &id, "-q", "GOV-2", "-p", "Bo", "-l", "3"]);
    assert!(vote.contains("dissent"), "{vote}");
    ws.ok(&["answer", "-a", &id, "-q", "GOV-2", "-p", "Cy", "--na"]);
    ws.ok(&[
        "answer",
        "-a",
        &id,
        "-q",
        "GOV-2",
        "--accept-votes",
        "--note",
        "Only one model has fairness metrics",
        "--confidence",
        "low",
        "--evidence-url",
        "https://wiki/fairness",
    ]);
    ws.ok(&[
        "answer",
        "-a",
        &id,
        "-q",
        "DE-3",
        "--na",
        "--justification",
        "No online features",
    ]);
    ws.ok(&[
        "assessment",
        "target",
        &id,
        "--area",
        "governance",
        "--clear",
    ]);

    let shown = ws.json(&["assessment", "show", &id, "--json"]);
    assert_eq!(shown["assessed_on"], "2026-02-03");
    assert_eq!(
        shown["answers"]["GOV-2"]["rating"],
        serde_json::json!({"kind": "level", "level": 1})
    );
    assert_eq!(shown["answers"]["GOV-2"]["confidence"], "low");
    assert_eq!(
        shown["answers"]["DE-3"]["rating"]["justification"],
        "No online features"
    );
    assert_eq!(shown["targets"]["questions"]["GOV-2"], 4);
    assert!(shown["targets"]["areas"].as_object().unwrap().is_empty());
    assert_eq!(shown["votes"].as_array().unwrap().len(), 3);

    let card = ws.json(&["score", "-a", &id, "--json"]);
    assert_eq!(card["gaps"][0]["question"], "GOV-2");
    assert_eq!(card["gaps"][0]["size"], 3);
    assert_eq!(card["dissent"], serde_json::json!(["GOV-2"]));
}

#[test]
fn bad_input_gets_one_line_a_status_and_changes_nothing() {
    let ws = Workspace::new();
    let id = ws.ok(&["demo"]).trim().to_owned();
    let before = ws.ok(&["assessment", "show", &id, "--json"]);

    let e = ws.refused(&["score", "-a", "ffffffff"], 3);
    assert_eq!(
        e,
        "error: no assessment has the id `ffffffff`; `assay assessment list` shows them"
    );
    let e = ws.refused(&["answer", "-a", &id, "-q", "GOV-1", "-l", "7"], 2);
    assert_eq!(e, "error: level 7 is out of range: levels run from 0 to 4");
    let e = ws.refused(&["answer", "-a", &id, "-q", "GOV-1", "--na"], 2);
    assert_eq!(
        e,
        "error: N/A needs a justification: say why the question does not apply"
    );
    ws.refused(
        &[
            "answer",
            "-a",
            &id,
            "-q",
            "GOV-1",
            "--na",
            "--justification",
            " ",
        ],
        2,
    );
    // The API says what is wrong; the CLI adds where to look.
    let e = ws.refused(&["answer", "-a", &id, "-q", "NOPE-1", "-l", "2"], 3);
    assert_eq!(
        e,
        "error: no question has the id `NOPE-1` in the question bank; `assay bank` lists them"
    );
    let e = ws.refused(
        &[
            "answer", "-a", &id, "-q", "GOV-1", "-p", "Nobody", "-l", "2",
        ],
        3,
    );
    assert_eq!(
        e,
        "error: nobody called `Nobody` takes part in this assessment; add them with `assay \
         assessment participant`"
    );
    ws.refused(
        &["answer", "-a", &id, "-q", "GOV-1", "--confidence", "sure"],
        2,
    );
    ws.refused(
        &["assessment", "new", "--scope", "x", "--date", "2026-13-01"],
        2,
    );
    ws.refused(
        &[
            "assessment",
            "new",
            "--scope",
            "x",
            "--area-target",
            "nowhere=2",
        ],
        3,
    );
    ws.refused(
        &[
            "assessment",
            "new",
            "--scope",
            "x",
            "--participant",
            "no role",
        ],
        2,
    );

    assert_eq!(ws.ok(&["assessment", "show", &id, "--json"]), before);
    assert_eq!(
        ws.json(&["assessment", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_file_that_is_not_an_assay_database_is_refused_untouched() {
    let ws = Workspace::new();
    std::fs::write(&ws.db, "name,score\nalpha,1\n").unwrap();
    let e = ws.refused(&["assessment", "list"], 4);
    assert!(
        e.ends_with("is not an Assay database: the file is not SQLite"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(&ws.db).unwrap(),
        "name,score\nalpha,1\n"
    );

    let mut corrupt = b"SQLite format 3\0".to_vec();
    corrupt.extend(std::iter::repeat_n(0xAB, 4000));
    std::fs::write(&ws.db, &corrupt).unwrap();
    ws.refused(&["demo"], 4);
    assert_eq!(std::fs::read(&ws.db).unwrap(), corrupt);
    let dir_as_db = ws.dir.path().join("a-directory");
    std::fs::create_dir(&dir_as_db).unwrap();
    let run = assay_in(
        ws.dir.path(),
        &["--db", dir_as_db.to_str().unwrap(), "assessment", "list"],
    );
    assert_eq!(run.status, 4, "{}", run.stderr);
}

#[test]
fn default_database_lives_in_the_os_data_directory() {
    let home = tempfile::tempdir().unwrap();
    let run = assay_in(home.path(), &["demo"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        home.path()
            .join("data/app.assay.desktop/assay.db")
            .is_file()
    );
    let list = assay_in(home.path(), &["assessment", "list"]);
    assert!(
        list.stdout.contains("Payments fraud detection"),
        "{}",
        list.stdout
    );
}

#[test]
fn every_command_has_help() {
    let ws = Workspace::new();
    for command in [
        vec![],
        vec!["bank"],
        vec!["demo"],
        vec!["assessment"],
        vec!["assessment", "new"],
        vec!["assessment", "list"],
        vec!["assessment", "show"],
        vec!["assessment", "participant"],
        vec!["assessment", "target"],
        vec!["answer"],
        vec!["score"],
        vec!["bundle"],
        vec!["bundle", "export"],
        vec!["bundle", "import"],
        vec!["bundle", "merge"],
        vec!["questionnaire", "export"],
        vec!["questionnaire", "import"],
    ] {
        let mut args = command.clone();
        args.push("--help");
        let run = ws.run(&args);
        assert_eq!(run.status, 0, "{args:?}");
        assert!(
            run.stdout.contains("Usage: assay"),
            "{args:?}: {}",
            run.stdout
        );
    }
    assert!(ws.run(&["--help"]).stdout.contains("Exit status"));
}

#[test]
fn the_register_from_the_command_line() {
    let ws = Workspace::new();
    let id = ws.ok(&["demo"]).trim().to_owned();
    let items = ws.json(&[
        "item",
        "list",
        "--scope",
        "Payments fraud detection",
        "--json",
    ]);
    assert_eq!(
        items.as_array().unwrap().len(),
        3,
        "the demo raises three items"
    );
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["status"] == "risk_accepted"
                && i["acceptance"]["accepted_by"] == "Priya Raman")
    );

    let item = ws
        .ok(&["item", "from-gap", "-a", &id, "-q", "GOV-1"])
        .trim()
        .to_owned();
    let e = ws.refused(
        &[
            "item",
            "update",
            &item,
            "--status",
            "risk_accepted",
            "--reason",
            "low impact",
        ],
        2,
    );
    assert_eq!(
        e,
        "error: accepting a risk needs the name of the person accepting it and the reason"
    );
    ws.refused(&["item", "update", &item, "--status", "finished"], 2);
    ws.refused(
        &[
            "item",
            "update",
            &item,
            "--evidence-url",
            "https://wiki/dpia",
        ],
        2,
    );
    ws.refused(&["item", "update", "ffffffff", "--status", "done"], 3);
    ws.refused(&["item", "from-gap", "-a", &id, "-q", "DEV-3"], 2);
    ws.ok(&[
        "item",
        "update",
        &item[..8],
        "--status",
        "done",
        "--owner",
        "Lena Fischer",
        "--due",
        "2020-01-01",
        "--evidence-url",
        "https://wiki/dpia",
    ]);
    let shown = ws.json(&["item", "show", &item, "--json"]);
    assert_eq!(shown["status"], "done");
    assert_eq!(shown["overdue"], false, "a done item is never overdue");
    assert_eq!(shown["evidence"][0]["target"], "https://wiki/dpia");

    let late = ws
        .ok(&[
            "item",
            "new",
            "--scope",
            "Search ranking",
            "--title",
            "Label audit",
            "--due",
            "2020-01-01",
            "--priority",
            "high",
            "-q",
            "DATA-2",
        ])
        .trim()
        .to_owned();
    let overdue = ws.json(&["item", "list", "--overdue", "--json"]);
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    assert_eq!(overdue[0]["id"], late.as_str());
    assert!(ws.ok(&["item", "list"]).contains("OVERDUE"));
}

#[test]
fn verify_without_a_file_checks_the_audit_trail() {
    let ws = Workspace::new();
    let id = ws.ok(&["--actor", "Priya", "demo"]).trim().to_owned();
    let intact = ws.ok(&["verify"]);
    assert!(
        intact.starts_with("intact: the audit trail's ")
            && intact.contains("events chain correctly"),
        "{intact}"
    );
    {
        let sql = rusqlite::Connection::open(&ws.db).unwrap();
        sql.execute_batch("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET actor = 'Mallory' WHERE seq = 10;").unwrap();
    }
    let e = ws.refused(&["verify"], 5);
    assert!(
        e.contains("event 10 of") && e.contains("was altered"),
        "{e}"
    );
    assert!(
        ws.ok(&["assessment", "show", &id])
            .contains("Payments fraud detection"),
        "the data stays readable"
    );
}

#[test]
fn history_diff_and_signoff_from_the_command_line() {
    let ws = Workspace::new();
    let first = ws.ok(&["demo"]).trim().to_owned();
    let second = ws
        .ok(&[
            "assessment",
            "new",
            "--from",
            &first,
            "--title",
            "Q4",
            "--date",
            "2099-01-15",
        ])
        .trim()
        .to_owned();
    ws.ok(&["answer", "-a", &second, "-q", "CICD-2", "-l", "3"]);
    let trend = ws.json(&["history", "--scope", "Payments fraud detection", "--json"]);
    assert_eq!(trend.as_array().unwrap().len(), 2);
    assert_eq!(trend[1]["title"], "Q4");
    let diff = ws.json(&["diff", "--from", &first, "--to", &second, "--json"]);
    assert_eq!(
        diff["answers"],
        serde_json::json!([{"question": "CICD-2", "before": "2", "after": "3"}])
    );
    ws.refused(&["history", "--scope", "Nobody"], 2);

    ws.refused(
        &[
            "signoff",
            "add",
            "-a",
            &second,
            "--name",
            "Lena",
            "--role",
            "Auditor",
            "--decision",
            "reject",
        ],
        2,
    );
    let signed = ws.ok(&[
        "signoff",
        "add",
        "-a",
        &second,
        "--name",
        "Lena",
        "--role",
        "Auditor",
        "--decision",
        "approve",
    ]);
    assert!(signed.starts_with("signed: "), "{signed}");
    assert!(!ws.ok(&["signoff", "list", "-a", &second]).contains("STALE"));
    ws.ok(&["answer", "-a", &second, "-q", "OBS-1", "-l", "3"]);
    assert!(ws.ok(&["signoff", "list", "-a", &second]).contains("STALE"));
    assert!(ws.ok(&["verify"]).starts_with("intact"));
}

/// `assay import mlflow --auth basic`, with the password in its environment variable.
fn mlflow_basic_import(ws: &Workspace, url: &str, user: &str) -> Run {
    let args = [
        "--db",
        ws.db.to_str().unwrap(),
        "import",
        "mlflow",
        "--url",
        url,
        "--experiment",
        "e",
        "--auth",
        "basic",
        "--user",
        user,
        "--timeout",
        "5",
    ];
    Command::new(env!("CARGO_BIN_EXE_assay"))
        .args(args)
        .env_remove("ASSAY_DB")
        .env_remove("ASSAY_MLFLOW_USER")
        .env_remove("MLFLOW_TRACKING_URI")
        .env("ASSAY_MLFLOW_PASSWORD", "pw")
        .env("XDG_DATA_HOME", ws.dir.path().join("data"))
        .env("HOME", ws.dir.path())
        .output()
        .unwrap()
        .into()
}

/// The tracker credential is looked up by the API, which trims the user name (as the desktop
/// app's imports do): a blank name is no name, and a padded one reaches the server trimmed.
#[test]
fn mlflow_basic_auth_trims_the_user_name_as_the_api_does() {
    let ws = Workspace::new();
    // A one-request stand-in for MLflow: it keeps the request head and answers 401.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let (mut head, mut byte) = (Vec::new(), [0u8; 1]);
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        let reply = b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        stream.write_all(reply).unwrap();
        String::from_utf8(head).unwrap()
    });

    let blank = mlflow_basic_import(&ws, &url, " \t ");
    assert_eq!(blank.status, 2, "{}{}", blank.stdout, blank.stderr);
    assert_eq!(
        blank.stderr.trim_end(),
        "error: basic authentication needs --user (or ASSAY_MLFLOW_USER)"
    );

    let padded = mlflow_basic_import(&ws, &url, "  ana ");
    assert_ne!(padded.status, 0, "the stand-in refuses every request");
    let head = server.join().unwrap();
    let authorization = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("authorization")
            .then(|| value.trim().to_owned())
    });
    // base64("ana:pw")
    assert_eq!(authorization.as_deref(), Some("Basic YW5hOnB3"), "{head}");
}
