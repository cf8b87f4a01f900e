-- Dialog sessions (when Redis does not keep them). data is the JSON of
-- conversation.Session; version is the compare-and-set token, drawn from
-- one sequence, so no version is ever handed out twice, even after a
-- session is deleted or purged. A row past expires_at counts as missing; a
-- deleted session stays as an empty row expired at -infinity.

CREATE SEQUENCE session_versions;

CREATE TABLE sessions (
	key        TEXT PRIMARY KEY,
	version    BIGINT NOT NULL,
	data       TEXT NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
