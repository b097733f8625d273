//! What a line of text needs beyond DejaVu's left-to-right glyphs: which face draws each
//! character, which runs are right to left (the Unicode bidi algorithm, per line, in a
//! left-to-right paragraph as in the HTML report), which of them are shaped, and emoji names.
//!
//! A line is cut into segments in logical order: a segment is drawn in one face and is
//! either shaped (Arabic and Hebrew letters with the marks and joiners that follow them) or
//! drawn character by character. Measuring adds up the same segments that drawing shows, so
//! wrapping measures what is drawn.

use std::ops::Range;

use printpdf::TextItem;
use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo, bidi_class};

use super::fonts::{self, FontKind};
use super::shaping;

/// Whether `c` is a strong right-to-left character (Hebrew, Arabic, Syriac, Thaana, ...).
pub fn is_rtl(c: char) -> bool {
    // Nothing before the Hebrew block is: most text never reaches the table look-up.
    c >= '\u{0590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Whether `text` is drawn exactly as before the fallback font: every character in
/// DejaVu (in this weight) and none right to left.
pub fn is_plain(text: &str, bold: bool) -> bool {
    let Ok(set) = fonts::fonts() else {
        return true;
    };
    let face = set.face(bold);
    text.chars()
        .all(|c| !is_rtl(c) && (face.supports(c) || c.is_control()))
}

/// A stretch of a line in logical order, drawn in one face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in the line.
    pub range: Range<usize>,
    pub font: FontKind,
    /// Right-to-left letters, drawn as shaped glyphs.
    pub shaped: bool,
}

/// The segments of `text[range]`.
pub fn segments(text: &str, range: Range<usize>, bold: bool) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let offset = range.start;
    for (i, c) in text[range].char_indices() {
        let at = offset + i;
        let end = at + c.len_utf8();
        // Marks and joiners stay with the right-to-left letters they follow, so the shaper
        // sees them together.
        let follows = matches!(bidi_class(c), BidiClass::NSM | BidiClass::BN)
            && out.last().is_some_and(|s| s.shaped && s.range.end == at);
        let (font, shaped) = match out.last() {
            Some(last) if follows => (last.font, true),
            _ => (
                fonts::font_for(c, bold).unwrap_or(FontKind::dejavu(bold)),
                is_rtl(c),
            ),
        };
        match out.last_mut() {
            Some(last) if last.font == font && last.shaped == shaped && last.range.end == at => {
                last.range.end = end;
            }
            _ => out.push(Segment {
                range: at..end,
                font,
                shaped,
            }),
        }
    }
    out
}

/// A stretch of a line in drawing order (left to right) in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub font: FontKind,
    pub items: Vec<TextItem>,
}

/// The runs that draw `line` left to right: the bidi algorithm orders its level runs, each
/// right-to-left run shows its segments in reverse order, its shaped segments as glyphs in
/// visual order and the others reversed with mirrored brackets; adjacent runs in one face are
/// merged.
pub fn line_runs(line: &str, bold: bool) -> Vec<Run> {
    // Segments in drawing order with their direction; `None` is a left-to-right mark.
    let mut ordered: Vec<(Option<Segment>, bool)> = Vec::new();
    if line.chars().any(is_rtl) {
        let info = ParagraphBidiInfo::new(line, Some(Level::ltr()));
        let (levels, runs) = info.visual_runs(0..line.len());
        let count = runs.len();
        for (n, run) in runs.into_iter().enumerate() {
            let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            let mut segs = segments(line, run, bold);
            if rtl {
                segs.reverse();
            }
            ordered.extend(segs.into_iter().map(|s| (Some(s), rtl)));
            // poppler extracts a right-to-left run with the spaces and punctuation up to the
            // next left-to-right letter, reversed: "led by שרה כהן from" came out as "led by
            // [RLE] שרה כהן[PDF]from". A left-to-right mark (invisible, no advance) right
            // after the run ends it where it ends on the page.
            if rtl && n + 1 < count {
                ordered.push((None, false));
            }
        }
    } else {
        ordered.extend(
            segments(line, 0..line.len(), bold)
                .into_iter()
                .map(|s| (Some(s), false)),
        );
    }
    let mut out: Vec<Run> = Vec::new();
    for (segment, rtl) in ordered {
        let (font, items) = match segment {
            None => (FontKind::dejavu(bold), vec![TextItem::Text(LRM.into())]),
            Some(segment) => {
                let part = &line[segment.range.clone()];
                let items = if segment.shaped {
                    shaping::items(part, bold, rtl)
                } else if rtl {
                    let reversed = part.chars().rev().map(mirrored).collect::<String>();
                    vec![TextItem::Text(reversed)]
                } else {
                    vec![TextItem::Text(part.to_owned())]
                };
                (segment.font, items)
            }
        };
        match out.last_mut() {
            Some(last) if last.font == font => last.items.extend(items),
            _ => out.push(Run { font, items }),
        }
    }
    out
}

/// U+200E LEFT-TO-RIGHT MARK: DejaVu has it, with no advance.
const LRM: &str = "\u{200E}";

/// The mirror image of a bracket-like character shown right to left (`(` for `)`).
fn mirrored(c: char) -> char {
    if bidi_class(c) == BidiClass::ON {
        unicode_bidi_mirroring::get_mirrored(c).unwrap_or(c)
    } else {
        c
    }
}

/// The name of the emoji `grapheme` is, if it is one ("rocket", "thumbs up: medium skin
/// tone"), with or without its emoji presentation selector.
pub fn emoji_name(grapheme: &str) -> Option<&'static str> {
    let emoji = emojis::get(grapheme).or_else(|| {
        let bare: String = grapheme.chars().filter(|&c| c != '\u{FE0F}').collect();
        emojis::get(&bare).or_else(|| emojis::get(&format!("{bare}\u{FE0F}")))
    })?;
    Some(emoji.name())
}

/// Characters that only glue an emoji sequence together (variation selectors, the zero
/// width joiner): not worth listing as characters not shown.
pub fn is_emoji_glue(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{200D}')
}

/// CJK ideographs, kana and CJK punctuation: written without spaces, so a line may break
/// between any two of them. Hangul is not here: Korean puts spaces between words.
pub fn breaks_anywhere(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF       // CJK punctuation, hiragana, katakana
        | 0x31F0..=0x31FF     // katakana phonetic extensions
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFF00..=0xFFEF     // half- and full-width forms
        | 0x20000..=0x3FFFF) // CJK extensions B and later
}

/// `word` cut into pieces a line may break between: each character that
/// [`breaks_anywhere`], and each run of other characters.
pub fn cjk_pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if breaks_anywhere(c) {
            if start < i {
                out.push(&word[start..i]);
            }
            out.push(&word[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(runs: &[Run]) -> Vec<(FontKind, String)> {
        runs.iter()
            .map(|r| {
                let s = r
                    .items
                    .iter()
                    .map(|i| match i {
                        TextItem::Text(t) => t.replace(LRM, ""),
                        TextItem::GlyphIds(g) => {
                            g.iter().filter_map(|c| c.cid.clone()).collect::<String>()
                        }
                        TextItem::Offset(_) => String::new(),
                    })
                    .collect();
                (r.font, s)
            })
            .collect()
    }

    #[test]
    fn segments_follow_faces_and_direction() {
        let line = "Hi 漢字 שלום";
        let segs = segments(line, 0..line.len(), false);
        let kinds: Vec<_> = segs
            .iter()
            .map(|s| (&line[s.range.clone()], s.font, s.shaped))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("Hi ", FontKind::Regular, false),
                ("漢字", FontKind::Fallback, false),
                (" ", FontKind::Regular, false),
                ("שלום", FontKind::Regular, true),
            ]
        );
    }

    #[test]
    fn hebrew_in_an_english_sentence_is_reversed_in_place() {
        let runs = line_runs("The auditor was שרה כהן (lead).", false);
        // Read left to right, glyph by glyph: the Hebrew name is mirrored as a whole.
        let text: String = text_of(&runs).into_iter().map(|(_, s)| s).collect();
        let name: String = "שרה כהן".chars().rev().collect();
        assert_eq!(text, format!("The auditor was {name} (lead)."));
    }

    #[test]
    fn brackets_inside_a_right_to_left_run_are_mirrored() {
        let runs = line_runs("שלום (עולם) שלום", false);
        let text: String = text_of(&runs).into_iter().map(|(_, s)| s).collect();
        let visual: String = "םולש (םלוע) םולש".into();
        assert_eq!(text, visual);
    }

    #[test]
    fn emoji_names() {
        assert_eq!(emoji_name("🚀"), Some("rocket"));
        assert_eq!(emoji_name("😀"), Some("grinning face"));
        assert_eq!(emoji_name("❤\u{FE0F}"), Some("red heart"));
        assert_eq!(emoji_name("a"), None);
    }

    #[test]
    fn cjk_pieces_keep_latin_words_whole() {
        assert_eq!(cjk_pieces("使用Python。"), vec!["使", "用", "Python", "。"]);
    }
}
