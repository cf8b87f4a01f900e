package parse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSkills(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Go", []string{"Go"}},
		{"golang, k8s and postgres", []string{"Go", "Kubernetes", "PostgreSQL"}},
		{"reactjs; node\njs", []string{"React", "Node.js", "JavaScript"}},
		{"Go, golang, GO", []string{"Go"}},
		{"CI/CD, A/B testing", []string{"CI/CD", "A/B Testing"}},
		{"Go/Python", []string{"Go", "Python"}},
		{"Python, Django & Flask", []string{"Python", "Django", "Flask"}},
		{"- Go\n- Docker\n* Terraform", []string{"Go", "Docker", "Terraform"}},
		{"Go, and Docker.", []string{"Go", "Docker"}},
		{"Underwater basket weaving, Go", []string{"Underwater basket weaving", "Go"}},
		{"  lots   of   spaces  ", []string{"lots of spaces"}},
		{"plumber, electrician", []string{"Plumbing", "Electrical Work"}},
		{"Go, Kubernetes, PostgreSQL", []string{"Go", "Kubernetes", "PostgreSQL"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSkills(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSkills(%q) (-want +got):\n%s", tt.in, diff)
			}
			canon := ListString(got)
			if again, err := SkillsAnswer(canon, Env{}); err != nil || again != canon {
				t.Errorf("round trip of %q = %q, %v", canon, again, err)
			}
		})
	}
}

func TestParseSkillsNearMiss(t *testing.T) {
	_, err := ParseSkills("golng, Docker")
	ie := wantInputError(t, err)
	if ie.Msg != "I don't know “golng”. Did you mean Go?" {
		t.Errorf("message = %q", ie.Msg)
	}
	want := []Choice{
		{Label: "Go", Value: "Go, Docker"},
		{Label: "Keep “golng”", Value: "golng, Docker"},
	}
	if diff := cmp.Diff(want, ie.Suggest); diff != "" {
		t.Errorf("suggestions (-want +got):\n%s", diff)
	}
	// The fixed answer is canonical.
	if got, err := SkillsAnswer(ie.Suggest[0].Value, Env{}); err != nil || got != ie.Suggest[0].Value {
		t.Errorf("SkillsAnswer(%q) = %q, %v", ie.Suggest[0].Value, got, err)
	}

	_, err = ParseSkills("pyhton, kubrenetes, Go")
	ie = wantInputError(t, err)
	if ie.Msg != "I don't know “pyhton” or “kubrenetes”. Did you mean Python and Kubernetes?" {
		t.Errorf("message = %q", ie.Msg)
	}
	if ie.Suggest[0].Value != "Python, Kubernetes, Go" || ie.Suggest[1].Value != "pyhton, kubrenetes, Go" {
		t.Errorf("suggestions = %+v", ie.Suggest)
	}

	// A misspelling of a skill already listed collapses into it.
	_, err = ParseSkills("Go, golng")
	ie = wantInputError(t, err)
	if ie.Suggest[0].Value != "Go" {
		t.Errorf("fixed answer = %q, want Go", ie.Suggest[0].Value)
	}
}

func TestParseSkillsErrors(t *testing.T) {
	many := make([]string, 31)
	for i := range many {
		many[i] = fmt.Sprintf("skill number %d", i)
	}
	tests := []struct{ name, in, msg string }{
		{"empty", "", "at least one skill"},
		{"only separators", " , ; and ", "at least one skill"},
		{"too many", strings.Join(many, ", "), "top 30"},
		{"sentence", "I have been building web applications for many years now", "too long for one skill"},
		{"huge", strings.Repeat("Go, ", 2000), "a lot of text"},
		{"binary", "\x00\x01", "at least one skill"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSkills(tt.in)
			if ie := wantInputError(t, err); !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}

func TestParseSkillsAsPeopleWriteThem(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"I do figma, illustrator and some webflow", []string{"Figma", "Adobe Illustrator", "Webflow"}},
		{"a bit of Go and Postgres too", []string{"Go", "PostgreSQL"}},
		{"technical or academic writing", []string{"Technical Writing", "Academic Writing"}},
		{"vuejs3, laravel9, python-pandas", []string{"Vue.js", "Laravel", "Pandas"}},
		{"graphic designing, video editing software", []string{"Graphic Design", "Video Editing"}},
		{"localisation", []string{"Localization"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSkills(tt.in)
			if err != nil {
				t.Fatalf("ParseSkills(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSkills(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
