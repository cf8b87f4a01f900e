// Package pgtest gives tests a PostgreSQL schema of their own on the
// server named by HIREBOT_POSTGRES_URL (default: the local server with trust
// auth), skipping when there is none unless HIREBOT_REQUIRE_POSTGRES=1.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// defaultURL is the server the tests use when HIREBOT_POSTGRES_URL is unset.
const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the URL of the test server, skipping the test when it
// cannot be reached (failing instead when HIREBOT_REQUIRE_POSTGRES=1).
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("HIREBOT_POSTGRES_URL")
	if u == "" {
		u = defaultURL
	}
	ctx, cancel := context.WithTimeout(tb.Context(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(context.Background())
	}
	if err != nil {
		msg := "PostgreSQL at " + redact(u) + " is not reachable (" + err.Error() + "); " +
			"set HIREBOT_POSTGRES_URL to a database the tests may create schemas in, " +
			"and HIREBOT_REQUIRE_POSTGRES=1 to fail instead of skipping"
		if os.Getenv("HIREBOT_REQUIRE_POSTGRES") == "1" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return u
}

// redact hides a password in u.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable url)"
	}
	return p.Redacted()
}

// FreshSchema creates an empty schema for one test, drops it when the test
// ends, and returns the server URL with search_path set to it.
func FreshSchema(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "hirebot_test_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(tb.Context(), base)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(tb.Context(), `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", redact(base), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
