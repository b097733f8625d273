//! The report's key to its colours and marks, drawn as a figure so that the HTML and the PDF
//! show the same swatches: a square (or a dashed frame for targets) in each colour, its name,
//! and what it means, wrapped.

use super::{Anchor, Chart, LABEL_SIZE, LEADING, MARGIN, Rgb, Shape, rect, text, wrap};
use crate::palette::{INK, PAPER};

/// One entry: the colour, whether it is drawn dashed (targets), its name and its meaning.
#[derive(Debug, Clone, Copy)]
pub struct KeyEntry<'a> {
    pub colour: Rgb,
    pub dashed: bool,
    pub name: &'a str,
    pub meaning: &'a str,
}

const WIDTH: f32 = 480.0;
const NAME_W: f32 = 100.0;
const SWATCH: f32 = 9.0;

/// The key as a chart `WIDTH` points wide, as tall as its wrapped entries need. It sits under
/// a heading of its own, so `title` is for accessibility only and is not drawn.
pub fn key(title: &str, entries: &[KeyEntry<'_>]) -> Chart {
    let pitch = LABEL_SIZE * LEADING;
    let meaning_x = MARGIN + SWATCH + 6.0 + NAME_W;
    let meaning_w = WIDTH - meaning_x - MARGIN;
    let mut shapes = Vec::new();
    let mut y = 12.0;
    for entry in entries {
        let top = y - LABEL_SIZE * 0.8;
        shapes.push(if entry.dashed {
            Shape::Line {
                points: vec![
                    (MARGIN, top),
                    (MARGIN + SWATCH, top),
                    (MARGIN + SWATCH, top + SWATCH),
                    (MARGIN, top + SWATCH),
                    (MARGIN, top),
                ],
                stroke: entry.colour,
                width: 1.2,
                dashed: true,
            }
        } else {
            rect(MARGIN, top, SWATCH, SWATCH, entry.colour, None)
        });
        let name_x = MARGIN + SWATCH + 6.0;
        shapes.push(text(
            name_x,
            y,
            entry.name,
            LABEL_SIZE,
            Anchor::Start,
            entry.colour,
            true,
        ));
        let lines = wrap(entry.meaning, meaning_w, LABEL_SIZE, 6);
        for (i, line) in lines.iter().enumerate() {
            shapes.push(text(
                meaning_x,
                y + i as f32 * pitch,
                line,
                LABEL_SIZE,
                Anchor::Start,
                INK,
                false,
            ));
        }
        y += lines.len().max(1) as f32 * pitch + 6.0;
    }
    let mut all = vec![rect(0.0, 0.0, WIDTH, y, PAPER, None)];
    all.extend(shapes);
    Chart {
        title: title.to_owned(),
        width: WIDTH,
        height: y,
        shapes: all,
    }
}
