//! Typed crosswalk links: how much of a framework clause a question checks.
//!
//! A bank links each question to clauses of the frameworks it names. A link may say how the
//! question relates to the clause, in the vocabulary of NIST's Online Informative References
//! (OLIR), read from the question's side: `subset` means the question checks part of what the
//! clause asks for. From the links, [`Bank::clause_mapping`] says per clause whether the bank's
//! questions cover it in full, in part, not at all, or cannot tell (links without a type), so
//! that a report does not claim a clause from questions that only touch part of it.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Bank, Framework, Problem, Question};

/// How a question relates to a clause it is linked to (NIST OLIR), from the question's side.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// The question asks for what the clause asks for, no more and no less.
    Equal,
    /// The question checks part of what the clause asks for.
    Subset,
    /// The question asks for all the clause asks for, and more.
    Superset,
    /// They overlap, and each asks for something the other does not.
    Intersects,
}

impl Relationship {
    pub const ALL: [Relationship; 4] = [
        Relationship::Equal,
        Relationship::Subset,
        Relationship::Superset,
        Relationship::Intersects,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Equal => "equal",
            Relationship::Subset => "subset",
            Relationship::Superset => "superset",
            Relationship::Intersects => "intersects",
        }
    }

    /// Reads a relationship name as written in a bank file or workbook.
    pub fn parse(name: &str) -> Option<Relationship> {
        Relationship::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether the question answers for the whole clause.
    pub fn covers_whole_clause(self) -> bool {
        matches!(self, Relationship::Equal | Relationship::Superset)
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of one question-to-clause link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ClauseRelation {
    pub relationship: Relationship,
    /// Why the link has this type, e.g. which part of the clause the question checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub rationale: Option<String>,
}

/// What a bank's questions, taken together, say of one clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ClauseMapping {
    /// No question is linked to the clause: a gap in the bank, not in the team.
    None,
    /// A question is `equal` to or a `superset` of the clause.
    Full,
    /// Every link is typed and each question checks only part of the clause.
    Partial,
    /// At least one link has no type and none covers the whole clause: the bank does not say.
    Untyped,
}

impl ClauseMapping {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseMapping::None => "none",
            ClauseMapping::Full => "full",
            ClauseMapping::Partial => "partial",
            ClauseMapping::Untyped => "untyped",
        }
    }
}

impl Question {
    /// The type of this question's link to `clause` of `framework`, if the bank gives one.
    pub fn relation(&self, framework: &str, clause: &str) -> Option<&ClauseRelation> {
        self.relations.get(framework)?.get(clause)
    }

    /// Whether this question is linked to `clause` of `framework`.
    pub fn links_to(&self, framework: &str, clause: &str) -> bool {
        self.crosswalk
            .get(framework)
            .is_some_and(|ids| ids.iter().any(|id| id == clause))
    }
}

impl Bank {
    /// The questions linked to a clause, in bank order, and what they cover of it.
    pub fn clause_mapping(&self, framework: &str, clause: &str) -> (Vec<&Question>, ClauseMapping) {
        let questions: Vec<&Question> = self
            .questions
            .iter()
            .filter(|q| q.links_to(framework, clause))
            .collect();
        let relations: Vec<Option<Relationship>> = questions
            .iter()
            .map(|q| q.relation(framework, clause).map(|r| r.relationship))
            .collect();
        let mapping = if questions.is_empty() {
            ClauseMapping::None
        } else if relations
            .iter()
            .any(|r| r.is_some_and(Relationship::covers_whole_clause))
        {
            ClauseMapping::Full
        } else if relations.iter().any(Option::is_none) {
            ClauseMapping::Untyped
        } else {
            ClauseMapping::Partial
        };
        (questions, mapping)
    }

    /// Whether any link of the bank carries a type.
    pub fn has_typed_crosswalk(&self) -> bool {
        self.questions.iter().any(|q| !q.relations.is_empty())
    }
}

pub(super) type Crosswalk = BTreeMap<String, Vec<String>>;
pub(super) type Relations = BTreeMap<String, BTreeMap<String, ClauseRelation>>;

/// Checks a question's crosswalk against the catalogues and splits it into the clause ids and
/// the types of the links that have one.
pub(super) fn build(
    raw: BTreeMap<String, Vec<RawClauseLink>>,
    frameworks: &[Framework],
) -> Result<(Crosswalk, Relations), Problem> {
    if raw.values().all(Vec::is_empty) {
        return Err(Problem("has no crosswalk ids".into()));
    }
    let mut ids = Crosswalk::new();
    let mut relations = Relations::new();
    for (framework_id, links) in raw {
        let Some(framework) = frameworks.iter().find(|f| f.id == framework_id) else {
            return Err(Problem(format!(
                "crosswalk names unknown framework `{framework_id}`"
            )));
        };
        let mut clause_ids = Vec::with_capacity(links.len());
        for link in links {
            let clause = link.clause;
            if !framework.clauses.iter().any(|c| c.id == clause) {
                return Err(Problem(format!(
                    "crosswalk id `{clause}` is not in the {} catalogue",
                    framework.name
                )));
            }
            let rationale = link
                .rationale
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
            match link.relationship {
                Some(name) => {
                    let Some(relationship) = Relationship::parse(&name) else {
                        return Err(Problem(format!(
                            "crosswalk link to {} `{clause}` has relationship `{name}`; use equal, subset, superset or intersects",
                            framework.name
                        )));
                    };
                    relations.entry(framework_id.clone()).or_default().insert(
                        clause.clone(),
                        ClauseRelation {
                            relationship,
                            rationale,
                        },
                    );
                }
                None if rationale.is_some() => {
                    return Err(Problem(format!(
                        "crosswalk link to {} `{clause}` has a rationale but no relationship",
                        framework.name
                    )));
                }
                None => {}
            }
            clause_ids.push(clause);
        }
        ids.insert(framework_id, clause_ids);
    }
    Ok((ids, relations))
}

/// A crosswalk entry as written in a bank file: a bare clause id, or a table with the clause id,
/// its relationship and an optional rationale.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawClauseLink {
    pub(super) clause: String,
    pub(super) relationship: Option<String>,
    pub(super) rationale: Option<String>,
}

impl RawClauseLink {
    pub(super) fn bare(clause: &str) -> RawClauseLink {
        RawClauseLink {
            clause: clause.to_owned(),
            relationship: None,
            rationale: None,
        }
    }
}

impl Serialize for RawClauseLink {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Typed<'a> {
            clause: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            relationship: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            rationale: Option<&'a str>,
        }
        if self.relationship.is_none() && self.rationale.is_none() {
            return serializer.serialize_str(&self.clause);
        }
        Typed {
            clause: &self.clause,
            relationship: self.relationship.as_deref(),
            rationale: self.rationale.as_deref(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawClauseLink {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LinkVisitor)
    }
}

struct LinkVisitor;

impl<'de> Visitor<'de> for LinkVisitor {
    type Value = RawClauseLink;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a clause id, or a table with `clause`, `relationship` and `rationale`")
    }

    fn visit_str<E: de::Error>(self, clause: &str) -> Result<RawClauseLink, E> {
        Ok(RawClauseLink::bare(clause))
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<RawClauseLink, M::Error> {
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if !matches!(key.as_str(), "clause" | "relationship" | "rationale") {
                return Err(de::Error::custom(format!(
                    "unknown crosswalk field `{key}`, expected `clause`, `relationship` or `rationale`"
                )));
            }
            let value: String = map.next_value()?;
            if fields.insert(key.clone(), value).is_some() {
                return Err(de::Error::custom(format!(
                    "crosswalk field `{key}` is given twice"
                )));
            }
        }
        let Some(clause) = fields.remove("clause") else {
            return Err(de::Error::custom("a crosswalk entry has no `clause`"));
        };
        Ok(RawClauseLink {
            clause,
            relationship: fields.remove("relationship"),
            rationale: fields.remove("rationale"),
        })
    }
}
