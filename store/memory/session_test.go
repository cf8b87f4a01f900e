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

func TestSessionsVersionsNotReused(t *testing.T) {
	storetest.RunSessionStoreVersionsNotReused(t, func(t *testing.T) conversation.SessionStore {
		return memory.NewSessions(memory.SessionOptions{})
	})
}
