-- Trust and retention: reviews, talent pools, availability check-ins, job
-- alerts, link codes and privacy rules. Times are UTC text as in 001; an
-- empty string is "never".

CREATE TABLE reviews (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	engagement_id INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
	author_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	subject_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	stars         INTEGER NOT NULL, -- 0: skipped
	comment       TEXT NOT NULL DEFAULT '',
	hidden        INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL,
	UNIQUE (engagement_id, author_id)
);
CREATE INDEX reviews_subject ON reviews (subject_id, id);
CREATE INDEX reviews_author ON reviews (author_id, id);

CREATE TABLE review_reports (
	review_id  INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	PRIMARY KEY (review_id, account_id)
);
CREATE INDEX review_reports_account ON review_reports (account_id);

-- One row per engagement whose parties were asked for reviews.
CREATE TABLE review_requests (
	engagement_id INTEGER PRIMARY KEY REFERENCES engagements (id) ON DELETE CASCADE,
	created_at    TEXT NOT NULL
);

CREATE TABLE pools (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	platform   TEXT NOT NULL,
	workspace  TEXT NOT NULL,
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX pools_name ON pools (platform, workspace, lower(name));

CREATE TABLE pool_members (
	pool_id    INTEGER NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	added_by   INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (pool_id, account_id)
);
CREATE INDEX pool_members_account ON pool_members (account_id);
CREATE INDEX pool_members_added_by ON pool_members (added_by);

CREATE TABLE checkins (
	account_id  INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	asked_at    TEXT NOT NULL DEFAULT '',
	answered_at TEXT NOT NULL DEFAULT '',
	next_at     TEXT NOT NULL,
	stale       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX checkins_due ON checkins (asked_at, next_at);

CREATE TABLE alert_settings (
	account_id     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	mode           TEXT NOT NULL,
	next_digest_at TEXT NOT NULL DEFAULT '',
	updated_at     TEXT NOT NULL
);

CREATE TABLE alert_items (
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	title      TEXT NOT NULL,
	score      REAL NOT NULL,
	reason     TEXT NOT NULL,
	state      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (account_id, job_id)
);
CREATE INDEX alert_items_state ON alert_items (account_id, state, created_at);
CREATE INDEX alert_items_job ON alert_items (job_id);

-- Named positions of periodic work (the newest job alerts looked at).
CREATE TABLE cursors (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);

CREATE TABLE link_codes (
	code       TEXT PRIMARY KEY, -- upper case
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	expires_at TEXT NOT NULL,
	used_at    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX link_codes_account ON link_codes (account_id);

-- platform '' means the workspace ID on any platform.
CREATE TABLE privacy_hidden (
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	platform   TEXT NOT NULL,
	workspace  TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (account_id, platform, workspace)
);
CREATE INDEX privacy_hidden_viewer ON privacy_hidden (workspace, platform);
