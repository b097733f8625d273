//! An HTML report as a browser prints it: Chromium's PDF, its text, and the words of the
//! report's tables that the printout breaks across lines.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::run_tool;

/// Prints `page` with headless Chromium (A4, the report's own print stylesheet) and returns
/// the printout's text as pdftotext reads it.
pub fn printed_text(page: &Path, pdf: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", page.display());
    run_tool(
        "chromium",
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            &format!("--user-data-dir={}", profile.path().display()),
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &url,
        ],
    );
    run_tool("pdftotext", &[&pdf.to_string_lossy(), "-"])
}

/// The words of at least five letters in the table cells of `html`.
pub fn table_words(html: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for cell in html.split("<td").chain(html.split("<th")).skip(1) {
        let Some(start) = cell.find('>') else {
            continue;
        };
        let end = cell.find("</t").unwrap_or(cell.len());
        let mut text = String::new();
        let mut in_tag = false;
        for c in cell[start + 1..end.max(start + 1)].chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        for word in text.split(|c: char| !c.is_alphabetic()) {
            if word.chars().count() >= 5 {
                words.insert(word.to_owned());
            }
        }
    }
    words
}

/// Line ends of `text` that break a table word: the last piece of a line joined with the start
/// of the next lines ("Cov" / "ere" / "d") makes a word of the tables although the first piece
/// is not one itself.
pub fn split_words(text: &str, words: &BTreeSet<String>) -> Vec<String> {
    let trim = |piece: &str| piece.trim_matches(|c: char| !c.is_alphabetic()).to_owned();
    let lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split_whitespace().map(trim).collect::<Vec<_>>())
        .filter(|l: &Vec<String>| !l.is_empty())
        .collect();
    let mut broken = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(first) = line.last().filter(|p| !p.is_empty() && !words.contains(*p)) else {
            continue;
        };
        let mut joined = first.clone();
        let mut shown = first.clone();
        // A word split in a narrow column runs over at most a few lines.
        for next in lines.iter().skip(i + 1).take(3) {
            let piece = &next[0];
            joined.push_str(piece);
            shown.push('|');
            shown.push_str(piece);
            if words.contains(&joined) && !words.contains(piece) {
                broken.push(shown.clone());
                break;
            }
            if next.len() > 1 {
                break;
            }
        }
    }
    broken
}
