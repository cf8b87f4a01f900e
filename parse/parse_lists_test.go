package parse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseWorkTypes(t *testing.T) {
	all := []string{"gig", "part-time", "full-time"}
	tests := []struct {
		in   string
		want []string
	}{
		{"gigs", []string{"gig"}}, {"freelance", []string{"gig"}}, {"part time", []string{"part-time"}},
		{"fulltime", []string{"full-time"}}, {"full time or freelance", []string{"gig", "full-time"}},
		{"Full-time, part-time and gigs", all}, {"any", all}, {"all", all}, {"everything", all},
		{"gig, part-time, full-time", all}, {"part-time jobs", []string{"part-time"}},
		{"half time", []string{"part-time"}}, {"gig / full-time", []string{"gig", "full-time"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseWorkTypes(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseWorkTypes(%q) (-want +got):\n%s", tt.in, diff)
			}
			canon, _ := WorkTypesAnswer(tt.in, Env{})
			if again, err := WorkTypesAnswer(canon, Env{}); err != nil || again != canon {
				t.Errorf("round trip of %q = %q, %v", canon, again, err)
			}
		})
	}
	for _, in := range []string{"", "and", "internship", "gigs and internships", strings.Repeat("gig ", 100), "\x00"} {
		if _, err := ParseWorkTypes(in); err == nil {
			t.Errorf("ParseWorkTypes(%q) accepted", in)
		} else {
			wantInputError(t, err)
		}
	}
}

func TestParseURLs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"github.com/ann", []string{"https://github.com/ann"}},
		{"https://github.com/ann https://ann.dev", []string{"https://github.com/ann", "https://ann.dev"}},
		{"https://GitHub.com/Ann, http://ann.dev/blog?x=1", []string{"https://github.com/Ann", "http://ann.dev/blog?x=1"}},
		{"<https://ann.dev>.", []string{"https://ann.dev"}},
		{"ann.dev ann.dev https://ann.dev", []string{"https://ann.dev"}},
		{"linkedin.com/in/ann-smith\nbehance.net/ann", []string{"https://linkedin.com/in/ann-smith", "https://behance.net/ann"}},
		{"https://example.com:8080/x", []string{"https://example.com:8080/x"}},
		{"münchen.de", []string{"https://m%C3%BCnchen.de"}}, // the host escaped, as net/url writes it
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseURLs(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseURLs(%q) (-want +got):\n%s", tt.in, diff)
			}
			canon := ListString(got)
			if again, err := URLsAnswer(canon, Env{}); err != nil || again != canon {
				t.Errorf("round trip of %q = %q, %v", canon, again, err)
			}
		})
	}
	errs := []struct{ name, in, msg string }{
		{"empty", "  ", "didn't find a link"},
		{"javascript", "javascript:alert(1)", "isn't a web link"},
		{"mailto", "mailto:ann@example.com", "isn't a web link"},
		{"ftp", "ftp://example.com/file", "isn't a web link"},
		{"no dot", "https://localhost/x", "web address"},
		{"numeric tld", "https://1.2.3.4/", "web address"},
		{"user info", "https://user:pw@example.com", "I can use"},
		{"too many", "a.com b.com c.com d.com e.com f.com", "at most 5"},
		{"space inside host", "https://exa mple.com", "web address"},
		{"too long", "https://example.com/" + strings.Repeat("a", 400), "too long"},
		{"huge", strings.Repeat("a.com ", 10000), "too much text"},
		{"word", "my portfolio", "didn't find a link"},
		{"control char", "https://exa\x01mple.com", "control characters"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseURLs(tt.in)
			if ie := wantInputError(t, err); !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}

func TestParseLocation(t *testing.T) {
	tests := []struct{ in, want string }{
		{"remote", "remote"}, {"Remote", "remote"}, {"anywhere", "remote"}, {"fully remote", "remote"},
		{"on-site in Berlin", "on-site in Berlin"}, {"onsite Berlin", "on-site in Berlin"},
		{"Berlin", "on-site in Berlin"}, {"berlin", "on-site in Berlin"}, {"new   york", "on-site in New York"},
		{"remote or Berlin", "remote or on-site in Berlin"}, {"hybrid, London", "remote or on-site in London"},
		{"hybrid in London", "remote or on-site in London"}, {"remote or on-site in Berlin", "remote or on-site in Berlin"},
		{"in Berlin, Germany", "on-site in Berlin"}, {"St. Louis", "on-site in St. Louis"},
		{"Frankfurt am Main", "on-site in Frankfurt am Main"}, {"São Paulo", "on-site in São Paulo"},
		{"Orlando", "on-site in Orlando"}, {"Berlin.", "on-site in Berlin"}, {"remote.", "remote"},
		{"Washington D.C.", "on-site in Washington D.C."}, {"St. Albans", "on-site in St. Albans"}, {"office in Milton Keynes", "on-site in Milton Keynes"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := LocationAnswer(tt.in, Env{})
			if err != nil || got != tt.want {
				t.Fatalf("LocationAnswer(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			l, err := ReadLocation(got)
			if err != nil || l.String() != got {
				t.Errorf("round trip of %q = %+v, %v", got, l, err)
			}
		})
	}
	errs := []struct{ name, in, msg string }{
		{"empty", "", "Remote, or which city"}, {"hybrid alone", "hybrid", "Which city"},
		{"on-site alone", "on-site", "Which city"}, {"digits", "Berlin 10115", "as a city"},
		{"symbols", "<script>", "as a city"}, {"long city", strings.Repeat("Berlin", 20), "too long"},
		{"too long", strings.Repeat("remote ", 100), "longer"}, {"one letter", "X", "as a city"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLocation(tt.in)
			if ie := wantInputError(t, err); !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}
