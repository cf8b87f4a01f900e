package redis

import goredis "github.com/redis/go-redis/v9"

// Client exposes the pool to tests that count round trips.
func (s *Store) Client() *goredis.Client { return s.client }
