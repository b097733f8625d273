//! Text beyond DejaVu's left-to-right scripts, checked with poppler: CJK drawn in the
//! fallback face (embedded only in a document that uses it), Arabic joined and Arabic and
//! Hebrew laid out right to left, emoji drawn as their names. A missing tool fails the test
//! (install poppler-utils).

#![allow(clippy::unwrap_used)]

mod pdf_support;

use assay_reports::pdf::fonts::TextEngine;
use assay_reports::pdf::layout::{Document, TextStyle};
use assay_reports::pdf::text;
use pdf_support::*;

pub const CHINESE: &str = "审计报告已完成";
pub const JAPANESE: &str = "ひらがなとカタカナの監査";
pub const KOREAN: &str = "감사 보고서 검토";
pub const ARABIC: &str = "تقرير التدقيق";
pub const HEBREW: &str = "דוח ביקורת";
/// Lam followed by alef is drawn as one glyph, a ligature.
pub const LAM_ALEF: &str = "السلام عليكم";
pub const MIXED: &str = "The review was led by שרה כהן from the risk team.";
/// DejaVu draws some emoji (😀) in black and white; these two no font has.
pub const EMOJI: &str = "Shipped 🚀 on time 🎉";

struct Pdf {
    _dir: tempfile::TempDir,
    path: String,
}

fn save(doc: Document) -> Pdf {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scripts.pdf");
    std::fs::write(&path, doc.finish().unwrap()).unwrap();
    Pdf {
        path: path.to_str().unwrap().to_owned(),
        _dir: dir,
    }
}

/// A title, a participant and a note in every script, as a report would show them.
fn scripts_document() -> Document {
    let mut doc = Document::new(info(), running());
    doc.heading(1, &format!("Audit {CHINESE}"));
    doc.key_values(&[
        ("Participant".into(), format!("{KOREAN} · {HEBREW}")),
        ("Reviewer".into(), format!("{ARABIC} · {JAPANESE}")),
    ]);
    doc.paragraph(MIXED, TextStyle::body());
    doc.paragraph(&format!("Note: {EMOJI}"), TextStyle::body());
    doc.paragraph(ARABIC, TextStyle::strong());
    doc.paragraph(HEBREW, TextStyle::strong());
    doc.paragraph(LAM_ALEF, TextStyle::body());
    doc
}

/// Lines of `pdftotext` output (reading order), without blank ones.
fn lines(pdf: &Pdf) -> Vec<String> {
    tool("pdftotext", &[&pdf.path, "-"])
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// poppler marks each right-to-left run it puts back in logical order with U+202B
/// (right-to-left embedding) and U+202C (pop); the runs end with our U+200E
/// (left-to-right mark). Without these invisible controls a line reads as written.
fn plain(line: &str) -> String {
    line.chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{202B}' | '\u{202C}'))
        .collect()
}

#[test]
fn every_script_extracts() {
    let doc = scripts_document();
    let missing: String = doc.missing_glyphs().iter().collect();
    assert_eq!(missing, "🎉🚀", "emoji are still listed as not shown");
    let pdf = save(doc);
    // ASSAY_KEEP_PDF=FILE keeps the document for a look (`pdftoppm -r 80 -png FILE page`).
    if let Ok(to) = std::env::var("ASSAY_KEEP_PDF") {
        std::fs::copy(&pdf.path, to).unwrap();
    }
    let lines = lines(&pdf);
    let all = lines.join("\n");
    let has = |want: &str| {
        assert!(
            lines.iter().any(|l| plain(l).contains(want)),
            "{want:?} not extracted from:\n{all}"
        );
    };
    // CJK comes out exactly as written.
    has(&format!("Audit {CHINESE}"));
    has(JAPANESE);
    has(KOREAN);
    // Right-to-left text comes out in logical order, joined Arabic as its letters, a
    // lam-alef ligature as lam then alef.
    has(&format!("{KOREAN} · {HEBREW}"));
    has(&format!("{ARABIC} · {JAPANESE}"));
    has(MIXED);
    has(LAM_ALEF);
    has("Note: Shipped [rocket] on time [party popper]");
    // Exactly what poppler gives for the mixed sentence.
    let mixed = "The review was led by \u{202B}שרה כהן\u{202C}\u{200E} from the risk team.";
    assert!(lines.iter().any(|l| l == mixed), "{all}");
    assert!(
        lines.iter().any(|l| l == "\u{202B}تقرير التدقيق\u{202C}"),
        "{all}"
    );
    assert!(
        lines.iter().any(|l| l == "\u{202B}דוח ביקורת\u{202C}"),
        "{all}"
    );
}

#[test]
fn the_fallback_face_is_embedded_only_when_used() {
    let out = tool("pdffonts", &[&save(scripts_document()).path]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(rows.len(), 3, "{out}");
    let fallback = rows
        .iter()
        .find(|r| r.contains("DroidSansFallback"))
        .unwrap_or_else(|| panic!("no fallback face:\n{out}"));
    let cols: Vec<&str> = fallback.split_whitespace().collect();
    assert_eq!(
        &cols[cols.len() - 5..cols.len() - 2],
        &["yes", "yes", "yes"],
        "not embedded, subset and unicode: {fallback}"
    );

    let mut latin = Document::new(info(), running());
    latin.heading(1, "Audit");
    latin.paragraph(NON_ASCII, TextStyle::body());
    let out = tool("pdffonts", &[&save(latin).path]);
    assert!(!out.contains("DroidSansFallback"), "{out}");
    assert_eq!(out.lines().skip(2).count(), 2, "{out}");
}

#[test]
fn the_fallback_face_is_a_small_subset() {
    let bytes = scripts_document().finish().unwrap();
    // The whole face is 3.4 MB; the glyphs of a few dozen characters are a few kilobytes.
    assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
}

#[test]
fn wrapped_lines_fit_as_drawn() {
    let engine = TextEngine::Unicode;
    let long = format!("{MIXED} {ARABIC} {CHINESE}{JAPANESE} {KOREAN} ").repeat(4);
    for width in [80.0, 150.0, 300.0] {
        for line in text::wrap(&long, width, 9.5, false, engine) {
            let w = text::text_width(&line, 9.5, false, engine);
            assert!(w <= width + 0.01, "{line:?} is {w} wide, more than {width}");
        }
    }
}

#[test]
fn the_old_engine_still_draws_as_before() {
    let mut doc = Document::with_engine(info(), running(), TextEngine::DejaVuOnly);
    doc.paragraph(&format!("{CHINESE} {HEBREW} {EMOJI}"), TextStyle::body());
    let missing: String = doc.missing_glyphs().iter().collect();
    assert!(
        missing.contains('审') && missing.contains('🚀'),
        "{missing}"
    );
    let out = tool("pdffonts", &[&save(doc).path]);
    assert!(!out.contains("DroidSansFallback"), "{out}");
}
