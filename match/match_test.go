package match

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// testNow is a Friday in late November: Berlin is UTC+1, New York UTC-5.
var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// testVocab is a small vocabulary whose relations the tests control.
type testVocab struct{ skills []parse.Skill }

func newTestVocab() *testVocab {
	return &testVocab{skills: []parse.Skill{
		{ID: 1, Name: "Go", Aliases: []string{"golang"}},
		{ID: 2, Name: "PostgreSQL", Aliases: []string{"postgres"}, Related: []string{"MySQL"}},
		{ID: 3, Name: "MySQL", Related: []string{"PostgreSQL"}},
		{ID: 4, Name: "Docker"},
		{ID: 5, Name: "Python"},
		{ID: 6, Name: "JavaScript", Aliases: []string{"js"}, Related: []string{"React"}},
		{ID: 7, Name: "React", Aliases: []string{"reactjs"}, Related: []string{"JavaScript"}},
		{ID: 8, Name: "Machine Learning", Aliases: []string{"ml"}},
	}}
}

func (v *testVocab) Lookup(word string) (parse.Skill, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, s := range v.skills {
		if strings.ToLower(s.Name) == w {
			return s, true
		}
		for _, a := range s.Aliases {
			if a == w {
				return s, true
			}
		}
	}
	return parse.Skill{}, false
}

func (v *testVocab) All() []parse.Skill { return v.skills }

func (v *testVocab) Related(a, b string) bool {
	sa, ok1 := v.Lookup(a)
	sb, ok2 := v.Lookup(b)
	if !ok1 || !ok2 {
		return false
	}
	for _, r := range sa.Related {
		if r == sb.Name {
			return true
		}
	}
	for _, r := range sb.Related {
		if r == sa.Name {
			return true
		}
	}
	return false
}

func newTestIndex(tb testing.TB, signals ...Signal) *Index {
	tb.Helper()
	return NewIndex(IndexConfig{Now: func() time.Time { return testNow }, Skills: newTestVocab(), Signals: signals})
}

func profile(id int64, skills []string, rate parse.Rate, hours int, from time.Time, tz string) bot.Profile {
	return bot.Profile{
		AccountID:    id,
		Name:         "P" + strconv.FormatInt(id, 10),
		Skills:       skills,
		Rate:         rate,
		Availability: bot.Availability{HoursPerWeek: hours, AvailableFrom: from},
		Timezone:     tz,
		WorkTypes:    []string{bot.WorkGig},
		Location:     parse.Location{Remote: true},
		Status:       bot.ProfilePublished,
	}
}

func usdHour(v float64) parse.Rate {
	return parse.Rate{Amount: v, Currency: "USD", Unit: parse.PerHour}
}

func TestMatchJobRanking(t *testing.T) {
	ix := newTestIndex(t)
	for _, p := range []bot.Profile{
		profile(1, []string{"Go", "PostgreSQL", "Docker"}, usdHour(45), 20, date(2026, 12, 1), "Europe/Berlin"),
		profile(2, []string{"golang", "MySQL"}, parse.Rate{Amount: 40, Currency: "EUR", Unit: "hour"}, 40, date(2026, 11, 1), "America/New_York"),
		profile(3, []string{"Python"}, usdHour(30), 40, time.Time{}, "Europe/Berlin"),
		profile(4, []string{"Go", "PostgreSQL", "Docker", "kubernetes"}, usdHour(90), 40, time.Time{}, "Europe/Lisbon"),
		func() bot.Profile {
			p := profile(5, []string{"Go", "PostgreSQL", "Docker", "Kubernetes"}, usdHour(40), 40, time.Time{}, "Europe/Berlin")
			p.Status = bot.ProfilePaused
			return p
		}(),
		profile(6, []string{"Go", "postgres", "Docker", "Kubernetes"}, usdHour(50), 40, time.Time{}, "Europe/Berlin"),
	} {
		ix.Put(p)
	}
	job := bot.Job{
		ID: 1, Title: "API", Skills: []string{"Go", "PostgreSQL", "Docker", "Kubernetes"},
		Budget:   parse.Budget{Min: 30, Max: 60, Currency: "USD", Unit: parse.BudgetHourly},
		Deadline: date(2027, 1, 29), Timezone: "Europe/Berlin", Location: parse.Location{Remote: true}, Status: bot.JobOpen,
	}
	got := ix.MatchJob(job, 10)
	type row struct {
		ID     int64
		Reason string
	}
	var rows []row
	for _, m := range got {
		rows = append(rows, row{m.AccountID, m.Reason})
	}
	want := []row{
		{6, "4 of 4 skills (Go, PostgreSQL, Docker, Kubernetes), $50/h within $30–60, 40 h/week now, 8 h overlap with Berlin"},
		{1, "3 of 4 skills (Go, PostgreSQL, Docker), $45/h within $30–60, 20 h/week from Dec 1, 8 h overlap with Berlin"},
		{4, "4 of 4 skills (Go, PostgreSQL, Docker, Kubernetes), $90/h over $30–60, 40 h/week now, 7 h overlap with Berlin"},
		{2, "1 of 4 skills (Go), MySQL (related to PostgreSQL), $43.48/h within $30–60, 40 h/week now, 2 h overlap with Berlin"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("ranking (-want +got):\n%s", diff)
	}
	if got[0].Score != 1 {
		t.Errorf("a perfect match scores %v, want 1", got[0].Score)
	}
	if top := ix.MatchJob(job, 2); len(top) != 2 || top[0].AccountID != 6 || top[1].AccountID != 1 {
		t.Errorf("limit 2 = %+v, want accounts 6, 1", top)
	}
}

func TestMatchReasons(t *testing.T) {
	base := bot.Job{ID: 1, Title: "Job", Skills: []string{"Go"}, Status: bot.JobOpen, Location: parse.Location{Remote: true}}
	goer := func(mod func(*bot.Profile)) bot.Profile {
		p := profile(1, []string{"Go"}, usdHour(40), 10, time.Time{}, "")
		if mod != nil {
			mod(&p)
		}
		return p
	}
	tests := []struct {
		name    string
		job     func(*bot.Job)
		profile bot.Profile
		want    string // "" means the profile must not appear
	}{
		{"no budget shows the rate", nil, goer(nil), "1 of 1 skill (Go), $40/h, 10 h/week now"},
		{"no rate given", func(j *bot.Job) { j.Budget = parse.Budget{Min: 30, Max: 50, Currency: "USD", Unit: "hour"} },
			goer(func(p *bot.Profile) { p.Rate = parse.Rate{} }), "1 of 1 skill (Go), no rate given, 10 h/week now"},
		{"under the budget", func(j *bot.Job) { j.Budget = parse.Budget{Min: 50, Max: 70, Currency: "USD", Unit: "hour"} },
			goer(nil), "1 of 1 skill (Go), $40/h under $50–70, 10 h/week now"},
		{"single amount budget", func(j *bot.Job) { j.Budget = parse.Budget{Min: 40, Max: 40, Currency: "USD", Unit: "hour"} },
			goer(nil), "1 of 1 skill (Go), $40/h within $40, 10 h/week now"},
		{"day rate in euros against an euro budget", func(j *bot.Job) { j.Budget = parse.Budget{Min: 40, Max: 60, Currency: "EUR", Unit: "hour"} },
			goer(func(p *bot.Profile) { p.Rate = parse.Rate{Amount: 400, Currency: "EUR", Unit: "day"} }),
			"1 of 1 skill (Go), €50/h within €40–60, 10 h/week now"},
		{"fixed budget and deadline give an hourly ceiling", func(j *bot.Job) {
			j.Budget = parse.Budget{Min: 2000, Max: 2000, Currency: "USD", Unit: "fixed"}
			j.Deadline = date(2026, 12, 31)
		}, goer(nil), "1 of 1 skill (Go), $40/h over $2000 fixed (60 h to the deadline), 10 h/week now"},
		{"fixed budget within the ceiling", func(j *bot.Job) {
			j.Budget = parse.Budget{Min: 2000, Max: 2000, Currency: "USD", Unit: "fixed"}
			j.Deadline = date(2026, 12, 31)
		}, goer(func(p *bot.Profile) { p.Rate = usdHour(30) }), "1 of 1 skill (Go), $30/h within $2000 fixed (60 h to the deadline), 10 h/week now"},
		{"fixed budget without a deadline", func(j *bot.Job) { j.Budget = parse.Budget{Min: 2000, Max: 2000, Currency: "USD", Unit: "fixed"} },
			goer(nil), "1 of 1 skill (Go), $40/h vs $2000 fixed, 10 h/week now"},
		{"project rate against a fixed budget", func(j *bot.Job) { j.Budget = parse.Budget{Min: 1000, Max: 2000, Currency: "USD", Unit: "fixed"} },
			goer(func(p *bot.Profile) { p.Rate = parse.Rate{Amount: 1500, Currency: "USD", Unit: "project"} }),
			"1 of 1 skill (Go), $1500 per project within $1000–2000 fixed, 10 h/week now"},
		{"project rate against an hourly budget", func(j *bot.Job) { j.Budget = parse.Budget{Min: 30, Max: 60, Currency: "USD", Unit: "hour"} },
			goer(func(p *bot.Profile) { p.Rate = parse.Rate{Amount: 1500, Currency: "USD", Unit: "project"} }),
			"1 of 1 skill (Go), $1500 per project vs $30–60/h, 10 h/week now"},
		{"available after the deadline", func(j *bot.Job) { j.Deadline = date(2027, 1, 15) },
			goer(func(p *bot.Profile) { p.Availability.AvailableFrom = date(2027, 2, 1) }), "1 of 1 skill (Go), $40/h, available Feb 1, 2027, after the deadline"},
		{"no hours", nil, goer(func(p *bot.Profile) { p.Availability.HoursPerWeek = 0 }), "1 of 1 skill (Go), $40/h, no hours available"},
		{"time zone unknown", func(j *bot.Job) { j.Timezone = "Europe/Berlin" }, goer(nil), "1 of 1 skill (Go), $40/h, 10 h/week now, time zone unknown"},
		{"half-hour offsets", func(j *bot.Job) { j.Timezone = "Europe/Berlin" },
			goer(func(p *bot.Profile) { p.Timezone = "Asia/Kolkata" }), "1 of 1 skill (Go), $40/h, 10 h/week now, 3.5 h overlap with Berlin"},
		{"no overlap across the world", func(j *bot.Job) { j.Timezone = "America/Los_Angeles" },
			goer(func(p *bot.Profile) { p.Timezone = "Asia/Tokyo" }), "1 of 1 skill (Go), $40/h, 10 h/week now, 1 h overlap with Los Angeles"},
		{"fixed offset zone", func(j *bot.Job) { j.Timezone = "UTC+2" },
			goer(func(p *bot.Profile) { p.Timezone = "Europe/Berlin" }), "1 of 1 skill (Go), $40/h, 10 h/week now, 7 h overlap with UTC+2"},
		{"on site in the same city", func(j *bot.Job) { j.Location = parse.Location{City: "Berlin"} },
			goer(func(p *bot.Profile) { p.Location = parse.Location{City: "berlin"} }), "1 of 1 skill (Go), on-site in Berlin, $40/h, 10 h/week now"},
		{"on site elsewhere", func(j *bot.Job) { j.Location = parse.Location{City: "Berlin"} },
			goer(func(p *bot.Profile) { p.Location = parse.Location{Remote: true, City: "Paris"} }), ""},
		{"related skill counts partly", func(j *bot.Job) { j.Skills = []string{"JavaScript", "Docker"} },
			goer(func(p *bot.Profile) { p.Skills = []string{"reactjs"} }), "0 of 2 skills, React (related to JavaScript), $40/h, 10 h/week now"},
		{"unknown skills match by name", func(j *bot.Job) { j.Skills = []string{"Ansible", "Go"} },
			goer(func(p *bot.Profile) { p.Skills = []string{"ANSIBLE"} }), "1 of 2 skills (Ansible), $40/h, 10 h/week now"},
		{"no shared skill", func(j *bot.Job) { j.Skills = []string{"Python"} }, goer(nil), ""},
		{"a job without skills takes anyone", func(j *bot.Job) { j.Skills = nil }, goer(nil), "$40/h, 10 h/week now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newTestIndex(t)
			ix.Put(tt.profile)
			j := base
			if tt.job != nil {
				tt.job(&j)
			}
			got := ix.MatchJob(j, 5)
			if tt.want == "" {
				if len(got) != 0 {
					t.Fatalf("MatchJob = %+v, want nothing", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("MatchJob = %+v, want one match", got)
			}
			if got[0].Reason != tt.want {
				t.Errorf("reason\n got %q\nwant %q", got[0].Reason, tt.want)
			}
			// The other direction explains itself the same way.
			ix.PutJob(j)
			jm := ix.MatchProfile(tt.profile, 5)
			if len(jm) != 1 || jm[0].Reason != tt.want || jm[0].Score != got[0].Score {
				t.Errorf("MatchProfile = %+v, want the same score and reason as %+v", jm, got[0])
			}
		})
	}
}

// TestScoreParts checks that the numbers in a reason are the numbers in the
// score: each component moves the score by its weight.
func TestScoreParts(t *testing.T) {
	job := bot.Job{ID: 1, Skills: []string{"Go", "Docker"}, Status: bot.JobOpen, Timezone: "Europe/Berlin",
		Budget: parse.Budget{Min: 30, Max: 60, Currency: "USD", Unit: "hour"}}
	tests := []struct {
		name string
		p    bot.Profile
		want float64
	}{
		{"everything", profile(1, []string{"Go", "Docker"}, usdHour(50), 20, time.Time{}, "Europe/Berlin"), 1},
		{"half the skills", profile(1, []string{"Go"}, usdHour(50), 20, time.Time{}, "Europe/Berlin"), 1 - WeightSkills/2},
		{"half the hours", profile(1, []string{"Go", "Docker"}, usdHour(50), 10, time.Time{}, "Europe/Berlin"), 1 - WeightAvailability/2},
		{"25% over budget", profile(1, []string{"Go", "Docker"}, usdHour(75), 20, time.Time{}, "Europe/Berlin"), 1 - WeightRate/2},
		{"4 h apart", profile(1, []string{"Go", "Docker"}, usdHour(50), 20, time.Time{}, "America/Sao_Paulo"), 1 - WeightTimezone/2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newTestIndex(t)
			ix.Put(tt.p)
			got := ix.MatchJob(job, 1)
			if len(got) != 1 {
				t.Fatalf("MatchJob = %+v", got)
			}
			if d := got[0].Score - tt.want; d > 1e-9 || d < -1e-9 {
				t.Errorf("score = %v, want %v (%s)", got[0].Score, tt.want, got[0].Reason)
			}
		})
	}
}

type fixedSignal struct {
	account int64
	value   float64
	phrase  string
}

func (s fixedSignal) Term(accountID int64, _ *bot.Job) (float64, string) {
	if accountID != s.account {
		return 0, ""
	}
	return s.value, s.phrase
}

func TestSignals(t *testing.T) {
	ix := newTestIndex(t, fixedSignal{account: 2, value: 5, phrase: "4.9★ from 12 reviews"}, fixedSignal{account: 1, value: -0.5, phrase: "no answer to “still available?”"})
	ix.Put(profile(1, []string{"Go"}, usdHour(40), 20, time.Time{}, ""))
	ix.Put(profile(2, []string{"Go"}, usdHour(40), 20, time.Time{}, ""))
	ix.Put(profile(3, []string{"Go"}, usdHour(40), 20, time.Time{}, ""))
	got := ix.MatchJob(bot.Job{Skills: []string{"Go"}}, 5)
	want := []Match{
		{AccountID: 2, Score: 1 + SignalWeight, Reason: "1 of 1 skill (Go), $40/h, 20 h/week now, 4.9★ from 12 reviews"},
		{AccountID: 3, Score: 1, Reason: "1 of 1 skill (Go), $40/h, 20 h/week now"},
		{AccountID: 1, Score: 1 - SignalWeight/2, Reason: "1 of 1 skill (Go), $40/h, 20 h/week now, no answer to “still available?”"},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })); diff != "" {
		t.Errorf("signals (-want +got):\n%s", diff)
	}
}

func TestMatchProfileJobs(t *testing.T) {
	ix := newTestIndex(t)
	open := func(id int64, skills ...string) bot.Job {
		return bot.Job{ID: id, Title: "J", Skills: skills, Status: bot.JobOpen, Location: parse.Location{Remote: true}}
	}
	ix.PutJob(open(1, "Go", "Docker"))
	ix.PutJob(open(2, "Go"))
	closed := open(3, "Go")
	closed.Status = bot.JobClosed
	ix.PutJob(closed)
	expired := open(4, "Go")
	expired.Status = bot.JobExpired
	ix.PutJob(expired)
	late := open(5, "Go")
	late.Deadline = date(2026, 11, 19)
	ix.PutJob(late)
	ix.PutJob(open(6, "Python"))
	filled := open(7, "Go")
	ix.PutJob(filled)
	filled.Status = bot.JobFilled
	ix.PutJob(filled)
	today := open(8, "Go", "Python")
	today.Deadline = date(2026, 11, 20)
	ix.PutJob(today)
	ix.PutJob(open(9, "Go"))
	ix.RemoveJob(9)

	got := ix.MatchProfile(profile(1, []string{"golang"}, usdHour(40), 20, time.Time{}, ""), 10)
	var ids []int64
	for _, m := range got {
		ids = append(ids, m.JobID)
	}
	if diff := cmp.Diff([]int64{2, 1, 8}, ids); diff != "" {
		t.Errorf("jobs (-want +got):\n%s", diff)
	}
	if got[1].Reason != "1 of 2 skills (Go), $40/h, 20 h/week now" {
		t.Errorf("reason = %q", got[1].Reason)
	}
}

// FuzzMatch scores arbitrary numbers: the score stays within its bounds and
// the reason is a readable line.
func FuzzMatch(f *testing.F) {
	f.Add(45.0, uint8(0), uint8(0), 20, 10, uint8(1), 30.0, 60.0, true, 40)
	f.Add(400.0, uint8(1), uint8(1), 0, -3, uint8(3), 2000.0, 0.0, false, 0)
	f.Add(-1.0, uint8(2), uint8(2), 500, 900, uint8(5), 1e-300, 1e300, false, -10)
	units := []string{"hour", "day", "project", ""}
	f.Fuzz(func(t *testing.T, amount float64, unit, cur uint8, hours, fromDays int, tz uint8, lo, hi float64, hourly bool, deadlineDays int) {
		ix := newTestIndex(t)
		p := profile(1, []string{"Go"}, parse.Rate{Amount: amount, Currency: testCurrencies[int(cur)%len(testCurrencies)], Unit: units[int(unit)%len(units)]},
			hours, testNow.AddDate(0, 0, fromDays%5000), testZones[int(tz)%len(testZones)])
		ix.Put(p)
		j := bot.Job{ID: 1, Skills: []string{"Go", "Docker"}, Status: bot.JobOpen, Timezone: testZones[int(tz/7)%len(testZones)],
			Budget: parse.Budget{Min: lo, Max: hi, Currency: "EUR", Unit: map[bool]string{true: "hour", false: "fixed"}[hourly]}}
		if deadlineDays != 0 {
			j.Deadline = testNow.AddDate(0, 0, deadlineDays%5000)
		}
		for _, m := range ix.MatchJob(j, 1) {
			if !(m.Score >= 0 && m.Score <= 1) {
				t.Fatalf("score %v out of [0, 1] (%s)", m.Score, m.Reason)
			}
			if m.Reason == "" || strings.Contains(m.Reason, "NaN") || strings.Contains(m.Reason, "Inf") {
				t.Fatalf("reason %q", m.Reason)
			}
		}
	})
}
