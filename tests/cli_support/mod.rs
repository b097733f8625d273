//! Running the `assay` binary in a workspace of its own: shared by the command-line tests.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }
}

pub fn assay_in(home: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_assay"))
        .args(args)
        .env_remove("ASSAY_DB")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .output()
        .unwrap()
        .into()
}

pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("assay.db");
        Workspace { dir, db }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--db", self.db.to_str().unwrap()];
        all.extend_from_slice(args);
        assay_in(self.dir.path(), &all)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.status, 0, "assay {args:?} failed: {}", run.stderr);
        run.stdout
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Expects a refusal: the given status and exactly one line on stderr.
    pub fn refused(&self, args: &[&str], status: i32) -> String {
        let run = self.run(args);
        assert_eq!(
            run.status, status,
            "assay {args:?}: {}{}",
            run.stdout, run.stderr
        );
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "not one line: {:?}",
            run.stderr
        );
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        run.stderr.trim_end().to_owned()
    }
}
