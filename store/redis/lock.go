package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/bot"
)

// Locker is a bot.Locker in Redis: a lease is a key set with NX and a time
// to live, holding a random token only its holder knows.
type Locker struct{ s *Store }

var _ bot.Locker = (*Locker)(nil)

// renewScript extends KEYS[1] to ARGV[2] ms if it still holds token ARGV[1].
var renewScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// releaseScript deletes KEYS[1] if it still holds token ARGV[1].
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`)

// Acquire takes the lease called name for ttl, unless someone holds it.
func (l *Locker) Acquire(ctx context.Context, name string, ttl time.Duration) (bot.Lease, bool, error) {
	if ttl < time.Millisecond {
		return nil, false, bot.Errorf(bot.EINVALID, "lease %q: ttl must be at least 1ms", name)
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, false, err
	}
	token := hex.EncodeToString(b[:])
	key := l.s.key("lock", name)
	ctx, cancel := l.s.call(ctx)
	defer cancel()
	ok, err := l.s.client.SetNX(ctx, key, token, ttl).Result()
	if err != nil {
		return nil, false, l.s.fail("acquire lease", err)
	}
	if !ok {
		return nil, false, nil
	}
	return &lease{s: l.s, name: name, key: key, token: token}, true, nil
}

type lease struct {
	s     *Store
	name  string
	key   string
	token string
}

func (x *lease) Renew(ctx context.Context, ttl time.Duration) error {
	if ttl < time.Millisecond {
		return bot.Errorf(bot.EINVALID, "lease %q: ttl must be at least 1ms", x.name)
	}
	ctx, cancel := x.s.call(ctx)
	defer cancel()
	n, err := renewScript.Run(ctx, x.s.client, []string{x.key}, x.token, ttl.Milliseconds()).Int64()
	if err != nil {
		return x.s.fail("renew lease", err)
	}
	if n == 0 {
		return bot.ErrLeaseLost
	}
	return nil
}

func (x *lease) Release(ctx context.Context) error {
	ctx, cancel := x.s.call(ctx)
	defer cancel()
	n, err := releaseScript.Run(ctx, x.s.client, []string{x.key}, x.token).Int64()
	if err != nil {
		return x.s.fail("release lease", err)
	}
	if n == 0 {
		return bot.ErrLeaseLost
	}
	return nil
}
