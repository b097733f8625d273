//! The staleness rule pinned by examples: a question's own re-attestation period wins over the
//! assessment's, undated legacy links never age, and a superseded model version is stale from
//! the import that saw it.

#![allow(clippy::unwrap_used)]

mod support;

use assay_assessment::staleness::{Supersession, stale_evidence};
use assay_assessment::{Answer, EvidenceKind, EvidenceLink, LinkProvenance};
use chrono::{NaiveDate, TimeZone, Utc};
use support::{BANK, FRAMEWORK, assessment, load, question};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn link(target: &str, as_of: Option<NaiveDate>, linked: Option<NaiveDate>) -> EvidenceLink {
    EvidenceLink {
        kind: if target.starts_with("model:") {
            EvidenceKind::Tracker
        } else {
            EvidenceKind::Url
        },
        target: target.into(),
        label: None,
        as_of,
        provenance: linked.map(|d| LinkProvenance {
            added_at: Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).unwrap()),
            added_by: "ana".into(),
            sha256: None,
        }),
    }
}

#[test]
fn a_questions_own_period_wins_and_undated_links_never_age() {
    // ORG-1 must be re-attested every 30 days; the rest follow the assessment's 365.
    let questions = format!(
        "{}{}",
        question("ORG-1", "org").replace(
            "evidence = [\"A document\"]",
            "evidence = [\"A document\"]\nreattest_days = 30"
        ),
        ["ORG-2", "DATA-1", "DATA-2", "OPS-1", "OPS-2", "OPS-3"]
            .iter()
            .map(|id| question(
                id,
                if id.starts_with("ORG") {
                    "org"
                } else if id.starts_with("DATA") {
                    "data"
                } else {
                    "ops"
                }
            ))
            .collect::<String>()
    );
    let bank = load(&[
        ("bank.toml", BANK.into()),
        ("fw.toml", FRAMEWORK.into()),
        ("q.toml", questions),
    ])
    .unwrap();
    assert_eq!(bank.question("ORG-1").unwrap().reattest_days, Some(30));
    let mut taken = assessment(&[]);
    let answer = |links: Vec<EvidenceLink>| Answer {
        rating: None,
        note: None,
        confidence: None,
        evidence: links,
        carried: None,
    };
    taken.answers.insert(
        "ORG-1".into(),
        answer(vec![link("https://a", None, Some(day(2026, 5, 1)))]),
    );
    taken.answers.insert(
        "ORG-2".into(),
        answer(vec![
            link("https://b", Some(day(2025, 5, 1)), Some(day(2026, 5, 1))),
            link("https://legacy", None, None),
            link("model:churn/1", None, Some(day(2026, 5, 1))),
        ]),
    );
    let superseded = |model: &str| {
        (model == "churn/1").then(|| Supersession {
            by: "churn/2".into(),
            seen_on: day(2026, 5, 20),
        })
    };
    let stale = stale_evidence(&bank, &taken, &[], Some(365), day(2026, 6, 1), &superseded);
    let found: Vec<(&str, NaiveDate)> = stale
        .iter()
        .map(|s| (s.target.as_str(), s.stale_since))
        .collect();
    assert_eq!(
        found,
        [
            ("https://a", day(2026, 5, 31)),
            ("https://b", day(2026, 5, 1)),
            ("model:churn/1", day(2026, 5, 20)),
        ]
    );
    // Without any period only the superseded model version is stale.
    let stale = stale_evidence(&bank, &taken, &[], None, day(2026, 6, 1), &superseded);
    assert_eq!(
        stale.len(),
        2,
        "ORG-1's own period still applies: {stale:?}"
    );
}
