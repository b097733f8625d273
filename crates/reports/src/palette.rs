//! The reports' one palette. The charts, the PDF and the HTML stylesheet all take their colours
//! from here (the stylesheet through the CSS custom properties of [`css_custom_properties`]), so
//! the same thing has the same colour wherever it is shown.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for SVG and CSS.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Body text, labels, the minimum tick of the bar chart.
pub const INK: Rgb = Rgb(0x1b, 0x24, 0x30);
/// Secondary text: captions, notes, ticks, legends, labels of areas that were not scored. Dark
/// enough to read at small sizes on white (contrast above 4.5:1).
pub const MUTED: Rgb = Rgb(0x5b, 0x66, 0x75);
/// Headings, table header rows, the rules under section headings, the cover band.
pub const ACCENT: Rgb = Rgb(0x1a, 0x36, 0x5d);
/// The page, chart backgrounds, label halos and text on the accent colour.
pub const PAPER: Rgb = Rgb(0xff, 0xff, 0xff);
/// Table rules and chart gridlines.
pub const GRID: Rgb = Rgb(0xd5, 0xdb, 0xe3);
/// Chart axes and spokes: a gridline that stands out.
pub const AXIS: Rgb = Rgb(0xa6, 0xad, 0xb5);
/// Every other table row.
pub const ZEBRA: Rgb = Rgb(0xf3, 0xf5, 0xf8);
/// A level reached, a clause covered, a metric that passes.
pub const PASS: Rgb = Rgb(0x2e, 0x6b, 0x3a);
/// A level not reached, a gap, a metric that fails.
pub const FAIL: Rgb = Rgb(0xa4, 0x26, 0x2c);
/// Dissent, partial coverage, unanswered questions, characters the PDF cannot show.
pub const WARN: Rgb = Rgb(0x8a, 0x5a, 0x00);
/// Behind what falls short: an area below target, a failed metric, an overdue item, a gap.
pub const GAP_FILL: Rgb = Rgb(0xfb, 0xe9, 0xea);
/// Behind a finding with dissent and a partly covered clause.
pub const DISSENT_FILL: Rgb = Rgb(0xff, 0xf4, 0xdc);
/// Scores: radar polygon and vertices, outline of the mean bars.
pub const SCORE: Rgb = Rgb(0x00, 0x72, 0xb2);
/// Fill of the mean bars, light enough for the minimum tick to show on it.
pub const SCORE_LIGHT: Rgb = Rgb(0x9c, 0xc9, 0xea);
/// Targets, always drawn dashed.
pub const TARGET: Rgb = Rgb(0xd5, 0x5e, 0x00);
/// Trend series colours (Okabe–Ito without yellow, colour-blind safe), cycled; later cycles
/// are told apart by dashes and square markers.
pub const SERIES: [Rgb; 7] = [
    Rgb(0x00, 0x72, 0xb2),
    Rgb(0xd5, 0x5e, 0x00),
    Rgb(0x00, 0x9e, 0x73),
    Rgb(0xcc, 0x79, 0xa7),
    Rgb(0xe6, 0x9f, 0x00),
    Rgb(0x56, 0xb4, 0xe9),
    Rgb(0x44, 0x44, 0x44),
];

/// The colours the stylesheet uses, by the name of their custom property.
const CSS_COLORS: [(&str, Rgb); 14] = [
    ("ink", INK),
    ("muted", MUTED),
    ("accent", ACCENT),
    ("paper", PAPER),
    ("grid", GRID),
    ("axis", AXIS),
    ("zebra", ZEBRA),
    ("pass", PASS),
    ("fail", FAIL),
    ("warn", WARN),
    ("gap-fill", GAP_FILL),
    ("dissent-fill", DISSENT_FILL),
    ("score", SCORE),
    ("target", TARGET),
];

/// The palette as a CSS rule, `:root { --ink: #1b2430; ... }`, for `var(--ink)` in the
/// stylesheet.
pub fn css_custom_properties() -> String {
    let properties: Vec<String> = CSS_COLORS
        .iter()
        .map(|(name, color)| format!("--{name}: {};", color.hex()))
        .collect();
    format!(":root {{ {} }}", properties.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_rule_names_every_colour_once_in_hex() {
        let css = css_custom_properties();
        assert!(css.starts_with(":root { --ink: #1b2430; --muted: #5b6675;"));
        assert!(css.ends_with("--target: #d55e00; }"));
        for (name, _) in CSS_COLORS {
            assert_eq!(css.matches(&format!("--{name}:")).count(), 1, "{name}");
        }
    }
}
