//! The model card as a self-contained page, the way the reports are written: a handlebars
//! template from `templates/` in strict mode, every tracker string through handlebars' HTML
//! escaping (triple-stash only for the stylesheet this module makes), the report palette's
//! colours, and a Content-Security-Policy that lets nothing load or run.

use assay_reports::palette;
use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use handlebars::{Handlebars, handlebars_helper};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cyclonedx::{NO_FAIRNESS, NOT_RECORDED};
use super::model_card::{ModelCard, slice_of};
use super::text::{bidi_isolated, visible};
use crate::{ApiError, Result};

const TEMPLATE: &str = include_str!("../../../../templates/model-card.html.hbs");
const CSS_RULES: &str = include_str!("../../../../templates/model-card.css");

handlebars_helper!(or_dash: |value: Value| match value {
    Value::Null => "-".to_owned(),
    Value::String(s) if s.trim().is_empty() => "-".to_owned(),
    Value::String(s) => s,
    other => other.to_string(),
});

pub(super) fn render(card: &ModelCard) -> Result<String> {
    let mut handlebars = Handlebars::new();
    handlebars.set_strict_mode(true);
    handlebars
        .register_template_string("card", TEMPLATE)
        .map_err(|e| ApiError::Internal(format!("the model card template: {e}")))?;
    handlebars.register_helper("or_dash", Box::new(or_dash));
    let css = format!("{}\n{CSS_RULES}", palette::css_custom_properties());
    let digest = Sha256::digest(css.as_bytes());
    let csp = format!(
        "default-src 'none'; style-src 'sha256-{}'; img-src data:; base-uri 'none'; \
         form-action 'none'",
        BASE64_STANDARD.encode(digest)
    );
    let imports = card.provenance.imports;
    let mut context = json!({
        "card": card_view(card),
        "fairness_count": card.fairness.len(),
        "no_fairness": NO_FAIRNESS,
        "imports": if imports == 1 { "1 import".to_owned() } else { format!("{imports} imports") },
        "not_recorded": NOT_RECORDED,
        "tag_list": pairs(card.model.tags.iter()),
        "generated": card.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        "imported": card.provenance.imported_at.map_or_else(
            || "at an unknown time".to_owned(),
            |at| at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
    });
    make_visible(&mut context);
    // A slice joins a feature, a group and a reference group: joined again from the isolated
    // parts, each part's text stays inside it.
    if let Some(figures) = context["card"]["fairness"].as_array_mut() {
        for figure in figures {
            let part = |key: &str| figure[key].as_str().map(str::to_owned);
            let slice = slice_of(
                part("sensitive_feature").as_deref(),
                part("group").as_deref(),
                part("reference_group").as_deref(),
            );
            figure["slice"] = json!(slice);
        }
    }
    // Sentences about the failing figures, put together from the cleaned and isolated parts so
    // that each part's text stays inside it.
    let failing: Vec<String> = context["card"]["fairness"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["verdict_class"] == "fail")
        .map(|f| {
            let part = |key: &str| f[key].as_str().unwrap_or_default().to_owned();
            format!(
                "{} for {} is {}, outside {} (run {})",
                part("metric_text"),
                part("slice"),
                part("value_text"),
                part("threshold_text"),
                part("run")
            )
        })
        .collect();
    context["failing_count"] = json!(failing.len());
    context["failing"] = json!(failing);
    // The stylesheet is this module's own text: set after the tracker strings are cleaned and
    // written unescaped, as the reports write theirs.
    context["css"] = json!(css);
    context["csp"] = json!(csp);
    handlebars
        .render("card", &context)
        .map_err(|e| ApiError::Internal(format!("the model card template: {e}")))
}

/// The card as the template reads it, with what the template cannot work out itself: the
/// production flag, each figure's verdict as a class name, and maps as lists of pairs.
fn card_view(card: &ModelCard) -> Value {
    let mut view = serde_json::to_value(card).unwrap_or_default();
    view["model_in_production"] = json!(card.model.is_production());
    if let Some(figures) = view["fairness"].as_array_mut() {
        for (figure, f) in figures.iter_mut().zip(&card.fairness) {
            figure["verdict_class"] = json!(match f.passed {
                Some(true) => "pass",
                Some(false) => "fail",
                None => "context",
            });
        }
    }
    if let Some(runs) = view["runs"].as_array_mut() {
        for (run, r) in runs.iter_mut().zip(&card.runs) {
            run["param_list"] = pairs(r.params.iter());
        }
    }
    view
}

fn pairs<'a>(map: impl Iterator<Item = (&'a String, &'a String)>) -> Value {
    map.map(|(name, value)| json!({"name": name, "value": value}))
        .collect()
}

/// Every string of the context without control characters, which HTML cannot hold, and with
/// its bidirectional controls kept inside it.
fn make_visible(value: &mut Value) {
    match value {
        Value::String(text) => *text = bidi_isolated(&visible(text)),
        Value::Array(items) => items.iter_mut().for_each(make_visible),
        Value::Object(fields) => fields.values_mut().for_each(make_visible),
        _ => {}
    }
}
