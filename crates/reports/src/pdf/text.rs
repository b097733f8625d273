//! Text prepared for drawing and measured: characters no font draws replaced and recorded,
//! emoji named, widths that match what is drawn, lines broken to a width.
//!
//! Every function takes the document's [`TextEngine`]. With [`TextEngine::DejaVuOnly`] they
//! do exactly what they did before the fallback font existed; with [`TextEngine::Unicode`]
//! text that DejaVu draws left to right still takes that same path, so it measures, wraps
//! and draws to the same bytes.

use std::borrow::Cow;
use std::collections::BTreeSet;

use unicode_segmentation::UnicodeSegmentation as _;

use super::fonts::{self, TextEngine};
use super::script;

/// Prepares `text` for drawing in one weight: line feeds stay (for line breaking), tabs
/// become spaces, carriage returns go, an emoji becomes its name in brackets (`[rocket]`),
/// and every other character no font can draw (including other control characters)
/// becomes the visible [`fonts::replacement`]. What no font draws is recorded in `missing`.
pub fn sanitize<'a>(
    text: &'a str,
    bold: bool,
    engine: TextEngine,
    missing: &mut BTreeSet<char>,
) -> Cow<'a, str> {
    let Ok(set) = fonts::fonts() else {
        return Cow::Borrowed(text);
    };
    let face = set.face(bold);
    let clean = |c: char| c == '\n' || (!c.is_control() && face.supports(c));
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let drawable = |c: char| match engine {
        TextEngine::DejaVuOnly => clean(c),
        TextEngine::Unicode => c == '\n' || (!c.is_control() && fonts::font_for(c, bold).is_some()),
    };
    let mut out = String::with_capacity(text.len());
    // Grapheme by grapheme, so that an emoji sequence (a skin tone, a flag, a family joined
    // with ZWJ) becomes one name.
    for grapheme in text.graphemes(true) {
        if grapheme.chars().all(drawable) {
            out.push_str(grapheme);
            continue;
        }
        if engine == TextEngine::Unicode
            && let Some(name) = script::emoji_name(grapheme)
        {
            out.push('[');
            out.push_str(name);
            out.push(']');
            let shown = |c: char| drawable(c) || script::is_emoji_glue(c);
            missing.extend(grapheme.chars().filter(|&c| !shown(c)));
            continue;
        }
        for c in grapheme.chars() {
            match c {
                '\t' => out.push(' '),
                '\r' => {}
                c if drawable(c) => out.push(c),
                c => {
                    missing.insert(c);
                    out.push(fonts::replacement());
                }
            }
        }
    }
    Cow::Owned(out)
}

/// The width of `text` in points at `size` points, in the given weight, as it will be
/// drawn: right-to-left runs shaped, characters DejaVu lacks in the fallback face, the rest
/// (and any character no font has, as the replacement mark) by DejaVu's advances. Falls back
/// to an estimate of 0.55 em per character if the fonts could not be parsed (the PDF then
/// fails to build anyway).
pub fn text_width(text: &str, size: f32, bold: bool, engine: TextEngine) -> f32 {
    let Ok(set) = fonts::fonts() else {
        return text.chars().count() as f32 * 0.55 * size;
    };
    let face = set.face(bold);
    if engine == TextEngine::DejaVuOnly || script::is_plain(text, bold) {
        return face.width(text, size);
    }
    let replacement = face.advance(fonts::replacement()).unwrap_or(0.6);
    let mut em = 0.0;
    for segment in script::segments(text, 0..text.len(), bold) {
        let part = &text[segment.range.clone()];
        if segment.shaped {
            em += super::shaping::width(part, bold).unwrap_or_else(|| face.width(part, 1.0));
            continue;
        }
        let metrics = fonts::metrics(segment.font);
        for c in part.chars() {
            em += metrics
                .and_then(|m| m.advance(c))
                .or_else(|| face.advance(c))
                .unwrap_or(replacement);
        }
    }
    em * size
}

/// `text` shortened with an ellipsis to fit `width`.
pub fn fit(text: &str, width: f32, size: f32, bold: bool, engine: TextEngine) -> String {
    if text_width(text, size, bold, engine) <= width {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && text_width(&format!("{out}…"), size, bold, engine) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// Greedy line breaking at spaces; words wider than `width` are broken between characters,
/// and (with [`TextEngine::Unicode`]) a word with CJK ideographs or kana, which are written
/// without spaces, between any two of those. Every `'\n'` starts a new line; the result has
/// at least one (possibly empty) line.
pub fn wrap(text: &str, width: f32, size: f32, bold: bool, engine: TextEngine) -> Vec<String> {
    let measure = |s: &str| text_width(s, size, bold, engine);
    let space = measure(" ");
    let mut out = Vec::new();
    for hard in text.split('\n') {
        let mut line = String::new();
        let mut lw = 0.0;
        for word in hard.split(' ').filter(|w| !w.is_empty()) {
            let ww = measure(word);
            if !line.is_empty() && lw + space + ww <= width {
                line.push(' ');
                line.push_str(word);
                lw += space + ww;
                continue;
            }
            if engine == TextEngine::Unicode && word.chars().any(script::breaks_anywhere) {
                lw = wrap_cjk(word, width, &measure, space, &mut line, lw, &mut out);
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            if ww <= width {
                line.push_str(word);
                lw = ww;
                continue;
            }
            lw = 0.0;
            // A shaped word's letters are narrower or wider joined than alone: measure the
            // line so far, not letter by letter.
            let joined = engine == TextEngine::Unicode && !script::is_plain(word, bold);
            let mut buf = [0u8; 4];
            for c in word.chars() {
                let cw = if joined {
                    measure(&format!("{line}{c}")) - lw
                } else {
                    measure(c.encode_utf8(&mut buf))
                };
                if lw + cw > width && !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    lw = 0.0;
                }
                line.push(c);
                lw = if joined { measure(&line) } else { lw + cw };
            }
        }
        out.push(line);
    }
    out
}

/// Adds `word` to `line` piece by piece, where a piece is one CJK character or a run of
/// other characters, starting new lines (pushed to `out`) as the width runs out; returns
/// the width of the line left open.
fn wrap_cjk(
    word: &str,
    width: f32,
    measure: &impl Fn(&str) -> f32,
    space: f32,
    line: &mut String,
    mut lw: f32,
    out: &mut Vec<String>,
) -> f32 {
    let mut first = true;
    for piece in script::cjk_pieces(word) {
        let pw = measure(piece);
        let gap = if first && !line.is_empty() {
            space
        } else {
            0.0
        };
        first = false;
        if !line.is_empty() && lw + gap + pw > width {
            out.push(std::mem::take(line));
            lw = 0.0;
        } else if gap > 0.0 {
            line.push(' ');
            lw += gap;
        }
        if pw > width && piece.chars().count() > 1 {
            // A run of letters longer than a line: broken between characters.
            for c in piece.chars() {
                let cw = measure(c.encode_utf8(&mut [0u8; 4]));
                if lw + cw > width && !line.is_empty() {
                    out.push(std::mem::take(line));
                    lw = 0.0;
                }
                line.push(c);
                lw += cw;
            }
            continue;
        }
        line.push_str(piece);
        lw += pw;
    }
    lw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_replaces_and_records() {
        let mut missing = BTreeSet::new();
        let old = TextEngine::DejaVuOnly;
        assert!(matches!(
            sanitize("plain", false, old, &mut missing),
            Cow::Borrowed(_)
        ));
        let r = fonts::replacement();
        let s = sanitize("a\t漢\r🚀\n", false, old, &mut missing);
        assert_eq!(s, format!("a {r}{r}\n"));
        assert_eq!(missing.iter().collect::<String>(), "漢🚀");

        let mut missing = BTreeSet::new();
        let s = sanitize(
            "a\t漢\r🚀👍🏽\u{13000}\n",
            false,
            TextEngine::Unicode,
            &mut missing,
        );
        assert_eq!(s, format!("a 漢[rocket][thumbs up: medium skin tone]{r}\n"));
        assert_eq!(
            missing.iter().collect::<String>(),
            "\u{13000}🏽👍🚀",
            "what no font draws is still listed"
        );
    }

    #[test]
    fn plain_text_measures_as_dejavu_alone() {
        let f = fonts::fonts().unwrap();
        for engine in [TextEngine::DejaVuOnly, TextEngine::Unicode] {
            let t = "Größe → Ελληνικά";
            assert_eq!(text_width(t, 9.5, true, engine), f.bold.width(t, 9.5));
        }
        assert!(text_width("漢字", 10.0, false, TextEngine::Unicode) > 15.0);
    }

    #[test]
    fn cjk_breaks_between_characters() {
        let lines = wrap(
            "Scope 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字",
            60.0,
            10.0,
            false,
            TextEngine::Unicode,
        );
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines[0].starts_with("Scope 漢"), "{lines:?}");
        for l in &lines {
            assert!(
                text_width(l, 10.0, false, TextEngine::Unicode) <= 60.0,
                "{l}"
            );
        }
    }
}
