package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hirebot/hirebot/bot"
)

// Failures to open what hirebot depends on are told to whoever runs it,
// not to a person in a chat: they name the setting, say what went wrong
// and what to check, instead of "I can't reach my memory right now".

// redisError explains why the Redis at REDIS_URL could not be used.
func redisError(url string, err error) error {
	return fmt.Errorf("REDIS_URL %s: %s", redact(url), connectHint(err, "Redis"))
}

// postgresError explains why the PostgreSQL database at HIREBOT_DB could
// not be opened.
func postgresError(dsn string, err error) error {
	return fmt.Errorf("HIREBOT_DB %s: %s", redact(dsn), connectHint(err, "PostgreSQL"))
}

// connectHint says why a connection to server failed, and what to check.
func connectHint(err error, server string) string {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection refused — is %s running, on that host and port?", server)
	case errors.As(err, &dns):
		return fmt.Sprintf("cannot resolve host %q — is the host name right?", dns.Name)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &op) && op.Timeout():
		return fmt.Sprintf("no answer in time — is %s reachable from here (address, firewall)?", server)
	}
	msg := cause(err).Error()
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(lower, "noauth"), strings.Contains(lower, "wrongpass"), strings.Contains(lower, "password authentication failed"):
		return msg + " — put the right user and password in the URL"
	case strings.Contains(lower, "does not exist"):
		return msg + " — create it, or name another in the URL"
	}
	return msg
}

// sqliteError explains why the SQLite file at path could not be opened,
// finding the underlying cause in the file system where it can: SQLite
// itself only says "unable to open database file".
func sqliteError(path string, err error) error {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	dir = filepath.Clean(dir)
	if _, serr := os.Stat(path); serr != nil {
		// No file yet: can it be made in dir?
		if fi, derr := os.Stat(dir); derr != nil {
			return fmt.Errorf("cannot create %s in %s: %s — create the folder or set HIREBOT_DB to a writable path", name, dir, pathReason(derr))
		} else if !fi.IsDir() {
			return fmt.Errorf("cannot create %s in %s: %s is not a folder — set HIREBOT_DB to a writable path", name, dir, dir)
		}
		f, cerr := os.CreateTemp(dir, ".hirebot-probe-*")
		if cerr != nil {
			return fmt.Errorf("cannot create %s in %s: %s — let the user hirebot runs as write there, or set HIREBOT_DB", name, dir, pathReason(cerr))
		}
		f.Close()
		os.Remove(f.Name())
	} else if f, oerr := os.OpenFile(path, os.O_RDWR, 0); oerr != nil {
		return fmt.Errorf("cannot open %s in %s for writing: %s — let the user hirebot runs as write it, or set HIREBOT_DB", name, dir, pathReason(oerr))
	} else {
		f.Close()
	}
	return fmt.Errorf("HIREBOT_DB %s: %w", path, err)
}

// pathReason is the plain reason of a file system error ("permission
// denied"), without the operation and path the message already names.
func pathReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// cause is the error under a *bot.Error, whose message is meant for chat.
func cause(err error) error {
	var be *bot.Error
	if errors.As(err, &be) && be.Err != nil {
		return be.Err
	}
	return err
}
