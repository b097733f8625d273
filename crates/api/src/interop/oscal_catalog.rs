//! A question bank as an OSCAL catalog: a group per area, a control per question. Each control
//! has the question as its statement, why it matters as its guidance, the five level anchors
//! as assessment objectives (the ids the assessment results' findings name), the evidence to
//! expect as its assessment method, and its crosswalk clauses as properties with a link to the
//! framework each comes from (and, where the bank types the link, its NIST OLIR relationship).

use assay_assessment::{Bank, CanonicalBank, Question};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::oscal_values::{OSCAL_VERSION, prop, prop_in, props_of, timestamp};
use super::text::{markdown_literal, markup_line, markup_multiline, one_line, token};
use super::{InteropDocument, pretty_json, stable_uuid};
use crate::{Assay, Result};

impl Assay {
    /// A question bank (`id@version`, `id` for its newest version, or the default bank) as an
    /// OSCAL catalog: a group per area, a control per question.
    pub fn render_oscal_catalog(&self, bank: Option<&str>) -> Result<InteropDocument> {
        let bank = match bank {
            Some(name) => self.find_bank(name)?,
            None => self.default_bank(),
        };
        let (document, id) = catalog(&bank, self.clock.now());
        Ok(InteropDocument {
            text: pretty_json(&document),
            kind: format!("OSCAL {OSCAL_VERSION} catalog"),
            id,
        })
    }
}

fn catalog(canonical: &CanonicalBank, now: DateTime<Utc>) -> (Value, String) {
    let bank = &canonical.bank;
    // The bank's content hash names it, so the catalog's UUID changes exactly when the bank's
    // content does.
    let id = stable_uuid(&format!("catalog\n{}", canonical.digest)).to_string();
    let mut metadata = json!({
        "title": markup_line(&bank.title, "Question bank"),
        "last-modified": timestamp(now),
        "version": one_line(&bank.version).unwrap_or_else(|| "-".to_owned()),
        "oscal-version": OSCAL_VERSION,
        "props": props_of([
            prop("bank-id", &bank.id),
            prop("bank-sha256", canonical.digest.as_str()),
            prop("generator", &crate::generator()),
        ]),
    });
    if !bank.rating_guide.is_empty() {
        let guide: Vec<String> = bank
            .rating_guide
            .iter()
            .map(|p| markup_multiline(p, "-"))
            .collect();
        metadata["remarks"] = json!(format!("How to rate:\n\n{}", guide.join("\n\n")));
    }
    let groups: Vec<Value> = bank
        .pillars
        .iter()
        .flat_map(|pillar| pillar.areas.iter().map(move |area| (pillar, area)))
        .map(|(pillar, area)| {
            let controls: Vec<Value> = bank
                .questions_in_area(&area.id)
                .map(|q| control(bank, q))
                .collect();
            let mut group = json!({
                "id": token(&area.id),
                "class": "area",
                "title": markup_line(&area.name, "Area"),
                "props": props_of([label(&area.code), prop("pillar", &pillar.name)]),
            });
            if !controls.is_empty() {
                group["controls"] = json!(controls);
            }
            group
        })
        .collect();
    let resources: Vec<Value> = bank
        .frameworks
        .iter()
        .map(|framework| {
            json!({
                "uuid": framework_uuid(&framework.id),
                "title": markup_line(&framework.name, "Framework"),
                "props": props_of([prop("framework-id", &framework.id)]),
                "citation": {"text": markup_line(&framework.reference, "-")},
            })
        })
        .collect();
    let mut catalog = json!({"uuid": id, "metadata": metadata});
    if !groups.is_empty() {
        catalog["groups"] = json!(groups);
    }
    if !resources.is_empty() {
        catalog["back-matter"] = json!({"resources": resources});
    }
    (json!({ "catalog": catalog }), id)
}

fn control(bank: &Bank, question: &Question) -> Value {
    let id = token(&question.id);
    let mut props: Vec<Option<Value>> = vec![label(&question.id)];
    let mut links = Vec::new();
    for (framework_id, clauses) in &question.crosswalk {
        let framework = bank.framework(framework_id);
        for clause in clauses {
            let mut crosswalk = prop_in("crosswalk", &token(framework_id), clause);
            let title = framework.and_then(|f| f.clauses.iter().find(|c| &c.id == clause));
            if let (Some(prop), Some(framework), Some(title)) = (&mut crosswalk, framework, title) {
                prop["remarks"] = json!(markup_multiline(
                    &format!("{} {}: {}", framework.name, clause, title.title),
                    "-"
                ));
            }
            // A typed link adds its OLIR relationship as a second property; OSCAL's `group`
            // ties the two together.
            if let Some(relation) = question.relation(framework_id, clause) {
                let group = token(&format!("{framework_id}-{clause}"));
                let mut relationship = prop_in(
                    "crosswalk-relationship",
                    &token(framework_id),
                    relation.relationship.as_str(),
                );
                for prop in [&mut crosswalk, &mut relationship].into_iter().flatten() {
                    prop["group"] = json!(group);
                }
                if let (Some(prop), Some(rationale)) = (&mut relationship, &relation.rationale) {
                    prop["remarks"] = json!(markup_multiline(rationale, "-"));
                }
                props.push(crosswalk);
                props.push(relationship);
                continue;
            }
            props.push(crosswalk);
        }
        if let Some(framework) = framework {
            links.push(json!({
                "href": format!("#{}", framework_uuid(&framework.id)),
                "rel": "reference",
                "text": markup_line(&framework.name, "Framework"),
            }));
        }
    }
    let levels: Vec<Value> = question
        .anchors
        .iter()
        .enumerate()
        .map(|(level, anchor)| {
            let name = bank.levels.get(level).map_or("", String::as_str);
            json!({
                "id": format!("{id}_obj.{level}"),
                "name": "assessment-objective",
                "title": markup_line(&format!("Level {level}: {name}"), "Level"),
                "props": [{"name": "label", "value": level.to_string()}],
                "prose": markup_multiline(anchor, "-"),
            })
        })
        .collect();
    let mut parts = vec![
        json!({"id": format!("{id}_smt"), "name": "statement", "prose": markup_multiline(&question.text, "-")}),
        json!({"id": format!("{id}_gdn"), "name": "guidance", "prose": markup_multiline(&question.why, "-")}),
        json!({
            "id": format!("{id}_obj"),
            "name": "assessment-objective",
            "prose": "The highest level whose criterion holds, together with the criteria of \
                      every lower level.",
            "parts": levels,
        }),
    ];
    let evidence: Vec<String> = question
        .evidence
        .iter()
        .filter_map(|e| one_line(e))
        .map(|e| format!("- {}", markdown_literal(&e)))
        .collect();
    if !evidence.is_empty() {
        parts.push(json!({
            "id": format!("{id}_mth"),
            "name": "assessment-method",
            "prose": format!("Evidence to look for:\n\n{}", evidence.join("\n")),
        }));
    }
    let mut control = json!({
        "id": id,
        "class": "question",
        "title": markup_line(&question.title, "Question"),
        "props": props_of(props),
        "parts": parts,
    });
    if !links.is_empty() {
        control["links"] = json!(links);
    }
    control
}

/// OSCAL's own `label` property: the id people read (the question id, the area code).
fn label(text: &str) -> Option<Value> {
    one_line(text).map(|value| json!({"name": "label", "value": value}))
}

fn framework_uuid(id: &str) -> String {
    stable_uuid(&format!("framework\n{id}")).to_string()
}
