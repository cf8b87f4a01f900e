package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/storetest"
)

// TestChangeFeed: two processes opening one file share the feed.
func TestChangeFeed(t *testing.T) {
	storetest.RunChangeFeed(t, func(t *testing.T) (bot.ChangeFeed, bot.ChangeFeed) {
		path := filepath.Join(t.TempDir(), "hirebot.db")
		a, b := mustOpenPath(t, path, Options{}), mustOpenPath(t, path, Options{})
		return a.Changes(10 * time.Millisecond), b.Changes(10 * time.Millisecond)
	})
}
