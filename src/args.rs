//! Command-line arguments. Values are taken as text and checked by the domain's own parsers,
//! so that a bad value gets the same one-line message everywhere.

use std::path::PathBuf;

use assay_api::ApiError;
use assay_assessment::Level;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

mod subcommands;

pub use subcommands::{
    BundleCommand, ItemCommand, OscalCommand, QuestionnaireCommand, SignoffCommand, WorkshopCommand,
};

#[derive(Debug, Parser)]
#[command(
    name = "assay",
    version,
    about = "MLOps maturity assessments, scored by a documented rule and kept in a local database",
    after_help = "Exit status: 0 success, 1 failure (storage, environment), 2 invalid input, \
                  3 unknown assessment, question, area or participant, 4 the --db file is not \
                  an Assay database or was written by a newer Assay, 5 a verified report does \
                  not match its data.\n\
                  The default database is the one the desktop app uses: \
                  <data dir>/app.assay.desktop/assay.db (on Linux under ~/.local/share)."
)]
pub struct Cli {
    /// Database file to use instead of the default one (created when absent)
    #[arg(long, global = true, env = "ASSAY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Who makes the changes, for the audit trail (default: the OS user name)
    #[arg(long, global = true, env = "ASSAY_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    pub fn json_output(&self) -> bool {
        match &self.command {
            Command::Bank {
                command: None,
                json,
            }
            | Command::Bank {
                command: Some(BankCommand::Show { json, .. } | BankCommand::List { json }),
                ..
            } => *json,
            Command::Score { json, .. }
            | Command::History { json, .. }
            | Command::Roadmap { json, .. }
            | Command::Soa { json, .. }
            | Command::Stale { json, .. }
            | Command::Signoff {
                command: SignoffCommand::List { json, .. },
            }
            | Command::Diff { json, .. }
            | Command::Assessment {
                command: AssessmentCommand::List { json },
            }
            | Command::Assessment {
                command:
                    AssessmentCommand::Show { json, .. } | AssessmentCommand::Files { json, .. },
            }
            | Command::Item {
                command: ItemCommand::List { json, .. } | ItemCommand::Show { json, .. },
            }
            | Command::Evidence { json, .. }
            | Command::Bundle {
                command: BundleCommand::Import { json, .. } | BundleCommand::Merge { json, .. },
            }
            | Command::Questionnaire {
                command: QuestionnaireCommand::Import { json, .. },
            } => *json,
            _ => false,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Every bank this database holds or this build ships, with its hash and use
    List {
        #[arg(long)]
        json: bool,
    },
    /// One bank's pillars, areas and questions (default: the default bank)
    Show {
        /// ID@VERSION, or ID for its newest version
        #[arg(value_name = "ID@VERSION")]
        bank: Option<String>,
        /// Print the whole bank as JSON
        #[arg(long)]
        json: bool,
    },
    /// Check a bank file (.json, .xlsx, or a bank.toml authoring folder) and store it
    Import { file: PathBuf },
    /// Write a bank: FILE.json as a bank file, FILE.xlsx as a workbook (a template to author a
    /// bank in), or a folder (no extension) of TOML to author in
    Export {
        #[arg(value_name = "ID@VERSION")]
        bank: String,
        /// Where to write it
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Question banks: show one, list, import and export them (alone: show the default bank)
    Bank {
        #[command(subcommand)]
        command: Option<BankCommand>,
        /// Print the whole bank (anchors, evidence, crosswalks, catalogues) as JSON
        #[arg(long)]
        json: bool,
    },
    /// Create a realistic demo assessment and print its id
    Demo,
    /// An assessment's questionnaire as an Excel workbook: export it, fill it in, import it
    Questionnaire {
        #[command(subcommand)]
        command: QuestionnaireCommand,
    },
    /// Create, list and inspect assessments
    Assessment {
        #[command(subcommand)]
        command: AssessmentCommand,
    },
    /// Record a participant's vote, or the consensus answer, note and evidence of a question
    Answer(AnswerArgs),
    /// The governance register: items with owners, due dates, priority and status
    Item {
        #[command(subcommand)]
        command: ItemCommand,
    },
    /// Import lineage and fairness evidence from an experiment tracker
    Import {
        #[command(subcommand)]
        command: crate::evidence::ImportCommand,
    },
    /// Tracker evidence: datasets, runs, model versions, lineage, bias metrics, indicators
    Evidence {
        /// Only projects linked to this assessment scope
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Map a metric name the importer did not recognise to a canonical fairness metric
    FairnessRule(crate::evidence::RuleArgs),
    /// Tracker tokens in the OS keyring
    Token {
        #[command(subcommand)]
        command: crate::evidence::TokenCommand,
    },
    /// Move an assessment between machines as one JSON file, and merge two copies of it
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// Named, dated approvals of an assessment's report, bound to its data
    Signoff {
        #[command(subcommand)]
        command: SignoffCommand,
    },
    /// A live workshop room: participants vote from their own browsers on the local network
    Workshop {
        #[command(subcommand)]
        command: WorkshopCommand,
    },
    /// A registered model version's model card from the tracker evidence linked to a scope:
    /// a CycloneDX 1.6 ML-BOM (JSON) or a self-contained HTML page
    ModelCard {
        /// The assessment scope the tracker project was imported for
        #[arg(long)]
        scope: String,
        /// The registered model's name
        #[arg(long)]
        model: String,
        /// The model version (a leading v is optional)
        #[arg(long = "version", value_name = "VERSION")]
        model_version: String,
        /// json (CycloneDX) or html
        #[arg(long, short, value_name = "FORMAT", default_value = "json")]
        format: String,
        /// File to write (replaced only once complete; default: standard output)
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// NIST OSCAL JSON: an assessment as assessment results, a question bank as a catalog
    Oscal {
        #[command(subcommand)]
        command: OscalCommand,
    },
    /// Export an assessment's audit report as self-contained HTML or as PDF
    Report {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// html or pdf
        #[arg(long, short, value_name = "FORMAT")]
        format: String,
        /// File to write (replaced only once the report is complete)
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// The roadmap to the next headline level: what blocks it, then every other gap, with
    /// effort estimates; --effort records an estimate, --raise turns the roadmap into register
    /// items (none for questions an open item already tracks)
    Roadmap {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// QUESTION=small|medium|large, or QUESTION=guess to go back to the guess from the
        /// levels to climb (repeatable)
        #[arg(long, value_name = "QUESTION=EFFORT")]
        effort: Vec<String>,
        /// Raise a register item for every step no open item tracks
        #[arg(long)]
        raise: bool,
        #[arg(long)]
        json: bool,
    },
    /// The ISO/IEC 42001 Statement of Applicability: show it, record a decision for a control
    /// (--control with --include, --exclude or --proposal), or export it (--out)
    Soa {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// html, pdf or xlsx (default: from the --out file's extension)
        #[arg(long, short, value_name = "FORMAT")]
        format: Option<String>,
        /// File to write (replaced only once complete)
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// An Annex A control id, e.g. A.6.2.4, to record a decision for
        #[arg(long)]
        control: Option<String>,
        #[arg(long, conflicts_with_all = ["exclude", "proposal"])]
        include: bool,
        /// Exclude the control (needs --justification)
        #[arg(long, conflicts_with = "proposal")]
        exclude: bool,
        /// Forget the decision: back to Assay's proposal
        #[arg(long)]
        proposal: bool,
        #[arg(long)]
        justification: Option<String>,
        /// risk, legal, contractual or good_practice (repeatable)
        #[arg(long = "driver")]
        drivers: Vec<String>,
        #[arg(long)]
        owner: Option<String>,
        /// Record management's approval of the statement as it stands, by this person (with
        /// --role, --decision and, for a condition or a rejection, --comment)
        #[arg(long, value_name = "NAME", requires_all = ["role", "decision"])]
        approve: Option<String>,
        #[arg(long)]
        role: Option<String>,
        /// approve, approve_with_conditions or reject
        #[arg(long)]
        decision: Option<String>,
        #[arg(long)]
        comment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The assessment as an Excel workbook: findings, register, crosswalk, roadmap and the
    /// scope's full tracker evidence (datasets, runs, model versions, lineage, fairness), a
    /// sheet each
    Spreadsheet {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// File to write (replaced only once complete)
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// Evidence that is no longer current: older than the re-attestation period (the question's
    /// own, else the assessment's), or resting on a model version superseded in production
    Stale {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// Set the assessment's re-attestation period first, in days
        #[arg(long, value_name = "DAYS", conflicts_with = "no_reattest")]
        reattest_days: Option<u32>,
        /// Clear the assessment's re-attestation period first
        #[arg(long)]
        no_reattest: bool,
        #[arg(long)]
        json: bool,
    },
    /// A draft of the EU AI Act Annex IV technical documentation, pre-filled from what Assay
    /// holds about the assessment's scope; what only the provider knows is marked for them
    Dossier {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// html or pdf (default: from the --out file's extension)
        #[arg(long, short, value_name = "FORMAT")]
        format: Option<String>,
        /// File to write (replaced only once complete)
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// A scope's assessments over time: headline level and score per area
    History {
        #[arg(long)]
        scope: String,
        #[arg(long)]
        json: bool,
    },
    /// What changed between two assessments: answers, area scores, dissent, register items
    Diff {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Check a report or bundle file against its data (with --db, also whether that database's
    /// audit trail still holds the event the file was made at and whether the data has moved
    /// on), or (without FILE) the database's audit trail against its data and its sign-offs
    Verify {
        /// An HTML or PDF report, or a bundle, exported by Assay
        file: Option<PathBuf>,
    },
    /// Score an assessment: per area, per pillar and the headline MLOps level
    Score {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AssessmentCommand {
    /// Start a new assessment and print its id
    New {
        /// The team or system assessed (default with --from: the earlier assessment's)
        #[arg(long, required_unless_present = "from")]
        scope: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// Start from an earlier assessment's answers and targets (votes are not copied)
        #[arg(long, value_name = "ID")]
        from: Option<String>,
        /// The question bank to use, ID@VERSION or ID for its newest version (default: the
        /// earlier assessment's with --from, else the default bank; `assay bank list` shows them)
        #[arg(long, value_name = "ID@VERSION")]
        bank: Option<String>,
        /// Date of the assessment, YYYY-MM-DD (default: today)
        #[arg(long)]
        date: Option<String>,
        /// A participant as "Name:Role" (repeat for each)
        #[arg(long = "participant", value_name = "NAME:ROLE")]
        participants: Vec<String>,
        /// Default target level for every question, 0-4
        #[arg(long)]
        target: Option<String>,
        /// Target for one area, AREA=LEVEL (repeatable)
        #[arg(long = "area-target", value_name = "AREA=LEVEL")]
        area_targets: Vec<String>,
        /// Target for one question, QUESTION=LEVEL (repeatable)
        #[arg(long = "question-target", value_name = "QUESTION=LEVEL")]
        question_targets: Vec<String>,
    },
    /// List assessments grouped by scope
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one assessment: participants, targets, every answer and vote
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a participant and print their id
    Participant {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
    },
    /// Set or clear a target level
    Target(TargetArgs),
    /// Finalise: keep the report as it is now and freeze answers, votes, participants and
    /// targets, so sign-offs approve a version that later work cannot change
    Finalise { id: String },
    /// Reopen a finalised assessment; the reason goes into the audit trail, and approvals of
    /// the final version show as superseded once anything changes
    Reopen {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Check the files linked as evidence (to answers and to the scope's register items)
    /// against the SHA-256 recorded when each was linked
    Files {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct TargetArgs {
    pub id: String,
    /// The default target for every question, 0-4
    #[arg(long, conflicts_with_all = ["area", "question"])]
    pub default: Option<String>,
    /// AREA=LEVEL (AREA alone with --clear)
    #[arg(long, conflicts_with = "question")]
    pub area: Option<String>,
    /// QUESTION=LEVEL (QUESTION alone with --clear)
    #[arg(long)]
    pub question: Option<String>,
    /// Remove the target instead of setting it
    #[arg(long)]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct AnswerArgs {
    /// Assessment id (a unique prefix of at least 4 characters will do)
    #[arg(long, short)]
    pub assessment: String,
    /// Question id, e.g. GOV-2
    #[arg(long, short)]
    pub question: String,
    /// Record this participant's vote (name or id) instead of the consensus
    #[arg(long, short)]
    pub participant: Option<String>,
    /// Level 0-4
    #[arg(long, short)]
    pub level: Option<String>,
    /// Not applicable (the consensus needs --justification)
    #[arg(long = "na")]
    pub not_applicable: bool,
    /// Why the question does not apply
    #[arg(long)]
    pub justification: Option<String>,
    /// Take the median of the votes (the lower one on a tie) as the consensus
    #[arg(long, conflicts_with_all = ["level", "not_applicable", "participant"])]
    pub accept_votes: bool,
    /// Withdraw the consensus: the question becomes unanswered
    #[arg(long, conflicts_with_all = ["level", "not_applicable", "participant"])]
    pub clear: bool,
    /// Keep a carried-over answer as it is and mark it reviewed (any other change does too)
    #[arg(long, conflicts_with = "participant")]
    pub confirm: bool,
    /// Note on the answer ("" removes it)
    #[arg(long, conflicts_with = "participant")]
    pub note: Option<String>,
    /// low, medium or high
    #[arg(long, conflicts_with = "participant")]
    pub confidence: Option<String>,
    /// Link a URL as evidence (repeatable)
    #[arg(
        long = "evidence-url",
        value_name = "URL",
        conflicts_with = "participant"
    )]
    pub evidence_url: Vec<String>,
    /// Link a file as evidence (repeatable)
    #[arg(
        long = "evidence-file",
        value_name = "PATH",
        conflicts_with = "participant"
    )]
    pub evidence_file: Vec<String>,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::Invalid(format!("`{text}` is not a date: use YYYY-MM-DD")))
}

/// "Name:Role"; the role may itself contain colons.
pub fn parse_participant(text: &str) -> Result<(String, String), ApiError> {
    match text.split_once(':') {
        Some((name, role)) if !name.trim().is_empty() && !role.trim().is_empty() => {
            Ok((name.trim().to_owned(), role.trim().to_owned()))
        }
        _ => Err(ApiError::Invalid(format!(
            "participant `{text}` should be NAME:ROLE"
        ))),
    }
}

/// "KEY=LEVEL".
pub fn parse_assignment(text: &str, what: &str) -> Result<(String, Level), ApiError> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| ApiError::Invalid(format!("{what} `{text}` should be KEY=LEVEL")))?;
    Ok((key.trim().to_owned(), Level::parse(value)?))
}
