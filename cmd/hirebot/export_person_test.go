package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportPerson(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	if _, errOut, code := hirebot(t, db, profileScript+"/alerts daily\n/link\n", "chat", "--user", "ann"); code != 0 {
		t.Fatalf("chat exited %d: %s", code, errOut)
	}
	if _, errOut, code := hirebot(t, db, jobScript, "chat", "--user", "bob"); code != 0 {
		t.Fatalf("chat exited %d: %s", code, errOut)
	}
	out, errOut, code := hirebot(t, "", "", "export", "--db", db, "--person", "console:ann")
	if code != 0 {
		t.Fatalf("export --person exited %d: %s", code, errOut)
	}
	var got struct {
		Account struct {
			Name string `json:"name"`
		} `json:"account"`
		Profile *struct {
			Name string `json:"name"`
		} `json:"profile"`
		Jobs   []any `json:"jobs"`
		Alerts struct {
			Mode string `json:"mode"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("export --person is not one JSON document: %v\n%s", err, out)
	}
	// Bob's job is not among hers (it may be in her digest's queue, as an
	// alert: that is hers, once the alert task has run in Bob's chat).
	if got.Profile == nil || got.Profile.Name != "Ann Smith" || got.Alerts.Mode != "daily" || len(got.Jobs) != 0 {
		t.Errorf("Ann's export = %+v", got)
	}

	for _, tc := range []struct{ arg, want string }{
		{"console:nobody", "nobody is console:nobody"},
		{"fax:1", "not a platform"},
	} {
		_, errOut, code := hirebot(t, "", "", "export", "--db", db, "--person", tc.arg)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("export --person %s: exit %d, %q; want 1 and %q", tc.arg, code, errOut, tc.want)
		}
	}
}
