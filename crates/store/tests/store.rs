//! The store against real database files in a temporary directory.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use assay_assessment::{
    Answer, Assessment, Confidence, EvidenceKind, EvidenceLink, Level, Participant, Rating,
    Targets, Vote, VoteValue,
};
use assay_store::{SCHEMA_VERSION, Store, StoreError, TargetScope};
use chrono::{NaiveDate, TimeZone, Utc};

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, minute, 0).unwrap()
}

fn sample() -> Assessment {
    Assessment {
        id: "0b6c2a5e-1111-4c3b-9f0a-000000000001".into(),
        scope: "Fraud models".into(),
        title: "Q1 review".into(),
        assessed_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        bank_id: "assay-mlops".into(),
        bank_version: "1.0.0".into(),
        participants: vec![
            Participant {
                id: "p1".into(),
                name: "Ana".into(),
                role: "Facilitator".into(),
            },
            Participant {
                id: "p2".into(),
                name: "Bo".into(),
                role: "ML engineer".into(),
            },
        ],
        targets: Targets {
            default: Level::new(2).ok(),
            areas: BTreeMap::from([("governance".into(), Level::new(3).unwrap())]),
            questions: BTreeMap::from([("GOV-2".into(), Level::new(4).unwrap())]),
        },
        answers: BTreeMap::new(),
        votes: vec![],
        created_at: at(0),
        updated_at: at(0),
    }
}

#[test]
fn assessment_round_trips_through_a_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/assay.db");
    let mut expected = sample();
    {
        let mut store = Store::open(&path).unwrap();
        store.insert_assessment(&expected).unwrap();
        let answer = Answer {
            rating: Some(Rating::level(Level::new(3).unwrap())),
            note: Some("Pipelines in Airflow <b>".into()),
            confidence: Some(Confidence::High),
            evidence: vec![
                EvidenceLink {
                    kind: EvidenceKind::Url,
                    target: "https://wiki/x".into(),
                    label: Some("Runbook".into()),
                    as_of: None,
                    provenance: None,
                },
                EvidenceLink {
                    kind: EvidenceKind::File,
                    target: "/docs/a.pdf".into(),
                    label: None,
                    as_of: None,
                    provenance: Some(assay_assessment::LinkProvenance {
                        added_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap(),
                        added_by: "ana".into(),
                        sha256: Some("5e".repeat(32)),
                    }),
                },
            ],
            carried: Some(assay_assessment::Carried {
                assessment: "earlier".into(),
                bank: "assay-mlops@1.0.0".into(),
                questions: vec!["DATA-2".into()],
                change: Some(assay_assessment::ChangeKind::Split),
            }),
        };
        store
            .put_answer(&expected.id, "SCALE-1", &answer, at(5), "ana")
            .unwrap();
        let na = Answer {
            rating: Some(Rating::not_applicable("No online serving").unwrap()),
            ..Answer::default()
        };
        store
            .put_answer(&expected.id, "DE-3", &na, at(6), "ana")
            .unwrap();
        for (participant, level) in [("p2", Some(1)), ("p1", Some(3))] {
            let value = level.map_or(VoteValue::NotApplicable, |l| {
                VoteValue::Level(Level::new(l).unwrap())
            });
            store
                .upsert_vote(
                    &expected.id,
                    &Vote {
                        question_id: "SCALE-1".into(),
                        participant_id: participant.into(),
                        value,
                    },
                    at(7),
                    "ana",
                )
                .unwrap();
        }
        store
            .upsert_vote(
                &expected.id,
                &Vote {
                    question_id: "DE-3".into(),
                    participant_id: "p1".into(),
                    value: VoteValue::NotApplicable,
                },
                at(8),
                "ana",
            )
            .unwrap();
        store
            .set_target(&expected.id, TargetScope::Question("GOV-2"), None, at(9))
            .unwrap();
        expected.answers.insert("SCALE-1".into(), answer);
        expected.answers.insert("DE-3".into(), na);
    }
    let store = Store::open(&path).unwrap();
    let loaded = store.load_assessment(&expected.id).unwrap().unwrap();
    expected.targets.questions.clear();
    expected.updated_at = at(9);
    expected.votes = vec![
        Vote {
            question_id: "DE-3".into(),
            participant_id: "p1".into(),
            value: VoteValue::NotApplicable,
        },
        Vote {
            question_id: "SCALE-1".into(),
            participant_id: "p1".into(),
            value: VoteValue::Level(Level::new(3).unwrap()),
        },
        Vote {
            question_id: "SCALE-1".into(),
            participant_id: "p2".into(),
            value: VoteValue::Level(Level::new(1).unwrap()),
        },
    ];
    assert_eq!(loaded, expected);

    let list = store.list_assessments().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].participants, list[0].answered), (2, 2));
    assert_eq!(
        store.assessment_ids_with_prefix("0b6c").unwrap(),
        vec![expected.id.clone()]
    );
    assert!(store.load_assessment("nope").unwrap().is_none());
}

#[test]
fn database_uses_wal_foreign_keys_and_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("a.db")).unwrap();
    let conn = store.connection();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), fk, version), ("wal", 1, SCHEMA_VERSION));
}

#[test]
fn constraints_refuse_a_vote_from_an_unknown_participant() {
    let mut store = Store::open_in_memory().unwrap();
    store.insert_assessment(&sample()).unwrap();
    let vote = Vote {
        question_id: "ORG-1".into(),
        participant_id: "ghost".into(),
        value: VoteValue::NotApplicable,
    };
    assert!(
        store
            .upsert_vote(&sample().id, &vote, at(1), "ana")
            .is_err()
    );
}

#[test]
fn a_text_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "these are my notes, not a database\n".repeat(10)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("is not an Assay database: the file is not SQLite"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("notes.txt-wal").exists());
}

#[test]
fn another_applications_sqlite_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(err.to_string().contains("another application"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_newer_schema_is_refused_with_a_clear_message_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 1),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade Assay to open it"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_truncated_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.db");
    std::fs::write(&path, b"SQLite format 3\0short").unwrap();
    assert!(matches!(
        Store::open(&path).unwrap_err(),
        StoreError::NotADatabase { .. }
    ));
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert!(store.list_assessments().unwrap().is_empty());
}

#[test]
fn a_version_one_database_migrates_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        // Exactly what the first release wrote: migration 1 only.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/0001_assessments.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO assessment VALUES ('a1', 'Fraud', 'Q1', '2026-01-05', 'assay-mlops', '1.0.0', 2,
                 '2026-01-05T09:00:00+00:00', '2026-01-05T09:00:00+00:00');
             INSERT INTO participant VALUES ('a1', 'p1', 'Ana', 'Facilitator', 0);
             INSERT INTO answer VALUES ('a1', 'ORG-1', 3, 0, NULL, 'kept', 'high', '2026-01-05T09:01:00+00:00');
             INSERT INTO vote VALUES ('a1', 'ORG-1', 'p1', 3, 0, '2026-01-05T09:01:00+00:00');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let version: i64 = store
        .connection()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let assessment = store.load_assessment("a1").unwrap().unwrap();
    assert_eq!(assessment.participants.len(), 1);
    assert_eq!(assessment.answers["ORG-1"].note.as_deref(), Some("kept"));
    assert_eq!(assessment.votes.len(), 1);
    assert!(
        store.list_items(None).unwrap().is_empty(),
        "the register table exists and is empty"
    );
}
