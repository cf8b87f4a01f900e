package postgres

import (
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/storetest"
)

// TestChangeFeed: two replicas on one schema share the feed.
func TestChangeFeed(t *testing.T) {
	storetest.RunChangeFeed(t, func(t *testing.T) (bot.ChangeFeed, bot.ChangeFeed) {
		schema := freshSchema(t)
		a, b := mustOpen(t, schema, Options{}), mustOpen(t, schema, Options{})
		return a.Changes(10 * time.Millisecond), b.Changes(10 * time.Millisecond)
	})
}
