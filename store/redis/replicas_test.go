package redis_test

import (
	"testing"

	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
	"github.com/hirebot/hirebot/store/storetest"
)

// TestReplicas runs interleaved dialogs through two replicas, each with its
// own client and connection pool, sharing one Redis.
func TestReplicas(t *testing.T) {
	prefix := redistest.Prefix(t)
	var replicas []storetest.Replica
	for range 2 {
		s := open(t, redis.Options{Prefix: prefix})
		replicas = append(replicas, storetest.Replica{Sessions: s.Sessions(), Deduper: s.Deduper()})
	}
	storetest.RunReplicas(t, replicas)
}
