//! The draft as one self-contained HTML file: a handlebars template with default escaping for
//! every text, an inline stylesheet, no script and nothing loaded from elsewhere.

use std::sync::LazyLock;

use handlebars::Handlebars;
use serde::Serialize;

use super::{Block, DRAFT_NOTICE, DRAFT_RUNNING, DossierDocument, Overview, PROVIDER};
use crate::{ReportError, palette};

const TEMPLATE: &str = include_str!("../../../../templates/dossier.html.hbs");
const CSS_RULES: &str = include_str!("../../../../templates/dossier.css");

static CSS: LazyLock<String> =
    LazyLock::new(|| format!("{}\n{CSS_RULES}", palette::css_custom_properties()));

static TEMPLATES: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_template_string("dossier", TEMPLATE)
        .map_err(|e| e.to_string())?;
    Ok(hb)
});

/// How the draft explains itself after the notice, in both formats.
pub(crate) const HOW_TO_READ: &str = "The nine sections follow Annex IV in its order. Each \
    opens with what the Annex asks for there. Each point then shows what Assay filled in from \
    its records, with the source of every fact (tracker project and run ids, the assessment id, \
    register item ids, content hashes), and a checklist of what the provider must add. The last \
    pages gather every checklist item in one list.";

#[derive(Serialize)]
struct View<'a> {
    css: &'a str,
    doc: &'a DossierDocument,
    notice: &'static str,
    running: &'static str,
    how_to_read: &'static str,
    provider: &'static str,
    sections: Vec<SectionView<'a>>,
    overview: Vec<Overview>,
    checklist: Vec<(String, String)>,
    content_hash: String,
    generated_at: String,
}

#[derive(Serialize)]
struct SectionView<'a> {
    number: u8,
    title: &'a str,
    asks: &'a str,
    parts: Vec<PartView<'a>>,
}

#[derive(Serialize)]
struct PartView<'a> {
    heading: String,
    /// Whether the blocks hold facts, or only say that Assay holds none.
    has_facts: bool,
    blocks: Vec<BlockView<'a>>,
    sources: &'a [String],
    provider: &'a [String],
}

/// One block, with the field of its kind set and the others null, so the template can test
/// them under strict mode.
#[derive(Serialize, Default)]
struct BlockView<'a> {
    text: Option<&'a str>,
    nothing: Option<&'a str>,
    facts: Option<Vec<FactView<'a>>>,
    table: Option<TableView<'a>>,
}

#[derive(Serialize)]
struct FactView<'a> {
    label: &'a str,
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct TableView<'a> {
    columns: Vec<(&'a str, u8)>,
    rows: &'a [Vec<String>],
}

/// `1(a) Intended purpose…`, or the title alone for a part with no point of the Annex.
pub(crate) fn part_heading(point: &str, title: &str) -> String {
    if point.is_empty() {
        title.to_owned()
    } else {
        format!("{point} {title}")
    }
}

fn block_view(block: &Block) -> BlockView<'_> {
    match block {
        Block::Text { text } => BlockView {
            text: Some(text),
            ..BlockView::default()
        },
        Block::Nothing { text } => BlockView {
            nothing: Some(text),
            ..BlockView::default()
        },
        Block::Facts { rows } => BlockView {
            facts: Some(
                rows.iter()
                    .map(|f| FactView {
                        label: &f.label,
                        value: f.value.as_deref(),
                    })
                    .collect(),
            ),
            ..BlockView::default()
        },
        Block::Table {
            columns,
            widths,
            rows,
        } => BlockView {
            table: Some(TableView {
                columns: columns
                    .iter()
                    .map(String::as_str)
                    .zip(widths.iter().copied())
                    .collect(),
                rows,
            }),
            ..BlockView::default()
        },
    }
}

/// The draft as HTML.
pub fn render(doc: &DossierDocument) -> Result<String, ReportError> {
    let hb = TEMPLATES
        .as_ref()
        .map_err(|e| ReportError::Template(e.clone()))?;
    let sections = doc
        .sections
        .iter()
        .map(|s| SectionView {
            number: s.number,
            title: &s.title,
            asks: &s.asks,
            parts: s
                .parts
                .iter()
                .map(|p| PartView {
                    heading: part_heading(&p.point, &p.title),
                    has_facts: p.has_facts(),
                    blocks: p.filled.iter().map(block_view).collect(),
                    sources: &p.sources,
                    provider: &p.provider,
                })
                .collect(),
        })
        .collect();
    let view = View {
        css: &CSS,
        doc,
        notice: DRAFT_NOTICE,
        running: DRAFT_RUNNING,
        how_to_read: HOW_TO_READ,
        provider: PROVIDER,
        sections,
        overview: doc.overview(),
        checklist: doc.checklist(),
        content_hash: doc.content_hash(),
        generated_at: doc.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    };
    hb.render("dossier", &view)
        .map_err(|e| ReportError::Template(e.to_string()))
}
