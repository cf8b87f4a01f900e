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
//
// A goroutine that finished its work waits for the next instead of
// ending (up to maxIdle of them): a new goroutine starts on a small stack
// and copies it as it grows, several times for an event that runs the
// whole core (JSON, SQLite, Redis), and under load that cost as much CPU
// as a Redis round trip. Work always starts at once, on a waiting
// goroutine or a new one.
type Inflight struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	idle   int           // goroutines waiting for work
	next   chan func()   // hands work to a waiting goroutine
	quit   chan struct{} // closed once closed and drained: the waiting end
}

// maxIdle bounds the goroutines kept waiting for work.
const maxIdle = 64

// Go runs f on a goroutine of its own and reports true; once Close was
// called it runs nothing and reports false, and the caller refuses the
// work (the component is stopping).
func (w *Inflight) Go(f func()) bool {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return false
	}
	w.wg.Add(1)
	if w.next == nil {
		w.next, w.quit = make(chan func()), make(chan struct{})
	}
	waiting := w.idle > 0
	if waiting {
		w.idle--
	}
	w.mu.Unlock()
	if waiting {
		w.next <- f // it is in, or about to be in, its receive
		return true
	}
	go w.work(f)
	return true
}

// work runs f, then the work handed to it, until it has waited while
// maxIdle others did, or Close has drained.
func (w *Inflight) work(f func()) {
	for {
		f()
		w.wg.Done()
		w.mu.Lock()
		if w.closed || w.idle >= maxIdle {
			w.mu.Unlock()
			return
		}
		w.idle++
		next, quit := w.next, w.quit
		w.mu.Unlock()
		select {
		case f = <-next:
		case <-quit:
			return
		}
	}
}

// Close refuses new work and waits for the work already started.
func (w *Inflight) Close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.wg.Wait() // work handed to a waiting goroutine is counted: it runs first
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.quit == nil {
		return
	}
	select {
	case <-w.quit: // closed before
	default:
		close(w.quit)
	}
}

// Wait waits for the work started so far and leaves Go open, for a test
// that reads what the work did.
func (w *Inflight) Wait() { w.wg.Wait() }
