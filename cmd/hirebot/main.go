// Command hirebot is the chat-native hiring assistant: a terminal chat, the
// server for Slack, Discord and Telegram, and the tools around them.
//
// Only this package reads flags and the environment; everything else gets
// typed configuration.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

const usage = `hirebot — a chat-native hiring assistant

Usage:
  hirebot chat [--db PATH] [--user ID] [--name NAME]   talk to the bot in this terminal
  hirebot serve [--db PATH] [--addr :8080]             run every configured platform (the web chat alone if none)
  hirebot web [--db PATH] [--addr 127.0.0.1:8080]      the chat in a browser: open http://127.0.0.1:8080/chat
  hirebot migrate [--db PATH]                          apply database migrations and exit
  hirebot migrate --status [--db PATH]                 which migrations the database has; changes nothing
  hirebot export [--db PATH] [--secrets]               a whole backup as JSON Lines on stdout (docs/backup.md);
                                                       workspace tokens only with --secrets
  hirebot import [--db PATH] FILE|-                    restore a backup into an empty database
  hirebot export --person PLATFORM:[WORKSPACE:]ID      one person's data as one JSON document
  hirebot bench [flags]                                 matching and search figures on synthetic data
  hirebot bench load [--users 50] [--duration 10s]      Slack DMs in a closed loop: hirebot against a bare handler
  hirebot bench faults [--events 600]                   kill -9 under load, re-deliveries, replays, secrets in logs
  hirebot bench scale [--replicas 3] [--duration 20s]   3 replicas, one PostgreSQL and Redis, Slack+Telegram+Discord at once
  hirebot discord register [--guild ID]                register the Discord commands
  hirebot slack manifest [--host HOST]                 print the Slack app manifest for HOST
  hirebot healthcheck [--addr :8080] [--path /healthz]  exit 0 when serve here is alive
  hirebot version                                       print the version
  hirebot help                                          this text

Environment:
  HIREBOT_DB      database file (default hirebot.db); --db wins
  REDIS_URL       redis://host:6379/0 — shared dialog state, dedupe, locks; without it,
                  dialogs live in the database file and dedupe in memory
  HIREBOT_ADDR    listen address of serve (default :8080)
  HIREBOT_LOG     log level: debug, info (default), warn, error
  HIREBOT_LOG_FORMAT  text (default) or json: one JSON object per line
  HIREBOT_ADMIN_ADDR  serve net/http/pprof on this address (e.g. 127.0.0.1:6060); unset: none
  SLACK_*, DISCORD_*, TELEGRAM_*   platform credentials (see README.md)
  HIREBOT_DISCORD_SHARDS  Discord gateway shards to run (default: as many as Discord recommends)
  HIREBOT_WEB_SECRET   signs web chat visitors' cookies (32+ bytes); setting it turns the web chat on
  HIREBOT_WEB_ORIGINS  sites that may embed /widget.js, e.g. https://jobs.example.com,https://*.example.org
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	env, err := environment(getenv)
	// Everything written to stderr (the log, the last error) loses its
	// secrets first.
	stderr = newRedactWriter(stderr, env.secrets())
	if err == nil {
		_, _, err = logSettings(env)
	}
	if err != nil {
		fmt.Fprintln(stderr, "hirebot:", err)
		return 2
	}
	switch args[0] {
	case "chat":
		err = runChat(ctx, args[1:], env, stdin, stdout, stderr)
	case "serve":
		err = runServe(ctx, args[1:], env, stderr)
	case "web":
		err = runWeb(ctx, args[1:], env, stderr)
	case "migrate":
		err = runMigrate(ctx, args[1:], env, stdout, stderr)
	case "export":
		err = runExport(ctx, args[1:], env, stdout, stderr)
	case "import":
		err = runImport(ctx, args[1:], env, stdin, stdout, stderr)
	case "bench":
		if len(args) > 1 && args[1] == "load" {
			err = runBenchLoad(ctx, args[2:], env, stdout, stderr)
		} else if len(args) > 1 && args[1] == "faults" {
			err = runBenchFaults(ctx, args[2:], env, stdout, stderr)
		} else if len(args) > 1 && args[1] == "scale" {
			err = runBenchScale(ctx, args[2:], env, stdout, stderr)
		} else {
			err = runBench(ctx, args[1:], stdout, stderr)
		}
	case "discord":
		err = runDiscord(ctx, args[1:], env, stderr)
	case "slack":
		err = runSlack(args[1:], stdout, stderr)
	case "healthcheck":
		err = runHealthcheck(ctx, args[1:], env, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, versionText(debug.ReadBuildInfo()))
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "hirebot: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if err == errUsage {
			return 2
		}
		fmt.Fprintln(stderr, "hirebot:", err)
		return 1
	}
	return 0
}
