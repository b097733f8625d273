//! Shared set-up of the acceptance tests: a deterministic demo, an assessment full of hostile
//! text, and the external tools (poppler, qpdf, Chromium).

#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use assay_api::{
    AnswerChange, Assay, ItemChange, NewAssessment, NewItem, NewParticipant, SequentialIds,
    SteppingClock,
};
use assay_assessment::governance::StatusChange;
use assay_assessment::{EvidenceKind, EvidenceLink, Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};

pub fn open(dir: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    Assay::open(
        &dir.join("assay.db"),
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
    .with_ids(Box::new(SequentialIds::default()))
    // Reports name who added evidence and the audit trail who changed what; a fixed name
    // keeps the golden files the same whoever runs the tests.
    .with_actor("Priya Raman")
    .unwrap()
}

/// The demo assessment with a fixed clock and fixed ids, so its reports are reproducible.
pub fn demo_assay() -> (tempfile::TempDir, Assay, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let id = assay.create_demo().unwrap();
    (dir, assay, id)
}

pub fn hostile_strings() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile-strings.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A file whose name carries `text` (as far as a file name can: no `/` or NUL, at most 120
/// bytes), created so it can be linked as evidence; its path.
fn hostile_file(dir: &Path, n: usize, text: &str) -> String {
    let mut name = format!("{n}-");
    for c in text
        .chars()
        .map(|c| if c == '/' || c == '\0' { '_' } else { c })
    {
        if name.len() + c.len_utf8() > 120 {
            break;
        }
        name.push(c);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// An assessment whose title, participants, a note and a register item are in Chinese,
/// Japanese, Korean, Arabic and Hebrew, with an English sentence holding a Hebrew name, and
/// emoji.
pub fn scripts_assay() -> (tempfile::TempDir, Assay, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let participant = |name: &str, role: &str| NewParticipant {
        name: name.into(),
        role: role.into(),
    };
    let assessment = assay
        .create_assessment(NewAssessment {
            scope: "支付风控".into(),
            title: "審査報告 감사 보고서 🚀".into(),
            participants: vec![
                participant("김민준", "Reviewer"),
                participant("שרה כהן", "Lead"),
                participant("فاطمة الزهراء", "Engineer"),
            ],
            ..NewAssessment::default()
        })
        .unwrap();
    let id = assessment.id;
    let question = assay.bank().questions[0].id.clone();
    assay
        .update_answer(
            &id,
            &question,
            AnswerChange {
                rating: Some(Rating::level(Level::saturating(2))),
                note: Some(
                    "The review was led by שרה כהן from the risk team. 模型监控 🎉 مراجعة".into(),
                ),
                ..AnswerChange::default()
            },
        )
        .unwrap();
    assay
        .create_item(NewItem {
            assessment: Some(id.clone()),
            title: "リスク登録 ✅".into(),
            description: "ביקורת חיצונית".into(),
            owner: Some("فاطمة".into()),
            ..NewItem::default()
        })
        .unwrap();
    (dir, assay, id)
}

/// An assessment with a hostile string in every text field a user can fill.
pub fn hostile_assay() -> (tempfile::TempDir, Assay, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let hostile = hostile_strings();
    let pick = |i: usize| {
        hostile[i % hostile.len()]
            .chars()
            .take(200)
            .collect::<String>()
    };
    let assessment = assay
        .create_assessment(NewAssessment {
            scope: pick(0),
            title: pick(1),
            participants: (0..4)
                .map(|i| NewParticipant {
                    name: format!("{} #{i}", pick(i + 2)),
                    role: pick(i + 6),
                })
                .collect(),
            ..NewAssessment::default()
        })
        .unwrap();
    let id = assessment.id;
    let questions: Vec<String> = assay
        .bank()
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    for (n, question) in questions.iter().enumerate() {
        for (p, participant) in assessment.participants.iter().enumerate() {
            let level = Level::saturating(((n + p) % 5) as i64);
            assay
                .cast_vote(&id, question, &participant.id, VoteValue::Level(level))
                .unwrap();
        }
        let text = hostile[n % hostile.len()].clone();
        let rating = if n % 7 == 3 {
            Rating::not_applicable(&text).unwrap()
        } else {
            Rating::level(Level::saturating((n % 5) as i64))
        };
        let evidence = vec![
            // A web link must be an http(s) address, so the hostile text rides in its path
            // (colons escaped as a browser would, so no `javascript:` reads as a scheme).
            EvidenceLink {
                kind: EvidenceKind::Url,
                target: format!(
                    "https://example.org/{}",
                    hostile[(n + 4) % hostile.len()].replace(':', "%3A")
                ),
                label: Some(pick(n + 1)),
                as_of: None,
                provenance: None,
            },
            EvidenceLink {
                kind: EvidenceKind::File,
                target: hostile_file(dir.path(), n, &pick(n + 2)),
                label: None,
                as_of: None,
                provenance: None,
            },
        ];
        assay
            .update_answer(
                &id,
                question,
                AnswerChange {
                    rating: Some(rating),
                    note: Some(text),
                    add_evidence: evidence,
                    ..AnswerChange::default()
                },
            )
            .unwrap();
    }
    for i in 0..4 {
        let item = assay
            .create_item(NewItem {
                assessment: Some(id.clone()),
                title: pick(i),
                description: pick(i + 1),
                owner: Some(pick(i + 2)),
                ..NewItem::default()
            })
            .unwrap();
        let accept = StatusChange::AcceptRisk {
            accepted_by: pick(i + 3),
            reason: pick(i + 4),
        };
        assay
            .update_item(
                &item.item.id,
                ItemChange {
                    status: Some(accept),
                    ..ItemChange::default()
                },
            )
            .unwrap();
    }
    (dir, assay, id)
}

/// Runs a checking tool and returns its stdout; a missing tool or a failure fails the test.
pub fn run_tool(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (scripts/test.sh installs it): {e}"));
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The DOM of a page after Debian's Chromium loaded it headless (scripts would have run).
pub fn chromium_dom(page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", page.display());
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=2000",
        &format!("--user-data-dir={}", profile.path().display()),
        "--dump-dom",
        &url,
    ];
    run_tool("chromium", &args)
}
