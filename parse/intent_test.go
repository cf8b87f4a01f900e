package parse

import (
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestReadIntent(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Intent
	}{
		// The sentences of the issue.
		{"profile", Intent{Name: IntentProfile}},
		{"build my profile", Intent{Name: IntentProfile}},
		{"I'm a freelancer", Intent{Name: IntentProfile}},
		{"I want to create my freelancer profile", Intent{Name: IntentProfile}},
		{"post a job", Intent{Name: IntentPost}},
		{"I'm hiring a react developer", Intent{Name: IntentPost, Skills: []string{"React"}}},
		{"find me a go developer", Intent{Name: IntentSearch, Query: "go"}},
		{"help", Intent{Name: IntentHelp}},

		// Greetings and help, as people write them.
		{"Hi!", Intent{Name: IntentGreet}},
		{"hello there", Intent{Name: IntentGreet}},
		{"good morning", Intent{Name: IntentGreet}},
		{"?", Intent{Name: IntentHelp}},
		{"What can you do?", Intent{Name: IntentHelp}},
		{"I need help", Intent{Name: IntentHelp}},
		{"how does this work", Intent{Name: IntentHelp}},

		// Profiles.
		{"My profile", Intent{Name: IntentProfile}},
		{"show me my profile", Intent{Name: IntentProfile}},
		{"Create a profile please", Intent{Name: IntentProfile}},
		{"sign me up", Intent{Name: IntentProfile}},
		{"I'm a Go developer", Intent{Name: IntentProfile}},
		{"i am a freelance designer in Lisbon", Intent{Name: IntentProfile}},
		{"I'm a UX designer, hire me", Intent{Name: IntentProfile}},

		// Jobs to post.
		{"Hi, I'm hiring a React and Node developer for my startup", Intent{Name: IntentPost, Skills: []string{"React", "Node.js"}}},
		{"we're hiring", Intent{Name: IntentPost}},
		{"I want to hire a senior golang dev", Intent{Name: IntentPost, Skills: []string{"Go"}}},
		{"I need a logo designer", Intent{Name: IntentPost, Skills: []string{"Logo Design"}}},
		{"need someone who knows shopify to fix my store", Intent{Name: IntentPost, Skills: []string{"Shopify"}}},
		{"hiring a ruby on rails developer by Friday", Intent{Name: IntentPost, Skills: []string{"Ruby on Rails"}}},
		{"can I post a gig?", Intent{Name: IntentPost}},
		{"I have a project for a translator", Intent{Name: IntentPost, Skills: []string{"Translation"}}},
		{"hire a postgres expert", Intent{Name: IntentPost, Skills: []string{"PostgreSQL"}}},

		// Searches.
		{"Find me a designer", Intent{Name: IntentSearch, Query: "designer"}},
		{"looking for a react native developer in Berlin", Intent{Name: IntentSearch, Query: "react native"}},
		{"search for postgres experts", Intent{Name: IntentSearch, Query: "postgres"}},
		{"can you help me find someone who knows kubernetes?", Intent{Name: IntentSearch, Query: "Kubernetes"}},
		{"show me go developers", Intent{Name: IntentSearch, Query: "go"}},
		{"find someone", Intent{Name: IntentSearch}},
		{"find freelancers", Intent{Name: IntentSearch}},
		{"show me freelancers who know figma", Intent{Name: IntentSearch, Query: "Figma"}},
		{"I need an illustrator for a children's book", Intent{Name: IntentPost}},
		{"i need a web developer with experience in wordpress and woocommerce", Intent{Name: IntentPost, Skills: []string{"WordPress", "WooCommerce"}}},
		{"I'm a recruiter", Intent{Name: IntentPost}},
		{"hiring a data engineer", Intent{Name: IntentPost}},

		// Work for a freelancer.
		{"any gigs for me?", Intent{Name: IntentJobs}},
		{"jobs", Intent{Name: IntentJobs}},
		{"I'm looking for work", Intent{Name: IntentJobs}},
		{"I'm a freelancer looking for work", Intent{Name: IntentJobs}},
		{"find me some freelance projects", Intent{Name: IntentJobs}},
		{"look for go jobs", Intent{Name: IntentJobs}},

		// Nothing asked.
		{"", Intent{}},
		{"thanks", Intent{}},
		{"react, node", Intent{Name: IntentSearch, Query: "react node"}},
		{"senior golang developer", Intent{Name: IntentSearch, Query: "golang"}},
		{"react is nice", Intent{}},
		{"I'm Maria", Intent{}},
		{"what's the weather like", Intent{}},
		{"postgres is great", Intent{}},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ReadIntent(tt.in), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ReadIntent(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// FuzzReadIntent: whatever the sentence, ReadIntent names a known intent,
// its skills are the vocabulary's names, and it reads the same sentence the
// same way every time.
func FuzzReadIntent(f *testing.F) {
	seeds(f, "I'm hiring a react developer", "find me a go developer", "build my profile", "help", "hi, post a job",
		"need someone who knows shopify to fix my store", "show me freelancers who know figma", "I'm a freelancer, hire me",
		"any gigs for me?", "find, , ,", "hire a ruby on rails , , dev")
	known := map[string]bool{IntentNone: true, IntentGreet: true, IntentHelp: true, IntentProfile: true,
		IntentPost: true, IntentSearch: true, IntentJobs: true}
	f.Fuzz(func(t *testing.T, in string) {
		got := ReadIntent(in)
		if !known[got.Name] {
			t.Fatalf("%q: unknown intent %q", in, got.Name)
		}
		if got.Name != IntentPost && len(got.Skills) > 0 || got.Name != IntentSearch && got.Query != "" {
			t.Fatalf("%q: %+v carries what its intent does not use", in, got)
		}
		for _, sk := range got.Skills {
			if s, ok := Skills().Lookup(sk); !ok || s.Name != sk {
				t.Fatalf("%q: skill %q is not a vocabulary name", in, sk)
			}
		}
		if !utf8.ValidString(got.Query) || len(got.Query) > len(in)+2*maxSkillLen*maxSkills {
			t.Fatalf("%q: query %q", in, got.Query)
		}
		if again := ReadIntent(in); !cmp.Equal(again, got) {
			t.Fatalf("%q: read as %+v, then %+v", in, got, again)
		}
	})
}
