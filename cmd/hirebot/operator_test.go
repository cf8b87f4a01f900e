package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// hirebotEnv runs the command with exactly the environment env.
func hirebotEnv(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	return out.String(), errOut.String(), code
}

func TestLogSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	tests := []struct {
		name string
		env  map[string]string
		code int
		want string
	}{
		{"unknown level", map[string]string{"HIREBOT_LOG": "verbose"}, 2, `HIREBOT_LOG="verbose" is not a log level: set debug, info, warn or error`},
		{"unknown format", map[string]string{"HIREBOT_LOG_FORMAT": "xml"}, 2, `HIREBOT_LOG_FORMAT="xml" is not a log format: set text or json`},
		{"level in capitals", map[string]string{"HIREBOT_LOG": "DEBUG"}, 0, "level=INFO"},
		{"text by default", map[string]string{}, 0, `level=INFO msg="migration applied"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["HIREBOT_DB"] = filepath.Join(t.TempDir(), "hirebot.db")
			_, errOut, code := hirebotEnv(t, tt.env, "migrate")
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s", code, tt.code, errOut)
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		_, errOut, code := hirebotEnv(t, map[string]string{"HIREBOT_DB": db, "HIREBOT_LOG_FORMAT": "json", "HIREBOT_LOG": "debug"}, "migrate")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if len(lines) < 2 {
			t.Fatalf("want a line per migration, got:\n%s", errOut)
		}
		for _, l := range lines {
			var rec struct{ Time, Level, Msg string }
			if err := json.Unmarshal([]byte(l), &rec); err != nil || rec.Time == "" || rec.Level == "" || rec.Msg == "" {
				t.Errorf("not a JSON log record with time, level and msg (%v): %s", err, l)
			}
		}
	})
}

func TestOperatorErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"redis refused", map[string]string{"REDIS_URL": "redis://127.0.0.1:1", "HIREBOT_DB": filepath.Join(dir, "a.db")},
			"REDIS_URL redis://127.0.0.1:1: connection refused — is Redis running"},
		{"redis password hidden", map[string]string{"REDIS_URL": "redis://:s3cret@127.0.0.1:1/0", "HIREBOT_DB": filepath.Join(dir, "b.db")},
			"REDIS_URL redis://:xxxxx@127.0.0.1:1/0: connection refused"},
		{"postgres refused", map[string]string{"HIREBOT_DB": "postgres://hirebot:s3cret@127.0.0.1:1/hirebot"},
			"HIREBOT_DB postgres://hirebot:xxxxx@127.0.0.1:1/hirebot: connection refused — is PostgreSQL running"},
		{"no such folder", map[string]string{"HIREBOT_DB": filepath.Join(dir, "nope", "hirebot.db")},
			"cannot create hirebot.db in " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{"not a folder", map[string]string{"HIREBOT_DB": filepath.Join(file, "hirebot.db")},
			"cannot create hirebot.db in " + file + ": " + file + " is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// chat opens the stores the way serve does, and needs no listener.
			_, errOut, code := hirebotEnv(t, tt.env, "chat")
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant %q", code, errOut, tt.want)
			}
			if strings.Contains(errOut, "s3cret") || strings.Contains(errOut, "can't reach my memory") {
				t.Errorf("stderr shows a password or a chat message:\n%s", errOut)
			}
		})
	}

	if os.Geteuid() != 0 { // root may write anywhere
		t.Run("permission denied", func(t *testing.T) {
			ro := filepath.Join(dir, "ro")
			if err := os.Mkdir(ro, 0o500); err != nil {
				t.Fatal(err)
			}
			_, errOut, _ := hirebotEnv(t, map[string]string{"HIREBOT_DB": filepath.Join(ro, "hirebot.db")}, "migrate")
			if want := "cannot create hirebot.db in " + ro + ": permission denied"; !strings.Contains(errOut, want) {
				t.Errorf("stderr %q, want %q", errOut, want)
			}
		})
	}
}

func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/hirebot/hirebot", Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"release", info, true, "hirebot v1.2.0 go1.26.0 (revision 0123abcd, committed 2026-12-01T10:00:00Z, modified)"},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, true, "hirebot (devel) go1.26.0"},
		{"none", nil, false, "hirebot (no build information)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(tt.info, tt.ok); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
