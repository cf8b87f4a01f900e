package redis

import (
	"context"
	"errors"
	"slices"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Values keeps small named values and rolls of live members that replicas
// share (a Discord shard count, each shard's gateway session, which
// replicas are alive).
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

// beatScript drops the members of roll KEYS[1] whose time ran out, marks
// ARGV[1] alive for ARGV[2] ms more, and returns the members alive. The
// clock is the server's, so the replicas' clocks need not agree.
var beatScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then
	redis.call('PEXPIRE', KEYS[1], ttl)
end
return redis.call('ZRANGE', KEYS[1], 0, -1)
`)

// Beat marks member of roll alive for ttl and returns the members alive,
// sorted.
func (v *Values) Beat(ctx context.Context, roll, member string, ttl time.Duration) ([]string, error) {
	ctx, cancel := v.s.call(ctx)
	defer cancel()
	members, err := beatScript.Run(ctx, v.s.client, []string{v.s.key("roll", roll)}, member, ttl.Milliseconds()).StringSlice()
	if err != nil {
		return nil, v.s.fail("beat", err)
	}
	slices.Sort(members)
	return members, nil
}

// Leave takes member off roll at once.
func (v *Values) Leave(ctx context.Context, roll, member string) error {
	ctx, cancel := v.s.call(ctx)
	defer cancel()
	if err := v.s.client.ZRem(ctx, v.s.key("roll", roll), member).Err(); err != nil {
		return v.s.fail("leave", err)
	}
	return nil
}
