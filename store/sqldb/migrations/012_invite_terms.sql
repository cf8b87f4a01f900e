-- An invite carries terms, as a marketplace offer does: a rate (hourly or
-- a fixed price), hours a week, a start date and a note. A counter offer
-- proposes its own; its rate and note already have columns. Every term may
-- be left out: '' and 0, or NULL for a date.
ALTER TABLE invites ADD COLUMN terms_rate TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN terms_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invites ADD COLUMN terms_start {{date}};
ALTER TABLE invites ADD COLUMN terms_note TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN counter_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invites ADD COLUMN counter_start {{date}};
