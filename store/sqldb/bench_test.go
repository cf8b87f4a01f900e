package sqldb_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bench/cpu"
)

// backupOf makes a backup of n accounts, each with an identity and a
// published profile.
func backupOf(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"format":"hirebot-backup","version":1,"schema":8,"dialect":"sqlite","exported_at":"2026-01-01T00:00:00.000000Z","secrets":false}` + "\n")
	const at = `"2026-01-01T00:00:00.000000Z"`
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{"type":"accounts","id":%d,"name":"Person %d","created_at":%s}`+"\n", i, i, at)
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{"type":"identities","id":%d,"platform":"slack","workspace":"T1","user_id":"U%d","account_id":%d,"created_at":%s}`+"\n", i, i, i, at)
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{"type":"profiles","account_id":%d,"name":"Person %d","headline":"Backend developer","skills":["Go","PostgreSQL","Kubernetes"],`+
			`"years_experience":7,"rate_amount":45,"rate_currency":"USD","rate_unit":"hour","hours_per_week":20,"available_from":null,`+
			`"timezone":"Europe/Berlin","work_types":["gig"],"remote":true,"city":"","portfolio":[],"bio":"I build APIs %d.","status":"published","updated_at":%s}`+"\n",
			i, i, i, at)
	}
	return b.Bytes()
}

// BenchmarkImport restores 10,000 profiles (with their accounts and
// identities) into an empty database and reports profiles per second, and
// the process's CPU time per profile (steadier on a shared machine: the
// rate falls when other work takes the cores, the CPU time does not).
func BenchmarkImport(b *testing.B) {
	const n = 10000
	backup := backupOf(n)
	for _, h := range harnesses() {
		b.Run(h.name, func(b *testing.B) {
			var used time.Duration
			for b.Loop() {
				b.StopTimer()
				db := h.open(b, true)
				b.StartTimer()
				start := cpu.Time()
				if _, err := db.Import(b.Context(), bytes.NewReader(backup)); err != nil {
					b.Fatal(err)
				}
				used += cpu.Time() - start
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			elapsed := b.Elapsed().Seconds()
			b.ReportMetric(float64(n*b.N)/elapsed, "profiles/s")
			b.ReportMetric(float64(used.Microseconds())/float64(n*b.N), "cpu-µs/profile")
		})
	}
}
