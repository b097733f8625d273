//! A small bank written inline: two pillars, three areas, headline rule over four questions.
#![allow(dead_code)]

use std::collections::BTreeMap;

use assay_assessment::{Answer, Assessment, Bank, Level, Rating, Targets};
use chrono::{NaiveDate, TimeZone, Utc};

pub const BANK: &str = r#"
id = "tiny"
version = "0.1.0"
title = "Tiny bank"
question_files = ["q.toml"]
framework_files = ["fw.toml"]
[levels]
0 = "Absent"
1 = "Initial"
2 = "Repeatable"
3 = "Automated"
4 = "Improving"
[[pillar]]
id = "people"
name = "People"
areas = [{ id = "org", code = "ORG", name = "Organisation" }]
[[pillar]]
id = "process"
name = "Process"
areas = [
  { id = "data", code = "DATA", name = "Data" },
  { id = "ops", code = "OPS", name = "Operations" },
]
[headline]
threshold = 3
base_name = "Manual"
[[headline.level]]
level = 1
name = "Pipeline"
requires = ["DATA-1", "OPS-1"]
[[headline.level]]
level = 2
name = "CI/CD"
requires = ["OPS-2", "DATA-2"]
"#;

pub const FRAMEWORK: &str = r#"
id = "fw"
name = "Framework"
reference = "FW 1"
[[clause]]
id = "C.1"
group = "C"
title = "Clause one"
summary = "The first clause."
"#;

pub fn question(id: &str, area: &str) -> String {
    format!(
        r#"
[[question]]
id = "{id}"
area = "{area}"
title = "Title {id}"
text = "Question {id}?"
why = "Because."
evidence = ["A document"]
[question.anchors]
0 = "zero"
1 = "one"
2 = "two"
3 = "three"
4 = "four"
[question.crosswalk]
fw = ["C.1"]
"#
    )
}

pub fn questions() -> String {
    [
        ("ORG-1", "org"),
        ("ORG-2", "org"),
        ("DATA-1", "data"),
        ("DATA-2", "data"),
        ("OPS-1", "ops"),
        ("OPS-2", "ops"),
        ("OPS-3", "ops"),
    ]
    .iter()
    .map(|(id, area)| question(id, area))
    .collect()
}

pub fn load(files: &[(&str, String)]) -> Result<Bank, assay_assessment::BankError> {
    let files: BTreeMap<&str, &String> = files.iter().map(|(n, t)| (*n, t)).collect();
    Bank::load("bank.toml", |name| {
        files.get(name).map(|t| t.to_string()).ok_or("no such file")
    })
}

pub fn tiny_bank() -> Bank {
    load(&[
        ("bank.toml", BANK.into()),
        ("fw.toml", FRAMEWORK.into()),
        ("q.toml", questions()),
    ])
    .unwrap()
}

pub fn assessment(answers: &[(&str, Option<u8>)]) -> Assessment {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    Assessment {
        id: "a1".into(),
        scope: "team".into(),
        title: "t".into(),
        assessed_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        bank_id: "tiny".into(),
        bank_version: "0.1.0".into(),
        participants: vec![],
        targets: Targets::default(),
        answers: answers
            .iter()
            .map(|(q, level)| {
                let rating = match level {
                    Some(l) => Rating::level(Level::new(*l).unwrap()),
                    None => Rating::not_applicable("does not apply").unwrap(),
                };
                (
                    q.to_string(),
                    Answer {
                        rating: Some(rating),
                        ..Answer::default()
                    },
                )
            })
            .collect(),
        votes: vec![],
        created_at: at,
        updated_at: at,
    }
}
