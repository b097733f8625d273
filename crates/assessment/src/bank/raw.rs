//! The bank files as written, before validation: every field a person may leave out is optional
//! or defaulted so that [`super::Bank::load`] can say which one is missing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Clause;
use super::crosswalk::RawClauseLink;

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBank {
    pub(super) id: String,
    pub(super) version: String,
    pub(super) title: String,
    pub(super) question_files: Vec<String>,
    pub(super) framework_files: Vec<String>,
    pub(super) levels: BTreeMap<String, String>,
    pub(super) pillar: Vec<RawPillar>,
    pub(super) headline: RawHeadline,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) rating_guide: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) upgrade_files: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) report_title: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPillar {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) areas: Vec<RawArea>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArea {
    pub(super) id: String,
    pub(super) code: String,
    pub(super) name: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeadline {
    pub(super) threshold: u8,
    pub(super) base_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) scale: Option<String>,
    pub(super) level: Vec<RawHeadlineLevel>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeadlineLevel {
    pub(super) level: u8,
    pub(super) name: String,
    pub(super) requires: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) na_allowed: Option<Vec<String>>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFramework {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) reference: String,
    pub(super) clause: Vec<Clause>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestionFile {
    #[serde(default)]
    pub(super) question: Vec<RawQuestion>,
}

/// Fields are optional here so that a missing one is reported with the question id.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) area: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) why: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) evidence: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) anchors: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) crosswalk: Option<BTreeMap<String, Vec<RawClauseLink>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) reattest_days: Option<u32>,
}
