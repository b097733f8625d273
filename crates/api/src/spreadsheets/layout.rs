//! The layout of both workbooks, written down once so the writer and the reader cannot drift:
//! sheet names, header rows, keys, and the formats the writer uses.

use rust_xlsxwriter::{Color, Format, FormatAlign};

/// What the `format` row of a bank workbook's "Bank" sheet says.
pub(crate) const BANK_FORMAT: &str = "assay-bank-workbook";
/// What the `format` row of a questionnaire's "About" sheet says.
pub(crate) const QUESTIONNAIRE_FORMAT: &str = "assay-questionnaire";
/// The version of the bank workbook layout this build writes, and the newest it reads.
pub(crate) const LAYOUT_VERSION: u8 = 1;
/// The version of the questionnaire layout this build writes and the newest it reads. Version 2
/// added the participant a questionnaire is filled in for: an older reader must refuse such a
/// file rather than take one person's votes for consensus answers.
pub(crate) const QUESTIONNAIRE_VERSION: u8 = 2;

pub(crate) mod bank {
    pub(crate) const BANK: &str = "Bank";
    pub(crate) const AREAS: &str = "Areas";
    pub(crate) const QUESTIONS: &str = "Questions";
    pub(crate) const HEADLINE: &str = "Headline";
    pub(crate) const CATALOGUES: &str = "Catalogues";
    pub(crate) const UPGRADES: &str = "Upgrades";

    pub(crate) const BANK_HEADERS: [&str; 3] = ["key", "value", "meaning"];
    pub(crate) const AREA_HEADERS: [&str; 5] = [
        "pillar id",
        "pillar name",
        "area id",
        "area code",
        "area name",
    ];
    /// Question columns. Workbooks written before typed crosswalk links have the first
    /// [`EARLIER_QUESTION_COLUMNS`] only and read as they always did.
    pub(crate) const QUESTION_HEADERS: [&str; 14] = [
        "id",
        "area",
        "title",
        "text",
        "why",
        "evidence",
        "anchor 0",
        "anchor 1",
        "anchor 2",
        "anchor 3",
        "anchor 4",
        "crosswalk",
        "crosswalk rationale",
        "re-attest days",
    ];
    pub(crate) const EARLIER_QUESTION_COLUMNS: usize = 12;
    pub(crate) const CROSSWALK: u32 = 11;
    pub(crate) const CROSSWALK_RATIONALE: u32 = 12;
    pub(crate) const REATTEST_DAYS: u32 = 13;
    /// The re-attestation periods a bank accepts, in days.
    pub(crate) const REATTEST_MIN: u32 = 1;
    pub(crate) const REATTEST_MAX: u32 = 3650;
    pub(crate) const HEADLINE_HEADERS: [&str; 4] = ["level", "name", "requires", "N/A allowed"];
    pub(crate) const CATALOGUE_HEADERS: [&str; 7] = [
        "framework id",
        "framework name",
        "reference",
        "clause id",
        "group",
        "title",
        "summary",
    ];
    pub(crate) const UPGRADE_HEADERS: [&str; 5] = ["from version", "from", "to", "kind", "note"];

    /// The "N/A allowed" value of a headline level that allows N/A on none of its questions
    /// (a blank cell means the level predates the rule: any N/A is left out).
    pub(crate) const NO_NA: &str = "none";

    /// Keys of the "Bank" sheet: (key, meaning). `rating_guide` may repeat, one paragraph each.
    pub(crate) const KEYS: [(&str, &str); 14] = [
        ("format", "always assay-bank-workbook"),
        ("format_version", "1"),
        ("id", "the bank's name, e.g. acme-ml-checklist"),
        (
            "version",
            "a released version never changes: give an edited bank a new one",
        ),
        ("title", "shown in lists and on every report"),
        (
            "report_title",
            "optional: what reports of this bank are called",
        ),
        ("level 0", "name of level 0"),
        ("level 1", "name of level 1"),
        ("level 2", "name of level 2"),
        ("level 3", "name of level 3"),
        ("level 4", "name of level 4"),
        (
            "headline.threshold",
            "0-4: the consensus a named question needs for its headline level",
        ),
        (
            "headline.base_name",
            "name of headline level 0, which every assessment reaches",
        ),
        (
            "headline.scale",
            "optional: what the headline levels are called in reports",
        ),
    ];
    pub(crate) const RATING_GUIDE: &str = "rating_guide";
    pub(crate) const RATING_GUIDE_MEANING: &str =
        "optional, one row per paragraph: how to rate, printed in the report";
}

pub(crate) mod questionnaire {
    pub(crate) const QUESTIONS: &str = "Questions";
    pub(crate) const ABOUT: &str = "About";

    pub(crate) const HEADERS: [&str; 8] = [
        "Id",
        "Area",
        "Title",
        "Question",
        "Anchors",
        "Level",
        "N/A justification",
        "Note",
    ];
    pub(crate) const ID: u32 = 0;
    pub(crate) const LEVEL: u32 = 5;
    pub(crate) const JUSTIFICATION: u32 = 6;
    pub(crate) const NOTE: u32 = 7;
    /// What the Level column's drop-down offers.
    pub(crate) const LEVEL_CHOICES: [&str; 6] = ["0", "1", "2", "3", "4", "N/A"];

    pub(crate) const KEY_FORMAT: &str = "format";
    pub(crate) const KEY_VERSION: &str = "format_version";
    pub(crate) const KEY_ASSESSMENT: &str = "assessment";
    pub(crate) const KEY_TITLE: &str = "title";
    pub(crate) const KEY_BANK: &str = "bank";
    pub(crate) const KEY_BANK_SHA256: &str = "bank_sha256";
    pub(crate) const KEY_EXPORTED_AT: &str = "exported_at";
    /// The participant (id) whose votes the file holds; absent for consensus answers.
    pub(crate) const KEY_PARTICIPANT: &str = "participant";
    pub(crate) const KEY_PARTICIPANT_NAME: &str = "participant_name";
    /// How many Level cells the export filled in.
    pub(crate) const KEY_PREFILLED: &str = "prefilled_levels";
}

/// Bold header cells on a grey ground.
pub(crate) fn header() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00E7_E6E6))
        .set_align(FormatAlign::Top)
}

/// Wrapped text aligned to the top, so long text reads in its cell.
pub(crate) fn wrapped() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

/// The cells a person fills in: unlocked on a protected sheet, on a pale yellow ground.
pub(crate) fn input() -> Format {
    wrapped()
        .set_unlocked()
        .set_background_color(Color::RGB(0x00FF_F8DC))
}
