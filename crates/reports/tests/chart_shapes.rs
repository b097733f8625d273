//! Geometry and SVG output of the charts.

use assay_reports::chart::{
    Anchor, Bar, Chart, RadarAxis, Series, Shape, pillar_bars, radar, text_width, trend,
};
use assay_reports::palette::{SCORE, SCORE_LIGHT, TARGET};

/// Area names of the bank, in bank order.
const AREAS: [&str; 15] = [
    "Organization design",
    "Project management",
    "Knowledge sharing",
    "Scoping and opportunity sizing",
    "Data discovery and validation",
    "Model development and evaluation",
    "Governance",
    "Data engineering",
    "Decision optimization",
    "CI/CD and testing for ML",
    "Scaling, orchestration and reproducibility",
    "Deployment and observability",
    "Cost and time to value",
    "Maintainability, interoperability and reliability",
    "Fit for purpose",
];

fn axes15() -> Vec<RadarAxis> {
    AREAS
        .iter()
        .enumerate()
        .map(|(i, name)| RadarAxis {
            label: (*name).to_string(),
            value: if i == 7 {
                None
            } else {
                Some(0.67 + (i as f64 * 0.37) % 2.66)
            },
            target: Some(if i % 3 == 0 { 3.0 } else { 2.0 }),
        })
        .collect()
}

fn bars3() -> Vec<Bar> {
    vec![
        Bar {
            label: "People".into(),
            mean: Some(2.13),
            min: Some(1.33),
            target: Some(3.0),
        },
        Bar {
            label: "Processes".into(),
            mean: Some(1.78),
            min: Some(0.67),
            target: Some(2.0),
        },
        Bar {
            label: "Platform".into(),
            mean: Some(3.4),
            min: Some(2.5),
            target: Some(3.0),
        },
    ]
}

/// Bounding box (x0, y0, x1, y1) of a text shape, from its anchor, estimated width and size.
fn text_box(
    x: f32,
    y: f32,
    text: &str,
    size: f32,
    anchor: Anchor,
    bold: bool,
) -> (f32, f32, f32, f32) {
    let w = text_width(text, size, bold);
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    (left, y - 0.8 * size, left + w, y + 0.2 * size)
}

/// Every point, rectangle, circle and text box of `chart` lies within its bounds.
fn assert_inside(chart: &Chart) {
    let (w, h) = (chart.width, chart.height);
    let check = |x: f32, y: f32, what: &str| {
        assert!(
            x.is_finite() && y.is_finite() && (0.0..=w).contains(&x) && (0.0..=h).contains(&y),
            "{what} at ({x}, {y}) outside {w} x {h} in {:?}",
            chart.title
        );
    };
    for shape in &chart.shapes {
        match shape {
            Shape::Line { points, .. } | Shape::Polygon { points, .. } => {
                assert!(!points.is_empty());
                for &(x, y) in points {
                    check(x, y, "point");
                }
            }
            Shape::Rect { x, y, w, h, .. } => {
                check(*x, *y, "rect");
                check(x + w, y + h, "rect corner");
            }
            Shape::Circle { cx, cy, r, .. } => {
                check(cx - r, cy - r, "circle");
                check(cx + r, cy + r, "circle");
            }
            Shape::Text {
                x,
                y,
                text,
                size,
                anchor,
                bold,
                ..
            } => {
                check(*x, *y, "text anchor");
                let (x0, y0, x1, y1) = text_box(*x, *y, text, *size, *anchor, *bold);
                check(x0, y0, text);
                check(x1, y1, text);
            }
        }
    }
}

/// No two text shapes of `chart` overlap.
fn assert_no_text_overlap(chart: &Chart) {
    let boxes: Vec<_> = chart
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text {
                x,
                y,
                text,
                size,
                anchor,
                bold,
                ..
            } => Some((text.clone(), text_box(*x, *y, text, *size, *anchor, *bold))),
            _ => None,
        })
        .collect();
    for (i, (a, ba)) in boxes.iter().enumerate() {
        for (b, bb) in &boxes[i + 1..] {
            let apart = ba.2 <= bb.0 || bb.2 <= ba.0 || ba.3 <= bb.1 || bb.3 <= ba.1;
            assert!(apart, "{a:?} {ba:?} overlaps {b:?} {bb:?}");
        }
    }
}

fn spokes(chart: &Chart) -> Vec<((f32, f32), (f32, f32))> {
    chart
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Line {
                points,
                dashed: false,
                ..
            } if points.len() == 2 => Some((points[0], points[1])),
            _ => None,
        })
        .collect()
}

fn score_polygon(chart: &Chart) -> Vec<(f32, f32)> {
    let found = chart.shapes.iter().find_map(|s| match s {
        Shape::Polygon {
            points,
            fill: Some(SCORE),
            ..
        } => Some(points.clone()),
        _ => None,
    });
    found.expect("a score polygon")
}

fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

fn axis(label: &str, value: Option<f64>, target: Option<f64>) -> RadarAxis {
    RadarAxis {
        label: label.into(),
        value,
        target,
    }
}

#[test]
fn radar_vertices_at_max_on_outer_ring_and_zero_at_centre() {
    let axes = vec![
        axis("A", Some(4.0), None),
        axis("B", Some(0.0), None),
        axis("C", Some(2.0), None),
        axis("D", None, None),
        axis("E", Some(9.0), None),
    ];
    let chart = radar("Scores", &axes, 4.0);
    let spokes = spokes(&chart);
    assert_eq!(spokes.len(), 5, "one spoke per axis");
    let centre = spokes[0].0;
    let radius = dist(centre, spokes[0].1);
    let poly = score_polygon(&chart);
    assert_eq!(poly.len(), 5);
    assert!(
        (dist(poly[0], centre) - radius).abs() < 0.01,
        "max lies on the outer ring"
    );
    assert!(
        (poly[0].0 - centre.0).abs() < 0.01 && poly[0].1 < centre.1,
        "first axis points up"
    );
    assert!(poly[2].0 > centre.0, "axes go clockwise");
    assert!(dist(poly[1], centre) < 0.01, "0 lies at the centre");
    assert!((dist(poly[2], centre) - radius / 2.0).abs() < 0.01);
    assert!(
        dist(poly[3], centre) < 0.01,
        "an unscored area is drawn at 0"
    );
    assert!(
        (dist(poly[4], centre) - radius).abs() < 0.01,
        "values above max are clamped"
    );
    for (i, (c, rim)) in spokes.iter().enumerate() {
        assert_eq!(*c, centre);
        assert!(
            (dist(*c, *rim) - radius).abs() < 0.01,
            "spoke {i} reaches the rim"
        );
    }
}

#[test]
fn radar_has_n_spokes_and_target_only_with_targets() {
    let is_target = |s: &Shape| {
        matches!(
            s,
            Shape::Line {
                stroke: TARGET,
                dashed: true,
                ..
            }
        )
    };
    for n in [3, 5, 15] {
        let axes: Vec<_> = (0..n)
            .map(|i| axis(&format!("Area {i}"), Some(2.0), None))
            .collect();
        let chart = radar("No targets", &axes, 4.0);
        assert_eq!(spokes(&chart).len(), n);
        assert!(
            !chart.shapes.iter().any(is_target),
            "no target without targets"
        );
    }
    let chart = radar("Targets", &axes15(), 4.0);
    let targets: Vec<_> = chart.shapes.iter().filter(|s| is_target(s)).collect();
    assert_eq!(targets.len(), 2, "the target loop and its legend swatch");
    let Shape::Line { points, .. } = targets[0] else {
        unreachable!()
    };
    assert_eq!(points.len(), 16, "a closed loop through 15 axes");
    assert_eq!(points[0], points[15]);

    let mut partial = axes15();
    partial[4].target = None;
    let chart = radar("Partial", &partial, 4.0);
    let loops: Vec<_> = chart.shapes.iter().filter(|s| is_target(s)).collect();
    let Shape::Line { points, .. } = loops[0] else {
        unreachable!()
    };
    assert_eq!(
        points.len(),
        14,
        "the loop is broken where a target is missing"
    );
}

#[test]
fn radar_unscored_label_is_grey_and_labels_wrap() {
    let chart = radar("Scores", &axes15(), 4.0);
    let texts: Vec<_> = chart
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { text, color, .. } => Some((text.as_str(), *color)),
            _ => None,
        })
        .collect();
    let de = texts
        .iter()
        .find(|(t, _)| *t == "Data engineering")
        .expect("label");
    assert_eq!(de.1, assay_reports::palette::MUTED);
    let gov = texts
        .iter()
        .find(|(t, _)| *t == "Governance")
        .expect("label");
    assert_eq!(gov.1, assay_reports::palette::INK);
    for line in ["Maintainability,", "interoperability", "and reliability"] {
        assert!(
            texts.iter().any(|(t, _)| *t == line),
            "{line} is a line of its own"
        );
    }
    let legend = "Grey label: area not scored";
    let long_lines: Vec<_> = texts
        .iter()
        .filter(|(t, _)| t.chars().count() > 20 && *t != legend)
        .collect();
    assert!(long_lines.is_empty(), "{long_lines:?}");
}

#[test]
fn charts_stay_inside_their_bounds_and_labels_do_not_collide() {
    let long = "Maintainability, interoperability and reliability of everything we ever built";
    let mut axes = axes15();
    axes[3].label = long.into();
    let charts = vec![
        radar("Area scores", &axes15(), 4.0),
        radar(long, &axes, 4.0),
        radar("Three", &axes15()[..3], 4.0),
        radar("One", &axes15()[..1], 4.0),
        radar("None", &[], 4.0),
        pillar_bars("Pillars", &bars3(), 4.0),
        pillar_bars(
            long,
            &[Bar {
                label: long.into(),
                mean: Some(4.0),
                min: Some(4.0),
                target: Some(4.0),
            }],
            4.0,
        ),
        pillar_bars("Empty", &[], 4.0),
        trend("Trend", &dates(3), &series(3, 3), 4.0),
        trend("Many", &dates(12), &series(15, 12), 4.0),
        trend("Single", &dates(1), &series(2, 1), 4.0),
        trend("Empty", &[], &[], 4.0),
    ];
    for chart in &charts {
        assert_inside(chart);
    }
    for i in [0, 1, 5, 8, 9] {
        assert_no_text_overlap(&charts[i]);
    }
    let twenty: Vec<Bar> = (0..20)
        .map(|i| Bar {
            label: format!("Pillar number {i} with a long name"),
            mean: Some(f64::from(i) / 5.0),
            min: Some(0.5),
            target: Some(3.0),
        })
        .collect();
    let chart = pillar_bars("Twenty", &twenty, 4.0);
    assert_inside(&chart);
    assert_no_text_overlap(&chart);
}

fn dates(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("2025-{:02}-15", i % 12 + 1))
        .collect()
}

fn series(n: usize, points: usize) -> Vec<Series> {
    (0..n)
        .map(|s| Series {
            label: AREAS[s % 15].to_string(),
            points: (0..points)
                .map(|p| {
                    if (s + p) % 5 == 4 {
                        None
                    } else {
                        Some(((s * 7 + p * 3) % 9) as f64 / 2.0)
                    }
                })
                .collect(),
        })
        .collect()
}

#[test]
fn pillar_bars_handle_missing_means() {
    let mut bars = bars3();
    bars[1] = Bar {
        label: "Processes".into(),
        mean: None,
        min: None,
        target: Some(2.0),
    };
    let chart = pillar_bars("Pillars", &bars, 4.0);
    let rects = chart
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Rect { h, fill: Some(SCORE_LIGHT), .. } if *h > 8.0))
        .count();
    assert_eq!(rects, 2, "no bar for the unscored pillar");
    let texts: Vec<&str> = chart
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&"2.13") && texts.contains(&"3.40") && texts.contains(&"n/a"));
    assert!(texts.contains(&"not scored"));
    let bar_w = |i: usize| {
        chart
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect {
                    w,
                    h,
                    fill: Some(SCORE_LIGHT),
                    ..
                } if *h > 8.0 => Some(*w),
                _ => None,
            })
            .nth(i)
    };
    let (people, platform) = (bar_w(0).expect("bar"), bar_w(1).expect("bar"));
    assert!(
        (people / platform - 2.13 / 3.4).abs() < 0.001,
        "bars are proportional to means"
    );
}

#[test]
fn trend_leaves_gaps_and_draws_a_single_assessment_as_markers() {
    let s = vec![Series {
        label: "Overall".into(),
        points: vec![Some(1.0), None, Some(2.0), Some(2.5)],
    }];
    let chart = trend("Trend", &dates(4), &s, 4.0);
    let lines: Vec<usize> = chart
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Line { points, width, .. } if *width > 1.5 => Some(points.len()),
            _ => None,
        })
        .collect();
    // The run 2.0 → 2.5, then the legend swatch; the lone 1.0 is a marker only.
    assert_eq!(lines, vec![2, 2]);
    let markers = chart
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Circle { .. }))
        .count();
    assert_eq!(markers, 3 + 1, "three points and the legend marker");

    let chart = trend("Single", &dates(1), &series(1, 1), 4.0);
    let polylines = chart
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Line { width, points, .. } if *width > 1.5 && points[0].0 > 30.0))
        .count();
    assert_eq!(polylines, 0, "one assessment: no line, only the marker");
    let markers = chart
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Circle { .. }))
        .count();
    assert_eq!(markers, 2);
    assert_inside(&chart);
}

#[test]
fn svg_escapes_hostile_text() {
    let hostile = "</text><script>alert(1)</script> & \"quotes\" 'x'\u{0}\u{1b}\u{7}";
    let axes = vec![
        axis(hostile, Some(1.0), Some(2.0)),
        axis("b", Some(2.0), None),
        axis("c", None, None),
    ];
    for chart in [
        radar(hostile, &axes, 4.0),
        pillar_bars(
            hostile,
            &[Bar {
                label: hostile.into(),
                mean: Some(1.0),
                min: None,
                target: None,
            }],
            4.0,
        ),
        trend(
            hostile,
            &[hostile.to_string()],
            &[Series {
                label: hostile.into(),
                points: vec![Some(1.0)],
            }],
            4.0,
        ),
    ] {
        let svg = chart.to_svg();
        assert!(!svg.to_lowercase().contains("<script"), "{svg}");
        assert!(svg.contains("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &apos;x&apos;"));
        assert!(
            !svg.chars().any(|c| c.is_control() && c != '\n'),
            "control characters are dropped"
        );
        assert!(!svg.contains("style") && !svg.contains(" id=") && !svg.contains("href"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title>&lt;/text&gt;"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }
}

#[test]
fn svg_is_deterministic_and_numbers_are_tidy() {
    let a = radar("Area scores", &axes15(), 4.0).to_svg();
    let b = radar("Area scores", &axes15(), 4.0).to_svg();
    assert_eq!(a, b);
    let t1 = trend("Trend", &dates(3), &series(3, 3), 4.0).to_svg();
    assert_eq!(t1, trend("Trend", &dates(3), &series(3, 3), 4.0).to_svg());
    for svg in [a, t1, pillar_bars("P", &bars3(), 4.0).to_svg()] {
        assert!(!svg.contains("\"-0") && !svg.contains(" -0,") && !svg.contains(",-0\""));
        for attr in svg.split('"').skip(1).step_by(2) {
            for num in attr.split([' ', ',']) {
                if let Some((_, decimals)) = num.split_once('.')
                    && num.parse::<f64>().is_ok()
                {
                    assert!(decimals.len() <= 2, "{num} in {attr}");
                }
            }
        }
    }
}

#[test]
fn degenerate_inputs_give_finite_geometry() {
    let odd = [f64::NAN, f64::INFINITY, -3.0, 1e9];
    let axes: Vec<RadarAxis> = (0..40)
        .map(|i| axis(&"x".repeat(i), Some(odd[i % 4]), Some(odd[(i + 1) % 4])))
        .collect();
    let bars = [Bar {
        label: String::new(),
        mean: Some(f64::NAN),
        min: Some(-1.0),
        target: Some(9.0),
    }];
    let series = [Series {
        label: "\u{0}".into(),
        points: vec![Some(f64::NAN), Some(-2.0)],
    }];
    for max in [4.0, 0.0, -1.0, f64::NAN, 2.5] {
        for chart in [
            radar("", &axes, max),
            radar("two", &axes[..2], max),
            pillar_bars("", &bars, max),
            trend("", &dates(2), &series, max),
        ] {
            let svg = chart.to_svg();
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            assert!(chart.width > 0.0 && chart.height > 0.0);
        }
    }
    assert_inside(&radar("Ten", &axes[..10], 2.5));
}
