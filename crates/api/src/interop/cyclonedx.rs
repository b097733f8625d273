//! The model card as a CycloneDX 1.6 ML-BOM: the model version as a `machine-learning-model`
//! component carrying a `modelCard`, and each dataset its lineage names as a `data` component
//! it depends on. What the tracker does not record (intended users, use cases, limitations,
//! inputs and outputs) is left out and named in one property, never guessed.

use serde_json::{Value, json};

use super::model_card::{CardFairness, ModelCard};
use super::timestamp;

/// CycloneDX caps a version string at this many characters.
const MAX_VERSION_CHARS: usize = 1024;

/// What the model card leaves out because no tracker records it.
pub(super) const NOT_RECORDED: [&str; 6] = [
    "intended users",
    "use cases",
    "technical limitations",
    "performance trade-offs",
    "environmental considerations",
    "inputs and outputs",
];

pub(super) fn bom(card: &ModelCard) -> Value {
    let model_ref = format!("model:{}", card.model.external_id);
    let mut dataset_refs: Vec<String> = Vec::new();
    let mut components = vec![Value::Null];
    for dataset in &card.datasets {
        let reference = format!("dataset:{}", dataset.external_id);
        if dataset_refs.contains(&reference) {
            continue;
        }
        // One component per dataset, however many ways the model used it.
        let usages = card
            .datasets
            .iter()
            .filter(|d| d.external_id == dataset.external_id)
            .map(|d| property("assay:dataset:usage", &d.usage));
        let mut properties = vec![property("assay:dataset:id", &dataset.external_id)];
        properties.extend(optional("assay:dataset:digest", &dataset.digest));
        properties.extend(optional("assay:dataset:source", &dataset.source));
        properties.extend(optional("assay:dataset:source-type", &dataset.source_type));
        properties.extend(usages);
        let mut component = json!({
            "type": "data",
            "bom-ref": reference,
            "name": dataset.name,
            "data": [{"type": "dataset", "name": dataset.name}],
            "properties": properties,
        });
        if let Some(version) = &dataset.version {
            component["version"] = json!(capped(version));
        }
        components.push(component);
        dataset_refs.push(reference);
    }
    components[0] = model_component(card, &model_ref, &dataset_refs);
    let source = &card.source;
    let mut metadata_properties = vec![
        property("assay:scope", &card.scope),
        property("assay:tracker", source.tracker.as_str()),
        property("assay:tracker:instance", &source.instance),
        property("assay:tracker:project", &source.project),
        property("assay:evidence:sha256", &card.provenance.content_hash),
        property(
            "assay:evidence:imports",
            &card.provenance.imports.to_string(),
        ),
    ];
    if let Some(at) = card.provenance.imported_at {
        metadata_properties.push(property("assay:evidence:imported-at", &timestamp(at)));
    }
    let mut bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": card.serial,
        "version": 1,
        "metadata": {
            "timestamp": timestamp(card.generated_at),
            "tools": {"components": [{
                "type": "application",
                "name": "Assay",
                "version": env!("CARGO_PKG_VERSION"),
            }]},
            "properties": metadata_properties,
        },
        "components": components,
    });
    if !dataset_refs.is_empty() {
        bom["dependencies"] = json!([{"ref": model_ref, "dependsOn": dataset_refs}]);
    }
    bom
}

fn model_component(card: &ModelCard, model_ref: &str, dataset_refs: &[String]) -> Value {
    let model = &card.model;
    let mut properties = vec![
        property("assay:model:id", &model.external_id),
        property("assay:model:production", &model.is_production().to_string()),
    ];
    properties.extend(
        model
            .aliases
            .iter()
            .map(|alias| property("assay:model:alias", alias)),
    );
    properties.extend(optional("assay:model:stage", &model.stage));
    properties.extend(
        model
            .tags
            .iter()
            .map(|(key, value)| property(&format!("assay:model:tag:{key}"), value)),
    );
    json!({
        "type": "machine-learning-model",
        "bom-ref": model_ref,
        "name": model.registry_name,
        "version": capped(&model.version),
        "description": format!(
            "Version {} of the registered model {} in the {} project {}",
            model.version,
            model.registry_name,
            card.source.tracker.as_str(),
            card.source.project
        ),
        "properties": properties,
        "modelCard": model_card(card, dataset_refs),
    })
}

fn model_card(card: &ModelCard, dataset_refs: &[String]) -> Value {
    let mut parameters = json!({});
    if let Some(approach) = &card.approach {
        parameters["approach"] = json!({"type": approach});
    }
    if let Some(task) = &card.task {
        parameters["task"] = json!(task);
    }
    if !dataset_refs.is_empty() {
        let refs: Vec<Value> = dataset_refs.iter().map(|r| json!({"ref": r})).collect();
        parameters["datasets"] = json!(refs);
    }
    let several_runs = card.runs.len() > 1;
    let mut metrics: Vec<Value> = card
        .metrics
        .iter()
        .map(|m| {
            // With several producing runs the same metric name can appear twice; the run tells
            // them apart.
            let name = if several_runs {
                format!("{}: {}", m.run, m.name)
            } else {
                m.name.clone()
            };
            json!({"type": name, "value": m.value_text})
        })
        .collect();
    metrics.extend(
        card.fairness
            .iter()
            .map(|f| json!({"type": f.metric, "value": f.value.to_string(), "slice": f.slice})),
    );
    let mut modelcard = json!({});
    if parameters.as_object().is_some_and(|p| !p.is_empty()) {
        modelcard["modelParameters"] = parameters;
    }
    if !metrics.is_empty() {
        modelcard["quantitativeAnalysis"] = json!({"performanceMetrics": metrics});
    }
    let considerations = considerations(&card.fairness);
    if considerations.as_object().is_some_and(|c| !c.is_empty()) {
        modelcard["considerations"] = considerations;
    }
    let mut properties = Vec::new();
    for run in &card.runs {
        properties.push(property("assay:run:id", &run.external_id));
        properties.push(property("assay:run:name", &run.name));
        properties.extend(optional("assay:run:status", &run.status));
        properties.extend(optional("assay:run:code-commit", &run.code_commit));
        properties.extend(optional("assay:run:code-repo", &run.code_repo));
        properties.extend(
            run.params
                .iter()
                .map(|(key, value)| property(&format!("assay:run:param:{key}"), value)),
        );
    }
    properties.push(property(
        "assay:card:not-recorded",
        &format!(
            "The tracker records none of these, so this card leaves them out: {}",
            NOT_RECORDED.join(", ")
        ),
    ));
    modelcard["properties"] = json!(properties);
    modelcard
}

/// Failing fairness figures as ethical considerations, and those that name a group as
/// fairness assessments of that group; with no fairness figure at all, that is said.
fn considerations(fairness: &[CardFairness]) -> Value {
    let failing: Vec<&CardFairness> = fairness
        .iter()
        .filter(|f| f.passed == Some(false))
        .collect();
    let ethical: Vec<Value> = if fairness.is_empty() {
        vec![json!({"name": NO_FAIRNESS})]
    } else {
        failing
            .iter()
            .map(|f| json!({"name": finding(f)}))
            .collect()
    };
    let at_risk: Vec<Value> = failing
        .iter()
        .filter(|f| f.group.is_some())
        .map(|f| {
            json!({
                "groupAtRisk": f.slice,
                "harms": format!(
                    "{} is {}, outside {} (run {})",
                    f.metric_text, f.value_text, f.threshold_text, f.run
                ),
            })
        })
        .collect();
    let mut considerations = json!({});
    if !ethical.is_empty() {
        considerations["ethicalConsiderations"] = json!(ethical);
    }
    if !at_risk.is_empty() {
        considerations["fairnessAssessments"] = json!(at_risk);
    }
    considerations
}

pub(super) const NO_FAIRNESS: &str = "No fairness metrics were recorded for the runs that \
     produced this model version, so its fairness is unknown.";

/// A failing figure in one sentence.
fn finding(f: &CardFairness) -> String {
    format!(
        "{} for {} is {}, outside {} (run {})",
        f.metric_text, f.slice, f.value_text, f.threshold_text, f.run
    )
}

fn property(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn optional(name: &str, value: &Option<String>) -> Option<Value> {
    value.as_deref().map(|v| property(name, v))
}

fn capped(text: &str) -> String {
    text.chars().take(MAX_VERSION_CHARS).collect()
}
