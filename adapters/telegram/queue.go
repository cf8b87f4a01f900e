package telegram

import "sync"

// dispatcher runs work in order per key (a chat) and keys in parallel, so
// one slow conversation does not hold up the others while each chat's
// messages still arrive at the dialog in the order they were written.
type dispatcher struct {
	mu      sync.Mutex
	pending map[string][]func()
	wg      sync.WaitGroup
}

// push queues fn behind the work already queued for key.
func (d *dispatcher) push(key string, fn func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending == nil {
		d.pending = map[string][]func(){}
	}
	q, running := d.pending[key]
	d.pending[key] = append(q, fn)
	if running {
		return
	}
	d.wg.Add(1)
	go d.drain(key)
}

func (d *dispatcher) drain(key string) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.pending[key]
		if len(q) == 0 {
			delete(d.pending, key)
			d.mu.Unlock()
			return
		}
		fn := q[0]
		d.pending[key] = q[1:]
		d.mu.Unlock()
		fn()
	}
}

// wait returns when all queued work is done.
func (d *dispatcher) wait() { d.wg.Wait() }
