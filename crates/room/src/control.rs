//! The facilitator's controls: which question is on screen and whether it is revealed (kept in
//! the database, so a room reopened after a close or a crash resumes there), the join code, and
//! the devices: removed, renamed, or merged when one person joined twice.

use assay_api::store::RoomPosition;
use axum::http::StatusCode;

use crate::api::Refusal;
use crate::room::{Shared, checked_name, internal, locked};
use crate::secret;
use crate::state::RoomState;

impl Shared {
    pub fn goto(&self, question: &str) -> Result<(), Refusal> {
        let index = self
            .questions
            .iter()
            .position(|q| q.id.eq_ignore_ascii_case(question.trim()))
            .ok_or_else(|| {
                Refusal::new(
                    StatusCode::NOT_FOUND,
                    "unknown_question",
                    format!(
                        "the assessment's bank has no question `{}`",
                        question.trim()
                    ),
                )
            })?;
        let mut state = locked(&self.state);
        self.show(&mut state, index)
    }

    /// Moves by `delta` questions, staying within the bank.
    pub fn step(&self, delta: isize) -> Result<(), Refusal> {
        let mut state = locked(&self.state);
        let last = self.questions.len().saturating_sub(1);
        let index = state.index.saturating_add_signed(delta).min(last);
        if index == state.index {
            return Ok(());
        }
        self.show(&mut state, index)
    }

    /// Puts question `index` on screen, its votes hidden.
    fn show(&self, state: &mut RoomState, index: usize) -> Result<(), Refusal> {
        state.index = index;
        state.revealed = false;
        state.revealed_votes = None;
        self.remember(state)
    }

    pub fn reveal(&self) -> Result<(), Refusal> {
        let mut state = locked(&self.state);
        state.revealed = true;
        // Read the votes afresh: some may have been typed in the app.
        state.responses_read = None;
        self.remember(&state)
    }

    /// Writes where the room stands, so that reopening it resumes there.
    fn remember(&self, state: &RoomState) -> Result<(), Refusal> {
        let Some(question) = self.question(state) else {
            return Ok(());
        };
        let position = RoomPosition {
            question_id: question.id.clone(),
            revealed: state.revealed,
        };
        locked(&self.assay)
            .set_room_position(&self.assessment_id, &position)
            .map_err(|e| internal(&e))
    }

    /// A new join code, valid for the room's code lifetime from now; devices already in stay.
    pub fn rotate_code(&self) -> Result<String, Refusal> {
        let mut state = locked(&self.state);
        state.code = secret::join_code();
        state.code_expires = self.clock.now() + self.code_ttl;
        Ok(state.code.clone())
    }

    pub fn kick(&self, device: &str) -> Result<(), Refusal> {
        let mut state = locked(&self.state);
        let before = state.devices.len();
        state.devices.retain(|d| d.id != device.trim());
        if state.devices.len() == before {
            return Err(unknown_device(device));
        }
        Ok(())
    }

    /// Renames the participant a device votes as (for the assessment and its report too, and
    /// on every device of that participant).
    pub fn rename(&self, device: &str, name: &str) -> Result<(), Refusal> {
        let name = checked_name(name)?;
        let mut state = locked(&self.state);
        let participant = participant_of_device(&state, device)?;
        let renamed = locked(&self.assay)
            .rename_participant(&self.assessment_id, &participant, name)
            .map_err(|e| internal(&e))?;
        for d in state
            .devices
            .iter_mut()
            .filter(|d| d.participant_id == participant)
        {
            d.name.clone_from(&renamed.name);
        }
        for (id, known) in &mut state.participants {
            if *id == participant {
                known.clone_from(&renamed.name);
            }
        }
        state.responses_read = None;
        Ok(())
    }

    /// Makes a device vote as another participant (by id or name), as when one person joined
    /// twice or under a misspelt name: the participant it voted as is merged into that one
    /// (its votes move where the other has none) and leaves the assessment.
    pub fn merge(&self, device: &str, into: &str) -> Result<(), Refusal> {
        let mut state = locked(&self.state);
        let from = participant_of_device(&state, device)?;
        let (into_id, into_name) = state
            .participants
            .iter()
            .find(|(id, name)| *id == into.trim() || name.eq_ignore_ascii_case(into.trim()))
            .cloned()
            .ok_or_else(|| {
                Refusal::new(
                    StatusCode::NOT_FOUND,
                    "unknown_participant",
                    format!("the room has no participant `{}`", into.trim()),
                )
            })?;
        if into_id == from {
            return Err(Refusal::new(
                StatusCode::CONFLICT,
                "same_participant",
                "that device already votes as this participant".to_owned(),
            ));
        }
        locked(&self.assay)
            .merge_participants(&self.assessment_id, &from, &into_id)
            .map_err(|e| internal(&e))?;
        for d in state
            .devices
            .iter_mut()
            .filter(|d| d.participant_id == from)
        {
            d.participant_id.clone_from(&into_id);
            d.name.clone_from(&into_name);
        }
        state.participants.retain(|(id, _)| *id != from);
        // A "don't know" of the merged participant counts for the one kept where that one has
        // not answered.
        let moved: Vec<String> = state
            .dont_know
            .iter()
            .filter(|(_, p)| *p == from)
            .map(|(q, _)| q.clone())
            .collect();
        state.dont_know.retain(|(_, p)| *p != from);
        for question in moved {
            state.dont_know.insert((question, into_id.clone()));
        }
        state.responses_read = None;
        state.revealed_votes = None;
        Ok(())
    }
}

fn unknown_device(device: &str) -> Refusal {
    Refusal::new(
        StatusCode::NOT_FOUND,
        "unknown_device",
        format!("no device `{}` is in the room", device.trim()),
    )
}

fn participant_of_device(state: &RoomState, device: &str) -> Result<String, Refusal> {
    state
        .devices
        .iter()
        .find(|d| d.id == device.trim())
        .map(|d| d.participant_id.clone())
        .ok_or_else(|| unknown_device(device))
}
