//! The room's shared state and every operation on it, for both faces and for the in-process
//! handle. Lock order: the room state first, then the database handle.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use assay_api::{ApiError, Assay, Clock, NewParticipant};
use assay_assessment::{Level, Question, VoteValue};
use axum::http::StatusCode;
use chrono::Duration;
use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::api::Refusal;
use crate::guard::JoinLimiter;
use crate::secret;
use crate::state::{
    DONT_KNOW, Device, DeviceView, QuestionView, RESPONSES_FRESH_FOR, Revealed, RoomState,
    RoomStatus, vote_label,
};

/// The role given to someone who joins under a name the assessment does not have yet.
pub const JOINED_ROLE: &str = "Participant (joined the live room)";
/// Longest participant name accepted from a device.
pub const MAX_NAME_CHARS: usize = 80;

#[derive(Debug)]
pub(crate) struct Shared {
    pub assay: Mutex<Assay>,
    pub assessment_id: String,
    pub scope: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub clock: Arc<dyn Clock>,
    pub state: Mutex<RoomState>,
    pub limiter: Mutex<JoinLimiter>,
    pub code_ttl: Duration,
    /// "address:port" of each face, for the Host check.
    pub participant_host: String,
    pub facilitator_host: String,
    pub facilitator_token: String,
    pub join_url: String,
    pub tls_fingerprint: Option<String>,
}

pub(crate) fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked left consistent data behind (every change is one assignment or
    // one committed transaction), so the room goes on.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A participant's name as typed on a device or by the facilitator, trimmed and checked.
pub(crate) fn checked_name(name: &str) -> Result<&str, Refusal> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "invalid_name",
            format!("give a name: 1 to {MAX_NAME_CHARS} characters, no control characters"),
        ));
    }
    Ok(name)
}

pub(crate) fn internal(e: &ApiError) -> Refusal {
    let status = if e.is_user_error() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    Refusal::new(status, e.code().as_str(), e.to_string())
}

/// The votes on the question on screen, once the facilitator revealed them.
fn revealed(
    state: &RoomState,
    question: Option<&Question>,
    assessment: &assay_assessment::Assessment,
) -> Option<Revealed> {
    let q = question.filter(|_| state.revealed)?;
    Some(Revealed::of(
        assessment,
        &q.id,
        &assessment.vote_summary(&q.id),
        &state.dont_know,
    ))
}

/// What a device gets back when it joins.
#[derive(Debug, Clone, Serialize)]
pub struct Joined {
    pub token: String,
    pub device: String,
    pub participant: String,
    pub scope: String,
    pub title: String,
}

/// What a participant's page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    pub participant: String,
    pub scope: String,
    pub title: String,
    pub question: Option<QuestionView>,
    /// This participant's own vote on the question on screen.
    pub my_vote: Option<String>,
    /// Everyone's votes, once the facilitator revealed them.
    pub revealed: Option<Revealed>,
}

impl Shared {
    pub fn is_facilitator(&self, token: &str) -> bool {
        !token.is_empty()
            && token
                .as_bytes()
                .ct_eq(self.facilitator_token.as_bytes())
                .into()
    }

    pub(crate) fn question(&self, state: &RoomState) -> Option<&Question> {
        self.questions.get(state.index)
    }

    pub fn join(&self, code: &str, name: &str, client: IpAddr) -> Result<Joined, Refusal> {
        let mut state = self.admit(code, client)?;
        let now = self.clock.now();
        let name = checked_name(name)?;
        let mut assay = locked(&self.assay);
        let assessment = assay
            .assessment(&self.assessment_id)
            .map_err(|e| internal(&e))?;
        let participant = match assessment
            .participants
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            Some(known) => known.clone(),
            None => {
                assay.set_actor(name).map_err(|e| internal(&e))?;
                assay
                    .add_participant(
                        &self.assessment_id,
                        NewParticipant {
                            name: name.to_owned(),
                            role: JOINED_ROLE.to_owned(),
                        },
                    )
                    .map_err(|e| internal(&e))?
            }
        };
        if !state
            .participants
            .iter()
            .any(|(id, _)| *id == participant.id)
        {
            state
                .participants
                .push((participant.id.clone(), participant.name.clone()));
        }
        let device = Device {
            id: secret::device_id(),
            token: secret::token(),
            participant_id: participant.id.clone(),
            name: participant.name.clone(),
            joined_at: now,
        };
        let joined = Joined {
            token: device.token.clone(),
            device: device.id.clone(),
            participant: participant.name,
            scope: self.scope.clone(),
            title: self.title.clone(),
        };
        state.devices.push(device);
        Ok(joined)
    }

    /// The assessment's participants by name, for the join page to offer, once the code is
    /// right (a wrong code counts against the join limit like a join).
    pub fn participant_names(&self, code: &str, client: IpAddr) -> Result<Vec<String>, Refusal> {
        let state = self.admit(code, client)?;
        Ok(state
            .participants
            .iter()
            .map(|(_, name)| name.clone())
            .collect())
    }

    /// Counts an attempt from `client` against the join limit, then checks the code; the room
    /// state, locked, when both pass.
    fn admit(&self, code: &str, client: IpAddr) -> Result<MutexGuard<'_, RoomState>, Refusal> {
        let now = self.clock.now();
        if !locked(&self.limiter).allow(client, now) {
            return Err(Refusal::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "too many attempts to join from this device; wait a minute".to_owned(),
            ));
        }
        let state = locked(&self.state);
        if !state.code_matches(code, now) {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "wrong_code",
                "the join code is wrong or has expired; ask the facilitator for the one on screen"
                    .to_owned(),
            ));
        }
        Ok(state)
    }

    fn device(state: &RoomState, token: &str) -> Result<Device, Refusal> {
        state.device(token).cloned().ok_or_else(|| {
            Refusal::new(
                StatusCode::UNAUTHORIZED,
                "not_joined",
                "this device is not in the room (the room was closed, or the facilitator removed \
                 it); join again with the code on screen"
                    .to_owned(),
            )
        })
    }

    /// Brings the record of the answers to the question on screen up to date when the
    /// question changed or the record is a few seconds old, and reads the votes once revealed.
    /// A poll otherwise reads nothing from the database.
    fn refresh(&self, state: &mut RoomState) -> Result<(), Refusal> {
        let fresh = state.responses_for == Some(state.index)
            && state
                .responses_read
                .is_some_and(|at| at.elapsed() <= RESPONSES_FRESH_FOR);
        if fresh && (!state.revealed || state.revealed_votes.is_some()) {
            return Ok(());
        }
        let assay = locked(&self.assay);
        let assessment = assay
            .assessment(&self.assessment_id)
            .map_err(|e| internal(&e))?;
        let question = self.question(state);
        let mut responses = BTreeMap::new();
        if let Some(q) = question {
            for vote in assessment.votes_on(&q.id) {
                responses.insert(vote.participant_id.clone(), vote_label(vote.value));
            }
            for (qid, participant) in &state.dont_know {
                if *qid == q.id {
                    responses.insert(participant.clone(), DONT_KNOW.to_owned());
                }
            }
        }
        state.revealed_votes = revealed(state, question, &assessment);
        state.responses = responses;
        state.responses_for = Some(state.index);
        state.responses_read = Some(std::time::Instant::now());
        Ok(())
    }

    fn view_for(&self, state: &mut RoomState, device: &Device) -> Result<ParticipantView, Refusal> {
        self.refresh(state)?;
        Ok(ParticipantView {
            participant: device.name.clone(),
            scope: self.scope.clone(),
            title: self.title.clone(),
            question: self
                .question(state)
                .map(|q| QuestionView::of(q, state.index, self.questions.len())),
            my_vote: state.responses.get(&device.participant_id).cloned(),
            revealed: state.revealed_votes.clone(),
        })
    }

    pub fn participant_view(&self, token: &str) -> Result<ParticipantView, Refusal> {
        let mut state = locked(&self.state);
        let device = Shared::device(&state, token)?;
        self.view_for(&mut state, &device)
    }

    /// Records a device's vote on the question on screen: a committed write before the answer.
    pub fn vote(&self, token: &str, value: &str) -> Result<ParticipantView, Refusal> {
        let mut state = locked(&self.state);
        let device = Shared::device(&state, token)?;
        let question = self.question(&state).map(|q| q.id.clone()).ok_or_else(|| {
            Refusal::new(
                StatusCode::CONFLICT,
                "no_question",
                "the facilitator has not put a question on screen yet".to_owned(),
            )
        })?;
        if state.revealed {
            return Err(Refusal::new(
                StatusCode::CONFLICT,
                "revealed",
                "the votes on this question are revealed; wait for the next one".to_owned(),
            ));
        }
        let vote = match value.trim().to_ascii_lowercase().as_str() {
            "na" | "n/a" => Some(VoteValue::NotApplicable),
            "dont_know" => None,
            level => {
                let level = level
                    .parse::<u8>()
                    .ok()
                    .and_then(|l| Level::new(l).ok())
                    .ok_or_else(|| {
                        Refusal::new(
                            StatusCode::BAD_REQUEST,
                            "invalid_vote",
                            "a vote is a level 0 to 4, na or dont_know".to_owned(),
                        )
                    })?;
                Some(VoteValue::Level(level))
            }
        };
        let key = (question.clone(), device.participant_id.clone());
        {
            let mut assay = locked(&self.assay);
            let actor = format!("{} (room device {})", device.name, device.id);
            assay.set_actor(&actor).map_err(|e| internal(&e))?;
            match vote {
                Some(value) => {
                    assay
                        .cast_vote(
                            &self.assessment_id,
                            &question,
                            &device.participant_id,
                            value,
                        )
                        .map_err(|e| internal(&e))?;
                }
                None => {
                    assay
                        .withdraw_vote(&self.assessment_id, &question, &device.participant_id)
                        .map_err(|e| internal(&e))?;
                }
            }
        }
        if vote.is_some() {
            state.dont_know.remove(&key);
        } else {
            state.dont_know.insert(key);
        }
        let label = vote.map_or_else(|| DONT_KNOW.to_owned(), vote_label);
        if state.responses_for == Some(state.index) {
            state
                .responses
                .insert(device.participant_id.clone(), label.clone());
        }
        // Nothing is revealed while votes are open, so the device's view is its own vote on the
        // question on screen: no need to read the assessment again.
        Ok(ParticipantView {
            participant: device.name.clone(),
            scope: self.scope.clone(),
            title: self.title.clone(),
            question: self
                .question(&state)
                .map(|q| QuestionView::of(q, state.index, self.questions.len())),
            my_vote: Some(label),
            revealed: None,
        })
    }

    pub fn status(&self) -> Result<RoomStatus, Refusal> {
        let mut state = locked(&self.state);
        self.refresh(&mut state)?;
        let question = self.question(&state);
        let responded = &state.responses;
        Ok(RoomStatus {
            assessment_id: self.assessment_id.clone(),
            scope: self.scope.clone(),
            title: self.title.clone(),
            join_url: self.join_url.clone(),
            tls_fingerprint: self.tls_fingerprint.clone(),
            code: state.code.clone(),
            code_expires_at: state.code_expires,
            question: question.map(|q| QuestionView::of(q, state.index, self.questions.len())),
            devices: state
                .devices
                .iter()
                .map(|d| DeviceView {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    participant: d.participant_id.clone(),
                    joined_at: d.joined_at,
                    has_voted: responded.contains_key(&d.participant_id),
                })
                .collect(),
            participants: state
                .participants
                .iter()
                .map(|(_, name)| name.clone())
                .collect(),
            voted: state
                .participants
                .iter()
                .filter(|(id, _)| responded.contains_key(id))
                .map(|(_, name)| name.clone())
                .collect(),
            revealed: state.revealed_votes.clone(),
        })
    }
}
