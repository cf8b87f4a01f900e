package redis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
	"github.com/hirebot/hirebot/store/storetest"
)

// TestOutage stops a private Redis in the middle of a dialog and starts it
// again on the same port. While it is down every call fails with
// EUNAVAILABLE and the person is asked to retry; the event is not marked
// handled. Once it is back the same client, never re-created, works again
// and the dialog resumes where it was.
func TestOutage(t *testing.T) {
	srv := redistest.Start(t)
	s := open(t, redis.Options{URL: srv.URL(), Timeout: 300 * time.Millisecond})
	sessions, deduper := s.Sessions(), s.Deduper()
	ctx := t.Context()
	key := storetest.Key(t)

	answered := 0
	handle := bot.Chain(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		sess, err := sessions.Load(ctx, key)
		if err != nil {
			return nil, err
		}
		sess.Answers[sess.Step] = ev.Text
		sess.History = append(sess.History, sess.Step)
		sess.Step = "rate"
		if _, err := sessions.Save(ctx, sess); err != nil {
			return nil, err
		}
		answered++
		return []bot.Reply{{To: ev.Chat, Text: "Got it. What is your rate?"}}, nil
	}, hire.Dedupe(deduper, nil))
	chat := bot.Recipient{Platform: "telegram", ChatID: "42"}
	ev := bot.Event{ID: "update-1001", Kind: bot.KindMessage, Chat: chat, Text: "Go developer"}

	// Mid-dialog: the person was asked for a title.
	storetest.MustSave(t, sessions, conversation.Session{
		Key: key, Flow: "profile", Step: "title", Answers: map[string]string{"name": "Ada"},
	})

	if err := srv.Shutdown(); err != nil {
		t.Fatalf("shut Redis down: %v", err)
	}

	t.Run("while down every call is unavailable", func(t *testing.T) {
		calls := map[string]func() error{
			"load": func() error { _, err := sessions.Load(ctx, key); return err },
			"save": func() error {
				_, err := sessions.Save(ctx, conversation.Session{Key: key, Version: 1})
				return err
			},
			"delete":  func() error { return sessions.Delete(ctx, key) },
			"claim":   func() error { _, err := deduper.Claim(ctx, "update-1"); return err },
			"release": func() error { return deduper.Release(ctx, "update-1") },
			"acquire": func() error { _, _, err := s.Locker().Acquire(ctx, "digest", time.Minute); return err },
			"reserve": func() error {
				_, err := s.Limiter().Reserve(ctx, "telegram", bot.Limit{Rate: 30, Burst: 30})
				return err
			},
		}
		for name, call := range calls {
			t.Run(name, func(t *testing.T) {
				err := call()
				if bot.ErrorCode(err) != bot.EUNAVAILABLE {
					t.Fatalf("%s with Redis down: err = %v (code %q), want EUNAVAILABLE", name, err, bot.ErrorCode(err))
				}
				if bot.ErrorMessage(err) != bot.UnavailableMessage {
					t.Fatalf("%s: message %q, want %q", name, bot.ErrorMessage(err), bot.UnavailableMessage)
				}
			})
		}
	})

	t.Run("while down the person is asked to retry", func(t *testing.T) {
		replies, err := handle(ctx, ev)
		if err != nil {
			t.Fatalf("handle: %v", err)
		}
		want := []bot.Reply{{To: chat, Text: bot.UnavailableMessage}}
		if diff := cmp.Diff(want, replies); diff != "" {
			t.Fatalf("replies (-want +got):\n%s", diff)
		}
		if answered != 0 {
			t.Fatalf("the answer was applied while Redis was down")
		}
	})

	if err := srv.Restart(); err != nil {
		t.Fatalf("restart Redis: %v", err)
	}

	t.Run("after restart the same client recovers and the dialog resumes", func(t *testing.T) {
		var sess conversation.Session
		storetest.WaitFor(t, "the client to reconnect", func() bool {
			var err error
			sess, err = sessions.Load(ctx, key)
			if err != nil && bot.ErrorCode(err) != bot.EUNAVAILABLE {
				t.Fatalf("Load after restart: %v", err)
			}
			return err == nil
		})
		if sess.Step != "title" || sess.Answers["name"] != "Ada" {
			t.Fatalf("session after restart: %+v, want it still at title with the name", sess)
		}
		// The platform re-delivers the event: it was never marked handled.
		replies, err := handle(ctx, ev)
		if err != nil {
			t.Fatalf("re-delivery after restart: %v", err)
		}
		if len(replies) != 1 || replies[0].Text != "Got it. What is your rate?" {
			t.Fatalf("re-delivery replies: %+v", replies)
		}
		if _, err := handle(ctx, ev); err != nil {
			t.Fatalf("second re-delivery: %v", err)
		}
		if answered != 1 {
			t.Fatalf("answer applied %d times, want once", answered)
		}
		got := storetest.MustLoad(t, sessions, key)
		if got.Step != "rate" || got.Answers["title"] != "Go developer" || got.Answers["name"] != "Ada" {
			t.Fatalf("session after the answer: %+v", got)
		}
	})
}

// TestOutageDataLost kills Redis without saving: the sessions are gone, and
// the dialog reports ErrNoSession (the engine starts over) instead of
// failing forever.
func TestOutageDataLost(t *testing.T) {
	srv := redistest.Start(t)
	s := open(t, redis.Options{URL: srv.URL(), Timeout: 300 * time.Millisecond})
	key := storetest.Key(t)
	storetest.MustSave(t, s.Sessions(), conversation.Session{Key: key, Flow: "job", Step: "budget"})
	srv.Stop()
	if _, err := s.Sessions().Load(t.Context(), key); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Fatalf("Load with Redis killed: %v, want EUNAVAILABLE", err)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	storetest.WaitFor(t, "the client to reconnect", func() bool {
		_, err := s.Sessions().Load(t.Context(), key)
		if err != nil && bot.ErrorCode(err) != bot.EUNAVAILABLE && !errors.Is(err, conversation.ErrNoSession) {
			t.Fatalf("Load after restart: %v", err)
		}
		return errors.Is(err, conversation.ErrNoSession)
	})
	storetest.MustSave(t, s.Sessions(), conversation.Session{Key: key, Flow: "job", Step: "title"})
}
