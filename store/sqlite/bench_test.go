package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bench/cpu"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/sqldb"
	"github.com/hirebot/hirebot/store/storetest"
)

// benchProfiles is the size of the generated population: a large
// marketplace, well past what one machine with SQLite will serve.
const benchProfiles = 100_000

var (
	benchSkills = strings.Fields(`Go Rust Python Java Kotlin Swift TypeScript JavaScript Node.js React Vue
		Angular Svelte Django Flask Rails Laravel PHP Ruby Elixir Scala Haskell C++ C# .NET Unity Unreal
		PostgreSQL MySQL SQLite MongoDB Redis Kafka RabbitMQ Elasticsearch GraphQL gRPC REST Docker
		Kubernetes Terraform Ansible AWS GCP Azure Linux Bash Figma Photoshop Illustrator Blender
		Copywriting SEO Marketing Translation Accounting Excel Tableau PowerBI Pandas NumPy PyTorch
		TensorFlow Spark Airflow dbt Snowflake Solidity Flutter Android iOS WordPress Shopify Webflow`)
	benchRoles = strings.Fields(`engineer developer designer consultant architect analyst writer
		scientist specialist freelancer contractor lead`)
	benchAreas = strings.Fields(`backend frontend full-stack mobile data cloud platform security
		growth product payments search infrastructure embedded game`)
	benchWords = strings.Fields(`build ship maintain scale design migrate automate test deliver
		systems apps services pipelines dashboards websites stores models teams startups clients
		reliable fast secure simple clean remote agile years experience with for and in the of
		machine learning real time distributed event driven high traffic small budget`)
)

func pick(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

// generateProfile makes a plausible published profile from r.
func generateProfile(r *rand.Rand, accountID int64) bot.Profile {
	p := storetest.FullProfile(accountID)
	n := 2 + r.IntN(5)
	p.Skills = make([]string, 0, n)
	for range n {
		p.Skills = append(p.Skills, pick(r, benchSkills))
	}
	p.Headline = pick(r, benchAreas) + " " + pick(r, benchRoles) + " (" + p.Skills[0] + ")"
	var bio strings.Builder
	for i := range 20 + r.IntN(30) {
		if i > 0 {
			bio.WriteByte(' ')
		}
		if r.IntN(8) == 0 {
			bio.WriteString(pick(r, benchSkills))
		} else {
			bio.WriteString(pick(r, benchWords))
		}
	}
	p.Bio = bio.String()
	p.YearsExperience = r.IntN(25)
	p.Rate.Amount = float64(20 + r.IntN(180))
	p.Status = bot.ProfilePublished
	p.UpdatedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return p
}

// bulkLoad inserts n generated profiles (with their accounts and search
// rows) in one transaction, with prepared statements. The seed is fixed so
// every run searches the same data.
func bulkLoad(tb testing.TB, db *DB, n int) {
	tb.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	write, _ := db.Conns()
	tx, err := write.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	accounts, err := tx.PrepareContext(ctx, `INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	profiles, err := tx.PrepareContext(ctx, `INSERT INTO profiles (account_id, name, headline, skills, years_experience, rate_amount, rate_currency, rate_unit,
		hours_per_week, available_from, timezone, work_types, remote, city, portfolio, bio, status, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	search, err := tx.PrepareContext(ctx, `INSERT INTO profile_search (rowid, skills, headline, bio) VALUES (?, ?, ?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	created := sqldb.FormatTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for i := range n {
		id := int64(i + 1)
		p := generateProfile(r, id)
		if _, err := accounts.ExecContext(ctx, id, p.Name, created); err != nil {
			tb.Fatal(err)
		}
		if _, err := profiles.ExecContext(ctx, p.AccountID, p.Name, p.Headline, encodeList(p.Skills), p.YearsExperience,
			p.Rate.Amount, p.Rate.Currency, p.Rate.Unit, p.Availability.HoursPerWeek, Dialect{}.Date(p.Availability.AvailableFrom),
			p.Timezone, encodeList(p.WorkTypes), p.Location.Remote, p.Location.City, encodeList(p.Portfolio), p.Bio,
			p.Status, sqldb.FormatTime(p.UpdatedAt)); err != nil {
			tb.Fatal(err)
		}
		if _, err := search.ExecContext(ctx, id, strings.Join(p.Skills, ", "), p.Headline, p.Bio); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func BenchmarkSaveProfile(b *testing.B) {
	db := MustOpen(b, Options{})
	a, err := db.ResolveAccount(b.Context(), bot.Identity{Platform: bot.Console, UserID: "bench"}, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	p := storetest.FullProfile(a.ID) // published: every save also rewrites the search row
	for b.Loop() {
		if _, err := db.SaveProfile(b.Context(), p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchProfiles(b *testing.B) {
	db := MustOpen(b, Options{})
	bulkLoad(b, db, benchProfiles)
	for _, bc := range []struct {
		name string
		q    bot.TextQuery
	}{
		{"common skill", bot.TextQuery{Terms: []string{"go"}}},
		{"two skills", bot.TextQuery{Terms: []string{"kubernetes", "terraform"}}},
		{"skill and phrase", bot.TextQuery{Terms: []string{"python"}, Phrases: []string{"machine learning"}}},
		{"dotted skill", bot.TextQuery{Terms: []string{"node.js"}}},
		{"no match", bot.TextQuery{Terms: []string{"cobol"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var hits int
			for b.Loop() {
				ids, err := db.SearchProfiles(b.Context(), bc.q, 20)
				if err != nil {
					b.Fatal(err)
				}
				hits = len(ids)
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}

// BenchmarkProfilesScan reads every profile, as the match index does when
// a process starts.
func BenchmarkProfilesScan(b *testing.B) {
	db := MustOpen(b, Options{})
	bulkLoad(b, db, benchProfiles)
	for b.Loop() {
		n := 0
		if err := db.Profiles(b.Context(), func(bot.Profile) error { n++; return nil }, bot.ProfilePublished); err != nil {
			b.Fatal(err)
		}
		if n != benchProfiles {
			b.Fatalf("scanned %d profiles, want %d", n, benchProfiles)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchProfiles, "ns/profile")
}

// BenchmarkInboxEvent is the inbox's cost of one message: record the
// event, then mark it done with one reply waiting for delivery. The
// parallel case is 50 people's messages at once, as under load.
func BenchmarkInboxEvent(b *testing.B) {
	db := MustOpen(b, Options{})
	replies := []bot.Reply{{Text: "What is your headline?"}}
	var seq atomic.Int64
	event := func(b *testing.B, user string) {
		ctx := b.Context()
		ev := bot.Event{ID: "Ev" + strconv.FormatInt(seq.Add(1), 10), Kind: bot.KindMessage, Private: true, Text: "Ada Lovelace",
			From: bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: user},
			Chat: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "D" + user}}
		e := bot.InboxEntry{ID: bot.InboxID(ev), Conversation: ev.From.String(), Event: ev, Attempts: 1}
		if state, err := db.Record(ctx, e, "bench", time.Minute); err != nil || state != bot.InboxLeased {
			b.Fatal(state, err)
		}
		if err := db.Done(ctx, e.ID, "bench", replies, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("people=1", func(b *testing.B) {
		defer cpu.PerOp(b)()
		for b.Loop() {
			event(b, "U1")
		}
	})
	b.Run("people=50", func(b *testing.B) {
		defer cpu.PerOp(b)()
		var users atomic.Int64
		b.SetParallelism(25) // 50 goroutines on 2 cores
		b.RunParallel(func(pb *testing.PB) {
			user := "P" + strconv.FormatInt(users.Add(1), 10)
			for pb.Next() {
				event(b, user)
			}
		})
	})
}

// BenchmarkOpenChatSweep is what an open terminal chat pays every sweep
// when nothing waits for its person, in an outbox of 20,000 rows (sent
// and held, for 1,000 other people): the read it makes now (Waiting), and
// the claim, a write transaction, that it would make without it.
func BenchmarkOpenChatSweep(b *testing.B) {
	db := MustOpen(b, Options{})
	ctx := b.Context()
	var ns []bot.Notification
	for i := range 1000 {
		a, err := db.ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: fmt.Sprintf("u%d", i)}, "")
		if err != nil {
			b.Fatal(err)
		}
		for range 20 {
			ns = append(ns, bot.Notification{AccountID: a.ID, Reply: bot.Reply{Text: "an invite"}})
		}
	}
	if err := db.Enqueue(ctx, ns); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	for {
		claimed, err := db.Claim(ctx, bot.ClaimRequest{Now: now, Lease: time.Minute, Limit: 1000})
		if err != nil {
			b.Fatal(err)
		}
		if len(claimed) == 0 {
			break
		}
		for i, n := range claimed {
			s := bot.Settlement{State: bot.NoteSent}
			if i%2 == 0 {
				s.State = bot.NoteHeld
			}
			if err := db.Settle(ctx, n.ID, n.Claim, s); err != nil {
				b.Fatal(err)
			}
		}
	}
	me, err := db.ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: "ann"}, "")
	if err != nil {
		b.Fatal(err)
	}
	r := bot.ClaimRequest{Now: now, Lease: time.Minute, Platforms: []string{bot.Console}, AccountID: me.ID, Limit: 50}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if waiting, err := db.Waiting(ctx, r); err != nil || waiting {
				b.Fatal(waiting, err)
			}
		}
	})
	b.Run("claim", func(b *testing.B) {
		for b.Loop() {
			if got, err := db.Claim(ctx, r); err != nil || len(got) != 0 {
				b.Fatal(got, err)
			}
		}
	})
}
