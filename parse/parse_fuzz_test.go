package parse

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzAnswer checks the rules every answer parser keeps, whatever the
// input: no panic; failures are *InputError with a message; suggestions are
// canonical answers; a canonical answer parses to itself.
func fuzzAnswer(t *testing.T, p Parser, in string, checkSuggest bool) string {
	env := Env{Now: parseNow}
	out, err := p(in, env)
	if err != nil {
		ie, ok := AsInputError(err)
		if !ok || ie.Msg == "" {
			t.Fatalf("%q: error %v (%T) is not an InputError with a message", in, err, err)
		}
		if checkSuggest {
			for _, c := range ie.Suggest {
				if got, err := p(c.Value, env); err != nil || got != c.Value {
					t.Fatalf("%q: suggestion %q is not canonical: %q, %v", in, c.Value, got, err)
				}
			}
		}
		return ""
	}
	if !utf8.ValidString(out) {
		t.Fatalf("%q: output %q is not UTF-8", in, out)
	}
	again, err := p(out, env)
	if err != nil || again != out {
		t.Fatalf("%q: canonical %q parses to %q, %v", in, out, again, err)
	}
	return out
}

func seeds(f *testing.F, in ...string) {
	for _, s := range in {
		f.Add(s)
	}
	f.Add("")
	f.Add("\x00\xff\xfe")
	f.Add(strings.Repeat("9", 300))
}

func FuzzRate(f *testing.F) {
	seeds(f, "$45/h", "45 USD per hour", "€60/hr", "400 a day", "£35 hourly", "50 bucks an hour",
		"1,200 EUR per project", "45k", "CHF 100 per day", "₹1500/hour", "-45/h", "45,50 €/h")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, RateAnswer, in, true); out != "" {
			r, err := ReadRate(out)
			if err != nil || r.Amount <= 0 || r.Amount > maxAmount || r.String() != out {
				t.Fatalf("%q: rate %+v out of bounds (%v)", in, r, err)
			}
		}
	})
}

func FuzzBudget(f *testing.F) {
	seeds(f, "$500", "500-800 EUR", "€500 to €800 fixed", "$30-60/h", "30–60 USD/hour", "up to $50/hour", "$2k")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, BudgetAnswer, in, true); out != "" {
			b, err := ReadBudget(out)
			if err != nil || b.Min < 0 || b.Max <= 0 || b.Min > b.Max || b.Max > maxAmount {
				t.Fatalf("%q: budget %+v out of bounds (%v)", in, b, err)
			}
		}
	})
}

func fuzzDate(f *testing.F, p Parser, deadline bool) {
	seeds(f, "asap", "tomorrow", "next Monday", "from next Monday", "starting March 3", "3 March",
		"Mar 3rd", "2026-12-01", "Dec 1, 2026", "in 2 weeks", "2 weeks", "end of next week", "5/6", "by Friday")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, p, in, true); out != "" {
			d, err := ReadDate(out)
			t0 := today(parseNow)
			if err != nil || d.Before(t0) || (deadline && !d.After(t0)) || d.After(t0.AddDate(maxAheadYears, 0, 0)) {
				t.Fatalf("%q: date %s out of bounds (%v)", in, out, err)
			}
		}
	})
}

func FuzzDate(f *testing.F) { fuzzDate(f, DateAnswer, false) }

func FuzzDeadline(f *testing.F) { fuzzDate(f, DeadlineAnswer, true) }

func FuzzHours(f *testing.F) {
	seeds(f, "20 hours a week", "20h/week", "full time", "part-time", "twenty-five", "20-30")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, HoursAnswer, in, true); out != "" {
			h, err := ReadHours(out)
			if err != nil || h < 1 || h > maxHoursPerWeek {
				t.Fatalf("%q: hours %q out of bounds (%v)", in, out, err)
			}
		}
	})
}

func FuzzYears(f *testing.F) {
	seeds(f, "5", "5 years", "10+", "five", "half a year", "less than a year", "18 months")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, YearsAnswer, in, true); out != "" {
			y, err := ParseYears(out)
			if err != nil || y < 0 || y > maxYears {
				t.Fatalf("%q: years %q out of bounds (%v)", in, out, err)
			}
		}
	})
}

func FuzzTimezone(f *testing.F) {
	seeds(f, "Berlin", "UTC+2", "GMT-5", "UTC+5:30", "europe/london", "NYC", "PST", "Japan", "Berln", "United States")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, TimezoneAnswer, in, true); out != "" {
			if _, err := time.LoadLocation(out); err != nil {
				t.Fatalf("%q: zone %q does not load: %v", in, out, err)
			}
		}
	})
}

func FuzzSkills(f *testing.F) {
	seeds(f, "golang, k8s and postgres", "CI/CD, A/B testing", "Go/Python", "golng", "- Go\n- Docker", "Go, and")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSkills(in)
		if err != nil {
			if _, ok := AsInputError(err); !ok {
				t.Fatalf("%q: error %v is not an InputError", in, err)
			}
			return
		}
		if len(s) == 0 || len(s) > maxSkills {
			t.Fatalf("%q: %d skills", in, len(s))
		}
		allKnown := true
		for _, x := range s {
			if x == "" || utf8.RuneCountInString(x) > maxSkillLen || strings.Contains(x, ", ") {
				t.Fatalf("%q: bad skill %q", in, x)
			}
			if _, ok := Skills().Lookup(x); !ok {
				allKnown = false
			}
		}
		if allKnown {
			fuzzAnswer(t, SkillsAnswer, in, false)
		}
	})
}

func FuzzURLs(f *testing.F) {
	seeds(f, "github.com/ann", "https://ann.dev, http://x.org/a?b=c#d", "javascript:alert(1)", "münchen.de", "a.com:99/%zz")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, URLsAnswer, in, true); out != "" {
			us := SplitList(out)
			if len(us) == 0 || len(us) > maxURLs {
				t.Fatalf("%q: %d links", in, len(us))
			}
			for _, u := range us {
				if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
					t.Fatalf("%q: link %q", in, u)
				}
			}
		}
	})
}

func FuzzWorkTypes(f *testing.F) {
	seeds(f, "gigs", "freelance", "part time", "fulltime", "any", "full time or freelance")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, WorkTypesAnswer, in, true); out != "" {
			for _, w := range SplitList(out) {
				if w != WorkGig && w != WorkPartTime && w != WorkFullTime {
					t.Fatalf("%q: work type %q", in, w)
				}
			}
		}
	})
}

func FuzzLocation(f *testing.F) {
	seeds(f, "remote", "anywhere", "on-site in Berlin", "onsite Berlin", "Berlin", "remote or Berlin", "hybrid, London", "St. Louis")
	f.Fuzz(func(t *testing.T, in string) {
		if out := fuzzAnswer(t, LocationAnswer, in, true); out != "" {
			l, err := ReadLocation(out)
			if err != nil || utf8.RuneCountInString(l.City) > maxCityLen || (!l.Remote && l.City == "") {
				t.Fatalf("%q: location %+v (%v)", in, l, err)
			}
		}
	})
}

func FuzzText(f *testing.F) {
	seeds(f, "Senior Go developer", "  a \t b \n\n\n c  ", "\u202eabc", "ab")
	f.Fuzz(func(t *testing.T, in string) {
		for _, lim := range [][2]int{{3, 120}, {0, 2000}} {
			if out := fuzzAnswer(t, TextAnswer(lim[0], lim[1]), in, true); out != "" {
				if n := utf8.RuneCountInString(out); n < lim[0] || n > lim[1] {
					t.Fatalf("%q: %d characters outside %v", in, n, lim)
				}
			}
		}
	})
}
