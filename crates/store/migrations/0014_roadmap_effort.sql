-- The team's effort estimate for raising a question, per assessment, for the roadmap to the
-- next level. A question without a row has its effort guessed from the levels to climb.

CREATE TABLE roadmap_effort (
    assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    effort        TEXT NOT NULL CHECK (effort IN ('small', 'medium', 'large')),
    set_at        TEXT NOT NULL,
    set_by        TEXT NOT NULL,
    PRIMARY KEY (assessment_id, question_id)
) STRICT;
