//! The charts of a report, computed from its model; the HTML and PDF renderers both draw these.

use crate::chart::{self, Bar, Chart, RadarAxis, Series};
use crate::model::ReportModel;

/// Maturity levels run from 0 to this.
const MAX_LEVEL: f64 = 4.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub radar: Chart,
    pub pillars: Chart,
}

pub fn figures(model: &ReportModel) -> Figures {
    let axes: Vec<RadarAxis> = model
        .pillars
        .iter()
        .flat_map(|p| &p.areas)
        .map(|area| RadarAxis {
            label: area.name.clone(),
            value: area.mean,
            target: area.target.map(f64::from),
        })
        .collect();
    let bars: Vec<Bar> = model
        .pillars
        .iter()
        .map(|pillar| {
            let targets: Vec<f64> = pillar
                .areas
                .iter()
                .filter_map(|a| a.target.map(f64::from))
                .collect();
            Bar {
                label: pillar.name.clone(),
                mean: pillar.mean,
                min: pillar.min,
                // A pillar's target is the mean of its areas' targets, when they all have one.
                target: (targets.len() == pillar.areas.len() && !targets.is_empty())
                    .then(|| targets.iter().sum::<f64>() / targets.len() as f64),
            }
        })
        .collect();
    Figures {
        radar: chart::radar("Area scores against targets", &axes, MAX_LEVEL),
        pillars: chart::pillar_bars("Pillar scores", &bars, MAX_LEVEL),
    }
}

/// Pillar means across the scope's assessments; `None` until there are two to compare.
pub fn trend(model: &ReportModel) -> Option<Chart> {
    if model.trend.len() < 2 {
        return None;
    }
    let labels: Vec<String> = model
        .trend
        .iter()
        .map(|t| t.assessed_on.to_string())
        .collect();
    let series: Vec<Series> = model
        .pillars
        .iter()
        .enumerate()
        .map(|(index, pillar)| Series {
            label: pillar.name.clone(),
            points: model
                .trend
                .iter()
                .map(|t| t.pillars.get(index).copied().flatten())
                .collect(),
        })
        .collect();
    Some(chart::trend(
        "Pillar scores over time",
        &labels,
        &series,
        MAX_LEVEL,
    ))
}
