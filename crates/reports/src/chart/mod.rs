//! Charts as geometry. Each chart is computed once as a list of [`Shape`]s in points (y grows
//! downwards, origin at the top left); the SVG writer (HTML report, desktop app) and the PDF
//! writer draw the very same shapes, so the two reports cannot disagree.
//!
//! Three charts are drawn: [`radar`](fn@radar) (area scores against targets), [`pillar_bars`]
//! (mean and minimum per pillar) and [`trend`](fn@trend) (scores across assessments). Text is
//! measured with the advance widths of DejaVu Sans ([`text_width`]), the font both writers use,
//! so labels can be wrapped and kept inside the chart without a font engine. [`Chart::to_svg`]
//! writes a standalone SVG fit for inlining under a strict Content-Security-Policy.

mod bars;
mod key;
mod radar;
mod svg;
mod text;
mod trend;

use serde::Serialize;

pub use bars::{Bar, pillar_bars};
pub use key::{KeyEntry, key};
pub use radar::{RadarAxis, radar, spoke};
pub use svg::{fmt_num, xml_escape};
pub use text::{text_width, wrap};
pub use trend::{Series, trend};

use text::{clean, ellipsize};

pub use crate::palette::Rgb;
use crate::palette::{AXIS, GRID, INK, MUTED, PAPER};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Shape {
    /// An open polyline.
    Line {
        points: Vec<(f32, f32)>,
        stroke: Rgb,
        width: f32,
        dashed: bool,
    },
    /// A closed polygon; `fill_opacity` in 0..=1 applies to the fill only.
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Option<Rgb>,
        fill_opacity: f32,
        stroke: Option<Rgb>,
        width: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
        width: f32,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        fill: Rgb,
    },
    /// `y` is the text baseline; `anchor` says which end of the text sits at `x`.
    Text {
        x: f32,
        y: f32,
        text: String,
        size: f32,
        anchor: Anchor,
        color: Rgb,
        bold: bool,
    },
}

/// A chart: its size in points and what to draw. `title` is for accessibility (SVG `<title>`,
/// PDF alt text where supported).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
}

/// Dash pattern (on, off) in points of `dashed` lines, for the SVG and the PDF writer alike.
pub const DASH: [f32; 2] = [4.0, 3.0];
/// The font the geometry is measured for.
pub const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

const MARGIN: f32 = 8.0;
const TITLE_SIZE: f32 = 10.5;
const LABEL_SIZE: f32 = 7.5;
const SMALL_SIZE: f32 = 6.5;
/// Line pitch of wrapped labels, in ems.
const LEADING: f32 = 1.2;
/// Share of the font size above the baseline, used to place and bound text blocks.
const ASCENT: f32 = 0.8;

type Pt = (f32, f32);

fn text(x: f32, y: f32, s: &str, size: f32, anchor: Anchor, color: Rgb, bold: bool) -> Shape {
    Shape::Text {
        x,
        y,
        text: clean(s),
        size,
        anchor,
        color,
        bold,
    }
}

/// Small grey text: ticks, level numbers, legends, notes.
fn small(x: f32, y: f32, s: &str, anchor: Anchor) -> Shape {
    text(x, y, s, SMALL_SIZE, anchor, MUTED, false)
}

/// Label text in `color`.
fn label(x: f32, y: f32, s: &str, anchor: Anchor, color: Rgb) -> Shape {
    text(x, y, s, LABEL_SIZE, anchor, color, false)
}

fn dot(cx: f32, cy: f32, r: f32, fill: Rgb) -> Shape {
    Shape::Circle { cx, cy, r, fill }
}

/// A straight line from `(x0, y0)` to `(x1, y1)`.
fn seg(x0: f32, y0: f32, x1: f32, y1: f32, stroke: Rgb, width: f32, dashed: bool) -> Shape {
    line(vec![(x0, y0), (x1, y1)], stroke, width, dashed)
}

/// Stroke of a gridline: darker for the axis (level 0) or the outer ring.
fn grid_style(edge: bool) -> (Rgb, f32) {
    if edge { (AXIS, 0.9) } else { (GRID, 0.7) }
}

fn line(points: Vec<Pt>, stroke: Rgb, width: f32, dashed: bool) -> Shape {
    Shape::Line {
        points,
        stroke,
        width,
        dashed,
    }
}

fn rect(x: f32, y: f32, w: f32, h: f32, fill: Rgb, stroke: Option<Rgb>) -> Shape {
    let fill = Some(fill);
    Shape::Rect {
        x,
        y,
        w,
        h,
        fill,
        stroke,
        width: if stroke.is_some() { 0.8 } else { 0.0 },
    }
}

fn polygon(points: Vec<Pt>, fill: Option<Rgb>, opacity: f32, stroke: Rgb, w: f32) -> Shape {
    let (fill_opacity, stroke, width) = (opacity, Some(stroke), w);
    Shape::Polygon {
        points,
        fill,
        fill_opacity,
        stroke,
        width,
    }
}

/// The first shapes of every chart: a white background (label halos need one, and print
/// looks the same on any page) and the title, cut short to fit.
fn canvas(title: &str, width: f32, height: f32) -> Vec<Shape> {
    let t = ellipsize(title, width - 2.0 * MARGIN, TITLE_SIZE, true);
    let title = text(MARGIN, 16.0, &t, TITLE_SIZE, Anchor::Start, INK, true);
    vec![rect(0.0, 0.0, width, height, PAPER, None), title]
}

fn chart(title: &str, width: f32, height: f32, shapes: Vec<Shape>) -> Chart {
    let (mut all, title) = (canvas(title, width, height), clean(title));
    all.extend(shapes);
    Chart {
        title,
        width,
        height,
        shapes: all,
    }
}

/// A usable scale maximum: `max` if positive and finite, else the four maturity levels.
fn sane_max(max: f64) -> f64 {
    let usable = max.is_finite() && max > 0.0;
    if usable { max } else { 4.0 }
}

/// `value` as a share of `max`, clamped to 0..=1; missing and non-finite values give `None`.
fn share(value: Option<f64>, max: f64) -> Option<f64> {
    let v = value.filter(|v| v.is_finite())?;
    Some((v / max).clamp(0.0, 1.0))
}

/// Gridline levels from 0: every integer up to `max`, and `max` itself if fractional.
fn levels(max: f64) -> Vec<f64> {
    let mut out: Vec<f64> = (0..=max.floor().min(100.0) as u32).map(f64::from).collect();
    if max.fract() > 1e-9 {
        out.push(max);
    }
    out
}

/// A legend swatch, drawn from its left end `x` at baseline `y`.
type Swatch = fn(f32, f32) -> Shape;

/// Legend entries in a row from the left at baseline `y`: each an optional swatch, then its
/// label.
fn legend(y: f32, items: Vec<(Option<Swatch>, &str)>) -> Vec<Shape> {
    let mut x = MARGIN;
    let mut shapes = Vec::new();
    for (swatch, label) in items {
        let label_x = swatch.map_or(x, |swatch| {
            shapes.push(swatch(x, y));
            x + 18.0
        });
        shapes.push(small(label_x, y, label, Anchor::Start));
        x = label_x + text_width(label, SMALL_SIZE, false) + 12.0;
    }
    shapes
}
