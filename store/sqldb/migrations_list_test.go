package sqldb

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestReadMigrations(t *testing.T) {
	types := map[string]string{"time": "TEXT"}
	file := func(body string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(body)} }
	for _, tc := range []struct {
		name  string
		files fstest.MapFS
		want  string // the SQL of the steps, or the error's words
	}{
		{"shared steps get the dialect's types", fstest.MapFS{
			"migrations/001_a.sql": file("CREATE TABLE a (t {{time}});"),
		}, "CREATE TABLE a (t TEXT);"},
		{"the dialect's own file wins", fstest.MapFS{
			"migrations/001_a.sql":          file("shared"),
			"migrations/001_a.sqlite.sql":   file("own"),
			"migrations/001_a.postgres.sql": file("theirs"),
		}, "own"},
		{"a step missing for the dialect", fstest.MapFS{
			"migrations/001_a.sql":          file("a"),
			"migrations/002_b.postgres.sql": file("b"),
			"migrations/003_c.sql":          file("c"),
		}, "no migration 002 for sqlite"},
		{"two steps with one number", fstest.MapFS{
			"migrations/001_a.sql": file("a"),
			"migrations/001_b.sql": file("b"),
		}, "share number 1"},
		{"two steps with one name", fstest.MapFS{
			"migrations/001_a.sql": file("a"),
			"migrations/002_a.sql": file("b"),
		}, "share a name"},
		{"an unknown type", fstest.MapFS{
			"migrations/001_a.sql": file("CREATE TABLE a (t {{money}});"),
		}, "unknown type {{money}}"},
		{"a badly named file", fstest.MapFS{
			"migrations/first.sql": file("a"),
		}, "is not named"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := readMigrations(tc.files, "sqlite", types)
			got := ""
			if err != nil {
				got = err.Error()
			}
			for _, m := range ms {
				got += m.SQL
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q in it", got, tc.want)
			}
		})
	}
}
