package redis

import (
	"context"
	"errors"

	goredis "github.com/redis/go-redis/v9"
)

// Cursors keeps named positions in a stream of updates (Telegram's
// getUpdates offset), so the replica that takes a poller over from another
// starts where the other stopped.
type Cursors struct{ s *Store }

// Cursors returns the cursors kept in this Redis.
func (s *Store) Cursors() *Cursors { return &Cursors{s: s} }

// Cursor returns the position called name; 0 when none was saved.
func (c *Cursors) Cursor(ctx context.Context, name string) (int64, error) {
	ctx, cancel := c.s.call(ctx)
	defer cancel()
	v, err := c.s.client.Get(ctx, c.s.key("cursor", name)).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, c.s.fail("read cursor", err)
	}
	return v, nil
}

// SetCursor saves the position called name. It never moves a cursor back:
// a poller that lost its lease and saves late cannot undo its successor.
func (c *Cursors) SetCursor(ctx context.Context, name string, v int64) error {
	ctx, cancel := c.s.call(ctx)
	defer cancel()
	if err := raiseScript.Run(ctx, c.s.client, []string{c.s.key("cursor", name)}, v).Err(); err != nil && !errors.Is(err, goredis.Nil) {
		return c.s.fail("save cursor", err)
	}
	return nil
}

// raiseScript sets KEYS[1] to ARGV[1] unless it already holds more.
var raiseScript = goredis.NewScript(`
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > v then
	redis.call('SET', KEYS[1], ARGV[1])
end
return 0
`)
