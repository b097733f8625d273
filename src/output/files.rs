//! Files linked as evidence, checked against their recorded digests, as the CLI prints them.

use std::io::Write;

use assay_api::{FileState, LinkedFile};

use super::{Done, Output};

impl Output {
    pub fn linked_files(&mut self, files: &[LinkedFile]) -> Done {
        if self.json {
            return self.json(&files);
        }
        if files.is_empty() {
            say!(self, "no files are linked as evidence");
            return Ok(());
        }
        for file in files {
            let state = match file.state {
                FileState::Unchanged => "unchanged",
                FileState::Changed => "CHANGED since it was linked",
                FileState::Missing => "MISSING on this machine",
                FileState::NoDigest => "no digest recorded (linked before digests were kept)",
            };
            say!(self, "{}  {}: {state}", file.linked_to, file.path);
        }
        let stale = files
            .iter()
            .filter(|f| matches!(f.state, FileState::Changed | FileState::Missing))
            .count();
        say!(self, "{} files, {stale} changed or missing", files.len());
        Ok(())
    }
}
