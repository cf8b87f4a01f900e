package match

import (
	"container/heap"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// SkillVocabulary is what matching needs from the skill vocabulary;
// parse.Skills() is the one hirebot ships.
type SkillVocabulary interface {
	Lookup(word string) (parse.Skill, bool)
	All() []parse.Skill
	Related(a, b string) bool
}

// IndexConfig configures an Index.
type IndexConfig struct {
	// Currencies converts rates and budgets to USD; nil means
	// DefaultCurrencies.
	Currencies bot.Currencies
	// Now is the clock for deadlines and availability; nil means time.Now.
	Now func() time.Time
	// Skills resolves skill names; nil means parse.Skills().
	Skills SkillVocabulary
	// Signals add bounded terms to every score (reviews, staleness, ...).
	Signals []Signal
}

// Index is the in-memory structured match index: one compact entry per
// published profile, a posting list of entries per skill, and the open
// jobs. It is built from the store at start (Rebuild) and kept fresh by
// calling Put/Remove and PutJob/RemoveJob after every write in this
// process. Other replicas learn of a write through a change notification
// (the account or job ID published on Redis by the writer) and Put the
// record they reload from the store; the store stays the truth, the
// notification only says what to reload.
//
// Posting lists are append-only between compactions: removing a skill from
// an entry leaves its posting behind and counts it as stale; readers check
// stale lists against the entry, and a list is compacted once half of it is
// stale. Every method is safe for concurrent use.
type Index struct {
	cfg IndexConfig

	mu         sync.RWMutex
	entries    []entry
	slots      slotTable // account -> slot
	free       []uint32
	live       int
	postings   [][]uint32 // by skill ID: slots, maybe stale or repeated
	skillBlock []uint32   // every entry's skills, each an entry's run (skillsOf)
	skillWaste int        // IDs in skillBlock no entry points at
	skillTmp   skillList  // write-locked scratch
	stale      []uint32   // by skill ID: how many postings may be stale
	skillIDs   map[string]uint32
	skillNames []string
	relatedOf  [][]uint32 // by skill ID
	cities     map[string]uint32
	cityNames  []string
	jobs       map[int64]*compiledJob
	text       *textIndex // the words of profiles, for free-text search
	mark       []uint32   // write-locked scratch for compaction
	markGen    uint32
	gen        uint64 // counts swaps (Rebuild, LoadSnapshot): IDs mean other things after one

	onChange func(bot.Change) // see SetOnChange; guarded by mu

	zones   sync.Map // zone name -> *time.Location (or nil when unknown)
	scratch sync.Pool
}

// NewIndex returns an empty index.
func NewIndex(cfg IndexConfig) *Index {
	if cfg.Currencies == nil {
		cfg.Currencies = bot.DefaultCurrencies()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Skills == nil {
		cfg.Skills = parse.Skills()
	}
	ix := &Index{cfg: cfg}
	ix.reset()
	return ix
}

// reset empties the index and interns the vocabulary's skills with their
// relations. Called with mu held (or before the index is shared).
func (ix *Index) reset() {
	ix.entries = nil
	ix.skillBlock, ix.skillWaste = nil, 0
	ix.slots = slotTable{}
	ix.free = nil
	ix.live = 0
	ix.postings, ix.stale, ix.skillNames, ix.relatedOf = nil, nil, nil, nil
	ix.skillIDs = map[string]uint32{}
	ix.cities = map[string]uint32{"": 0}
	ix.cityNames = []string{""}
	ix.jobs = map[int64]*compiledJob{}
	ix.text = newTextIndex()
	all := ix.cfg.Skills.All()
	for _, s := range all {
		ix.intern(s.Name)
	}
	for _, s := range all {
		a := ix.skillIDs[skillKey(s.Name)]
		for _, r := range s.Related {
			rs, ok := ix.cfg.Skills.Lookup(r)
			if !ok || rs.Name == s.Name || !(ix.cfg.Skills.Related(s.Name, rs.Name) || ix.cfg.Skills.Related(rs.Name, s.Name)) {
				continue
			}
			b := ix.skillIDs[skillKey(rs.Name)]
			ix.relatedOf[a] = appendUnique(ix.relatedOf[a], b)
			ix.relatedOf[b] = appendUnique(ix.relatedOf[b], a)
		}
	}
}

func appendUnique(s []uint32, v uint32) []uint32 {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func skillKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// canonical resolves a skill name through the vocabulary; unknown skills
// keep the name as written.
func (ix *Index) canonical(name string) string {
	if s, ok := ix.cfg.Skills.Lookup(name); ok {
		return s.Name
	}
	return strings.TrimSpace(name)
}

// intern returns the ID of a canonical skill name, adding it. mu held.
func (ix *Index) intern(name string) uint32 {
	k := skillKey(name)
	if id, ok := ix.skillIDs[k]; ok {
		return id
	}
	id := uint32(len(ix.skillNames))
	ix.skillIDs[k] = id
	ix.skillNames = append(ix.skillNames, name)
	ix.postings = append(ix.postings, nil)
	ix.stale = append(ix.stale, 0)
	ix.relatedOf = append(ix.relatedOf, nil)
	return id
}

// skillID looks a canonical name up without adding it. mu held (read).
func (ix *Index) skillID(name string) uint32 {
	if id, ok := ix.skillIDs[skillKey(name)]; ok {
		return id
	}
	return noSkill
}

// location returns the zone of a name, cached.
func (ix *Index) location(name string) *time.Location {
	if name == "" {
		return nil
	}
	if v, ok := ix.zones.Load(name); ok {
		loc, _ := v.(*time.Location)
		return loc
	}
	loc := ParseZone(name)
	ix.zones.Store(name, loc)
	return loc
}

// parseZone reads an IANA name or a fixed offset ("UTC+2", "GMT-05:30").
func ParseZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" && !strings.EqualFold(name, "local") {
		return loc
	}
	up := strings.ToUpper(strings.TrimSpace(name))
	for _, p := range []string{"UTC", "GMT"} {
		if rest, ok := strings.CutPrefix(up, p); ok {
			if off, ok := parseOffset(rest); ok {
				return time.FixedZone(name, off*60)
			}
		}
	}
	return nil
}

// offsetAt is the UTC offset in minutes of a zone at t.
func offsetAt(loc *time.Location, t time.Time) int {
	_, off := t.In(loc).Zone()
	return off / 60
}

// Len returns the number of published profiles in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// makeEntry turns a profile into an entry. Skills are resolved to names
// here; IDs are filled in by the caller under the lock.
func (ix *Index) makeEntry(p bot.Profile, now time.Time) (entry, []string) {
	e := entry{account: p.AccountID}
	names := make([]string, 0, len(p.Skills))
	for _, s := range p.Skills {
		if strings.TrimSpace(s) != "" {
			names = append(names, ix.canonical(s))
		}
	}
	if usd, ok := ix.cfg.Currencies.ToUSD(p.Rate.Amount, p.Rate.Currency); ok && p.Rate.Amount > 0 {
		switch p.Rate.Unit {
		case parse.PerHour, "":
			e.rate = clampCents(usd)
		case parse.PerDay:
			e.rate = clampCents(usd / hoursPerDay)
		case parse.PerProject:
			e.rate = clampCents(usd)
			e.flags |= flagProject
		}
	}
	e.hours = uint8(min(max(p.Availability.HoursPerWeek, 0), 168))
	e.from = day(p.Availability.AvailableFrom)
	if loc := ix.location(p.Timezone); loc != nil {
		e.tzOff = int16(offsetAt(loc, now))
		e.flags |= flagTZ
	}
	if p.Location.Remote {
		e.flags |= flagRemote
	}
	for _, w := range p.WorkTypes {
		e.flags |= workFlag(w)
	}
	e.flags |= flagLive
	return e, names
}

func workFlag(w string) uint8 {
	switch strings.ToLower(w) {
	case bot.WorkGig:
		return flagGig
	case bot.WorkPartTime:
		return flagPartTime
	case bot.WorkFullTime:
		return flagFullTime
	}
	return 0
}

// maxMoney bounds budgets (USD) so that nonsense amounts cannot overflow
// the comparisons in cents.
const maxMoney = 1e9

func clampMoney(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	return min(v, maxMoney)
}

func clampCents(usd float64) uint32 {
	c := usd*100 + 0.5
	switch {
	case c < 1:
		return 1
	case c > 4e9:
		return 4e9
	}
	return uint32(c)
}

// skillSet interns names and returns sorted unique IDs. mu held.
func (ix *Index) skillSet(names []string) skillList {
	if len(names) == 0 {
		return nil
	}
	ids := make([]uint32, 0, len(names))
	for _, n := range names {
		ids = append(ids, ix.intern(n))
	}
	slices.Sort(ids)
	return slices.Clip(slices.Compact(ids))
}

// Put adds or replaces a profile. Only published profiles are kept: putting
// a draft, paused or deleted profile removes it.
func (ix *Index) Put(p bot.Profile) {
	ix.putProfile(p)
	ix.changed(bot.Change{Kind: bot.ChangeProfile, ID: p.AccountID})
}

func (ix *Index) putProfile(p bot.Profile) {
	if p.Status != bot.ProfilePublished {
		ix.removeProfile(p.AccountID)
		return
	}
	e, names := ix.makeEntry(p, ix.cfg.Now())
	city := strings.ToLower(strings.TrimSpace(p.Location.City))
	words := profileWords(p)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.put(e, names, words, city, p.Location.City)
}

// put stores an entry. mu held.
func (ix *Index) put(e entry, names, words []string, cityKey, cityName string) {
	skills := ix.skillSet(names)
	for _, s := range skills {
		ix.text.skill(s, ix.skillNames[s])
	}
	defer ix.maybeCompactSkills()
	defer func() {
		slot, _ := ix.slots.get(ix.entries, e.account)
		ix.text.set(slot, words)
	}()
	if cityKey != "" {
		id, ok := ix.cities[cityKey]
		if !ok {
			id = uint32(len(ix.cityNames))
			ix.cities[cityKey] = id
			ix.cityNames = append(ix.cityNames, cityName)
		}
		e.city = id
	}
	slot, ok := ix.slots.get(ix.entries, e.account)
	if ok {
		old := &ix.entries[slot]
		had := append(ix.skillTmp[:0], ix.skillsOf(old)...)
		ix.skillTmp = had
		ix.storeSkills(&e, old, skills)
		ix.entries[slot] = e
		for _, s := range skills {
			if !had.has(s) {
				ix.postings[s] = append(ix.postings[s], slot)
			}
		}
		for _, s := range had {
			if !skills.has(s) {
				ix.stale[s]++
				ix.maybeCompact(s)
			}
		}
		return
	}
	ix.storeSkills(&e, &entry{}, skills)
	if n := len(ix.free); n > 0 {
		slot = ix.free[n-1]
		ix.free = ix.free[:n-1]
		ix.entries[slot] = e
	} else {
		slot = uint32(len(ix.entries))
		ix.entries = append(ix.entries, e)
	}
	ix.slots.put(ix.entries, slot)
	ix.live++
	for _, s := range skills {
		ix.postings[s] = append(ix.postings[s], slot)
	}
}

// Remove drops a profile; removing one that is not there does nothing.
func (ix *Index) Remove(accountID int64) {
	ix.removeProfile(accountID)
	ix.changed(bot.Change{Kind: bot.ChangeProfile, ID: accountID})
}

func (ix *Index) removeProfile(accountID int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	slot, ok := ix.slots.get(ix.entries, accountID)
	if !ok {
		return
	}
	ix.slots.remove(ix.entries, accountID) // before the entry goes: it holds the key
	old := ix.entries[slot]
	ix.entries[slot] = entry{}
	ix.skillWaste += int(old.nSkills)
	ix.text.clear(slot)
	for _, s := range ix.skillsOf(&old) { // its run stays until the block is rewritten
		ix.stale[s]++
		ix.maybeCompact(s)
	}
	ix.free = append(ix.free, slot)
	ix.live--
	ix.maybeCompactSkills()
}

// skillsOf returns the skills of e, an entry of ix (or one that was). mu
// held; the result is not to be kept past the next write.
func (ix *Index) skillsOf(e *entry) skillList {
	end := e.skillAt + e.nSkills
	return ix.skillBlock[e.skillAt:end:end]
}

// storeSkills gives e the skills (sorted, unique), over the run of old
// (the entry it replaces, or an empty one) when they fit there, else at
// the end of the block. mu held.
func (ix *Index) storeSkills(e, old *entry, skills []uint32) {
	n := uint32(len(skills))
	if n > 0 && n <= old.nSkills {
		copy(ix.skillBlock[old.skillAt:], skills)
		e.skillAt, e.nSkills = old.skillAt, n
		ix.skillWaste += int(old.nSkills - n)
		return
	}
	e.skillAt, e.nSkills = uint32(len(ix.skillBlock)), n
	ix.skillBlock = append(ix.skillBlock, skills...)
	ix.skillWaste += int(old.nSkills)
}

// maybeCompactSkills rewrites the skill block with only the entries' runs,
// in slot order, once more than half of it is waste. mu held.
func (ix *Index) maybeCompactSkills() {
	if ix.skillWaste < minSeqGarbage || ix.skillWaste*2 <= len(ix.skillBlock) {
		return
	}
	ix.compactSkills()
}

// compactSkills rewrites the skill block at its exact size.
func (ix *Index) compactSkills() {
	block := make([]uint32, 0, len(ix.skillBlock)-ix.skillWaste)
	for slot := range ix.entries {
		e := &ix.entries[slot]
		skills := ix.skillsOf(e)
		e.skillAt = uint32(len(block))
		block = append(block, skills...)
	}
	ix.skillBlock, ix.skillWaste = block, 0
}

// maybeCompact rewrites the posting list of s without stale or repeated
// slots once half of it may be stale. mu held.
func (ix *Index) maybeCompact(s uint32) {
	list := ix.postings[s]
	if ix.stale[s] < 16 || int(ix.stale[s])*2 < len(list) {
		return
	}
	if len(ix.mark) < len(ix.entries) {
		ix.mark = make([]uint32, len(ix.entries))
		ix.markGen = 0
	}
	ix.markGen++
	if ix.markGen == 0 {
		clear(ix.mark)
		ix.markGen = 1
	}
	out := list[:0]
	for _, slot := range list {
		if ix.mark[slot] != ix.markGen && ix.skillsOf(&ix.entries[slot]).has(s) {
			ix.mark[slot] = ix.markGen
			out = append(out, slot)
		}
	}
	ix.postings[s] = slices.Clip(out)
	ix.stale[s] = 0
}

// PutJob adds or replaces a job. Only open jobs are kept: putting a filled,
// closed or expired job removes it.
func (ix *Index) PutJob(j bot.Job) {
	ix.putJob(j)
	ix.changed(bot.Change{Kind: bot.ChangeJob, ID: j.ID})
}

func (ix *Index) putJob(j bot.Job) {
	if j.Status != bot.JobOpen {
		ix.removeJob(j.ID)
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, s := range j.Skills {
		if strings.TrimSpace(s) != "" {
			ix.intern(ix.canonical(s))
		}
	}
	cj := ix.compile(&j, ix.cfg.Now())
	ix.jobs[j.ID] = cj
}

// RemoveJob drops a job; removing one that is not there does nothing.
func (ix *Index) RemoveJob(id int64) {
	ix.removeJob(id)
	ix.changed(bot.Change{Kind: bot.ChangeJob, ID: id})
}

func (ix *Index) removeJob(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.jobs, id)
}

// compile turns a job into index terms. mu held (read is enough).
func (ix *Index) compile(j *bot.Job, now time.Time) *compiledJob {
	cj := &compiledJob{job: j, deadline: day(j.Deadline)}
	seen := map[uint32]bool{}
	add := func(s string, weight uint8) {
		if strings.TrimSpace(s) == "" || len(cj.skills) == maxJobSkills {
			return
		}
		name := ix.canonical(s)
		id := ix.skillID(name)
		if id != noSkill && seen[id] {
			return
		}
		seen[id] = true
		cj.skills = append(cj.skills, id)
		cj.names = append(cj.names, name)
		cj.weights = append(cj.weights, weight)
		cj.totalWeight += int(weight)
		var rel []uint32
		if id != noSkill {
			rel = ix.relatedOf[id]
		}
		cj.related = append(cj.related, rel)
	}
	for _, s := range j.Skills {
		add(s, requiredWeight)
	}
	for _, s := range j.NiceSkills {
		add(s, niceWeight)
	}
	b := j.Budget
	if b.Max > 0 || b.Min > 0 {
		lo, ok1 := ix.cfg.Currencies.ToUSD(b.Min, b.Currency)
		hi, ok2 := ix.cfg.Currencies.ToUSD(max(b.Max, b.Min), b.Currency)
		lo, hi = clampMoney(lo), clampMoney(hi)
		if ok1 && ok2 && hi > 0 {
			cj.lo, cj.hi, cj.currency = min(lo, hi), hi, strings.ToUpper(b.Currency)
			cj.budget = budgetFixed
			if b.Unit == parse.BudgetHourly {
				cj.budget = budgetHourly
			}
		}
	}
	if loc := ix.location(j.Timezone); loc != nil {
		cj.hasTZ = true
		cj.tzOff = offsetAt(loc, now)
		cj.tzName = zoneName(j.Timezone)
		if strings.HasPrefix(j.Timezone, "Etc/") {
			cj.tzName = offsetName(cj.tzOff) // Etc/GMT-2 is UTC+2
		}
	}
	if !j.Location.Remote && j.Location.City != "" {
		cj.cityName = j.Location.City
		cj.city = ix.cities[strings.ToLower(strings.TrimSpace(j.Location.City))]
		if cj.city == 0 {
			cj.city = noCity
		}
	}
	return cj
}

// noCity stands for an on-site city no profile is in.
const noCity = ^uint32(0)

// scratch is per-query working memory: a mask per slot and the slots
// touched, so a query never clears more than it wrote.
type scratch struct {
	masks   []uint32
	touched []uint32
	buckets [][]uint64 // by skill level: slot<<32 | mask
	levels  []uint8    // see compiledJob.levelTable
}

func (ix *Index) getScratch() *scratch {
	sc, _ := ix.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.masks) < len(ix.entries) {
		sc.masks = make([]uint32, len(ix.entries)+len(ix.entries)/8)
	}
	sc.touched = sc.touched[:0]
	return sc
}

// collect marks the slots that have any asked skill or a related one in
// sc.masks: bit i for asked skill i, bit 16+i for a related skill of it.
// mu held (read).
func (ix *Index) collect(cj *compiledJob, sc *scratch) {
	mark := func(s uint32, bit uint32) {
		list := ix.postings[s]
		check := ix.stale[s] > 0
		m := sc.masks
		for _, slot := range list {
			if check && !ix.skillsOf(&ix.entries[slot]).has(s) {
				continue
			}
			if m[slot] == 0 {
				sc.touched = append(sc.touched, slot)
			}
			m[slot] |= bit
		}
	}
	for i, s := range cj.skills {
		if s == noSkill {
			continue
		}
		var bit uint32 = 1 << 31 // beyond the masks: candidate only
		if i < maskSkills {
			bit = 1 << i
		}
		mark(s, bit)
		for _, r := range cj.related[i] {
			rbit := bit
			if i < maskSkills {
				rbit = 1 << (maskSkills + i)
			}
			mark(r, rbit)
		}
	}
}

// MatchJob ranks published profiles for a job, best first, at most limit.
// Ties are broken by account ID. A profile must have at least one of the
// job's skills or a related one (any profile when the job asks for none);
// an on-site job only matches profiles in its city.
func (ix *Index) MatchJob(j bot.Job, limit int) []Match { return ix.MatchJobHiding(j, limit, nil) }

// MatchJobHiding is MatchJob seen from a workspace: the accounts in hidden
// (people who chose not to be found there, privacy.go) never appear.
func (ix *Index) MatchJobHiding(j bot.Job, limit int, hidden map[int64]bool) []Match {
	if limit <= 0 {
		return nil
	}
	now := ix.cfg.Now()
	today := day(now)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	cj := ix.compile(&j, now)
	top := &topK{limit: limit}
	bound := WeightRate + WeightAvailability + WeightTimezone + SignalWeight*float64(len(ix.cfg.Signals))
	// A candidate's skill part is known from the posting lists alone, so
	// candidates are taken by skill level, best first, and the walk stops
	// once even a perfect rest could not beat the current top.
	n := len(cj.skills)
	levels := 2*cj.totalWeight + 1 // skill part = level/(2W): see compiledJob.level
	hopeless := func(level int) bool {
		return top.full() && WeightSkills*float64(level)/float64(max(2*cj.totalWeight, 1))+bound+1e-9 < top.worst().score // 1e-9: sums in another order round differently
	}
	consider := func(slot uint32, exact, related uint64) {
		e := &ix.entries[slot]
		if cj.city != 0 && e.city != cj.city || hidden[e.account] {
			return
		}
		p := score(e, cj, exact, related, today)
		if len(ix.cfg.Signals) > 0 {
			addSignals(&p, ix.cfg.Signals, e.account, cj.job)
		}
		top.offer(ranked{score: p.total, id: e.account, slot: slot})
	}
	if n == 0 {
		for slot := range ix.entries {
			if ix.entries[slot].flags&flagLive != 0 {
				consider(uint32(slot), 0, 0)
			}
		}
	} else {
		sc := ix.getScratch()
		ix.collect(cj, sc)
		wide := n > maskSkills
		if cap(sc.buckets) < levels {
			sc.buckets = make([][]uint64, levels)
		}
		sc.buckets = sc.buckets[:levels]
		for i := range sc.buckets {
			sc.buckets[i] = sc.buckets[i][:0]
		}
		table := cj.levelTable(sc)
		for _, slot := range sc.touched {
			m := sc.masks[slot]
			sc.masks[slot] = 0
			var level int
			switch {
			case wide:
				level = cj.level(masks(ix.skillsOf(&ix.entries[slot]), cj))
			case table != nil:
				level = int(table[m&0xffff|(m>>maskSkills)<<n])
			default:
				level = cj.level(uint64(m&0xffff), uint64(m>>maskSkills))
			}
			sc.buckets[level] = append(sc.buckets[level], uint64(slot)<<32|uint64(m))
		}
	walk:
		for level := levels - 1; level > 0; level-- {
			for _, v := range sc.buckets[level] {
				if hopeless(level) {
					break walk
				}
				slot, m := uint32(v>>32), uint32(v)
				exact, related := uint64(m&0xffff), uint64(m>>maskSkills)
				if wide {
					exact, related = masks(ix.skillsOf(&ix.entries[slot]), cj)
				}
				consider(slot, exact, related)
			}
		}
		ix.scratch.Put(sc)
	}
	out := make([]Match, 0, top.Len())
	for _, r := range top.sorted() {
		e := &ix.entries[r.slot]
		skills := ix.skillsOf(e)
		exact, related := masks(skills, cj)
		p := score(e, cj, exact, related, today)
		if len(ix.cfg.Signals) > 0 {
			addSignals(&p, ix.cfg.Signals, e.account, cj.job)
		}
		out = append(out, Match{AccountID: e.account, Score: p.total, Reason: ix.reason(p, e, skills, cj, today)})
	}
	return out
}

// MatchProfile ranks the open jobs for a freelancer, best first, at most
// limit. Jobs whose deadline has passed never appear. A job must ask for at
// least one of the profile's skills or a related one, or ask for none.
func (ix *Index) MatchProfile(p bot.Profile, limit int) []JobMatch {
	if limit <= 0 {
		return nil
	}
	now := ix.cfg.Now()
	today := day(now)
	e, names := ix.makeEntry(p, now)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var skills skillList
	for _, n := range names {
		if id := ix.skillID(n); id != noSkill {
			skills = append(skills, id)
		}
	}
	slices.Sort(skills)
	skills = slices.Compact(skills)
	city := ix.cities[strings.ToLower(strings.TrimSpace(p.Location.City))]
	top := &topK{limit: limit}
	for _, cj := range ix.jobs {
		if cj.deadline != 0 && cj.deadline < today {
			continue
		}
		if cj.city != 0 && (city == 0 || cj.city != city) {
			continue
		}
		exact, related := masks(skills, cj)
		if len(cj.skills) > 0 && exact|related == 0 {
			continue
		}
		sp := score(&e, cj, exact, related, today)
		if len(ix.cfg.Signals) > 0 {
			addSignals(&sp, ix.cfg.Signals, p.AccountID, cj.job)
		}
		top.offer(ranked{score: sp.total, id: cj.job.ID, job: cj})
	}
	out := make([]JobMatch, 0, top.Len())
	for _, r := range top.sorted() {
		cj := r.job
		exact, related := masks(skills, cj)
		sp := score(&e, cj, exact, related, today)
		if len(ix.cfg.Signals) > 0 {
			addSignals(&sp, ix.cfg.Signals, p.AccountID, cj.job)
		}
		out = append(out, JobMatch{JobID: cj.job.ID, Score: sp.total, Reason: ix.reason(sp, &e, skills, cj, today)})
	}
	return out
}

// AddSignals adds terms to the score of every later query (the bot adds
// reviews and staleness, retention.go).
func (ix *Index) AddSignals(s ...Signal) {
	ix.mu.Lock()
	ix.cfg.Signals = append(slices.Clip(ix.cfg.Signals), s...)
	ix.mu.Unlock()
}

// Rebuild replaces the contents of the index with the published profiles
// and open jobs of the store. On error the index keeps its old contents.
// It builds a fresh index and swaps it in, so queries keep being answered
// meanwhile; a Put that lands during a rebuild may be lost, so run it at
// start, before writes are served, or re-Put what changed afterwards.
func (ix *Index) Rebuild(ctx context.Context, s bot.Store) error {
	fresh := &Index{cfg: ix.cfg}
	fresh.reset()
	now := ix.cfg.Now()
	err := s.Profiles(ctx, func(p bot.Profile) error {
		if p.Status != bot.ProfilePublished {
			return nil
		}
		e, names := ix.makeEntry(p, now)
		fresh.put(e, names, profileWords(p), strings.ToLower(strings.TrimSpace(p.Location.City)), p.Location.City)
		return ctx.Err()
	}, bot.ProfilePublished)
	if err != nil {
		return err
	}
	if err := fresh.loadJobs(ctx, s); err != nil {
		return err
	}
	fresh.trim()
	ix.swap(fresh)
	return nil
}

// trim gives back the room appends left in the entries and the posting
// lists, after a build. mu held, or the index not yet shared.
func (ix *Index) trim() {
	ix.entries = clipped(ix.entries)
	if ix.skillWaste > 0 {
		ix.compactSkills()
	}
	ix.skillBlock = clipped(ix.skillBlock)
	for s, list := range ix.postings {
		ix.postings[s] = clipped(list)
	}
	ix.text.trim()
}

// loadJobs adds the open jobs of s to an index not yet shared.
func (ix *Index) loadJobs(ctx context.Context, s bot.Store) error {
	jobs, err := s.Jobs(ctx, bot.JobFilter{Status: bot.JobOpen})
	if err != nil {
		return err
	}
	now := ix.cfg.Now()
	for i := range jobs {
		j := jobs[i]
		if j.Status != bot.JobOpen {
			continue
		}
		for _, sk := range j.Skills {
			if strings.TrimSpace(sk) != "" {
				ix.intern(ix.canonical(sk))
			}
		}
		ix.jobs[j.ID] = ix.compile(&j, now)
	}
	return nil
}

// swap replaces the contents of ix with those of fresh.
func (ix *Index) swap(fresh *Index) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.entries, ix.slots, ix.free, ix.live = fresh.entries, fresh.slots, fresh.free, fresh.live
	ix.skillBlock, ix.skillWaste = fresh.skillBlock, fresh.skillWaste
	ix.postings, ix.stale, ix.skillIDs, ix.skillNames, ix.relatedOf = fresh.postings, fresh.stale, fresh.skillIDs, fresh.skillNames, fresh.relatedOf
	ix.cities, ix.cityNames, ix.jobs, ix.text = fresh.cities, fresh.cityNames, fresh.jobs, fresh.text
	ix.mark, ix.markGen = nil, 0
	ix.gen++
}

// ranked is one candidate in a top-k.
type ranked struct {
	score float64
	id    int64
	slot  uint32
	job   *compiledJob
}

// better orders candidates: higher score, then lower ID.
func better(a, b ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

// topK keeps the best limit candidates in a heap whose root is the worst.
type topK struct {
	limit int
	items []ranked
}

func (t *topK) Len() int { return len(t.items) }

func (t *topK) Less(i, j int) bool { return better(t.items[j], t.items[i]) }

func (t *topK) Swap(i, j int) { t.items[i], t.items[j] = t.items[j], t.items[i] }

func (t *topK) Push(x any) { t.items = append(t.items, x.(ranked)) }

func (t *topK) Pop() any {
	x := t.items[len(t.items)-1]
	t.items = t.items[:len(t.items)-1]
	return x
}

func (t *topK) full() bool { return len(t.items) >= t.limit }

func (t *topK) worst() ranked { return t.items[0] }

func (t *topK) offer(r ranked) {
	if !t.full() {
		heap.Push(t, r)
		return
	}
	if better(r, t.items[0]) {
		t.items[0] = r
		heap.Fix(t, 0)
	}
}

// sorted returns the candidates best first.
func (t *topK) sorted() []ranked {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(a, b ranked) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	return out
}
