-- Bot tokens of the chat workspaces hirebot is installed in (Slack's
-- distributable mode: one token per team, stored by the OAuth callback).

CREATE TABLE workspace_tokens (
	platform   TEXT NOT NULL,
	workspace  TEXT NOT NULL,
	token      TEXT NOT NULL,
	updated_at {{time}} NOT NULL,
	PRIMARY KEY (platform, workspace)
);
