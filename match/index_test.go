package match

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

var testSkillPool = []string{"Go", "PostgreSQL", "MySQL", "Docker", "Python", "JavaScript", "React", "Ansible", "Figma", "Rust"}

var testZones = []string{"", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC+2", "Asia/Tokyo"}

var testCurrencies = []string{"USD", "EUR", "GBP", "INR"}

func randomProfile(r *rand.Rand, id int64) bot.Profile {
	n := r.IntN(5)
	skills := make([]string, 0, n)
	for range n {
		skills = append(skills, testSkillPool[r.IntN(len(testSkillPool))])
	}
	statuses := []string{bot.ProfilePublished, bot.ProfilePublished, bot.ProfilePublished, bot.ProfilePaused, bot.ProfileDraft}
	units := []string{"hour", "hour", "day", "project"}
	p := profile(id, skills, parse.Rate{Amount: float64(10 + r.IntN(150)), Currency: testCurrencies[r.IntN(len(testCurrencies))], Unit: units[r.IntN(len(units))]},
		r.IntN(41), testNow.AddDate(0, 0, r.IntN(60)-20), testZones[r.IntN(len(testZones))])
	p.Status = statuses[r.IntN(len(statuses))]
	p.Location.Remote = r.IntN(4) != 0
	if r.IntN(3) == 0 {
		p.Location.City = []string{"Berlin", "Paris"}[r.IntN(2)]
	}
	p.WorkTypes = []string{[]string{bot.WorkGig, bot.WorkPartTime, bot.WorkFullTime}[r.IntN(3)]}
	return p
}

func randomJob(r *rand.Rand, id int64) bot.Job {
	n := 1 + r.IntN(4)
	skills := make([]string, 0, n)
	for range n {
		skills = append(skills, testSkillPool[r.IntN(len(testSkillPool))])
	}
	j := bot.Job{ID: id, Title: "J", Skills: skills, Status: bot.JobOpen, Location: parse.Location{Remote: r.IntN(4) != 0}}
	if !j.Location.Remote {
		j.Location.City = "Berlin"
	}
	if r.IntN(3) != 0 {
		lo := float64(10 + r.IntN(60))
		unit := []string{"hour", "fixed"}[r.IntN(2)]
		if unit == "fixed" {
			lo *= 40
		}
		j.Budget = parse.Budget{Min: lo, Max: lo * 1.5, Currency: testCurrencies[r.IntN(len(testCurrencies))], Unit: unit}
	}
	if r.IntN(2) == 0 {
		j.Deadline = testNow.AddDate(0, 0, r.IntN(90)-5)
	}
	j.Timezone = testZones[r.IntN(len(testZones))]
	return j
}

// TestIndexAgreesWithFreshIndex applies random puts, updates and removals
// and checks that matching and search give the same answers as an index
// built once from the final state, so stale postings, compaction and slot
// reuse never change a result.
func TestIndexAgreesWithFreshIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	ix := newTestIndex(t)
	final := map[int64]bot.Profile{}
	for range 4000 {
		id := int64(1 + r.IntN(300))
		if r.IntN(6) == 0 {
			ix.Remove(id)
			delete(final, id)
			continue
		}
		p := randomProfile(r, id)
		ix.Put(p)
		final[id] = p
	}
	fresh := newTestIndex(t)
	published := 0
	for _, p := range final {
		fresh.Put(p)
		if p.Status == bot.ProfilePublished {
			published++
		}
	}
	if ix.Len() != published || fresh.Len() != published {
		t.Fatalf("Len = %d and %d, want %d", ix.Len(), fresh.Len(), published)
	}
	for i := range 200 {
		j := randomJob(r, int64(i))
		got, want := ix.MatchJob(j, 15), fresh.MatchJob(j, 15)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("job %+v: MatchJob differs (-fresh +updated):\n%s", j, diff)
		}
		for _, m := range got {
			if p := final[m.AccountID]; p.Status != bot.ProfilePublished {
				t.Fatalf("account %d with status %q appears", m.AccountID, p.Status)
			}
		}
		q := SearchQuery{Skills: j.Skills[:1], Remote: i%2 == 0}
		gs, gt := ix.Search(q, nil, 0, 10)
		ws, wt := fresh.Search(q, nil, 0, 10)
		if diff := cmp.Diff(ws, gs); diff != "" || gt != wt {
			t.Fatalf("search %+v differs (total %d vs %d) (-fresh +updated):\n%s", q, wt, gt, diff)
		}
	}
}

// TestAddingAMatchingSkillNeverLowersTheScore is a property over random
// profiles and jobs.
func TestAddingAMatchingSkillNeverLowersTheScore(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		p := randomProfile(r, 1)
		p.Status = bot.ProfilePublished
		j := randomJob(r, 1)
		ix := newTestIndex(t)
		ix.Put(p)
		before := -1.0
		if m := ix.MatchJob(j, 1); len(m) == 1 {
			before = m[0].Score
		}
		add := j.Skills[r.IntN(len(j.Skills))]
		p.Skills = append(slices.Clone(p.Skills), add)
		ix.Put(p)
		m := ix.MatchJob(j, 1)
		if len(m) == 0 {
			if j.Location.City == "" || p.Location.City == "Berlin" {
				t.Fatalf("case %d: profile with the job's skill %q does not appear", i, add)
			}
			continue
		}
		if m[0].Score < before {
			t.Fatalf("case %d: adding %q lowered the score from %v to %v (%s)", i, add, before, m[0].Score, m[0].Reason)
		}
	}
}

func TestPausedDraftAndDeletedProfilesNeverAppear(t *testing.T) {
	ix := newTestIndex(t)
	p := profile(1, []string{"Go"}, usdHour(40), 20, time.Time{}, "")
	job := bot.Job{Skills: []string{"Go"}}
	q := SearchQuery{Skills: []string{"Go"}}
	steps := []struct {
		name   string
		do     func()
		appear bool
	}{
		{"published", func() { ix.Put(p) }, true},
		{"paused", func() { p.Status = bot.ProfilePaused; ix.Put(p) }, false},
		{"resumed", func() { p.Status = bot.ProfilePublished; ix.Put(p) }, true},
		{"draft", func() { p.Status = bot.ProfileDraft; ix.Put(p) }, false},
		{"published again", func() { p.Status = bot.ProfilePublished; ix.Put(p) }, true},
		{"deleted", func() { ix.Remove(1) }, false},
		{"removed twice", func() { ix.Remove(1) }, false},
	}
	for _, s := range steps {
		s.do()
		m := ix.MatchJob(job, 5)
		res, total := ix.Search(q, nil, 0, 5)
		text, _ := ix.Search(SearchQuery{Terms: []string{"x"}}, []int64{1}, 0, 5)
		if got := len(m) == 1 && len(res) == 1 && total == 1 && len(text) == 1; got != s.appear {
			t.Errorf("%s: match %v, search %v (total %d), text search %v; want appear=%v", s.name, m, res, total, text, s.appear)
		}
		if want := map[bool]int{true: 1}[s.appear]; ix.Len() != want {
			t.Errorf("%s: Len = %d, want %d", s.name, ix.Len(), want)
		}
	}
}

func TestUpdateIsReflected(t *testing.T) {
	ix := newTestIndex(t)
	ix.Put(profile(1, []string{"Go"}, usdHour(40), 20, time.Time{}, ""))
	ix.Put(profile(1, []string{"Python"}, usdHour(40), 20, time.Time{}, ""))
	if m := ix.MatchJob(bot.Job{Skills: []string{"Go"}}, 5); len(m) != 0 {
		t.Errorf("after dropping Go, a Go job still finds %+v", m)
	}
	m := ix.MatchJob(bot.Job{Skills: []string{"Python"}}, 5)
	if len(m) != 1 || m[0].AccountID != 1 {
		t.Errorf("after adding Python, a Python job finds %+v", m)
	}
	ix.Put(profile(1, []string{"Python"}, usdHour(99), 20, time.Time{}, ""))
	m = ix.MatchJob(bot.Job{Skills: []string{"Python"}}, 5)
	if len(m) != 1 || m[0].Reason != "1 of 1 skill (Python), $99/h, 20 h/week now" {
		t.Errorf("after a new rate, %+v", m)
	}
}

func TestTiesAreBrokenByAccountID(t *testing.T) {
	ix := newTestIndex(t)
	for _, id := range []int64{9, 3, 7, 1, 5} {
		ix.Put(profile(id, []string{"Go"}, usdHour(40), 20, time.Time{}, ""))
	}
	var ids []int64
	for _, m := range ix.MatchJob(bot.Job{Skills: []string{"Go"}}, 3) {
		ids = append(ids, m.AccountID)
	}
	if diff := cmp.Diff([]int64{1, 3, 5}, ids); diff != "" {
		t.Errorf("ties (-want +got):\n%s", diff)
	}
}

// fakeStore serves Profiles and Jobs; other methods are not used.
type fakeStore struct {
	bot.Store
	profiles []bot.Profile
	jobs     []bot.Job
	err      error
}

func (s *fakeStore) Profiles(ctx context.Context, fn func(bot.Profile) error, statuses ...string) error {
	for _, p := range s.profiles {
		if len(statuses) > 0 && !slices.Contains(statuses, p.Status) {
			continue
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return s.err
}

func (s *fakeStore) Jobs(ctx context.Context, f bot.JobFilter) ([]bot.Job, error) {
	var out []bot.Job
	for _, j := range s.jobs {
		if f.Status == "" || j.Status == f.Status {
			out = append(out, j)
		}
	}
	return out, nil
}

func TestRebuild(t *testing.T) {
	paused := profile(2, []string{"Go"}, usdHour(40), 20, time.Time{}, "")
	paused.Status = bot.ProfilePaused
	s := &fakeStore{
		profiles: []bot.Profile{profile(1, []string{"Go"}, usdHour(40), 20, time.Time{}, ""), paused, profile(3, []string{"Rust"}, usdHour(40), 20, time.Time{}, "")},
		jobs:     []bot.Job{{ID: 1, Skills: []string{"Go"}, Status: bot.JobOpen}, {ID: 2, Skills: []string{"Go"}, Status: bot.JobClosed}},
	}
	ix := newTestIndex(t)
	ix.Put(profile(9, []string{"Go"}, usdHour(40), 20, time.Time{}, ""))
	if err := ix.Rebuild(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 2 {
		t.Errorf("Len = %d, want 2", ix.Len())
	}
	m := ix.MatchJob(bot.Job{Skills: []string{"Go"}}, 5)
	if len(m) != 1 || m[0].AccountID != 1 {
		t.Errorf("after rebuild, Go matches %+v, want account 1 only", m)
	}
	jm := ix.MatchProfile(profile(1, []string{"Go"}, usdHour(40), 20, time.Time{}, ""), 5)
	if len(jm) != 1 || jm[0].JobID != 1 {
		t.Errorf("after rebuild, jobs %+v, want job 1 only", jm)
	}

	s.err = errors.New("disk on fire")
	if err := ix.Rebuild(context.Background(), s); err == nil {
		t.Fatal("Rebuild with a failing store succeeded")
	}
	if ix.Len() != 2 {
		t.Errorf("a failed rebuild changed the index: Len = %d", ix.Len())
	}
}

// TestConcurrentUse runs writers and readers at once; run with -race.
func TestConcurrentUse(t *testing.T) {
	ix := newTestIndex(t)
	done := make(chan struct{})
	for w := range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range 500 {
				p := randomProfile(r, int64(1+r.IntN(50)))
				if i%7 == 0 {
					ix.Remove(p.AccountID)
				} else {
					ix.Put(p)
				}
				ix.PutJob(randomJob(r, int64(r.IntN(20))))
			}
		}()
	}
	for rd := range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			r := rand.New(rand.NewPCG(uint64(rd), 2))
			for range 500 {
				for _, m := range ix.MatchJob(randomJob(r, 1), 5) {
					if m.Reason == "" {
						t.Error("a match without a reason")
					}
				}
				ix.MatchProfile(randomProfile(r, 1), 5)
				ix.Search(SearchQuery{Skills: []string{"Go"}}, nil, 0, 5)
			}
		}()
	}
	for range 4 {
		<-done
	}
	if n := ix.Len(); n > 50 {
		t.Errorf("Len = %d, more than the 50 accounts written", n)
	}
}

// TestMatchJobTopIsTheHeadOfTheRanking: the walk that stops at hopeless
// levels, with the level table (jobs of up to maxTableSkills skills) or
// the sum of levels (more), returns the head of the ranking that scores
// every candidate.
func TestMatchJobTopIsTheHeadOfTheRanking(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	ix := newTestIndex(t)
	skills := parse.Skills().All()
	for id := int64(1); id <= 2000; id++ {
		p := randomProfile(r, id)
		p.Status = bot.ProfilePublished
		for range 3 { // related skills from the whole vocabulary
			p.Skills = append(p.Skills, skills[r.IntN(len(skills))].Name)
		}
		ix.Put(p)
	}
	for i := range 300 {
		j := randomJob(r, int64(i))
		for range r.IntN(8) { // up to 12 skills: past the level table
			j.Skills = append(j.Skills, skills[r.IntN(len(skills))].Name)
		}
		top := ix.MatchJob(j, 15)
		all := ix.MatchJob(j, 1<<20) // nothing is hopeless: every candidate scored
		if diff := cmp.Diff(all[:min(15, len(all))], top); diff != "" {
			t.Fatalf("job %v: the top 15 is not the head of the whole ranking (-all +top):\n%s", j.Skills, diff)
		}
	}
}
