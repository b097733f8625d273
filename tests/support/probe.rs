//! The field-by-field harness of `tests/hostile_input.rs`: every probe string through one
//! field's setter, each either stored verbatim or refused with a typed error that says why
//! and writes nothing; the stored ones are kept to be read back from a fresh `Assay`.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assay_api::{ApiError, Assay};
use rusqlite::Connection;

use crate::support::hostile_strings;

pub const SHORT: usize = 200;
pub const LONG: usize = 20_000;

/// The shared hostile strings and a few more that only limits can stop.
pub fn probes() -> Vec<String> {
    let mut all = hostile_strings();
    for s in &all {
        assert_eq!(s.trim(), s, "verbatim below means exactly as given");
    }
    all.extend(["NUL\0inside", " \t\n ", "%%%%", "____"].map(String::from));
    all.extend(["y".repeat(SHORT + 1), "z".repeat(LONG + 1)]);
    all
}

pub fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[derive(Clone, Copy)]
pub enum Rule {
    /// Trimmed; refused over `max` characters or with a NUL; blank text is refused with a
    /// message containing `blank`, or (`None`) clears the field.
    Text {
        max: usize,
        blank: Option<&'static str>,
    },
    /// Kept exactly as given unless `refuse` says so: then error `code`, saying `says`.
    AsGiven {
        refuse: fn(&str) -> bool,
        code: &'static str,
        says: &'static str,
    },
    /// The name of something that must exist, or a keyword: refused with `code`.
    Lookup(&'static str),
    /// A web link: checked as [`Rule::Text`], then refused unless it is an http(s) address.
    WebLink { max: usize, blank: &'static str },
    /// A linked file: checked as [`Rule::Text`], then refused unless it names a readable file
    /// (its digest is recorded).
    FilePath { max: usize, blank: &'static str },
}

pub const fn text(max: usize, blank: &'static str) -> Rule {
    Rule::Text {
        max,
        blank: Some(blank),
    }
}

/// Kept as given unless blank: then refused, saying `says`.
pub const fn unless_blank(says: &'static str) -> Rule {
    Rule::AsGiven {
        refuse: |s| s.trim().is_empty(),
        code: "invalid_input",
        says,
    }
}

pub const fn clearable(max: usize) -> Rule {
    Rule::Text { max, blank: None }
}

enum Expect {
    Stored(String),
    Refused(&'static str, &'static str),
}

fn expect(rule: Rule, input: &str) -> Expect {
    match rule {
        Rule::Text { max, blank } => {
            let text = input.trim();
            match blank {
                _ if text.chars().count() > max => Expect::Refused("invalid_input", "longer than"),
                _ if text.contains('\0') => Expect::Refused("invalid_input", "NUL character"),
                Some(says) if text.is_empty() => Expect::Refused("invalid_input", says),
                _ => Expect::Stored(text.to_owned()),
            }
        }
        Rule::WebLink { max, blank } => match expect(text(max, blank), input) {
            Expect::Stored(link) if !is_web_address(&link) => {
                Expect::Refused("invalid_input", "http:// or https://")
            }
            other => other,
        },
        Rule::FilePath { max, blank } => match expect(text(max, blank), input) {
            Expect::Stored(path) if std::fs::read(&path).is_err() => {
                Expect::Refused("invalid_input", "cannot be read")
            }
            other => other,
        },
        Rule::AsGiven { refuse, code, says } if refuse(input) => Expect::Refused(code, says),
        Rule::AsGiven { .. } => Expect::Stored(input.to_owned()),
        Rule::Lookup(code) => Expect::Refused(code, ""),
    }
}

/// An http(s) address with something after the scheme, in any case.
fn is_web_address(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    ["http://", "https://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && !lower[scheme.len()..].trim().is_empty())
}

/// Reads a stored value back, from the `Assay` given (the same one, or a fresh one).
pub type Read = Box<dyn Fn(&Assay) -> String>;

/// What a setter that should never succeed returns if it does.
pub fn never() -> Read {
    Box::new(|_| "<stored>".into())
}

pub struct Probe {
    pub tried: usize,
    pub stored: Vec<(String, String, Read)>,
    /// The database file of the `Assay` under test.
    db: PathBuf,
    /// A connection of the probe's own to `db`, to see whether the `Assay` committed.
    reader: Connection,
}

impl Probe {
    /// Probes the `Assay` whose database file is `db` (already created).
    pub fn new(db: &Path) -> Probe {
        let reader = Connection::open(db).unwrap();
        reader
            .busy_timeout(std::time::Duration::from_secs(5))
            .unwrap();
        Probe {
            tried: 0,
            stored: Vec::new(),
            db: db.to_owned(),
            reader,
        }
    }

    pub fn db(&self) -> &Path {
        &self.db
    }

    /// SQLite's `data_version` as the probe's connection sees it: it changes with every
    /// transaction another connection (the `Assay`) commits to the file.
    fn commits(&self) -> i64 {
        self.reader
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .unwrap()
    }

    /// Tries every probe string on one field through `set`.
    pub fn field(
        &mut self,
        assay: &mut Assay,
        field: &str,
        rule: Rule,
        mut set: impl FnMut(&mut Assay, &str) -> Result<Read, ApiError>,
    ) {
        for input in probes() {
            self.tried += 1;
            let what = format!("{field} = {:?}", clip(&input));
            let commits = self.commits();
            match (expect(rule, &input), set(assay, &input)) {
                (Expect::Stored(expected), Ok(read)) => {
                    assert!(read(assay) == expected, "{what}: not stored verbatim");
                    self.stored.push((what, expected, read));
                }
                (Expect::Refused(code, says), Err(e)) => {
                    let message = e.to_string();
                    assert_eq!(e.code().as_str(), code, "{what}: {}", clip(&message));
                    assert!(message.contains(says), "{what}: `{message}` lacks `{says}`");
                    assert_eq!(self.commits(), commits, "{what}: refused, yet written");
                }
                (Expect::Stored(_), Err(e)) => panic!("{what}: refused: {e}"),
                (Expect::Refused(_, says), Ok(read)) => {
                    panic!(
                        "{what}: stored as {:?}; expected `{says}`",
                        clip(&read(assay))
                    )
                }
            }
        }
    }

    /// Reads every stored value back through `fresh` (a new `Assay` on the same file).
    pub fn verify(&self, fresh: &Assay) {
        for (what, expected, read) in &self.stored {
            assert!(read(fresh) == *expected, "{what}: changed after reopening");
        }
    }
}
