package redis_test

import (
	"testing"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
	"github.com/hirebot/hirebot/store/storetest"
)

// TestChangeFeed: two replicas under one prefix share the feed.
func TestChangeFeed(t *testing.T) {
	storetest.RunChangeFeed(t, func(t *testing.T) (bot.ChangeFeed, bot.ChangeFeed) {
		prefix := redistest.Prefix(t)
		return open(t, redis.Options{Prefix: prefix}).Changes(), open(t, redis.Options{Prefix: prefix}).Changes()
	})
}
