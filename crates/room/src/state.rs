//! What a room holds in memory: the join code, the devices that joined, the question on screen
//! and whether its votes are revealed. Votes themselves are written to the database as they
//! are cast; the room only decides who may see them.

use std::collections::{BTreeMap, BTreeSet};

use assay_assessment::{Assessment, Question, VoteSummary, VoteValue};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::secret;

/// A device that joined: a phone or laptop, bound to one participant of the assessment.
#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub id: String,
    pub token: String,
    pub participant_id: String,
    pub name: String,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug)]
pub(crate) struct RoomState {
    pub code: String,
    pub code_expires: DateTime<Utc>,
    /// Index of the question on screen, in bank order.
    pub index: usize,
    pub revealed: bool,
    pub devices: Vec<Device>,
    /// (question, participant) pairs that answered "don't know" (no vote is stored for them).
    pub dont_know: BTreeSet<(String, String)>,
    /// The assessment's participants (id, name), kept as joins add them, so that the
    /// facilitator's screen can poll without reading the assessment.
    pub participants: Vec<(String, String)>,
    /// Each participant's answer to the question at `responses_for` ("2", "N/A", "don't
    /// know"), by participant id: read from the database when the question changes or the
    /// record is older than [`RESPONSES_FRESH_FOR`], kept up to date as devices answer.
    pub responses: BTreeMap<String, String>,
    pub responses_for: Option<usize>,
    pub responses_read: Option<std::time::Instant>,
    /// The revealed votes, once read.
    pub revealed_votes: Option<Revealed>,
}

/// How long the room trusts its own record of the answers before reading it again: votes typed
/// in the app (another connection) show within this time.
pub(crate) const RESPONSES_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(2);

impl RoomState {
    pub fn new(
        now: DateTime<Utc>,
        code_ttl: Duration,
        participants: Vec<(String, String)>,
    ) -> RoomState {
        RoomState {
            code: secret::join_code(),
            code_expires: now + code_ttl,
            index: 0,
            revealed: false,
            devices: Vec::new(),
            dont_know: BTreeSet::new(),
            participants,
            responses: BTreeMap::new(),
            responses_for: None,
            responses_read: None,
            revealed_votes: None,
        }
    }

    /// Whether `code` is the current, unexpired join code (compared in constant time).
    pub fn code_matches(&self, code: &str, now: DateTime<Utc>) -> bool {
        let given = code.trim().to_ascii_uppercase();
        let same: bool = given.as_bytes().ct_eq(self.code.as_bytes()).into();
        same && now < self.code_expires
    }

    /// The device holding `token`, compared in constant time against every device's token.
    pub fn device(&self, token: &str) -> Option<&Device> {
        let mut found = None;
        for device in &self.devices {
            let same: bool = device.token.as_bytes().ct_eq(token.as_bytes()).into();
            if same {
                found = Some(device);
            }
        }
        found
    }
}

/// A question as the room shows it: its text and the five anchors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuestionView {
    pub id: String,
    pub title: String,
    pub text: String,
    /// Level 0 to 4, in order.
    pub anchors: Vec<String>,
    /// 1-based position and the number of questions.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub position: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: usize,
}

impl QuestionView {
    pub(crate) fn of(question: &Question, index: usize, total: usize) -> QuestionView {
        QuestionView {
            id: question.id.clone(),
            title: question.title.clone(),
            text: question.text.clone(),
            anchors: question.anchors.clone(),
            position: index + 1,
            total,
        }
    }
}

/// A vote as the room shows it: "0".."4", "N/A" or "don't know".
pub(crate) fn vote_label(value: VoteValue) -> String {
    match value {
        VoteValue::Level(level) => level.value().to_string(),
        VoteValue::NotApplicable => "N/A".to_owned(),
    }
}

pub(crate) const DONT_KNOW: &str = "don't know";

/// The votes on the question on screen once revealed, for every device and the facilitator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Revealed {
    /// Participant name and vote, in the assessment's participant order.
    pub votes: Vec<(String, String)>,
    pub lowest: Option<u8>,
    pub highest: Option<u8>,
    pub dissent: bool,
    /// The median the workshop suggests as consensus.
    pub suggested: Option<u8>,
}

impl Revealed {
    pub(crate) fn of(
        assessment: &Assessment,
        question: &str,
        summary: &VoteSummary,
        dont_know: &BTreeSet<(String, String)>,
    ) -> Revealed {
        let votes = assessment
            .participants
            .iter()
            .filter_map(|p| {
                let vote = assessment
                    .votes_on(question)
                    .find(|v| v.participant_id == p.id)
                    .map(|v| vote_label(v.value))
                    .or_else(|| {
                        dont_know
                            .contains(&(question.to_owned(), p.id.clone()))
                            .then(|| DONT_KNOW.to_owned())
                    })?;
                Some((p.name.clone(), vote))
            })
            .collect();
        Revealed {
            votes,
            lowest: summary.lowest.map(|l| l.value()),
            highest: summary.highest.map(|l| l.value()),
            dissent: summary.dissent,
            suggested: summary.suggested.map(|l| l.value()),
        }
    }
}

/// One device as the facilitator sees it: who, and whether it has voted on the question on
/// screen (never the level before the reveal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub participant: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub joined_at: DateTime<Utc>,
    pub has_voted: bool,
}

/// The room as the facilitator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoomStatus {
    pub assessment_id: String,
    pub scope: String,
    pub title: String,
    /// The link participants open (the join code is typed on the page).
    pub join_url: String,
    /// SHA-256 of the room's certificate (`AB:CD:…`) when participants connect over HTTPS.
    pub tls_fingerprint: Option<String>,
    pub code: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub code_expires_at: DateTime<Utc>,
    pub question: Option<QuestionView>,
    pub devices: Vec<DeviceView>,
    /// The assessment's participants by name, in order: who a device can be merged into.
    pub participants: Vec<String>,
    /// Participants of the assessment who have voted on the question on screen, by name.
    pub voted: Vec<String>,
    pub revealed: Option<Revealed>,
}
