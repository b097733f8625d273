//! Bundles: a lossless round trip between two databases, a merge of two laptops' copies that
//! keeps every vote and lists conflicts, and broken or hostile bundles refused with nothing
//! written.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use assay_api::store::Store;
use assay_api::{
    AnswerChange, Assay, Bundle, ConflictKind, NewAssessment, NewItem, NewParticipant,
    SteppingClock,
};
use assay_assessment::governance::Decision;
use assay_assessment::{Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};

fn open(path: &Path, hour: u32) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap();
    Assay::open(
        path,
        Box::new(SteppingClock::new(start, Duration::seconds(1))),
    )
    .unwrap()
    .with_actor("Facilitator")
    .unwrap()
}

fn level(value: u8) -> Option<Rating> {
    Some(Rating::level(Level::new(value).unwrap()))
}

fn answer(assay: &mut Assay, id: &str, question: &str, value: u8) {
    let change = AnswerChange {
        rating: level(value),
        note: Some(format!("set to {value}")),
        ..AnswerChange::default()
    };
    assay.update_answer(id, question, change).unwrap();
}

fn vote(assay: &mut Assay, id: &str, question: &str, who: &str, value: u8) {
    let value = VoteValue::Level(Level::new(value).unwrap());
    assay.cast_vote(id, question, who, value).unwrap();
}

/// An assessment with participants, targets, answers (one N/A), votes, an item and a sign-off.
fn origin(dir: &Path) -> (Assay, String) {
    let mut assay = open(&dir.join("origin.db"), 9);
    let people = ["Ana", "Bo", "Cy"].map(|name| NewParticipant {
        name: name.into(),
        role: "Engineer".into(),
    });
    let id = assay
        .create_assessment(NewAssessment {
            scope: "Fraud model".into(),
            title: "Spring review".into(),
            assessed_on: None,
            participants: people.to_vec(),
            targets: assay_assessment::Targets {
                default: Some(Level::new(3).unwrap()),
                ..Default::default()
            },
            start_from: None,
            bank: None,
        })
        .unwrap()
        .id;
    for (question, value) in [("DATA-3", 1), ("DEV-3", 2), ("GOV-2", 1), ("OBS-1", 2)] {
        answer(&mut assay, &id, question, value);
    }
    let na = AnswerChange {
        rating: Some(Rating::not_applicable("No online features").unwrap()),
        ..AnswerChange::default()
    };
    assay.update_answer(&id, "DE-3", na).unwrap();
    for (who, value) in [("Ana", 1), ("Bo", 3)] {
        vote(&mut assay, &id, "DATA-3", who, value);
    }
    assay.item_from_gap(&id, "GOV-2").unwrap();
    assay
        .create_item(NewItem {
            scope: "Fraud model".into(),
            assessment: Some(id.clone()),
            title: "Write the model card".into(),
            ..NewItem::default()
        })
        .unwrap();
    assay
        .sign_off(
            &id,
            "Dana Lee",
            "Head of risk",
            Decision::ApproveWithConditions,
            "Fix GOV-2",
        )
        .unwrap();
    (assay, id)
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn export_import_export_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    let (origin, id) = origin(dir.path());
    let first = origin.export_bundle(&id).unwrap();
    assert_eq!(first.content.participants.len(), 3);
    assert_eq!(first.content.answers.len(), 5);
    assert_eq!(first.content.votes.len(), 2);
    assert_eq!(first.content.items.len(), 2);
    assert_eq!(first.content.signoffs.len(), 1);
    // 5 answers + 2 votes + 2 items + 1 sign-off, each recorded once.
    assert_eq!(first.content.events.len(), 10);
    let path = write(dir.path(), "spring.json", &first.to_json());

    let mut other = open(&dir.path().join("other.db"), 9);
    let outcome = other.import_bundle_file(&path).unwrap();
    assert_eq!(outcome.assessment_id, id);
    assert!(outcome.conflicts.is_empty());
    let again = other.export_bundle(&id[..8]).unwrap();
    assert_eq!(again.content_hash, first.content_hash);
    assert_eq!(
        serde_json::to_value(&again.content).unwrap(),
        serde_json::to_value(&first.content).unwrap()
    );
    // Exported at the same instant by the same person, the whole files are equal.
    let bank = first.carried_bank().unwrap();
    assert_eq!(again.carried_bank().unwrap(), bank);
    let mut again = Bundle::new(
        again.content,
        bank.as_ref(),
        first.exported_at,
        &first.exported_by,
    );
    // The point of the audit trail a bundle records is the exporting database's own (the
    // importing one recorded no events about the assessment, so it has none to record).
    assert!(other.export_bundle(&id).unwrap().trail.is_none());
    again.trail.clone_from(&first.trail);
    assert_eq!(again.to_json(), first.to_json());
    // The imported assessment scores as the original does.
    assert_eq!(
        serde_json::to_value(other.score(&id).unwrap()).unwrap(),
        serde_json::to_value(origin.score(&id).unwrap()).unwrap()
    );
    // Importing the same bundle again changes nothing and duplicates nothing.
    let repeat = other.import_bundle_file(&path).unwrap();
    assert!(repeat.conflicts.is_empty(), "{:?}", repeat.conflicts);
    assert_eq!(
        other.export_bundle(&id).unwrap().content_hash,
        first.content_hash
    );
    let store = Store::open(&dir.path().join("other.db")).unwrap();
    assert_eq!(store.bundle_imports(&id).unwrap().len(), 2);
}

#[test]
fn merging_two_laptops_keeps_every_vote_and_lists_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let (origin, id) = origin(dir.path());
    let shared = write(
        dir.path(),
        "shared.json",
        &origin.export_bundle(&id).unwrap().to_json(),
    );

    // Laptop A: the origin itself. Laptop B: a copy of the shared bundle.
    let mut a = origin;
    let mut b = open(&dir.path().join("b.db"), 11);
    b.import_bundle_file(&shared).unwrap();

    vote(&mut a, &id, "DEV-3", "Ana", 2); // only A votes here
    vote(&mut b, &id, "DEV-3", "Bo", 4); // B records another person's vote on the same question
    b.add_participant(
        &id,
        NewParticipant {
            name: "Eve".into(),
            role: "Auditor".into(),
        },
    )
    .unwrap();
    vote(&mut b, &id, "DATA-3", "Eve", 0); // a newcomer's vote
    answer(&mut a, &id, "GOV-2", 2); // both change GOV-2, differently: a conflict
    answer(&mut b, &id, "GOV-2", 3);
    answer(&mut a, &id, "OBS-1", 3); // only A changes OBS-1
    answer(&mut b, &id, "DEV-3", 3); // only B changes DEV-3
    vote(&mut a, &id, "DATA-3", "Bo", 2); // both change Bo's vote on DATA-3: a conflict
    vote(&mut b, &id, "DATA-3", "Bo", 4);

    let a_file = write(
        dir.path(),
        "a.json",
        &a.export_bundle(&id).unwrap().to_json(),
    );
    let b_file = write(
        dir.path(),
        "b.json",
        &b.export_bundle(&id).unwrap().to_json(),
    );
    let merged = a.merge_bundle_files(&a_file, &b_file).unwrap();

    let mut conflicts: Vec<_> = merged
        .conflicts
        .iter()
        .map(|c| (c.kind, c.key.clone()))
        .collect();
    conflicts.sort();
    let bo = participant_id(&merged.bundle, "Bo");
    assert_eq!(
        conflicts,
        vec![
            (ConflictKind::Answer, "GOV-2".to_owned()),
            (ConflictKind::Vote, format!("DATA-3/{bo}")),
        ]
    );
    let content = &merged.bundle.content;
    let level_of = |q: &str| {
        let record = content.answers.iter().find(|a| a.question_id == q).unwrap();
        match &record.answer.rating {
            Some(Rating::Level { level }) => level.value(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(level_of("GOV-2"), 2, "ours is kept in a conflict");
    assert_eq!(level_of("OBS-1"), 3, "A's own change");
    assert_eq!(level_of("DEV-3"), 3, "B's own change");

    let mut votes: Vec<(String, String, VoteValue)> = content
        .votes
        .iter()
        .map(|v| {
            let person = content
                .participants
                .iter()
                .find(|p| p.id == v.participant_id)
                .unwrap();
            (v.question_id.clone(), person.name.clone(), v.value)
        })
        .collect();
    votes.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    let l = |v: u8| VoteValue::Level(Level::new(v).unwrap());
    let expected: Vec<(String, String, VoteValue)> = [
        ("DATA-3", "Ana", l(1)),
        ("DATA-3", "Bo", l(2)), // the conflict: ours kept, theirs listed
        ("DATA-3", "Eve", l(0)),
        ("DEV-3", "Ana", l(2)),
        ("DEV-3", "Bo", l(4)),
    ]
    .into_iter()
    .map(|(q, n, v)| (q.to_owned(), n.to_owned(), v))
    .collect();
    assert_eq!(votes, expected);
    // Every event of both sides is in the merged history.
    let a_events = a.export_bundle(&id).unwrap().content.events;
    let b_events = b.export_bundle(&id).unwrap().content.events;
    for event in a_events.iter().chain(&b_events) {
        assert!(content.events.iter().any(|e| e.hash == event.hash));
    }

    // Importing B's bundle into A's database merges the same way.
    let outcome = a.import_bundle_file(&b_file).unwrap();
    assert_eq!(outcome.conflicts.len(), 2);
    assert_eq!(outcome.votes, 5);
    let after = a.export_bundle(&id).unwrap();
    assert_eq!(after.content.votes, merged.bundle.content.votes);
    assert_eq!(after.content.answers, merged.bundle.content.answers);
}

fn participant_id(bundle: &Bundle, name: &str) -> String {
    bundle
        .content
        .participants
        .iter()
        .find(|p| p.name == name)
        .unwrap()
        .id
        .clone()
}

/// Everything a refused import could have touched, to compare before and after: what
/// `assay` shows, and its database file `db` as the store reads it.
fn state(assay: &Assay, db: &Path) -> String {
    let store = Store::open(db).unwrap();
    let mut text = String::new();
    for summary in assay.list_assessments().unwrap() {
        text.push_str(&assay.export_bundle(&summary.id).unwrap().content_hash);
        text.push_str(&format!("{:?}", store.bundle_imports(&summary.id).unwrap()));
    }
    text.push_str(&format!("{:?}", store.verify_audit_trail().unwrap()));
    text
}

/// The bundle with `edit` applied to its content and the checksum made to match again, so the
/// content checks (not the checksum) are what refuse it.
fn edited(text: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut value["content"]);
    let content = serde_json::from_value(value["content"].clone()).unwrap();
    value["content_hash"] = assay_api::content_hash(&content).into();
    serde_json::to_string(&value).unwrap()
}

fn without_content(text: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
    value["content"] = serde_json::json!({});
    value.to_string()
}

#[test]
fn broken_and_hostile_bundles_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (origin, id) = origin(dir.path());
    let good = origin.export_bundle(&id).unwrap().to_json();
    let target_db = dir.path().join("target.db");
    let mut target = open(&target_db, 9);
    target.create_demo().unwrap();
    let before = state(&target, &target_db);

    let duplicate_first = |key: &'static str| {
        move |c: &mut serde_json::Value| {
            let first = c[key][0].clone();
            c[key].as_array_mut().unwrap().push(first);
        }
    };
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "truncated",
            good[..good.len() / 2].to_owned(),
            "invalid_bundle",
            "ends early",
        ),
        (
            "not JSON",
            "PK\u{3}\u{4} zip?".to_owned(),
            "invalid_bundle",
            "not valid JSON",
        ),
        (
            "empty object",
            "{}".to_owned(),
            "invalid_bundle",
            "not an Assay bundle",
        ),
        (
            "too new",
            good.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1),
            "bundle_too_new",
            "newer version",
        ),
        (
            "edited without its checksum",
            good.replacen("Spring review", "Autumn review", 1),
            "invalid_bundle",
            "checksum",
        ),
        (
            "content missing",
            without_content(&good),
            "invalid_bundle",
            "shape",
        ),
        (
            "duplicate participant",
            edited(&good, duplicate_first("participants")),
            "invalid_bundle",
            "appears twice",
        ),
        (
            "duplicate answer",
            edited(&good, duplicate_first("answers")),
            "invalid_bundle",
            "appears twice",
        ),
        (
            "duplicate vote",
            edited(&good, duplicate_first("votes")),
            "invalid_bundle",
            "appears twice",
        ),
        (
            "duplicate item",
            edited(&good, duplicate_first("items")),
            "invalid_bundle",
            "appears twice",
        ),
        (
            "duplicate event",
            edited(&good, duplicate_first("events")),
            "invalid_bundle",
            "appears twice",
        ),
        (
            "vote by a stranger",
            edited(&good, |c| c["votes"][0]["participant_id"] = "nobody".into()),
            "invalid_bundle",
            "not among the participants",
        ),
        (
            "altered history",
            edited(&good, |c| c["events"][0]["actor"] = "Mallory".into()),
            "invalid_bundle",
            "does not match its hash",
        ),
        (
            "unknown question",
            edited(&good, |c| c["answers"][0]["question_id"] = "XYZ-9".into()),
            "unknown_question",
            "XYZ-9",
        ),
        (
            "a web link that runs script",
            edited(&good, |c| {
                c["answers"][0]["answer"]["evidence"] = serde_json::json!([
                    {"kind": "url", "target": "javascript:alert(1)", "label": null}
                ])
            }),
            "invalid_bundle",
            "http:// or https://",
        ),
        (
            "NUL in a title",
            edited(&good, |c| c["assessment"]["title"] = "a\u{0}b".into()),
            "invalid_bundle",
            "NUL",
        ),
        (
            "a very long name",
            edited(&good, |c| {
                c["participants"][0]["name"] = "x".repeat(100_000).into()
            }),
            "invalid_bundle",
            "longer than",
        ),
        (
            "a path in the id",
            edited(&good, |c| c["assessment"]["id"] = "../../etc".into()),
            "invalid_bundle",
            "not a valid id",
        ),
        (
            "deep nesting",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            "invalid_bundle",
            "",
        ),
    ];
    for (name, text, code, words) in cases {
        let path = write(dir.path(), "case.json", &text);
        let error = target.import_bundle_file(&path).expect_err(name);
        assert_eq!(error.code().as_str(), code, "{name}: {error}");
        assert!(error.to_string().contains(words), "{name}: {error}");
        assert_eq!(
            state(&target, &target_db),
            before,
            "{name} changed the database"
        );
    }

    // A file over the size limit is refused before it is read.
    let huge = dir.path().join("huge.json");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(assay_api::MAX_BUNDLE_BYTES + 1).unwrap();
    let error = target.import_bundle_file(&huge).unwrap_err();
    assert_eq!(error.code().as_str(), "invalid_bundle");
    assert!(error.to_string().contains("at most 32 MiB"), "{error}");
    assert_eq!(state(&target, &target_db), before);

    // Bundles of two different assessments do not merge.
    let demo = target.list_assessments().unwrap()[0].id.clone();
    let other = write(
        dir.path(),
        "demo.json",
        &target.export_bundle(&demo).unwrap().to_json(),
    );
    let mine = write(dir.path(), "mine.json", &good);
    let error = target.merge_bundle_files(&mine, &other).unwrap_err();
    assert!(
        error.to_string().contains("different assessments"),
        "{error}"
    );
}

/// Saves a little tracker evidence for the scope straight into the origin's database file.
fn add_evidence(db: &Path) {
    use assay_api::evidence_model::{Run, Snapshot, Source, Tracker};
    use assay_api::store::{ImportRun, Store};
    let source = Source {
        tracker: Tracker::Mlflow,
        instance: "http://127.0.0.1:5000".into(),
        project: "fraud".into(),
    };
    let mut snapshot = Snapshot::empty(source.clone());
    snapshot.runs.push(Run {
        external_id: "r1".into(),
        project: "fraud".into(),
        name: "train".into(),
        status: "finished".into(),
        code_commit: Some("abc123".into()),
        code_repo: None,
        params: Default::default(),
        metrics: [("fairness.sex.demographic_parity_difference".to_owned(), 0.2)].into(),
        tags: Default::default(),
        started_at: None,
        ended_at: None,
    });
    let mut store = Store::open(db).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    let run = ImportRun {
        started_at: at,
        finished_at: at,
        incremental: false,
        watermark: None,
    };
    store.save_evidence(&snapshot, &run).unwrap();
    store.link_evidence_scope(&source, "Fraud model").unwrap();
}

#[test]
fn tracker_evidence_travels_with_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let (origin, id) = origin(dir.path());
    add_evidence(&dir.path().join("origin.db"));
    let first = origin.export_bundle(&id).unwrap();
    assert_eq!(first.content.evidence.len(), 1);
    assert_eq!(first.content.evidence[0].snapshot.runs.len(), 1);
    assert_eq!(first.content.evidence[0].imports.len(), 1);
    let path = write(dir.path(), "with-evidence.json", &first.to_json());

    let mut other = open(&dir.path().join("other.db"), 9);
    other.import_bundle_file(&path).unwrap();
    let held = other.evidence(Some("Fraud model")).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].snapshot, first.content.evidence[0].snapshot);
    assert_eq!(
        other.export_bundle(&id).unwrap().content_hash,
        first.content_hash
    );
    // Its report shows the imported evidence too.
    let model = other.report_model(&id).unwrap();
    assert_eq!(model.model.evidence_sources.len(), 1);
}
