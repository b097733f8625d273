//! Writes sample charts as SVG for a visual check: `cargo test -p assay-reports --test
//! chart_preview -- --ignored`, then render `$CHART_PREVIEW_DIR` (default: the system temp
//! directory's `charts`) with e.g. `rsvg-convert`.

use assay_reports::chart::{Bar, RadarAxis, Series, pillar_bars, radar, trend};

const AREAS: [(&str, Option<f64>, f64); 15] = [
    ("Organization design", Some(2.33), 3.0),
    ("Project management", Some(1.67), 2.0),
    ("Knowledge sharing", Some(2.0), 2.0),
    ("Scoping and opportunity sizing", Some(3.33), 3.0),
    ("Data discovery and validation", Some(1.0), 3.0),
    ("Model development and evaluation", Some(2.67), 3.0),
    ("Governance", Some(0.67), 3.0),
    ("Data engineering", None, 2.0),
    ("Decision optimization", Some(1.33), 2.0),
    ("CI/CD and testing for ML", Some(1.0), 3.0),
    ("Scaling, orchestration and reproducibility", Some(2.0), 3.0),
    ("Deployment and observability", Some(1.67), 3.0),
    ("Cost and time to value", Some(2.5), 2.0),
    (
        "Maintainability, interoperability and reliability",
        Some(3.0),
        2.0,
    ),
    ("Fit for purpose", Some(2.33), 2.0),
];

#[test]
#[ignore = "writes files for a visual check"]
fn write_preview_svgs() {
    let dir = std::env::var_os("CHART_PREVIEW_DIR").map_or_else(
        || std::env::temp_dir().join("charts"),
        std::path::PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    let axes: Vec<RadarAxis> = AREAS
        .iter()
        .map(|(l, v, t)| RadarAxis {
            label: (*l).into(),
            value: *v,
            target: Some(*t),
        })
        .collect();
    let bars = vec![
        Bar {
            label: "People".into(),
            mean: Some(2.0),
            min: Some(1.67),
            target: Some(2.5),
        },
        Bar {
            label: "Processes".into(),
            mean: Some(1.71),
            min: Some(0.67),
            target: Some(3.0),
        },
        Bar {
            label: "Platform".into(),
            mean: Some(2.61),
            min: Some(2.33),
            target: Some(2.0),
        },
    ];
    let dates: Vec<String> = ["2024-11-04", "2025-03-17", "2025-09-22"]
        .map(String::from)
        .to_vec();
    let series = vec![
        Series {
            label: "Overall".into(),
            points: vec![Some(1.2), Some(1.65), Some(2.01)],
        },
        Series {
            label: "People".into(),
            points: vec![Some(1.5), Some(1.8), Some(2.0)],
        },
        Series {
            label: "Processes".into(),
            points: vec![Some(0.9), None, Some(1.71)],
        },
        Series {
            label: "Platform".into(),
            points: vec![None, Some(2.2), Some(2.61)],
        },
    ];
    let many: Vec<Series> = AREAS
        .iter()
        .enumerate()
        .map(|(i, (l, ..))| Series {
            label: (*l).into(),
            points: (0..6)
                .map(|p| Some(((i * 5 + p * 3) % 17) as f64 / 4.5))
                .collect(),
        })
        .collect();
    let many_dates: Vec<String> = (0..6)
        .map(|i| format!("2025-{:02}-01", i * 2 + 1))
        .collect();
    let long =
        "Maintainability, interoperability and reliability of every model we have ever shipped";
    let mut odd = axes.clone();
    odd[3].label = long.into();
    odd[9].target = None;
    odd.truncate(11);
    let twenty: Vec<Bar> = (0..20)
        .map(|i| Bar {
            label: if i == 4 {
                long.into()
            } else {
                format!("Pillar {i}")
            },
            mean: if i == 7 {
                None
            } else {
                Some(f64::from(i) / 5.0)
            },
            min: Some(f64::from(i) / 8.0),
            target: Some(3.0),
        })
        .collect();
    let files = [
        ("radar_odd.svg", radar(long, &odd, 4.0)),
        ("bars20.svg", pillar_bars("Twenty pillars", &twenty, 4.0)),
        (
            "radar.svg",
            radar("Area scores against targets", &axes, 4.0),
        ),
        ("radar5.svg", radar("Five areas", &axes[..5], 4.0)),
        ("bars.svg", pillar_bars("Pillar scores", &bars, 4.0)),
        (
            "trend.svg",
            trend("Scores across assessments", &dates, &series, 4.0),
        ),
        (
            "trend1.svg",
            trend("A single assessment", &dates[..1], &series, 4.0),
        ),
        (
            "trend15.svg",
            trend("Area scores across assessments", &many_dates, &many, 4.0),
        ),
    ];
    for (name, chart) in files {
        std::fs::write(dir.join(name), chart.to_svg()).unwrap();
    }
}
