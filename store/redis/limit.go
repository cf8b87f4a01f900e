package redis

import (
	"context"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/bot"
)

// Limiter is a token-bucket bot.Limiter in Redis. A bucket is one hash
// (level and time of the last reservation) updated by one script that
// reads the server's clock, so replicas with skewed clocks agree.
type Limiter struct{ s *Store }

var _ bot.Limiter = (*Limiter)(nil)

// reserveScript takes one token from bucket KEYS[1].
//
// ARGV[1] rate in tokens per second; ARGV[2] burst. The level goes below
// zero while reservations queue. It returns the wait in microseconds.
// The bucket expires once it would be full again: no key means full.
var reserveScript = goredis.NewScript(`
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'n', 't')
local level = tonumber(b[1])
local at = tonumber(b[2])
if level == nil or at == nil then
	level = burst
	at = now
end
local elapsed = now - at
if elapsed < 0 then elapsed = 0 end
level = math.min(burst, level + elapsed * rate) - 1
redis.call('HSET', KEYS[1], 'n', string.format('%.17g', level), 't', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - level) / rate * 1000) + 1000)
if level >= 0 then return 0 end
return math.ceil(-level / rate * 1000000)
`)

// Reserve takes a token from the bucket under key and says how long to wait.
func (l *Limiter) Reserve(ctx context.Context, key string, limit bot.Limit) (time.Duration, error) {
	if !limit.Valid() {
		return 0, bot.Errorf(bot.EINVALID, "rate limit for %q: rate %v and burst %d must be positive", key, limit.Rate, limit.Burst)
	}
	ctx, cancel := l.s.call(ctx)
	defer cancel()
	us, err := reserveScript.Run(ctx, l.s.client, []string{l.s.key("rate", key)}, limit.Rate, limit.Burst).Int64()
	if err != nil {
		return 0, l.s.fail("reserve", err)
	}
	return time.Duration(us) * time.Microsecond, nil
}
