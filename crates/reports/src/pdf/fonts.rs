//! The two embedded fonts (DejaVu Sans and DejaVu Sans Bold, Bitstream Vera licence, see
//! `assets/fonts/LICENSE-DejaVu.txt`) and text measurement.
//!
//! printpdf maps every character to one glyph through the font's `cmap` and advances by the
//! glyph's horizontal advance, with no kerning or shaping; measuring the same advances here
//! gives widths that match the drawn text exactly.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::LazyLock;

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont, PdfFontHandle};

use crate::chart::Rgb;
use crate::palette::{ACCENT, INK, MUTED};

/// DejaVu Sans.
pub const REGULAR_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Code points below this bound have their advance precomputed in a table.
const DENSE: usize = 0x3000;
/// Marks a code point without a glyph in the dense table.
const NO_GLYPH: f32 = -1.0;

/// An embedded font could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FontError {
    #[error("the embedded font {name} could not be parsed: {reason}")]
    Parse { name: &'static str, reason: String },
}

/// Size (points), weight and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: f32,
    pub bold: bool,
    pub color: Rgb,
}

impl TextStyle {
    pub const fn new(size: f32, bold: bool, color: Rgb) -> Self {
        Self { size, bold, color }
    }
    /// Body text, 9.5 pt.
    pub const fn body() -> Self {
        Self::new(9.5, false, INK)
    }
    /// Bold body text.
    pub const fn strong() -> Self {
        Self::new(9.5, true, INK)
    }
    /// Small print, 8 pt.
    pub const fn small() -> Self {
        Self::new(8.0, false, INK)
    }
    /// Secondary information in grey, 8.5 pt.
    pub const fn muted() -> Self {
        Self::new(8.5, false, MUTED)
    }
    /// A cover title, 22 pt bold in the accent colour.
    pub const fn title() -> Self {
        Self::new(22.0, true, ACCENT)
    }
    /// A cover subtitle, 13 pt grey.
    pub const fn subtitle() -> Self {
        Self::new(13.0, false, MUTED)
    }
    pub fn with_color(self, color: Rgb) -> Self {
        Self { color, ..self }
    }
    pub fn with_size(self, size: f32) -> Self {
        Self { size, ..self }
    }
    pub fn line_height(&self) -> f32 {
        self.size * 1.4
    }
}

/// Metrics of one font face, in em units (multiply by the font size in points).
#[derive(Debug)]
pub struct FontMetrics {
    face: ttf_parser::Face<'static>,
    dense: Vec<f32>,
    units_per_em: f32,
    /// Ascender above the baseline, in em.
    pub ascent: f32,
    /// Descender below the baseline, in em (negative).
    pub descent: f32,
}

impl FontMetrics {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Self, FontError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| FontError::Parse {
            name,
            reason: e.to_string(),
        })?;
        let units_per_em = f32::from(face.units_per_em().max(1));
        let mut dense = vec![NO_GLYPH; DENSE];
        for (cp, slot) in dense.iter_mut().enumerate() {
            let Some(c) = u32::try_from(cp).ok().and_then(char::from_u32) else {
                continue;
            };
            if let Some(advance) = Self::lookup(&face, c) {
                *slot = f32::from(advance) / units_per_em;
            }
        }
        Ok(Self {
            ascent: f32::from(face.ascender()) / units_per_em,
            descent: f32::from(face.descender()) / units_per_em,
            face,
            dense,
            units_per_em,
        })
    }

    fn lookup(face: &ttf_parser::Face<'_>, c: char) -> Option<u16> {
        let glyph = face.glyph_index(c).filter(|g| g.0 != 0)?;
        face.glyph_hor_advance(glyph)
    }

    /// The advance of `c` in em, or `None` when the font has no glyph for it.
    pub fn advance(&self, c: char) -> Option<f32> {
        match self.dense.get(c as usize) {
            Some(&a) if a >= 0.0 => Some(a),
            Some(_) => None,
            None => Self::lookup(&self.face, c).map(|a| f32::from(a) / self.units_per_em),
        }
    }

    /// Whether the font has a glyph for `c`.
    pub fn supports(&self, c: char) -> bool {
        self.advance(c).is_some()
    }

    /// The width of `text` at `size` points. Characters without a glyph are measured as the
    /// replacement character they will be drawn as.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let mut em = 0.0;
        for c in text.chars() {
            em += match self.advance(c) {
                Some(a) => a,
                None => self.advance(replacement()).unwrap_or(0.6),
            };
        }
        em * size
    }
}

/// Both faces.
#[derive(Debug)]
pub struct FontSet {
    pub regular: FontMetrics,
    pub bold: FontMetrics,
}

impl FontSet {
    /// The face for a weight.
    pub fn face(&self, bold: bool) -> &FontMetrics {
        if bold { &self.bold } else { &self.regular }
    }
}

static FONTS: LazyLock<Result<FontSet, FontError>> = LazyLock::new(|| {
    Ok(FontSet {
        regular: FontMetrics::load("DejaVuSans.ttf", REGULAR_TTF)?,
        bold: FontMetrics::load("DejaVuSans-Bold.ttf", BOLD_TTF)?,
    })
});

/// The embedded fonts' metrics (parsed once per process).
pub fn fonts() -> Result<&'static FontSet, FontError> {
    FONTS.as_ref().map_err(Clone::clone)
}

/// Whether both weights can draw `c`.
pub fn supports(c: char) -> bool {
    fonts().is_ok_and(|f| f.regular.supports(c) && f.bold.supports(c))
}

/// The width of `text` in points, at `size` points, in the given weight. Falls back to an
/// estimate of 0.55 em per character if the fonts could not be parsed (the PDF then fails
/// to build anyway).
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    match fonts() {
        Ok(f) => f.face(bold).width(text, size),
        Err(_) => text.chars().count() as f32 * 0.55 * size,
    }
}

/// The character drawn in place of one the fonts cannot draw: U+FFFD if the fonts have it,
/// else `?`.
pub fn replacement() -> char {
    static REPLACEMENT: LazyLock<char> = LazyLock::new(|| {
        if supports('\u{FFFD}') {
            '\u{FFFD}'
        } else {
            '?'
        }
    });
    *REPLACEMENT
}

/// Prepares `text` for drawing in one weight: line feeds stay (for line breaking), tabs
/// become spaces, carriage returns go, and every character the face cannot draw (including
/// other control characters) becomes the visible [`replacement`] and is recorded in
/// `missing`.
pub fn sanitize<'a>(text: &'a str, bold: bool, missing: &mut BTreeSet<char>) -> Cow<'a, str> {
    let Ok(set) = fonts() else {
        return Cow::Borrowed(text);
    };
    let face = set.face(bold);
    let clean = |c: char| c == '\n' || (!c.is_control() && face.supports(c));
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            '\r' => {}
            c if clean(c) => out.push(c),
            c => {
                missing.insert(c);
                out.push(replacement());
            }
        }
    }
    Cow::Owned(out)
}

/// The printpdf font ids of the two faces in one document.
///
/// printpdf names an embedded subset `XXXXXX+DejaVuSans` after the first six characters of
/// its [`FontId`], which it otherwise fills with a per-process counter; these ids are six
/// upper-case letters derived from a seed (the document id), so the same document always
/// gets the same tags and `pdffonts` recognises the fonts as subsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontHandles {
    pub regular: FontId,
    pub bold: FontId,
}

impl FontHandles {
    /// Ids derived from `seed`.
    pub fn new(seed: &str) -> Self {
        let regular = subset_tag(seed, 0);
        let mut bold = subset_tag(seed, 1);
        let mut salt = 2;
        while bold == regular {
            bold = subset_tag(seed, salt);
            salt += 1;
        }
        Self {
            regular: FontId(regular),
            bold: FontId(bold),
        }
    }

    /// Adds both faces to `doc` under these ids (printpdf subsets them when saving).
    pub fn embed(&self, doc: &mut PdfDocument) -> Result<(), FontError> {
        let mut warnings = Vec::new();
        for (id, bytes, name) in [
            (&self.regular, REGULAR_TTF, "DejaVuSans.ttf"),
            (&self.bold, BOLD_TTF, "DejaVuSans-Bold.ttf"),
        ] {
            let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
                let reason = "printpdf could not parse it".to_owned();
                FontError::Parse { name, reason }
            })?;
            doc.resources
                .fonts
                .map
                .insert(id.clone(), PdfFont::new(parsed));
        }
        Ok(())
    }

    /// The handle for a weight, for `Op::SetFont`.
    pub fn handle(&self, bold: bool) -> PdfFontHandle {
        PdfFontHandle::External(if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        })
    }
}

/// Six upper-case letters from an FNV-1a hash of `seed` and `salt`.
pub fn subset_tag(seed: &str, salt: u8) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes().chain(std::iter::once(salt)) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|_| {
            let letter = (hash % 26) as u8;
            hash /= 26;
            char::from(b'A' + letter)
        })
        .collect()
}

/// `text` shortened with an ellipsis to fit `width`.
pub fn fit(text: &str, width: f32, size: f32, bold: bool) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && text_width(&format!("{out}…"), size, bold) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// Greedy line breaking at spaces; words wider than `width` are broken between characters.
/// Every `'\n'` starts a new line; the result has at least one (possibly empty) line.
pub fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    let space = text_width(" ", size, bold);
    let mut out = Vec::new();
    for hard in text.split('\n') {
        let mut line = String::new();
        let mut lw = 0.0;
        for word in hard.split(' ').filter(|w| !w.is_empty()) {
            let ww = text_width(word, size, bold);
            if !line.is_empty() && lw + space + ww <= width {
                line.push(' ');
                line.push_str(word);
                lw += space + ww;
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
            let mut buf = [0u8; 4];
            for c in word.chars() {
                let cw = text_width(c.encode_utf8(&mut buf), size, bold);
                if lw + cw > width && !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    lw = 0.0;
                }
                line.push(c);
                lw += cw;
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_covers() {
        let f = fonts().unwrap();
        assert!(f.regular.width("MMMM", 10.0) > f.regular.width("iiii", 10.0));
        assert!(f.bold.width("Audit", 10.0) > f.regular.width("Audit", 10.0));
        for c in ['é', 'ß', 'Ω', 'Ж', '→', '—', '€'] {
            assert!(supports(c), "{c}");
        }
        assert!(!supports('漢'));
        assert!(!supports('🚀'));
    }

    #[test]
    fn sanitize_replaces_and_records() {
        let mut missing = BTreeSet::new();
        assert!(matches!(
            sanitize("plain", false, &mut missing),
            Cow::Borrowed(_)
        ));
        let s = sanitize("a\t漢\r🚀\n", false, &mut missing);
        assert_eq!(s, format!("a {}{}\n", replacement(), replacement()));
        assert_eq!(missing.into_iter().collect::<String>(), "漢🚀");
    }

    #[test]
    fn tags_are_stable_letters() {
        let h = FontHandles::new("abc");
        assert_eq!(h, FontHandles::new("abc"));
        assert_ne!(h.regular, h.bold);
        assert!(h.regular.0.len() == 6 && h.regular.0.chars().all(|c| c.is_ascii_uppercase()));
    }
}
