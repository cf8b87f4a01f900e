-- Gig boards of community chats (Discord servers, Telegram groups), the
-- messages hirebot posted about jobs there, reports and saved gigs.
-- Durations are whole seconds.

CREATE TABLE boards (
	platform        TEXT NOT NULL,
	community       TEXT NOT NULL,
	channel_id      TEXT NOT NULL,
	mod_channel_id  TEXT NOT NULL DEFAULT '',
	cooldown_s      INTEGER NOT NULL DEFAULT 0,
	min_account_age_s INTEGER NOT NULL DEFAULT 0,
	updated_at      TEXT NOT NULL,
	PRIMARY KEY (platform, community)
);

CREATE TABLE board_posts (
	job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	platform   TEXT NOT NULL,
	community  TEXT NOT NULL,
	chat_id    TEXT NOT NULL,
	ref        TEXT NOT NULL DEFAULT '',
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	PRIMARY KEY (job_id, kind, platform, chat_id)
);
-- The cooldown check: a member's newest gig in a community.
CREATE INDEX board_posts_poster ON board_posts (platform, community, account_id, kind, created_at);

CREATE TABLE job_reports (
	job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	PRIMARY KEY (job_id, account_id)
);

CREATE TABLE saved_gigs (
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	PRIMARY KEY (account_id, job_id)
);
CREATE INDEX saved_gigs_job ON saved_gigs (job_id);

CREATE INDEX jobs_deadline ON jobs (status, deadline);
