package hire_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

// fakeDeduper is a Deduper with function fields and a record of releases
// and of events marked done.
type fakeDeduper struct {
	mu       sync.Mutex
	claimed  map[string]bool
	claimErr error
	released []string
	done     []string
}

func (f *fakeDeduper) Done(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done = append(f.done, id)
	return nil
}

func (f *fakeDeduper) Claim(ctx context.Context, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.claimErr != nil {
		return false, f.claimErr
	}
	if f.claimed == nil {
		f.claimed = map[string]bool{}
	}
	if f.claimed[id] {
		return false, nil
	}
	f.claimed[id] = true
	return true, nil
}

func (f *fakeDeduper) Release(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	delete(f.claimed, id)
	f.released = append(f.released, id)
	return nil
}

// countingHandler answers "ok" and counts its calls; err, when set, is
// returned instead.
type countingHandler struct {
	calls int
	err   error
}

func (h *countingHandler) handle(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
	h.calls++
	if h.err != nil {
		return nil, h.err
	}
	return []bot.Reply{{To: ev.Chat, Text: "ok"}}, nil
}

var chat = bot.Recipient{Platform: "slack", Workspace: "T1", ChatID: "D1"}

func TestDedupe(t *testing.T) {
	downErr := errors.New("dial tcp 127.0.0.1:6379: connection refused")
	tests := []struct {
		name       string
		ids        []string // one event per entry, delivered in order
		claimErr   error
		handlerErr error
		wantCalls  int
		wantLast   []bot.Reply
		wantErr    string // code of the last error
		wantRel    []string
		wantDone   []string
	}{
		{
			name:      "empty id always passes",
			ids:       []string{"", "", ""},
			wantCalls: 3,
			wantLast:  []bot.Reply{{To: chat, Text: "ok"}},
		},
		{
			name:      "first delivery is handled",
			ids:       []string{"Ev1"},
			wantCalls: 1,
			wantLast:  []bot.Reply{{To: chat, Text: "ok"}},
			wantDone:  []string{"Ev1"},
		},
		{
			name:      "repeat is acknowledged and dropped",
			ids:       []string{"Ev1", "Ev1", "Ev1"},
			wantCalls: 1,
			wantLast:  nil,
			wantDone:  []string{"Ev1"},
		},
		{
			name:      "different ids are each handled",
			ids:       []string{"Ev1", "Ev2", "Ev1", "Ev3"},
			wantCalls: 3,
			wantLast:  []bot.Reply{{To: chat, Text: "ok"}},
			wantDone:  []string{"Ev1", "Ev2", "Ev3"},
		},
		{
			name:       "unavailable handler releases the claim",
			ids:        []string{"Ev1", "Ev1"},
			handlerErr: bot.Unavailable(downErr),
			wantCalls:  2,
			wantErr:    bot.EUNAVAILABLE,
			wantRel:    []string{"Ev1", "Ev1"},
		},
		{
			name:       "other handler errors keep the claim",
			ids:        []string{"Ev1", "Ev1"},
			handlerErr: bot.Errorf(bot.EINVALID, "That is not a rate."),
			wantCalls:  1,
			wantLast:   nil,
			wantDone:   []string{"Ev1"},
		},
		{
			name:      "claim failure tells the person and skips the handler",
			ids:       []string{"Ev1"},
			claimErr:  bot.Unavailable(downErr),
			wantCalls: 0,
			wantLast:  []bot.Reply{{To: chat, Text: bot.UnavailableMessage}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &fakeDeduper{claimErr: tt.claimErr}
			h := &countingHandler{err: tt.handlerErr}
			handle := bot.Chain(h.handle, hire.Dedupe(d, nil))
			var (
				last []bot.Reply
				err  error
			)
			for _, id := range tt.ids {
				last, err = handle(t.Context(), bot.Event{ID: id, Kind: bot.KindMessage, Chat: chat, Text: "hi"})
			}
			if h.calls != tt.wantCalls {
				t.Errorf("handler called %d times, want %d", h.calls, tt.wantCalls)
			}
			if diff := cmp.Diff(tt.wantLast, last); diff != "" {
				t.Errorf("last replies (-want +got):\n%s", diff)
			}
			if got := bot.ErrorCode(err); got != tt.wantErr {
				t.Errorf("last error code %q (%v), want %q", got, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantRel, d.released); diff != "" {
				t.Errorf("released (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDone, d.done); diff != "" {
				t.Errorf("done (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDedupeClaimFailureLeavesEventUnclaimed(t *testing.T) {
	d := &fakeDeduper{claimErr: bot.Unavailable(errors.New("i/o timeout"))}
	h := &countingHandler{}
	handle := hire.Dedupe(d, nil)(h.handle)
	ev := bot.Event{ID: "Ev9", Kind: bot.KindMessage, Chat: chat}
	if _, err := handle(t.Context(), ev); err != nil {
		t.Fatalf("claim failure returned error %v; the reply already tells the person", err)
	}
	// The store comes back: the re-delivery is handled, once.
	d.claimErr = nil
	for range 2 {
		if _, err := handle(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if h.calls != 1 {
		t.Fatalf("handler called %d times after recovery, want 1", h.calls)
	}
}

func TestDedupeReleasesAfterRequestIsCancelled(t *testing.T) {
	d := &fakeDeduper{}
	ctx, cancel := context.WithCancel(t.Context())
	handle := hire.Dedupe(d, nil)(func(_ context.Context, ev bot.Event) ([]bot.Reply, error) {
		cancel() // the request ends while the dependency is down
		return nil, bot.Unavailable(context.Canceled)
	})
	if _, err := handle(ctx, bot.Event{ID: "Ev1", Chat: chat}); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Fatalf("err = %v, want EUNAVAILABLE", err)
	}
	if diff := cmp.Diff([]string{"Ev1"}, d.released); diff != "" {
		t.Fatalf("released (-want +got):\n%s", diff)
	}
}

func TestUnavailable(t *testing.T) {
	cause := errors.New("redis: connection pool timeout")
	tests := []struct {
		name     string
		in       error
		wantNil  bool
		wantCode string
		wantMsg  string
	}{
		{name: "nil stays nil", in: nil, wantNil: true},
		{name: "plain error gets the code and sentence", in: cause, wantCode: bot.EUNAVAILABLE, wantMsg: bot.UnavailableMessage},
		{
			name:     "already unavailable is kept",
			in:       &bot.Error{Code: bot.EUNAVAILABLE, Message: "Slack is down.", Err: cause},
			wantCode: bot.EUNAVAILABLE,
			wantMsg:  "Slack is down.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := bot.Unavailable(tt.in)
			if tt.wantNil {
				if err != nil {
					t.Fatalf("Unavailable(nil) = %v", err)
				}
				return
			}
			if got := bot.ErrorCode(err); got != tt.wantCode {
				t.Errorf("code %q, want %q", got, tt.wantCode)
			}
			if got := bot.ErrorMessage(err); got != tt.wantMsg {
				t.Errorf("message %q, want %q", got, tt.wantMsg)
			}
			if !errors.Is(err, cause) {
				t.Errorf("errors.Is(err, cause) = false; the cause must stay reachable")
			}
		})
	}
}
