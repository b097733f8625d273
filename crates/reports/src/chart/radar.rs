//! The radar (spider) chart of area scores against targets.

use std::f64::consts::PI;

use serde::Serialize;

use super::text::widest;
use super::{
    ASCENT, Anchor, Chart, LABEL_SIZE, LEADING, MARGIN, Pt, SMALL_SIZE, Shape, Swatch, chart, dot,
    fmt_num, grid_style, label, legend, levels, line, polygon, rect, sane_max, seg, share, small,
    text_width, wrap,
};
use crate::palette::{GRID, INK, MUTED, PAPER, SCORE, TARGET};

fn swatch_area(x: f32, y: f32) -> Shape {
    let (x0, x1, y0, y1) = (x + 2.0, x + 13.0, y - 6.5, y + 0.5);
    let square = vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
    polygon(square, Some(SCORE), 0.2, SCORE, 1.0)
}

fn swatch_target(x: f32, y: f32) -> Shape {
    seg(x, y - 3.0, x + 15.0, y - 3.0, TARGET, 1.4, true)
}

/// One spoke of the radar: an area, its score and its target on the 0..=max scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RadarAxis {
    pub label: String,
    /// `None`: the area was not scored; drawn at 0 with a grey label.
    pub value: Option<f64>,
    pub target: Option<f64>,
}

const RADAR_W: f32 = 380.0;
const RADAR_H: f32 = 320.0;
/// Wrap width of the axis labels (about 18 characters).
const RADAR_LABEL_W: f32 = 74.0;
/// Gap between the outer ring and the axis labels.
const RADAR_GAP: f64 = 6.0;

/// Unit vector of spoke `i` of `n` in screen coordinates: the first points straight up, the
/// others follow clockwise.
pub fn spoke(i: usize, n: usize) -> (f64, f64) {
    let a = 2.0 * PI * i as f64 / n.max(1) as f64;
    (a.sin(), -a.cos())
}

/// Anchor of a label by the horizontal part of its spoke, with the share of the label's width
/// that lies left of the anchor point.
fn radar_anchor(ux: f64) -> (Anchor, f64) {
    if ux.abs() < 0.1 {
        (Anchor::Middle, 0.5)
    } else if ux > 0.0 {
        (Anchor::Start, 0.0)
    } else {
        (Anchor::End, 1.0)
    }
}

/// Height of a label block of `lines` lines, from the top of the first to the foot of the last.
fn block_height(lines: usize) -> f64 {
    f64::from((lines.max(1) - 1) as f32 * LABEL_SIZE * LEADING + LABEL_SIZE)
}

/// The largest radius for which every label block (width, line count) stays inside the box
/// `MARGIN..RADAR_W - MARGIN` × `top..bottom` around the centre `(cx, cy)`.
fn radar_radius(blocks: &[(f64, usize)], (cx, cy): (f64, f64), top: f64, bottom: f64) -> f64 {
    let (m, w_all) = (f64::from(MARGIN), f64::from(RADAR_W));
    let mut reach = f64::INFINITY;
    for (i, &(w, lines)) in blocks.iter().enumerate() {
        let (ux, uy) = spoke(i, blocks.len());
        let (_, left) = radar_anchor(ux);
        let h = block_height(lines);
        // Each limit reads: reach * coefficient <= slack.
        let limits = [
            (-ux, cx - m - w * left),
            (ux, w_all - m - cx - w * (1.0 - left)),
            (-uy, cy - top - h * (1.0 - uy) / 2.0),
            (uy, bottom - cy - h * (1.0 + uy) / 2.0),
        ];
        for (coef, slack) in limits.into_iter().filter(|(coef, _)| *coef > 1e-9) {
            reach = reach.min(slack / coef);
        }
    }
    (reach - RADAR_GAP).clamp(24.0, 130.0)
}

/// A radar (spider) chart of area scores against targets on a 0..=`max` scale: grid rings at
/// every level, one spoke per axis (the first straight up, then clockwise), the targets as a
/// dashed loop, the scores as a filled polygon with a dot on each scored vertex.
pub fn radar(title: &str, axes: &[RadarAxis], max: f64) -> Chart {
    let (max, n) = (sane_max(max), axes.len());
    let (top, bottom) = (26.0, f64::from(RADAR_H) - 20.0);
    let (cx, cy) = (f64::from(RADAR_W) / 2.0, (top + bottom) / 2.0);
    let mut shapes = Vec::new();
    let centre = (cx as f32, cy as f32);
    if n == 0 {
        let msg = small(centre.0, centre.1, "No areas to show", Anchor::Middle);
        return chart(title, RADAR_W, RADAR_H, vec![msg]);
    }
    let wrap_label = |a: &RadarAxis| wrap(&a.label, RADAR_LABEL_W, LABEL_SIZE, 3);
    let labels: Vec<Vec<String>> = axes.iter().map(wrap_label).collect();
    let block = |ls: &Vec<String>| (f64::from(widest(ls, LABEL_SIZE)), ls.len());
    let blocks: Vec<_> = labels.iter().map(block).collect();
    let r = radar_radius(&blocks, (cx, cy), top, bottom);
    let at = |i: usize, s: f64| {
        let (ux, uy) = spoke(i, n);
        ((cx + r * s * ux) as f32, (cy + r * s * uy) as f32)
    };

    for level in levels(max).into_iter().skip(1) {
        let (stroke, width) = grid_style(level >= max);
        let ring = (0..n).map(|i| at(i, level / max)).collect();
        shapes.push(polygon(ring, None, 0.0, stroke, width));
    }
    shapes.extend((0..n).map(|i| line(vec![centre, at(i, 1.0)], GRID, 0.7, false)));
    // Targets: a dashed loop through the axes that have one, broken where an axis has none.
    let targets: Vec<Option<f64>> = axes.iter().map(|a| share(a.target, max)).collect();
    let start = targets.iter().position(Option::is_none).unwrap_or(n - 1);
    let mut run: Vec<Pt> = Vec::new();
    for k in 1..=n + 1 {
        let i = (start + k) % n;
        match targets[i] {
            Some(t) if k <= n || targets.iter().all(Option::is_some) => run.push(at(i, t)),
            _ => shapes.extend(target_run(std::mem::take(&mut run))),
        }
    }
    shapes.extend(target_run(run));
    let values: Vec<Option<f64>> = axes.iter().map(|a| share(a.value, max)).collect();
    if values.iter().any(Option::is_some) {
        let points = (0..n).map(|i| at(i, values[i].unwrap_or(0.0))).collect();
        shapes.push(polygon(points, Some(SCORE), 0.2, SCORE, 1.6));
        for (i, v) in values.iter().enumerate() {
            if let Some((x, y)) = v.map(|v| at(i, v)) {
                shapes.push(dot(x, y, 2.3, SCORE));
            }
        }
    }
    // Level numbers on a white halo just inside each ring, right of the first spoke.
    for level in levels(max).into_iter().skip(1).filter(|l| l.fract() < 1e-9) {
        let (x, y) = (cx as f32 + 2.5, (cy - r * level / max) as f32);
        let number = fmt_num(level as f32);
        let w = text_width(&number, SMALL_SIZE, false) + 2.0;
        shapes.push(rect(x - 1.0, y + 1.2, w, 7.0, PAPER, None));
        shapes.push(small(x, y + 6.8, &number, Anchor::Start));
    }
    for (i, lines) in labels.iter().enumerate() {
        let (ux, uy) = spoke(i, n);
        let (x, y) = (cx + (r + RADAR_GAP) * ux, cy + (r + RADAR_GAP) * uy);
        let block_top = (y - block_height(lines.len()) * (1.0 - uy) / 2.0) as f32;
        let color = if values[i].is_some() { INK } else { MUTED };
        let anchor = radar_anchor(ux).0;
        for (j, l) in lines.iter().enumerate() {
            let base = block_top + LABEL_SIZE * (ASCENT + j as f32 * LEADING);
            shapes.push(label(x as f32, base, l, anchor, color));
        }
    }
    let mut items: Vec<(Option<Swatch>, &str)> = vec![(Some(swatch_area), "Score")];
    if targets.iter().any(Option::is_some) {
        items.push((Some(swatch_target), "Target"));
    }
    if values.iter().any(Option::is_none) {
        items.push((None, "Grey label: area not scored"));
    }
    shapes.extend(legend(RADAR_H - 8.0, items));
    chart(title, RADAR_W, RADAR_H, shapes)
}

/// A run of consecutive targets: a dashed line, or a dot when it is a single point.
fn target_run(run: Vec<Pt>) -> Option<Shape> {
    match run.as_slice() {
        [] => None,
        [(x, y)] => Some(dot(*x, *y, 1.8, TARGET)),
        _ => Some(line(run, TARGET, 1.4, true)),
    }
}
