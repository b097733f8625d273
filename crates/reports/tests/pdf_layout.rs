//! The PDF layout engine checked with the real tools: qpdf, pdffonts, pdfinfo, pdftotext.
//! A missing tool fails the test (install poppler-utils and qpdf).

#![allow(clippy::unwrap_used)]

mod pdf_support;

use std::path::PathBuf;
use std::time::Instant;

use pdf_support::*;

struct Rendered {
    _dir: tempfile::TempDir,
    path: PathBuf,
    bytes: Vec<u8>,
    pages: usize,
}

impl Rendered {
    fn file(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

fn render(table_rows: usize) -> Rendered {
    let doc = sample_document(table_rows);
    let pages = doc.page_count();
    let bytes = doc.finish().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &bytes).unwrap();
    Rendered {
        _dir: dir,
        path,
        bytes,
        pages,
    }
}

#[test]
fn qpdf_finds_no_errors() {
    let r = render(60);
    let out = tool("qpdf", &["--check", r.file()]);
    assert!(
        out.contains("No syntax or stream encoding errors found"),
        "{out}"
    );
}

#[test]
fn fonts_are_embedded_and_subset() {
    let r = render(20);
    let out = tool("pdffonts", &[r.file()]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "two fonts expected:\n{out}");
    for face in ["DejaVuSans", "DejaVuSans-Bold"] {
        let row = rows
            .iter()
            .find(|l| {
                l.split_whitespace()
                    .next()
                    .is_some_and(|n| n.ends_with(&format!("+{face}")))
            })
            .unwrap_or_else(|| panic!("{face} missing or without a subset tag:\n{out}"));
        let t: Vec<&str> = row.split_whitespace().collect();
        let (emb, sub, uni) = (t[t.len() - 5], t[t.len() - 4], t[t.len() - 3]);
        assert_eq!((emb, sub, uni), ("yes", "yes", "yes"), "{row}");
        let tag = t[0].split('+').next().unwrap();
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{row}"
        );
    }
}

#[test]
fn metadata_is_shown_by_pdfinfo() {
    let r = render(20);
    let out = tool("pdfinfo", &["-isodates", r.file()]);
    let field = |k: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}:")).map(str::trim))
            .unwrap_or_else(|| panic!("no {k} in pdfinfo output:\n{out}"))
            .to_owned()
    };
    let info = info();
    assert_eq!(field("Title"), info.title);
    assert_eq!(field("Author"), info.author);
    assert_eq!(field("Subject"), info.subject);
    assert_eq!(field("Keywords"), info.keywords.join(", "));
    assert_eq!(field("Creator"), info.creator);
    assert_eq!(field("Producer"), info.producer);
    assert!(
        field("CreationDate").starts_with("2026-03-05T10:30:00"),
        "{out}"
    );
    assert!(field("ModDate").starts_with("2026-03-06T08:15:45"), "{out}");
    assert_eq!(field("Pages"), r.pages.to_string());
    assert!(field("Page size").contains("(A4)"), "{out}");
}

#[test]
fn outline_lists_the_sections_in_order() {
    let r = render(60);
    let out = tool("qpdf", &["--json", "--json-key=outlines", r.file()]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let outlines = json["outlines"].as_array().unwrap();
    let titles: Vec<&str> = outlines
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["1. Summary", "2. Findings", "3. Long evidence", "Appendix"]
    );
    let pages: Vec<u64> = outlines
        .iter()
        .map(|o| o["destpageposfrom1"].as_u64().unwrap())
        .collect();
    assert_eq!(pages[0], 2, "{out}");
    assert!(
        pages.windows(2).all(|w| w[0] <= w[1]) && pages[3] > pages[0],
        "{pages:?}"
    );
}

#[test]
fn text_comes_out_in_reading_order_with_header_and_footer_on_every_page() {
    let rows = 90;
    let r = render(rows);
    let text = tool("pdftotext", &["-layout", r.file(), "-"]);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages.len(), r.pages, "pdftotext pages");
    assert!(
        r.pages >= 6,
        "expected a long document, got {} pages",
        r.pages
    );
    let mut table_pages = 0;
    let mut next_row = 1;
    for (i, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        let first = lines.first().unwrap();
        let last = lines.last().unwrap();
        assert!(
            first.contains(HEADER_LEFT),
            "page {}: header first, got {first:?}",
            i + 1
        );
        let label = format!("Page {} of {}", i + 1, r.pages);
        assert!(
            last.contains(&label) && last.contains(FOOTER_LEFT),
            "page {}: {last:?}",
            i + 1
        );
        // Rows of the findings table on this page, in order, each under a header row.
        let mut rows_here = 0;
        for line in &lines {
            while next_row <= rows && line.contains(&format!("F-{next_row:04}")) {
                next_row += 1;
                rows_here += 1;
            }
        }
        if rows_here > 0 || page.contains("Evidence line") {
            table_pages += 1;
            let header = lines
                .iter()
                .position(|l| l.contains("Finding and evidence") || l.contains("Long evidence"));
            let body = lines
                .iter()
                .position(|l| l.contains("F-") || l.contains("Evidence line"));
            assert!(
                header.is_some(),
                "page {}: table rows without a header row",
                i + 1
            );
            assert!(header < body, "page {}: header row after the rows", i + 1);
        }
    }
    assert_eq!(next_row, rows + 1, "all table rows found, in order");
    assert!(table_pages >= 4, "the tables cross pages: {table_pages}");
    // The 150-line cell is split across pages and every line survives, in order.
    let mut at = 0;
    for i in 1..=150 {
        let needle = format!("Evidence line {i} of the long cell.");
        at += text[at..]
            .find(&needle)
            .unwrap_or_else(|| panic!("{needle} missing or out of order"));
    }
    // Section order.
    let order = [
        "1. Summary",
        "1.1 Scores by pillar",
        "2. Findings",
        "3. Long evidence",
        "Glyph coverage",
    ];
    let pos: Vec<usize> = order.iter().map(|s| text.find(s).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    assert!(
        text.contains("Governance") && text.contains("People"),
        "chart labels are text"
    );
}

#[test]
fn non_ascii_is_extracted_and_missing_glyphs_are_replaced_visibly() {
    let doc = sample_document(5);
    let missing: String = doc.missing_glyphs().iter().collect();
    assert_eq!(missing, "\u{13000}🚀");
    let r = render(5);
    let text = tool("pdftotext", &[r.file(), "-"]);
    for s in [
        "Größe",
        "café",
        "Ελληνικά",
        "Кириллица",
        "→ ← ↑",
        "em dash —",
        "Chloé",
        "0–4",
    ] {
        assert!(text.contains(s), "{s} not extracted");
    }
    assert!(
        text.contains("Hieroglyph \u{FFFD} and emoji [rocket]"),
        "replacement or emoji name missing"
    );
    assert!(!text.contains('\u{13000}') && !text.contains('🚀'));
}

#[test]
fn same_input_gives_identical_bytes() {
    let a = render(30).bytes;
    // Something else in between moves any process-wide counter printpdf keeps.
    let _ = render(3);
    let b = render(30).bytes;
    assert!(a == b, "two renders differ");
    let c = std::thread::spawn(|| render(30).bytes).join().unwrap();
    assert!(a == c, "a render on another thread differs");
}

#[test]
fn an_empty_document_is_one_valid_page() {
    let doc = assay_reports::pdf::layout::Document::new(info(), running());
    assert_eq!(doc.page_count(), 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.pdf");
    std::fs::write(&path, doc.finish().unwrap()).unwrap();
    let out = tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(
        out.contains("No syntax or stream encoding errors found"),
        "{out}"
    );
}

/// `cargo test --release -p assay-reports --test pdf_layout -- --ignored --nocapture bench`
#[test]
#[ignore = "benchmark: run in release"]
fn bench_fifty_pages() {
    let (mut layout, mut total) = (Vec::new(), Vec::new());
    let mut summary = String::new();
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    for _ in 0..runs {
        let start = Instant::now();
        let doc = sample_document(800);
        layout.push(start.elapsed().as_secs_f64() * 1e3);
        let pages = doc.page_count();
        let bytes = doc.finish().unwrap();
        total.push(start.elapsed().as_secs_f64() * 1e3);
        summary = format!("{pages} pages, {} KB", bytes.len() / 1024);
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        format!(
            "min {:.1} ms, median {:.1} ms, max {:.1} ms",
            v[0],
            v[v.len() / 2],
            v[v.len() - 1]
        )
    };
    eprintln!(
        "{summary}\n  layout: {}\n  total:  {}",
        stats(&mut layout),
        stats(&mut total)
    );
}

/// Writes the sample report to `$ASSAY_PDF_OUT` for looking at it.
#[test]
#[ignore = "writes a file for inspection"]
fn write_sample_pdf() {
    let out = std::env::var("ASSAY_PDF_OUT").unwrap_or_else(|_| "/tmp/assay-sample.pdf".into());
    std::fs::write(out, sample_document(90).finish().unwrap()).unwrap();
}
