-- Skills a job would like but does not require. PostgreSQL databases got
-- the column in 001; this keeps the step for those made before it did.

ALTER TABLE jobs ADD COLUMN IF NOT EXISTS nice_skills TEXT[] NOT NULL DEFAULT '{}';
