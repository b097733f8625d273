//! The bar chart of pillar scores: mean, minimum and target per pillar.

use serde::Serialize;

use super::text::widest;
use super::{
    Anchor, Chart, LABEL_SIZE, LEADING, MARGIN, Shape, Swatch, chart, fmt_num, grid_style, label,
    legend, levels, rect, sane_max, seg, share, small, text, wrap,
};
use crate::palette::{INK, MUTED, SCORE, SCORE_LIGHT, TARGET};

/// One bar: a pillar's mean, its weakest area and its target on the 0..=max scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub label: String,
    /// `None`: nothing in the pillar was scored.
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub target: Option<f64>,
}

const BARS_W: f32 = 480.0;

fn swatch_bar(x: f32, y: f32) -> Shape {
    rect(x + 2.0, y - 7.0, 11.0, 7.0, SCORE_LIGHT, Some(SCORE))
}

fn swatch_min(x: f32, y: f32) -> Shape {
    seg(x + 7.5, y - 8.0, x + 7.5, y + 1.0, INK, 2.0, false)
}

fn swatch_target_tick(x: f32, y: f32) -> Shape {
    seg(x + 7.5, y - 8.0, x + 7.5, y + 1.0, TARGET, 1.5, true)
}

/// Horizontal bars, one per pillar: the mean as a bar with its value printed on the right, the
/// minimum as a dark tick, the target as a dashed tick, on an axis 0..=`max` with gridlines at
/// every level.
pub fn pillar_bars(title: &str, bars: &[Bar], max: f64) -> Chart {
    let max = sane_max(max);
    let labels: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap(&b.label, 130.0, LABEL_SIZE, 2))
        .collect();
    let x0 = MARGIN + widest(labels.iter().flatten(), LABEL_SIZE).max(40.0) + 12.0;
    let (x1, right) = (BARS_W - MARGIN - 44.0, BARS_W - MARGIN);
    let mid = (x0 + x1) / 2.0;
    let few = bars.len() <= 6;
    let (pitch, bar_h) = if few { (28.0, 13.0) } else { (22.0, 10.0) };
    let top = 38.0;
    let bottom = top + pitch * bars.len().max(1) as f32;
    let x_of = |share: f64| x0 + (x1 - x0) * share as f32;

    let mut shapes = vec![small(right, top - 6.0, "Mean", Anchor::End)];
    for level in levels(max) {
        let (x, (stroke, width)) = (x_of(level / max), grid_style(level == 0.0));
        shapes.push(seg(x, top - 4.0, x, bottom, stroke, width, false));
        let tick = fmt_num(level as f32);
        shapes.push(small(x, bottom + 10.0, &tick, Anchor::Middle));
    }
    let caption = format!("Maturity level (0–{})", fmt_num(max as f32));
    shapes.push(small(mid, bottom + 21.0, &caption, Anchor::Middle));
    if bars.is_empty() {
        let y = top + pitch / 2.0 + 3.0;
        shapes.push(small(mid, y, "No pillars to show", Anchor::Middle));
    }
    for (i, (bar, lines)) in bars.iter().zip(&labels).enumerate() {
        let yc = top + pitch * (i as f32 + 0.5);
        let mean = share(bar.mean, max);
        let color = if mean.is_some() { INK } else { MUTED };
        let first = yc + LABEL_SIZE * (0.35 - (lines.len() as f32 - 1.0) * LEADING / 2.0);
        for (j, l) in lines.iter().enumerate() {
            let y = first + j as f32 * LABEL_SIZE * LEADING;
            shapes.push(label(MARGIN, y, l, Anchor::Start, color));
        }
        let (bar_top, value_y) = (yc - bar_h / 2.0, yc + 3.0);
        if let (Some(m), Some(v)) = (mean, bar.mean) {
            let w = x_of(m) - x0;
            shapes.push(rect(x0, bar_top, w, bar_h, SCORE_LIGHT, Some(SCORE)));
            let value = format!("{v:.2}");
            shapes.push(text(right, value_y, &value, 8.0, Anchor::End, INK, true));
        } else {
            shapes.push(small(x0 + 5.0, yc + 2.5, "not scored", Anchor::Start));
            shapes.push(text(right, value_y, "n/a", 8.0, Anchor::End, MUTED, false));
        }
        if let Some(x) = share(bar.target, max).map(x_of) {
            let (y0, y1) = (yc - pitch / 2.0 + 2.0, yc + pitch / 2.0 - 2.0);
            shapes.push(seg(x, y0, x, y1, TARGET, 1.5, true));
        }
        if let Some(x) = share(bar.min, max).map(x_of) {
            let (y0, y1) = (bar_top - 3.0, bar_top + bar_h + 3.0);
            shapes.push(seg(x, y0, x, y1, INK, 2.0, false));
        }
    }
    let y = bottom + 36.0;
    let minimum = "Weakest area (minimum)";
    let items = [
        (swatch_bar as Swatch, "Mean"),
        (swatch_min, minimum),
        (swatch_target_tick, "Target"),
    ];
    shapes.extend(legend(y, items.map(|(s, l)| (Some(s), l)).to_vec()));
    chart(title, BARS_W, y + 8.0, shapes)
}
