package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
	"github.com/hirebot/hirebot/store/sqlite"
)

// scratch is an empty SQLite store in a temporary folder: what a
// snapshot of generated profiles is loaded against (no open jobs, no
// changes after it), and where the snapshot file is written.
type scratch struct {
	dir string
	db  *sqlite.DB
}

func openScratch(ctx context.Context) (*scratch, error) {
	dir, err := os.MkdirTemp("", "hirebot-bench-")
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(dir, "scratch.db"), sqlite.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &scratch{dir: dir, db: db}, nil
}

func (s *scratch) Close() {
	s.db.Close()
	os.RemoveAll(s.dir)
}

// snapshotFigures writes ix's snapshot to a file stamped with position,
// reads it back into a new index against s and log, as a start does, and
// prints how long each took, the file's size and the loaded index's heap.
func snapshotFigures(ctx context.Context, w io.Writer, name, dir string, ix *match.Index, now time.Time, s bot.Store, log bot.ProfileLog, position int64) error {
	path := filepath.Join(dir, "index.snapshot")
	defer os.Remove(path)
	start := time.Now()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = ix.WriteSnapshot(ctx, bw, position)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	wrote := time.Since(start)
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	n := max(ix.Len(), 1)

	before := heapInUse()
	start = time.Now()
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	loaded := match.NewIndex(match.IndexConfig{Now: func() time.Time { return now }})
	info, err := loaded.LoadSnapshot(ctx, data, s, log)
	if err != nil {
		return err
	}
	took := time.Since(start)
	data = nil
	after := heapInUse()
	fmt.Fprintf(w, "%-26s write %v, %s (%.0f bytes/profile); load %v (%d profiles, %d replayed), %.0f bytes/profile in the heap\n",
		name, round(wrote), mib(uint64(st.Size())), float64(st.Size())/float64(n), round(took), info.Profiles, info.Replayed, float64(after-before)/float64(n))
	runtime.KeepAlive(loaded)
	runtime.KeepAlive(data)
	return nil
}

// backupProfile is a profile row of a backup (docs/backup.md).
type backupProfile struct {
	Type            string   `json:"type"`
	AccountID       int64    `json:"account_id"`
	Name            string   `json:"name"`
	Headline        string   `json:"headline"`
	Skills          []string `json:"skills"`
	YearsExperience int      `json:"years_experience"`
	RateAmount      float64  `json:"rate_amount"`
	RateCurrency    string   `json:"rate_currency"`
	RateUnit        string   `json:"rate_unit"`
	HoursPerWeek    int      `json:"hours_per_week"`
	AvailableFrom   *string  `json:"available_from"`
	Timezone        string   `json:"timezone"`
	WorkTypes       []string `json:"work_types"`
	Remote          bool     `json:"remote"`
	City            string   `json:"city"`
	Portfolio       []string `json:"portfolio"`
	Bio             string   `json:"bio"`
	Status          string   `json:"status"`
	UpdatedAt       string   `json:"updated_at"`
}

// writeBackup writes a backup of n accounts with an identity and a
// generated profile each (with its words), for a store's Import: one
// transaction instead of one per profile.
func writeBackup(w io.Writer, g *Generator, n int, now time.Time) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	at := now.UTC().Format("2006-01-02T15:04:05.000000Z")
	fmt.Fprintf(bw, `{"format":"hirebot-backup","version":1,"schema":8,"dialect":"sqlite","exported_at":%q,"secrets":false}`+"\n", at)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(bw, `{"type":"accounts","id":%d,"name":"Person %d","created_at":%q}`+"\n", i, i, at)
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(bw, `{"type":"identities","id":%d,"platform":"bench","workspace":"","user_id":"%d","account_id":%d,"created_at":%q}`+"\n", i, i, i, at)
	}
	enc := json.NewEncoder(bw)
	for i := 1; i <= n; i++ {
		p := g.Profile(int64(i))
		row := backupProfile{Type: "profiles", AccountID: int64(i), Name: p.Name, Headline: p.Headline, Skills: p.Skills,
			YearsExperience: p.YearsExperience, RateAmount: p.Rate.Amount, RateCurrency: p.Rate.Currency, RateUnit: string(p.Rate.Unit),
			HoursPerWeek: p.Availability.HoursPerWeek, Timezone: p.Timezone, WorkTypes: p.WorkTypes, Remote: p.Location.Remote,
			City: p.Location.City, Portfolio: []string{}, Bio: p.Bio, Status: p.Status, UpdatedAt: at}
		if !p.Availability.AvailableFrom.IsZero() {
			d := p.Availability.AvailableFrom.UTC().Format("2006-01-02")
			row.AvailableFrom = &d
		}
		if err := enc.Encode(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}
