//! Checks and files for `tests/hostile_input.rs`: an HTML report that can neither run nor
//! load anything, a PDF that every tool reads, malformed versions of a valid file, and the
//! `assay` binary run the way tests/cli.rs runs it.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assay_api::Assay;

use crate::support::{chromium_dom, hostile_strings, run_tool};

/// Elements that fetch, embed or run something; a report has none of them.
const ACTIVE: [&str; 16] = [
    "img", "iframe", "frame", "frameset", "object", "embed", "link", "base", "audio", "video",
    "source", "image", "use", "form", "input", "portal",
];

/// The tag's name and its attributes (name, value), read as a browser reads them.
fn parse_tag(tag: &str) -> (String, Vec<(String, String)>) {
    let tag = tag.to_ascii_lowercase();
    let mut rest = tag.trim_start_matches('/');
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let name = rest[..end].trim_end_matches('/').to_owned();
    rest = &rest[end..];
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return (name, attributes);
        }
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..end].to_owned();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (quote, body) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &after[1..]),
                _ => (None, after),
            };
            let end = match quote {
                Some(q) => body.find(q).unwrap_or(body.len()),
                None => body.find(char::is_whitespace).unwrap_or(body.len()),
            };
            value = body[..end].to_owned();
            rest = body.get(end + usize::from(quote.is_some())..).unwrap_or("");
        }
        attributes.push((key, value));
    }
}

/// The report holds no hostile string with markup verbatim; every tag in it (text is escaped,
/// so every `<` opens one the template wrote) neither loads nor runs anything; links go to
/// the page itself or to https; and Chromium, with and without the page's CSP, runs no script.
pub fn assert_inert(page: &Path) {
    let html = std::fs::read_to_string(page).unwrap();
    for hostile in hostile_strings().iter().filter(|s| s.contains('<')) {
        assert!(!html.contains(hostile.as_str()), "unescaped: {hostile}");
    }
    let (mut tags, mut scripts) = (0, 0);
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("an unclosed tag")];
        let (name, attributes) = parse_tag(tag);
        tags += 1;
        scripts += usize::from(name == "script" && !tag.starts_with('/'));
        assert!(!ACTIVE.contains(&name.as_str()), "<{tag}>");
        for (key, value) in attributes {
            let loads = [
                "src",
                "srcset",
                "srcdoc",
                "data",
                "formaction",
                "xlink:href",
            ];
            assert!(
                !key.starts_with("on") && !loads.contains(&key.as_str()),
                "<{tag}>"
            );
            assert!(
                !value.contains("javascript:") && !value.contains("url("),
                "<{tag}>"
            );
            if key == "href" {
                let local_or_https = value.starts_with('#') || value.starts_with("https://");
                assert!(local_or_https, "<{tag}>");
            }
        }
    }
    assert!(tags > 100, "only {tags} tags: {page:?} is not a report");
    assert_eq!(scripts, 1, "the only script element is the data block");
    assert!(html.contains(assay_reports::html::DATA_START));

    let dom = chromium_dom(page);
    assert!(dom.contains("assay-content-hash"), "the page did not load");
    assert!(!dom.contains("XSSRAN"), "a hostile script ran");
    let start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let end = start + html[start..].find('>').unwrap() + 1;
    let no_csp = page.with_extension("no-csp.html");
    std::fs::write(&no_csp, format!("{}{}", &html[..start], &html[end..])).unwrap();
    assert!(
        !chromium_dom(&no_csp).contains("XSSRAN"),
        "ran without the CSP"
    );
}

/// qpdf finds nothing wrong, poppler renders every page; returns the PDF's text.
pub fn assert_pdf_renders(pdf: &Path) -> String {
    let path = pdf.to_str().unwrap();
    run_tool("qpdf", &["--check", path]);
    let pages: usize = run_tool("pdfinfo", &[path])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let prefix = out.path().join("page");
    run_tool(
        "pdftoppm",
        &["-r", "12", "-png", path, prefix.to_str().unwrap()],
    );
    let rendered = std::fs::read_dir(out.path()).unwrap().count();
    assert_eq!(
        rendered, pages,
        "pdftoppm rendered {rendered} of {pages} pages"
    );
    run_tool("pdftotext", &["-layout", path, "-"])
}

/// Every way a user's file can be wrong, made from a valid file's bytes, named, in `dir`:
/// invalid UTF-8, one invalid byte inside the first quoted string, blank, 0 bytes, a UTF-8
/// byte-order mark before the valid bytes, a directory, a missing file.
pub fn malformed(dir: &Path, valid: &[u8]) -> Vec<(&'static str, PathBuf)> {
    let mut inside = valid.to_vec();
    inside.insert(valid.iter().position(|b| *b == b'"').unwrap() + 1, 0xff);
    let bom = [b"\xef\xbb\xbf".as_slice(), valid].concat();
    let files: [(&str, &[u8]); 5] = [
        ("invalid UTF-8", b"\xff\xfe\x00garbage"),
        ("invalid UTF-8 in a string", &inside),
        ("blank", b" \n\t\n"),
        ("0 bytes", b""),
        ("BOM", &bom),
    ];
    std::fs::create_dir_all(dir).unwrap();
    let mut out = Vec::new();
    for (kind, bytes) in files {
        let path = dir.join(kind.replace(' ', "-"));
        std::fs::write(&path, bytes).unwrap();
        out.push((kind, path));
    }
    let directory = dir.join("a-directory");
    std::fs::create_dir_all(&directory).unwrap();
    out.push(("directory", directory));
    out.push(("missing", dir.join("no-such-file")));
    out
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The `assay` binary on `db`, with its home in `db`'s directory and no tracker settings.
pub fn assay_cli(db: &Path, args: &[&str]) -> Run {
    let home = db.parent().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_assay"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ASSAY_DB")
        .env_remove("MLFLOW_TRACKING_URI")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

pub fn cli_ok(db: &Path, args: &[&str]) -> String {
    let run = assay_cli(db, args);
    assert_eq!(run.status, 0, "assay {args:?}: {}", run.stderr);
    run.stdout
}

/// What a file of this kind gets from a path reading bundles: `None` when it is accepted.
pub fn bundle_refusal(kind: &str) -> Option<(&'static str, &'static str)> {
    match kind {
        "invalid UTF-8" | "invalid UTF-8 in a string" => Some(("invalid_bundle", "not UTF-8 text")),
        "blank" | "0 bytes" => Some(("invalid_bundle", "it is empty")),
        "directory" => Some(("io", "Is a directory")),
        "missing" => Some(("io", "No such file")),
        _ => None,
    }
}

/// Everything the API shows of a database, to compare before and after.
pub fn state(assay: &Assay) -> String {
    let mut out = format!("{:?}", assay.list_assessments().unwrap());
    for summary in assay.list_assessments().unwrap() {
        out.push_str(&assay.export_bundle(&summary.id).unwrap().content_hash);
    }
    let events = assay.verify_audit_trail().unwrap().events;
    format!(
        "{out} {events} events, {} projects",
        assay.evidence(None).unwrap().len()
    )
}
