//! Acceptance tests of the reports: the demo's HTML and PDF checked with the tools an auditor
//! would use (poppler, qpdf, a real browser), hostile text in every field, determinism and
//! `assay verify`. The tools are installed by scripts/test.sh; a missing tool fails the test.

#![allow(clippy::unwrap_used)]

#[path = "support/printed.rs"]
mod printed;
mod support;

use std::path::Path;

use assay_api::{ReportFormat, SequentialIds, SteppingClock};
use assay_reports::model::HashedModel;
use assay_reports::pdf::{self, fonts::TextEngine};
use assay_reports::verify::{self, Verdict};
use support::{chromium_dom, demo_assay, hostile_assay, hostile_strings, run_tool, scripts_assay};

fn pdf_text(path: &Path) -> String {
    run_tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"])
}

#[test]
fn demo_html_matches_the_golden_file_and_loads_nothing() {
    let (_dir, assay, id) = demo_assay();
    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/demo-report.html");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &html).unwrap();
    }
    let expected =
        std::fs::read_to_string(&golden).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    assert!(
        html == expected,
        "the demo HTML differs from {}; rerun with UPDATE_GOLDEN=1 after checking the change",
        golden.display()
    );

    for resource in [
        "src=", "<link", "url(", "@import", "<iframe", "<object", "<embed", "srcset",
    ] {
        assert!(
            !html.contains(resource),
            "a resource reference `{resource}` in the report"
        );
    }
    for (index, _) in html.match_indices("href=\"") {
        let target = &html[index + 6..];
        assert!(
            target.starts_with('#') || target.starts_with("https://"),
            "unexpected link {}",
            &target[..40.min(target.len())]
        );
    }
    // Handlebars writes the CSP's quotes as &#x27;, which the browser decodes.
    assert!(html.contains("Content-Security-Policy\" content=\"default-src &#x27;none&#x27;;"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "the only script element is the data block"
    );
    assert!(html.contains(assay_reports::html::DATA_START));
}

#[test]
fn demo_pdf_has_every_section_question_and_page_number_in_reading_order() {
    let (dir, assay, id) = demo_assay();
    let pdf = dir.path().join("demo.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    let text = pdf_text(&pdf);

    let mut at = 0;
    for (_, title) in assay_reports::html::SECTIONS {
        let found = text[at..]
            .find(&format!("{title}\n"))
            .or_else(|| text[at..].find(title));
        let found = found.unwrap_or_else(|| panic!("section {title} missing or out of order"));
        at += found + title.len();
    }
    for question in &assay.assessment_bank(&id).unwrap().bank.questions {
        assert!(
            text.contains(&question.id),
            "question {} missing",
            question.id
        );
    }
    // The roadmap (model version 4) sits in the summary, its first step the first gate the
    // next headline level waits on.
    let roadmap = assay.roadmap(&id).unwrap();
    let at = text
        .find("Roadmap to the next level")
        .expect("the summary has the roadmap");
    let first = &roadmap.steps[0];
    assert!(first.blocks_next);
    assert!(
        text[at..].contains(&format!("{} {}", first.question, first.title)),
        "the roadmap starts with {}",
        first.question
    );
    let pages: usize = run_tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert!(pages >= 10, "only {pages} pages");
    let mut at = 0;
    for page in 1..=pages {
        let label = format!("Page {page} of {pages}");
        at += text[at..]
            .find(&label)
            .unwrap_or_else(|| panic!("{label} missing or out of order"));
    }

    let fonts = run_tool("pdffonts", &[pdf.to_str().unwrap()]);
    let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(font_rows.len() >= 2, "{fonts}");
    for line in &font_rows {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(line.contains("DejaVuSans"), "{line}");
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            &["yes", "yes", "yes"],
            "not embedded, subset and unicode: {line}"
        );
    }
    let info = run_tool("pdfinfo", &[pdf.to_str().unwrap()]);
    for field in [
        "Title:           MLOps maturity assessment: Payments fraud detection",
        "Author:",
        "Subject:",
        "Keywords:",
        "Creator:         Assay",
        "Producer:        Assay",
        "CreationDate:",
        "ModDate:",
    ] {
        assert!(info.contains(field), "pdfinfo lacks {field}:\n{info}");
    }
    run_tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let outline = run_tool(
        "qpdf",
        &["--json", "--json-key=outlines", pdf.to_str().unwrap()],
    );
    for (_, title) in assay_reports::html::SECTIONS {
        assert!(outline.contains(title), "outline lacks {title}");
    }
}

#[test]
fn reports_are_byte_identical_for_the_same_data_and_verify() {
    let (dir, assay, id) = demo_assay();
    for format in [ReportFormat::Html, ReportFormat::Pdf] {
        let first = assay.render_report(&id, format).unwrap();
        let second = assay.render_report(&id, format).unwrap();
        assert!(
            first.bytes == second.bytes,
            "{format:?} differs between two renders"
        );
        let file = dir.path().join(format!("r.{}", format.extension()));
        assay.export_report(&id, format, &file).unwrap();
        let verified = assay_api::verify_report_file(&file).unwrap();
        assert_eq!(verified.content_hash, first.content_hash);
    }
}

/// Reports exported by earlier versions stay verifiable: the renderer draws a report in the
/// layout of the model version it embeds. These files are the demo as exported with model
/// version 1; they must never be regenerated.
#[test]
fn reports_of_model_version_1_still_verify() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/model-v1");
    for name in ["assay-demo-report.html", "assay-demo-report.pdf"] {
        let verified = assay_api::verify_report_file(&dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            verified.content_hash,
            "2a8c53d87c62eb23a2713c4c13bfd4b766865bf32bdb776aa7c95dbf97240c8c",
            "{name}"
        );
    }
}

/// The demo as exported with model version 2 (before version 3 added the cover's facilitator
/// and limits, the colour key and the appendix's statement on the hash) still verifies, and so
/// do sign-offs given on such data (see `data_hash_as`). These files are never regenerated.
#[test]
fn reports_of_model_version_2_still_verify() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/model-v2");
    for name in ["assay-demo-report.html", "assay-demo-report.pdf"] {
        let verified = assay_api::verify_report_file(&dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(verified.content_hash, MODEL_V2_DEMO_HASH, "{name}");
    }
}

/// Reports exported with model version 3, before version 4 organised the tracker evidence by
/// model version: the demo, and the demo with a 60-run MLflow sweep linked to its scope
/// (`crates/api/tests/tracker_scale`), whose lineage and bias sections list every edge and
/// figure. These files are never regenerated.
#[test]
fn reports_of_model_version_3_still_verify() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/model-v3");
    for (name, hash) in [
        ("assay-demo-report", MODEL_V3_DEMO_HASH),
        ("assay-evidence-report", MODEL_V3_EVIDENCE_HASH),
    ] {
        for format in ["html", "pdf"] {
            let file = dir.join(format!("{name}.{format}"));
            let verified = assay_api::verify_report_file(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert_eq!(verified.content_hash, hash, "{}", file.display());
        }
    }
    let text = pdf_text(&dir.join("assay-evidence-report.pdf"));
    assert!(
        text.contains("xgb-sweep-0006") && !text.contains("Other runs"),
        "the version 3 layout lists every figure and sums nothing up"
    );
}

const MODEL_V3_DEMO_HASH: &str = "e81c6d38cc5fa7183d01b430c3e2d60c3e09770c9a2323e7629e249b5049cd67";
const MODEL_V3_EVIDENCE_HASH: &str =
    "9e47a573d9d0794123f36ec5412c2e155a09da41c8df3a87d84e797078a10a00";

/// A sign-off given on the version 2 demo binds to that model's data hash; today's model of
/// the same data, brought back to version 2, hashes the same, so such an approval does not turn
/// stale when the app is updated.
#[test]
fn a_signoff_given_on_version_2_data_still_holds_under_later_versions() {
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/model-v2/assay-demo-report.html");
    let Verdict::Intact { model: earlier, .. } =
        verify::verify(&std::fs::read(golden).unwrap()).unwrap()
    else {
        panic!("the version 2 golden report does not verify");
    };
    assert_eq!(earlier.model_version, 2);
    let (_dir, assay, id) = demo_assay();
    let now = assay.report_model(&id).unwrap().model;
    assert_eq!(now.model_version, assay_reports::model::MODEL_VERSION);
    assert_eq!(
        assay_reports::model::data_hash_as(&now, 2).as_deref(),
        Some(assay_reports::model::data_hash(&earlier).as_str())
    );
    assert_ne!(
        assay_reports::model::data_hash(&now),
        assay_reports::model::data_hash(&earlier),
        "today's data itself differs"
    );
    assert_eq!(assay_reports::model::data_hash_as(&now, 1), None);
}

const MODEL_V2_DEMO_HASH: &str = "2d851c013a0adc16b2a8474b4c5926aa5cddb12706cd421e8cec1d05c31170a5";

#[test]
fn verify_detects_an_edited_report() {
    let (dir, assay, id) = demo_assay();
    let html = dir.path().join("r.html");
    assay.export_report(&id, ReportFormat::Html, &html).unwrap();
    let original = std::fs::read_to_string(&html).unwrap();

    std::fs::write(
        &html,
        original.replacen("Level 1</span>", "Level 2</span>", 1),
    )
    .unwrap();
    let e = assay_api::verify_report_file(&html).unwrap_err();
    assert_eq!(e.code().as_str(), "tampered");
    assert!(e.to_string().contains("edited after export"), "{e}");

    std::fs::write(
        &html,
        original.replacen("\"headline_level\":1", "\"headline_level\":2", 1),
    )
    .unwrap();
    let e = assay_api::verify_report_file(&html).unwrap_err();
    assert!(e.to_string().contains("data was altered"), "{e}");

    let pdf = dir.path().join("r.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    // The producer's first letter, A (U+0041) in the UTF-16 hex string, becomes B.
    let mut bytes = std::fs::read(&pdf).unwrap();
    let marker = b"/Producer<FEFF0041";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap();
    bytes[at + marker.len() - 1] = b'2';
    std::fs::write(&pdf, &bytes).unwrap();
    assert_eq!(
        assay_api::verify_report_file(&pdf)
            .unwrap_err()
            .code()
            .as_str(),
        "tampered"
    );

    std::fs::write(&pdf, b"plain text").unwrap();
    assert_eq!(
        assay_api::verify_report_file(&pdf)
            .unwrap_err()
            .code()
            .as_str(),
        "not_a_report"
    );
}

/// A report whose embedded data block no longer reads back was tampered with (exit 5 in the
/// CLI), not "not a report": it still carries Assay's markers and hash.
#[test]
fn verify_calls_a_damaged_data_block_tampered() {
    let (dir, assay, id) = demo_assay();
    let pdf = dir.path().join("r.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    let mut bytes = std::fs::read(&pdf).unwrap();
    // The deflated JSON stream of the embedded file: overwrite bytes in its middle, keeping
    // its length, so the PDF's structure still parses.
    let spec = b"/Type/EmbeddedFile";
    let at = bytes.windows(spec.len()).position(|w| w == spec).unwrap();
    let start = at + bytes[at..].windows(6).position(|w| w == b"stream").unwrap() + 8;
    for byte in &mut bytes[start + 100..start + 140] {
        *byte ^= 0x5a;
    }
    std::fs::write(&pdf, &bytes).unwrap();
    let e = assay_api::verify_report_file(&pdf).unwrap_err();
    assert_eq!(e.code().as_str(), "tampered", "{e}");
    assert!(e.to_string().contains("damaged or was edited"), "{e}");

    let html = dir.path().join("r.html");
    assay.export_report(&id, ReportFormat::Html, &html).unwrap();
    let text = std::fs::read_to_string(&html).unwrap();
    let data = "<script type=\"application/json\" id=\"assay-report-data\">{";
    assert!(text.contains(data));
    let cut = text.replacen(data, &data.replace('{', "{{not json"), 1);
    std::fs::write(&html, cut).unwrap();
    let e = assay_api::verify_report_file(&html).unwrap_err();
    assert_eq!(e.code().as_str(), "tampered", "{e}");
}

#[test]
fn hostile_text_in_every_field_runs_no_script_in_a_real_browser() {
    let (dir, assay, id) = hostile_assay();
    let html_path = dir.path().join("hostile.html");
    assay
        .export_report(&id, ReportFormat::Html, &html_path)
        .unwrap();
    let html = std::fs::read_to_string(&html_path).unwrap();
    for hostile in hostile_strings() {
        if hostile.contains('<') {
            assert!(!html.contains(&hostile), "unescaped: {hostile}");
        }
    }
    let dom = chromium_dom(&html_path);
    assert!(
        dom.contains("assay-content-hash"),
        "the page did not load: {}",
        &dom[..dom.len().min(300)]
    );
    assert!(!dom.contains("XSSRAN"), "a hostile script ran");

    // Escaping alone must hold: the same file without its Content-Security-Policy.
    let no_csp = dir.path().join("no-csp.html");
    let start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let end = start + html[start..].find('>').unwrap() + 1;
    std::fs::write(&no_csp, format!("{}{}", &html[..start], &html[end..])).unwrap();
    assert!(
        !chromium_dom(&no_csp).contains("XSSRAN"),
        "a hostile script ran without the CSP"
    );

    let pdf = dir.path().join("hostile.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    run_tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("<script>document.title="),
        "hostile text is shown as text in the PDF"
    );
}

#[test]
fn unicode_renders_in_html_and_missing_pdf_glyphs_are_reported() {
    let (dir, assay, id) = hostile_assay();
    let html =
        String::from_utf8(assay.render_report(&id, ReportFormat::Html).unwrap().bytes).unwrap();
    assert!(html.contains("Ünïcödé — 漢字 עברית العربية 🚀"));
    let pdf = dir.path().join("u.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Ünïcödé"), "accented text lost");
    assert!(text.contains("漢字"), "CJK not drawn");
    assert!(
        text.contains("Characters not shown"),
        "missing glyphs not reported"
    );
    assert!(
        text.contains("U+1F680") && !text.contains("U+6F22"),
        "the emoji and only it is listed"
    );
}

#[test]
fn every_script_in_a_report_extracts_and_embeds_the_fallback_face() {
    let (dir, assay, id) = scripts_assay();
    let pdf = dir.path().join("scripts.pdf");
    assay.export_report(&id, ReportFormat::Pdf, &pdf).unwrap();
    run_tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    // Without the bidi controls poppler wraps right-to-left runs in (U+202B, U+202C) and the
    // left-to-right marks that end them (U+200E).
    let text: String = pdf_text(&pdf)
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{202B}' | '\u{202C}'))
        .collect();
    for want in [
        "審査報告 감사 보고서 [rocket]",
        "支付风控",
        "김민준",
        "שרה כהן",
        "فاطمة الزهراء",
        // The note, wrapped in a table cell.
        "The review was led by שרה כהן",
        "from the risk team. 模型监控",
        "[party popper] مراجعة",
        "リスク登録 [check mark button]",
        "ביקורת חיצונית",
        "U+2705, U+1F389, U+1F680",
    ] {
        assert!(text.contains(want), "{want:?} not extracted:\n{text}");
    }
    let fonts = run_tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(fonts.contains("DroidSansFallback"), "{fonts}");
    assert_eq!(fonts.lines().skip(2).count(), 3, "{fonts}");
    assert_eq!(
        assay_api::verify_report_file(&pdf).unwrap().content_hash,
        assay
            .render_report(&id, ReportFormat::Pdf)
            .unwrap()
            .content_hash
    );
}

/// A report exported before the fallback font (every character DejaVu lacks drawn as a
/// replacement mark, right-to-left text in logical order) still verifies.
#[test]
fn a_report_drawn_with_dejavu_only_still_verifies() {
    let (_dir, assay, id) = scripts_assay();
    let bytes = assay.render_report(&id, ReportFormat::Pdf).unwrap().bytes;
    let Verdict::Intact { model, .. } = verify::verify(&bytes).unwrap() else {
        panic!("a fresh report does not verify");
    };
    let old = pdf::render_with(&HashedModel::new(*model), TextEngine::DejaVuOnly).unwrap();
    assert!(old != bytes);
    assert!(matches!(
        verify::verify(&old).unwrap(),
        Verdict::Intact { .. }
    ));
}

#[test]
fn a_fixed_clock_and_ids_give_the_same_report_in_two_databases() {
    let render = || {
        let dir = tempfile::tempdir().unwrap();
        let start = chrono::DateTime::parse_from_rfc3339("2026-06-01T09:00:00Z")
            .unwrap()
            .to_utc();
        let mut assay = assay_api::Assay::open(
            &dir.path().join("a.db"),
            Box::new(SteppingClock::new(start, chrono::Duration::seconds(1))),
        )
        .unwrap()
        .with_ids(Box::new(SequentialIds::default()));
        let id = assay.create_demo().unwrap();
        assay.render_report(&id, ReportFormat::Pdf).unwrap().bytes
    };
    assert!(render() == render());
}

/// Printed from a browser, the HTML report breaks no word of its tables across lines ("Cov" /
/// "ered") and carries the document id and page numbers in its margins. The model version 1
/// stylesheet, which let table cells break anywhere, is the check that the check can fail.
#[test]
fn the_printed_html_report_splits_no_table_word_and_names_itself_on_every_page() {
    let (dir, assay, id) = demo_assay();
    let html = dir.path().join("report.html");
    assay.export_report(&id, ReportFormat::Html, &html).unwrap();
    let source = std::fs::read_to_string(&html).unwrap();
    let words = printed::table_words(&source);
    assert!(words.contains("Organization"), "{words:?}");
    let text = printed::printed_text(&html, &dir.path().join("printed.pdf"));
    let split = printed::split_words(&text, &words);
    assert!(
        split.is_empty(),
        "table words broken across lines: {split:?}"
    );
    let document_id = assay.report_model(&id).unwrap().document_id();
    let pages = text.matches("Page ").count();
    assert!(pages > 20, "page numbers in the margin: {pages}");
    assert_eq!(
        text.matches(&document_id).count(),
        pages + 2,
        "the document id on every page, and on the cover and in the closing footer"
    );

    let earlier =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/model-v1/assay-demo-report.html");
    let earlier_text = printed::printed_text(&earlier, &dir.path().join("earlier.pdf"));
    assert!(
        !printed::split_words(
            &earlier_text,
            &printed::table_words(&std::fs::read_to_string(&earlier).unwrap())
        )
        .is_empty(),
        "the version 1 layout broke table words (\"Cov\" / \"ere\" / \"d\"); the check must see that"
    );
}
