-- Skills a job would like but does not require; they weigh half as much
-- in matching. JSON array like skills.

ALTER TABLE jobs ADD COLUMN nice_skills TEXT NOT NULL DEFAULT '[]';
