package bot

import (
	"context"
	"sync"
)

// One shutdown model for every component that takes work in (an adapter,
// the intake, the delivery worker): it runs in Run(ctx) until ctx ends,
// then takes nothing new in, and Run returns once the work it had taken
// in has finished. That work outlives ctx but not the process: it runs
// under Outlive(ctx), which ends with the drain the process gave the
// component's context (WithDrain), so the process bounds how long a
// graceful stop may take, and closes its stores only after Run returned.

type drainKey struct{}

// WithDrain returns ctx carrying drain: work taken in under ctx, or under
// a context made from it, that outlives ctx (Outlive) ends when drain
// does.
func WithDrain(ctx, drain context.Context) context.Context {
	return context.WithValue(ctx, drainKey{}, drain)
}

// Outlive returns a context for work taken in under ctx that must go on
// after ctx ends (the replies sent after an acknowledgement, an event in
// hand when a stop begins): it has ctx's values but not its deadline or
// its end, and it ends with the drain ctx carries (WithDrain), or with
// cancel. Without a drain it ends only with cancel, so such work must
// bound itself.
func Outlive(ctx context.Context) (context.Context, context.CancelFunc) {
	out, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	drain, ok := ctx.Value(drainKey{}).(context.Context)
	if !ok {
		return out, func() { cancel(nil) }
	}
	if drain.Err() != nil { // AfterFunc would end it, but not before this returns
		cancel(context.Cause(drain))
	}
	stop := context.AfterFunc(drain, func() { cancel(context.Cause(drain)) })
	return out, func() {
		stop()
		cancel(nil)
	}
}

// Inflight is the work a component has taken in, so that its Run can
// wait for it before it returns. The zero value is ready to use.
type Inflight struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Go runs f on a goroutine of its own and reports true; once Close was
// called it runs nothing and reports false, and the caller refuses the
// work (the component is stopping).
func (w *Inflight) Go(f func()) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.wg.Go(f)
	return true
}

// Close refuses new work and waits for the work already started.
func (w *Inflight) Close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.wg.Wait()
}

// Wait waits for the work started so far and leaves Go open, for a test
// that reads what the work did.
func (w *Inflight) Wait() { w.wg.Wait() }
