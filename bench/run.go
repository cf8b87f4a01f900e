package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
)

// Config is what `hirebot bench` measures.
type Config struct {
	Profiles int    // synthetic profiles; default 100,000
	Jobs     int    // synthetic open jobs; default 1,000
	Queries  int    // match and search queries of each kind; default 1,000
	Seed     uint64 // same seed, same data
	// Store, when set, is filled with the synthetic profiles (when it has
	// fewer published ones), the index is rebuilt from it (timed), and the
	// same searches run through its plain text search for comparison.
	Store bot.Store
	// Log is Store's profile log: the snapshot of the index rebuilt from
	// Store is stamped with its position and loaded against it.
	Log bot.ProfileLog
	// Import, when set, fills an empty Store from a backup in one
	// transaction instead of profile by profile.
	Import func(ctx context.Context, r io.Reader) (int, error)
	// DBPath names the store in the report.
	DBPath string
	// Now anchors dates; zero means time.Now.
	Now time.Time
}

// Run generates the data, builds the index and prints the figures to w.
func Run(ctx context.Context, w io.Writer, cfg Config) error {
	if cfg.Profiles <= 0 {
		cfg.Profiles = 100_000
	}
	if cfg.Jobs <= 0 {
		cfg.Jobs = 1_000
	}
	if cfg.Queries <= 0 {
		cfg.Queries = 1_000
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	now := cfg.Now
	g := NewGenerator(cfg.Seed, now)
	ix := match.NewIndex(match.IndexConfig{Now: func() time.Time { return now }})
	fmt.Fprintf(w, "hirebot bench: %d profiles, %d jobs, %d queries, seed %d, GOMAXPROCS %d\n",
		cfg.Profiles, cfg.Jobs, cfg.Queries, cfg.Seed, runtime.GOMAXPROCS(0))
	sc, err := openScratch(ctx)
	if err != nil {
		return err
	}
	defer sc.Close()

	// Build the index from generated profiles, measuring its heap.
	before := heapInUse()
	start := time.Now()
	for id := int64(1); id <= int64(cfg.Profiles); id++ {
		if id%10_000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		ix.Put(g.Profile(id))
	}
	built := time.Since(start)
	after := heapInUse()
	fmt.Fprintf(w, "index build                %v (%v per profile)\n", round(built), round(built/time.Duration(cfg.Profiles)))
	fmt.Fprintf(w, "index memory               %.0f bytes/profile (heap %s, text excluded)\n",
		float64(after-before)/float64(cfg.Profiles), mib(after-before))

	for id := int64(1); id <= int64(cfg.Jobs); id++ {
		ix.PutJob(g.Job(id))
	}

	// Match: a job -> the top 20 freelancers.
	jobs := make([]bot.Job, cfg.Queries)
	for i := range jobs {
		jobs[i] = g.Job(int64(1 + i%cfg.Jobs))
	}
	lat := make([]time.Duration, 0, cfg.Queries)
	for i, j := range jobs {
		if i%100 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		t := time.Now()
		ix.MatchJob(j, 20)
		lat = append(lat, time.Since(t))
	}
	report(w, "match job top-20", lat)

	// Match: a freelancer -> the top 20 open jobs.
	lat = lat[:0]
	for i := range cfg.Queries {
		p := g.Profile(int64(1 + i%cfg.Profiles))
		t := time.Now()
		ix.MatchProfile(p, 20)
		lat = append(lat, time.Since(t))
	}
	report(w, "match profile top-20", lat)

	// Search without free text: skill words and filters, all structured.
	if err := searches(w, "search skills+filters", cfg.Queries, g, ix, false); err != nil {
		return err
	}

	// One profile update reflected in the index.
	lat = lat[:0]
	for i := range cfg.Queries {
		p := g.Profile(int64(1 + (i*7919)%cfg.Profiles))
		p.Rate.Amount++
		p.Skills = append(p.Skills[1:], p.Skills[0]) // same skills, new order
		if i%2 == 0 {
			p.Skills = p.Skills[1:] // one skill fewer
		}
		t := time.Now()
		ix.Put(p)
		lat = append(lat, time.Since(t))
	}
	report(w, "update one profile", lat)

	// What a start reads instead of rebuilding (snapshot.go).
	if err := snapshotFigures(ctx, w, "snapshot", sc.dir, ix, now, sc.db, sc.db, 0); err != nil {
		return err
	}

	if err := runText(ctx, w, cfg, g, sc); err != nil {
		return err
	}
	if cfg.Store == nil {
		fmt.Fprintln(w, "store text search          no store given: run with --db to compare with the database's own text search")
		return nil
	}
	return runStore(ctx, w, cfg, g, ix, sc)
}

// runText builds an index of the same profiles with their headlines and
// bios, and runs searches with free text through it.
func runText(ctx context.Context, w io.Writer, cfg Config, g *Generator, sc *scratch) error {
	g.Text = true
	defer func() { g.Text = false }()
	now := cfg.Now
	ix := match.NewIndex(match.IndexConfig{Now: func() time.Time { return now }})
	before := heapInUse()
	start := time.Now()
	for id := int64(1); id <= int64(cfg.Profiles); id++ {
		if id%10_000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		ix.Put(g.Profile(id))
	}
	built := time.Since(start)
	fmt.Fprintf(w, "index build with text      %v (%.0f bytes/profile with the words)\n", round(built), float64(heapInUse()-before)/float64(cfg.Profiles))
	if err := searches(w, "search text+filters", cfg.Queries, g, ix, true); err != nil {
		return err
	}
	return snapshotFigures(ctx, w, "snapshot with text", sc.dir, ix, now, sc.db, sc.db, 0)
}

// searches times n generated searches (with free text or without), each
// parsed and answered with its first page of 10.
func searches(w io.Writer, name string, n int, g *Generator, ix *match.Index, text bool) error {
	lat := make([]time.Duration, 0, n)
	results := 0
	for i := range n {
		s := g.Search(i, text)
		t := time.Now()
		q, err := match.ParseSearch(s)
		if err != nil {
			return fmt.Errorf("bench query %q: %w", s, err)
		}
		res, _ := ix.Search(q, nil, 0, 10)
		lat = append(lat, time.Since(t))
		results += len(res)
	}
	report(w, name, lat)
	fmt.Fprintf(w, "                           %.1f results per query on average\n", float64(results)/float64(n))
	return nil
}

// runStore fills the store if needed, times a rebuild from it, and runs
// keyword searches both ways: ours (the index with its words, filters
// included) and the store's plain text search given every word.
func runStore(ctx context.Context, w io.Writer, cfg Config, g *Generator, ix *match.Index, sc *scratch) error {
	have := 0
	if err := cfg.Store.Profiles(ctx, func(bot.Profile) error { have++; return nil }, bot.ProfilePublished); err != nil {
		return err
	}
	if have == 0 && cfg.Import != nil {
		g.Text = true
		start := time.Now()
		r, pw := io.Pipe()
		go func() { pw.CloseWithError(writeBackup(pw, g, cfg.Profiles, cfg.Now)) }()
		_, err := cfg.Import(ctx, r)
		r.CloseWithError(io.ErrClosedPipe) // stops the writer if the import failed
		if err != nil {
			return err
		}
		g.Text = false
		have = cfg.Profiles
		fmt.Fprintf(w, "store fill                 %d profiles into %s in %v (one import)\n", cfg.Profiles, cfg.DBPath, round(time.Since(start)))
	}
	if have < cfg.Profiles {
		g.Text = true
		start := time.Now()
		for i := have; i < cfg.Profiles; i++ {
			acc, err := cfg.Store.ResolveAccount(ctx, bot.Identity{Platform: "bench", UserID: itoa(int64(i + 1))}, "Person "+itoa(int64(i+1)))
			if err != nil {
				return err
			}
			p := g.Profile(int64(i + 1))
			p.AccountID = acc.ID
			if _, err := cfg.Store.SaveProfile(ctx, p); err != nil {
				return err
			}
		}
		g.Text = false
		fmt.Fprintf(w, "store fill                 %d profiles into %s in %v\n", cfg.Profiles-have, cfg.DBPath, round(time.Since(start)))
	}
	start := time.Now()
	if err := ix.Rebuild(ctx, cfg.Store); err != nil {
		return err
	}
	fmt.Fprintf(w, "rebuild from store         %v for %d profiles\n", round(time.Since(start)), ix.Len())
	if cfg.Log != nil {
		pos, err := cfg.Log.ProfileLogPosition(ctx, time.Now().Add(time.Hour)) // the rebuild saw every change
		if err != nil {
			return err
		}
		if err := snapshotFigures(ctx, w, "snapshot of the store", sc.dir, ix, cfg.Now, cfg.Store, cfg.Log, pos); err != nil {
			return err
		}
	}

	ours := make([]time.Duration, 0, cfg.Queries)
	plain := make([]time.Duration, 0, cfg.Queries)
	for i := range cfg.Queries {
		text := g.Search(i, true)
		t := time.Now()
		q, err := match.ParseSearch(text)
		if err != nil {
			return fmt.Errorf("bench query %q: %w", text, err)
		}
		ix.Search(q, nil, 0, 10)
		ours = append(ours, time.Since(t))

		// The same words through the text engine alone, filters left out.
		var terms []string
		for _, f := range strings.Fields(text) {
			if !strings.ContainsAny(f, ":<>") && f != "available" && f != "remote" {
				terms = append(terms, f)
			}
		}
		t = time.Now()
		if _, err := cfg.Store.SearchProfiles(ctx, bot.TextQuery{Terms: terms}, 10); err != nil {
			return err
		}
		plain = append(plain, time.Since(t))
	}
	report(w, "search ours (index text)", ours)
	report(w, "search plain store text", plain)
	mo, mp := median(ours), median(plain)
	if mo > 0 {
		fmt.Fprintf(w, "                           plain/ours median ratio %.1f\n", float64(mp)/float64(mo))
	}
	return nil
}

func report(w io.Writer, name string, lat []time.Duration) {
	s := slices.Clone(lat)
	slices.Sort(s)
	fmt.Fprintf(w, "%-26s median %-9v p99 %-9v max %v\n", name, round(quantile(s, 0.5)), round(quantile(s, 0.99)), round(s[len(s)-1]))
}

func median(lat []time.Duration) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return quantile(s, 0.5)
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d > time.Microsecond:
		return d.Round(10 * time.Nanosecond)
	}
	return d
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
