package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// hirebot runs the command as a separate invocation would, with only
// HIREBOT_DB set in its environment.
func hirebot(t *testing.T, db, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "HIREBOT_DB" {
			return db
		}
		return ""
	}
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, getenv)
	return out.String(), errOut.String(), code
}

const profileScript = `/profile
Ann Smith
Backend developer, Go and PostgreSQL
golang, k8s, postgres, reactjs, node
7 years
$45/h
20 hours a week
immediately
remote
Berlin
github.com/ann
Go APIs for small teams since 2019.
1
`

const jobScript = `/post
Build a Go API for invoices
A small REST API in Go with PostgreSQL storage for invoices.
golang, postgres
1,200 EUR fixed
in 3 weeks
redis
skip
remote
UTC+1
Post
`

// TestScriptedChatAndExport is the "done means": a piped dialogue
// publishes a profile and a job, export shows both normalized, and a
// second process against the same database sees them.
func TestScriptedChatAndExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	out, errOut, code := hirebot(t, db, profileScript, "chat", "--user", "ann")
	if code != 0 {
		t.Fatalf("chat exited %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Your profile is published.") {
		t.Fatalf("profile not published:\n%s", out)
	}
	if strings.Contains(out, "\033[") {
		t.Error("piped chat printed control codes")
	}
	out, errOut, code = hirebot(t, db, jobScript, "chat", "--user", "bob")
	if code != 0 || !strings.Contains(out, "Your job #1 is posted.") || !strings.Contains(out, "1. Ann Smith") {
		t.Fatalf("job not posted with a match (exit %d): %s\n%s", code, errOut, out)
	}

	out, errOut, code = hirebot(t, "", "", "export", "--db", db)
	if code != 0 {
		t.Fatalf("export exited %d: %s", code, errOut)
	}
	records := map[string][]map[string]any{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		typ, _ := rec["type"].(string)
		records[typ] = append(records[typ], rec)
	}
	if len(records["profiles"]) != 1 || len(records["jobs"]) != 1 || len(records["accounts"]) != 2 || len(records["identities"]) != 2 {
		t.Fatalf("export holds %d profiles, %d jobs, %d accounts:\n%s", len(records["profiles"]), len(records["jobs"]), len(records["accounts"]), out)
	}
	p, j := records["profiles"][0], records["jobs"][0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"profile skills", p["skills"], []any{"Go", "Kubernetes", "PostgreSQL", "React", "Node.js"}},
		{"profile rate", []any{p["rate_amount"], p["rate_currency"], p["rate_unit"]}, []any{45.0, "USD", "hour"}},
		{"profile hours", p["hours_per_week"], 20.0},
		{"profile timezone", p["timezone"], "Europe/Berlin"},
		{"profile work types", p["work_types"], []any{"gig", "part-time"}},
		{"profile remote", p["remote"], true},
		{"profile portfolio", p["portfolio"], []any{"https://github.com/ann"}},
		{"profile years", p["years_experience"], 7.0},
		{"profile status", p["status"], "published"},
		{"job budget", []any{j["budget_min"], j["budget_max"], j["budget_currency"], j["budget_unit"]}, []any{1200.0, 1200.0, "EUR", "fixed"}},
		{"job skills", j["skills"], []any{"Go", "PostgreSQL"}},
		{"job nice skills", j["nice_skills"], []any{"Redis"}},
		{"job timezone", j["timezone"], "Etc/GMT-1"},
		{"job status", j["status"], "open"},
	}
	for _, c := range checks {
		gb, _ := json.Marshal(c.got)
		wb, _ := json.Marshal(c.want)
		if string(gb) != string(wb) {
			t.Errorf("%s = %s, want %s", c.name, gb, wb)
		}
	}
	if d, _ := p["available_from"].(string); len(d) != len("2006-01-02") {
		t.Errorf("available_from = %q, want YYYY-MM-DD", d)
	}

	// A second chat process sees what the first ones stored.
	out, _, _ = hirebot(t, db, "/jobs\n/search go\n", "chat", "--user", "ann")
	for _, want := range []string{"Open jobs that match you", "#1 Build a Go API for invoices", "Ann Smith — Backend developer"} {
		if !strings.Contains(out, want) {
			t.Errorf("second process: no %q in\n%s", want, out)
		}
	}
}

// TestChatResumesAfterRestart leaves a dialog half way and comes back in a
// new process to the same step.
func TestChatResumesAfterRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	hirebot(t, db, "/profile\nAnn Smith\n", "chat", "--user", "ann")
	out, _, _ := hirebot(t, db, "/profile\n", "chat", "--user", "ann")
	if !strings.Contains(out, "Welcome back") || !strings.Contains(out, "Your headline in one line?") {
		t.Errorf("did not resume at the headline:\n%s", out)
	}
}

func TestCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage:"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"version"}, 0, "hirebot "},
		{[]string{"help"}, 0, "hirebot chat"},
		{[]string{"migrate"}, 0, "migrated " + db},
		{[]string{"chat", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"discord"}, 2, "usage: hirebot discord register"},
		{[]string{"slack"}, 2, "usage: hirebot slack manifest"},
		{[]string{"slack", "manifest", "--host", "jobs.example.org"}, 0, "url: https://jobs.example.org/slack/commands"},
		{[]string{"slack", "manifest", "--host", "https://jobs.example.org"}, 1, "is not a host name"},
		{[]string{"bench", "--profiles", "300", "--jobs", "20", "--queries", "5"}, 0, "match job top-20"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := hirebot(t, db, "", tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d (want %d), output:\n%s%s", code, tt.code, out, errOut)
			}
		})
	}
}
