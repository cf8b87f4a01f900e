package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hirebot/hirebot/adapters/discord"
	"github.com/hirebot/hirebot/bot"
)

// runDiscord is "hirebot discord register [--guild ID]".
func runDiscord(ctx context.Context, args []string, e env, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "register" {
		fmt.Fprintln(stderr, "usage: hirebot discord register [--guild ID]")
		return errUsage
	}
	fs := newFlags("discord register", stderr)
	guild := fs.String("guild", "", "register for one server only (instant; for development)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if e.DiscordBotToken == "" || e.DiscordAppID == "" {
		return fmt.Errorf("set DISCORD_BOT_TOKEN and DISCORD_APP_ID first")
	}
	noHandler := func(context.Context, bot.Event) ([]bot.Reply, error) { return nil, nil }
	a, err := discord.New(discordConfig(e), noHandler, newLogger(stderr, e))
	if err != nil {
		return err
	}
	if err := a.Register(ctx, *guild); err != nil {
		return err
	}
	where := "globally (may take up to an hour to appear)"
	if *guild != "" {
		where = "in server " + *guild
	}
	fmt.Fprintln(stderr, "registered /hire", where)
	return nil
}
