// Package bench is hirebot's load tool: it generates realistic synthetic
// profiles and jobs, builds the match index, runs match and search queries
// and prints how fast they were (`hirebot bench`). It prints figures and
// asserts nothing.
package bench

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// Generator makes deterministic synthetic profiles, jobs and searches: the
// same seed gives the same data. Skills come from hirebot's vocabulary and
// cluster the way people's do: most of a person's skills come from one
// field, popular skills (earlier in each field) are much more common, and
// some people add a skill from another field.
type Generator struct {
	seed       uint64
	now        time.Time
	categories []category
	weights    []float64 // cumulative, by category
	rates      bot.Currencies
	// Text adds a headline and a bio to profiles (for text search); without
	// it profiles carry no text, which is all the match index needs.
	Text bool
}

type category struct {
	name   string
	skills []string
	cum    []float64 // cumulative Zipf-like weights over skills
}

var (
	zones = []string{
		"Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw", "Europe/Kyiv",
		"America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "America/Mexico_City",
		"Asia/Kolkata", "Asia/Manila", "Asia/Tokyo", "Asia/Singapore", "Africa/Lagos", "Africa/Nairobi",
		"Australia/Sydney", "Asia/Karachi", "Europe/Istanbul",
	}
	currencies = []string{"USD", "USD", "USD", "EUR", "EUR", "GBP", "INR", "PLN", "BRL", "CAD"}
	workTypes  = [][]string{{bot.WorkGig}, {bot.WorkGig, bot.WorkPartTime}, {bot.WorkPartTime}, {bot.WorkFullTime}, {bot.WorkGig, bot.WorkPartTime, bot.WorkFullTime}}
	cities     = []string{"Berlin", "London", "Lisbon", "Warsaw", "New York", "Austin", "Bangalore", "Manila", "Lagos", "São Paulo"}
	words      = strings.Fields(`reliable fast friendly senior junior freelance remote startup agency enterprise
		ecommerce fintech healthcare education travel logistics marketplace saas mobile web backend frontend
		fullstack dashboards integrations migrations automation analytics reporting branding campaigns content
		newsletters onboarding payments checkout search performance accessibility security testing documentation
		mentoring product design research strategy growth support maintenance refactoring scaling cloud data`)
	roles = []string{"developer", "engineer", "designer", "writer", "consultant", "specialist", "expert", "freelancer"}
)

// NewGenerator returns a generator for the seed; now anchors availability
// dates and deadlines.
func NewGenerator(seed uint64, now time.Time) *Generator {
	g := &Generator{seed: seed, now: now, rates: bot.DefaultCurrencies()}
	byName := map[string]int{}
	for _, s := range parse.Skills().All() {
		i, ok := byName[s.Category]
		if !ok {
			i = len(g.categories)
			byName[s.Category] = i
			g.categories = append(g.categories, category{name: s.Category})
		}
		c := &g.categories[i]
		c.skills = append(c.skills, s.Name)
		w := 1 / math.Pow(float64(len(c.skills)), 0.9)
		if n := len(c.cum); n > 0 {
			w += c.cum[n-1]
		}
		c.cum = append(c.cum, w)
	}
	total := 0.0
	for _, c := range g.categories {
		// Fields are as common as they are broad, a bit flattened.
		total += math.Sqrt(float64(len(c.skills)))
		g.weights = append(g.weights, total)
	}
	return g
}

func (g *Generator) rng(kind, id uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^kind*0x9e3779b97f4a7c15, id))
}

func pick(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (g *Generator) category(r *rand.Rand) *category { return &g.categories[pick(r, g.weights)] }

func (g *Generator) skills(r *rand.Rand, n int) []string {
	c := g.category(r)
	out := make([]string, 0, n)
	for len(out) < n {
		from := c
		if r.IntN(6) == 0 {
			from = g.category(r)
		}
		s := from.skills[pick(r, from.cum)]
		dup := false
		for _, x := range out {
			dup = dup || x == s
		}
		if !dup {
			out = append(out, s)
		} else if r.IntN(4) == 0 {
			break // a small field runs out of distinct skills
		}
	}
	return out
}

// Profile returns the published profile of account id.
func (g *Generator) Profile(id int64) bot.Profile {
	r := g.rng(1, uint64(id))
	skills := g.skills(r, 2+r.IntN(7))
	cur := currencies[r.IntN(len(currencies))]
	usd := 15 + r.ExpFloat64()*35
	per := g.rates[cur]
	rate := parse.Rate{Amount: math.Round(usd * per), Currency: cur, Unit: parse.PerHour}
	switch r.IntN(10) {
	case 0:
		rate.Amount, rate.Unit = math.Round(usd*per*8), parse.PerDay
	case 1:
		rate.Amount, rate.Unit = math.Round(usd*per*40), parse.PerProject
	}
	from := g.now
	if r.IntN(3) == 0 {
		from = g.now.AddDate(0, 0, r.IntN(90))
	}
	p := bot.Profile{
		AccountID:       id,
		Name:            "Person " + itoa(id),
		Skills:          skills,
		YearsExperience: r.IntN(20),
		Rate:            rate,
		Availability:    bot.Availability{HoursPerWeek: []int{5, 10, 20, 20, 30, 40}[r.IntN(6)], AvailableFrom: from.Truncate(24 * time.Hour)},
		Timezone:        zones[r.IntN(len(zones))],
		WorkTypes:       workTypes[r.IntN(len(workTypes))],
		Location:        parse.Location{Remote: r.IntN(5) != 0},
		Status:          bot.ProfilePublished,
	}
	if !p.Location.Remote || r.IntN(4) == 0 {
		p.Location.City = cities[r.IntN(len(cities))]
	}
	if g.Text {
		p.Headline = skills[0] + " " + roles[r.IntN(len(roles))] + " for " + words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
		var b strings.Builder
		for i := range 12 + r.IntN(20) {
			if i > 0 {
				b.WriteByte(' ')
			}
			if r.IntN(8) == 0 {
				b.WriteString(skills[r.IntN(len(skills))])
			} else {
				b.WriteString(words[r.IntN(len(words))])
			}
		}
		p.Bio = b.String()
	}
	return p
}

// Job returns an open job.
func (g *Generator) Job(id int64) bot.Job {
	r := g.rng(2, uint64(id))
	j := bot.Job{
		ID:          id,
		Title:       "Job " + itoa(id),
		Description: "Synthetic job",
		Skills:      g.skills(r, 1+r.IntN(4)),
		Location:    parse.Location{Remote: r.IntN(6) != 0},
		Status:      bot.JobOpen,
	}
	if !j.Location.Remote {
		j.Location.City = cities[r.IntN(len(cities))]
	}
	lo := float64(20 + r.IntN(60))
	if r.IntN(2) == 0 {
		j.Budget = parse.Budget{Min: lo, Max: lo + float64(10+r.IntN(40)), Currency: "USD", Unit: parse.BudgetHourly}
	} else {
		total := lo * float64(20+r.IntN(100))
		j.Budget = parse.Budget{Min: total, Max: total, Currency: "USD", Unit: parse.BudgetFixed}
	}
	if r.IntN(4) != 0 {
		j.Deadline = g.now.AddDate(0, 0, 7+r.IntN(60)).Truncate(24 * time.Hour)
	}
	if r.IntN(2) == 0 {
		j.Timezone = zones[r.IntN(len(zones))]
	}
	return j
}

// Search returns the text of a /search an employer might type: skill
// words and filters, and, when text is true, free-text words as well.
func (g *Generator) Search(i int, text bool) string {
	r := g.rng(3, uint64(i))
	c := g.category(r)
	parts := []string{strings.ToLower(c.skills[pick(r, c.cum)])}
	if r.IntN(2) == 0 {
		parts = append(parts, strings.ToLower(c.skills[pick(r, c.cum)]))
	}
	if text {
		parts = append(parts, words[r.IntN(len(words))])
	}
	if r.IntN(2) == 0 {
		parts = append(parts, "rate<"+itoa(int64(30+r.IntN(60))))
	}
	switch r.IntN(4) {
	case 0:
		parts = append(parts, "tz:"+zones[r.IntN(len(zones))])
	case 1:
		parts = append(parts, "tz:+0..+3")
	}
	if r.IntN(3) == 0 {
		parts = append(parts, "available")
	}
	if r.IntN(4) == 0 {
		parts = append(parts, "remote")
	}
	return strings.Join(parts, " ")
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
