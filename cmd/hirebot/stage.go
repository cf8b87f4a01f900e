package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// stage is a set of components that stop together. Each runs with
// Run(ctx) on a goroutine of its own; ending the stage ends their
// context, and a component then takes nothing new in and returns once the
// work it took in is done (bot.Outlive: within the drain that ctx
// carries). serve stops its stages in order: intake, then the core, then
// it closes the stores.
type stage struct {
	ctx  context.Context
	end  context.CancelFunc
	wg   sync.WaitGroup
	fail func(error)
}

// newStage returns a stage whose components run under parent, which
// carries the drain (bot.WithDrain). fail is told the error of a component
// that returns one while its stage runs: serve stops then.
func newStage(parent context.Context, fail func(error)) *stage {
	ctx, end := context.WithCancel(parent)
	return &stage{ctx: ctx, end: end, fail: fail}
}

// Go runs the component called name.
func (s *stage) Go(name string, run func(context.Context) error) {
	s.wg.Go(func() {
		if err := run(s.ctx); err != nil && s.ctx.Err() == nil {
			s.fail(fmt.Errorf("%s: %w", name, err))
		}
	})
}

// stop ends the stage's context and returns a channel closed once every
// component has returned.
func (s *stage) stop() <-chan struct{} {
	s.end()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	return done
}

// firstError keeps the first of the errors it is told, which serve
// returns, and closes failed then; it logs the others, which would be
// lost otherwise.
type firstError struct {
	once   sync.Once
	err    error
	failed chan struct{}
	log    *slog.Logger
}

func newFirstError(log *slog.Logger) *firstError {
	return &firstError{failed: make(chan struct{}), log: log}
}

func (f *firstError) fail(err error) {
	first := false
	f.once.Do(func() {
		f.err, first = err, true
		close(f.failed)
	})
	if !first {
		f.log.Error("failed while stopping", "err", err)
	}
}
