//! A bank read from the workbook `bank_sheet` writes, or one a person authored from it.
//!
//! The reader only turns cells into a [`Bank`]; every rule of the format is then checked by
//! [`Bank::validated`], exactly as for a TOML folder or a JSON file. Cell problems (a formula, a
//! date where text belongs, an unknown key, a malformed crosswalk line) are all collected first
//! and reported together; a rule broken by a question names the row it is on.

use std::collections::BTreeMap;

use assay_assessment::Level;
use assay_assessment::bank::{
    Area, Bank, BankError, ChangeKind, Clause, Framework, HeadlineLevel, HeadlineRule, Pillar,
    Question, QuestionChange, Upgrade,
};

use super::SheetError;
use super::crosswalk_cells::{read_crosswalk, read_rationales};
use super::layout::{BANK_FORMAT, LAYOUT_VERSION, bank as names};
use super::read::{Problems, Sheet, Value, Workbook, read_workbook};

/// Why a workbook did not give a bank: it could not be read, or the bank breaks a rule.
#[derive(Debug)]
pub(crate) enum BankSheetError {
    Sheet(SheetError),
    Bank(BankError),
}

impl From<SheetError> for BankSheetError {
    fn from(error: SheetError) -> Self {
        BankSheetError::Sheet(error)
    }
}

/// Reads and checks a bank from workbook bytes; `file` names it in problems.
pub(crate) fn read_bank_workbook(bytes: &[u8], file: &str) -> Result<Bank, BankSheetError> {
    let all = [
        names::BANK,
        names::AREAS,
        names::QUESTIONS,
        names::HEADLINE,
        names::CATALOGUES,
        names::UPGRADES,
    ];
    let workbook = read_workbook(bytes, file, &all)?;
    let sheet = |name: &str| {
        workbook.sheet(name).ok_or_else(|| SheetError::Layout {
            file: file.to_owned(),
            problem: missing_sheet(&workbook, name),
        })
    };
    let keys = sheet(names::BANK)?;
    let mut problems = Problems::new(file);
    check_format(keys, file)?;
    let mut values = read_keys(keys, &mut problems);
    let pillars = read_areas(sheet(names::AREAS)?, &mut problems);
    let (mut questions, rows) = read_questions(sheet(names::QUESTIONS)?, &mut problems);
    let levels = read_headline(sheet(names::HEADLINE)?, &mut problems);
    let frameworks = read_catalogues(sheet(names::CATALOGUES)?, &mut problems);
    let upgrades = read_upgrades(sheet(names::UPGRADES)?, &mut problems);
    let threshold = keys_threshold(keys, &mut problems);
    problems.finish()?;

    // Rows may be added anywhere: bank order is pillar, then area, then row order.
    let rank: BTreeMap<&str, usize> = (0..)
        .zip(pillars.iter().flat_map(|p| &p.areas))
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    questions.sort_by_key(|q| rank.get(q.area.as_str()).copied().unwrap_or(usize::MAX));

    let rating_guide = std::mem::take(&mut values.guide);
    let text = |key: &str| values.get(key).cloned().unwrap_or_default();
    let optional = |key: &str| values.get(key).cloned().filter(|v| !v.trim().is_empty());
    let bank = Bank {
        id: text("id"),
        version: text("version"),
        title: text("title"),
        levels: (0..5).map(|n| text(&format!("level {n}"))).collect(),
        pillars,
        questions,
        headline: HeadlineRule {
            threshold,
            base_name: text("headline.base_name"),
            scale: optional("headline.scale"),
            levels,
        },
        frameworks,
        rating_guide,
        report_title: optional("report_title"),
        upgrades,
    };
    bank.validated(file).map_err(|error| match error {
        BankError::Question {
            question, problem, ..
        } => {
            let place = rows.get(&question).map_or_else(
                || file.to_owned(),
                |row| format!("{file}, Questions row {}", row + 1),
            );
            BankSheetError::Bank(BankError::Question {
                file: place,
                question,
                problem,
            })
        }
        other => BankSheetError::Bank(other),
    })
}

fn missing_sheet(workbook: &Workbook, name: &str) -> String {
    let found = workbook
        .names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if name == names::BANK {
        format!("is not an Assay bank workbook: it has no `{name}` sheet (it has {found})")
    } else {
        format!("has no sheet named `{name}` (it has {found}); start from a bank exported as .xlsx")
    }
}

/// The `format` rows come first: another kind of workbook gets one clear sentence, not a list
/// of every cell that does not fit.
fn check_format(sheet: &Sheet, file: &str) -> Result<(), SheetError> {
    let layout = |problem: String| SheetError::Layout {
        file: file.to_owned(),
        problem,
    };
    let value_of = |key: &str| {
        (1..=sheet.last_row().unwrap_or(0)).find_map(|row| match sheet.get(row, 0) {
            Some(Value::Text(k)) if k.trim() == key => sheet.get(row, 1),
            _ => None,
        })
    };
    match value_of("format") {
        Some(Value::Text(format)) if format.trim() == BANK_FORMAT => {}
        _ => {
            return Err(layout(format!(
                "is not an Assay bank workbook: its Bank sheet has no `format` row saying \
                 `{BANK_FORMAT}`"
            )));
        }
    }
    let version = match value_of("format_version") {
        Some(Value::Number(n)) => Some(*n),
        Some(Value::Text(t)) => t.trim().parse().ok(),
        _ => None,
    };
    match version {
        Some(v) if v == f64::from(LAYOUT_VERSION) => Ok(()),
        Some(v) if v > f64::from(LAYOUT_VERSION) => Err(layout(format!(
            "uses bank workbook format {v} and this version of Assay reads up to \
             {LAYOUT_VERSION}; upgrade Assay"
        ))),
        _ => Err(layout(format!(
            "its Bank sheet needs a `format_version` row saying {LAYOUT_VERSION}"
        ))),
    }
}

/// The key/value rows of the "Bank" sheet, and the rating guide's paragraphs in order.
#[derive(Debug, Default)]
struct Keys {
    values: BTreeMap<String, String>,
    guide: Vec<String>,
}

impl Keys {
    fn get(&self, key: &str) -> Option<&String> {
        self.values.get(key)
    }
}

fn read_keys(sheet: &Sheet, problems: &mut Problems) -> Keys {
    let mut keys = Keys::default();
    let mut rows: BTreeMap<String, u32> = BTreeMap::new();
    if !problems.headers(sheet, 0, &names::BANK_HEADERS) {
        return keys;
    }
    for row in 1..=sheet.last_row().unwrap_or(0) {
        if sheet.row_is_blank(row) {
            continue;
        }
        problems.stray(sheet, row, 3);
        let Some(key) = problems.text(sheet, row, 0) else {
            problems.add(sheet.cell(row, 0), "a value without a key");
            continue;
        };
        let key = key.trim().to_owned();
        if key == names::RATING_GUIDE {
            // Blank paragraphs are slots left open, not paragraphs.
            if let Some(paragraph) = problems.text(sheet, row, 1)
                && !paragraph.trim().is_empty()
            {
                keys.guide.push(paragraph);
            }
            continue;
        }
        if !names::KEYS.iter().any(|(k, _)| *k == key) {
            problems.add(
                sheet.cell(row, 0),
                format!("`{key}` is not a key of a bank (see the list in docs/banks/format.md)"),
            );
            continue;
        }
        if let Some(first) = rows.insert(key.clone(), row) {
            problems.add(
                sheet.cell(row, 0),
                format!("`{key}` is also on row {}", first + 1),
            );
            continue;
        }
        // Threshold and format rows are read as numbers elsewhere.
        if key == "headline.threshold" || key.starts_with("format") {
            continue;
        }
        let value = problems.text(sheet, row, 1).unwrap_or_default();
        keys.values.insert(key, value);
    }
    keys
}

fn keys_threshold(sheet: &Sheet, problems: &mut Problems) -> Level {
    let row = (1..=sheet.last_row().unwrap_or(0)).find(|row| {
        matches!(sheet.get(*row, 0), Some(Value::Text(k)) if k.trim() == "headline.threshold")
    });
    let value = match row {
        Some(row) if sheet.get(row, 1).is_some() => problems.whole(sheet, row, 1, 0, 4),
        _ => {
            problems.add(
                names::BANK.to_owned(),
                "no `headline.threshold` row with a level 0-4",
            );
            None
        }
    };
    value
        .and_then(|v| Level::new(v).ok())
        .unwrap_or(Level::saturating(0))
}

/// Data rows after the header, skipping blank ones, once the header is right.
fn data_rows(sheet: &Sheet, headers: &[&str], problems: &mut Problems) -> Vec<u32> {
    if !problems.headers(sheet, 0, headers) {
        return Vec::new();
    }
    let columns = u32::try_from(headers.len()).unwrap_or(u32::MAX);
    let rows: Vec<u32> = (1..=sheet.last_row().unwrap_or(0))
        .filter(|row| !sheet.row_is_blank(*row))
        .collect();
    for row in &rows {
        problems.stray(sheet, *row, columns);
    }
    rows
}

/// Cell text of a row, empty for an empty cell (the bank's checks say which may not be empty).
fn texts<const N: usize>(sheet: &Sheet, row: u32, problems: &mut Problems) -> [String; N] {
    std::array::from_fn(|column| {
        problems
            .text(sheet, row, u32::try_from(column).unwrap_or(u32::MAX))
            .unwrap_or_default()
    })
}

/// The ids of a list cell: one per line (commas separate too).
fn ids(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect()
}

fn read_areas(sheet: &Sheet, problems: &mut Problems) -> Vec<Pillar> {
    let mut pillars: Vec<Pillar> = Vec::new();
    for row in data_rows(sheet, &names::AREA_HEADERS, problems) {
        let [pillar_id, pillar_name, id, code, name] = texts::<5>(sheet, row, problems);
        let area = Area {
            id,
            code,
            name,
            pillar: pillar_id.clone(),
        };
        match pillars.iter_mut().find(|p| p.id == pillar_id) {
            Some(pillar) => {
                if !pillar_name.is_empty() && pillar_name != pillar.name {
                    problems.add(
                        sheet.cell(row, 1),
                        format!("pillar {pillar_id} is named `{}` above", pillar.name),
                    );
                }
                pillar.areas.push(area);
            }
            None => pillars.push(Pillar {
                id: pillar_id,
                name: pillar_name,
                areas: vec![area],
            }),
        }
    }
    pillars
}

/// The questions in row order, and the row each id is on (for naming it in a problem).
fn read_questions(
    sheet: &Sheet,
    problems: &mut Problems,
) -> (Vec<Question>, BTreeMap<String, u32>) {
    let mut questions = Vec::new();
    let mut rows: BTreeMap<String, u32> = BTreeMap::new();
    // A header in the first column past the earlier layout means the sheet has them all.
    let columns = if sheet.get(0, names::CROSSWALK_RATIONALE).is_some() {
        &names::QUESTION_HEADERS[..]
    } else {
        &names::QUESTION_HEADERS[..names::EARLIER_QUESTION_COLUMNS]
    };
    let current_layout = columns.len() == names::QUESTION_HEADERS.len();
    for row in data_rows(sheet, columns, problems) {
        let [
            id,
            area,
            title,
            text,
            why,
            evidence,
            a0,
            a1,
            a2,
            a3,
            a4,
            crosswalk,
        ] = texts::<12>(sheet, row, problems);
        if let Some(first) = rows.insert(id.clone(), row)
            && !id.is_empty()
        {
            problems.add(
                sheet.cell(row, 0),
                format!("question {id} is also on row {}", first + 1),
            );
        }
        let crosswalk_at = sheet.cell(row, names::CROSSWALK);
        let (crosswalk, mut relations) = read_crosswalk(&crosswalk, &crosswalk_at, problems);
        let mut reattest_days = None;
        if current_layout {
            let rationales = problems
                .text(sheet, row, names::CROSSWALK_RATIONALE)
                .unwrap_or_default();
            read_rationales(
                &rationales,
                &sheet.cell(row, names::CROSSWALK_RATIONALE),
                &crosswalk_at,
                &crosswalk,
                &mut relations,
                problems,
            );
            reattest_days = problems.whole(
                sheet,
                row,
                names::REATTEST_DAYS,
                names::REATTEST_MIN,
                names::REATTEST_MAX,
            );
        }
        questions.push(Question {
            id,
            area,
            title,
            text,
            why,
            evidence: evidence
                .split('\n')
                .filter(|e| !e.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            anchors: vec![a0, a1, a2, a3, a4],
            crosswalk,
            relations,
            reattest_days,
        });
    }
    (questions, rows)
}

fn read_headline(sheet: &Sheet, problems: &mut Problems) -> Vec<HeadlineLevel> {
    let mut levels = Vec::new();
    for row in data_rows(sheet, &names::HEADLINE_HEADERS, problems) {
        let level = problems.whole(sheet, row, 0, 1, u8::MAX).unwrap_or(0);
        let [name, requires, na_allowed] =
            [1, 2, 3].map(|column| problems.text(sheet, row, column).unwrap_or_default());
        let na_allowed = match na_allowed.trim() {
            "" => None,
            none if none.eq_ignore_ascii_case(names::NO_NA) => Some(Vec::new()),
            list => Some(ids(list)),
        };
        levels.push(HeadlineLevel {
            level,
            name,
            requires: ids(&requires),
            na_allowed,
        });
    }
    levels
}

fn read_catalogues(sheet: &Sheet, problems: &mut Problems) -> Vec<Framework> {
    let mut frameworks: Vec<Framework> = Vec::new();
    for row in data_rows(sheet, &names::CATALOGUE_HEADERS, problems) {
        let [framework_id, name, reference, id, group, title, summary] =
            texts::<7>(sheet, row, problems);
        let clause = Clause {
            id,
            group,
            title,
            summary,
        };
        match frameworks.iter_mut().find(|f| f.id == framework_id) {
            Some(framework) => {
                for (column, given, known) in [
                    (1, &name, &framework.name),
                    (2, &reference, &framework.reference),
                ] {
                    if !given.is_empty() && given != known {
                        problems.add(
                            sheet.cell(row, column),
                            format!("framework {framework_id} has `{known}` here above"),
                        );
                    }
                }
                framework.clauses.push(clause);
            }
            None => frameworks.push(Framework {
                id: framework_id,
                name,
                reference,
                clauses: vec![clause],
            }),
        }
    }
    frameworks
}

fn read_upgrades(sheet: &Sheet, problems: &mut Problems) -> Vec<Upgrade> {
    let mut upgrades: Vec<Upgrade> = Vec::new();
    for row in data_rows(sheet, &names::UPGRADE_HEADERS, problems) {
        let [from_version, from, to, kind, note] = texts::<5>(sheet, row, problems);
        let kind = match kind.trim().to_ascii_lowercase().as_str() {
            "kept" => ChangeKind::Kept,
            "renamed" => ChangeKind::Renamed,
            "split" => ChangeKind::Split,
            "merged" => ChangeKind::Merged,
            "removed" => ChangeKind::Removed,
            _ => {
                problems.add(
                    sheet.cell(row, 3),
                    format!("`{kind}` is not kept, renamed, split, merged or removed"),
                );
                ChangeKind::Kept
            }
        };
        let change = QuestionChange {
            from: ids(&from),
            to: ids(&to),
            kind,
            note,
        };
        match upgrades.iter_mut().find(|u| u.from_version == from_version) {
            Some(upgrade) => upgrade.changes.push(change),
            None => upgrades.push(Upgrade {
                from_version,
                changes: vec![change],
            }),
        }
    }
    upgrades
}
