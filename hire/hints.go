package hire

import (
	"github.com/hirebot/hirebot/bot"
)

// typer returns how commands are typed on platform: by its adapter when it
// is a CommandTyper, else "/name".
func (b *Bot) typer(platform string) func(name string) string {
	if ct, ok := b.adapters[platform].(bot.CommandTyper); ok {
		return ct.TypedCommand
	}
	return func(name string) string { return "/" + name }
}

// forPlatform writes the commands r names for platform (see WriteCommands).
func (b *Bot) forPlatform(platform string, r bot.Reply) bot.Reply {
	return bot.WriteCommands(r, b.typer(platform))
}
