-- The change log: without Redis, every process on one database appends the
-- records whose match-index entry it changed and follows what the others
-- append (bot.ChangeFeed). Rows are kept for minutes; the store stays the
-- truth.

CREATE TABLE changes (
	seq        {{id}},
	msg        TEXT NOT NULL,
	created_at {{time}} NOT NULL
);
