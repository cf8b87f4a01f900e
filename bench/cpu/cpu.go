// Package cpu measures the CPU time of this process, the figure hirebot's
// benchmarks and load tools report beside wall time: on a shared machine
// wall time swings with the other work, CPU time per operation much less.
// It imports nothing of hirebot's, so any package's own tests may use it.
package cpu

import "testing"

// PerOp starts counting b's CPU time; the returned function reports it
// per operation as cpu-ns/op (for b.N operations, parallel ones included).
func PerOp(b *testing.B) (report func()) {
	start := Time()
	return func() { b.ReportMetric(float64(Time()-start)/float64(max(1, b.N)), "cpu-ns/op") }
}
