-- identities, board_posts and saved_gigs get an id column, as they have in
-- PostgreSQL: it keeps the order rows were added in (the old rowid), so
-- one set of statements reads both databases.

CREATE TABLE identities_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	platform   TEXT NOT NULL,
	workspace  TEXT NOT NULL DEFAULT '',
	user_id    TEXT NOT NULL,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	UNIQUE (platform, workspace, user_id)
);
INSERT INTO identities_new (id, platform, workspace, user_id, account_id, created_at)
	SELECT rowid, platform, workspace, user_id, account_id, created_at FROM identities;
DROP TABLE identities;
ALTER TABLE identities_new RENAME TO identities;
CREATE INDEX identities_account ON identities (account_id, id);

CREATE TABLE board_posts_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	platform   TEXT NOT NULL,
	community  TEXT NOT NULL,
	chat_id    TEXT NOT NULL,
	ref        TEXT NOT NULL DEFAULT '',
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	UNIQUE (job_id, kind, platform, chat_id)
);
INSERT INTO board_posts_new (id, job_id, kind, platform, community, chat_id, ref, account_id, created_at)
	SELECT rowid, job_id, kind, platform, community, chat_id, ref, account_id, created_at FROM board_posts;
DROP TABLE board_posts;
ALTER TABLE board_posts_new RENAME TO board_posts;
CREATE INDEX board_posts_poster ON board_posts (platform, community, account_id, kind, created_at);
CREATE INDEX board_posts_account ON board_posts (account_id);

CREATE TABLE saved_gigs_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	UNIQUE (account_id, job_id)
);
INSERT INTO saved_gigs_new (id, account_id, job_id, created_at)
	SELECT rowid, account_id, job_id, created_at FROM saved_gigs;
DROP TABLE saved_gigs;
ALTER TABLE saved_gigs_new RENAME TO saved_gigs;
CREATE INDEX saved_gigs_job ON saved_gigs (job_id);
