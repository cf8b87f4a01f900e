package parse

import (
	"strings"
	"testing"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		min, max int
		want     string
	}{
		{"plain", "Senior Go developer", 3, 120, "Senior Go developer"},
		{"trimmed and collapsed", "  Senior \t Go   developer  ", 3, 120, "Senior Go developer"},
		{"short text joins lines", "Senior\nGo\r\ndeveloper", 3, 120, "Senior Go developer"},
		{"control characters", "Go\x00 dev\x07eloper\u202e", 3, 120, "Go developer"},
		{"invalid utf-8", "Go \xff\xfedeveloper", 3, 120, "Go developer"},
		{"long text keeps lines", "Hi!\n\n\n\nI build   things.\n  Mostly Go.  \n\n", 3, 2000, "Hi!\n\nI build things.\nMostly Go."},
		{"exactly min", "abc", 3, 10, "abc"},
		{"exactly max", "abcdefghij", 3, 10, "abcdefghij"},
		{"emoji count as one", "🙂🙂🙂", 3, 3, "🙂🙂🙂"},
		{"optional empty", "   ", 0, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseText(tt.in, tt.min, tt.max)
			if err != nil || got != tt.want {
				t.Fatalf("ParseText(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			again, err := TextAnswer(tt.min, tt.max)(got, Env{})
			if err != nil || again != got {
				t.Errorf("round trip of %q = %q, %v", got, again, err)
			}
		})
	}
	errs := []struct {
		name     string
		in       string
		min, max int
		msg      string
	}{
		{"empty", "", 3, 120, "didn't get any text"},
		{"only spaces", " \n\t ", 3, 120, "didn't get any text"},
		{"short", "ab", 3, 120, "That's a bit short — at least 3 characters, please."},
		{"long", strings.Repeat("a", 180), 3, 120, "Please keep it under 120 characters (yours has 180)."},
		{"huge", strings.Repeat("a", 1<<20), 3, 120, "Please keep it under 120 characters"},
		{"only control", "\x00\x01\x02", 1, 120, "didn't get any text"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseText(tt.in, tt.min, tt.max)
			if ie := wantInputError(t, err); !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", ie.Msg, tt.msg)
			}
		})
	}
}

func TestParseLocationInSentences(t *testing.T) {
	for in, want := range map[string]string{
		"I'm in Lisbon":                    "on-site in Lisbon",
		"remote pls, or on site in lisbon": "remote or on-site in Lisbon",
		"remote, can travel to Lisbon":     "remote or on-site in Lisbon",
		"remote only":                      "remote",
	} {
		got, err := ParseLocation(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseLocation(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
