//! A participant renamed or merged into another, and where a live room stood on an assessment.

use assay_assessment::Participant;
use assay_store::{MergeCounts, RoomPosition};

use crate::actions::{participant_of, short_text};
use crate::{ApiError, Assay, Result};

impl Assay {
    /// Gives a participant (by id or name) a new name, unique in the assessment.
    pub fn rename_participant(
        &mut self,
        assessment: &str,
        participant: &str,
        name: &str,
    ) -> Result<Participant> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let mut renamed = participant_of(&current, participant)?.clone();
        let name = short_text(name, "participant name")?;
        if current
            .participants
            .iter()
            .any(|p| p.id != renamed.id && p.name.eq_ignore_ascii_case(&name))
        {
            return Err(ApiError::DuplicateParticipant(name));
        }
        self.store
            .rename_participant(&current.id, &renamed.id, &name, self.clock.now())?;
        renamed.name = name;
        Ok(renamed)
    }

    /// Folds participant `from` into `into` (each by id or name), as when one person joined a
    /// live room twice: `from`'s votes move where `into` has none, `into`'s own votes stand,
    /// every change is in the audit trail, and `from` leaves the assessment.
    pub fn merge_participants(
        &mut self,
        assessment: &str,
        from: &str,
        into: &str,
    ) -> Result<MergeCounts> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let from = participant_of(&current, from)?.id.clone();
        let into = participant_of(&current, into)?.id.clone();
        if from == into {
            return Err(ApiError::Invalid(
                "a participant cannot be merged into itself".to_owned(),
            ));
        }
        Ok(self.store.merge_participant(
            &current.id,
            &from,
            &into,
            self.clock.now(),
            &self.actor,
        )?)
    }

    /// Where a live room on this assessment last stood, if one was ever opened.
    pub fn room_position(&self, assessment: &str) -> Result<Option<RoomPosition>> {
        let id = self.resolve(assessment)?;
        Ok(self.store.room_position(&id)?)
    }

    /// Records where the live room stands; an assessment's id, as the room holds it.
    pub fn set_room_position(
        &mut self,
        assessment_id: &str,
        position: &RoomPosition,
    ) -> Result<()> {
        Ok(self
            .store
            .set_room_position(assessment_id, position, self.clock.now())?)
    }
}
