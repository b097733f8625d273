//! The subcommands of `assay bundle`, `item`, `questionnaire`, `signoff`, `workshop` and
//! `oscal`: their arguments and what `--help` says of each.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write one assessment (answers, votes, notes, items, sign-offs, history) to a bundle file
    Export {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// Import a bundle; an assessment already here is merged with it (every vote kept,
    /// conflicts listed)
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Merge two bundles of one assessment into a new bundle file (OURS wins conflicts, which
    /// are listed)
    Merge {
        ours: PathBuf,
        theirs: PathBuf,
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Add an item to a scope's register and print its id
    New {
        /// The team or system the item belongs to (or give --assessment)
        #[arg(long, required_unless_present = "assessment")]
        scope: Option<String>,
        /// The assessment the item is raised in; its scope is used
        #[arg(long, short)]
        assessment: Option<String>,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        owner: Option<String>,
        /// Due date, YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
        /// low, medium (default), high or critical
        #[arg(long)]
        priority: Option<String>,
        /// A question the item addresses (repeatable); its area and clauses are linked too
        #[arg(long = "question", short)]
        questions: Vec<String>,
    },
    /// Raise an item from a question's gap against its target, pre-filled, and print its id
    FromGap {
        #[arg(long, short)]
        assessment: String,
        #[arg(long, short)]
        question: String,
    },
    /// List items, by scope and due date
    List {
        #[arg(long)]
        scope: Option<String>,
        /// Only items past their due date that are still open or in progress
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one item
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Change an item: status, owner, due date, priority, text, evidence
    Update {
        id: String,
        /// open, in_progress, done or risk_accepted (the last needs --accepted-by and --reason)
        #[arg(long)]
        status: Option<String>,
        /// Who accepts the risk (with --status risk_accepted)
        #[arg(long)]
        accepted_by: Option<String>,
        /// Why the risk is accepted (with --status risk_accepted)
        #[arg(long)]
        reason: Option<String>,
        /// New owner ("" removes it)
        #[arg(long)]
        owner: Option<String>,
        /// New due date, YYYY-MM-DD ("" removes it)
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        priority: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Evidence that the item is done: a URL (repeatable)
        #[arg(long = "evidence-url", value_name = "URL")]
        evidence_url: Vec<String>,
        /// Evidence that the item is done: a file (repeatable)
        #[arg(long = "evidence-file", value_name = "PATH")]
        evidence_file: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuestionnaireCommand {
    /// Write one row per question with its anchors, and Level, N/A justification and Note
    /// columns to fill in (the current answers filled in, or with --for one participant's votes)
    Export {
        #[arg(long, short)]
        assessment: String,
        /// The .xlsx file to write
        #[arg(long, short)]
        output: PathBuf,
        /// A participant (name or id): fill in their votes, for them to complete; the file
        /// comes back as their votes only
        #[arg(long = "for", value_name = "NAME")]
        participant: Option<String>,
    },
    /// Read a filled questionnaire: the rows become consensus answers, or one participant's
    /// votes (a file exported --for them, or a blank one with --as); any cell that cannot be
    /// read is listed and nothing is imported
    Import {
        #[arg(long, short)]
        assessment: String,
        file: PathBuf,
        /// A participant (name or id) whose votes the rows are
        #[arg(long = "as", value_name = "NAME")]
        participant: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SignoffCommand {
    /// Record a decision on the report as the data stands now
    Add {
        #[arg(long, short)]
        assessment: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        /// approve, approve_with_conditions or reject (the last two need --comment)
        #[arg(long)]
        decision: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// List sign-offs; STALE marks those given before the data last changed
    List {
        #[arg(long, short)]
        assessment: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkshopCommand {
    /// Open a room and keep it open until `q`: prints the participants' link and join code and
    /// the facilitator's page (loopback only, with its own token)
    Serve {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// Address participants connect to (default: this machine's LAN address, a free port)
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<std::net::SocketAddr>,
        /// Serve participants over HTTPS with a certificate made for this room (browsers warn:
        /// participants compare the fingerprint printed here with the one they are shown)
        #[arg(long)]
        tls: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OscalCommand {
    /// An assessment as OSCAL assessment results: a finding per question, observations from
    /// answers and tracker evidence, a risk per register item
    Results {
        /// Assessment id (a unique prefix of at least 4 characters will do)
        #[arg(long, short)]
        assessment: String,
        /// File to write (replaced only once complete; default: standard output)
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A question bank as an OSCAL catalog: a group per area, a control per question
    Catalog {
        /// ID@VERSION, or ID for its newest version (default: the default bank)
        #[arg(long, value_name = "ID@VERSION")]
        bank: Option<String>,
        /// File to write (replaced only once complete; default: standard output)
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}
