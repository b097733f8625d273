//! The statement as an Excel workbook: one sheet, a frozen header row, filters on every column,
//! dates as dates, and an "About" sheet with what identifies it.

use assay_reports::soa::SoaDocument;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::Result;
use crate::spreadsheets::{header_format, wrapped_format, xlsx_failed};

const HEADERS: [(&str, f64); 12] = [
    ("control", 9.0),
    ("group", 22.0),
    ("title (Assay's label)", 30.0),
    ("included", 9.0),
    ("justification", 50.0),
    ("decided", 9.0),
    ("drivers", 22.0),
    ("status", 20.0),
    ("status reason", 45.0),
    ("owner", 18.0),
    ("questions", 40.0),
    ("evidence", 50.0),
];

pub(super) fn write(doc: &SoaDocument) -> Result<Vec<u8>> {
    write_sheets(doc).map_err(xlsx_failed)
}

fn write_sheets(doc: &SoaDocument) -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let header = header_format();
    let wrapped = wrapped_format();
    let date = Format::new().set_num_format("yyyy-mm-dd");

    let sheet = workbook.add_worksheet();
    sheet.set_name("Statement of Applicability")?;
    for (column, (title, width)) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, column, title, &header)?;
        sheet.set_column_width(column, width)?;
    }
    let mut evidence_rows: Vec<(u32, &assay_assessment::soa::SoaEvidence, &str)> = Vec::new();
    for (row, soa_row) in (1u32..).zip(&doc.soa.rows) {
        let view = assay_reports::soa::html::row_view(soa_row);
        let cells = [
            soa_row.control.as_str(),
            soa_row.group.as_str(),
            soa_row.title.as_str(),
            if soa_row.included { "yes" } else { "no" },
            soa_row.justification.as_str(),
            if soa_row.decided { "yes" } else { "proposal" },
            view.drivers.as_str(),
            view.status,
            soa_row.status_reason.as_str(),
            soa_row.owner.as_deref().unwrap_or(""),
            &view.questions.join("\n"),
            &view.evidence.join("\n"),
        ];
        for (column, text) in (0u16..).zip(cells) {
            sheet.write_string_with_format(row, column, text, &wrapped)?;
        }
        evidence_rows.extend(
            soa_row
                .evidence
                .iter()
                .map(|e| (row, e, soa_row.control.as_str())),
        );
    }
    let last = u32::try_from(doc.soa.rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last, 11)?;
    sheet.set_freeze_panes(1, 1)?;

    // Evidence, one row each, with the date it was linked as a date.
    let evidence = workbook.add_worksheet();
    evidence.set_name("Evidence")?;
    for (column, (title, width)) in (0u16..).zip([
        ("control", 9.0),
        ("source", 14.0),
        ("kind", 8.0),
        ("target", 50.0),
        ("label", 30.0),
        ("linked on", 12.0),
        ("SHA-256", 66.0),
    ]) {
        evidence.write_string_with_format(0, column, title, &header)?;
        evidence.set_column_width(column, width)?;
    }
    for (row, (_, e, control)) in (1u32..).zip(&evidence_rows) {
        evidence.write_string(row, 0, *control)?;
        evidence.write_string(row, 1, &e.source)?;
        evidence.write_string(row, 2, e.kind.as_str())?;
        evidence.write_string(row, 3, &e.target)?;
        evidence.write_string(row, 4, e.label.as_deref().unwrap_or(""))?;
        if let Some(at) = e.linked_at {
            let day = ExcelDateTime::from_ymd(
                u16::try_from(chrono::Datelike::year(&at)).unwrap_or(1900),
                u8::try_from(chrono::Datelike::month(&at)).unwrap_or(1),
                u8::try_from(chrono::Datelike::day(&at)).unwrap_or(1),
            )?;
            evidence.write_datetime_with_format(row, 5, &day, &date)?;
        }
        evidence.write_string(row, 6, e.sha256.as_deref().unwrap_or(""))?;
    }
    let evidence_last = u32::try_from(evidence_rows.len()).unwrap_or(u32::MAX);
    evidence.autofilter(0, 0, evidence_last, 6)?;
    evidence.set_freeze_panes(1, 0)?;

    let about = workbook.add_worksheet();
    about.set_name("About")?;
    about.set_column_width(0, 18)?;
    about.set_column_width(1, 90)?;
    let content_hash = doc.content_hash();
    let assessed = format!("{} ({})", doc.title, doc.assessed_on);
    let made = doc.generated_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let facts = [
        ("statement", doc.soa.framework.as_str()),
        ("scope", doc.scope.as_str()),
        ("assessment", assessed.as_str()),
        ("assessment id", doc.assessment_id.as_str()),
        ("bank", doc.bank.as_str()),
        ("made", made.as_str()),
        ("content SHA-256", content_hash.as_str()),
    ];
    for (row, (key, value)) in (0u32..).zip(facts) {
        about.write_string_with_format(row, 0, key, &header)?;
        about.write_string_with_format(row, 1, value, &wrapped)?;
    }
    for (row, line) in (9u32..).zip(&doc.rule) {
        about.write_string_with_format(row, 1, line, &wrapped)?;
    }
    workbook.save_to_buffer()
}
