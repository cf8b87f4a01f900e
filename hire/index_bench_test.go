package hire_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bench"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
	"github.com/hirebot/hirebot/store/sqlite"
)

// The benchmarks run over profiles from the load tool's generator (an
// external test package, so bench may import bot without a cycle).

var benchNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

type builtIndex struct {
	ix    *match.Index
	bytes float64 // heap per profile
	gen   *bench.Generator
}

var (
	builtMu sync.Mutex
	built   = map[int]*builtIndex{}
)

// benchIndex builds (once per size) an index of n generated profiles and
// 1,000 open jobs.
func benchIndex(b *testing.B, n int) *builtIndex {
	b.Helper()
	builtMu.Lock()
	defer builtMu.Unlock()
	if bi, ok := built[n]; ok {
		return bi
	}
	clear(built) // keep one size in memory at a time
	g := bench.NewGenerator(1, benchNow)
	before := heap()
	ix := match.NewIndex(match.IndexConfig{Now: func() time.Time { return benchNow }})
	for id := int64(1); id <= int64(n); id++ {
		ix.Put(g.Profile(id))
	}
	bi := &builtIndex{ix: ix, gen: g, bytes: float64(heap()-before) / float64(n)}
	for id := int64(1); id <= 1000; id++ {
		ix.PutJob(g.Job(id))
	}
	built[n] = bi
	return bi
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func BenchmarkMatchJob(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			bi := benchIndex(b, n)
			jobs := make([]bot.Job, 256)
			for i := range jobs {
				jobs[i] = bi.gen.Job(int64(10_000 + i))
			}
			cpu := bench.CPUTime()
			for i := 0; b.Loop(); i++ {
				bi.ix.MatchJob(jobs[i%len(jobs)], 20)
			}
			b.ReportMetric(float64(bench.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(bi.bytes, "index-B/profile")
		})
	}
}

func BenchmarkMatchProfile(b *testing.B) {
	bi := benchIndex(b, 100_000)
	for i := 0; b.Loop(); i++ {
		bi.ix.MatchProfile(bi.gen.Profile(int64(1+i%100_000)), 20)
	}
}

func BenchmarkSearch(b *testing.B) {
	bi := benchIndex(b, 100_000)
	queries := make([]match.SearchQuery, 256)
	for i := range queries {
		q, err := match.ParseSearch(bi.gen.Search(i, false))
		if err != nil {
			b.Fatal(err)
		}
		queries[i] = q
	}
	for i := 0; b.Loop(); i++ {
		bi.ix.Search(queries[i%len(queries)], nil, 0, 10)
	}
}

var (
	textOnce  sync.Once
	textIndex *match.Index
	textGen   *bench.Generator
)

// searchTextIndex builds (once) the index of BenchmarkSearchText.
func searchTextIndex() *match.Index {
	textOnce.Do(func() {
		textGen = bench.NewGenerator(1, benchNow)
		textGen.Text = true
		textIndex = match.NewIndex(match.IndexConfig{Now: func() time.Time { return benchNow }})
		for id := int64(1); id <= 100_000; id++ {
			textIndex.Put(textGen.Profile(id))
		}
	})
	return textIndex
}

// BenchmarkSearchText is the searches with free text of bench/bleve's
// comparison (the same generator, seed and queries) over 100,000
// profiles with headlines and bios, answered by the index's own words.
func BenchmarkSearchText(b *testing.B) {
	searchTextIndex()
	queries := make([]match.SearchQuery, 1000)
	for i := range queries {
		q, err := match.ParseSearch(textGen.Search(i, true))
		if err != nil {
			b.Fatal(err)
		}
		queries[i] = q
	}
	cpu := bench.CPUTime()
	for i := 0; b.Loop(); i++ {
		textIndex.Search(queries[i%len(queries)], nil, 0, 10)
	}
	// The process's CPU time per search: steadier than the wall clock
	// on a shared machine.
	b.ReportMetric(float64(bench.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
}

func BenchmarkParseSearch(b *testing.B) {
	for b.Loop() {
		if _, err := match.ParseSearch(`golang postgres "rest api" rate<60eur tz:Europe/Berlin available remote`); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPut is one profile update (rate and a skill change) reflected in
// the index; the check after the loop shows it took effect.
func BenchmarkPut(b *testing.B) {
	bi := benchIndex(b, 100_000)
	p := bi.gen.Profile(4242)
	base := p.Skills
	for i := 0; b.Loop(); i++ {
		p.Rate.Amount = float64(10 + i%100)
		if i%2 == 0 {
			p.Skills = base[1:]
		} else {
			p.Skills = base
		}
		bi.ix.Put(p)
	}
	b.StopTimer()
	p.Skills = []string{"Basket Weaving Zz"}
	bi.ix.Put(p)
	if m := bi.ix.MatchJob(bot.Job{Skills: p.Skills}, 5); len(m) != 1 || m[0].AccountID != 4242 {
		b.Fatalf("update not reflected: %+v", m)
	}
	bi.ix.Put(bi.gen.Profile(4242))
}

// BenchmarkSnapshot writes and loads a snapshot of 100,000 generated
// profiles, without and with their words, and reports the file's size
// and the loaded index's heap per profile.
func BenchmarkSnapshot(b *testing.B) {
	db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "empty.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	newIndex := func() *match.Index {
		return match.NewIndex(match.IndexConfig{Now: func() time.Time { return benchNow }})
	}
	for _, text := range []bool{false, true} {
		var ix *match.Index
		if text {
			ix = searchTextIndex()
		} else {
			ix = benchIndex(b, 100_000).ix
		}
		var buf bytes.Buffer
		b.Run(fmt.Sprintf("write/text=%v", text), func(b *testing.B) {
			cpu := bench.CPUTime()
			for b.Loop() {
				buf.Reset()
				if err := ix.WriteSnapshot(b.Context(), &buf, 0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(bench.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(buf.Len())/float64(ix.Len()), "file-B/profile")
		})
		b.Run(fmt.Sprintf("load/text=%v", text), func(b *testing.B) {
			cpu := bench.CPUTime()
			for b.Loop() {
				if _, err := newIndex().LoadSnapshot(b.Context(), buf.Bytes(), db, db); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(bench.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.StopTimer()
			before := heap()
			loaded := newIndex()
			if _, err := loaded.LoadSnapshot(b.Context(), buf.Bytes(), db, db); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(heap()-before)/float64(loaded.Len()), "index-B/profile")
		})
	}
}
