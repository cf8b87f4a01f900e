package main

import (
	"context"
	"fmt"
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

// firstError keeps the first of the errors it is told and closes failed
// then.
type firstError struct {
	once   sync.Once
	err    error
	failed chan struct{}
}

func newFirstError() *firstError { return &firstError{failed: make(chan struct{})} }

func (f *firstError) fail(err error) {
	f.once.Do(func() {
		f.err = err
		close(f.failed)
	})
}
