//! The line chart of scores across assessments.

use serde::Serialize;

use super::text::{clean, ellipsize, widest};
use super::{
    Anchor, Chart, LABEL_SIZE, MARGIN, Pt, Rgb, SMALL_SIZE, Shape, chart, dot, fmt_num, grid_style,
    label, levels, line, rect, sane_max, seg, share, small, text, text_width,
};
use crate::palette::{AXIS, INK, SERIES};

/// One line of the trend chart: a label and one optional value per assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub label: String,
    /// One entry per x label; `None` leaves a gap.
    pub points: Vec<Option<f64>>,
}

const TREND_W: f32 = 480.0;

/// Colour, dashes and square markers of series `i`: the palette cycles, and each cycle
/// changes dash and marker, so that no two of the first 21 series look alike.
fn series_style(i: usize) -> (Rgb, bool, bool) {
    let cycle = i / SERIES.len();
    (
        SERIES[i % SERIES.len()],
        cycle % 3 == 1,
        !cycle.is_multiple_of(3),
    )
}

fn marker((x, y): Pt, color: Rgb, square: bool) -> Shape {
    if square {
        rect(x - 2.3, y - 2.3, 4.6, 4.6, color, None)
    } else {
        dot(x, y, 2.6, color)
    }
}

/// A line chart of scores across assessments: `x_labels` name the assessments (dates), each
/// series has one optional point per assessment on a 0..=`max` scale; missing points leave
/// gaps, and a point without neighbours shows as its marker alone.
pub fn trend(title: &str, x_labels: &[String], series: &[Series], max: f64) -> Chart {
    let (max, n) = (sane_max(max), x_labels.len());
    let (x0, x1, top, bottom, pad) = (MARGIN + 22.0, TREND_W - MARGIN - 4.0, 32.0, 192.0, 24.0);
    // Distance between assessments; a single one sits in the middle.
    let slot = (x1 - x0 - 2.0 * pad) / n.saturating_sub(1).max(1) as f32;
    let first = if n > 1 { x0 + pad } else { (x0 + x1) / 2.0 };
    let x_of = |i: usize| first + slot * i as f32;
    let y_of = |share: f64| bottom - (bottom - top) * share as f32;

    let mut shapes = Vec::new();
    for level in levels(max) {
        let (y, (stroke, width)) = (y_of(level / max), grid_style(level == 0.0));
        shapes.push(seg(x0, y, x1, y, stroke, width, false));
        let tick = fmt_num(level as f32);
        shapes.push(small(x0 - 6.0, y + 2.5, &tick, Anchor::End));
    }
    if n == 0 {
        let (x, y) = ((x0 + x1) / 2.0, (top + bottom) / 2.0);
        shapes.push(small(x, y, "No assessments to show", Anchor::Middle));
    }
    // Assessment names under their ticks, every `step`-th one when they would collide.
    let names: Vec<String> = x_labels
        .iter()
        .map(|l| ellipsize(l, 110.0, SMALL_SIZE, false))
        .collect();
    let step = ((widest(&names, SMALL_SIZE) + 8.0) / slot).ceil().max(1.0) as usize;
    for (i, name) in names.iter().enumerate() {
        let x = x_of(i);
        shapes.push(seg(x, bottom, x, bottom + 3.0, AXIS, 0.9, false));
        if i % step == 0 {
            let half = text_width(name, SMALL_SIZE, false) / 2.0;
            let x = x.clamp(MARGIN + half, TREND_W - MARGIN - half);
            let y = bottom + 12.0;
            shapes.push(text(x, y, name, SMALL_SIZE, Anchor::Middle, INK, false));
        }
    }
    for (si, s) in series.iter().enumerate() {
        let (color, dashed, square) = series_style(si);
        let value = |i: usize| share(s.points.get(i).copied().flatten(), max);
        let points: Vec<Option<Pt>> = (0..n)
            .map(|i| value(i).map(|v| (x_of(i), y_of(v))))
            .collect();
        for run in points.split(Option::is_none).filter(|run| run.len() > 1) {
            let run = run.iter().flatten().copied().collect();
            shapes.push(line(run, color, 1.6, dashed));
        }
        shapes.extend(points.iter().flatten().map(|&p| marker(p, color, square)));
    }
    // Legend: three columns, or two when that spares cutting labels short.
    let names: Vec<String> = series.iter().map(|s| clean(&s.label)).collect();
    let fits_three = widest(&names, LABEL_SIZE) + 28.0 <= (TREND_W - 2.0 * MARGIN) / 3.0;
    let cols = if fits_three { 3 } else { 2 };
    let col_w = (TREND_W - 2.0 * MARGIN) / cols as f32;
    let legend_top = bottom + 30.0;
    for (si, name) in names.iter().enumerate() {
        let (color, dashed, square) = series_style(si);
        let x = MARGIN + col_w * (si % cols) as f32;
        let y = legend_top + 12.0 * (si / cols) as f32;
        shapes.push(seg(x, y - 3.0, x + 16.0, y - 3.0, color, 1.6, dashed));
        shapes.push(marker((x + 8.0, y - 3.0), color, square));
        let name = ellipsize(name, col_w - 28.0, LABEL_SIZE, false);
        shapes.push(label(x + 21.0, y, &name, Anchor::Start, INK));
    }
    let rows = series.len().div_ceil(cols).max(1);
    let height = legend_top + 12.0 * (rows - 1) as f32 + 8.0;
    chart(title, TREND_W, height, shapes)
}
