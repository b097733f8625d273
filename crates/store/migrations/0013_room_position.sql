-- Where a live room stood on an assessment (the question on screen and whether its votes were
-- revealed), so that reopening the room after it was closed or the app stopped resumes there.
-- Votes themselves are in `vote`; devices and their tokens are never stored.

CREATE TABLE room_position (
    assessment_id TEXT PRIMARY KEY REFERENCES assessment (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    revealed      INTEGER NOT NULL CHECK (revealed IN (0, 1)),
    updated_at    TEXT NOT NULL
) STRICT;
