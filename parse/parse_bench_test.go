package parse

import (
	"strings"
	"testing"
)

func benchAnswers(b *testing.B, p Parser, inputs ...string) {
	b.Helper()
	Skills()
	zoneData()
	env := Env{Now: parseNow}
	for _, in := range inputs {
		b.Run(benchName(in), func(b *testing.B) {
			for b.Loop() {
				_, _ = p(in, env)
			}
		})
	}
}

func benchName(in string) string {
	if len(in) > 24 {
		return in[:20] + "…"
	}
	return in
}

func BenchmarkParseRate(b *testing.B) {
	benchAnswers(b, RateAnswer, "€50 an hour", "1,200 EUR per project", "twenty bucks an hour", "5 lakh rupees per month",
		strings.Repeat("9", maxParse))
}

func BenchmarkParseBudget(b *testing.B) {
	benchAnswers(b, BudgetAnswer, "$500", "400–600 EUR fixed", "under $50 an hour", "fifteen hundred dollars", "42 KWD")
}

func BenchmarkParseDate(b *testing.B) {
	benchAnswers(b, DateAnswer, "next monday", "first of march", "Monday, Feb 18", "in 3 weeks", "October 2014", "EOM")
}

func BenchmarkParseDeadline(b *testing.B) {
	benchAnswers(b, DeadlineAnswer, "in 2 weeks", "end of month", "Dec 15", "after 5 days")
}

func BenchmarkParseYears(b *testing.B) {
	benchAnswers(b, YearsAnswer, "about 6 years", "2 years and 3 months", "a decade")
}

func BenchmarkParseHoursPerWeek(b *testing.B) {
	benchAnswers(b, HoursAnswer, "20 hrs a week", "full time", "20 hrs a week, starting next monday")
}

func BenchmarkParseTimezone(b *testing.B) {
	benchAnswers(b, TimezoneAnswer, "Lisbon", "I'm in Lisbon", "based in Ho Chi Minh City, Vietnam", "UTC-3", "Europe/Berlin", "Qwertyville")
}

func BenchmarkParseLocation(b *testing.B) {
	benchAnswers(b, LocationAnswer, "remote", "remote pls, or on site in lisbon")
}

func BenchmarkParseName(b *testing.B) {
	benchAnswers(b, NameAnswer, "I'm Maria Santos, a product designer in Lisbon")
}

func BenchmarkParseURLs(b *testing.B) {
	benchAnswers(b, URLsAnswer, "github.com/ann and my site ann.dev")
}

// BenchmarkParseSkills: a typical answer, and the worst common case: every
// item unknown, so each is compared with the whole vocabulary for near misses.
func BenchmarkParseSkills(b *testing.B) {
	benchAnswers(b, SkillsAnswer, "I do figma, illustrator and some webflow", "reactjs, nodejs, typescrpt",
		strings.TrimSuffix(strings.Repeat("underwater basket weaving, ", 30), ", "))
}

// BenchmarkParseIntent is a sentence outside a dialog.
func BenchmarkParseIntent(b *testing.B) {
	Skills()
	for _, in := range []string{"I'm hiring a react developer", "find me a go developer", "hello",
		"need someone who knows shopify to fix my store by friday", strings.Repeat("find a go dev ", 14)} {
		b.Run(benchName(in), func(b *testing.B) {
			for b.Loop() {
				ReadIntent(in)
			}
		})
	}
}
