-- A sign-off records the end of the audit trail about its assessment and register when it was
-- given (how many events, the last one's number and hash, and the hash of the trail's first
-- event, which tells the database it was given in), so that a trail later cut back before that
-- point is detected. Sign-offs given before this migration keep NULL.

ALTER TABLE signoff ADD COLUMN trail_events INTEGER;
ALTER TABLE signoff ADD COLUMN trail_seq INTEGER;
ALTER TABLE signoff ADD COLUMN trail_hash TEXT;
ALTER TABLE signoff ADD COLUMN trail_origin TEXT;
