//! SVG output of the charts.

use super::{Anchor, Chart, DASH, FONT_FAMILY, Pt, Rgb, Shape};

/// A number with at most two decimals, without trailing zeros and never "-0".
pub fn fmt_num(v: f32) -> String {
    let s = format!("{:.2}", if v.is_finite() { f64::from(v) } else { 0.0 });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// `text` escaped for XML content and attribute values, without the characters XML forbids
/// (control characters; tabs and line breaks become spaces).
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn svg_points(points: &[Pt]) -> String {
    let pair = |&(x, y): &Pt| format!("{},{}", fmt_num(x), fmt_num(y));
    points.iter().map(pair).collect::<Vec<_>>().join(" ")
}

fn svg_fill(fill: Option<Rgb>) -> String {
    format!(
        " fill=\"{}\"",
        fill.map_or_else(|| "none".to_string(), Rgb::hex)
    )
}

fn svg_stroke(stroke: Option<Rgb>, width: f32) -> String {
    let Some(c) = stroke else {
        return String::new();
    };
    let (c, w) = (c.hex(), fmt_num(width));
    format!(" stroke=\"{c}\" stroke-width=\"{w}\" stroke-linejoin=\"round\"")
}

fn svg_element(shape: &Shape) -> String {
    match shape {
        Shape::Line {
            points,
            stroke,
            width,
            dashed,
        } => {
            let (on, off) = (fmt_num(DASH[0]), fmt_num(DASH[1]));
            let dash = if *dashed {
                format!(" stroke-dasharray=\"{on} {off}\"")
            } else {
                String::new()
            };
            let (points, stroke) = (svg_points(points), svg_stroke(Some(*stroke), *width));
            format!("<polyline points=\"{points}\" fill=\"none\"{stroke}{dash}/>")
        }
        Shape::Polygon {
            points,
            fill,
            fill_opacity,
            stroke,
            width,
        } => {
            let opacity = match fill {
                Some(_) if *fill_opacity < 1.0 => {
                    format!(" fill-opacity=\"{}\"", fmt_num(fill_opacity.max(0.0)))
                }
                _ => String::new(),
            };
            let (fill, stroke) = (svg_fill(*fill), svg_stroke(*stroke, *width));
            let points = svg_points(points);
            format!("<polygon points=\"{points}\"{fill}{opacity}{stroke}/>")
        }
        Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
            width,
        } => {
            let (x, y) = (fmt_num(*x), fmt_num(*y));
            let (w, h) = (fmt_num(w.max(0.0)), fmt_num(h.max(0.0)));
            let (fill, stroke) = (svg_fill(*fill), svg_stroke(*stroke, *width));
            format!("<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"{fill}{stroke}/>")
        }
        Shape::Circle { cx, cy, r, fill } => {
            let (cx, cy, r, fill) = (fmt_num(*cx), fmt_num(*cy), fmt_num(*r), fill.hex());
            format!("<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{fill}\"/>")
        }
        Shape::Text {
            x,
            y,
            text,
            size,
            anchor,
            color,
            bold,
        } => {
            let (x, y, size, fill) = (fmt_num(*x), fmt_num(*y), fmt_num(*size), color.hex());
            let anchor = match anchor {
                Anchor::Start => "",
                Anchor::Middle => " text-anchor=\"middle\"",
                Anchor::End => " text-anchor=\"end\"",
            };
            let weight = if *bold { " font-weight=\"bold\"" } else { "" };
            let (text, at) = (xml_escape(text), format!("x=\"{x}\" y=\"{y}\""));
            format!("<text {at} font-size=\"{size}\" fill=\"{fill}\"{anchor}{weight}>{text}</text>")
        }
    }
}

impl Chart {
    /// A standalone SVG of the chart, in points, for inlining under a strict
    /// Content-Security-Policy: presentation attributes only (no `<style>`, no `style=`), no
    /// ids, scripts or external references; the accessible name is an `aria-label` and a
    /// `<title>`; all text is escaped, and equal charts give equal bytes.
    pub fn to_svg(&self) -> String {
        let (w, h) = (fmt_num(self.width), fmt_num(self.height));
        let title = xml_escape(&self.title);
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}pt\" \
             height=\"{h}pt\" role=\"img\" aria-label=\"{title}\" font-family=\"{FONT_FAMILY}\">\n\
             <title>{title}</title>\n"
        );
        for shape in &self.shapes {
            svg.push_str(&svg_element(shape));
            svg.push('\n');
        }
        svg.push_str("</svg>\n");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::text::clean;

    #[test]
    fn chart_numbers_have_two_decimals_at_most_and_no_negative_zero() {
        let cases = [
            (1.0, "1"),
            (2.5, "2.5"),
            (2.126, "2.13"),
            (-0.001, "0"),
            (-1.5, "-1.5"),
        ];
        for (v, want) in cases {
            assert_eq!(fmt_num(v), want);
        }
        assert_eq!(
            (fmt_num(100.0), fmt_num(f32::NAN), fmt_num(0.004)),
            ("100".into(), "0".into(), "0".into())
        );
    }

    #[test]
    fn chart_text_is_escaped_and_cleaned() {
        let escaped = xml_escape("a<b>&\"c\" 'd'\u{0}\u{1b}\ne\u{ffff}");
        assert_eq!(escaped, "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos; e");
        assert_eq!(clean(" a \t b\u{7}c\n"), "a b c");
    }
}
