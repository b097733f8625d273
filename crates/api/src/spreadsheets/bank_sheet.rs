//! A bank written as a workbook: one sheet per part of the format, one row per area, question,
//! headline level, clause and upgrade change. `bank_read` reads it back to the same bank (the
//! same hash), which is also what makes an exported bank a template to author a new one in.

use assay_assessment::Bank;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::crosswalk_cells::{crosswalk_cell, rationale_cell};
use super::layout::{self, BANK_FORMAT, LAYOUT_VERSION, bank as names};

/// The bank as .xlsx bytes.
pub(crate) fn write_bank_workbook(bank: &Bank) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_keys(workbook.add_worksheet(), bank)?;
    write_areas(workbook.add_worksheet(), bank)?;
    write_questions(workbook.add_worksheet(), bank)?;
    write_headline(workbook.add_worksheet(), bank)?;
    write_catalogues(workbook.add_worksheet(), bank)?;
    write_upgrades(workbook.add_worksheet(), bank)?;
    workbook.save_to_buffer()
}

/// A sheet with its header row, frozen, and the width of each column (in characters).
fn start(
    sheet: &mut Worksheet,
    name: &str,
    headers: &[&str],
    widths: &[f64],
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let header = layout::header();
    for (column, (title, width)) in (0u16..).zip(headers.iter().zip(widths)) {
        sheet.write_string_with_format(0, column, *title, &header)?;
        sheet.set_column_width(column, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes one row of text cells from column A; empty text leaves the cell empty.
fn row(sheet: &mut Worksheet, row: u32, cells: &[&str], format: &Format) -> Result<(), XlsxError> {
    for (column, text) in (0u16..).zip(cells) {
        if !text.is_empty() {
            sheet.write_string_with_format(row, column, *text, format)?;
        }
    }
    Ok(())
}

fn write_keys(sheet: &mut Worksheet, bank: &Bank) -> Result<(), XlsxError> {
    start(
        sheet,
        names::BANK,
        &names::BANK_HEADERS,
        &[22.0, 70.0, 60.0],
    )?;
    let wrapped = layout::wrapped();
    let level = |n: usize| bank.levels.get(n).map_or("", String::as_str);
    let threshold = bank.headline.threshold.to_string();
    let version = LAYOUT_VERSION.to_string();
    let values: [&str; 14] = [
        BANK_FORMAT,
        &version,
        &bank.id,
        &bank.version,
        &bank.title,
        bank.report_title.as_deref().unwrap_or(""),
        level(0),
        level(1),
        level(2),
        level(3),
        level(4),
        &threshold,
        &bank.headline.base_name,
        bank.headline.scale.as_deref().unwrap_or(""),
    ];
    let mut at = 1;
    for ((key, meaning), value) in names::KEYS.iter().zip(values) {
        row(sheet, at, &[key, value, meaning], &wrapped)?;
        at += 1;
    }
    // One empty paragraph row when there is none, so an author sees where the guide goes.
    let guide: Vec<&str> = if bank.rating_guide.is_empty() {
        vec![""]
    } else {
        bank.rating_guide.iter().map(String::as_str).collect()
    };
    for paragraph in guide {
        row(
            sheet,
            at,
            &[names::RATING_GUIDE, paragraph, names::RATING_GUIDE_MEANING],
            &wrapped,
        )?;
        at += 1;
    }
    Ok(())
}

fn write_areas(sheet: &mut Worksheet, bank: &Bank) -> Result<(), XlsxError> {
    start(
        sheet,
        names::AREAS,
        &names::AREA_HEADERS,
        &[16.0, 20.0, 28.0, 12.0, 44.0],
    )?;
    let wrapped = layout::wrapped();
    let mut at = 1;
    for pillar in &bank.pillars {
        for area in &pillar.areas {
            row(
                sheet,
                at,
                &[&pillar.id, &pillar.name, &area.id, &area.code, &area.name],
                &wrapped,
            )?;
            at += 1;
        }
    }
    Ok(())
}

fn write_questions(sheet: &mut Worksheet, bank: &Bank) -> Result<(), XlsxError> {
    let widths = [
        10.0, 22.0, 30.0, 50.0, 50.0, 40.0, 36.0, 36.0, 36.0, 36.0, 36.0, 36.0, 50.0, 10.0,
    ];
    start(sheet, names::QUESTIONS, &names::QUESTION_HEADERS, &widths)?;
    let wrapped = layout::wrapped();
    for (at, question) in (1u32..).zip(&bank.questions) {
        let evidence = question.evidence.join("\n");
        let crosswalk = crosswalk_cell(question);
        let rationales = rationale_cell(question);
        let anchor = |n: usize| question.anchors.get(n).map_or("", String::as_str);
        row(
            sheet,
            at,
            &[
                &question.id,
                &question.area,
                &question.title,
                &question.text,
                &question.why,
                &evidence,
                anchor(0),
                anchor(1),
                anchor(2),
                anchor(3),
                anchor(4),
                &crosswalk,
                &rationales,
            ],
            &wrapped,
        )?;
        if let Some(days) = question.reattest_days {
            let column = u16::try_from(names::REATTEST_DAYS).unwrap_or(u16::MAX);
            sheet.write_number_with_format(at, column, f64::from(days), &wrapped)?;
        }
    }
    Ok(())
}

fn write_headline(sheet: &mut Worksheet, bank: &Bank) -> Result<(), XlsxError> {
    start(
        sheet,
        names::HEADLINE,
        &names::HEADLINE_HEADERS,
        &[8.0, 36.0, 20.0, 20.0],
    )?;
    let wrapped = layout::wrapped();
    for (at, level) in (1u32..).zip(&bank.headline.levels) {
        sheet.write_number_with_format(at, 0, f64::from(level.level), &wrapped)?;
        let requires = level.requires.join("\n");
        let na_allowed = match &level.na_allowed {
            None => String::new(),
            Some(ids) if ids.is_empty() => names::NO_NA.to_owned(),
            Some(ids) => ids.join("\n"),
        };
        row(
            sheet,
            at,
            &["", &level.name, &requires, &na_allowed],
            &wrapped,
        )?;
    }
    Ok(())
}

fn write_catalogues(sheet: &mut Worksheet, bank: &Bank) -> Result<(), XlsxError> {
    let widths = [14.0, 28.0, 40.0, 14.0, 24.0, 36.0, 60.0];
    start(sheet, names::CATALOGUES, &names::CATALOGUE_HEADERS, &widths)?;
    let wrapped = layout::wrapped();
    let mut at = 1;
    for framework in &bank.frameworks {
        for clause in &framework.clauses {
            row(
                sheet,
                at,
                &[
                    &framework.id,
                    &framework.name,
                    &framework.reference,
                    &clause.id,
                    &clause.group,
                    &clause.title,
                    &clause.summary,
                ],
                &wrapped,
            )?;
            at += 1;
        }
    }
    Ok(())
}

fn write_upgrades(sheet: &mut Worksheet, bank: &Bank) -> Result<(), XlsxError> {
    start(
        sheet,
        names::UPGRADES,
        &names::UPGRADE_HEADERS,
        &[12.0, 16.0, 16.0, 10.0, 70.0],
    )?;
    let wrapped = layout::wrapped();
    let mut at = 1;
    for upgrade in &bank.upgrades {
        for change in &upgrade.changes {
            row(
                sheet,
                at,
                &[
                    &upgrade.from_version,
                    &change.from.join("\n"),
                    &change.to.join("\n"),
                    change.kind.label(),
                    &change.note,
                ],
                &wrapped,
            )?;
            at += 1;
        }
    }
    Ok(())
}
