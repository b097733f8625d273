//! Tracker evidence through the `assay` binary: importing from a real MLflow server and from the
//! W&B stand-in, re-imports that change nothing, a failed import that leaves the earlier
//! evidence intact, the evidence in the reports, and tokens that never reach the database,
//! reports, bundles or output.
//!
//! `scripts/test.sh` starts both servers and sets ASSAY_MLFLOW_URL, ASSAY_WANDB_URL,
//! ASSAY_WANDB_KEY and ASSAY_REQUIRE_MLFLOW / ASSAY_REQUIRE_WANDB=1; without a server the
//! tests that need it fail when required and otherwise say they were skipped.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const EXPERIMENT: &str = "credit-scoring-governance";
const SCOPE: &str = "Credit scoring";

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

struct Workspace {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("assay.db");
        Workspace { dir, db }
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_assay"));
        command
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env_remove("WANDB_API_KEY")
            .env_remove("MLFLOW_TRACKING_URI");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    fn ok(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let run = self.run_with(args, env);
        assert_eq!(
            run.status, 0,
            "assay {args:?}: {}{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    fn json(&self, args: &[&str], env: &[(&str, &str)]) -> Value {
        serde_json::from_str(&self.ok(args, env)).unwrap()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn server(variable: &str, require: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var(require).as_deref() == Ok("1") => {
            panic!("{require}=1 but {variable} is not set: run scripts/test.sh")
        }
        _ => {
            eprintln!("skipped: {variable} is not set (scripts/test.sh starts the server)");
            None
        }
    }
}

fn pdf_text(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn project(evidence: &Value) -> &Value {
    let projects = evidence.as_array().unwrap();
    assert_eq!(projects.len(), 1, "{evidence}");
    &projects[0]
}

#[test]
fn mlflow_import_lineage_bias_reports_and_no_token_anywhere() {
    let Some(url) = server("ASSAY_MLFLOW_URL", "ASSAY_REQUIRE_MLFLOW") else {
        return;
    };
    let ws = Workspace::new();
    // The local server does not check tokens, but the client sends this one on every request:
    // enough to show where it does and does not end up.
    let token = "tok-3f9e1c-never-store-me";
    let env = [("ASSAY_MLFLOW_TOKEN", token)];
    let import = [
        "import",
        "mlflow",
        "--url",
        &url,
        "--experiment",
        EXPERIMENT,
        "--auth",
        "bearer",
        "--scope",
        SCOPE,
        "--json",
    ];
    let first = ws.json(&import, &env);
    let counts = &first["import"]["counts"];
    // 2 datasets + 2 runs + 2 model versions, all new.
    assert_eq!(counts["new"], 6, "{first}");
    assert_eq!(counts["changed"], 0);
    assert_eq!(first["import"]["incremental"], false);
    let hash = first["import"]["content_hash"].as_str().unwrap().to_owned();

    let evidence = ws.json(&["evidence", "--json"], &[]);
    let p = project(&evidence);
    assert_eq!(p["scopes"], serde_json::json!([SCOPE]));
    let snapshot = &p["snapshot"];
    let mut datasets: Vec<(String, String)> = snapshot["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().into(),
                d["context"].as_str().unwrap().into(),
            )
        })
        .collect();
    datasets.sort();
    assert_eq!(
        datasets,
        vec![
            ("credit-eval".into(), "evaluation".into()),
            ("credit-train".into(), "training".into())
        ]
    );
    let mut versions: Vec<(String, Value)> = snapshot["model_versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["version"].as_str().unwrap().into(), m["aliases"].clone()))
        .collect();
    versions.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        versions,
        vec![
            ("1".into(), serde_json::json!(["baseline"])),
            ("2".into(), serde_json::json!(["champion"]))
        ]
    );
    // Fairness: the baseline run fails, the mitigated run passes.
    let runs = snapshot["runs"].as_array().unwrap();
    let verdict = |name: &str| {
        let id = runs.iter().find(|r| r["name"] == name).unwrap()["external_id"].clone();
        p["fairness"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["run"] == id)
            .unwrap()["passed"]
            .clone()
    };
    assert_eq!(verdict("train-baseline"), Value::Bool(false));
    assert_eq!(verdict("train-mitigated"), Value::Bool(true));
    let indicator = |id: &str| {
        p["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    let lineage = indicator("model_versions_with_dataset_lineage");
    assert_eq!(
        (
            lineage["numerator"].as_u64(),
            lineage["denominator"].as_u64()
        ),
        (Some(2), Some(2))
    );
    let commits = indicator("runs_with_code_commit");
    assert_eq!(
        (
            commits["numerator"].as_u64(),
            commits["denominator"].as_u64()
        ),
        (Some(2), Some(2))
    );

    // Re-importing the same data: incremental, nothing new or changed, the same hash.
    let again = ws.json(&import, &env);
    assert_eq!(again["import"]["incremental"], true);
    assert_eq!(again["import"]["counts"]["new"], 0, "{again}");
    assert_eq!(again["import"]["counts"]["changed"], 0);
    assert_eq!(
        again["import"]["content_hash"].as_str(),
        Some(hash.as_str())
    );
    let mut full = import.to_vec();
    full.insert(full.len() - 1, "--full");
    let full = ws.json(&full, &env);
    assert_eq!(full["import"]["counts"]["unchanged"], 6, "{full}");
    assert_eq!(full["import"]["content_hash"].as_str(), Some(hash.as_str()));
    let text = ws.ok(&["evidence"], &[]);
    assert!(
        text.contains("FAIL  demographic_parity_difference  sex"),
        "{text}"
    );
    assert!(
        text.contains(&hash),
        "the provenance shows the evidence hash"
    );

    // The scope's reports show lineage, bias and provenance.
    let id = ws
        .ok(
            &[
                "assessment",
                "new",
                "--scope",
                SCOPE,
                "--participant",
                "Ana:Lead",
            ],
            &[],
        )
        .trim()
        .to_owned();
    let html = ws.path("report.html");
    let pdf = ws.path("report.pdf");
    for (format, file) in [("html", &html), ("pdf", &pdf)] {
        ws.ok(
            &[
                "report",
                "-a",
                &id,
                "-f",
                format,
                "-o",
                file.to_str().unwrap(),
            ],
            &[],
        );
    }
    let page = std::fs::read_to_string(&html).unwrap();
    // Both runs produced a registered version, so each dataset is shown in its version's
    // block, as the run that read it.
    for expected in [
        "<td>credit-train ",
        "read by run train-baseline (training)",
        "<h4>credit-scoring-model v2 [champion]</h4>",
        &hash,
    ] {
        assert!(page.contains(expected), "the HTML report lacks {expected}");
    }
    assert!(page.contains("<strong>fail</strong>"));
    let text = pdf_text(&pdf);
    assert!(text.contains("train-baseline"), "{text}");
    assert!(text.contains("What the evidence suggests"));

    // The token is in none of what Assay wrote or printed.
    let bundle = ws.path("bundle.json");
    ws.ok(
        &[
            "bundle",
            "export",
            "-a",
            &id,
            "-o",
            bundle.to_str().unwrap(),
        ],
        &[],
    );
    ws.ok(&["verify"], &[]);
    for file in std::fs::read_dir(ws.dir.path()).unwrap() {
        let path = file.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes.windows(token.len()).any(|w| w == token.as_bytes());
            assert!(!found, "the token is in {}", path.display());
        }
    }
    let run = ws.run_with(&import, &env);
    assert!(!run.stdout.contains(token) && !run.stderr.contains(token));
}

#[test]
fn wandb_import_and_a_failed_import_leaves_the_evidence_intact() {
    let Some(url) = server("ASSAY_WANDB_URL", "ASSAY_REQUIRE_WANDB") else {
        return;
    };
    let key = std::env::var("ASSAY_WANDB_KEY").unwrap();
    let ws = Workspace::new();
    // A private copy of the stand-in's world, so this test can break it.
    let world = format!("{url}/world/cli-{}", std::process::id());
    let entity_project = ["--entity", "acme", "--project", "credit-scoring"];
    let mut import = vec!["import", "wandb", "--base-url", &world, "--json"];
    import.extend(entity_project);
    let env = [("WANDB_API_KEY", key.as_str())];

    let first = ws.json(&import, &env);
    assert!(
        first["import"]["counts"]["runs"].as_u64().unwrap() >= 3,
        "{first}"
    );
    let before = ws.json(&["evidence", "--json"], &[]);
    let hash = first["import"]["content_hash"].clone();

    // A wrong key: a clear error, nothing written.
    let run = ws.run_with(
        &import,
        &[("WANDB_API_KEY", "0000000000000000000000000000000000000000")],
    );
    assert_ne!(run.status, 0);
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
    assert!(
        !run.stderr
            .contains("0000000000000000000000000000000000000000")
    );
    assert_eq!(ws.json(&["evidence", "--json"], &[]), before);

    // A run whose summary is broken half-way through the next import: refused as a bad
    // response, and the evidence is what it was.
    let runs = first_run_name(&before);
    let control = serde_json::json!({"update_run": {"name": runs, "fields": {"summaryMetrics": "{\"broken\": "}}});
    post_json(&format!("{world}/control"), &control, &key);
    // --full: an incremental import would not read that finished run again.
    let mut full = import.clone();
    full.push("--full");
    let run = ws.run_with(&full, &env);
    assert_ne!(run.status, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("unexpected") || run.stderr.contains("response"),
        "{}",
        run.stderr
    );
    let after = ws.json(&["evidence", "--json"], &[]);
    assert_eq!(after, before, "the failed import changed the evidence");
    assert_eq!(project(&after)["imports"].as_array().unwrap().len(), 1);
    assert_eq!(project(&after)["imports"][0]["content_hash"], hash);
}

fn first_run_name(evidence: &Value) -> String {
    project(evidence)["snapshot"]["runs"][0]["external_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A plain HTTP POST with curl, to drive the stand-in's control endpoint.
fn post_json(url: &str, body: &Value, key: &str) {
    let status = Command::new("curl")
        .args([
            "-sf",
            "-o",
            "/dev/null",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
        ])
        .args(["-u", &format!("api:{key}")])
        .args(["--data", &body.to_string(), url])
        .status()
        .unwrap();
    assert!(status.success(), "POST {url}");
}
