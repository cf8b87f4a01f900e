package redis

import (
	"context"
	"errors"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Values keeps small named values that replicas share (a Discord shard
// count, each shard's gateway session).
type Values struct{ s *Store }

// Values returns the values kept in this Redis.
func (s *Store) Values() *Values { return &Values{s: s} }

// Value returns the value called name; "" when none was set or it expired.
func (v *Values) Value(ctx context.Context, name string) (string, error) {
	ctx, cancel := v.s.call(ctx)
	defer cancel()
	val, err := v.s.client.Get(ctx, v.s.key("value", name)).Result()
	if errors.Is(err, goredis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", v.s.fail("read value", err)
	}
	return val, nil
}

// SetValue sets name to value until ttl has passed; 0 keeps it for good.
func (v *Values) SetValue(ctx context.Context, name, value string, ttl time.Duration) error {
	ctx, cancel := v.s.call(ctx)
	defer cancel()
	if err := v.s.client.Set(ctx, v.s.key("value", name), value, ttl).Err(); err != nil {
		return v.s.fail("save value", err)
	}
	return nil
}
