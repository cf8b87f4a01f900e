package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	slack, discord := db.Tokens(bot.Slack), db.Tokens(bot.Discord)
	if _, err := slack.Token(ctx, "T1"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("missing token: %v", err)
	}
	if err := slack.SaveToken(ctx, "T1", "xoxb-1"); err != nil {
		t.Fatal(err)
	}
	if err := slack.SaveToken(ctx, "T1", "xoxb-2"); err != nil {
		t.Fatal(err)
	}
	if err := slack.SaveToken(ctx, "", "x"); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("empty workspace: %v", err)
	}
	if _, err := discord.Token(ctx, "T1"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("a Slack token answered for Discord: %v", err)
	}
	db.Close()
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.Tokens(bot.Slack).Token(ctx, "T1"); err != nil || got != "xoxb-2" {
		t.Errorf("after reopen: %q, %v; want the replaced token", got, err)
	}
}
