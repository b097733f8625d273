//! The self-contained HTML report: handlebars templates from `templates/`, inline CSS and SVG,
//! a restrictive Content-Security-Policy, and the report's data embedded for `assay verify`.
//!
//! All user text goes through handlebars' default escaping. Triple-stash is used only for
//! markup this module produces itself: the stylesheet, the charts' SVG (whose text the chart
//! writer escapes) and the embedded JSON (whose `<`, `>` and `&` are escaped below).

use std::sync::LazyLock;

use assay_evidence::display;
use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use handlebars::{Handlebars, handlebars_helper};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::ReportError;
use crate::figures::figures;
use crate::model::{CoverageStatus, Finding, HashedModel, ModelEvidence, Reading, SourceRun};
use crate::palette;

/// The stylesheet's rules; its colours are `var(--NAME)` of the palette's custom properties.
const CSS_RULES: &str = include_str!("../../../templates/report.css");

/// The stylesheet of model version 1 reports, frozen so that they still verify.
const CSS_RULES_V1: &str = include_str!("../../../templates/v1/report.css");

/// The stylesheet: the palette's custom properties, then the rules that use them.
static CSS: LazyLock<String> =
    LazyLock::new(|| format!("{}\n{CSS_RULES}", palette::css_custom_properties()));
/// Model version 3 adds rules after today's; the page margins print the document id.
const CSS_RULES_V3: &str = include_str!("../../../templates/report-v3.css");
/// Model version 4 adds rules after version 3's, for the evidence by model version.
const CSS_RULES_V4: &str = include_str!("../../../templates/report-v4.css");

static CSS_V1: LazyLock<String> =
    LazyLock::new(|| format!("{}\n{CSS_RULES_V1}", palette::css_custom_properties()));

/// The partials whose model version 1 layout differs from today's: a report renders in the
/// layout of the model version it embeds, so that `verify` can redraw any earlier report byte
/// for byte. These files never change.
const TEMPLATES_V1: &[(&str, &str)] = &[
    ("summary", include_str!("../../../templates/v1/summary.hbs")),
    (
        "findings",
        include_str!("../../../templates/v1/findings.hbs"),
    ),
    (
        "crosswalk",
        include_str!("../../../templates/v1/crosswalk.hbs"),
    ),
];

const TEMPLATES: &[(&str, &str)] = &[
    ("report", include_str!("../../../templates/report.html.hbs")),
    (
        "cover",
        include_str!("../../../templates/partials/cover.hbs"),
    ),
    (
        "contents",
        include_str!("../../../templates/partials/contents.hbs"),
    ),
    (
        "summary",
        include_str!("../../../templates/partials/summary.hbs"),
    ),
    (
        "method",
        include_str!("../../../templates/partials/method.hbs"),
    ),
    (
        "findings",
        include_str!("../../../templates/partials/findings.hbs"),
    ),
    (
        "evidence",
        include_str!("../../../templates/partials/evidence.hbs"),
    ),
    (
        "governance",
        include_str!("../../../templates/partials/governance.hbs"),
    ),
    (
        "crosswalk",
        include_str!("../../../templates/partials/crosswalk.hbs"),
    ),
    (
        "signoff",
        include_str!("../../../templates/partials/signoff.hbs"),
    ),
    (
        "appendix",
        include_str!("../../../templates/partials/appendix.hbs"),
    ),
    // Model version 4's evidence by model version, which `evidence` includes for such models.
    (
        "tracked_lineage",
        include_str!("../../../templates/partials/tracked_lineage.hbs"),
    ),
    (
        "tracked_bias",
        include_str!("../../../templates/partials/tracked_bias.hbs"),
    ),
    // Model version 4's roadmap, which `summary` includes for such models.
    (
        "roadmap",
        include_str!("../../../templates/partials/roadmap.hbs"),
    ),
];

/// Section anchors and titles, in order; the contents list and the PDF outline use these.
pub const SECTIONS: &[(&str, &str)] = &[
    ("summary", "1. Executive summary"),
    ("method", "2. Methodology"),
    ("findings", "3. Findings by area"),
    ("lineage", "4. Lineage"),
    ("bias", "5. Bias evidence"),
    ("register", "6. Governance register"),
    ("changes", "7. Changes since the previous assessment"),
    ("crosswalk", "8. Framework crosswalk"),
    ("signoff", "9. Sign-off"),
    ("appendix", "10. Appendix"),
];

/// Where the embedded data starts and ends in a rendered file.
pub const DATA_START: &str = "<script type=\"application/json\" id=\"assay-report-data\">";
pub const DATA_END: &str = "</script>";

handlebars_helper!(score: |value: Value| match value.as_f64() {
    Some(v) => format!("{v:.2}"),
    None => "-".to_owned(),
});
handlebars_helper!(metric: |value: Value| value.as_f64().map_or_else(|| "-".to_owned(), display::value_text));
handlebars_helper!(verdict: |passed: bool| display::verdict_text(Some(passed)));
handlebars_helper!(or_dash: |value: Value| match value {
    Value::Null => "-".to_owned(),
    Value::String(s) if s.is_empty() => "-".to_owned(),
    Value::String(s) => s,
    other => other.to_string(),
});
handlebars_helper!(join: |values: Value| match values {
    Value::Array(items) => items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect::<Vec<_>>().join(", "),
    _ => String::new(),
});
handlebars_helper!(datetime: |value: str| chrono::DateTime::parse_from_rfc3339(value)
    .map_or_else(|_| value.to_owned(), |t| t.with_timezone(&chrono::Utc).format("%Y-%m-%d %H:%M UTC").to_string()));
handlebars_helper!(status_label: |value: str| match value {
    "covered" => "Covered",
    "partial" => "Partial",
    "gap" => "Gap",
    _ => "Not applicable",
});

handlebars_helper!(coverage_label: |value: Value| serde_json::from_value::<CoverageStatus>(value)
    .map_or("", CoverageStatus::label));
// A finding shown as a table row, not a block: see `Finding::is_routine`.
handlebars_helper!(routine: |value: Value| serde_json::from_value::<Finding>(value)
    .is_ok_and(|f| f.is_routine()));
handlebars_helper!(any_routine: |values: Value| serde_json::from_value::<Vec<Finding>>(values)
    .is_ok_and(|all| all.iter().any(Finding::is_routine)));
handlebars_helper!(action_count: |values: Value| match values.as_array().map(Vec::len) {
    Some(0) | None => "none yet".to_owned(),
    Some(n) => n.to_string(),
});
handlebars_helper!(or_zero: |value: Value| value.as_u64().unwrap_or(0));
// A 1-based position from `@index`.
handlebars_helper!(inc: |value: u64| value + 1);
// Model version 4: counts with thousands separators, a run behind a model version in words,
// whether some registered versions are listed one line each.
handlebars_helper!(thousands: |value: u64| crate::model::thousands(usize::try_from(value).unwrap_or(usize::MAX)));
handlebars_helper!(source_run: |value: Value| serde_json::from_value::<SourceRun>(value)
    .map(|r| r.text()).unwrap_or_default());
handlebars_helper!(any_brief: |values: Value| serde_json::from_value::<Vec<ModelEvidence>>(values)
    .is_ok_and(|all| all.iter().any(|m| !m.in_full)));

#[derive(Serialize)]
struct Context<'a> {
    model: &'a crate::model::ReportModel,
    content_hash: &'a str,
    document_id: String,
    css: String,
    csp: String,
    charts: Charts,
    changes_summary: String,
    sections: Vec<Section>,
    data_json: String,
    /// What model version 2 reports derive from the model for the reader (key messages,
    /// approval state, actions per gap); `None` for version 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    reading: Option<Reading>,
}

#[derive(Serialize)]
struct Charts {
    radar: String,
    pillars: String,
    /// Empty until the scope has two assessments.
    trend: String,
    /// The key to colours and marks (model version 3); empty before.
    key: String,
}

#[derive(Serialize)]
struct Section {
    id: &'static str,
    title: &'static str,
}

/// Renders reports; build once and reuse (templates are compiled on creation).
#[derive(Debug)]
pub struct HtmlRenderer {
    handlebars: Handlebars<'static>,
    /// The layout of model version 1 reports.
    handlebars_v1: Handlebars<'static>,
}

impl HtmlRenderer {
    pub fn new() -> Result<HtmlRenderer, ReportError> {
        Ok(HtmlRenderer {
            handlebars: registry(&[])?,
            handlebars_v1: registry(TEMPLATES_V1)?,
        })
    }

    pub fn render(&self, hashed: &HashedModel) -> Result<String, ReportError> {
        let (handlebars, css) = if hashed.model.model_version < 2 {
            (&self.handlebars_v1, CSS_V1.as_str())
        } else {
            (&self.handlebars, CSS.as_str())
        };
        let document_id = hashed.document_id();
        let css = if hashed.model.model_version >= 3 {
            // The id is ASSAY-, letters, digits and a dash: nothing to escape in a CSS string.
            format!(
                "{css}\n{CSS_RULES_V3}@media print {{ @page {{ @bottom-left {{ content: \"{document_id}\"; font-size: 8pt; color: {}; }} }} }}\n",
                palette::MUTED.hex()
            )
        } else {
            css.to_owned()
        };
        let css = if hashed.model.model_version >= 4 {
            format!("{css}{CSS_RULES_V4}")
        } else {
            css
        };
        let figures = figures(&hashed.model);
        let reading = (hashed.model.model_version >= 2).then(|| Reading::of(&hashed.model));
        let context = Context {
            model: &hashed.model,
            content_hash: &hashed.content_hash,
            csp: content_security_policy(&css),
            document_id,
            css,
            charts: Charts {
                radar: figures.radar.to_svg(),
                pillars: figures.pillars.to_svg(),
                trend: crate::figures::trend(&hashed.model)
                    .map(|c| c.to_svg())
                    .unwrap_or_default(),
                key: reading
                    .as_ref()
                    .and_then(|r| r.framing.as_ref())
                    .map(|f| f.key_chart().to_svg())
                    .unwrap_or_default(),
            },
            changes_summary: hashed
                .model
                .changes
                .as_ref()
                .map(|c| c.summary())
                .unwrap_or_default(),
            sections: SECTIONS
                .iter()
                .map(|(id, title)| Section { id, title })
                .collect(),
            data_json: embedded_json(&crate::model::canonical_json(&hashed.model)),
            reading,
        };
        handlebars
            .render("report", &context)
            .map_err(|e| ReportError::Template(e.to_string()))
    }
}

/// The templates and helpers, with `overrides` in place of the partials of the same name.
fn registry(
    overrides: &[(&'static str, &'static str)],
) -> Result<Handlebars<'static>, ReportError> {
    let mut handlebars = Handlebars::new();
    handlebars.set_strict_mode(true);
    for (name, text) in TEMPLATES {
        let text = overrides
            .iter()
            .find(|(other, _)| other == name)
            .map_or(*text, |(_, text)| *text);
        if *name == "report" {
            handlebars.register_template_string(name, text)
        } else {
            handlebars.register_partial(name, text)
        }
        .map_err(|e| ReportError::Template(e.to_string()))?;
    }
    handlebars.register_helper("score", Box::new(score));
    handlebars.register_helper("metric", Box::new(metric));
    handlebars.register_helper("verdict", Box::new(verdict));
    handlebars.register_helper("or_dash", Box::new(or_dash));
    handlebars.register_helper("join", Box::new(join));
    handlebars.register_helper("datetime", Box::new(datetime));
    handlebars.register_helper("status_label", Box::new(status_label));
    handlebars.register_helper("coverage_label", Box::new(coverage_label));
    handlebars.register_helper("routine", Box::new(routine));
    handlebars.register_helper("any_routine", Box::new(any_routine));
    handlebars.register_helper("action_count", Box::new(action_count));
    handlebars.register_helper("or_zero", Box::new(or_zero));
    handlebars.register_helper("inc", Box::new(inc));
    handlebars.register_helper("thousands", Box::new(thousands));
    handlebars.register_helper("source_run", Box::new(source_run));
    handlebars.register_helper("any_brief", Box::new(any_brief));
    Ok(handlebars)
}

/// Nothing may load or run: no default sources, the one inline stylesheet allowed by its hash,
/// images only as data: URIs (none today), no base URL or form targets.
fn content_security_policy(css: &str) -> String {
    let digest = Sha256::digest(css.as_bytes());
    format!(
        "default-src 'none'; style-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'",
        BASE64_STANDARD.encode(digest)
    )
}

/// JSON made safe inside a `<script>` element: no `</script>` or `<!--` can form.
fn embedded_json(json: &[u8]) -> String {
    String::from_utf8_lossy(json)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script_element() {
        let escaped = embedded_json(br#"{"note":"</script><script>alert(1)</script>&"}"#);
        assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('&'));
        let parsed: serde_json::Value = serde_json::from_str(&escaped).unwrap_or_default();
        assert_eq!(parsed["note"], "</script><script>alert(1)</script>&");
    }
}
