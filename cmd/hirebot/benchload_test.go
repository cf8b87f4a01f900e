package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/hirebot/hirebot/store/redis/redistest"
)

// TestBenchLoad runs a short load through a real hirebot serve with Redis
// sessions and the bare handler, and checks that every message was
// answered by exactly one reply. It prints figures but asserts no speed.
func TestBenchLoad(t *testing.T) {
	url := redistest.URL(t)
	var out, errOut bytes.Buffer
	e := env{RedisURL: url}
	err := runBenchLoad(context.Background(), []string{"--users", "3", "--duration", "2s", "--messages", "30"}, e, &out, &errOut)
	if err != nil {
		t.Fatalf("bench load: %v\nstderr: %s", err, errOut.String())
	}
	t.Log(out.String())
	line := regexp.MustCompile(`(?m)^round 1 (bare|hirebot) .* answered (\d+) lost (\d+) refused (\d+) posts/answer ([0-9.]+)$`)
	found := map[string]bool{}
	for _, m := range line.FindAllStringSubmatch(out.String(), -1) {
		found[m[1]] = true
		answered, _ := strconv.Atoi(m[2])
		if answered != 30 || m[3] != "0" || m[4] != "0" || m[5] != "1.00" {
			t.Errorf("%s: answered %s (want 30), lost %s, refused %s, posts/answer %s (want 1.00)", m[1], m[2], m[3], m[4], m[5])
		}
	}
	if !found["bare"] || !found["hirebot"] {
		t.Fatalf("want a line for bare and for hirebot, got:\n%s", out.String())
	}
	if !regexp.MustCompile(`hirebot/bare rate ratio +\d+%`).MatchString(out.String()) {
		t.Errorf("no ratio line:\n%s", out.String())
	}
}
