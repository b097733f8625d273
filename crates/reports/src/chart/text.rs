//! Text measured with the advance widths of DejaVu Sans, cleaned, wrapped and cut short.

/// DejaVu Sans advance widths of ASCII 32..=126, in thousandths of an em.
const WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// Width in points of `text` set in DejaVu Sans (bold is estimated 10% wider); characters
/// outside ASCII are counted as wide ones, so the estimate errs on the safe side.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let em: u32 = text
        .chars()
        .map(|c| match c as u32 {
            code @ 32..=126 => u32::from(WIDTHS[(code - 32) as usize]),
            _ if c == '…' => 1000,
            _ => 760,
        })
        .sum();
    em as f32 * size / 1000.0 * if bold { 1.1 } else { 1.0 }
}

/// `text` on one line: control characters and runs of white space become single spaces.
pub(super) fn clean(text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .collect();
    words
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Width of the widest of `lines`.
pub(super) fn widest<'a>(lines: impl IntoIterator<Item = &'a String>, size: f32) -> f32 {
    lines
        .into_iter()
        .map(|l| text_width(l, size, false))
        .fold(0.0, f32::max)
}

/// `text` cut short with an ellipsis so that it is at most `max_w` wide.
pub(super) fn ellipsize(text: &str, max_w: f32, size: f32, bold: bool) -> String {
    let mut cut = clean(text);
    if text_width(&cut, size, bold) <= max_w {
        return cut;
    }
    while !cut.is_empty() && text_width(&format!("{cut}…"), size, bold) > max_w {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

/// Word-wraps `text` into at most `max_lines` lines of at most `max_w` points; what does not
/// fit is cut short with an ellipsis.
pub fn wrap(text: &str, max_w: f32, size: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in clean(text).split(' ').filter(|w| !w.is_empty()) {
        let longer = format!("{line} {word}");
        if line.is_empty() {
            line = word.to_string();
        } else if text_width(&longer, size, false) <= max_w {
            line = longer;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    lines.extend((!line.is_empty()).then_some(line));
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    let cut = |l: &String| ellipsize(l, max_w, size, false);
    lines.iter().map(cut).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_labels_wrap_by_width_and_are_cut_short_past_the_last_line() {
        let lines = wrap(
            "Maintainability, interoperability and reliability",
            74.0,
            7.5,
            3,
        );
        assert_eq!(
            lines,
            ["Maintainability,", "interoperability", "and reliability"]
        );
        let lines = wrap(
            "one two three four five six seven eight nine ten",
            30.0,
            7.5,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…') && lines.iter().all(|l| text_width(l, 7.5, false) <= 30.0));
        assert_eq!(
            wrap("Supercalifragilisticexpialidocious", 40.0, 7.5, 3).len(),
            1
        );
        assert!(wrap("  ", 40.0, 7.5, 3).is_empty());
    }
}
