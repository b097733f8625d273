//! Right-to-left letters shaped with rustybuzz (a port of HarfBuzz) in DejaVu Sans, whose
//! OpenType tables join Arabic letters into their initial, medial and final forms and
//! ligatures (lam-alef) and place Hebrew and Arabic marks.
//!
//! printpdf would map each character to its one nominal glyph; a shaped segment is drawn as
//! the glyphs the shaper chose instead, each carrying the text it stands for, which becomes
//! the font's `ToUnicode` entry: a joined Arabic letter extracts as the letter, not as a
//! presentation form.

use std::sync::LazyLock;

use printpdf::{Codepoint, TextItem};
use rustybuzz::{Direction, GlyphBuffer, UnicodeBuffer};

use super::fonts::{self, FontMetrics};

static FACES: LazyLock<Option<[rustybuzz::Face<'static>; 2]>> = LazyLock::new(|| {
    let set = fonts::fonts().ok()?;
    Some([
        rustybuzz::Face::from_face(set.regular.face().clone()),
        rustybuzz::Face::from_face(set.bold.face().clone()),
    ])
});

/// The DejaVu face of a weight, with its metrics.
fn face(bold: bool) -> Option<(&'static rustybuzz::Face<'static>, &'static FontMetrics)> {
    let faces = FACES.as_ref()?;
    let metrics = fonts::fonts().ok()?.face(bold);
    Some((&faces[usize::from(bold)], metrics))
}

fn shape(text: &str, bold: bool, rtl: bool) -> Option<(GlyphBuffer, &'static FontMetrics)> {
    let (face, metrics) = face(bold)?;
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    Some((rustybuzz::shape(face, &[], buffer), metrics))
}

/// The width of `text` shaped right to left, in em.
pub fn width(text: &str, bold: bool) -> Option<f32> {
    let (glyphs, metrics) = shape(text, bold, true)?;
    let units: i32 = glyphs.glyph_positions().iter().map(|p| p.x_advance).sum();
    Some(units as f32 / metrics.units_per_em())
}

/// `text` shaped and ready to show: its glyphs in visual order, each followed by the
/// adjustment (in thousandths of an em) that turns printpdf's advance (the glyph's `/W`
/// width) into the shaped one, and preceded by one when the shaper moved the glyph
/// sideways (a mark over its letter). Vertical mark offsets are not applied: DejaVu's marks
/// are drawn at the height they were designed for.
pub fn items(text: &str, bold: bool, rtl: bool) -> Vec<TextItem> {
    let Some((glyphs, metrics)) = shape(text, bold, rtl) else {
        return vec![TextItem::Text(text.to_owned())];
    };
    let per_em = 1000.0 / metrics.units_per_em();
    let texts = glyph_texts(text, &glyphs, metrics);
    let mut out: Vec<TextItem> = Vec::new();
    for ((info, pos), cid) in glyphs
        .glyph_infos()
        .iter()
        .zip(glyphs.glyph_positions())
        .zip(texts)
    {
        let gid = u16::try_from(info.glyph_id).unwrap_or(0);
        // Truncated like printpdf's `/W` widths, so an unchanged advance needs no adjustment.
        let shift = (pos.x_offset as f32 * per_em).trunc();
        let advance = (pos.x_advance as f32 * per_em).trunc();
        let after = metrics.pdf_advance(gid) as f32 - advance + shift;
        if shift != 0.0 {
            out.push(TextItem::Offset(-shift));
        }
        // A text extractor reads a right-to-left run in visual order and reverses it,
        // character by character: a ligature's letters (lam-alef) are given in visual order
        // too, so that they come out in logical order.
        let cid = if rtl {
            cid.chars().rev().collect()
        } else {
            cid
        };
        let glyph = Codepoint {
            gid,
            offset: after,
            cid: Some(cid),
        };
        match out.last_mut() {
            Some(TextItem::GlyphIds(run)) => run.push(glyph),
            _ => out.push(TextItem::GlyphIds(vec![glyph])),
        }
    }
    out
}

/// The text each glyph stands for. Glyphs of one cluster share its characters: a glyph that
/// is a character's own glyph in the font stands for that character; the characters left
/// (those drawn as a contextual form or a ligature) go to the first other glyph, in logical
/// order, and any further glyph stands for nothing.
fn glyph_texts(text: &str, glyphs: &GlyphBuffer, metrics: &FontMetrics) -> Vec<String> {
    let infos = glyphs.glyph_infos();
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let cluster_text = |start: usize| {
        let end = starts
            .iter()
            .find(|&&s| s > start)
            .copied()
            .unwrap_or(text.len());
        text.get(start..end).unwrap_or("")
    };
    let mut out = vec![String::new(); infos.len()];
    let mut i = 0;
    while i < infos.len() {
        let cluster = infos[i].cluster;
        let mut j = i;
        while j < infos.len() && infos[j].cluster == cluster {
            j += 1;
        }
        let chars: Vec<char> = cluster_text(cluster as usize).chars().collect();
        let mut claimed = vec![false; chars.len()];
        let mut unmatched = Vec::new();
        for (k, info) in infos.iter().enumerate().take(j).skip(i) {
            let own = chars.iter().enumerate().position(|(n, &c)| {
                !claimed[n]
                    && metrics
                        .face()
                        .glyph_index(c)
                        .is_some_and(|g| u32::from(g.0) == info.glyph_id)
            });
            match own {
                Some(n) => {
                    claimed[n] = true;
                    out[k].push(chars[n]);
                }
                None => unmatched.push(k),
            }
        }
        if let Some(&first) = unmatched.first() {
            let rest = chars.iter().zip(&claimed).filter(|(_, c)| !**c);
            out[first].extend(rest.map(|(c, _)| *c));
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(items: &[TextItem]) -> Vec<Codepoint> {
        items
            .iter()
            .filter_map(|i| match i {
                TextItem::GlyphIds(g) => Some(g.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn arabic_letters_join_and_extract_as_letters() {
        // Beh, yeh, teh: initial, medial and final forms.
        let word = "بيت";
        let shaped = glyphs(&items(word, false, true));
        let metrics = fonts::fonts().unwrap().face(false);
        let nominal: Vec<u16> = word
            .chars()
            .map(|c| metrics.face().glyph_index(c).unwrap().0)
            .collect();
        // Joined forms are other glyphs than the letters' own.
        assert!(
            shaped.iter().all(|g| !nominal.contains(&g.gid)),
            "{shaped:?}"
        );
        assert!(shaped.iter().all(|g| g.offset == 0.0), "{shaped:?}");
        // Visual order is right to left: the last letter comes first.
        let text: String = shaped.iter().filter_map(|g| g.cid.clone()).collect();
        assert_eq!(text, word.chars().rev().collect::<String>());
    }

    #[test]
    fn lam_alef_is_one_glyph_for_two_letters() {
        let shaped = glyphs(&items("لا", false, true));
        assert_eq!(shaped.len(), 1, "{shaped:?}");
        assert_eq!(shaped[0].cid.as_deref(), Some("ال"), "visual order");
    }

    #[test]
    fn hebrew_keeps_its_advances() {
        let word = "שלום";
        let w = width(word, false).unwrap();
        let plain = fonts::fonts().unwrap().regular.width(word, 1.0);
        assert!((w - plain).abs() < 1e-3, "{w} vs {plain}");
    }
}
