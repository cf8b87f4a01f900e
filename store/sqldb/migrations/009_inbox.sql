-- The inbox: every event a platform delivered, recorded before it is
-- acknowledged, handled under a short lease, kept after it is done for the
-- dedupe window. Times are Unix milliseconds (_ms): leases are compared,
-- never shown. lease_ms 0 is "free to take"; done_ms 0 is "not done".
CREATE TABLE inbox (
	seq          {{id}},
	event_id     TEXT NOT NULL UNIQUE,
	conversation TEXT NOT NULL,
	event        TEXT NOT NULL,
	owner        TEXT NOT NULL DEFAULT '',
	lease_ms     BIGINT NOT NULL DEFAULT 0,
	attempts     INTEGER NOT NULL DEFAULT 0,
	received_ms  BIGINT NOT NULL,
	done_ms      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inbox_open ON inbox (conversation, seq) WHERE done_ms = 0;
CREATE INDEX inbox_lease ON inbox (lease_ms, seq) WHERE done_ms = 0;
CREATE INDEX inbox_done ON inbox (done_ms) WHERE done_ms > 0;
