//! A small flowing-document builder on printpdf's low-level operations: A4 portrait pages,
//! wrapped paragraphs, headings kept with what follows, key/value lists, tables that break
//! across pages with their header row repeated, charts, a running header and a
//! "Page X of Y" footer and a document outline; `save` writes the file.
//!
//! Positions are kept in points from the top left corner of the page; the drawing layer
//! ([`super::chart_ops::Canvas`]) flips them into PDF space. The same input always gives the
//! same bytes: every id printpdf would otherwise draw from a process-wide counter (font ids,
//! ExtGState ids, the trailer `/ID`) is derived from [`DocumentInfo::document_id`], and the
//! dates come from the info, never from the clock.

use std::collections::BTreeSet;

use printpdf::{Actions, BorderArray, LinkAnnotation, Mm, Op, PdfFontHandle, PdfPage, Pt, Rect};

use super::chart_ops::{Canvas, Pen};
use super::fonts::{self, FontHandles, FontKind, TextEngine};
use super::page::{Bookmark, MARGIN_X, MM, PAGE_HEIGHT, TEXT_BOTTOM, TEXT_TOP, TEXT_WIDTH};
use super::save;
use super::text;
use crate::chart::{Anchor, Chart, Rgb, Shape};
use crate::palette::{ACCENT, GRID, INK, PAPER, ZEBRA};

pub use super::error::PdfError;
pub use super::fonts::TextStyle;
pub use super::save::DocumentInfo;
pub use super::table::{Align, Column, Row, Table};

const TABLE_SIZE: f32 = 8.5;
const CELL_PAD_X: f32 = 4.5;
const CELL_PAD_Y: f32 = 3.2;

/// The running header and footer. The footer's right side is always "Page X of Y".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Running {
    pub header_left: String,
    pub header_right: String,
    pub footer_left: String,
}

/// Rows of wrapped cells laid out on a column grid (a table body or a key/value list).
#[derive(Debug)]
struct Grid {
    x: Vec<f32>,
    widths: Vec<f32>,
    aligns: Vec<Align>,
    size: f32,
    /// Header lines per column, repeated on every page the grid continues on.
    header: Option<Vec<Vec<String>>>,
}

impl Grid {
    fn line_height(&self) -> f32 {
        self.size * 1.3
    }
    fn header_height(&self) -> f32 {
        self.header.as_ref().map_or(0.0, |h| {
            let n = h.iter().map(Vec::len).max().unwrap_or(1);
            n as f32 * self.line_height() + 2.0 * CELL_PAD_Y
        })
    }
}

#[derive(Debug)]
struct GridRow {
    cells: Vec<Vec<String>>,
    /// Per column.
    bold: Vec<bool>,
    fill: Option<Rgb>,
    /// A web address the row's last cell links to (a clickable area over that cell).
    link: Option<String>,
}

/// A flowing A4 document. Add content in reading order, then [`Document::finish`].
#[derive(Debug)]
pub struct Document {
    info: DocumentInfo,
    running: Running,
    fonts: FontHandles,
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
    outline: Vec<Bookmark>,
    missing: BTreeSet<char>,
    alphas: BTreeSet<u16>,
    pen: Pen,
}

impl Document {
    /// An empty A4 portrait document with one blank page, its text set with
    /// [`TextEngine::Unicode`].
    pub fn new(info: DocumentInfo, running: Running) -> Self {
        Self::with_engine(info, running, TextEngine::default())
    }

    /// An empty A4 portrait document with one blank page, its text set with `engine`.
    pub fn with_engine(info: DocumentInfo, running: Running, engine: TextEngine) -> Self {
        let mut missing = BTreeSet::new();
        let mut clean = |s: &str, bold| text::sanitize(s, bold, engine, &mut missing).into_owned();
        let running = Running {
            header_left: clean(&running.header_left, true),
            header_right: clean(&running.header_right, false),
            footer_left: clean(&running.footer_left, false),
        };
        let fonts = FontHandles::new(&info.document_id).with_engine(engine);
        Self {
            info,
            running,
            fonts,
            done: Vec::new(),
            ops: Vec::with_capacity(2048),
            y: TEXT_TOP,
            outline: Vec::new(),
            missing,
            alphas: BTreeSet::new(),
            pen: Pen::default(),
        }
    }

    fn canvas(&mut self) -> Canvas<'_> {
        Canvas {
            ops: &mut self.ops,
            page_height: PAGE_HEIGHT,
            fonts: &self.fonts,
            missing: &mut self.missing,
            alphas: &mut self.alphas,
            pen: &mut self.pen,
        }
    }

    fn page(&self) -> usize {
        self.done.len() + 1
    }

    fn at_top(&self) -> bool {
        self.y <= TEXT_TOP + 0.01
    }

    fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.ops, Vec::with_capacity(2048));
        self.done.push(full);
        self.y = TEXT_TOP;
        self.pen = Pen::default();
    }

    /// Starts a new page unless `height` points still fit on this one (or this one is empty):
    /// keeps a block together.
    pub fn keep_together(&mut self, height: f32) {
        self.ensure(height);
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > TEXT_BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    fn clean(&mut self, text: &str, bold: bool) -> String {
        text::sanitize(text, bold, self.fonts.engine, &mut self.missing).into_owned()
    }

    /// How this document sets its text.
    pub fn text_engine(&self) -> TextEngine {
        self.fonts.engine
    }

    /// A heading: 1 is a section (with an outline entry), 2 and 3 subsections. It moves to
    /// the next page rather than end a page without three lines of what follows.
    pub fn heading(&mut self, level: u8, text: &str) {
        let (style, before, after) = match level {
            0 | 1 => (TextStyle::new(15.0, true, ACCENT), 14.0, 9.0),
            2 => (TextStyle::new(12.0, true, ACCENT), 10.0, 5.0),
            _ => (TextStyle::new(10.5, true, INK), 8.0, 3.0),
        };
        let text = self.clean(text, true);
        let lines = text::wrap(&text, TEXT_WIDTH, style.size, true, self.fonts.engine);
        let lh = style.size * 1.3;
        let height = lines.len() as f32 * lh + after;
        let follow = 3.0 * TextStyle::body().line_height();
        self.ensure(before + height + follow);
        if !self.at_top() {
            self.y += before;
        }
        if level <= 1 {
            self.outline.push(Bookmark {
                title: text.clone(),
                page: self.page(),
                y: self.y,
            });
        }
        for line in &lines {
            self.text_line(line, style, lh);
        }
        if level <= 1 {
            let y = self.y + 2.0;
            self.canvas()
                .rule((MARGIN_X, y), (MARGIN_X + TEXT_WIDTH, y), ACCENT, 0.8);
        }
        self.y += after;
    }

    /// One line of text at the flow position, vertically centred in a line `lh` high.
    fn text_line(&mut self, line: &str, style: TextStyle, lh: f32) {
        let baseline = self.y + lh * 0.5 + style.size * 0.36;
        let TextStyle { size, bold, color } = style;
        self.canvas()
            .text(MARGIN_X, baseline, line, size, bold, color);
        self.y += lh;
    }

    /// Wrapped text; `'\n'` starts a new line, an empty line leaves a blank one.
    pub fn paragraph(&mut self, text: &str, style: TextStyle) {
        let text = self.clean(text, style.bold);
        let lh = style.line_height();
        for line in text::wrap(&text, TEXT_WIDTH, style.size, style.bold, self.fonts.engine) {
            self.ensure(lh);
            self.text_line(&line, style, lh);
        }
        self.y += style.size * 0.6;
    }

    /// A two-column list: the label in bold, the value wrapped beside it.
    pub fn key_values(&mut self, rows: &[(String, String)]) {
        self.key_values_linked(rows, &[]);
    }

    /// [`Document::key_values`] where `links[i]`, when set, makes row `i`'s value a clickable
    /// link to that web address.
    pub fn key_values_linked(&mut self, rows: &[(String, String)], links: &[Option<String>]) {
        let (grid, mut rows) = self.key_value_grid(rows);
        for (row, link) in rows.iter_mut().zip(links) {
            row.link.clone_from(link);
        }
        self.grid(&grid, &rows);
        self.y += 8.0;
    }

    /// How tall [`Document::key_values`] would draw `rows`, page breaks aside.
    pub fn key_values_height(&mut self, rows: &[(String, String)]) -> f32 {
        let (grid, rows) = self.key_value_grid(rows);
        let lh = grid.line_height();
        let body: f32 = rows
            .iter()
            .map(|row| {
                let lines = row.cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                lines as f32 * lh + 2.0 * CELL_PAD_Y
            })
            .sum();
        body + 8.0
    }

    fn key_value_grid(&mut self, rows: &[(String, String)]) -> (Grid, Vec<GridRow>) {
        let size = 9.0;
        let engine = self.fonts.engine;
        let widest = rows
            .iter()
            .map(|(k, _)| text::text_width(k, size, true, engine))
            .fold(0.0, f32::max);
        let label = (widest + 2.0 * CELL_PAD_X + 6.0).clamp(TEXT_WIDTH * 0.2, TEXT_WIDTH * 0.38);
        let grid = Grid {
            x: vec![MARGIN_X, MARGIN_X + label],
            widths: vec![label, TEXT_WIDTH - label],
            aligns: vec![Align::Left, Align::Left],
            size,
            header: None,
        };
        let rows = rows
            .iter()
            .map(|(k, v)| {
                let k = self.clean(k, true);
                let v = self.clean(v, false);
                GridRow {
                    cells: vec![
                        text::wrap(&k, label - 2.0 * CELL_PAD_X, size, true, engine),
                        text::wrap(
                            &v,
                            TEXT_WIDTH - label - 2.0 * CELL_PAD_X,
                            size,
                            false,
                            engine,
                        ),
                    ],
                    bold: vec![true, false],
                    fill: None,
                    link: None,
                }
            })
            .collect::<Vec<_>>();
        (grid, rows)
    }

    /// The height of a page's text area: a block taller than this is split whatever we do.
    pub fn page_text_height() -> f32 {
        TEXT_BOTTOM - TEXT_TOP
    }

    /// A table: wrapped cells, the header row repeated on every page, rows moved whole to
    /// the next page when they fit on one, split by lines when they do not.
    pub fn table(&mut self, table: &Table) {
        let n = table.columns.len();
        if n == 0 {
            return;
        }
        let total: f32 = table.columns.iter().map(|c| c.width.max(0.0)).sum();
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| {
                if total > 0.0 {
                    c.width.max(0.0) / total * TEXT_WIDTH
                } else {
                    TEXT_WIDTH / n as f32
                }
            })
            .collect();
        let x = widths
            .iter()
            .scan(MARGIN_X, |x, w| {
                let left = *x;
                *x += w;
                Some(left)
            })
            .collect();
        let inner = |i: usize| (widths[i] - 2.0 * CELL_PAD_X).max(1.0);
        let engine = self.fonts.engine;
        // A table whose columns are all untitled has no header row.
        let titled = table.columns.iter().any(|c| !c.title.trim().is_empty());
        let header = titled.then(|| {
            let titles = table.columns.iter().enumerate();
            titles
                .map(|(i, c)| {
                    let title = self.clean(&c.title, true);
                    text::wrap(&title, inner(i), TABLE_SIZE, true, engine)
                })
                .collect()
        });
        let rows = table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let cells = (0..n)
                    .map(|i| {
                        let t = self.clean(row.cells.get(i).map_or("", String::as_str), row.bold);
                        text::wrap(&t, inner(i), TABLE_SIZE, row.bold, engine)
                    })
                    .collect();
                let zebra = (table.zebra && r % 2 == 1).then_some(ZEBRA);
                GridRow {
                    cells,
                    bold: vec![row.bold; n],
                    fill: row.fill.or(zebra),
                    link: row.link.clone(),
                }
            })
            .collect::<Vec<_>>();
        let grid = Grid {
            x,
            aligns: table.columns.iter().map(|c| c.align).collect(),
            widths,
            size: TABLE_SIZE,
            header,
        };
        self.grid(&grid, &rows);
        self.y += 10.0;
    }

    fn grid(&mut self, grid: &Grid, rows: &[GridRow]) {
        let lh = grid.line_height();
        let header_h = grid.header_height();
        let first = rows.first().map_or(0.0, |r| {
            let lines = r.cells.iter().map(Vec::len).max().unwrap_or(1).min(2);
            lines as f32 * lh + 2.0 * CELL_PAD_Y
        });
        self.ensure(header_h + first);
        self.grid_header(grid);
        let right = MARGIN_X + grid.widths.iter().sum::<f32>();
        if grid.header.is_none() {
            let y = self.y;
            self.canvas().rule((MARGIN_X, y), (right, y), GRID, 0.5);
        }
        for row in rows {
            let n = row.cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = n as f32 * lh + 2.0 * CELL_PAD_Y;
            if self.y + height > TEXT_BOTTOM && height <= TEXT_BOTTOM - TEXT_TOP - header_h {
                self.grid_break(grid);
            }
            let mut start = 0;
            let mut fresh = false;
            while start < n {
                let room = ((TEXT_BOTTOM - self.y - 2.0 * CELL_PAD_Y) / lh).floor();
                let fit = if room >= 1.0 {
                    room as usize
                } else {
                    usize::from(fresh)
                };
                if fit == 0 {
                    self.grid_break(grid);
                    fresh = true;
                    continue;
                }
                let end = n.min(start + fit);
                let h = (end - start) as f32 * lh + 2.0 * CELL_PAD_Y;
                if let Some(fill) = row.fill {
                    let y = self.y;
                    self.canvas()
                        .fill_rect(MARGIN_X, y, right - MARGIN_X, h, fill);
                }
                for (c, lines) in row.cells.iter().enumerate() {
                    let bold = row.bold.get(c).copied().unwrap_or(false);
                    let take = lines.iter().enumerate().skip(start).take(end - start);
                    for (k, line) in take {
                        let top = self.y + CELL_PAD_Y + (k - start) as f32 * lh;
                        self.cell_text(grid, c, top, line, bold, INK);
                    }
                }
                if let Some(uri) = &row.link {
                    self.link_area(grid, row.cells.len() - 1, h, uri);
                }
                self.y += h;
                let y = self.y;
                self.canvas().rule((MARGIN_X, y), (right, y), GRID, 0.5);
                start = end;
                if start < n {
                    self.grid_break(grid);
                    fresh = true;
                }
            }
        }
    }

    /// A borderless link annotation over column `c` of the row being drawn, `h` points tall.
    fn link_area(&mut self, grid: &Grid, c: usize, h: f32, uri: &str) {
        let (Some(&x), Some(&w)) = (grid.x.get(c), grid.widths.get(c)) else {
            return;
        };
        let rect = Rect::from_xywh(Pt(x), Pt(PAGE_HEIGHT - self.y - h), Pt(w), Pt(h));
        let link = LinkAnnotation::new(
            rect,
            Actions::uri(uri.to_owned()),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            None,
            None,
        );
        self.ops.push(Op::LinkAnnotation { link });
    }

    fn grid_break(&mut self, grid: &Grid) {
        self.new_page();
        self.grid_header(grid);
    }

    fn grid_header(&mut self, grid: &Grid) {
        let Some(header) = &grid.header else {
            return;
        };
        let h = grid.header_height();
        let width = grid.widths.iter().sum::<f32>();
        let y = self.y;
        self.canvas().fill_rect(MARGIN_X, y, width, h, ACCENT);
        for (c, lines) in header.iter().enumerate() {
            for (k, line) in lines.iter().enumerate() {
                let top = self.y + CELL_PAD_Y + k as f32 * grid.line_height();
                self.cell_text(grid, c, top, line, true, PAPER);
            }
        }
        self.y += h;
    }

    fn cell_text(&mut self, grid: &Grid, c: usize, top: f32, line: &str, bold: bool, fill: Rgb) {
        let (Some(&x), Some(&w)) = (grid.x.get(c), grid.widths.get(c)) else {
            return;
        };
        let size = grid.size;
        let (x, anchor) = match grid.aligns.get(c).copied().unwrap_or(Align::Left) {
            Align::Left => (x + CELL_PAD_X, Anchor::Start),
            Align::Right => (x + w - CELL_PAD_X, Anchor::End),
            Align::Center => (x + w / 2.0, Anchor::Middle),
        };
        let baseline = top + grid.line_height() * 0.5 + size * 0.36;
        self.canvas()
            .text_anchored(x, baseline, line, size, bold, fill, anchor);
    }

    /// A chart scaled to `width_mm` (at most the text width), centred; on a new page if it
    /// does not fit on this one.
    pub fn chart(&mut self, chart: &Chart, width_mm: f32) {
        if chart.width <= 0.0 || chart.height <= 0.0 {
            return;
        }
        let width = (width_mm * MM).min(TEXT_WIDTH);
        let scale = (width / chart.width).min((TEXT_BOTTOM - TEXT_TOP) / chart.height);
        let (w, h) = (chart.width * scale, chart.height * scale);
        self.ensure(h);
        let x = MARGIN_X + (TEXT_WIDTH - w) / 2.0;
        let y = self.y;
        self.canvas().chart(chart, x, y, scale);
        self.y += h + 8.0;
    }

    /// Draws `shapes` (coordinates in points) with their origin at (`x_mm`, `y_mm`) from the
    /// top left of the current page, scaled; the flow position does not move.
    pub fn shapes_at(&mut self, shapes: &[Shape], x_mm: f32, y_mm: f32, scale: f32) {
        self.canvas().shapes(shapes, x_mm * MM, y_mm * MM, scale);
    }

    /// Vertical space; a new page if it runs past the bottom.
    pub fn spacer(&mut self, mm: f32) {
        self.y += mm * MM;
        if self.y >= TEXT_BOTTOM {
            self.new_page();
        }
    }

    /// Continues on a new page (does nothing on a page with nothing on it yet).
    pub fn page_break(&mut self) {
        if !self.ops.is_empty() {
            self.new_page();
        }
    }

    /// An outline entry pointing at the current position, without a heading.
    pub fn outline_entry(&mut self, title: &str) {
        self.outline.push(Bookmark {
            title: title.to_owned(),
            page: self.page(),
            y: self.y,
        });
    }

    pub fn page_count(&self) -> usize {
        self.page()
    }

    /// Every top-level heading so far with the page it is on, in order.
    pub fn outline_pages(&self) -> Vec<(String, usize)> {
        self.outline
            .iter()
            .map(|b| (b.title.clone(), b.page))
            .collect()
    }

    /// Characters no font can draw; each was drawn as a visible replacement character, or an
    /// emoji as its name.
    pub fn missing_glyphs(&self) -> &BTreeSet<char> {
        &self.missing
    }

    fn running_ops(&mut self, page: usize, total: usize) -> (Vec<Op>, Vec<Op>) {
        let (mut head, mut foot) = (Vec::with_capacity(32), Vec::with_capacity(32));
        let mut pen = Pen::default();
        let mut canvas = Canvas {
            ops: &mut head,
            page_height: PAGE_HEIGHT,
            fonts: &self.fonts,
            missing: &mut self.missing,
            alphas: &mut self.alphas,
            pen: &mut pen,
        };
        let (left, right) = (MARGIN_X, MARGIN_X + TEXT_WIDTH);
        let r = &self.running;
        canvas.running_header(left, right, 16.5 * MM, &r.header_left, &r.header_right);
        canvas.ops = &mut foot;
        *canvas.pen = Pen::default();
        let label = format!("Page {page} of {total}");
        canvas.running_footer(left, right, PAGE_HEIGHT - 15.5 * MM, &r.footer_left, &label);
        (head, foot)
    }

    /// Adds the running header and footer to every page and writes the PDF.
    pub fn finish(mut self) -> Result<Vec<u8>, PdfError> {
        fonts::fonts()?;
        let last = std::mem::take(&mut self.ops);
        self.done.push(last);
        let bodies = std::mem::take(&mut self.done);
        let total = bodies.len();
        let mut pages = Vec::with_capacity(total);
        for (i, body) in bodies.into_iter().enumerate() {
            let (mut ops, foot) = self.running_ops(i + 1, total);
            ops.reserve(body.len() + foot.len());
            ops.extend(body);
            ops.extend(foot);
            pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
        }

        // The fallback face is embedded only in a document that draws with it.
        let fallback = PdfFontHandle::External(self.fonts.id(FontKind::Fallback).clone());
        let uses_fallback = pages
            .iter()
            .flat_map(|p| &p.ops)
            .any(|op| matches!(op, Op::SetFont { font, .. } if *font == fallback));
        save::write(
            &self.info,
            pages,
            &self.fonts,
            uses_fallback,
            &self.alphas,
            &self.outline,
        )
    }
}
