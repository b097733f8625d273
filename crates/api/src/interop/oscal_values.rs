//! OSCAL values made from Assay's data, shared by the assessment results and the catalog:
//! properties in Assay's namespace, the people a document names, timestamps and URI
//! references.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::text::{markup_multiline, oscal_string};
pub(super) use super::timestamp;
use super::{OSCAL_NAMESPACE, stable_uuid};

/// The OSCAL release whose schemas the exports are written to (and checked against).
pub const OSCAL_VERSION: &str = "1.2.3";

/// The people the document names, each once, with a UUID derived from the name so the same
/// person has the same UUID in every export.
#[derive(Default)]
pub(super) struct Parties {
    pub(super) list: Vec<Value>,
}

impl Parties {
    pub(super) fn add(&mut self, name: &str, remarks: Option<String>) -> String {
        let uuid = party_uuid(name);
        if !self.list.iter().any(|p| p["uuid"] == uuid.as_str()) {
            let mut party = json!({
                "uuid": uuid,
                "type": "person",
                "name": oscal_string(name).unwrap_or_else(|| "(unnamed)".to_owned()),
            });
            if let Some(remarks) = remarks {
                party["remarks"] = json!(markup_multiline(&remarks, "-"));
            }
            self.list.push(party);
        }
        uuid
    }
}

pub(super) fn party_uuid(name: &str) -> String {
    stable_uuid(&format!("party\n{}", name.trim())).to_string()
}

/// An OSCAL property in Assay's namespace; `None` when the value is blank.
pub(super) fn prop(name: &str, value: &str) -> Option<Value> {
    let value = oscal_string(value)?;
    Some(json!({"name": name, "ns": OSCAL_NAMESPACE, "value": value}))
}

/// The properties that have a value.
pub(super) fn props_of(props: impl IntoIterator<Item = Option<Value>>) -> Vec<Value> {
    props.into_iter().flatten().collect()
}

/// [`prop`] with a class that says what the value is about (an area, a framework).
pub(super) fn prop_in(name: &str, class: &str, value: &str) -> Option<Value> {
    let mut prop = prop(name, value)?;
    prop["class"] = json!(class);
    Some(prop)
}

/// A link target as an OSCAL URI reference, when it is one: characters outside RFC 3986's set
/// (spaces, quotes, angle brackets, non-ASCII) mean it is not, and it is shown as text only.
/// Brackets are left out too: RFC 3986 allows them only around an IPv6 host.
pub(super) fn uri(target: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+,;=%".contains(c);
    (!target.is_empty() && target.chars().all(allowed)).then(|| target.to_owned())
}

/// A due date as a deadline: the end of that day, UTC.
pub(super) fn end_of_day(date: NaiveDate) -> String {
    format!("{date}T23:59:59Z")
}
