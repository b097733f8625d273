//! Hostile input through every door that `tests/reports.rs` leaves open.
//!
//! * Every text the API takes that the hostile-assessment fixture does not fill (sign-offs,
//!   added participants, register updates and risk acceptance, evidence links, the audit
//!   actor, fairness rules, tracker targets and scopes, and every id or keyword looked up):
//!   the shared hostile strings (tests/data/hostile-strings.json) plus NUL, blank, over-long
//!   and wildcard text. Each is stored verbatim (read back through a fresh `Assay` on the same
//!   file) or refused with a typed error that says why and writes nothing
//!   (tests/support/probe.rs).
//! * Tracker evidence named with those strings, imported from a stand-in W&B server
//!   (tests/support/fake_wandb.rs): stored verbatim; the HTML report runs no script in
//!   Chromium, loads nothing and holds no raw markup; the PDF passes qpdf and renders.
//! * A bundle of all that (sign-offs and evidence included) moved to a fresh database.
//! * Malformed files (invalid UTF-8, blank, empty, a directory, a byte-order mark, missing)
//!   through every path that reads a user's file, via the API and the `assay` binary.

#![allow(clippy::unwrap_used)]

#[path = "support/checks.rs"]
mod checks;
#[path = "support/fake_wandb.rs"]
mod fake_wandb;
#[path = "support/fields.rs"]
mod fields;
#[path = "support/probe.rs"]
mod probe;
mod support;

use assay_api::assessment::governance::Decision;
use assay_api::store::{BundleContent, ImportMode};
use assay_api::{ApiError, Assay, ReportFormat, SystemClock};
use checks::bundle_refusal;
use fields::{accept_risk, new_assessment, new_items, reopen, wandb_import};
use probe::{LONG, Probe, SHORT, clip};
use support::{hostile_assay, hostile_strings, open};

#[test]
fn every_text_field_keeps_hostile_text_verbatim_or_refuses_it_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    let mut probe = Probe::new(&dir.path().join("assay.db"));
    let id = new_assessment(&mut assay, "Probes");
    fields::sign_offs(&mut probe, &mut assay, &id);
    fields::participants(&mut probe, &mut assay, &id);
    fields::register(&mut probe, &mut assay, &id);
    fields::answers(&mut probe, &mut assay, &id);
    fields::actor(&mut probe, &mut assay, dir.path());
    fields::fairness_rules(&mut probe, &mut assay);
    let wandb = fake_wandb::serve(hostile_strings(), "no project has runs");
    fields::tracker_targets(&mut probe, &mut assay, &wandb);
    fields::lookups(&mut probe, &mut assay);

    let (tried, kept) = (probe.tried, probe.stored.len());
    let refused = tried - kept;
    eprintln!("hostile_input: {tried} (field, string) pairs: {kept} kept, {refused} refused");
    drop(assay);
    let fresh = reopen(dir.path());
    probe.verify(&fresh);
    fresh.verify_audit_trail().unwrap();
}

/// The hostile assessment of tests/reports.rs with the stand-in W&B project's hostile
/// evidence linked to its scope, and a sign-off per hostile string.
fn hostile_with_evidence() -> (tempfile::TempDir, Assay, String) {
    let (dir, mut assay, id) = hostile_assay();
    let hostile = hostile_strings();
    let (entity, project) = (&hostile[1], &hostile[2]);
    let wandb = fake_wandb::serve(hostile.clone(), project);
    let scope = assay.assessment(&id).unwrap().scope;
    let summary = wandb_import(&mut assay, (&wandb, entity, project), Some(&scope)).unwrap();
    assert_eq!(summary.fetched_runs, hostile.len());
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    for (n, s) in hostile.iter().enumerate() {
        let short: String = s.chars().take(SHORT).collect();
        let decision = [
            Decision::Approve,
            Decision::ApproveWithConditions,
            Decision::Reject,
        ][n % 3];
        assay.sign_off(&id, &short, &short, decision, s).unwrap();
    }
    (dir, assay, id)
}

/// As the report's templates escape text.
fn escaped(text: &str) -> String {
    let pairs = [
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("\"", "&quot;"),
    ];
    let more = [("'", "&#x27;"), ("`", "&#x60;"), ("=", "&#x3D;")];
    let mut out = text.to_owned();
    for (from, to) in pairs.into_iter().chain(more) {
        out = out.replace(from, to);
    }
    out
}

#[test]
fn hostile_tracker_names_are_kept_verbatim_and_render_inert() {
    let (dir, assay, id) = hostile_with_evidence();
    drop(assay);
    let assay = reopen(dir.path());
    let hostile = hostile_strings();
    let scope = assay.assessment(&id).unwrap().scope;
    let projects = assay.evidence(Some(&scope)).unwrap();
    assert_eq!(projects.len(), 1);
    let (source, snap) = (&projects[0].source, &projects[0].snapshot);
    assert_eq!(source.project, format!("{}/{}", hostile[1], hostile[2]));
    let pairs = fake_wandb::assert_kept(snap, &hostile);
    eprintln!("hostile_input: {pairs} (tracker field, string) pairs kept verbatim");

    let html = dir.path().join("evidence.html");
    assay.export_report(&id, ReportFormat::Html, &html).unwrap();
    let text = std::fs::read_to_string(&html).unwrap();
    // Every version is in production, so each has a block: its name as the heading, the
    // dataset its run read in a table.
    for (i, s) in hostile.iter().enumerate() {
        let s = escaped(s);
        for shown in [format!("<td>{s} v{i}</td>"), format!("<h4>{s} v{i} [")] {
            assert!(text.contains(&shown), "not in the report: {}", clip(&shown));
        }
    }
    checks::assert_inert(&html);
    let pdf = dir.path().join("evidence.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    let text = checks::assert_pdf_renders(&pdf);
    // Shown as text, in the block of a version: its name, its source run, the dataset the run
    // read, and a failed fairness check.
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let img = "<img src=x onerror=\"document.title='XSS'+'RAN'\">";
    for shown in [
        format!("{img} v1 [{img}, production] Standing In production"),
        format!("Source run {img} (produced); finished;"),
        "read by run <img src=x".to_owned(),
        "read by run Ünïcödé".to_owned(),
        "demographic parity difference".to_owned(),
        "0.300 |x| ≤ 0.1 fail".to_owned(),
    ] {
        assert!(folded.contains(&shown), "not in the PDF: {shown}");
    }
}

#[test]
fn a_hostile_bundle_with_signoffs_and_evidence_moves_to_a_fresh_database_intact() {
    let (dir, assay, id) = hostile_with_evidence();
    let file = dir.path().join("hostile.json");
    let bundle = assay.export_bundle_file(&id, &file).unwrap();
    let content = &bundle.content;
    assert_eq!((content.signoffs.len(), content.evidence.len()), (16, 1));
    let other = tempfile::tempdir().unwrap();
    let outcome = open(other.path()).import_bundle_file(&file).unwrap();
    assert_eq!(outcome.mode, ImportMode::New);
    let fresh = reopen(other.path());
    let again = fresh.export_bundle(&id).unwrap().content;
    assert!(
        again.participants == content.participants,
        "participants differ"
    );
    assert!(again.answers == content.answers, "answers differ");
    assert!(again.items == content.items, "register items differ");
    assert!(again.signoffs == content.signoffs, "sign-offs differ");
    assert!(
        again.evidence == content.evidence,
        "tracker evidence differs"
    );
    assert!(
        again == *content,
        "the imported assessment differs from the bundle"
    );

    // The same report, but for what belongs to each database: the end of its own audit trail,
    // and who entered each sign-off there (the copy's trail holds no local events for them).
    let portable = |a: &Assay| {
        let mut model = a.report_model(&id).unwrap().model;
        model.document.trail = None;
        for signoff in &mut model.signoffs {
            signoff.entered_by = None;
        }
        model
    };
    assert!(
        portable(&fresh) == portable(&assay),
        "the copy reports differently"
    );
    assert!(
        fresh.signoffs(&id).unwrap().iter().all(|s| !s.stale),
        "the approvals hold in the copy"
    );
    let html = other.path().join("imported.html");
    fresh.export_report(&id, ReportFormat::Html, &html).unwrap();
    checks::assert_inert(&html);
}

type Edit = fn(&mut BundleContent);

#[test]
fn bundles_refuse_what_the_api_refuses_and_carry_what_it_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let mut assay = open(dir.path());
    // A scope at the length limit and no title: the default title must be short text too.
    let id = new_assessment(&mut assay, &"s".repeat(SHORT));
    assert!(assay.assessment(&id).unwrap().title.chars().count() <= SHORT);
    let item = new_items(&mut assay, &id, 1).next().unwrap();
    assay
        .update_item(&item, accept_risk("Dana", "Low impact"))
        .unwrap();
    assay
        .sign_off(&id, "Ana", "Lead", Decision::Approve, "")
        .unwrap();
    let file = dir.path().join("b.json");
    let bundle = assay.export_bundle_file(&id, &file).unwrap();

    // Text the API refuses is refused in a bundle too, even under a matching checksum.
    let target = tempfile::tempdir().unwrap();
    let mut target = open(target.path());
    let crafted: [(&str, Edit); 3] = [
        ("sign-off role contains a NUL", |c| {
            c.signoffs[0].role = "Le\0ad".into()
        }),
        ("reason for accepting the risk is longer than", |c| {
            c.items[0].acceptance.as_mut().unwrap().reason = "z".repeat(LONG + 1);
        }),
        ("name of who accepted the risk is longer than", |c| {
            c.items[0].acceptance.as_mut().unwrap().accepted_by = "y".repeat(SHORT + 1);
        }),
    ];
    for (says, edit) in crafted {
        let mut bad = bundle.clone();
        edit(&mut bad.content);
        bad.content_hash = assay_api::content_hash(&bad.content);
        let path = dir.path().join("crafted.json");
        assay_api::write_bundle(&path, &bad).unwrap();
        let e = target.import_bundle_file(&path).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_bundle", "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
    assert!(target.list_assessments().unwrap().is_empty());
    target.import_bundle_file(&file).unwrap();
    assert_eq!(target.export_bundle(&id).unwrap().content, bundle.content);
}

#[test]
fn malformed_files_get_a_typed_error_from_the_api_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = 0;
    let origin_dir = tempfile::tempdir().unwrap();
    let mut origin = open(origin_dir.path());
    let id = new_assessment(&mut origin, "Files");
    let good = dir.path().join("good.json");
    let bundle = origin.export_bundle_file(&id, &good).unwrap();
    let mut target = open(dir.path());
    new_assessment(&mut target, "Already here");
    let before = checks::state(&target);
    for (kind, path) in
        checks::malformed(&dir.path().join("bundles"), &std::fs::read(&good).unwrap())
    {
        let attempts = [
            target.import_bundle_file(&path).map(drop),
            target.merge_bundle_files(&path, &good).map(drop),
            target.merge_bundle_files(&good, &path).map(drop),
        ];
        for result in attempts {
            cases += 1;
            match (bundle_refusal(kind), result) {
                (Some((code, says)), Err(e)) => {
                    assert_eq!(e.code().as_str(), code, "{kind}: {e}");
                    assert!(e.to_string().contains(says), "{kind}: {e}");
                }
                (None, Ok(())) => {}
                (expected, result) => panic!("{kind}: {result:?}, expected {expected:?}"),
            }
        }
        assert_eq!(
            checks::state(&target),
            before,
            "{kind} changed the database"
        );
        if kind == "BOM" {
            let copy = tempfile::tempdir().unwrap();
            open(copy.path()).import_bundle_file(&path).unwrap();
            assert_eq!(
                reopen(copy.path()).export_bundle(&id).unwrap().content,
                bundle.content
            );
        }
    }

    // Question banks: the root file and the files it names.
    let root = dir.path().join("bank/bank.toml");
    for file in assay_api::builtin_bank_paths() {
        let path = root.parent().unwrap().join(&file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, assay_api::builtin_bank_file(&file).unwrap()).unwrap();
    }
    assay_api::load_bank_file(&root).unwrap();
    let valid = std::fs::read(&root).unwrap();
    for (kind, path) in checks::malformed(root.parent().unwrap(), &valid) {
        cases += 1;
        let says = match kind {
            "invalid UTF-8" | "invalid UTF-8 in a string" => Some("did not contain valid UTF-8"),
            "blank" | "0 bytes" => Some("missing field"),
            "directory" | "missing" => Some("cannot read the file"),
            _ => None,
        };
        match (
            says,
            assay_api::load_bank_file(&path).map_err(ApiError::from),
        ) {
            (Some(says), Err(e)) => {
                assert_eq!(e.code().as_str(), "invalid_bank", "{kind}: {e}");
                assert!(e.to_string().contains(says), "{kind}: {e}");
            }
            (None, Ok(bank)) => assert_eq!(bank, assay_api::builtin_bank().unwrap()),
            (says, result) => panic!("bank {kind}: {:?}, expected {says:?}", result.map(drop)),
        }
    }
    cases += 1;
    let people = root.parent().unwrap().join("questions/people.toml");
    std::fs::write(&people, b"[[question]]\nid = \"\xff\"\n").unwrap();
    let e = assay_api::load_bank_file(&root).unwrap_err().to_string();
    assert!(
        e.starts_with("questions/people.toml: cannot read the file"),
        "{e}"
    );

    // Database files: what is not SQLite is refused and left as it was.
    for (kind, path) in checks::malformed(&dir.path().join("db"), b"name,\"score\"\n") {
        cases += 1;
        let bytes = std::fs::read(&path).ok();
        match Assay::open(&path, Box::new(SystemClock)) {
            Ok(_) => assert!(["0 bytes", "missing"].contains(&kind), "{kind} opened"),
            Err(e) => {
                assert_eq!(e.code().as_str(), "not_a_database", "{kind}: {e}");
                assert!(
                    e.to_string().contains("is not an Assay database"),
                    "{kind}: {e}"
                );
                assert_eq!(std::fs::read(&path).ok(), bytes, "{kind} was changed");
            }
        }
    }
    eprintln!("hostile_input: {cases} malformed-file cases through the API");
}

#[test]
fn malformed_files_get_one_line_and_a_status_from_the_cli_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let new = [
        "assessment",
        "new",
        "--scope",
        "Files",
        "--participant",
        "Ana:Lead",
    ];
    let id = checks::cli_ok(&db, &new).trim().to_owned();
    checks::cli_ok(&db, &["answer", "-a", &id, "-q", "GOV-1", "-l", "2"]);
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (good, report, merged) = (path("good.json"), path("good.html"), path("merged.json"));
    checks::cli_ok(&db, &["bundle", "export", "-a", &id, "-o", &good]);
    checks::cli_ok(&db, &["report", "-a", &id, "-f", "html", "-o", &report]);
    let state = || {
        let reads: [&[&str]; 4] = [
            &["assessment", "list", "--json"],
            &["assessment", "show", &id, "--json"],
            &["verify"],
            &["evidence", "--json"],
        ];
        reads.map(|args| checks::cli_ok(&db, args)).concat()
    };
    let before = state();

    type Args = Box<dyn Fn(&str) -> Vec<String>>;
    let args = |words: &[&str]| -> Vec<String> { words.iter().map(|w| w.to_string()).collect() };
    let paths: [(&str, Vec<u8>, Args); 6] = [
        (
            "bundle import",
            std::fs::read(&good).unwrap(),
            Box::new(move |f| args(&["bundle", "import", f])),
        ),
        ("bundle merge, first", std::fs::read(&good).unwrap(), {
            let (good, merged) = (good.clone(), merged.clone());
            Box::new(move |f| args(&["bundle", "merge", f, &good, "-o", &merged]))
        }),
        ("bundle merge, second", std::fs::read(&good).unwrap(), {
            let (good, merged) = (good.clone(), merged.clone());
            Box::new(move |f| args(&["bundle", "merge", &good, f, "-o", &merged]))
        }),
        (
            "verify",
            std::fs::read(&report).unwrap(),
            Box::new(move |f| args(&["verify", f])),
        ),
        (
            "CA certificate",
            b"not a \"certificate\"\n".to_vec(),
            Box::new(move |f| {
                let url = "http://127.0.0.1:9";
                args(&[
                    "import",
                    "mlflow",
                    "--url",
                    url,
                    "--experiment",
                    "e",
                    "--ca-cert",
                    f,
                ])
            }),
        ),
        (
            "database",
            b"name,\"score\"\n".to_vec(),
            Box::new(move |_| args(&["assessment", "list"])),
        ),
    ];
    let mut cases = 0;
    for (name, valid, command) in paths {
        let files = dir.path().join(name.replace([' ', ','], "-"));
        for (kind, file) in checks::malformed(&files, &valid) {
            cases += 1;
            let says = match (name, kind) {
                ("database", "0 bytes" | "missing") => None,
                ("database", _) => Some("is not an Assay database"),
                ("verify", "invalid UTF-8" | "invalid UTF-8 in a string") => {
                    Some("neither a PDF nor UTF-8 HTML")
                }
                ("verify", "blank" | "0 bytes") => Some("no content hash found"),
                ("verify", "BOM") => Some("edited after export"),
                ("CA certificate", "directory" | "missing") => {
                    Some("cannot read the CA certificate")
                }
                ("CA certificate", _) => Some("holds no certificate"),
                (_, kind) => bundle_refusal(kind).map(|(_, says)| says),
            };
            let text = file.to_str().unwrap();
            let (on, copy) = match name {
                "database" => (file.clone(), None),
                _ if says.is_none() => {
                    let copy = tempfile::tempdir().unwrap();
                    (copy.path().join("assay.db"), Some(copy))
                }
                _ => (db.clone(), None),
            };
            let bytes = std::fs::read(&file).ok();
            let run = checks::assay_cli(
                &on,
                &command(text).iter().map(String::as_str).collect::<Vec<_>>(),
            );
            let what = format!("{name}, {kind}: {}{}", run.stdout, run.stderr);
            match says {
                None => {
                    assert_eq!(run.status, 0, "{what}");
                    let imported = run.stdout.starts_with(&format!("Imported assessment {id}"));
                    assert!(name != "bundle import" || imported, "{what}");
                }
                Some(says) => {
                    assert!(run.status > 0, "{what}");
                    if name == "CA certificate" {
                        assert_eq!(run.status, 2, "invalid input: {what}");
                    }
                    assert_eq!(run.stderr.lines().count(), 1, "{what}");
                    assert!(
                        run.stderr.starts_with("error: ") && run.stderr.contains(says),
                        "{what}"
                    );
                    assert_eq!(std::fs::read(&file).ok(), bytes, "{what}: the file changed");
                }
            }
            drop(copy);
        }
        assert_eq!(state(), before, "{name}: the database changed");
    }
    eprintln!("hostile_input: {cases} malformed-file cases through the CLI");
}
