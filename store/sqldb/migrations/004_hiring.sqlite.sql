-- The hiring loop: invites, applications, engagements, relays, and the
-- durable outbox of notifications. Times are UTC text as in 001.

CREATE TABLE invites (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	freelancer_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	employer_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	state         TEXT NOT NULL,
	counter_rate  TEXT NOT NULL DEFAULT '',
	counter_note  TEXT NOT NULL DEFAULT '',
	expires_at    TEXT NOT NULL,
	reminded      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
-- One open invite per freelancer and job.
CREATE UNIQUE INDEX invites_open ON invites (job_id, freelancer_id) WHERE state IN ('sent', 'countered');
CREATE INDEX invites_job ON invites (job_id, id);
CREATE INDEX invites_freelancer ON invites (freelancer_id, id);
CREATE INDEX invites_employer ON invites (employer_id, id);
CREATE INDEX invites_due ON invites (state, expires_at);

CREATE TABLE applications (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	freelancer_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	note          TEXT NOT NULL,
	state         TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	UNIQUE (job_id, freelancer_id)
);

CREATE TABLE engagements (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	invite_id     INTEGER NOT NULL UNIQUE REFERENCES invites (id) ON DELETE CASCADE,
	freelancer_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	employer_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	trial         INTEGER NOT NULL,
	milestones    TEXT NOT NULL, -- JSON array of {"title","done"}
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);

CREATE TABLE relays (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	a_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	b_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	job_id     INTEGER NOT NULL,
	state      TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX relays_a ON relays (a_id, state);
CREATE INDEX relays_b ON relays (b_id, state);

-- reply is the JSON of a bot.Reply. A row is claimed by setting claim and
-- claimed_until; a claim past claimed_until has lapsed.
CREATE TABLE outbox (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	platform      TEXT NOT NULL,
	workspace     TEXT NOT NULL,
	chat_id       TEXT NOT NULL,
	user_id       TEXT NOT NULL,
	reply         TEXT NOT NULL,
	sender_id     INTEGER NOT NULL DEFAULT 0,
	invite_id     INTEGER NOT NULL DEFAULT 0,
	state         TEXT NOT NULL,
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_at       TEXT NOT NULL,
	claim         TEXT NOT NULL DEFAULT '',
	claimed_until TEXT NOT NULL DEFAULT '',
	last_error    TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_at, id);
CREATE INDEX outbox_account ON outbox (account_id, state, id);
