//! Migrations from every version: for each schema version an earlier Assay could have left
//! behind (0 = an empty file, then after each migration), build that database with the store's
//! own migrations 1..=N, put realistic rows in every table it has, then open it the normal way
//! (which migrates to the latest) and check that nothing was lost and the app can use it. A file
//! from a newer Assay is refused and left byte for byte as it was.
//!
//! A table that exists at some version but has no fixture in `migration_fixtures/` fails the
//! test: a migration that adds a table must add its rows there too.

#![allow(clippy::unwrap_used)]

mod migration_fixtures;

use migration_fixtures::*;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assay_api::store::{APPLICATION_ID, SCHEMA_VERSION, Store, StoreError, migrate_to_version};
use assay_api::{Assay, Bundle, SteppingClock, builtin_bank_version};
use assay_assessment::{CanonicalBank, Level, Rating, VoteValue};
use chrono::{Duration, TimeZone, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;
use sha2::{Digest, Sha256};

/// Every column of every table, rows sorted: what must survive the upgrade unchanged.
type Dump = BTreeMap<String, (Vec<String>, Vec<String>)>;

/// One text column of a query's rows (table names, column names, pragma reports).
fn texts(conn: &Connection, sql: &str, column: usize) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| r.get(column)).unwrap();
    rows.map(Result::unwrap).collect()
}

fn user_tables(conn: &Connection) -> BTreeSet<String> {
    let sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
    texts(conn, sql, 0).into_iter().collect()
}

fn integrity(conn: &Connection) -> Vec<String> {
    texts(conn, "PRAGMA integrity_check", 0)
}

fn foreign_key_problems(conn: &Connection) -> Vec<String> {
    texts(conn, "PRAGMA foreign_key_check", 0)
}

fn rows(conn: &Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn
        .prepare(&format!("SELECT {list} FROM \"{table}\""))
        .unwrap();
    stmt.query_map([], |r| {
        (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect()
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn sorted_text(rows: &[Vec<Value>]) -> Vec<String> {
    let mut text: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
    text.sort();
    text
}

/// Writes the database an Assay with `version` migrations left, filled; returns its dump.
fn build_fixture(path: &Path, version: usize) -> Dump {
    if version == 0 {
        std::fs::File::create(path).unwrap(); // what a first start before any migration leaves
        return Dump::new();
    }
    let mut conn = Connection::open(path).unwrap();
    // The pragmas every Assay release set before migrating, so constraints bind the fixture.
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    migrate_to_version(&mut conn, version).unwrap();
    let tables = user_tables(&conn);
    let known: BTreeSet<String> = FIXTURES.iter().map(|(t, _)| (*t).to_owned()).collect();
    let missing: Vec<_> = tables.difference(&known).collect();
    assert!(
        missing.is_empty(),
        "schema version {version} has tables {missing:?} with no fixture rows; add them to FIXTURES"
    );
    for (table, fill) in FIXTURES.iter().filter(|(t, _)| tables.contains(*t)) {
        fill(&conn)
            .unwrap_or_else(|e| panic!("fixture rows for {table} at version {version}: {e}"));
    }
    assert!(
        foreign_key_problems(&conn).is_empty(),
        "the fixture breaks a foreign key"
    );
    let mut dump = Dump::new();
    for table in &tables {
        let cols = texts(&conn, &format!("PRAGMA table_info(\"{table}\")"), 1);
        let all = rows(&conn, table, &cols);
        assert!(!all.is_empty(), "{table} is empty at version {version}");
        // A realistic fixture sets every column somewhere, so a dropped value shows.
        for (i, col) in cols.iter().enumerate() {
            assert!(
                all.iter().any(|r| r[i] != Value::Null),
                "{table}.{col} is NULL in every fixture row at version {version}"
            );
        }
        dump.insert(table.clone(), (cols, sorted_text(&all)));
    }
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(found, i64::try_from(version).unwrap());
    dump
}

fn open_app(path: &Path) -> Assay {
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    let clock = SteppingClock::new(start, Duration::seconds(1));
    let app = Assay::open(path, Box::new(clock)).unwrap();
    app.with_actor("migration-test").unwrap()
}

/// Opens the fixture the normal way and checks the data, the schema and the app on top of it.
fn check_upgrade(path: &Path, version: usize, before: &Dump) {
    let store = Store::open(path).unwrap_or_else(|e| panic!("version {version} did not open: {e}"));
    let conn = store.connection();
    let ctx = format!("upgrading from schema version {version}");
    let user_version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(user_version, SCHEMA_VERSION, "{ctx}");
    let id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID, "{ctx}");
    assert_eq!(integrity(conn), ["ok"], "{ctx}");
    assert!(foreign_key_problems(conn).is_empty(), "{ctx}");
    for (table, (cols, rows_before)) in before {
        let now = sorted_text(&rows(conn, table, cols));
        assert_eq!(now.len(), rows_before.len(), "{ctx}: rows in {table}");
        assert_eq!(&now, rows_before, "{ctx}: values in {table}");
    }
    let events_before = before.get("audit_event").map_or(0, |(_, r)| r.len());
    let chain = store.verify_audit_trail().unwrap();
    assert_eq!(
        (chain.events, chain.first_broken),
        (events_before, None),
        "{ctx}"
    );
    drop(store);

    let mut app = open_app(path);
    let has = |table: &str| before.contains_key(table);
    let list = app.list_assessments().unwrap();
    if !has("assessment") {
        assert!(list.is_empty());
    } else {
        assert_eq!(list.len(), 2, "{ctx}");
        let fraud = list.iter().find(|a| a.id == FRAUD).unwrap();
        // Files from before banks were stored get the built-in content of the version their
        // assessments name, stored once.
        let builtin = CanonicalBank::of(builtin_bank_version("assay-mlops", "1.0.0").unwrap());
        let banks = app.banks().unwrap();
        let used = banks
            .iter()
            .find(|b| b.id == "assay-mlops" && b.version == "1.0.0");
        let used = used.unwrap();
        assert!(used.stored, "{ctx}");
        assert_eq!(used.assessments, 2, "{ctx}");
        assert_eq!(used.digest, builtin.digest.as_str(), "{ctx}");
        assert_eq!(*app.assessment_bank(FRAUD).unwrap(), builtin, "{ctx}");
        assert_eq!((fraud.participants, fraud.answered), (3, 3), "{ctx}");
        assert!(fraud.headline_level.is_some(), "{ctx}");
        let card = app.score(FRAUD).unwrap();
        assert!(card.overall.mean.is_some(), "{ctx}");
        let shown = app.assessment(&FRAUD[..8]).unwrap();
        assert_eq!(shown.votes.len(), 5);
        let names: Vec<_> = shown.participants.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ana Ruiz", "Bo Chen", "Cy Okafor"]);
        let gov = &shown.answers["GOV-2"];
        assert_eq!(gov.rating, Some(Rating::level(Level::new(1).unwrap())));
        assert_eq!(
            gov.evidence[0].target,
            "https://wiki.example.com/fraud/fairness-review"
        );
        assert_eq!(shown.answers["OBS-1"].evidence.len(), 2);
        assert!(matches!(&shown.answers["DE-3"].rating,
            Some(Rating::NotApplicable { justification }) if justification.starts_with("Batch")));
        assert_eq!(shown.targets.areas["governance"].value(), 3);
        if has("governance_item") {
            let items = app.list_items(Some("Fraud models"), false).unwrap();
            assert_eq!(items.len(), 2, "{ctx}");
        }
        if has("signoff") {
            let signoffs = app.signoffs(FRAUD).unwrap();
            // Schema version 12 added the trail point, and a second sign-off that records one.
            let expected = if version >= 12 { 2 } else { 1 };
            assert_eq!(
                (signoffs.len(), signoffs[0].stale),
                (expected, true),
                "{ctx}"
            );
            assert!(signoffs[0].earlier_format, "made on report format 1: {ctx}");
        }
        if has("report_export") {
            // Schema version 17 logs a statement beside the report.
            let expected = if version >= 17 { 2 } else { 1 };
            let exports = app.exports(FRAUD).unwrap();
            assert_eq!(exports.len(), expected, "{ctx}");
            assert_eq!(
                exports[0].export.kind,
                assay_api::store::ExportKind::Report,
                "{ctx}"
            );
        }
        // A bundle of the upgraded data must pass the checks another machine's import makes.
        let bundle = app.export_bundle(FRAUD).unwrap();
        let carried = if has("bundle_event") { 2 } else { 0 };
        assert_eq!(
            bundle.content.events.len(),
            carried + events_before,
            "{ctx}"
        );
        Bundle::parse(&bundle.to_json(), app.bank()).unwrap();
        // And the app can still write: a new vote chains onto the migrated trail.
        let two = VoteValue::Level(Level::new(2).unwrap());
        app.cast_vote(FRAUD, "GOV-2", "Cy Okafor", two).unwrap();
        assert_eq!(app.verify_audit_trail().unwrap().events, events_before + 1);
    }
    if has("evidence_run") {
        let projects = app.evidence(None).unwrap();
        assert_eq!(projects.len(), 1, "{ctx}");
        assert_eq!(projects[0].snapshot, evidence(), "{ctx}");
        let linked = app.evidence(Some("Fraud models")).unwrap().len();
        assert_eq!(linked, usize::from(has("evidence_scope")), "{ctx}");
    }
    assert_eq!(integrity(&Connection::open(path).unwrap()), ["ok"]);
}

#[test]
fn every_earlier_schema_version_upgrades_with_all_its_rows() {
    let started = std::time::Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let latest = usize::try_from(SCHEMA_VERSION).unwrap();
    let mut tables_filled = 0;
    let mut rows_checked = 0;
    for version in 0..=latest {
        let path = dir.path().join(format!("v{version}.db"));
        let before = build_fixture(&path, version);
        check_upgrade(&path, version, &before);
        tables_filled += before.len();
        rows_checked += before.values().map(|(_, r)| r.len()).sum::<usize>();
        if version == latest {
            // No fixture may outlive its table: at the latest version every one is used.
            assert_eq!(
                before.len(),
                FIXTURES.len(),
                "a fixture names a table that no longer exists"
            );
        }
    }
    eprintln!(
        "migrations: {} versions (0..={latest}), {tables_filled} table fixtures, \
         {rows_checked} rows checked, {:?}",
        latest + 1,
        started.elapsed()
    );
}

#[test]
fn a_database_from_a_newer_assay_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    build_fixture(&path, usize::try_from(SCHEMA_VERSION).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    } // closing the last connection checkpoints the WAL into the file and removes it
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let (bytes, files) = (std::fs::read(&path).unwrap(), listing());
    let digest = format!("{:x}", Sha256::digest(&bytes));

    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(&err, StoreError::TooNew { path: shown, found, supported }
            if *found == SCHEMA_VERSION + 1 && *supported == SCHEMA_VERSION
                && shown.ends_with("newer.db")),
        "{err:?}"
    );
    let err = Assay::open(&path, Box::new(assay_api::SystemClock)).unwrap_err();
    assert_eq!(err.code().as_str(), "database_too_new");
    assert!(!err.is_user_error());
    let message = err.to_string();
    for words in [
        "newer version of Assay",
        &format!("schema version {}", SCHEMA_VERSION + 1),
        &format!("reads up to {SCHEMA_VERSION}"),
        "upgrade Assay",
    ] {
        assert!(message.contains(words), "`{words}` missing from: {message}");
    }
    let after = std::fs::read(&path).unwrap();
    assert_eq!(
        format!("{:x}", Sha256::digest(&after)),
        digest,
        "the refused file was modified"
    );
    assert_eq!(listing(), files, "opening left a -wal or -shm file behind");
}
