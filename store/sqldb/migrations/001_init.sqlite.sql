-- Accounts, the identities that lead to them, profiles and jobs.
-- Times are UTC text "2006-01-02T15:04:05.000000Z"; dates are "YYYY-MM-DD"
-- or NULL. List fields are JSON arrays of strings.

CREATE TABLE accounts (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE identities (
	platform   TEXT NOT NULL,
	workspace  TEXT NOT NULL DEFAULT '',
	user_id    TEXT NOT NULL,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	UNIQUE (platform, workspace, user_id)
);
CREATE INDEX identities_account ON identities (account_id);

CREATE TABLE profiles (
	account_id       INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	name             TEXT NOT NULL,
	headline         TEXT NOT NULL,
	skills           TEXT NOT NULL, -- JSON array, in the freelancer's order
	years_experience INTEGER NOT NULL,
	rate_amount      REAL NOT NULL,
	rate_currency    TEXT NOT NULL,
	rate_unit        TEXT NOT NULL,
	hours_per_week   INTEGER NOT NULL,
	available_from   TEXT, -- date
	timezone         TEXT NOT NULL,
	work_types       TEXT NOT NULL, -- JSON array
	remote           INTEGER NOT NULL,
	city             TEXT NOT NULL,
	portfolio        TEXT NOT NULL, -- JSON array
	bio              TEXT NOT NULL,
	status           TEXT NOT NULL,
	updated_at       TEXT NOT NULL
);
CREATE INDEX profiles_status ON profiles (status, account_id);

-- Full-text index of published profiles only; rowid is the account ID.
-- Kept in sync by the Go code (SaveProfile, SetProfileStatus,
-- DeleteAccount), not by triggers.
CREATE VIRTUAL TABLE profile_search USING fts5 (
	skills, headline, bio,
	tokenize = 'porter unicode61'
);

CREATE TABLE jobs (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	key             TEXT, -- NULL when the job has no idempotency key
	owner_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	title           TEXT NOT NULL,
	description     TEXT NOT NULL,
	deliverables    TEXT NOT NULL,
	skills          TEXT NOT NULL, -- JSON array
	budget_min      REAL NOT NULL,
	budget_max      REAL NOT NULL,
	budget_currency TEXT NOT NULL,
	budget_unit     TEXT NOT NULL,
	deadline        TEXT, -- date
	remote          INTEGER NOT NULL,
	city            TEXT NOT NULL,
	timezone        TEXT NOT NULL,
	status          TEXT NOT NULL,
	created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX jobs_key ON jobs (key) WHERE key IS NOT NULL;
CREATE INDEX jobs_owner ON jobs (owner_id, created_at);
CREATE INDEX jobs_status ON jobs (status, created_at);
