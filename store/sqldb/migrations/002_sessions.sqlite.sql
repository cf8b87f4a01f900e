-- Dialog sessions, for a single machine that must survive restarts without
-- Redis. data is the JSON of conversation.Session; version is the
-- compare-and-set token; rows past expires_at count as missing.

CREATE TABLE sessions (
	key        TEXT PRIMARY KEY,
	version    INTEGER NOT NULL,
	data       TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
