//! User and tracker text made fit for the exports' string types. OSCAL has three: a plain
//! string (one line, no leading or trailing space), a token (an XML NCName) and Markdown (one
//! line or several); HTML takes text once control characters are out of it.

/// Control characters other than newline and tab become U+FFFD: they have no printed form,
/// are errors in HTML and could hide text from a reader.
pub(crate) fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Text for a page that shows it beside other text: when it holds explicit bidirectional
/// controls (embeddings, overrides, isolates), it is wrapped in an isolate (U+2068 ... U+2069),
/// which ends whatever those controls opened. Otherwise a right-to-left override in a dataset
/// name would run on into the words around it and reverse them. Isolate characters inside the
/// text become U+FFFD, so none of them can close the wrapping one early.
pub(crate) fn bidi_isolated(text: &str) -> String {
    let explicit = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(explicit) {
        return text.to_owned();
    }
    let inner: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\u{2066}'..='\u{2069}') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    format!("\u{2068}{inner}\u{2069}")
}

/// One line: every run of whitespace (line and paragraph separators included) becomes one
/// space, and none is left at either end; `None` when nothing is left.
pub(crate) fn one_line(text: &str) -> Option<String> {
    let line = visible(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!line.is_empty()).then_some(line)
}

/// An OSCAL string (`StringDatatype`): non-empty, one line, trimmed.
pub(crate) fn oscal_string(text: &str) -> Option<String> {
    one_line(text)
}

/// An OSCAL one-line Markdown field (`MarkupLineDatatype`), or `fallback` when `text` is blank.
pub(crate) fn markup_line(text: &str, fallback: &str) -> String {
    one_line(text).map_or_else(|| fallback.to_owned(), |line| markdown_literal(&line))
}

/// An OSCAL Markdown field of several lines (`MarkupMultilineDatatype`), or `fallback` when
/// `text` is blank.
pub(crate) fn markup_multiline(text: &str, fallback: &str) -> String {
    let text = visible(&text.replace("\r\n", "\n"));
    let text = text.trim();
    if text.is_empty() {
        fallback.to_owned()
    } else {
        markdown_literal(text)
    }
}

/// `text` as Markdown that reads back as exactly that text: OSCAL fields are CommonMark, so a
/// `<script>` or a `*` in someone's note would otherwise become markup in the tool that renders
/// it. CommonMark lets any ASCII punctuation be escaped with a backslash; these are the ones
/// that start markup (HTML, emphasis, links, code, headings, tables, strikethrough).
pub(crate) fn markdown_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '!' | '#' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An OSCAL token (`TokenDatatype`, an XML NCName) made from an id: letters, digits, `.`, `-`
/// and `_`, starting with a letter or `_`. Ids that already are tokens (every built-in bank's)
/// come through unchanged; other characters become `_`.
pub(crate) fn token(id: &str) -> String {
    let mut out: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_its_meaning_in_every_oscal_type() {
        assert_eq!(
            oscal_string("  two\nlines\u{2028}and\ttabs "),
            Some("two lines and tabs".into())
        );
        assert_eq!(oscal_string(" \n\t"), None);
        assert_eq!(oscal_string("bell\u{7}"), Some("bell\u{fffd}".into()));
        assert_eq!(
            markup_line("<script>alert(1)</script>", "-"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(markup_line("   ", "(none)"), "(none)");
        assert_eq!(
            markup_multiline("a *b*\r\n\r\n[c](d)\u{0}", "-"),
            "a \\*b\\*\n\n\\[c\\](d)\u{fffd}"
        );
    }

    #[test]
    fn bidirectional_controls_stay_inside_their_text() {
        assert_eq!(bidi_isolated("plain עברית"), "plain עברית");
        assert_eq!(
            bidi_isolated("a\u{202e}b\u{2069}c"),
            "\u{2068}a\u{202e}b\u{fffd}c\u{2069}"
        );
    }

    #[test]
    fn ids_become_tokens() {
        assert_eq!(token("GOV-2"), "GOV-2");
        assert_eq!(token("organization-design"), "organization-design");
        assert_eq!(token("2fa check"), "_2fa_check");
        assert_eq!(token("Art.10(2)(f)"), "Art.10_2__f_");
        assert_eq!(token(""), "_");
    }
}
