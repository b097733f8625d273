//! OSCAL exports: an assessment as assessment results and a question bank as a catalog, both
//! accepted by NIST's official schemas, reproducible to the byte, with ids derived from the
//! data (never random) and user text kept as text in every field.

#![allow(clippy::unwrap_used)]

mod interop_fixtures;
mod schemas;

use std::collections::BTreeSet;

use assay_api::assessment::governance::{ItemStatus, StatusChange};
use assay_api::{
    AnswerChange, Assay, ErrorCode, ItemChange, NewAssessment, NewItem, NewParticipant,
};
use assay_assessment::{Confidence, EvidenceKind, EvidenceLink, Level, Rating, Targets};
use interop_fixtures::{HOSTILE, open, seed, snapshot, start};
use serde_json::Value;

fn results(assay: &Assay, id: &str) -> Value {
    serde_json::from_str(&assay.render_oscal_results(id).unwrap().text).unwrap()
}

fn catalog(assay: &Assay, bank: Option<&str>) -> Value {
    serde_json::from_str(&assay.render_oscal_catalog(bank).unwrap().text).unwrap()
}

/// Every `uuid` and `*-uuid` value in the document.
fn uuids(value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                if let (true, Some(text)) =
                    (key == "uuid" || key.ends_with("-uuid"), field.as_str())
                {
                    out.push((key.clone(), text.to_owned()));
                }
                uuids(field, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| uuids(i, out)),
        _ => {}
    }
}

/// Every Markdown field (OSCAL's markup-line and markup-multiline) escapes what would start
/// markup: no `<`, `*` or `[` without a backslash before it. Returns how many it checked.
fn markup_escaped(value: &Value) -> usize {
    const MARKUP: [&str; 6] = [
        "title",
        "description",
        "remarks",
        "prose",
        "statement",
        "text",
    ];
    match value {
        Value::Object(fields) => fields
            .iter()
            .map(|(key, field)| match field.as_str() {
                Some(text) if MARKUP.contains(&key.as_str()) => {
                    let chars: Vec<char> = text.chars().collect();
                    for (i, c) in chars.iter().enumerate() {
                        if matches!(c, '<' | '*' | '[') {
                            assert!(i > 0 && chars[i - 1] == '\\', "{key}: {text}");
                        }
                    }
                    1
                }
                _ => markup_escaped(field),
            })
            .sum(),
        Value::Array(items) => items.iter().map(markup_escaped).sum(),
        _ => 0,
    }
}

fn finding<'a>(results: &'a Value, question: &str) -> Option<&'a Value> {
    results["assessment-results"]["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == format!("{question}_obj"))
}

#[test]
fn the_demo_assessment_is_valid_oscal_assessment_results() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let mut assay = open(&db);
    let id = assay.create_demo().unwrap();
    let document = results(&assay, &id);
    schemas::assert_valid(&schemas::oscal_assessment_results(), &document);

    let ar = &document["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.2.3");
    assert_eq!(ar["metadata"]["last-modified"], "2026-04-09T10:00:00Z");
    let result = &ar["results"][0];
    let bank = assay.assessment_bank(&id).unwrap();
    // A finding per question, but the one answered not applicable, which is left out of the
    // reviewed controls with its justification as an observation.
    let findings = result["findings"].as_array().unwrap();
    assert_eq!(findings.len(), bank.bank.questions.len() - 1);
    assert!(finding(&document, "DE-3").is_none());
    assert_eq!(
        result["reviewed-controls"]["control-selections"][0]["exclude-controls"][0]["control-id"],
        "DE-3"
    );
    let observations = result["observations"].as_array().unwrap();
    assert!(observations.iter().any(|o| {
        o["description"]
            .as_str()
            .unwrap()
            .starts_with("Answered not applicable: Fraud scores are computed in a nightly batch")
    }));

    // GOV-2 is at level 1 against a target of 4: not satisfied, with the register item raised
    // from the gap as its risk; a question at its target is satisfied; the parked one has no
    // consensus, so nothing shows it is met.
    let gov2 = finding(&document, "GOV-2").unwrap();
    assert_eq!(gov2["target"]["status"]["state"], "not-satisfied");
    assert_eq!(gov2["target"]["status"]["reason"], "fail");
    let risk_uuid = gov2["related-risks"][0]["risk-uuid"].as_str().unwrap();
    let dev3 = finding(&document, "DEV-3").unwrap();
    assert_eq!(dev3["target"]["status"]["state"], "satisfied");
    let fit3 = finding(&document, "FIT-3").unwrap();
    assert_eq!(fit3["target"]["status"]["state"], "not-satisfied");
    assert!(fit3.get("related-observations").is_none());

    // Register items are risks: the owner responsible for the remediation, the due date as
    // the deadline, an accepted risk as an approved deviation logged by who accepted it.
    let risks = result["risks"].as_array().unwrap();
    assert_eq!(risks.len(), 3);
    let gov_risk = risks.iter().find(|r| r["uuid"] == risk_uuid).unwrap();
    assert_eq!(gov_risk["status"], "remediating");
    assert_eq!(gov_risk["deadline"], "2026-06-08T23:59:59Z");
    let task = &gov_risk["remediations"][0]["tasks"][0];
    let owner = task["responsible-roles"][0]["party-uuids"][0]
        .as_str()
        .unwrap();
    let party = |uuid: &str| {
        ar["metadata"]["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["uuid"] == uuid)
            .map(|p| p["name"].as_str().unwrap().to_owned())
    };
    assert_eq!(party(owner).as_deref(), Some("Lena Fischer"));
    let accepted = risks
        .iter()
        .find(|r| r["status"] == "deviation-approved")
        .unwrap();
    let entry = &accepted["risk-log"]["entries"][0];
    assert_eq!(
        party(entry["logged-by"][0]["party-uuid"].as_str().unwrap()).as_deref(),
        Some("Priya Raman")
    );
    assert!(
        entry["description"]
            .as_str()
            .unwrap()
            .starts_with("Sprint planning")
    );

    // Every UUID is name-based (version 5), and each object's is its own.
    let mut all = Vec::new();
    uuids(&document, &mut all);
    assert!(all.iter().all(|(_, u)| u.as_bytes()[14] == b'5'), "{all:?}");
    let defined: Vec<&str> = all
        .iter()
        .filter(|(k, _)| k == "uuid")
        .map(|(_, u)| u.as_str())
        .collect();
    let distinct: BTreeSet<&&str> = defined.iter().collect();
    assert_eq!(distinct.len(), defined.len(), "a UUID is used twice");
}

#[test]
fn the_same_assessment_gives_the_same_bytes_and_a_change_a_new_document_uuid() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let mut assay = open(&db);
    let id = assay.create_demo().unwrap();
    let first = assay.render_oscal_results(&id).unwrap();
    assert_eq!(first, open(&db).render_oscal_results(&id).unwrap());
    assert_eq!(first.kind, "OSCAL 1.2.3 assessment results");

    assay
        .update_answer(
            &id,
            "GOV-2",
            AnswerChange {
                note: Some("Reviewed again.".into()),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    let second = assay.render_oscal_results(&id).unwrap();
    assert_ne!(first.id, second.id, "changed content, new document UUID");
    let (a, b): (Value, Value) = (
        serde_json::from_str(&first.text).unwrap(),
        serde_json::from_str(&second.text).unwrap(),
    );
    let gov2 = |d: &Value| finding(d, "GOV-2").unwrap()["uuid"].clone();
    assert_eq!(
        gov2(&a),
        gov2(&b),
        "an object keeps its UUID across revisions"
    );

    // Written to a file, with what identifies it.
    let out = dir.path().join("results.json");
    let written = assay.export_oscal_results(&id, &out).unwrap();
    assert_eq!(written.id, second.id);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), second.text);
    assert_eq!(
        assay.render_oscal_results("nope").unwrap_err().code(),
        ErrorCode::AssessmentNotFound
    );
}

#[test]
fn tracker_evidence_of_the_scope_becomes_observations() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    seed(
        &db,
        &snapshot(&|t| t.to_owned()),
        "Payments fraud detection",
    );
    let mut assay = open(&db);
    let id = assay.create_demo().unwrap();
    let document = results(&assay, &id);
    schemas::assert_valid(&schemas::oscal_assessment_results(), &document);
    let observations = document["assessment-results"]["results"][0]["observations"]
        .as_array()
        .unwrap();
    let examined: Vec<&Value> = observations
        .iter()
        .filter(|o| o["methods"][0] == "EXAMINE")
        .collect();
    assert!(!examined.is_empty());
    assert_eq!(examined[0]["collected"], "2026-04-09T09:30:00Z");
    // Each is related to the findings of the questions it bears on.
    let related: Vec<&Value> = document["assessment-results"]["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["related-observations"].as_array().into_iter().flatten())
        .filter(|r| examined.iter().any(|o| o["uuid"] == r["observation-uuid"]))
        .collect();
    assert!(!related.is_empty());
}

#[test]
fn hostile_text_in_every_field_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let h = |text: &str| format!("{text} {HOSTILE}");
    seed(&db, &snapshot(&h), h("scope").trim());
    let mut assay = open(&db);
    let mut targets = Targets {
        default: Some(Level::new(3).unwrap()),
        ..Targets::default()
    };
    targets
        .questions
        .insert("GOV-2".into(), Level::new(4).unwrap());
    let id = assay
        .create_assessment(NewAssessment {
            scope: h("scope"),
            title: h("title"),
            assessed_on: Some(start().date_naive()),
            participants: vec![NewParticipant {
                name: h("Ana"),
                role: h("role"),
            }],
            targets,
            start_from: None,
            bank: None,
        })
        .unwrap()
        .id;
    assay
        .update_answer(
            &id,
            "GOV-2",
            AnswerChange {
                rating: Some(Rating::level(Level::new(1).unwrap())),
                note: Some(h("note")),
                confidence: Some(Confidence::Low),
                add_evidence: vec![
                    EvidenceLink {
                        kind: EvidenceKind::Url,
                        target: "https://wiki.example.com/a b<script>\"".into(),
                        label: Some(h("label")),
                        as_of: None,
                        provenance: None,
                    },
                    EvidenceLink {
                        kind: EvidenceKind::Url,
                        target: "https://wiki.example.com/model-card?v=3&x=%20".into(),
                        label: None,
                        as_of: None,
                        provenance: None,
                    },
                ],
                ..AnswerChange::default()
            },
        )
        .unwrap();
    let question = assay.bank().questions[0].id.clone();
    assay
        .update_answer(
            &id,
            &question,
            AnswerChange {
                rating: Some(Rating::not_applicable(&h("justification")).unwrap()),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    let item = assay
        .create_item(NewItem {
            title: h("item"),
            description: h("description"),
            owner: Some(h("owner")),
            due_on: Some(start().date_naive()),
            questions: vec!["GOV-2".into()],
            assessment: Some(id.clone()),
            ..NewItem::default()
        })
        .unwrap();
    assay
        .update_item(
            &item.item.id,
            ItemChange {
                status: Some(StatusChange::AcceptRisk {
                    accepted_by: h("acceptor"),
                    reason: h("reason"),
                }),
                ..ItemChange::default()
            },
        )
        .unwrap();
    assert_eq!(
        assay.item(&item.item.id).unwrap().item.status,
        ItemStatus::RiskAccepted
    );

    let document = assay.render_oscal_results(&id).unwrap();
    let parsed: Value = serde_json::from_str(&document.text).unwrap();
    schemas::assert_valid(&schemas::oscal_assessment_results(), &parsed);
    assert_eq!(document, open(&db).render_oscal_results(&id).unwrap());
    // Markdown fields carry the text escaped, so no tool renders it as markup; plain strings
    // carry it as it is, on one line.
    assert!(markup_escaped(&parsed) > 20);
    let gov2 = finding(&parsed, "GOV-2").unwrap();
    assert_eq!(gov2["target"]["status"]["state"], "not-satisfied");
    let observations = parsed["assessment-results"]["results"][0]["observations"]
        .as_array()
        .unwrap();
    let answer = observations
        .iter()
        .find(|o| o["title"] == "GOV-2 consensus answer")
        .unwrap();
    let note = answer["description"].as_str().unwrap();
    assert!(note.contains("\\<script\\>alert(\"x\")\\</script\\>") && note.contains("\\*bold\\*"));
    let evidence = answer["relevant-evidence"].as_array().unwrap();
    assert!(
        evidence[0].get("href").is_none(),
        "not a URI: shown as text only"
    );
    assert_eq!(
        evidence[1]["href"],
        "https://wiki.example.com/model-card?v=3&x=%20"
    );
    let parties = parsed["assessment-results"]["metadata"]["parties"]
        .as_array()
        .unwrap();
    assert!(
        parties
            .iter()
            .all(|p| !p["name"].as_str().unwrap().contains('\n'))
    );
    assert!(
        parties[0]["name"]
            .as_str()
            .unwrap()
            .starts_with("Ana <script>alert(\"x\")")
    );
    assert_eq!(parties.len(), 3, "participant, owner and acceptor");
}

#[test]
fn question_banks_are_valid_oscal_catalogs() {
    let dir = tempfile::tempdir().unwrap();
    let assay = open(&dir.path().join("a.db"));
    let validator = schemas::oscal_catalog();
    for name in ["assay-mlops@1.0.0", "assay-mlops@2.2.0"] {
        let document = catalog(&assay, Some(name));
        schemas::assert_valid(&validator, &document);
        let bank = assay.find_bank(name).unwrap();
        let groups = document["catalog"]["groups"].as_array().unwrap();
        assert_eq!(groups.len(), bank.bank.areas().count());
        let controls: Vec<&Value> = groups
            .iter()
            .flat_map(|g| g["controls"].as_array().unwrap())
            .collect();
        assert_eq!(controls.len(), bank.bank.questions.len());
    }
    let document = catalog(&assay, Some("assay-mlops@2.2.0"));
    let gov = document["catalog"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "governance")
        .unwrap();
    let control = gov["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "GOV-2")
        .unwrap();
    let parts = control["parts"].as_array().unwrap();
    assert_eq!(parts[0]["name"], "statement");
    let levels = parts.iter().find(|p| p["id"] == "GOV-2_obj").unwrap()["parts"]
        .as_array()
        .unwrap();
    assert_eq!(levels.len(), 5);
    assert_eq!(levels[0]["title"], "Level 0: Absent or ad hoc");
    let frameworks: BTreeSet<&str> = control["props"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == "crosswalk")
        .map(|p| p["class"].as_str().unwrap())
        .collect();
    assert!(frameworks.contains("eu_ai_act"), "{frameworks:?}");
    assert!(
        !document.to_string().contains("crosswalk-relationship"),
        "2.2.0 does not type its links"
    );

    // A bank that types its links gives each crosswalk property a relationship beside it.
    let typed = catalog(&assay, Some("assay-mlops@2.3.0"));
    schemas::assert_valid(&validator, &typed);
    let bank = assay.find_bank("assay-mlops@2.3.0").unwrap();
    let question = bank.bank.question("GOV-2").unwrap();
    let control = typed["catalog"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["controls"].as_array().unwrap())
        .find(|c| c["id"] == "GOV-2")
        .unwrap();
    let props = control["props"].as_array().unwrap();
    for (framework, clauses) in &question.crosswalk {
        for clause in clauses {
            let relation = question.relation(framework, clause).unwrap();
            let link = props
                .iter()
                .find(|p| p["name"] == "crosswalk" && p["value"] == clause.as_str())
                .unwrap();
            let typed = props
                .iter()
                .find(|p| p["name"] == "crosswalk-relationship" && p["group"] == link["group"])
                .unwrap_or_else(|| panic!("no relationship beside {clause}"));
            assert_eq!(typed["value"], relation.relationship.as_str());
            assert_eq!(typed["class"], framework.as_str());
            assert_eq!(
                typed["remarks"].as_str().map(str::trim),
                relation.rationale.as_deref().map(str::trim)
            );
        }
    }

    // The default bank, the same bytes twice; an unknown bank refused.
    let default = assay.render_oscal_catalog(None).unwrap();
    assert_eq!(
        default,
        open(&dir.path().join("a.db"))
            .render_oscal_catalog(None)
            .unwrap()
    );
    assert_eq!(
        assay
            .render_oscal_catalog(Some("nope@1"))
            .unwrap_err()
            .code(),
        ErrorCode::UnknownBank
    );
}

#[test]
fn a_bank_with_hostile_text_is_a_valid_catalog() {
    let mut bank = assay_api::builtin_bank().unwrap();
    let h = |text: &str| format!("{text} {HOSTILE}");
    bank.title = h("title");
    bank.version = h("9");
    bank.levels = bank.levels.iter().map(|l| h(l)).collect();
    bank.rating_guide = vec![h("guide")];
    for pillar in &mut bank.pillars {
        pillar.name = h(&pillar.name);
        for area in &mut pillar.areas {
            area.name = h(&area.name);
            area.code = h(&area.code);
        }
    }
    for question in &mut bank.questions {
        question.title = h(&question.title);
        question.text = h(&question.text);
        question.why = h(&question.why);
        question.evidence = question.evidence.iter().map(|e| h(e)).collect();
        question.anchors = question.anchors.iter().map(|a| h(a)).collect();
    }
    for framework in &mut bank.frameworks {
        framework.name = h(&framework.name);
        framework.reference = h(&framework.reference);
        for clause in &mut framework.clauses {
            clause.title = h(&clause.title);
        }
    }
    bank.questions[0].id = "<Q&1> 2".into();
    let dir = tempfile::tempdir().unwrap();
    let assay = Assay::open_with_bank(
        &dir.path().join("a.db"),
        bank,
        interop_fixtures::still_clock(),
    )
    .unwrap();
    let document = assay.render_oscal_catalog(None).unwrap();
    let parsed: Value = serde_json::from_str(&document.text).unwrap();
    schemas::assert_valid(&schemas::oscal_catalog(), &parsed);
    assert!(markup_escaped(&parsed) > 100);
    let first = &parsed["catalog"]["groups"][0]["controls"][0];
    assert_eq!(first["id"], "_Q_1__2");
    assert_eq!(
        first["props"][0]["value"], "<Q&1> 2",
        "the label keeps the id as written"
    );
}
