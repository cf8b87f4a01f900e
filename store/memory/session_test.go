package memory_test

import (
	"testing"
	"time"

	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/storetest"
)

func TestSessions(t *testing.T) {
	storetest.RunSessionStore(t, func(t *testing.T) conversation.SessionStore {
		return memory.NewSessions(memory.SessionOptions{})
	})
}

func TestSessionsTTL(t *testing.T) {
	storetest.RunSessionStoreTTL(t, func(t *testing.T, ttl time.Duration) conversation.SessionStore {
		return memory.NewSessions(memory.SessionOptions{TTL: ttl})
	})
}

func sessionFor(key string) conversation.Session {
	return conversation.Session{Key: key, Flow: "profile", Step: "title"}
}

// TestReplicas drives the concurrent dialogs through one process's store,
// reached from two handlers.
func TestReplicas(t *testing.T) {
	r := storetest.Replica{
		Sessions: memory.NewSessions(memory.SessionOptions{}),
		Deduper:  memory.NewDeduper(memory.DedupeOptions{}),
	}
	storetest.RunReplicas(t, []storetest.Replica{r, r})
}
