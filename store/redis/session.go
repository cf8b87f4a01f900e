package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/conversation"
)

// Sessions is a parse.SessionStore in Redis. A session is one hash:
// field v holds the version, field d the session as JSON. Load is one
// HMGET; Save is one script run that compares the version, writes and
// renews the time to live.
type Sessions struct{ s *Store }

var _ conversation.SessionStore = (*Sessions)(nil)

// saveScript stores a session if its version is still ARGV[1].
//
// KEYS[1] the session hash; ARGV[1] the version the caller loaded (0 for
// none); ARGV[2] the JSON; ARGV[3] the time to live in milliseconds.
// It returns the new version, or -1 when the versions differ.
//
// The new version is at least the server's clock in microseconds, so a
// session deleted (or expired) and started again never reuses a version a
// slow replica may still hold from before. Microseconds since 1970 stay
// below 2^53, exact in Lua numbers.
var saveScript = goredis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'v')
if cur then cur = tonumber(cur) else cur = 0 end
if cur ~= tonumber(ARGV[1]) then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nextv = math.max(cur + 1, now)
redis.call('HSET', KEYS[1], 'v', string.format('%.0f', nextv), 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return nextv
`)

// Load returns the session under key, or parse.ErrNoSession.
func (x *Sessions) Load(ctx context.Context, key string) (conversation.Session, error) {
	ctx, cancel := x.s.call(ctx)
	defer cancel()
	vals, err := x.s.client.HMGet(ctx, x.s.key("session", key), "v", "d").Result()
	if err != nil {
		return conversation.Session{}, x.s.fail("load session", err)
	}
	return decodeSession(key, vals)
}

// decodeSession reads the reply of HMGET v d.
func decodeSession(key string, vals []any) (conversation.Session, error) {
	vs, ok1 := vals[0].(string)
	data, ok2 := vals[1].(string)
	if !ok1 || !ok2 {
		return conversation.Session{}, conversation.ErrNoSession
	}
	version, err := strconv.ParseInt(vs, 10, 64)
	if err != nil {
		return conversation.Session{}, fmt.Errorf("redis: session %q: bad version %q", key, vs)
	}
	var sess conversation.Session
	if err := json.Unmarshal([]byte(data), &sess); err != nil {
		return conversation.Session{}, fmt.Errorf("redis: decode session %q: %w", key, err)
	}
	sess.Key = key
	sess.Version = version
	return sess, nil
}

// Save stores sess if the stored version equals sess.Version (0 for none)
// and returns the new version; otherwise parse.ErrConflict.
func (x *Sessions) Save(ctx context.Context, sess conversation.Session) (int64, error) {
	data, err := json.Marshal(sess)
	if err != nil {
		return 0, fmt.Errorf("redis: encode session %q: %w", sess.Key, err)
	}
	ctx, cancel := x.s.call(ctx)
	defer cancel()
	v, err := saveScript.Run(ctx, x.s.client, []string{x.s.key("session", sess.Key)},
		sess.Version, data, x.s.ttl.Milliseconds()).Int64()
	return x.saved(v, err)
}

// saved reads the reply of saveScript.
func (x *Sessions) saved(v int64, err error) (int64, error) {
	if err != nil {
		if errors.Is(err, goredis.Nil) {
			err = errors.New("script returned nothing")
		}
		return 0, x.s.fail("save session", err)
	}
	if v < 0 {
		return 0, conversation.ErrConflict
	}
	return v, nil
}

// Delete removes the session under key.
func (x *Sessions) Delete(ctx context.Context, key string) error {
	ctx, cancel := x.s.call(ctx)
	defer cancel()
	if err := x.s.client.Del(ctx, x.s.key("session", key)).Err(); err != nil {
		return x.s.fail("delete session", err)
	}
	return nil
}
