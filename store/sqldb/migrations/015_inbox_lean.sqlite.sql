-- The inbox writes every message twice (recorded, done), so each index
-- and counter it keeps costs every message. Its rows are numbered without
-- AUTOINCREMENT (which updates sqlite_sequence at every insert: a page of
-- its own in each commit); a number is reused only after the newest row
-- was forgotten, and nothing refers to it from outside its row. Take finds
-- leases that ran out among the open events (inbox_open), which are the
-- few in hand, so inbox_lease goes too.
CREATE TABLE inbox_new (
	seq          INTEGER PRIMARY KEY,
	event_id     TEXT NOT NULL UNIQUE,
	conversation TEXT NOT NULL,
	event        TEXT NOT NULL,
	owner        TEXT NOT NULL DEFAULT '',
	lease_ms     BIGINT NOT NULL DEFAULT 0,
	attempts     INTEGER NOT NULL DEFAULT 0,
	received_ms  BIGINT NOT NULL,
	done_ms      BIGINT NOT NULL DEFAULT 0,
	replies      TEXT
);
INSERT INTO inbox_new (seq, event_id, conversation, event, owner, lease_ms, attempts, received_ms, done_ms, replies)
	SELECT seq, event_id, conversation, event, owner, lease_ms, attempts, received_ms, done_ms, replies FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_new RENAME TO inbox;
CREATE INDEX inbox_open ON inbox (conversation, seq) WHERE done_ms = 0;
CREATE INDEX inbox_done ON inbox (done_ms) WHERE done_ms > 0;
CREATE INDEX inbox_undelivered ON inbox (lease_ms, seq) WHERE replies IS NOT NULL;
