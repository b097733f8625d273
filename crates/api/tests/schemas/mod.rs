//! The official JSON Schemas the exports are checked against (see README.md beside this file
//! for where each came from), loaded offline: every `$ref` the schemas make is registered
//! here, so a missing one fails the build of the validator instead of reaching the network.

// Each test file uses part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jsonschema::{Registry, Resource, Validator};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas")
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(dir().join(path)).expect("schema file");
    serde_json::from_str(&text).expect("schema JSON")
}

/// Formats are checked too (date-time, uri, uuid ...): both standards rely on them.
fn validator(schema: &Value, extra: &[(&str, Value)]) -> Validator {
    let mut registry = Registry::new();
    for (uri, contents) in extra {
        registry = registry
            .add(*uri, Resource::from_contents(contents.clone()))
            .expect("schema URI");
    }
    let registry = registry.prepare().expect("schema registry");
    jsonschema::options()
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(schema)
        .expect("the schema compiles")
}

/// CycloneDX 1.6, with the SPDX licence list and JSF signature schemas it refers to.
pub fn cyclonedx() -> Validator {
    validator(
        &load("cyclonedx-1.6/bom-1.6.schema.json"),
        &[
            (
                "http://cyclonedx.org/schema/spdx.schema.json",
                load("cyclonedx-1.6/spdx.schema.json"),
            ),
            (
                "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                load("cyclonedx-1.6/jsf-0.82.schema.json"),
            ),
        ],
    )
}

pub fn oscal_assessment_results() -> Validator {
    validator(
        &load("oscal-1.2.3/oscal_assessment-results_schema.json"),
        &[],
    )
}

pub fn oscal_catalog() -> Validator {
    validator(&load("oscal-1.2.3/oscal_catalog_schema.json"), &[])
}

/// Every violation, one per line, so a failing test says all that is wrong at once.
pub fn problems(validator: &Validator, document: &Value) -> String {
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Panics with every violation when `document` does not meet the schema.
pub fn assert_valid(validator: &Validator, document: &Value) {
    let problems = problems(validator, document);
    assert!(problems.is_empty(), "schema violations:\n{problems}");
}
