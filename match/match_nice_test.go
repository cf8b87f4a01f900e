package match

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

// TestMatchRequiredOutweighsNice: a required skill weighs twice a
// nice-to-have one, and the reason says which kind matched.
func TestMatchRequiredOutweighsNice(t *testing.T) {
	ix := newTestIndex(t)
	for _, p := range []bot.Profile{
		profile(1, []string{"Python"}, usdHour(40), 40, date(2026, 11, 1), "Europe/Berlin"),          // the nice one only
		profile(2, []string{"Go"}, usdHour(40), 40, date(2026, 11, 1), "Europe/Berlin"),              // the required one only
		profile(3, []string{"Go", "Python"}, usdHour(40), 40, date(2026, 11, 1), "Europe/Berlin"),    // both
		profile(4, []string{"Docker", "MySQL"}, usdHour(40), 40, date(2026, 11, 1), "Europe/Berlin"), // neither
	} {
		ix.Put(p)
	}
	job := bot.Job{ID: 1, Title: "API", Skills: []string{"Go"}, NiceSkills: []string{"Python"}, Status: bot.JobOpen, Deadline: date(2027, 1, 29)}
	type row struct {
		ID     int64
		Reason string
	}
	var rows []row
	scores := map[int64]float64{}
	for _, m := range ix.MatchJob(job, 10) {
		rows = append(rows, row{m.AccountID, m.Reason})
		scores[m.AccountID] = m.Score
	}
	want := []row{
		{3, "1 of 1 skill (Go), also Python, $40/h, 40 h/week now"},
		{2, "1 of 1 skill (Go), $40/h, 40 h/week now"},
		{1, "0 of 1 skill, also Python, $40/h, 40 h/week now"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("ranking (-want +got):\n%s", diff)
	}
	// Skill parts 3/3, 2/3 and 1/3 of WeightSkills: the reason is true to the score.
	if d := scores[3] - scores[2]; d < WeightSkills/3-1e-9 || d > WeightSkills/3+1e-9 {
		t.Errorf("the nice skill adds %v, want a third of the skill weight %v", d, WeightSkills/3)
	}
	if d := scores[2] - scores[1]; d < WeightSkills/3-1e-9 || d > WeightSkills/3+1e-9 {
		t.Errorf("required over nice differ by %v, want %v", d, WeightSkills/3)
	}
}
