//! The model card of a registered model version: a CycloneDX 1.6 document that the official
//! schema accepts, with the run's metrics and the fairness figures of every group; the same
//! card as a self-contained page in which tracker text stays text; the same evidence giving
//! the same bytes.

#![allow(clippy::unwrap_used)]

mod interop_fixtures;
mod schemas;

use assay_api::{CardFormat, ErrorCode};
use interop_fixtures::{HOSTILE, open, seed, snapshot};
use serde_json::Value;

const SCOPE: &str = "Payments fraud detection";

fn plain(text: &str) -> String {
    text.to_owned()
}

fn hostile(text: &str) -> String {
    format!("{text} {HOSTILE}")
}

fn bom(assay: &assay_api::Assay, scope: &str, model: &str, version: &str) -> Value {
    let document = assay
        .render_model_card(scope, model, version, CardFormat::Json)
        .unwrap();
    serde_json::from_str(&document.text).unwrap()
}

fn metric<'a>(bom: &'a Value, kind: &str, slice: Option<&str>) -> Option<&'a Value> {
    bom["components"][0]["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["type"] == kind && m["slice"].as_str() == slice)
}

#[test]
fn the_card_is_a_valid_ml_bom_with_every_groups_fairness_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    seed(&db, &snapshot(&plain), SCOPE);
    let assay = open(&db);
    let bom = bom(&assay, SCOPE, "fraud-xgb", "3");
    schemas::assert_valid(&schemas::cyclonedx(), &bom);

    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(bom["metadata"]["timestamp"], "2026-04-09T10:00:00Z");
    let model = &bom["components"][0];
    assert_eq!(model["type"], "machine-learning-model");
    assert_eq!(
        (model["name"].as_str(), model["version"].as_str()),
        (Some("fraud-xgb"), Some("3"))
    );
    let card = &model["modelCard"];
    assert_eq!(card["modelParameters"]["approach"]["type"], "supervised");
    assert_eq!(card["modelParameters"]["task"], "classification");

    // The run's metrics, and every fairness figure with the slice it was computed on.
    assert_eq!(metric(&bom, "auc", None).unwrap()["value"], "0.91");
    assert_eq!(metric(&bom, "f1", None).unwrap()["value"], "0.8125");
    let female = metric(&bom, "selection_rate", Some("sex=female")).unwrap();
    assert_eq!(female["value"], "0.31");
    assert_eq!(
        metric(&bom, "selection_rate", Some("sex=male")).unwrap()["value"],
        "0.52"
    );
    let race = metric(&bom, "disparate_impact", Some("race=black vs race=white")).unwrap();
    assert_eq!(race["value"], "0.7");
    assert!(metric(&bom, "demographic_parity_difference", Some("sex")).is_some());
    assert!(metric(&bom, "equalized_odds_difference", Some("age")).is_some());
    // The parity metric the importer read as a fairness figure is not listed a second time.
    assert!(metric(&bom, "demographic_parity_difference_sex", None).is_none());

    // Failing figures are the ethical considerations; one about a group names it as at risk.
    let considerations = &card["considerations"];
    let ethical: Vec<&str> = considerations["ethicalConsiderations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(ethical.len(), 2, "{ethical:?}");
    assert!(
        ethical
            .iter()
            .any(|e| e.starts_with("demographic parity difference for sex is 0.210"))
    );
    assert_eq!(
        considerations["fairnessAssessments"][0]["groupAtRisk"],
        "race=black vs race=white"
    );
    assert!(considerations.get("useCases").is_none() && considerations.get("users").is_none());

    // Datasets from the lineage, as components the model depends on, with their digests.
    let datasets: Vec<&Value> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "data")
        .collect();
    assert_eq!(datasets.len(), 2);
    let digests: Vec<&str> = datasets
        .iter()
        .flat_map(|d| d["properties"].as_array().unwrap())
        .filter(|p| p["name"] == "assay:dataset:digest")
        .map(|p| p["value"].as_str().unwrap())
        .collect();
    assert_eq!(digests, ["77aa01", "3f9a1c"]);
    assert_eq!(
        card["modelParameters"]["datasets"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        bom["dependencies"][0]["dependsOn"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn the_same_evidence_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    seed(&db, &snapshot(&plain), SCOPE);
    let first = open(&db);
    let second = open(&db);
    for format in [CardFormat::Json, CardFormat::Html] {
        let a = first
            .render_model_card(SCOPE, "fraud-xgb", "3", format)
            .unwrap();
        let b = second
            .render_model_card(SCOPE, "fraud-xgb", "v3", format)
            .unwrap();
        assert_eq!(a, b, "{format:?}");
    }
    // New evidence is a new card.
    let mut changed = snapshot(&plain);
    changed.runs[0].metrics.insert("auc".into(), 0.93);
    seed(&db, &changed, SCOPE);
    let again = first
        .render_model_card(SCOPE, "fraud-xgb", "3", CardFormat::Json)
        .unwrap();
    let before = second
        .render_model_card(SCOPE, "fraud-xgb", "3", CardFormat::Json)
        .unwrap();
    assert_eq!(again, before, "both handles read the same database");
    let bom: Value = serde_json::from_str(&again.text).unwrap();
    assert_eq!(metric(&bom, "auc", None).unwrap()["value"], "0.93");
    let old = first.model_card(SCOPE, "fraud-xgb", "3").unwrap();
    assert_eq!(bom["serialNumber"], old.serial.as_str());
}

#[test]
fn hostile_tracker_text_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let scope = hostile("scope");
    seed(&db, &snapshot(&hostile), scope.trim());
    let assay = open(&db);
    let (model, version) = (hostile("fraud-xgb"), hostile("3"));
    let bom = bom(&assay, &scope, &model, &version);
    schemas::assert_valid(&schemas::cyclonedx(), &bom);
    // JSON keeps the text exactly.
    assert_eq!(bom["components"][0]["name"], model.as_str());
    assert!(
        metric(
            &bom,
            &hostile("selection_rate"),
            Some(&format!("{}={}", hostile("sex"), hostile("female")))
        )
        .is_some()
    );
    let html = assay
        .render_model_card(&scope, &model, &version, CardFormat::Html)
        .unwrap()
        .text;
    let lower = html.to_ascii_lowercase();
    assert!(
        !lower.contains("<script") && !lower.contains("<img"),
        "markup got through"
    );
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(html.contains("&#x27;q&#x27; &amp;") || html.contains("&#39;q&#39; &amp;"));
    assert!(
        !html.contains('\u{1}') && !html.contains('\u{7f}'),
        "control characters"
    );
    assert!(html.contains("\u{202e}RTL עברית") && html.contains("dir=\"auto\""));
    // A right-to-left override stays inside the text that holds it (an isolate closes it), so
    // it cannot reverse the words around it.
    let mut depth = 0i32;
    let mut overrides = 0;
    for c in html.chars() {
        match c {
            '\u{2068}' => depth += 1,
            '\u{2069}' => depth -= 1,
            '\u{202e}' => {
                overrides += 1;
                assert!(depth > 0, "an override outside an isolate");
            }
            _ => {}
        }
        assert!(depth >= 0);
    }
    assert!(
        overrides > 10 && depth == 0,
        "{overrides} overrides, depth {depth}"
    );
    // Self-contained: nothing to load, nothing to run.
    assert!(!lower.contains(" src=") && !lower.contains(" href=") && !lower.contains("<link"));
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src"));
    // The groups' figures are on the page too.
    assert!(html.contains("0.310") && html.contains("0.520") && html.contains("0.700"));
}

#[test]
fn the_card_is_written_and_refused_where_it_cannot_be_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let assay = open(&db);
    let code = |r: Result<_, assay_api::ApiError>| r.unwrap_err().code();
    assert_eq!(
        code(assay.model_card(SCOPE, "fraud-xgb", "3")),
        ErrorCode::InvalidInput,
        "a scope without evidence"
    );
    seed(&db, &snapshot(&plain), SCOPE);
    assert_eq!(
        code(assay.model_card(SCOPE, "fraud-xgb", "4")),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code(assay.model_card(SCOPE, "", "3")),
        ErrorCode::InvalidInput
    );
    let message = assay
        .model_card(SCOPE, "nope", "3")
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("holds no version 3 of a model named `nope`"),
        "{message}"
    );
    assert_eq!(
        CardFormat::parse("pdf").unwrap_err().code(),
        ErrorCode::InvalidInput
    );

    // The same model version in two tracker projects of the scope: which one is meant is not
    // guessed.
    let mut copy = snapshot(&plain);
    copy.source.instance = "http://mlflow-two.example.com".into();
    copy.source.project = "fraud-copy".into();
    seed(&db, &copy, SCOPE);
    let message = assay
        .model_card(SCOPE, "fraud-xgb", "3")
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("2 tracker projects") && message.contains("mlflow fraud-copy"),
        "{message}"
    );
    let out = dir.path().join("card.html");
    let other = open(&dir.path().join("b.db"));
    seed(&dir.path().join("b.db"), &snapshot(&plain), SCOPE);
    let written = other
        .export_model_card(SCOPE, "fraud-xgb", "3", CardFormat::Html, &out)
        .unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let card = other.model_card(SCOPE, "fraud-xgb", "3").unwrap();
    assert_eq!(written.id, card.serial);
    assert_eq!(written.kind, "HTML model card");
    assert_eq!(written.sha256.len(), 64);
    assert!(String::from_utf8(bytes).unwrap().contains(&card.serial));
}
