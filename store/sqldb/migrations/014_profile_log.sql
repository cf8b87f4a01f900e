-- The profile log: every transaction that changes what a profile is in the
-- match index (saved, status changed, deleted, merged) adds the account
-- here, numbered in order. An index snapshot is stamped with a position in
-- it, and a replica that loads the snapshot reloads the profiles logged
-- after it (bot.ProfileLog). Rows are pruned after days, the newest kept.
-- account_id has no foreign key: a deleted account's change is a change.

CREATE TABLE profile_log (
	seq        {{id}},
	account_id BIGINT NOT NULL,
	changed_at {{time}} NOT NULL
);
CREATE INDEX profile_log_changed ON profile_log (changed_at);
