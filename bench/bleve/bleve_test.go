package bleve

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hirebot/hirebot/bench"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
)

const (
	profiles = 100_000
	queries  = 1_000
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// engines holds both engines built on the same profiles, once per run.
type engines struct {
	ix               *match.Index
	bl               blevesearch.Index
	ixBuild, blBuild time.Duration
	queries          []match.SearchQuery
	texts            []string
	agree, compared  int
}

var (
	once  sync.Once
	built *engines
	fail  error
)

func setup(b *testing.B) *engines {
	b.Helper()
	once.Do(func() { built, fail = build(b.TempDir()) })
	if fail != nil {
		b.Fatal(fail)
	}
	return built
}

func build(dir string) (*engines, error) {
	g := bench.NewGenerator(1, now)
	g.Text = true
	ps := make([]bot.Profile, profiles)
	for i := range ps {
		ps[i] = g.Profile(int64(i + 1))
	}
	e := &engines{ix: match.NewIndex(match.IndexConfig{Now: func() time.Time { return now }})}
	start := time.Now()
	for _, p := range ps {
		e.ix.Put(p)
	}
	e.ixBuild = time.Since(start)

	im := blevesearch.NewIndexMapping()
	if err := im.AddCustomAnalyzer("words", map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name, "token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = "words" // split and lower-case like hirebot: no stemming, no stop words
	// Each skill whole, as hirebot's skill filters match it: a skill
	// filter for "Automation" must not match "Test Automation".
	doc := blevesearch.NewDocumentMapping()
	skill := blevesearch.NewTextFieldMapping()
	skill.Analyzer = keyword.Name
	doc.AddFieldMappingsAt("skill", skill)
	im.DefaultMapping = doc
	start = time.Now()
	bl, err := blevesearch.New(dir+"/bleve", im)
	if err != nil {
		return nil, err
	}
	batch := bl.NewBatch()
	for _, p := range ps {
		if p.Status != bot.ProfilePublished {
			continue
		}
		doc := map[string]any{"skills": strings.Join(p.Skills, ", "), "skill": p.Skills, "headline": p.Headline, "bio": p.Bio}
		if err := batch.Index(strconv.FormatInt(p.AccountID, 10), doc); err != nil {
			return nil, err
		}
		if batch.Size() == 1000 {
			if err := bl.Batch(batch); err != nil {
				return nil, err
			}
			batch = bl.NewBatch()
		}
	}
	if err := bl.Batch(batch); err != nil {
		return nil, err
	}
	e.blBuild, e.bl = time.Since(start), bl

	for i := range queries {
		text := g.Search(i, true)
		q, err := match.ParseSearch(text)
		if err != nil {
			return nil, err
		}
		e.texts, e.queries = append(e.texts, text), append(e.queries, q)
	}
	fmt.Printf("build: hirebot %v, Bleve %v (batches of 1,000)\n", e.ixBuild.Round(time.Millisecond), e.blBuild.Round(time.Millisecond))
	// The match sets of the text part (free text and skill words, no
	// rate, zone or availability filters), which both engines can answer.
	for i, q := range e.queries {
		if i%5 != 0 {
			continue
		}
		_, ours := e.ix.Search(textOnly(q), nil, 0, 0)
		res, err := bl.Search(blevesearch.NewSearchRequestOptions(bleveQuery(q), 0, 0, false))
		if err != nil {
			return nil, err
		}
		e.compared++
		if uint64(ours) == res.Total {
			e.agree++
		} else if e.compared-e.agree <= 5 {
			fmt.Printf("differ: %q: hirebot %d, Bleve %d (%+v)\n", e.texts[i], ours, res.Total, textOnly(q))
		}
	}
	return e, nil
}

// textOnly keeps what Bleve is asked: the words and the skills.
func textOnly(q match.SearchQuery) match.SearchQuery {
	return match.SearchQuery{Terms: q.Terms, Phrases: q.Phrases, Skills: q.Skills, Broad: q.Broad}
}

// bleveQuery is q.Text() for Bleve: every free term or phrase in some field
// (skills weigh 4, the headline 2, the bio 1, as in hirebot), every skill
// whole in the skill field, and of each broad skill's group at least one.
func bleveQuery(q match.SearchQuery) query.Query {
	anyField := func(s string) query.Query {
		var or []query.Query
		for f, boost := range map[string]float64{"skills": 4, "headline": 2, "bio": 1} {
			m := blevesearch.NewMatchPhraseQuery(s)
			m.SetField(f)
			m.SetBoost(boost)
			or = append(or, m)
		}
		return blevesearch.NewDisjunctionQuery(or...)
	}
	skill := func(s string) query.Query {
		m := blevesearch.NewTermQuery(s)
		m.SetField("skill")
		return m
	}
	// Text() makes the broad skills' groups only beside free text; ask
	// for them with a stand-in term so queries of skill words alone get
	// them too.
	tq := match.SearchQuery{Terms: []string{"-"}, Broad: q.Broad}.Text()
	var and []query.Query
	for _, s := range append(slices.Clone(q.Terms), q.Phrases...) {
		and = append(and, anyField(s))
	}
	for _, s := range q.Skills {
		and = append(and, skill(s))
	}
	for _, group := range tq.AnyOf {
		var or []query.Query
		for _, s := range group {
			or = append(or, skill(s))
		}
		and = append(and, blevesearch.NewDisjunctionQuery(or...))
	}
	return blevesearch.NewConjunctionQuery(and...)
}

// BenchmarkTextSearch runs the same 1,000 searches with free text through
// both engines, reporting the median and p99 of one search (hirebot's with
// its filters, Bleve's with the text part), the build times, and how many
// sampled text-part match sets agree.
func BenchmarkTextSearch(b *testing.B) {
	e := setup(b)
	b.Logf("build: hirebot %v, Bleve %v (batches of 1,000); text-part match sets agree on %d of %d sampled queries",
		e.ixBuild.Round(time.Millisecond), e.blBuild.Round(time.Millisecond), e.agree, e.compared)
	run := func(b *testing.B, search func(i int) error) {
		lat := make([]time.Duration, 0, queries)
		for b.Loop() {
			lat = lat[:0]
			for i := range queries {
				t := time.Now()
				if err := search(i); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
			}
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("engine=hirebot", func(b *testing.B) {
		b.ReportMetric(e.ixBuild.Seconds(), "build-s")
		run(b, func(i int) error {
			q, err := match.ParseSearch(e.texts[i])
			if err != nil {
				return err
			}
			e.ix.Search(q, nil, 0, 10)
			return nil
		})
	})
	b.Run("engine=bleve", func(b *testing.B) {
		b.ReportMetric(e.blBuild.Seconds(), "build-s")
		run(b, func(i int) error {
			q, err := match.ParseSearch(e.texts[i])
			if err != nil {
				return err
			}
			_, err = e.bl.Search(blevesearch.NewSearchRequestOptions(bleveQuery(q), 10, 0, false))
			return err
		})
	})
	b.Run("agree", func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(float64(e.agree)/float64(max(e.compared, 1)), "agreeing-fraction")
		if e.agree != e.compared {
			fmt.Printf("text-part match sets differ on %d of %d sampled queries\n", e.compared-e.agree, e.compared)
		}
	})
}
