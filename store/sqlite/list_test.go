package sqlite

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestListRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		items []string
	}{
		{"nil", nil},
		{"one", []string{"Go"}},
		{"order kept", []string{"Rust", "Go", "AWS"}},
		{"empty item", []string{"", "Go", ""}},
		{"separator inside", []string{`a","b`, "c"}},
		{"quotes and backslashes", []string{`say "hi"`, `C:\dir`, `\`}},
		{"html escaped by json", []string{"<b>", "R&D"}},
		{"unicode", []string{"日本語", "ümlaut", "😀"}},
		{"brackets", []string{"[", "]", `"]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeList(encodeList(tc.items))
			if err != nil {
				t.Fatalf("decodeList(encodeList(%q)): %v", tc.items, err)
			}
			if diff := cmp.Diff(tc.items, got); diff != "" {
				t.Fatalf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzDecodeList checks the fast path of decodeList against encoding/json
// for every stored form encodeList can write.
func FuzzDecodeList(f *testing.F) {
	f.Add("Go", "Node.js", "")
	f.Add(`a","b`, `\`, `"]`)
	f.Fuzz(func(t *testing.T, a, b, c string) {
		for _, items := range [][]string{{a}, {a, b}, {a, b, c}} {
			stored := encodeList(items)
			var want []string
			if err := json.Unmarshal([]byte(stored), &want); err != nil {
				t.Fatalf("json cannot read %q: %v", stored, err)
			}
			got, err := decodeList(stored)
			if err != nil {
				t.Fatalf("decodeList(%q): %v", stored, err)
			}
			if !cmp.Equal(want, got) {
				t.Fatalf("decodeList(%q) = %q, json reads %q", stored, got, want)
			}
		}
	})
}
