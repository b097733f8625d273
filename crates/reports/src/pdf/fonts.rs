//! The embedded fonts and their metrics: DejaVu Sans and DejaVu Sans Bold (Bitstream Vera
//! licence, see `assets/fonts/LICENSE-DejaVu.txt`) for every script they cover, and Droid
//! Sans Fallback (Apache 2.0, see `assets/fonts/LICENSE-DroidSansFallback.txt`) for the CJK
//! ideographs, kana and hangul they lack.
//!
//! printpdf maps every character to one glyph through the font's `cmap` and advances by the
//! glyph's horizontal advance, with no kerning or shaping; measuring the same advances here
//! gives widths that match the drawn text exactly. Right-to-left runs are the exception: they
//! are shaped (`super::shaping`) and drawn as the shaped glyphs.

use std::io::Read as _;
use std::sync::LazyLock;

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont, PdfFontHandle};

use crate::chart::Rgb;
use crate::palette::{ACCENT, INK, MUTED};

/// DejaVu Sans.
pub const REGULAR_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");
/// Droid Sans Fallback, deflated by the build script: 3.4 MB of font is 1.7 MB in the binary,
/// inflated the first time a document needs a character DejaVu lacks.
const FALLBACK_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fallback.ttf.zz"));

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

/// One of the three faces a document can draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontKind {
    Regular,
    Bold,
    /// Droid Sans Fallback, for both weights (it has no bold).
    Fallback,
}

impl FontKind {
    /// The DejaVu face of a weight.
    pub fn dejavu(bold: bool) -> Self {
        if bold { Self::Bold } else { Self::Regular }
    }
}

/// How a document prepares its text for drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEngine {
    /// DejaVu only, every character in its logical order, a replacement mark for what DejaVu
    /// lacks: how reports were drawn before the fallback font, kept so that those files
    /// still verify (verification renders a report again and compares the bytes).
    DejaVuOnly,
    /// DejaVu, then Droid Sans Fallback; right-to-left runs reordered (Unicode bidi) and
    /// shaped; emoji drawn as their names. Text DejaVu draws left to right comes out exactly
    /// as with [`TextEngine::DejaVuOnly`].
    #[default]
    Unicode,
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

    /// The parsed font, for shaping.
    pub fn face(&self) -> &ttf_parser::Face<'static> {
        &self.face
    }

    /// Font units per em.
    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The advance printpdf writes for a glyph in the font's `/W` array, in thousandths of an
    /// em (truncated, as printpdf does): what a viewer moves the pen by after the glyph.
    pub fn pdf_advance(&self, glyph: u16) -> i64 {
        let advance = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        (f32::from(advance) * 1000.0 / self.units_per_em) as i64
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

/// Both DejaVu faces.
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

/// The DejaVu faces' metrics (parsed once per process).
pub fn fonts() -> Result<&'static FontSet, FontError> {
    FONTS.as_ref().map_err(Clone::clone)
}

const FALLBACK_NAME: &str = "DroidSansFallback.ttf";

static FALLBACK_TTF: LazyLock<Result<Vec<u8>, FontError>> = LazyLock::new(|| {
    let mut out = Vec::with_capacity(3_500_000);
    flate2::read::ZlibDecoder::new(FALLBACK_DEFLATED)
        .read_to_end(&mut out)
        .map_err(|e| FontError::Parse {
            name: FALLBACK_NAME,
            reason: e.to_string(),
        })?;
    Ok(out)
});

/// The fallback font file, inflated on first use.
pub fn fallback_ttf() -> Result<&'static [u8], FontError> {
    FALLBACK_TTF
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

static FALLBACK: LazyLock<Result<FontMetrics, FontError>> =
    LazyLock::new(|| FontMetrics::load(FALLBACK_NAME, fallback_ttf()?));

/// The fallback face's metrics, loaded the first time a character DejaVu lacks is met, so a
/// document that never needs it never pays for it. `None` if it cannot be read: its
/// characters then count as missing.
pub fn fallback() -> Option<&'static FontMetrics> {
    FALLBACK.as_ref().ok()
}

/// The metrics of a face.
pub fn metrics(kind: FontKind) -> Option<&'static FontMetrics> {
    match kind {
        FontKind::Regular => fonts().ok().map(|f| &f.regular),
        FontKind::Bold => fonts().ok().map(|f| &f.bold),
        FontKind::Fallback => fallback(),
    }
}

/// The face that draws `c` in a weight: DejaVu, else the fallback, else none.
pub fn font_for(c: char, bold: bool) -> Option<FontKind> {
    let dejavu = fonts().ok()?.face(bold);
    if dejavu.supports(c) {
        Some(FontKind::dejavu(bold))
    } else if fallback().is_some_and(|f| f.supports(c)) {
        Some(FontKind::Fallback)
    } else {
        None
    }
}

/// Whether both DejaVu weights can draw `c`.
pub fn supports(c: char) -> bool {
    fonts().is_ok_and(|f| f.regular.supports(c) && f.bold.supports(c))
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

/// The printpdf font ids of the faces in one document, and how its text is set.
///
/// printpdf names an embedded subset `XXXXXX+DejaVuSans` after the first six characters of
/// its [`FontId`], which it otherwise fills with a per-process counter; these ids are six
/// upper-case letters derived from a seed (the document id), so the same document always
/// gets the same tags and `pdffonts` recognises the fonts as subsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontHandles {
    pub regular: FontId,
    pub bold: FontId,
    pub fallback: FontId,
    pub engine: TextEngine,
}

impl FontHandles {
    /// Ids derived from `seed`, for text set with [`TextEngine::Unicode`].
    pub fn new(seed: &str) -> Self {
        let regular = subset_tag(seed, 0);
        let mut bold = subset_tag(seed, 1);
        let mut salt = 2;
        while bold == regular {
            bold = subset_tag(seed, salt);
            salt += 1;
        }
        // Its own salts, so that the DejaVu tags stay what they always were.
        let mut salt = 100;
        let mut fallback = subset_tag(seed, salt);
        while fallback == regular || fallback == bold {
            salt += 1;
            fallback = subset_tag(seed, salt);
        }
        Self {
            regular: FontId(regular),
            bold: FontId(bold),
            fallback: FontId(fallback),
            engine: TextEngine::default(),
        }
    }

    /// The same ids with another text engine.
    pub fn with_engine(self, engine: TextEngine) -> Self {
        Self { engine, ..self }
    }

    /// Adds the DejaVu faces to `doc` under these ids, and the fallback face when the pages
    /// use it (printpdf subsets them when saving). The fallback is left out otherwise: parsing
    /// it costs time, and a document that does not need it stays as it always was.
    pub fn embed(&self, doc: &mut PdfDocument, with_fallback: bool) -> Result<(), FontError> {
        let mut faces = vec![
            (&self.regular, REGULAR_TTF, "DejaVuSans.ttf"),
            (&self.bold, BOLD_TTF, "DejaVuSans-Bold.ttf"),
        ];
        if with_fallback {
            faces.push((&self.fallback, fallback_ttf()?, FALLBACK_NAME));
        }
        let mut warnings = Vec::new();
        for (id, bytes, name) in faces {
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

    /// The id of a face.
    pub fn id(&self, kind: FontKind) -> &FontId {
        match kind {
            FontKind::Regular => &self.regular,
            FontKind::Bold => &self.bold,
            FontKind::Fallback => &self.fallback,
        }
    }

    /// The handle of a face, for `Op::SetFont`.
    pub fn handle(&self, kind: FontKind) -> PdfFontHandle {
        PdfFontHandle::External(self.id(kind).clone())
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
        for c in ['漢', 'か', 'カ', '한'] {
            assert_eq!(font_for(c, true), Some(FontKind::Fallback), "{c}");
        }
        for (c, bold) in [('é', false), ('ש', true), ('ب', false)] {
            assert_eq!(font_for(c, bold), Some(FontKind::dejavu(bold)), "{c}");
        }
        assert_eq!(font_for('🚀', false), None);
    }

    #[test]
    fn tags_are_stable_letters() {
        let h = FontHandles::new("abc");
        assert_eq!(h, FontHandles::new("abc"));
        assert_ne!(h.regular, h.bold);
        assert!(h.fallback != h.regular && h.fallback != h.bold);
        assert!(h.regular.0.len() == 6 && h.regular.0.chars().all(|c| c.is_ascii_uppercase()));
    }
}
