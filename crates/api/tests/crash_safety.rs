//! Crash safety: a child process writes votes and answers through `Assay` in a loop and reports
//! each one after it is committed; the parent kills it with SIGKILL at a random moment, reopens
//! the database and checks that it is intact, that every reported write is there with its last
//! value, and that the audit chain verifies. Then two ways of running out of space: a file size
//! limit (`ulimit -f`, no privileges needed) and a full 2 MiB tmpfs (in a private mount
//! namespace; skipped with the reason when this machine does not allow one).
//!
//! The children are this test binary run again with one ignored test selected and an env var
//! saying what to do. `ASSAY_CRASH_TRIALS` sets the number of kills (default 20; run 100 by
//! hand before a release), `ASSAY_CRASH_SEED` repeats a run (each run prints its seed).

#![cfg(unix)] // SIGKILL, `sh`, `ulimit` and mount namespaces
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assay_api::{AnswerChange, Assay, NewAssessment, NewParticipant, SystemClock};
use assay_assessment::{Level, Rating, VoteValue};
use rusqlite::Connection;

const WRITER_DB: &str = "ASSAY_CRASH_WRITER";
const WRITER_ASSESSMENT: &str = "ASSAY_CRASH_ASSESSMENT";
const WRITER_SEED: &str = "ASSAY_CRASH_WRITER_SEED";
const WRITER_LIMIT: &str = "ASSAY_CRASH_WRITER_LIMIT";
const FULL_DISK_DIR: &str = "ASSAY_FULL_DISK_DIR";

/// Few keys, so that later writes overwrite earlier ones and "the last value" is what counts.
const QUESTIONS: [&str; 6] = ["GOV-1", "GOV-2", "OBS-1", "DE-3", "CICD-2", "DATA-1"];
const PEOPLE: [&str; 3] = ["Ana", "Bo", "Cy"];

/// (`vote` or `answer`, question, participant or `-`) -> (level, note or `-`).
type Key = (String, String, String);
type Value = (u8, String);
type Entry = (Key, Value);
type State = BTreeMap<Key, Value>;

/// SplitMix64: a seeded generator, so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

fn open(db: &Path) -> Assay {
    Assay::open(db, Box::new(SystemClock))
        .unwrap()
        .with_actor("crash-test")
        .unwrap()
}

/// A plain connection to the file `Assay` writes, for reading what it holds with SQL.
fn connect(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn
}

/// An assessment with three participants; no audit events yet.
fn setup(db: &Path) -> String {
    let people = PEOPLE.map(|name| NewParticipant {
        name: name.into(),
        role: "ML engineer".into(),
    });
    let new = NewAssessment {
        scope: "Fraud models".into(),
        participants: people.into(),
        ..NewAssessment::default()
    };
    open(db).create_assessment(new).unwrap().id
}

/// Votes (by participant name) and answers as the database holds them.
fn state(conn: &Connection, assessment: &str) -> State {
    let mut stmt = conn
        .prepare(
            "SELECT 'vote', v.question_id, p.name, v.level, '-' FROM vote v
                 JOIN participant p ON p.assessment_id = v.assessment_id AND p.id = v.participant_id
                 WHERE v.assessment_id = ?1
             UNION ALL
             SELECT 'answer', question_id, '-', level, coalesce(note, '') FROM answer
                 WHERE assessment_id = ?1",
        )
        .unwrap();
    stmt.query_map([assessment], |r| {
        Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?)))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn integrity(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("PRAGMA integrity_check").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The next write: a random key and a value that differs from the current one, so that every
/// write that lands adds exactly one audit event.
fn next_write(rng: &mut Rng, current: &State, tag: String) -> Entry {
    let question = QUESTIONS[rng.below(QUESTIONS.len())].to_owned();
    let vote = rng.below(2) == 0;
    let key = if vote {
        ("vote".into(), question, PEOPLE[rng.below(3)].into())
    } else {
        ("answer".into(), question, "-".into())
    };
    let mut level = u8::try_from(rng.below(5)).unwrap();
    if current.get(&key).map(|v| v.0) == Some(level) {
        level = (level + 1) % 5;
    }
    (key, (level, if vote { "-".into() } else { tag }))
}

fn apply(assay: &mut Assay, id: &str, key: &Key, value: &Value) -> assay_api::Result<()> {
    let level = Level::new(value.0).unwrap();
    if key.0 == "vote" {
        assay.cast_vote(id, &key.1, &key.2, VoteValue::Level(level))?;
    } else {
        let change = AnswerChange {
            rating: Some(Rating::level(level)),
            note: Some(value.1.clone()),
            ..AnswerChange::default()
        };
        assay.update_answer(id, &key.1, change)?;
    }
    Ok(())
}

fn line(kind: &str, key: &Key, value: &Value) -> String {
    format!(
        "{kind} {} {} {} {} {}",
        key.0, key.1, key.2, value.0, value.1
    )
}

fn parse(line: &str) -> Option<(&str, Key, Value)> {
    let f: Vec<&str> = line.split(' ').collect();
    let [kind, entity, question, who, level, tag] = f[..] else {
        return None;
    };
    let key = (entity.into(), question.into(), who.into());
    Some((kind, key, (level.parse().ok()?, tag.into())))
}

/// The writer child: writes until killed, or until a write fails (then reports what it can
/// still read). Stdout is written directly, past libtest's capture, one line per write.
#[test]
#[ignore = "the writer child that the crash tests start themselves"]
fn crash_writer() {
    let Ok(db) = std::env::var(WRITER_DB) else {
        return;
    };
    let id = std::env::var(WRITER_ASSESSMENT).unwrap();
    let seed: u64 = std::env::var(WRITER_SEED).unwrap().parse().unwrap();
    let mut rng = Rng(seed);
    let mut out = std::io::stdout().lock();
    let mut assay = open(Path::new(&db));
    // Opened before the first write, like `assay`'s own: it must still read when space is out.
    let reader = connect(Path::new(&db));
    let mut current = state(&reader, &id);
    let limit: u64 = std::env::var(WRITER_LIMIT).map_or(u64::MAX, |l| l.parse().unwrap());
    // On a line of its own: libtest has just written "test crash_writer ... " without one.
    writeln!(out, "\nready").unwrap();
    for n in 0..limit {
        let (key, value) = next_write(&mut rng, &current, format!("w{seed:x}-{n}"));
        writeln!(out, "{}", line("begin", &key, &value)).unwrap();
        if let Err(e) = apply(&mut assay, &id, &key, &value) {
            let message = e.to_string().replace('\n', " ");
            writeln!(out, "failed {} {message}", e.code().as_str()).unwrap();
            // With the disk still full: can the same process still read everything?
            for (k, v) in state(&reader, &id) {
                writeln!(out, "{}", line("held", &k, &v)).unwrap();
            }
            let chain = assay.verify_audit_trail().map(|t| t.events);
            writeln!(out, "chain {chain:?}").unwrap();
            return;
        }
        writeln!(out, "{}", line("committed", &key, &value)).unwrap();
        current.insert(key, value);
    }
}

fn child_test(name: &str) -> Vec<OsString> {
    let exe = std::env::current_exe().unwrap().into_os_string();
    let args = [
        name,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ];
    std::iter::once(exe)
        .chain(args.map(OsString::from))
        .collect()
}

fn writer(prefix: &[&str], db: &Path, id: &str, seed: u64, limit: Option<u64>) -> Child {
    let mut argv: Vec<OsString> = prefix.iter().map(OsString::from).collect();
    argv.extend(child_test("crash_writer"));
    let mut command = Command::new(&argv[0]);
    if let Some(limit) = limit {
        command.env(WRITER_LIMIT, limit.to_string());
    }
    command
        .args(&argv[1..])
        .env(WRITER_DB, db)
        .env(WRITER_ASSESSMENT, id)
        .env(WRITER_SEED, seed.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads the child's complete lines (a line torn by the kill is dropped); when `kill_after` is
/// given, sends SIGKILL that long after the writer said it was ready.
fn run(mut child: Child, kill_after: Option<Duration>) -> (Vec<String>, std::process::ExitStatus) {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut text = String::new();
        while matches!(reader.read_line(&mut text), Ok(n) if n > 0) && text.ends_with('\n') {
            let _ = tx.send(text.trim_end().to_owned());
            text.clear();
        }
    });
    let mut lines = Vec::new();
    if let Some(delay) = kill_after {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok(l) if l == "ready" => break,
                Ok(l) => lines.push(l),
                Err(e) => {
                    let _ = child.kill();
                    panic!("the writer never became ready ({e}): {:?}", tail(&lines));
                }
            }
        }
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no rollback, no flush
    }
    let status = child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    (lines, status)
}

/// The last lines of a child's output, for failure messages.
fn tail(lines: &[String]) -> &[String] {
    &lines[lines.len().saturating_sub(12)..]
}

/// What the child's lines say: the writes it reported committed, in order, and the one it had
/// started but not reported (it may or may not have landed).
fn outcome(lines: &[String]) -> (Vec<Entry>, Option<Entry>) {
    let mut committed = Vec::new();
    let mut pending = None;
    for (kind, key, value) in lines.iter().filter_map(|l| parse(l)) {
        match kind {
            "begin" => pending = Some((key, value)),
            "committed" => {
                pending = None;
                committed.push((key, value));
            }
            _ => {}
        }
    }
    (committed, pending)
}

#[test]
fn killed_writers_lose_no_committed_write() {
    let trials: usize = std::env::var("ASSAY_CRASH_TRIALS").map_or(20, |t| t.parse().unwrap());
    let seed: u64 = std::env::var("ASSAY_CRASH_SEED").map_or_else(
        |_| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            u64::try_from(now.unwrap().as_nanos() % u128::from(u64::MAX)).unwrap()
        },
        |s| s.parse().unwrap(),
    );
    eprintln!("crash_safety: {trials} trials, seed {seed} (ASSAY_CRASH_SEED={seed} repeats it)");
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let id = setup(&db);
    let mut rng = Rng(seed);
    let mut expected = State::new();
    let (mut confirmed, mut landed_unreported, mut events) = (0, 0, 0);
    for trial in 0..trials {
        let delay = Duration::from_millis(20 + rng.next() % 381);
        let (lines, status) = run(writer(&[], &db, &id, rng.next(), None), Some(delay));
        assert_eq!(
            status.signal(),
            Some(9),
            "trial {trial}: the writer was not killed: {:?}",
            tail(&lines)
        );
        let (committed, pending) = outcome(&lines);
        confirmed += committed.len();
        events += committed.len();
        expected.extend(committed);

        let assay = open(&db);
        let conn = &connect(&db);
        let context = format!("trial {trial} of seed {seed}, killed after {delay:?}");
        assert_eq!(integrity(conn), ["ok"], "{context}");
        let actual = state(conn, &id);
        // The write in flight at the kill may have committed; its value differs from the one
        // before, so the database says which.
        if let Some((key, value)) = pending.filter(|(k, v)| actual.get(k) == Some(v)) {
            expected.insert(key, value);
            landed_unreported += 1;
            events += 1;
        }
        let lost: Vec<_> = expected
            .iter()
            .filter(|&(k, v)| actual.get(k) != Some(v))
            .collect();
        assert!(
            lost.is_empty(),
            "{context}: committed writes lost: {lost:?}"
        );
        assert_eq!(
            actual.len(),
            expected.len(),
            "{context}: a write nobody made appeared"
        );
        let trail = assay
            .verify_audit_trail()
            .unwrap_or_else(|e| panic!("{context}: {e}"));
        assert_eq!(trail.events, events, "{context}: audit events");
    }
    assert!(confirmed > 0, "no write was ever confirmed");
    eprintln!(
        "crash_safety: {trials} kills, {confirmed} confirmed writes, 0 lost, {landed_unreported} \
         unreported writes landed, {events} audit events verified, {:?}",
        started.elapsed()
    );
}

/// Runs a writer under `prefix` until a write fails, then checks what the failure left: the
/// failed write absent, the earlier data and every confirmed write present (read by the
/// failing process while space is still short, and after `free` by a new one), and the
/// database usable again. Returns the failure's code and message and the writes confirmed
/// before it.
fn write_until_failure(
    prefix: &[&str],
    db: &Path,
    id: &str,
    free: impl FnOnce(),
) -> (String, String, usize) {
    let (initial, initial_events) = {
        let assay = open(db);
        let events = assay.verify_audit_trail().unwrap().events;
        (state(&connect(db), id), events)
    };
    let (lines, status) = run(writer(prefix, db, id, 7, Some(5000)), None);
    assert!(
        status.success(),
        "the writer did not end cleanly ({status}): {:?}",
        tail(&lines)
    );
    let failure = lines
        .iter()
        .find_map(|l| l.strip_prefix("failed "))
        .unwrap_or_else(|| {
            panic!("no write failed: {:?}", tail(&lines));
        });
    let (code, message) = failure.split_once(' ').unwrap();
    let (committed, pending) = outcome(&lines);
    let writes = initial_events + committed.len();
    let mut expected = initial;
    expected.extend(committed);
    assert!(!expected.is_empty(), "no data to lose");
    let held: State = lines
        .iter()
        .filter_map(|l| parse(l))
        .filter(|(kind, _, _)| *kind == "held")
        .map(|(_, k, v)| (k, v))
        .collect();
    assert_eq!(
        held, expected,
        "the failing process read back something else"
    );
    let events = lines.iter().find_map(|l| l.strip_prefix("chain ")).unwrap();
    assert_eq!(
        events,
        format!("Ok({writes})"),
        "chain as read by the failing process"
    );

    free();
    let mut assay = open(db);
    let conn = connect(db);
    assert_eq!(integrity(&conn), ["ok"]);
    let actual = state(&conn, id);
    assert_eq!(actual, expected, "after the failure, reopened");
    let (key, value) = pending.unwrap();
    assert_ne!(
        actual.get(&key),
        Some(&value),
        "the failed write left a trace"
    );
    assert_eq!(assay.verify_audit_trail().unwrap().events, writes);
    apply(&mut assay, id, &key, &value).unwrap();
    assert_eq!(state(&conn, id).get(&key), Some(&value));
    assert_eq!(assay.verify_audit_trail().unwrap().events, writes + 1);
    assert_eq!(integrity(&conn), ["ok"]);
    (code.to_owned(), message.to_owned(), writes - initial_events)
}

#[test]
fn a_file_size_limit_fails_a_write_cleanly_and_loses_nothing() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("limited.db");
    let id = setup(&db);
    // The WAL starts empty and may grow to 256 KiB (dash counts `ulimit -f` in 512-byte
    // blocks); SIGXFSZ is ignored so that the write fails with EFBIG instead of killing.
    let blocks = (std::fs::metadata(&db).unwrap().len() / 512 + 512).to_string();
    let script = "trap '' XFSZ; ulimit -f \"$1\" && shift && exec \"$@\"";
    // This process has no limit, so "freeing space" is nothing to do.
    let prefix = ["sh", "-c", script, "sh", &blocks];
    let (code, message, writes) = write_until_failure(&prefix, &db, &id, || ());
    eprintln!(
        "file size limit: {writes} writes, then `{code}`: {message} ({:?})",
        started.elapsed()
    );
    // SQLite reports EFBIG as a write I/O error, not as a full disk.
    assert_eq!(code, "write_failed", "{message}");
    assert!(message.contains("could not be written"), "{message}");
}

/// Runs inside a private mount namespace with a 2 MiB tmpfs on `ASSAY_FULL_DISK_DIR`.
#[test]
#[ignore = "the full-disk child that the full-disk test starts itself"]
fn full_disk_child() {
    let Ok(dir) = std::env::var(FULL_DISK_DIR) else {
        return;
    };
    let mut out = std::io::stdout().lock();
    let db = Path::new(&dir).join("full.db");
    let id = setup(&db);
    // An open connection keeps the -wal and -shm files, which a full disk could not create.
    let mut keeper = open(&db);
    let reader = connect(&db);
    let mut rng = Rng(3);
    for n in 0..10 {
        let current = state(&reader, &id);
        let (key, value) = next_write(&mut rng, &current, format!("early-{n}"));
        apply(&mut keeper, &id, &key, &value).unwrap();
    }
    drop(reader);
    // Fill the disk to the last page, then free 64 KiB: a few writes fit, then none.
    let mut filler = std::fs::File::create(Path::new(&dir).join("filler")).unwrap();
    for chunk in [64 * 1024, 4096, 512, 1] {
        while filler.write_all(&vec![0u8; chunk]).is_ok() {}
    }
    let size = filler.metadata().unwrap().len();
    filler.set_len(size.saturating_sub(64 * 1024)).unwrap();
    // The writer then writes until the disk refuses; deleting the filler frees the space.
    let free = || {
        drop(filler);
        std::fs::remove_file(Path::new(&dir).join("filler")).unwrap();
    };
    let (code, message, writes) = write_until_failure(&[], &db, &id, free);
    writeln!(out, "\nfull-disk failed {code} {message}").unwrap();
    writeln!(out, "full-disk writes {writes}").unwrap();
    drop(keeper);
    writeln!(out, "full-disk ok").unwrap();
}

#[test]
fn a_full_disk_fails_a_write_cleanly_and_loses_nothing() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mount =
        "mount -t tmpfs -o size=2m assay-full \"$1\" && echo mounted && shift && exec \"$@\"";
    let mut refusals = Vec::new();
    // As root a mount namespace is enough; elsewhere a user namespace may allow the mount.
    for userns in [&[][..], &["--user", "--map-root-user"][..]] {
        let mut words = vec!["unshare"];
        words.extend(userns);
        words.extend(["--mount", "--propagation", "private"]);
        let shown = words.join(" ");
        words.extend(["sh", "-c", mount, "sh"]);
        let mut argv: Vec<OsString> = words.into_iter().map(OsString::from).collect();
        argv.push(dir.path().into());
        argv.extend(child_test("full_disk_child"));
        let Ok(output) = Command::new(&argv[0])
            .args(&argv[1..])
            .env(FULL_DISK_DIR, dir.path())
            .output()
        else {
            refusals.push("`unshare` is not installed".to_owned());
            break;
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !stdout.lines().any(|l| l == "mounted") {
            refusals.push(format!("{shown}: {}", stderr.trim()));
            continue;
        }
        assert!(
            output.status.success(),
            "full-disk child failed ({}):\n{stdout}\n{stderr}",
            output.status
        );
        let failure = stdout
            .lines()
            .find_map(|l| l.strip_prefix("full-disk failed "))
            .unwrap_or_else(|| panic!("no failure reported:\n{stdout}\n{stderr}"));
        assert!(stdout.lines().any(|l| l == "full-disk ok"), "{stdout}");
        let writes = stdout
            .lines()
            .find_map(|l| l.strip_prefix("full-disk writes "))
            .unwrap_or("?");
        let took = started.elapsed();
        eprintln!("full disk ({shown}): {writes} writes, then {failure} ({took:?})");
        let (code, message) = failure.split_once(' ').unwrap();
        assert_eq!(code, "disk_full", "{message}");
        assert!(
            message.starts_with("the disk is full; nothing was saved"),
            "{message}"
        );
        return;
    }
    eprintln!("SKIPPED a_full_disk_fails_a_write_cleanly: no tmpfs could be mounted: {refusals:?}");
}
