//! The question bank: data files parsed and validated into a [`Bank`].
//!
//! A bank is a root file (`bank.toml`: id, version, pillars, areas, the headline rule, and the
//! lists of question and framework files) plus the files it names. [`Bank::load`] takes a reader
//! callback instead of touching the file system, so the caller decides where the text comes from.
//! Every problem is reported with the file, the question id when there is one, and what is wrong.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use crate::answer::Level;

mod canonical;
mod crosswalk;
mod files;
mod raw;
mod upgrade;

pub use canonical::{BankDigest, CanonicalBank};
pub use crosswalk::{ClauseMapping, ClauseRelation, Relationship};
pub use files::{BANK_FILE_FORMAT, BANK_FILE_VERSION, BankFile, bank_file_schema};
use raw::{RawBank, RawFramework, RawHeadline, RawPillar, RawQuestion, RawQuestionFile};
pub use upgrade::{ChangeKind, QuestionChange, Upgrade};

/// Number of anchored levels per question (0 to 4).
pub const LEVEL_COUNT: usize = 5;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Bank {
    pub id: String,
    pub version: String,
    pub title: String,
    /// Names of the levels 0..=4, e.g. "Absent or ad hoc".
    pub levels: Vec<String>,
    pub pillars: Vec<Pillar>,
    /// All questions in bank order (pillar, area, then file order).
    pub questions: Vec<Question>,
    pub headline: HeadlineRule,
    pub frameworks: Vec<Framework>,
    /// How to rate: levels are cumulative, how partial coverage and single exceptions count.
    /// Absent from banks that predate it, so their content hash is unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub rating_guide: Vec<String>,
    /// What a report of this bank is called, e.g. "LLM application maturity assessment".
    /// Banks that predate it are reported as MLOps maturity assessments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub report_title: Option<String>,
    /// Mappings from earlier versions of this bank id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<Upgrade>>", optional))]
    pub upgrades: Vec<Upgrade>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Pillar {
    pub id: String,
    pub name: String,
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: String,
    pub code: String,
    pub name: String,
    pub pillar: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub area: String,
    pub title: String,
    pub text: String,
    pub why: String,
    pub evidence: Vec<String>,
    /// Exactly [`LEVEL_COUNT`] anchors; index = level.
    pub anchors: Vec<String>,
    /// Framework id (e.g. `eu_ai_act`) -> clause ids in that framework's catalogue.
    pub crosswalk: BTreeMap<String, Vec<String>>,
    /// Framework id -> clause id -> how this question relates to that clause (see
    /// [`Relationship`]), for the links whose type the bank gives. Left out of the canonical JSON
    /// when empty, so banks that predate typed links keep their hash.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "ts",
        ts(
            as = "Option<BTreeMap<String, BTreeMap<String, ClauseRelation>>>",
            optional
        )
    )]
    pub relations: BTreeMap<String, BTreeMap<String, ClauseRelation>>,
    /// Days the evidence for this question stays current before it must be attested again;
    /// `None` leaves it to the assessment's period. Left out of the canonical JSON when unset,
    /// so banks that predate it keep their hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reattest_days: Option<u32>,
}

/// Google's MLOps levels as a rule over named questions; see [`crate::scoring`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct HeadlineRule {
    /// A named question meets its level when its consensus is at least this.
    pub threshold: Level,
    /// Name of level 0, reached by every assessment.
    pub base_name: String,
    /// What the headline levels are called in reports, e.g. "Google's MLOps scale". Banks
    /// that predate it print the MLOps wording they were written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub scale: Option<String>,
    /// Levels 1, 2, ... in ascending order.
    pub levels: Vec<HeadlineLevel>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct HeadlineLevel {
    pub level: u8,
    pub name: String,
    pub requires: Vec<String>,
    /// The named questions that may legitimately be N/A for this level. `None` (banks that
    /// predate the rule): any N/A is left out. `Some`: an N/A on any other named question
    /// blocks the level, so a level cannot be reached by marking its gate N/A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub na_allowed: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub reference: String,
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub id: String,
    pub group: String,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankError {
    #[error("{file}: cannot read the file: {message}")]
    Read { file: String, message: String },
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: question {question}: {problem}")]
    Question {
        file: String,
        question: String,
        problem: String,
    },
    #[error("{file}: {problem}")]
    Invalid { file: String, problem: String },
}

impl Bank {
    /// Parses and validates a bank. `root` names the bank file; `read` returns the text of a
    /// file given the path written in the bank (the root itself, or a relative path from it).
    pub fn load<E: std::fmt::Display>(
        root: &str,
        mut read: impl FnMut(&str) -> Result<String, E>,
    ) -> Result<Bank, BankError> {
        let mut read_file = |file: &str| {
            read(file).map_err(|e| BankError::Read {
                file: file.to_owned(),
                message: e.to_string(),
            })
        };
        let raw: RawBank = parse_toml(root, &read_file(root)?)?;
        let invalid = |Problem(problem): Problem| BankError::Invalid {
            file: root.to_owned(),
            problem,
        };

        let levels = level_names(&raw.levels).map_err(invalid)?;
        let pillars = build_pillars(raw.pillar).map_err(invalid)?;

        let mut frameworks = Vec::new();
        for file in &raw.framework_files {
            frameworks.push(load_framework(file, &read_file(file)?)?);
        }
        let mut seen_frameworks = HashSet::new();
        for framework in &frameworks {
            if !seen_frameworks.insert(framework.id.as_str()) {
                return Err(invalid(Problem(format!(
                    "framework {} is listed twice",
                    framework.id
                ))));
            }
        }

        let areas: BTreeMap<&str, &Area> = pillars
            .iter()
            .flat_map(|p| &p.areas)
            .map(|a| (a.id.as_str(), a))
            .collect();
        let mut questions = Vec::new();
        let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
        for file in &raw.question_files {
            let parsed: RawQuestionFile = parse_toml(file, &read_file(file)?)?;
            if parsed.question.is_empty() {
                return Err(BankError::Invalid {
                    file: file.clone(),
                    problem: "holds no [[question]] tables".into(),
                });
            }
            for raw_question in parsed.question {
                let question = build_question(raw_question, &areas, &frameworks).map_err(
                    |(question, problem)| BankError::Question {
                        file: file.clone(),
                        question,
                        problem,
                    },
                )?;
                if let Some(first) = seen_ids.insert(question.id.clone(), file.clone()) {
                    return Err(BankError::Question {
                        file: file.clone(),
                        question: question.id,
                        problem: format!("duplicate id (first defined in {first})"),
                    });
                }
                questions.push(question);
            }
        }

        for area in areas.values() {
            if !questions.iter().any(|q| q.area == area.id) {
                return Err(invalid(Problem(format!(
                    "area {} has no questions",
                    area.id
                ))));
            }
        }
        // Bank order: pillar, then area, then the order the files list them.
        let area_rank: BTreeMap<&str, usize> = pillars
            .iter()
            .flat_map(|p| &p.areas)
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        questions.sort_by_key(|q| area_rank[q.area.as_str()]);

        let headline = build_headline(raw.headline, &seen_ids).map_err(invalid)?;
        if raw.rating_guide.iter().any(|p| p.trim().is_empty()) {
            return Err(invalid(Problem::from(
                "rating_guide has an empty paragraph",
            )));
        }
        let version = non_blank(raw.version, "version").map_err(invalid)?;
        let new_ids: BTreeSet<&str> = seen_ids.keys().map(String::as_str).collect();
        let mut upgrades: Vec<Upgrade> = Vec::new();
        for file in &raw.upgrade_files {
            let parsed = parse_toml(file, &read_file(file)?)?;
            let upgrade =
                Upgrade::build(parsed, &version, &new_ids).map_err(|Problem(problem)| {
                    BankError::Invalid {
                        file: file.clone(),
                        problem,
                    }
                })?;
            if upgrades
                .iter()
                .any(|u| u.from_version == upgrade.from_version)
            {
                return Err(invalid(Problem(format!(
                    "two upgrade files start from version {}",
                    upgrade.from_version
                ))));
            }
            upgrades.push(upgrade);
        }
        Ok(Bank {
            id: non_blank(raw.id, "id").map_err(invalid)?,
            version,
            title: non_blank(raw.title, "title").map_err(invalid)?,
            levels,
            pillars,
            questions,
            headline,
            frameworks,
            rating_guide: raw.rating_guide,
            report_title: raw.report_title.filter(|t| !t.trim().is_empty()),
            upgrades,
        })
    }

    /// The mapping this bank declares from an earlier version of itself.
    pub fn upgrade_from(&self, version: &str) -> Option<&Upgrade> {
        self.upgrades.iter().find(|u| u.from_version == version)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas().find(|a| a.id == id)
    }

    pub fn areas(&self) -> impl Iterator<Item = &Area> {
        self.pillars.iter().flat_map(|p| &p.areas)
    }

    pub fn questions_in_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a Question> {
        self.questions.iter().filter(move |q| q.area == area)
    }

    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }
}

/// What is wrong with the root file, before the file name is attached ([`BankError::Invalid`]).
#[derive(Debug)]
struct Problem(String);

impl From<String> for Problem {
    fn from(problem: String) -> Self {
        Problem(problem)
    }
}

impl From<&str> for Problem {
    fn from(problem: &str) -> Self {
        Problem(problem.to_owned())
    }
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, BankError> {
    toml::from_str(text).map_err(|e| BankError::Syntax {
        file: file.to_owned(),
        // toml's message spans several lines (a source excerpt); keep it on one.
        message: e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    })
}

fn non_blank(value: String, what: &str) -> Result<String, Problem> {
    if value.trim().is_empty() {
        Err(Problem::from(format!("{what} is empty")))
    } else {
        Ok(value)
    }
}

fn level_names(raw: &BTreeMap<String, String>) -> Result<Vec<String>, Problem> {
    (0..LEVEL_COUNT)
        .map(|level| match raw.get(&level.to_string()) {
            Some(name) if !name.trim().is_empty() => Ok(name.clone()),
            _ => Err(Problem::from(format!(
                "[levels] has no name for level {level}"
            ))),
        })
        .collect()
}

fn build_pillars(raw: Vec<RawPillar>) -> Result<Vec<Pillar>, Problem> {
    if raw.is_empty() {
        return Err(Problem::from("no [[pillar]] tables"));
    }
    let mut ids = HashSet::new();
    let mut codes = HashSet::new();
    let mut pillars = Vec::new();
    for pillar in raw {
        if !ids.insert(pillar.id.clone()) {
            return Err(Problem::from(format!(
                "pillar id {} is used twice",
                pillar.id
            )));
        }
        if pillar.areas.is_empty() {
            return Err(Problem::from(format!("pillar {} has no areas", pillar.id)));
        }
        let mut areas = Vec::new();
        for area in pillar.areas {
            if !ids.insert(area.id.clone()) {
                return Err(Problem::from(format!("area id {} is used twice", area.id)));
            }
            if !codes.insert(area.code.clone()) {
                return Err(Problem::from(format!(
                    "area code {} is used twice",
                    area.code
                )));
            }
            areas.push(Area {
                id: area.id,
                code: area.code,
                name: area.name,
                pillar: pillar.id.clone(),
            });
        }
        pillars.push(Pillar {
            id: pillar.id,
            name: pillar.name,
            areas,
        });
    }
    Ok(pillars)
}

fn load_framework(file: &str, text: &str) -> Result<Framework, BankError> {
    let raw: RawFramework = parse_toml(file, text)?;
    let invalid = |problem: String| BankError::Invalid {
        file: file.to_owned(),
        problem,
    };
    if raw.clause.is_empty() {
        return Err(invalid("holds no [[clause]] tables".into()));
    }
    let mut seen = HashSet::new();
    for clause in &raw.clause {
        if !seen.insert(clause.id.as_str()) {
            return Err(invalid(format!("clause {} is listed twice", clause.id)));
        }
        if clause.title.trim().is_empty() {
            return Err(invalid(format!("clause {} has no title", clause.id)));
        }
    }
    Ok(Framework {
        id: raw.id,
        name: raw.name,
        reference: raw.reference,
        clauses: raw.clause,
    })
}

/// Validates one question; the error carries the question id (or a placeholder) and the problem.
fn build_question(
    raw: RawQuestion,
    areas: &BTreeMap<&str, &Area>,
    frameworks: &[Framework],
) -> Result<Question, (String, String)> {
    let id = match raw.id {
        Some(id) if !id.trim().is_empty() => id,
        _ => {
            let hint = raw.title.or(raw.text).unwrap_or_default();
            return Err((format!("<no id> ({hint})"), "missing `id`".into()));
        }
    };
    let fail = |problem: String| (id.clone(), problem);
    let required = |value: Option<String>, field: &str| match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(fail(format!("missing or empty `{field}`"))),
    };
    let area = required(raw.area, "area")?;
    let Some(area_def) = areas.get(area.as_str()) else {
        return Err(fail(format!("unknown area `{area}`")));
    };
    let code_prefix = format!("{}-", area_def.code);
    if !id.starts_with(&code_prefix) {
        return Err(fail(format!(
            "id should start with the area code `{code_prefix}`"
        )));
    }
    let title = required(raw.title, "title")?;
    let text = required(raw.text, "text")?;
    let why = required(raw.why, "why")?;
    let evidence = raw.evidence.unwrap_or_default();
    if evidence.iter().all(|e| e.trim().is_empty()) {
        return Err(fail("lists no expected `evidence`".into()));
    }
    let raw_anchors = raw.anchors.unwrap_or_default();
    let mut anchors = Vec::with_capacity(LEVEL_COUNT);
    for level in 0..LEVEL_COUNT {
        match raw_anchors.get(&level.to_string()) {
            Some(a) if !a.trim().is_empty() => anchors.push(a.clone()),
            Some(_) => return Err(fail(format!("anchor for level {level} is empty"))),
            None => return Err(fail(format!("anchor for level {level} is missing"))),
        }
    }
    if let Some(extra) = raw_anchors
        .keys()
        .find(|k| k.parse::<usize>().map_or(true, |l| l >= LEVEL_COUNT))
    {
        return Err(fail(format!("anchor `{extra}` is not a level 0-4")));
    }
    let (crosswalk, relations) = crosswalk::build(raw.crosswalk.unwrap_or_default(), frameworks)
        .map_err(|Problem(problem)| fail(problem))?;
    let reattest_days = raw.reattest_days;
    if reattest_days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(fail("reattest_days must be 1 to 3650 days".into()));
    }
    Ok(Question {
        id,
        area,
        title,
        text,
        why,
        evidence,
        anchors,
        crosswalk,
        relations,
        reattest_days,
    })
}

fn build_headline(
    raw: RawHeadline,
    question_ids: &BTreeMap<String, String>,
) -> Result<HeadlineRule, Problem> {
    let threshold = Level::new(raw.threshold).map_err(|e| format!("[headline] threshold: {e}"))?;
    let mut levels = raw.level;
    levels.sort_by_key(|l| l.level);
    for (index, level) in levels.iter().enumerate() {
        if usize::from(level.level) != index + 1 {
            return Err(Problem::from(
                "[[headline.level]] entries must be levels 1, 2, ... without gaps",
            ));
        }
        if level.requires.is_empty() {
            return Err(Problem::from(format!(
                "headline level {} names no questions",
                level.level
            )));
        }
        if let Some(unknown) = level
            .requires
            .iter()
            .find(|q| !question_ids.contains_key(*q))
        {
            return Err(Problem::from(format!(
                "headline level {} names unknown question {unknown}",
                level.level
            )));
        }
    }
    for level in &levels {
        if let Some(outside) = level
            .na_allowed
            .iter()
            .flatten()
            .find(|q| !level.requires.contains(q))
        {
            return Err(Problem::from(format!(
                "headline level {} allows N/A for {outside}, which it does not name",
                level.level
            )));
        }
    }
    let unique: BTreeSet<&String> = levels.iter().flat_map(|l| &l.requires).collect();
    if unique.len() != levels.iter().map(|l| l.requires.len()).sum::<usize>() {
        return Err(Problem::from(
            "a question is named by more than one headline level",
        ));
    }
    Ok(HeadlineRule {
        threshold,
        base_name: raw.base_name,
        scale: raw.scale.filter(|s| !s.trim().is_empty()),
        levels: levels
            .into_iter()
            .map(|l| HeadlineLevel {
                level: l.level,
                name: l.name,
                requires: l.requires,
                na_allowed: l.na_allowed,
            })
            .collect(),
    })
}
