package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/hire"
)

// Replica is what one hirebot process shares with the others.
type Replica struct {
	Sessions conversation.SessionStore
	Deduper  bot.Deduper
}

// RunReplicas drives interleaved dialogs through several replicas at once,
// the way a load balancer spreads one person's messages: 50 goroutines,
// spread over the replicas, answer questions for a few shared people and
// some people of their own. Every answer is delivered twice, once to each
// of two replicas at the same moment (a platform re-delivery), and goes
// through hire.Dedupe and a load -> answer -> compare-and-set save that
// reloads and re-applies on parse.ErrConflict. At the end every
// answer is there exactly once and each dialog's step matches its history.
func RunReplicas(t *testing.T, replicas []Replica) {
	t.Helper()
	if len(replicas) == 0 {
		t.Fatal("RunReplicas needs at least one replica")
	}
	const (
		workers       = 50
		sharedPeople  = 5
		ownPeople     = 10 // the last ownPeople workers talk only about themselves
		answersPerRun = 8
	)
	run := Random(t)
	keyOf := func(worker int) string {
		if worker >= workers-ownPeople {
			return fmt.Sprintf("acct:replicas-%s-own-%d", run, worker)
		}
		return fmt.Sprintf("acct:replicas-%s-shared-%d", run, worker%sharedPeople)
	}

	handlers := make([]bot.Handler, len(replicas))
	for i, r := range replicas {
		handlers[i] = bot.Chain(answerHandler(r.Sessions), hire.Dedupe(r.Deduper, nil))
	}

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for w := range workers {
		wg.Go(func() {
			for j := range answersPerRun {
				ev := bot.Event{
					ID:   fmt.Sprintf("Ev-%s-%d-%d", run, w, j),
					Kind: bot.KindMessage,
					From: bot.Identity{Platform: "test", UserID: keyOf(w)},
					Chat: bot.Recipient{Platform: "test", ChatID: keyOf(w)},
					Text: answerName(w, j),
				}
				// The same delivery reaches two replicas at once.
				var deliveries sync.WaitGroup
				for d := range 2 {
					h := handlers[(w+d)%len(handlers)]
					deliveries.Go(func() {
						if _, err := h(context.Background(), ev); err != nil {
							fail(fmt.Errorf("worker %d answer %d delivery %d: %w", w, j, d, err))
						}
					})
				}
				deliveries.Wait()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d deliveries failed, first: %v", len(errs), errs[0])
	}

	want := map[string][]string{} // key -> answers
	for w := range workers {
		for j := range answersPerRun {
			want[keyOf(w)] = append(want[keyOf(w)], answerName(w, j))
		}
	}
	for key, answers := range want {
		got := MustLoad(t, replicas[0].Sessions, key)
		for _, a := range answers {
			if got.Answers[a] != "yes" {
				t.Errorf("%s: answer %s lost", key, a)
			}
		}
		if len(got.Answers) != len(answers) {
			t.Errorf("%s: %d answers stored, want %d", key, len(got.Answers), len(answers))
		}
		history := slices.Clone(got.History)
		slices.Sort(history)
		if len(slices.Compact(history)) != len(got.History) {
			t.Errorf("%s: an answer was applied twice: history %v", key, got.History)
		}
		if len(got.History) != len(answers) || got.Step != fmt.Sprintf("q%d", len(got.History)) {
			t.Errorf("%s: impossible state: step %q with %d answers in history, want q%d", key, got.Step, len(got.History), len(answers))
		}
	}
}

func answerName(worker, j int) string { return fmt.Sprintf("w%02d-a%d", worker, j) }

// answerHandler records ev.Text as an answer to the sender's dialog:
// load, apply, compare-and-set, and on a conflict reload and apply again.
func answerHandler(store conversation.SessionStore) bot.Handler {
	return func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		key := ev.From.UserID
		for attempt := 0; attempt < 10000; attempt++ {
			sess, err := store.Load(ctx, key)
			switch {
			case errors.Is(err, conversation.ErrNoSession):
				sess = conversation.Session{Key: key, Flow: "profile", Step: "q0"}
			case err != nil:
				return nil, err
			}
			if sess.Answers == nil {
				sess.Answers = map[string]string{}
			}
			sess.Answers[ev.Text] = "yes"
			sess.History = append(sess.History, ev.Text)
			sess.Step = fmt.Sprintf("q%d", len(sess.History))
			_, err = store.Save(ctx, sess)
			if errors.Is(err, conversation.ErrConflict) {
				continue
			}
			if err != nil {
				return nil, err
			}
			return []bot.Reply{{To: ev.Chat, Text: "Got it."}}, nil
		}
		return nil, fmt.Errorf("answer %s for %s: still conflicting after 10000 attempts", ev.Text, key)
	}
}
