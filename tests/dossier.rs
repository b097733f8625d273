//! The EU AI Act Annex IV technical documentation draft: the nine sections in the Annex's
//! order in both formats, the facts Assay holds filled in with their sources, the provider's
//! points marked, the draft notice on the cover and on every page, hostile text kept inert, the
//! same data giving the same bytes, and `assay dossier` on the command line.

#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/checks.rs"]
mod checks;
mod cli_support;
mod support;

use std::path::{Path, PathBuf};

use assay_api::evidence_model::Snapshot;
use assay_api::store::{ImportRun, Store};
use assay_api::{Assay, ReportFormat, SequentialIds, SteppingClock};
use assay_assessment::governance::Decision;
use assay_reports::dossier::{self, PROVIDER};
use chrono::{Duration, TimeZone, Utc};
use support::{chromium_dom, demo_assay, hostile_assay, hostile_strings, run_tool};

const SECTIONS: [&str; 9] = [
    "1. General description of the AI system",
    "2. Elements of the system and how it was developed",
    "3. Monitoring, functioning and control",
    "4. Why the performance metrics are appropriate",
    "5. Risk management system",
    "6. Relevant changes over the lifecycle",
    "7. Harmonised standards and other specifications applied",
    "8. EU declaration of conformity",
    "9. Post-market monitoring",
];

/// One MLflow project: two datasets, the run that trained a registered model version in
/// production on one and evaluated it on the other, its metrics, and fairness figures overall
/// and per group. Every string is passed through `t` (keys included).
fn snapshot(t: &dyn Fn(&str) -> String) -> Snapshot {
    let (train, holdout, run, model) = (
        t("transactions@3f9a1c"),
        t("holdout@77aa01"),
        t("run-1"),
        t("fraud-xgb/3"),
    );
    let bias = |metric: &str, value: f64, feature: &str, group: Option<&str>, threshold, passed| {
        serde_json::json!({
            "run": run, "metric": t(metric),
            "raw_name": t(&format!("{metric}_{feature}_{}", group.unwrap_or("all"))),
            "value": value, "sensitive_feature": t(feature), "group": group.map(t),
            "reference_group": null, "threshold": threshold, "passed": passed,
            "tool": "fairlearn", "convention": "difference_non_negative",
            "bias_type": "independence",
            "source": {"kind": "artifact", "detail": t("fairness/report.json")},
        })
    };
    let mut snapshot: Snapshot = serde_json::from_value(serde_json::json!({
        "source": {"tracker": "mlflow", "instance": t("http://127.0.0.1:5000"), "project": t("fraud")},
        "datasets": [
            {"external_id": train, "name": t("transactions"), "version": t("2026-03"),
             "digest": t("3f9a1c"), "source": t("s3://data/transactions/2026-03"),
             "source_type": t("s3"), "context": t("training")},
            {"external_id": holdout, "name": t("holdout"), "version": null, "digest": t("77aa01"),
             "source": null, "source_type": null, "context": null}],
        "runs": [{"external_id": run, "project": t("fraud"), "name": t("xgb-train"),
            "status": "finished", "code_commit": t("4e1d2c3b"),
            "code_repo": t("https://git.example.com/fraud/models"),
            "params": {t("max_depth"): t("6"), t("learning_rate"): t("0.1")},
            "metrics": {t("auc"): 0.91, t("accuracy"): 0.934},
            "tags": {t("task"): t("classification")},
            "started_at": "2026-04-09T08:00:00Z", "ended_at": "2026-04-09T09:00:00Z"}],
        "model_versions": [{"external_id": model, "registry_name": t("fraud-xgb"),
            "version": t("3"), "aliases": [t("champion")], "stage": t("Production"),
            "source_run": run, "tags": {}}],
        "edges": [
            {"kind": "used_by", "from": {"kind": "dataset", "external_id": train},
                "to": {"kind": "run", "external_id": run}, "context": t("training")},
            {"kind": "produced", "from": {"kind": "run", "external_id": run},
                "to": {"kind": "model_version", "external_id": model}, "context": null},
            {"kind": "evaluated_on", "from": {"kind": "model_version", "external_id": model},
                "to": {"kind": "dataset", "external_id": holdout}, "context": null}],
        "bias": [
            bias("demographic_parity_difference", 0.21, "sex", None,
                serde_json::json!({"rule": "abs_at_most", "max": 0.1}), Some(false)),
            bias("accuracy", 0.912, "sex", Some("female"), serde_json::Value::Null, None),
            bias("accuracy", 0.947, "sex", Some("male"), serde_json::Value::Null, None),
            bias("equalized_odds_difference", 0.04, "age", None,
                serde_json::json!({"rule": "abs_at_most", "max": 0.1}), Some(true)),
        ],
        "unmatched": [],
    }))
    .unwrap();
    snapshot.normalise();
    snapshot
}

/// Saves `snapshot` as one import, linked to `scope`.
fn seed(db: &Path, snapshot: &Snapshot, scope: &str) {
    let mut store = Store::open(db).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 4, 9, 9, 30, 0).unwrap();
    let run = ImportRun {
        started_at: at,
        finished_at: at,
        incremental: false,
        watermark: None,
    };
    store.save_evidence(snapshot, &run).unwrap();
    store.link_evidence_scope(&snapshot.source, scope).unwrap();
}

/// The demo with tracker evidence, a report exported and signed off, and the Statement of
/// Applicability approved.
fn demo_with_records() -> (tempfile::TempDir, Assay, String) {
    let (dir, mut assay, id) = demo_assay();
    seed(
        &dir.path().join("assay.db"),
        &snapshot(&|s| s.to_owned()),
        "Payments fraud detection",
    );
    assay
        .export_report(&id, ReportFormat::Pdf, &dir.path().join("report.pdf"))
        .unwrap();
    assay
        .sign_off(&id, "Lena Fischer", "ML auditor", Decision::Approve, "")
        .unwrap();
    assay
        .approve_soa(&id, "Dana Lee", "Head of risk", Decision::Approve, "")
        .unwrap();
    (dir, assay, id)
}

fn export(assay: &Assay, id: &str, dir: &Path, format: ReportFormat) -> PathBuf {
    let path = dir.join(format!("annex-iv.{}", format.extension()));
    let exported = assay.export_dossier(id, format, &path).unwrap();
    assert_eq!(exported.content_hash.len(), 64);
    path
}

/// Where each of `needles` first occurs in `haystack`, failing on one that is missing.
fn positions(haystack: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            haystack
                .find(n)
                .unwrap_or_else(|| panic!("`{n}` is missing"))
        })
        .collect()
}

/// HTML text with the tags removed and entities read, whitespace collapsed.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    // Handlebars writes `&lt; &gt; &quot; &amp;` and numeric entities (`&#x3D;` for `=`).
    let mut decoded = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find('&') {
        decoded.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(';').unwrap_or(0);
        let entity = &rest[1..end.max(1)];
        let c = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "amp" => Some('&'),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32),
        };
        match c {
            Some(c) if end > 0 => {
                decoded.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_demo_draft_has_the_nine_sections_in_order_with_its_facts_and_the_providers_points() {
    let (dir, assay, id) = demo_with_records();
    let doc = assay.dossier_document(&id).unwrap();
    let numbers: Vec<u8> = doc.sections.iter().map(|s| s.number).collect();
    assert_eq!(numbers, (1..=9).collect::<Vec<u8>>());
    for section in &doc.sections {
        assert!(
            section.parts.iter().any(|p| !p.provider.is_empty()),
            "section {} leaves nothing to the provider",
            section.number
        );
    }
    let item = assay.list_items(Some(&doc.scope), false).unwrap()[0]
        .item
        .clone();
    let facts = [
        "transactions",
        "run-1",
        "fraud-xgb v3",
        "sex = female",
        "0.912",
        "demographic parity difference",
        "Lena Fischer",
        "2026-06-01",
        "Dana Lee",
        item.title.as_str(),
        item.id.as_str(),
        id.as_str(),
    ];

    let html_path = export(&assay, &id, dir.path(), ReportFormat::Html);
    let html = std::fs::read_to_string(&html_path).unwrap();
    let text = html_text(&html);
    let at = positions(&text, &SECTIONS);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sections out of order");
    for fact in facts {
        assert!(text.contains(fact), "`{fact}` is missing from the HTML");
    }
    // Every section marks what the provider must add, and the first page says what it is.
    let mut bounds = at.clone();
    bounds.push(text.len());
    for (i, w) in bounds.windows(2).enumerate() {
        assert!(
            text[w[0]..w[1]].contains(PROVIDER),
            "section {} has no provider marker",
            i + 1
        );
    }
    assert!(text[..at[0]].contains("DRAFT") && text[..at[0]].contains("not to replace it"));
    let hash = doc.content_hash();
    assert!(html.contains(&hash));

    let pdf_path = export(&assay, &id, dir.path(), ReportFormat::Pdf);
    let pdf_text = checks::assert_pdf_renders(&pdf_path);
    let flat = pdf_text.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = positions(&flat, &SECTIONS);
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "PDF sections out of order"
    );
    // A table cell wraps long text, so the PDF is checked for the facts that fit a line.
    for fact in facts.iter().filter(|f| **f != item.title) {
        assert!(flat.contains(fact), "`{fact}` is missing from the PDF");
    }
    assert!(flat.matches(PROVIDER).count() >= 9);
    assert!(
        flat.contains(&hash[..16]),
        "the PDF carries the same content hash"
    );
    let path = pdf_path.to_str().unwrap();
    let first = run_tool("pdftotext", &["-f", "1", "-l", "1", "-layout", path, "-"]);
    let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        first.contains("DRAFT") && first.contains("not to replace it"),
        "{first}"
    );
    // Every page carries the draft notice in its running header and footer.
    let pages: usize = run_tool("pdfinfo", &[path])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    for page in 1..=pages {
        let n = page.to_string();
        let text = run_tool("pdftotext", &["-f", &n, "-l", &n, path, "-"]);
        assert!(
            text.contains("DRAFT · Annex IV") && text.contains("does not replace"),
            "page {page} lacks the draft notice"
        );
    }
    let info = run_tool("pdfinfo", &[path]);
    assert!(
        info.contains("DRAFT Annex IV technical documentation"),
        "{info}"
    );
}

#[test]
fn without_tracker_evidence_the_draft_says_what_would_fill_it() {
    let (_dir, assay, id) = demo_assay();
    let doc = assay.dossier_document(&id).unwrap();
    let development = &doc.sections[1];
    let steps = development
        .parts
        .iter()
        .find(|p| p.point == "2(a)")
        .unwrap();
    assert!(!steps.has_facts());
    assert!(
        serde_json::to_string(steps)
            .unwrap()
            .contains("No tracker evidence")
    );
    let overview = doc.overview();
    assert_eq!(overview.len(), 9);
    assert!(!overview[1].filled.contains("2(a)"));
    assert!(
        overview[4].filled.contains('5'),
        "the register fills section 5"
    );
    // No sign-off yet: the draft says so rather than leave the point blank.
    let testing = development
        .parts
        .iter()
        .find(|p| p.point == "2(g)")
        .unwrap();
    assert!(
        serde_json::to_string(testing)
            .unwrap()
            .contains("No sign-off")
    );
}

#[test]
fn a_large_project_is_listed_in_part_and_says_so() {
    let (dir, assay, id) = demo_assay();
    let mut big = snapshot(&|s| s.to_owned());
    let (run, model) = (big.runs[0].clone(), big.model_versions[0].clone());
    for n in 0..60 {
        let mut r = run.clone();
        r.external_id = format!("bulk-{n:02}");
        big.runs.push(r);
        let mut m = model.clone();
        m.external_id = format!("fraud-xgb/{}", n + 10);
        m.version = (n + 10).to_string();
        (m.aliases, m.stage, m.source_run) = (Vec::new(), None, Some(format!("bulk-{n:02}")));
        big.model_versions.push(m);
    }
    big.normalise();
    seed(
        &dir.path().join("assay.db"),
        &big,
        "Payments fraud detection",
    );
    let doc = assay.dossier_document(&id).unwrap();
    let json = serde_json::to_string(&doc).unwrap();
    assert!(
        json.contains("The project holds 61 runs"),
        "the cut is said"
    );
    assert!(json.contains("The registry holds 61 model versions"));
    let rows = |point: &str, column: &str| -> usize {
        let part = doc
            .sections
            .iter()
            .flat_map(|s| &s.parts)
            .find(|p| p.point == point)
            .unwrap();
        part.filled
            .iter()
            .find_map(|b| match b {
                dossier::Block::Table { columns, rows, .. } if columns[0] == column => {
                    Some(rows.len())
                }
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(rows("2(a)", "Run"), 20);
    assert_eq!(rows("1(a)", "Model version"), 20);
    // The version in production is always among those listed.
    assert!(json.contains("in production (stage Production"));
}

#[test]
fn hostile_text_everywhere_stays_inert() {
    let (dir, assay, id) = hostile_assay();
    let hostile = hostile_strings();
    let scope = assay.assessment(&id).unwrap().scope;
    let t = |s: &str| format!("{s}{}", hostile[s.len() % hostile.len()]);
    seed(&dir.path().join("assay.db"), &snapshot(&t), &scope);
    let doc = assay.dossier_document(&id).unwrap();
    assert!(!doc.sections[1].parts[0].filled.is_empty());

    let html_path = export(&assay, &id, dir.path(), ReportFormat::Html);
    let html = std::fs::read_to_string(&html_path).unwrap();
    for text in hostile.iter().filter(|s| s.contains('<')) {
        assert!(!html.contains(text.as_str()), "unescaped: {text}");
    }
    assert!(!html.contains("<script") && !html.contains("<img"));
    assert!(
        !html.contains("src=") && !html.contains("url("),
        "nothing is loaded"
    );
    for link in html.split("href=\"").skip(1) {
        assert!(
            link.starts_with('#'),
            "a link leaves the page: {}",
            &link[..40.min(link.len())]
        );
    }
    let dom = chromium_dom(&html_path);
    assert!(
        dom.contains("Checklist for the provider"),
        "the page did not load"
    );
    assert!(!dom.contains("XSSRAN"), "a hostile script ran");

    let pdf_path = export(&assay, &id, dir.path(), ReportFormat::Pdf);
    let text = checks::assert_pdf_renders(&pdf_path);
    assert!(text.contains("Checklist for the provider"));
}

#[test]
fn the_same_data_renders_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    let open = || {
        Assay::open(&db, Box::new(SteppingClock::new(start, Duration::zero())))
            .unwrap()
            .with_ids(Box::new(SequentialIds::default()))
    };
    let id = open().create_demo().unwrap();
    seed(
        &db,
        &snapshot(&|s| s.to_owned()),
        "Payments fraud detection",
    );
    let assay = open();
    let once = assay.dossier_document(&id).unwrap();
    let twice = assay.dossier_document(&id).unwrap();
    assert_eq!(once, twice);
    assert!(dossier::pdf::render(&once).unwrap() == dossier::pdf::render(&twice).unwrap());
    let html = |name: &str| {
        let path = dir.path().join(name);
        assay
            .export_dossier(&id, ReportFormat::Html, &path)
            .unwrap();
        std::fs::read(path).unwrap()
    };
    assert!(html("a.html") == html("b.html"));

    // A change to the data is a change to the content hash.
    let mut assay = open();
    let item = assay.list_items(None, false).unwrap()[0].item.id.clone();
    assay
        .update_item(
            &item,
            assay_api::ItemChange {
                owner: Some("Someone else".into()),
                ..assay_api::ItemChange::default()
            },
        )
        .unwrap();
    let changed = assay.dossier_document(&id).unwrap();
    assert_ne!(changed.content_hash(), once.content_hash());
}

#[test]
fn the_command_line_writes_the_draft() {
    let ws = cli_support::Workspace::new();
    let id = ws.ok(&["demo"]).trim().to_owned();
    let file = ws.dir.path().join("draft.pdf");
    let said = ws.ok(&["dossier", "-a", &id[..8], "-o", file.to_str().unwrap()]);
    assert!(
        said.starts_with("wrote ") && said.contains("content SHA-256"),
        "{said}"
    );
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
    let html = ws.dir.path().join("draft.out");
    ws.ok(&[
        "dossier",
        "-a",
        &id,
        "-f",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&html).unwrap().contains(PROVIDER));
    let error = ws.refused(&["dossier", "-a", &id, "-o", "draft.docx"], 2);
    assert!(error.contains("docx"), "{error}");
}
