//! A bank written back out as the files it is authored in, and read from its single-document
//! JSON form. Both go through [`Bank::load`], so a bank that arrives as JSON (a bank file, a
//! bundle, the database) meets exactly the rules a hand-written one does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::crosswalk::RawClauseLink;
use super::raw::{
    RawArea, RawBank, RawFramework, RawHeadline, RawHeadlineLevel, RawPillar, RawQuestion,
    RawQuestionFile,
};
use super::upgrade::RawUpgrade;
use super::{Bank, BankError, Question};

/// The `format` of every bank file.
pub const BANK_FILE_FORMAT: &str = "assay-bank";
/// The bank file format this build writes and the newest it reads.
pub const BANK_FILE_VERSION: u32 = 1;

/// A bank file as exported and imported: what it is, the SHA-256 of the bank's canonical JSON
/// (left out by someone who edits a bank on purpose), and the bank. Its JSON Schema is
/// `docs/banks/bank-file.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Assay question bank file")]
pub struct BankFile {
    /// Always `assay-bank`.
    pub format: String,
    /// 1 for this format.
    pub format_version: u32,
    /// Lower-case hex SHA-256 of the bank's canonical JSON; checked on import when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub bank: Bank,
}

/// The JSON Schema of [`BankFile`], as committed in `docs/banks/bank-file.schema.json`.
pub fn bank_file_schema() -> String {
    let schema = schemars::schema_for!(BankFile);
    // A schema is a JSON value: it always serialises.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

impl Bank {
    /// The bank as an authoring folder: `bank.toml`, one question file per pillar, one catalogue
    /// per framework and one upgrade file per earlier version, keyed by relative path.
    pub fn to_files(&self) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        let question_file = |pillar: &str| format!("questions/{pillar}.toml");
        let framework_file = |id: &str| format!("frameworks/{id}.toml");
        let upgrade_file = |version: &str| format!("upgrades/from-{version}.toml");
        let root = RawBank {
            id: self.id.clone(),
            version: self.version.clone(),
            title: self.title.clone(),
            question_files: self.pillars.iter().map(|p| question_file(&p.id)).collect(),
            framework_files: self
                .frameworks
                .iter()
                .map(|f| framework_file(&f.id))
                .collect(),
            levels: (0..)
                .zip(&self.levels)
                .map(|(level, name): (u8, &String)| (level.to_string(), name.clone()))
                .collect(),
            pillar: self
                .pillars
                .iter()
                .map(|p| RawPillar {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    areas: p
                        .areas
                        .iter()
                        .map(|a| RawArea {
                            id: a.id.clone(),
                            code: a.code.clone(),
                            name: a.name.clone(),
                        })
                        .collect(),
                })
                .collect(),
            headline: RawHeadline {
                threshold: self.headline.threshold.value(),
                base_name: self.headline.base_name.clone(),
                scale: self.headline.scale.clone(),
                level: self
                    .headline
                    .levels
                    .iter()
                    .map(|l| RawHeadlineLevel {
                        level: l.level,
                        name: l.name.clone(),
                        requires: l.requires.clone(),
                        na_allowed: l.na_allowed.clone(),
                    })
                    .collect(),
            },
            rating_guide: self.rating_guide.clone(),
            report_title: self.report_title.clone(),
            upgrade_files: self
                .upgrades
                .iter()
                .map(|u| upgrade_file(&u.from_version))
                .collect(),
        };
        files.insert("bank.toml".to_owned(), to_toml(&root));
        for pillar in &self.pillars {
            let question = self
                .questions
                .iter()
                .filter(|q| pillar.areas.iter().any(|a| a.id == q.area))
                .map(|q| RawQuestion {
                    id: Some(q.id.clone()),
                    area: Some(q.area.clone()),
                    title: Some(q.title.clone()),
                    text: Some(q.text.clone()),
                    why: Some(q.why.clone()),
                    evidence: Some(q.evidence.clone()),
                    anchors: Some(
                        (0..)
                            .zip(&q.anchors)
                            .map(|(level, anchor): (u8, &String)| {
                                (level.to_string(), anchor.clone())
                            })
                            .collect(),
                    ),
                    crosswalk: Some(raw_crosswalk(q)),
                    reattest_days: q.reattest_days,
                })
                .collect();
            files.insert(
                question_file(&pillar.id),
                to_toml(&RawQuestionFile { question }),
            );
        }
        for framework in &self.frameworks {
            let raw = RawFramework {
                id: framework.id.clone(),
                name: framework.name.clone(),
                reference: framework.reference.clone(),
                clause: framework.clauses.clone(),
            };
            files.insert(framework_file(&framework.id), to_toml(&raw));
        }
        for upgrade in &self.upgrades {
            let raw = RawUpgrade {
                from_version: upgrade.from_version.clone(),
                change: upgrade.changes.clone(),
            };
            files.insert(upgrade_file(&upgrade.from_version), to_toml(&raw));
        }
        files
    }

    /// Checks a bank that did not come from [`Bank::load`] (JSON from a file, a bundle or the
    /// database) against every rule of the bank format. Problems name `source`.
    pub fn validated(&self, source: &str) -> Result<Bank, BankError> {
        let files = self.to_files();
        let loaded = Bank::load("bank.toml", |file| {
            files.get(file).cloned().ok_or("not part of the bank")
        })
        .map_err(|e| rename_file(e, source))?;
        if &loaded != self {
            return Err(BankError::Invalid {
                file: source.to_owned(),
                problem: "questions are not in bank order (pillar, then area)".into(),
            });
        }
        Ok(loaded)
    }

    /// Reads a bank from its single-document JSON form and checks it; problems name `source`.
    pub fn from_json(text: &str, source: &str) -> Result<Bank, BankError> {
        let bank: Bank = serde_json::from_str(text).map_err(|e| BankError::Syntax {
            file: source.to_owned(),
            message: e.to_string(),
        })?;
        bank.validated(source)
    }
}

fn to_toml<T: serde::Serialize>(value: &T) -> String {
    // Every raw type is a table of strings, integers, lists and tables: it always serialises.
    toml::to_string(value).unwrap_or_default()
}

/// Problems found in the generated folder are reported against the file the bank came from.
fn rename_file(error: BankError, source: &str) -> BankError {
    let file = source.to_owned();
    match error {
        BankError::Read { message, .. } => BankError::Read { file, message },
        BankError::Syntax { message, .. } => BankError::Syntax { file, message },
        BankError::Question {
            question, problem, ..
        } => BankError::Question {
            file,
            question,
            problem,
        },
        BankError::Invalid { problem, .. } => BankError::Invalid { file, problem },
    }
}

/// A question's crosswalk as written in a bank file: bare ids, tables for typed links.
fn raw_crosswalk(question: &Question) -> BTreeMap<String, Vec<RawClauseLink>> {
    question
        .crosswalk
        .iter()
        .map(|(framework, clauses)| {
            let links = clauses
                .iter()
                .map(|clause| match question.relation(framework, clause) {
                    Some(relation) => RawClauseLink {
                        clause: clause.clone(),
                        relationship: Some(relation.relationship.as_str().to_owned()),
                        rationale: relation.rationale.clone(),
                    },
                    None => RawClauseLink::bare(clause),
                })
                .collect();
            (framework.clone(), links)
        })
        .collect()
}
