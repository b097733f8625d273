//! Drawing primitives on a PDF page, and charts ([`crate::chart::Chart`]) drawn with them.
//!
//! Coordinates given to a [`Canvas`] are in points from the top left corner of the page (y
//! grows downwards, as in the chart geometry); the canvas flips them into PDF space. Text is
//! real text in the embedded fonts, so chart labels stay searchable and extractable.

use std::collections::BTreeSet;

use printpdf::{
    Color, ExtendedGraphicsState, ExtendedGraphicsStateId, Line, LineDashPattern, LinePoint, Op,
    PaintMode, Point, Polygon, PolygonRing, Pt, TextItem, WindingOrder,
};

use super::fonts::{FontHandles, FontKind, TextEngine};
use super::{script, text};
use crate::chart::{Anchor, Chart, Rgb, Shape};
use crate::palette::{ACCENT, GRID, MUTED};

/// Bezier handle length for a quarter circle, as a fraction of the radius.
const KAPPA: f32 = 0.552_284_8;

/// The ExtGState resource name for a fill opacity in thousandths.
pub fn alpha_state_id(milli: u16) -> ExtendedGraphicsStateId {
    ExtendedGraphicsStateId(format!("GSa{milli:04}"))
}

/// The ExtGState for a fill opacity in thousandths.
pub fn alpha_state(milli: u16) -> ExtendedGraphicsState {
    ExtendedGraphicsState::default().with_current_fill_alpha(f32::from(milli) / 1000.0)
}

/// An sRGB colour as a printpdf colour.
pub fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: f32::from(c.0) / 255.0,
        g: f32::from(c.1) / 255.0,
        b: f32::from(c.2) / 255.0,
        icc_profile: None,
    })
}

/// Rounds to hundredths of a point, which keeps content streams short.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The fill colour and font known to be in effect in a content stream, so that runs of text
/// in the same style do not repeat them (fewer operations to encode: about a fifth of the
/// saving time of a long table).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Pen {
    fill: Option<Rgb>,
    font: Option<(FontKind, u32)>,
}

/// The operations of one page being drawn, with what drawing needs from the document.
#[derive(Debug)]
pub struct Canvas<'a> {
    pub ops: &'a mut Vec<Op>,
    /// Page height in points, to flip y.
    pub page_height: f32,
    pub fonts: &'a FontHandles,
    /// Characters the fonts cannot draw, collected as text is drawn.
    pub missing: &'a mut BTreeSet<char>,
    /// Fill opacities (thousandths) used, to register as ExtGStates when saving.
    pub alphas: &'a mut BTreeSet<u16>,
    /// The state at the end of `ops`; start each content stream with `Pen::default()`.
    pub pen: &'a mut Pen,
}

impl Canvas<'_> {
    fn set_fill(&mut self, fill: Rgb) {
        if self.pen.fill != Some(fill) {
            self.pen.fill = Some(fill);
            self.ops.push(Op::SetFillColor { col: color(fill) });
        }
    }

    fn restore(&mut self) {
        self.ops.push(Op::RestoreGraphicsState);
        *self.pen = Pen::default();
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point {
            x: Pt(round(x)),
            y: Pt(round(self.page_height - y)),
        }
    }

    fn path(&self, points: &[(f32, f32)]) -> Vec<LinePoint> {
        points
            .iter()
            .map(|&(x, y)| LinePoint {
                p: self.point(x, y),
                bezier: false,
            })
            .collect()
    }

    /// Draws `text` with its left end at `x` and its baseline at `baseline`.
    pub fn text(&mut self, x: f32, baseline: f32, text: &str, size: f32, bold: bool, fill: Rgb) {
        self.text_anchored(x, baseline, text, size, bold, fill, Anchor::Start);
    }

    /// Draws `text` with the end named by `anchor` at `x`.
    #[allow(clippy::too_many_arguments)]
    pub fn text_anchored(
        &mut self,
        x: f32,
        baseline: f32,
        text: &str,
        size: f32,
        bold: bool,
        fill: Rgb,
        anchor: Anchor,
    ) {
        if text.trim().is_empty() {
            return;
        }
        let engine = self.fonts.engine;
        let mut text = text::sanitize(text, bold, engine, self.missing);
        if text.contains('\n') {
            text = text.replace('\n', " ").into();
        }
        let x = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - text::text_width(&text, size, bold, engine) / 2.0,
            Anchor::End => x - text::text_width(&text, size, bold, engine),
        };
        let pos = self.point(x, baseline);
        self.set_fill(fill);
        self.ops.push(Op::StartTextSection);
        if engine == TextEngine::DejaVuOnly || script::is_plain(&text, bold) {
            self.set_font(FontKind::dejavu(bold), size);
            self.ops.extend([
                Op::SetTextCursor { pos },
                Op::ShowText {
                    items: vec![TextItem::Text(text.into_owned())],
                },
                Op::EndTextSection,
            ]);
            return;
        }
        // Runs in other faces, right to left or shaped: each run shows where the one
        // before it left the pen.
        self.ops.push(Op::SetTextCursor { pos });
        for run in script::line_runs(&text, bold) {
            self.set_font(run.font, size);
            self.ops.push(Op::ShowText { items: run.items });
        }
        self.ops.push(Op::EndTextSection);
    }

    fn set_font(&mut self, font: FontKind, size: f32) {
        if self.pen.font != Some((font, size.to_bits())) {
            self.pen.font = Some((font, size.to_bits()));
            self.ops.push(Op::SetFont {
                font: self.fonts.handle(font),
                size: Pt(size),
            });
        }
    }

    /// Fills an axis-aligned rectangle.
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb) {
        self.rect(x, y, w, h, Some(fill), None, 0.0);
    }

    /// An axis-aligned rectangle, filled and/or stroked.
    #[allow(clippy::too_many_arguments)]
    pub fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
        width: f32,
    ) {
        let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
        self.polygon(&corners, fill, 1.0, stroke, width);
    }

    /// A horizontal or any other straight line segment.
    pub fn rule(&mut self, from: (f32, f32), to: (f32, f32), stroke: Rgb, width: f32) {
        self.line(&[from, to], stroke, width, false);
    }

    /// An open polyline.
    pub fn line(&mut self, points: &[(f32, f32)], stroke: Rgb, width: f32, dashed: bool) {
        if points.len() < 2 || width <= 0.0 {
            return;
        }
        let line = Line {
            points: self.path(points),
            is_closed: false,
        };
        if dashed {
            let dash = (width * 3.0).max(2.5);
            self.ops.extend([
                Op::SaveGraphicsState,
                Op::SetLineDashPattern {
                    dash: LineDashPattern::new(0.0, &[dash, dash * 0.75]),
                },
            ]);
        }
        self.ops.extend([
            Op::SetOutlineColor { col: color(stroke) },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::DrawLine { line },
        ]);
        if dashed {
            self.restore();
        }
    }

    /// A closed polygon. `opacity` applies to the fill only (through an ExtGState); the
    /// stroke is always opaque.
    pub fn polygon(
        &mut self,
        points: &[(f32, f32)],
        fill: Option<Rgb>,
        opacity: f32,
        stroke: Option<Rgb>,
        width: f32,
    ) {
        if points.len() < 2 {
            return;
        }
        let ring = self.path(points);
        let stroke = stroke.filter(|_| width > 0.0);
        let milli = (opacity.clamp(0.0, 1.0) * 1000.0).round() as u16;
        let fill = fill.filter(|_| milli > 0);
        let translucent = fill.is_some() && milli < 1000;
        if translucent {
            self.alphas.insert(milli);
            self.ops.extend([
                Op::SaveGraphicsState,
                Op::LoadGraphicsState {
                    gs: alpha_state_id(milli),
                },
            ]);
        }
        let mode = match (fill, stroke) {
            (Some(_), Some(_)) if !translucent => PaintMode::FillStroke,
            (Some(_), _) => PaintMode::Fill,
            (None, Some(_)) => PaintMode::Stroke,
            (None, None) => return,
        };
        if let Some(f) = fill {
            self.set_fill(f);
        }
        if let (Some(s), PaintMode::FillStroke | PaintMode::Stroke) = (stroke, mode) {
            self.ops.extend([
                Op::SetOutlineColor { col: color(s) },
                Op::SetOutlineThickness { pt: Pt(width) },
            ]);
        }
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing {
                    points: ring.clone(),
                }],
                mode,
                winding_order: WindingOrder::NonZero,
            },
        });
        if translucent {
            self.restore();
            if let Some(s) = stroke {
                self.ops.extend([
                    Op::SetOutlineColor { col: color(s) },
                    Op::SetOutlineThickness { pt: Pt(width) },
                    Op::DrawLine {
                        line: Line {
                            points: ring,
                            is_closed: true,
                        },
                    },
                ]);
            }
        }
    }

    /// A filled circle, as four cubic Bezier arcs.
    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, fill: Rgb) {
        if r <= 0.0 {
            return;
        }
        let k = r * KAPPA;
        // Start at the right, go round through bottom, left and top (y down).
        let pts = [
            ((cx + r, cy), false),
            ((cx + r, cy + k), true),
            ((cx + k, cy + r), true),
            ((cx, cy + r), false),
            ((cx - k, cy + r), true),
            ((cx - r, cy + k), true),
            ((cx - r, cy), false),
            ((cx - r, cy - k), true),
            ((cx - k, cy - r), true),
            ((cx, cy - r), false),
            ((cx + k, cy - r), true),
            ((cx + r, cy - k), true),
            ((cx + r, cy), false),
        ];
        let points = pts
            .iter()
            .map(|&((x, y), bezier)| LinePoint {
                p: self.point(x, y),
                bezier,
            })
            .collect();
        self.set_fill(fill);
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// A running header: `left` in bold accent and `right` in grey on one baseline, above an
    /// accent rule at `rule_y`, between the x positions `x0` and `x1`.
    pub fn running_header(&mut self, x0: f32, x1: f32, rule_y: f32, left: &str, right: &str) {
        let (size, baseline) = (7.5, rule_y - 5.7);
        let engine = self.fonts.engine;
        let room = x1 - x0 - text::text_width(right, size, false, engine) - 18.0;
        self.text(
            x0,
            baseline,
            &text::fit(left, room, size, true, engine),
            size,
            true,
            ACCENT,
        );
        self.text_anchored(x1, baseline, right, size, false, MUTED, Anchor::End);
        self.rule((x0, rule_y), (x1, rule_y), ACCENT, 0.6);
    }

    /// A running footer: a light rule at `rule_y`, `left` and `right` in grey below it.
    pub fn running_footer(&mut self, x0: f32, x1: f32, rule_y: f32, left: &str, right: &str) {
        let (size, baseline) = (7.5, rule_y + 11.3);
        let engine = self.fonts.engine;
        let room = x1 - x0 - text::text_width(right, size, false, engine) - 18.0;
        self.rule((x0, rule_y), (x1, rule_y), GRID, 0.5);
        self.text(
            x0,
            baseline,
            &text::fit(left, room, size, false, engine),
            size,
            false,
            MUTED,
        );
        self.text_anchored(x1, baseline, right, size, false, MUTED, Anchor::End);
    }

    /// Draws `shapes` (coordinates in points, y down) with their origin at (`x`, `y`) on
    /// the page, every length multiplied by `scale`.
    pub fn shapes(&mut self, shapes: &[Shape], x: f32, y: f32, scale: f32) {
        let at = |p: &(f32, f32)| (x + p.0 * scale, y + p.1 * scale);
        let map = |points: &[(f32, f32)]| points.iter().map(at).collect::<Vec<_>>();
        for shape in shapes {
            match shape {
                Shape::Line {
                    points,
                    stroke,
                    width,
                    dashed,
                } => self.line(&map(points), *stroke, width * scale, *dashed),
                Shape::Polygon {
                    points,
                    fill,
                    fill_opacity,
                    stroke,
                    width,
                } => self.polygon(&map(points), *fill, *fill_opacity, *stroke, width * scale),
                Shape::Rect {
                    x: rx,
                    y: ry,
                    w,
                    h,
                    fill,
                    stroke,
                    width,
                } => {
                    let (px, py) = at(&(*rx, *ry));
                    self.rect(px, py, w * scale, h * scale, *fill, *stroke, width * scale);
                }
                Shape::Circle { cx, cy, r, fill } => {
                    let (px, py) = at(&(*cx, *cy));
                    self.circle(px, py, r * scale, *fill);
                }
                Shape::Text {
                    x: tx,
                    y: ty,
                    text,
                    size,
                    anchor,
                    color: fill,
                    bold,
                } => {
                    let (px, py) = at(&(*tx, *ty));
                    self.text_anchored(px, py, text, size * scale, *bold, *fill, *anchor);
                }
            }
        }
    }

    /// Draws `chart` with its top left corner at (`x`, `y`), scaled by `scale`.
    pub fn chart(&mut self, chart: &Chart, x: f32, y: f32, scale: f32) {
        self.shapes(&chart.shapes, x, y, scale);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translucent_fill_uses_an_extgstate_and_flips_y() {
        let fonts = FontHandles::new("t");
        let (mut ops, mut missing, mut alphas) = (Vec::new(), BTreeSet::new(), BTreeSet::new());
        let mut pen = Pen::default();
        let mut c = Canvas {
            ops: &mut ops,
            page_height: 100.0,
            fonts: &fonts,
            missing: &mut missing,
            alphas: &mut alphas,
            pen: &mut pen,
        };
        let tri = [(0.0, 0.0), (10.0, 0.0), (5.0, 10.0)];
        c.polygon(&tri, Some(Rgb(1, 2, 3)), 0.25, Some(Rgb(0, 0, 0)), 1.0);
        c.text_anchored(
            50.0,
            20.0,
            "\u{13000}",
            10.0,
            false,
            Rgb(0, 0, 0),
            Anchor::Middle,
        );
        assert_eq!(alphas.iter().copied().collect::<Vec<_>>(), vec![250]);
        assert!(missing.contains(&'\u{13000}'));
        assert!(
            ops.iter()
                .any(|o| matches!(o, Op::LoadGraphicsState { gs } if gs.0 == "GSa0250"))
        );
        let cursor = ops.iter().find_map(|o| match o {
            Op::SetTextCursor { pos } => Some(pos.y.0),
            _ => None,
        });
        assert_eq!(cursor, Some(80.0));
    }
}
