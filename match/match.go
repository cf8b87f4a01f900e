package match

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// Match is one freelancer ranked for a job (or for a search), with the
// one-line reason an employer sees. Reason is rendered from the same
// numbers that make Score.
type Match struct {
	AccountID int64
	Score     float64
	Reason    string
}

// JobMatch is one open job ranked for a freelancer.
type JobMatch struct {
	JobID  int64
	Score  float64
	Reason string
}

// Signal is a later input to the match score: reviews, response rate, a
// stale "still available?" answer. Term returns a value in [-1, 1] (clamped)
// and a short phrase for the reason ("" for none); the score adds
// value*SignalWeight. Term is called under the index's read lock, for the
// candidates that can still reach the top, so it must be fast and must not
// call back into the Index.
type Signal interface {
	Term(accountID int64, job *bot.Job) (value float64, phrase string)
}

// Weights of the score's components. They add up to 1; each signal may add
// or take at most SignalWeight on top.
const (
	WeightSkills       = 0.5
	WeightRate         = 0.2
	WeightAvailability = 0.15
	WeightTimezone     = 0.15
	SignalWeight       = 0.1
)

// Rules of the components, written once so that score and reason agree.
const (
	// A required skill weighs twice a nice-to-have one.
	requiredWeight = 2
	niceWeight     = 1
	fullHours      = 20  // hours a week that count as fully available
	hoursPerDay    = 8   // a day rate covers 8 hours
	workdayMin     = 480 // 09:00–17:00 local, in minutes
	noDeadlineWin  = 120 // days over which a later start fades to half without a deadline
	neutral        = 0.5 // a component that cannot be compared
	overPenalty    = 2.0 // 25% over budget halves the rate component, 50% over zeroes it
	maxJobSkills   = 64  // skills of a job beyond this are ignored
	maskSkills     = 16  // job skills tracked in the posting-list masks
	secondsPerDay  = 86400
)

// Rate units inside the index.
const (
	rateNone = iota
	rateHourly
	rateProject
)

// Budget kinds inside the index.
const (
	budgetNone = iota
	budgetHourly
	budgetFixed
)

// entry is one published profile in compact form: what matching and the
// structured filters need, no text. Its skills are in the Index's
// skillBlock (skillsOf), so an entry is 32 bytes and holds no pointer.
type entry struct {
	account int64
	skillAt uint32 // where its skills start in the Index's skillBlock
	nSkills uint32 // how many it has
	city    uint32 // interned lower-case city; 0 = none
	rate    uint32 // USD cents per hour (per project when flagProject); 0 = none
	from    int32  // available-from as a day number; 0 = any time
	tzOff   int16  // UTC offset in minutes when flagTZ
	hours   uint8  // hours per week, capped at 168
	flags   uint8
}

const (
	flagLive uint8 = 1 << iota
	flagTZ
	flagRemote
	flagGig
	flagPartTime
	flagFullTime
	flagProject
)

// skillList is a profile's index skill IDs, sorted, without repeats.
type skillList []uint32

func (l skillList) has(s uint32) bool {
	for _, x := range l {
		if x == s {
			return true
		}
		if x > s {
			return false
		}
	}
	return false
}

// compiledJob is a job (or a search) turned into index terms.
type compiledJob struct {
	job     *bot.Job
	skills  []uint32   // per asked skill: its ID (noSkill when no profile has it)
	names   []string   // per asked skill: the name to show
	related [][]uint32 // per asked skill: IDs of related skills
	weights []uint8    // per asked skill: requiredWeight or niceWeight
	// totalWeight is the sum of weights: the skill part's denominator.
	totalWeight int
	budget      int     // budgetNone, budgetHourly, budgetFixed
	lo, hi      float64 // USD (per hour, or for the whole job when fixed)
	currency    string  // for showing money back in the job's currency
	deadline    int32   // day number; 0 = none
	hasTZ       bool
	tzOff       int
	tzName      string
	city        uint32 // on-site only in this city; 0 = remote is fine
	cityName    string
}

const noSkill = math.MaxUint32

// parts are the numbers behind one score; reason renders them.
type parts struct {
	exact, related uint64 // masks over the job's asked skills

	skill float64

	rateKind  int // rateNone, rateHourly, rateProject
	rateUSD   float64
	rateCmp   int     // how the rate compared: cmp* below
	limitUSD  float64 // the budget's top (or the hourly ceiling) compared with
	fixedHrs  float64 // hours until the deadline behind a ceiling
	rateScore float64

	hours      int
	start      int32 // first day of work
	afterDead  bool
	availScore float64

	overlapMin int
	tzKnown    bool
	tzScore    float64

	signal  float64
	phrases []string

	total float64
}

const (
	cmpNoBudget = iota
	cmpNoRate
	cmpWithin
	cmpUnder
	cmpOver
	cmpApart // hourly against project, or hourly against fixed without a deadline
)

// day is the day number of t (days since 1970-01-01 UTC).
func day(t time.Time) int32 {
	if t.IsZero() {
		return 0
	}
	return int32(math.Floor(float64(t.Unix()) / secondsPerDay))
}

func dayTime(d int32) time.Time { return time.Unix(int64(d)*secondsPerDay, 0).UTC() }

// score computes the parts of e against cj. exact and related are the masks
// of asked skills e has (exactly, or through a related skill).
// level is the skill part of a score in whole steps: each asked skill
// held counts 2 times its weight, each related skill held 1 times (so
// a related skill counts half of the asked one), and the skill part is level/(2*totalWeight).
// MatchJob buckets candidates by it.
func (cj *compiledJob) level(exact, related uint64) int {
	related &^= exact
	level := 0
	for i, w := range cj.weights {
		switch {
		case exact&(1<<i) != 0:
			level += 2 * int(w)
		case related&(1<<i) != 0:
			level += int(w)
		}
	}
	return level
}

// maxTableSkills bounds the jobs whose levels are looked up in a table
// (levelTable): 2^(2n) entries.
const maxTableSkills = 5

// levelTable returns, for a job of at most maxTableSkills skills, the
// level of every pair of masks, indexed by exact | related<<n, in
// sc.levels; nil for a larger job.
func (cj *compiledJob) levelTable(sc *scratch) []uint8 {
	n := len(cj.skills)
	if n > maxTableSkills || 2*cj.totalWeight > 255 {
		return nil
	}
	size := 1 << (2 * n)
	if cap(sc.levels) < size {
		sc.levels = make([]uint8, 1<<(2*maxTableSkills))
	}
	t := sc.levels[:size]
	low := uint64(1)<<n - 1
	for k := range t {
		t[k] = uint8(cj.level(uint64(k)&low, uint64(k)>>n))
	}
	return t
}

func score(e *entry, cj *compiledJob, exact, related uint64, today int32) parts {
	p := parts{exact: exact, related: related &^ exact}
	if len(cj.skills) == 0 {
		p.skill = 1
	} else {
		p.skill = float64(cj.level(p.exact, p.related)) / float64(2*cj.totalWeight)
	}

	// Availability first: the fixed-budget ceiling needs the hours.
	p.hours = int(e.hours)
	p.start = max(e.from, today)
	switch {
	case p.hours == 0:
		p.availScore = 0
	case cj.deadline != 0 && p.start > cj.deadline:
		p.afterDead = true
		p.availScore = 0
	default:
		hf := math.Min(float64(p.hours), fullHours) / fullHours
		sf := 1.0
		if wait := p.start - today; wait > 0 {
			if cj.deadline != 0 {
				sf = float64(cj.deadline-p.start+1) / float64(cj.deadline-today+1)
			} else {
				sf = 1 - math.Min(float64(wait), noDeadlineWin)/noDeadlineWin*0.5
			}
		}
		p.availScore = hf * sf
	}

	p.rateKind = rateNone
	if e.rate != 0 {
		p.rateKind = rateHourly
		if e.flags&flagProject != 0 {
			p.rateKind = rateProject
		}
		p.rateUSD = float64(e.rate) / 100
	}
	switch {
	case cj.budget == budgetNone:
		p.rateCmp, p.rateScore = cmpNoBudget, 1
	case p.rateKind == rateNone:
		p.rateCmp, p.rateScore = cmpNoRate, neutral
	case cj.budget == budgetHourly && p.rateKind == rateHourly,
		cj.budget == budgetFixed && p.rateKind == rateProject:
		p.limitUSD = cj.hi
		p.rateCmp, p.rateScore = compareRate(p.rateUSD, cj.lo, cj.hi)
	case cj.budget == budgetFixed && p.rateKind == rateHourly && cj.deadline != 0 && !p.afterDead && p.hours > 0:
		p.fixedHrs = float64(p.hours) * float64(cj.deadline-p.start+1) / 7
		p.limitUSD = cj.hi / p.fixedHrs
		p.rateCmp, p.rateScore = compareRate(p.rateUSD, 0, p.limitUSD)
	default:
		p.rateCmp, p.rateScore = cmpApart, neutral
	}

	switch {
	case !cj.hasTZ:
		p.tzScore = 1
	case e.flags&flagTZ == 0:
		p.tzScore = neutral
	default:
		p.tzKnown = true
		p.overlapMin = overlap(int(e.tzOff), cj.tzOff)
		p.tzScore = float64(p.overlapMin) / workdayMin
	}

	p.total = WeightSkills*p.skill + WeightRate*p.rateScore + WeightAvailability*p.availScore + WeightTimezone*p.tzScore
	return p
}

// compareRate places a rate against a budget range: within or under it
// scores 1; above it the score falls by overPenalty per unit of overshoot.
func compareRate(rate, lo, hi float64) (int, float64) {
	r, l, h := cents(rate), cents(lo), cents(hi)
	switch {
	case r > h:
		return cmpOver, math.Max(0, math.Min(1, 1-overPenalty*(rate-hi)/hi))
	case r < l:
		return cmpUnder, 1
	}
	return cmpWithin, 1
}

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// overlap is the minutes two 09:00–17:00 working days share, given the UTC
// offsets of both places in minutes.
func overlap(a, b int) int {
	d := (a - b) % 1440
	if d < 0 {
		d = -d
	}
	if d > 720 {
		d = 1440 - d
	}
	return max(0, workdayMin-d)
}

// addSignals adds the bounded terms of the signals and their phrases.
func addSignals(p *parts, signals []Signal, account int64, job *bot.Job) {
	for _, s := range signals {
		v, phrase := s.Term(account, job)
		if math.IsNaN(v) {
			continue
		}
		v = math.Max(-1, math.Min(1, v))
		if v == 0 {
			continue
		}
		p.signal += v * SignalWeight
		if phrase != "" {
			p.phrases = append(p.phrases, phrase)
		}
	}
	p.total += p.signal
}

// reason writes the parts as one line, e.g. "3 of 4 skills (Go, PostgreSQL,
// Docker), $45/h within $30–60, 20 h/week from Dec 1, 6 h overlap with Berlin".
func (ix *Index) reason(p parts, e *entry, skills skillList, cj *compiledJob, today int32) string {
	var out []string
	if len(cj.skills) > 0 {
		var got, nice, rel []string
		n := 0 // required skills
		for i := range cj.skills {
			required := cj.weights[i] == requiredWeight
			if required {
				n++
			}
			switch {
			case p.exact&(1<<i) != 0 && required:
				got = append(got, cj.names[i])
			case p.exact&(1<<i) != 0:
				nice = append(nice, cj.names[i])
			case p.related&(1<<i) != 0:
				rel = append(rel, ix.relatedName(skills, cj, i)+" (related to "+cj.names[i]+")")
			}
		}
		var s []string
		if n > 0 {
			phrase := strconv.Itoa(len(got)) + " of " + strconv.Itoa(n) + " skills"
			if n == 1 {
				phrase = strconv.Itoa(len(got)) + " of 1 skill"
			}
			if len(got) > 0 {
				phrase += " (" + strings.Join(got, ", ") + ")"
			}
			s = append(s, phrase)
		}
		s = append(s, rel...)
		if len(nice) > 0 {
			s = append(s, "also "+strings.Join(nice, ", "))
		}
		out = append(out, s...)
	}
	if cj.city != 0 {
		out = append(out, "on-site in "+cj.cityName)
	}
	if r := ix.rateReason(p, cj); r != "" {
		out = append(out, r)
	}
	out = append(out, availReason(p, today))
	if cj.hasTZ {
		if p.tzKnown {
			out = append(out, formatHours(p.overlapMin)+" overlap with "+cj.tzName)
		} else {
			out = append(out, "time zone unknown")
		}
	}
	out = append(out, p.phrases...)
	return strings.Join(out, ", ")
}

func (ix *Index) rateReason(p parts, cj *compiledJob) string {
	cur := cj.currency
	if _, ok := ix.cfg.Currencies.FromUSD(1, cur); !ok || cj.budget == budgetNone {
		cur = "USD"
	}
	money := func(usd float64) string {
		v, _ := ix.cfg.Currencies.FromUSD(usd, cur)
		return bot.FormatMoney(v, cur)
	}
	rng := func() string {
		if cj.lo == 0 {
			return money(cj.hi)
		}
		lo, _ := ix.cfg.Currencies.FromUSD(cj.lo, cur)
		hi, _ := ix.cfg.Currencies.FromUSD(cj.hi, cur)
		return bot.FormatMoneyRange(lo, hi, cur)
	}
	rate := ""
	switch p.rateKind {
	case rateHourly:
		rate = money(p.rateUSD) + "/h"
	case rateProject:
		rate = money(p.rateUSD) + " per project"
	}
	word := map[int]string{cmpWithin: " within ", cmpUnder: " under ", cmpOver: " over "}
	switch p.rateCmp {
	case cmpNoBudget:
		return rate
	case cmpNoRate:
		return "no rate given"
	case cmpApart:
		if cj.budget == budgetFixed {
			return rate + " vs " + rng() + " fixed"
		}
		return rate + " vs " + rng() + "/h"
	}
	if p.fixedHrs > 0 {
		return rate + word[p.rateCmp] + rng() + " fixed (" + formatFloat(p.fixedHrs) + " h to the deadline)"
	}
	if cj.budget == budgetFixed {
		return rate + word[p.rateCmp] + rng() + " fixed"
	}
	return rate + word[p.rateCmp] + rng()
}

func availReason(p parts, today int32) string {
	switch {
	case p.hours == 0:
		return "no hours available"
	case p.afterDead:
		return "available " + shortDate(p.start, today) + ", after the deadline"
	case p.start <= today:
		return parse.HoursString(p.hours) + " now"
	}
	return parse.HoursString(p.hours) + " from " + shortDate(p.start, today)
}

func shortDate(d, today int32) string {
	t := dayTime(d)
	if t.Year() != dayTime(today).Year() {
		return t.Format("Jan 2, 2006")
	}
	return t.Format("Jan 2")
}

// formatHours writes minutes as hours: "6 h", "5.5 h".
func formatHours(min int) string { return formatFloat(float64(min)/60) + " h" }

// formatFloat writes v with at most one decimal: 6, 5.5, 12.9.
func formatFloat(v float64) string {
	t := math.Round(v * 10)
	if math.Mod(t, 10) == 0 {
		return strconv.Itoa(int(t / 10))
	}
	return strconv.Itoa(int(t/10)) + "." + strconv.Itoa(int(math.Abs(math.Mod(t, 10))))
}

// relatedName is the name of a skill of skills related to the job's i-th
// skill.
func (ix *Index) relatedName(skills skillList, cj *compiledJob, i int) string {
	for _, r := range cj.related[i] {
		if skills.has(r) {
			return ix.skillNames[r]
		}
	}
	return "a related skill"
}

// masks computes which asked skills a profile has, exactly or through a related one.
func masks(skills skillList, cj *compiledJob) (exact, related uint64) {
	for i, s := range cj.skills {
		if skills.has(s) {
			exact |= 1 << i
			continue
		}
		for _, r := range cj.related[i] {
			if skills.has(r) {
				related |= 1 << i
				break
			}
		}
	}
	return exact, related
}

// zoneName is how a reason names a zone: "Europe/Berlin" -> "Berlin".
func zoneName(tz string) string {
	if i := strings.LastIndexByte(tz, '/'); i >= 0 {
		tz = tz[i+1:]
	}
	return strings.ReplaceAll(tz, "_", " ")
}
