package main

import (
	"fmt"
	"io"

	"github.com/hirebot/hirebot/adapters/slack"
)

// runSlack is "hirebot slack manifest [--host HOST]": it prints the Slack
// app manifest, /hire's usage hint made from the command table.
func runSlack(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "manifest" {
		fmt.Fprintln(stderr, "usage: hirebot slack manifest [--host HOST]")
		return errUsage
	}
	fs := newFlags("slack manifest", stderr)
	host := fs.String("host", slack.ExampleHost, "the public HTTPS host that serves hirebot serve")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	return slack.WriteManifest(stdout, *host)
}
