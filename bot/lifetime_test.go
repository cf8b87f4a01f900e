package bot_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hirebot/hirebot/bench"
	"github.com/hirebot/hirebot/bot"
)

type key struct{}

func TestOutliveEndsWithTheDrain(t *testing.T) {
	errBound := errors.New("the drain's bound passed")
	drain, abort := context.WithCancelCause(context.Background())
	stop, stopping := context.WithCancel(context.WithValue(context.Background(), key{}, "event 7"))
	work, done := bot.Outlive(bot.WithDrain(stop, drain))
	defer done()

	stopping()
	if work.Err() != nil {
		t.Fatalf("the work ended with the stop signal: %v", work.Err())
	}
	if work.Value(key{}) != "event 7" {
		t.Errorf("the work lost its context's values")
	}
	abort(errBound)
	<-work.Done()
	if !errors.Is(context.Cause(work), errBound) {
		t.Errorf("the work ended with %v, want the drain's cause", context.Cause(work))
	}

	late, lateDone := bot.Outlive(bot.WithDrain(context.Background(), drain))
	defer lateDone()
	if late.Err() == nil {
		t.Error("work taken in after the drain ended is still running")
	}
}

func TestOutliveWithoutADrainEndsWithCancel(t *testing.T) {
	parent, cancelParent := context.WithCancel(context.Background())
	work, done := bot.Outlive(parent)
	cancelParent()
	if work.Err() != nil {
		t.Fatalf("the work ended with its parent: %v", work.Err())
	}
	done()
	if work.Err() == nil {
		t.Error("the work did not end with its cancel")
	}
}

func TestInflightCloseWaitsAndRefuses(t *testing.T) {
	var w bot.Inflight
	release, finished := make(chan struct{}), false
	if !w.Go(func() { <-release; finished = true }) {
		t.Fatal("an open Inflight refused work")
	}
	closed := make(chan struct{})
	go func() { w.Close(); close(closed) }()
	for w.Go(func() {}) { // until Close has begun
	}
	select {
	case <-closed:
		t.Fatal("Close returned while work was running")
	default:
	}
	close(release)
	<-closed
	if !finished {
		t.Error("Close returned before the work finished")
	}
	if w.Go(func() { t.Error("work ran after Close") }) {
		t.Error("a closed Inflight took work")
	}
}

// BenchmarkInflightGo is work handed to Inflight that grows its stack as
// the core does (deep calls with large frames): on a new goroutine each
// time, the stack is copied as it grows; on a waiting one it is not.
func BenchmarkInflightGo(b *testing.B) {
	var w bot.Inflight
	defer w.Close()
	done := make(chan int, 64)
	b.ReportAllocs()
	cpu := bench.CPUTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w.Go(func() { done <- deep(24) })
			<-done
		}
	})
	b.ReportMetric(float64(bench.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// deep calls itself n times with a 512-byte frame: 12 KB of stack at 24.
//
//go:noinline
func deep(n int) int {
	var frame [64]int
	frame[n%64] = n
	if n == 0 {
		return frame[0]
	}
	return deep(n-1) + frame[n%64]
}
