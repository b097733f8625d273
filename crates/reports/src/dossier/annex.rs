//! The outline of Annex IV as the draft follows it: the nine sections in the Annex's order,
//! what each asks for (in Assay's words; read the Regulation for its text), and which clauses
//! of the bank's EU AI Act crosswalk bring an assessment question into a section.

use assay_assessment::bank::Area;

/// The crosswalk framework whose clause ids the sections below name.
pub(super) const FRAMEWORK: &str = "eu_ai_act";

pub(super) struct Outline {
    pub number: u8,
    pub title: &'static str,
    pub asks: &'static str,
    /// A question mapped to any of these clauses is listed in the section's findings.
    pub clauses: &'static [&'static str],
}

pub(super) const SECTIONS: [Outline; 9] = [
    Outline {
        number: 1,
        title: "General description of the AI system",
        asks: "What the system is for and who provides it, its versions, how it works with \
               hardware, software and other AI systems around it, the forms in which it is \
               supplied, the hardware it is meant to run on, the interface its deployers use \
               and the instructions they are given.",
        clauses: &["AnnexIV.1", "Art.13"],
    },
    Outline {
        number: 2,
        title: "Elements of the system and how it was developed",
        asks: "How the system was built, step by step: the methods and any pre-trained parts or \
               third-party tools, the design choices and the assumptions behind them, the \
               architecture and computing resources, the data (where it came from, what it \
               covers, how it was labelled and cleaned), the human oversight it needs, changes \
               planned in advance, how it was validated and tested (with the data, the \
               metrics for accuracy, robustness and discriminatory effects, and dated, signed \
               test reports), and its cybersecurity measures.",
        clauses: &[
            "AnnexIV.2",
            "AnnexIV.2(g)",
            "Art.10",
            "Art.10(2)(f)",
            "Art.10(2)(g)",
            "Art.11",
        ],
    },
    Outline {
        number: 3,
        title: "Monitoring, functioning and control",
        asks: "What the system can and cannot do: the accuracy to expect overall and for the \
               specific persons or groups it is used on, the unintended outcomes and sources of \
               risk to health, safety, fundamental rights and of discrimination that can be \
               foreseen, the human oversight measures, and what input data it expects.",
        clauses: &["AnnexIV.3", "Art.12", "Art.14", "Art.15"],
    },
    Outline {
        number: 4,
        title: "Why the performance metrics are appropriate",
        asks: "Why the metrics chosen to measure the system's performance suit this system and \
               its intended purpose.",
        clauses: &["AnnexIV.4"],
    },
    Outline {
        number: 5,
        title: "Risk management system",
        asks: "A description of the risk management system the provider runs for this system \
               (Article 9): how risks are identified, estimated, evaluated and treated, \
               repeatedly, over the system's whole life.",
        clauses: &["AnnexIV.5", "Art.9"],
    },
    Outline {
        number: 6,
        title: "Relevant changes over the lifecycle",
        asks: "The relevant changes the provider made to the system during its life.",
        clauses: &["AnnexIV.6"],
    },
    Outline {
        number: 7,
        title: "Harmonised standards and other specifications applied",
        asks: "The harmonised standards applied, in full or in part, with their references; \
               where none were applied, the other solutions and specifications used to meet \
               the requirements for high-risk systems.",
        clauses: &["AnnexIV.7"],
    },
    Outline {
        number: 8,
        title: "EU declaration of conformity",
        asks: "A copy of the EU declaration of conformity the provider drew up for the system.",
        clauses: &["AnnexIV.8"],
    },
    Outline {
        number: 9,
        title: "Post-market monitoring",
        asks: "How the system's performance is evaluated once it is in use, including the \
               post-market monitoring plan (Article 72).",
        clauses: &["AnnexIV.9", "Art.72", "Art.73"],
    },
];

/// An area of the bank whose questions are about watching the system in use: its id or name
/// speaks of observability or monitoring. Section 9 lists all of its questions, whatever their
/// crosswalk says.
pub(super) fn is_monitoring_area(area: &Area) -> bool {
    let words = format!("{} {}", area.id, area.name).to_lowercase();
    words.contains("observability") || words.contains("monitoring")
}
