package parse

import (
	"strings"
	"testing"
)

func TestVocabularyData(t *testing.T) {
	v := Skills()
	if err := v.Err(); err != nil {
		t.Fatalf("skills.tsv: %v", err)
	}
	if v.Len() < 400 {
		t.Errorf("Len = %d, want at least 400 skills", v.Len())
	}
	categories := map[string]int{}
	for i, s := range v.All() {
		if s.ID != i+1 || v.ByID(s.ID).Name != s.Name {
			t.Errorf("%s: ID %d out of place at %d", s.Name, s.ID, i)
		}
		categories[s.Category]++
		for _, r := range s.Related {
			if !v.Related(s.Name, r) || !v.Related(r, s.Name) {
				t.Errorf("%s: related %q is not related both ways", s.Name, r)
			}
		}
		if got, ok := v.Lookup(s.Name); !ok || got.ID != s.ID {
			t.Errorf("Lookup(%q) = %v, %v", s.Name, got.Name, ok)
		}
		for _, a := range s.Aliases {
			if got, ok := v.Lookup(a); !ok || got.ID != s.ID {
				t.Errorf("alias %q of %s resolves to %q", a, s.Name, got.Name)
			}
		}
	}
	for _, c := range []string{"software", "data", "devops", "cloud", "design", "writing", "marketing", "sales", "admin", "finance", "video", "audio", "trades"} {
		if categories[c] == 0 {
			t.Errorf("no skills in category %q", c)
		}
	}
}

func TestParseVocabularyErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"duplicate name", "a\tGo\t\t\na\tgo\t\t", "already means"},
		{"alias of two skills", "a\tGo\tgolang\t\na\tGolang Tools\tgolang\t", "already means"},
		{"unknown related", "a\tGo\t\tRust", "not in the vocabulary"},
		{"self related", "a\tGo\t\tGo", "related to itself"},
		{"too few fields", "Go", "tab-separated"},
		{"too many fields", "a\tb\tc\td\te", "tab-separated"},
		{"missing category", "\tGo\t\t", "required"},
		{"name without letters", "a\t...\t\t", "no letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseVocabulary(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestVocabularyLookup(t *testing.T) {
	v := Skills()
	tests := []struct{ in, want string }{
		{"golang", "Go"}, {"GO", "Go"}, {"k8s", "Kubernetes"}, {"postgres", "PostgreSQL"},
		{"reactjs", "React"}, {"React.js", "React"}, {"node", "Node.js"}, {"nodejs", "Node.js"},
		{"node js", "Node.js"}, {"  (Node.js)  ", "Node.js"}, {"js", "JavaScript"},
		{"c++", "C++"}, {"C#", "C#"}, {"c", "C"}, {"ci/cd", "CI/CD"}, {"cicd", "CI/CD"},
		{"dotnet", ".NET"}, {"plumber", "Plumbing"}, {"VA", "Virtual Assistance"},
		{"premiere pro", "Adobe Premiere Pro"}, {"AI", "Artificial Intelligence"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := v.Lookup(tt.in)
			if !ok || got.Name != tt.want {
				t.Errorf("Lookup(%q) = %q, %v; want %q", tt.in, got.Name, ok, tt.want)
			}
			if c := v.Canonical(tt.in); c != tt.want {
				t.Errorf("Canonical(%q) = %q, want %q", tt.in, c, tt.want)
			}
		})
	}
	for _, in := range []string{"", "   ", "underwater basket weaving", strings.Repeat("x", 500)} {
		if got, ok := v.Lookup(in); ok {
			t.Errorf("Lookup(%q) = %q, want not found", in, got.Name)
		}
	}
	if got := v.Canonical("  Underwater Basket Weaving "); got != "Underwater Basket Weaving" {
		t.Errorf("Canonical of an unknown skill = %q", got)
	}
	if v.ByID(0).Name != "" || v.ByID(v.Len()+1).Name != "" {
		t.Error("ByID out of range returned a skill")
	}
	if !v.Related("Go", "gRPC") || !v.Related("grpc", "golang") || v.Related("Go", "Docker") || v.Related("Go", "Plumbing") || v.Related("Go", "nonsense") {
		t.Error("Related is wrong")
	}
}

func TestVocabularyClosest(t *testing.T) {
	v := Skills()
	tests := []struct{ in, want string }{
		{"golng", "Go"}, {"pyhton", "Python"}, {"kubrenetes", "Kubernetes"},
		{"javscript", "JavaScript"}, {"postgress", "PostgreSQL"}, {"Photoshp", "Adobe Photoshop"},
		{"plumbin", "Plumbing"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := v.Closest(tt.in)
			if !ok || got.Name != tt.want {
				t.Errorf("Closest(%q) = %q, %v; want %q", tt.in, got.Name, ok, tt.want)
			}
		})
	}
	for _, in := range []string{"Go", "xq", "underwater basket weaving", "zzzzzzzz", ""} {
		if got, ok := v.Closest(in); ok {
			t.Errorf("Closest(%q) = %q, want nothing", in, got.Name)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"go", "go", 0}, {"golng", "golang", 1}, {"pyhton", "python", 1},
		{"kitten", "sitting", 3}, {"ab", "ba", 1}, {"", "abc", 3}, {"ça", "ca", 1},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, 10); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := editDistance("abcdefgh", "zyxwvuts", 2); got != 3 {
		t.Errorf("over the limit: got %d, want limit+1 = 3", got)
	}
}

// A name of several words is not found by the one word left when its
// filler goes: "data" is not dbt ("data build tool"), "i" is not AI
// ("a.i.").
func TestLookupNotByFillerRemainder(t *testing.T) {
	for _, w := range []string{"data", "i", "I"} {
		if s, ok := Skills().Lookup(w); ok {
			t.Errorf("Lookup(%q) = %s, want none", w, s.Name)
		}
	}
	for w, want := range map[string]string{"data build tool": "dbt", "a.i.": "Artificial Intelligence", "graphic designs": "Graphic Design"} {
		if s, ok := Skills().Lookup(w); !ok || s.Name != want {
			t.Errorf("Lookup(%q) = %s, %v, want %s", w, s.Name, ok, want)
		}
	}
}
