package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
)

// Deduper is a bot.Deduper in Redis: a claim is SET NX with the
// processing time as its time to live, Done a SET with the window.
type Deduper struct{ s *Store }

var _ bot.Deduper = (*Deduper)(nil)

// Claim reports whether id is claimed for the first time within the window.
func (d *Deduper) Claim(ctx context.Context, id string) (bool, error) {
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	first, err := d.s.client.SetNX(ctx, d.s.key("event", id), 1, d.s.processing).Result()
	if err != nil {
		return false, d.s.fail("claim event", err)
	}
	return first, nil
}

// Done keeps id for the whole window.
func (d *Deduper) Done(ctx context.Context, id string) error {
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	if err := d.s.client.Set(ctx, d.s.key("event", id), 2, d.s.window).Err(); err != nil {
		return d.s.fail("mark event done", err)
	}
	return nil
}

// Release forgets id.
func (d *Deduper) Release(ctx context.Context, id string) error {
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	if err := d.s.client.Del(ctx, d.s.key("event", id)).Err(); err != nil {
		return d.s.fail("release event", err)
	}
	return nil
}

var _ conversation.SessionClaimer = (*Deduper)(nil)

// Shares reports whether s is this Redis's session store (same prefix).
func (d *Deduper) Shares(s conversation.SessionStore) bool {
	x, ok := s.(*Sessions)
	return ok && x.s == d.s
}

// ClaimLoad claims id and reads the session under key in one pipeline.
func (d *Deduper) ClaimLoad(ctx context.Context, id, key string) (first bool, sess conversation.Session, loadErr, err error) {
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	pipe := d.s.client.Pipeline()
	claim := pipe.SetNX(ctx, d.s.key("event", id), 1, d.s.processing)
	load := pipe.HMGet(ctx, d.s.key("session", key), "v", "d")
	_, _ = pipe.Exec(ctx)
	if first, err = claim.Result(); err != nil {
		return false, sess, nil, d.s.fail("claim event", err)
	}
	vals, err := load.Result()
	if err != nil {
		return first, sess, d.s.fail("load session", err), nil
	}
	sess, loadErr = decodeSession(key, vals)
	return first, sess, loadErr, nil
}

// SaveDone saves sess and marks id done in one pipeline. The mark holds
// even when the save meets a newer version (ErrConflict).
func (d *Deduper) SaveDone(ctx context.Context, sess conversation.Session, id string) (version int64, done bool, err error) {
	data, err := json.Marshal(sess)
	if err != nil {
		return 0, false, fmt.Errorf("redis: encode session %q: %w", sess.Key, err)
	}
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	keys, args := []string{d.s.key("session", sess.Key)}, []any{sess.Version, data, d.s.ttl.Milliseconds()}
	pipe := d.s.client.Pipeline()
	save := saveScript.EvalSha(ctx, pipe, keys, args...)
	mark := pipe.Set(ctx, d.s.key("event", id), 2, d.s.window)
	_, _ = pipe.Exec(ctx)
	v, err := save.Int64()
	if err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
		// Redis restarted since the script was loaded: send it whole.
		v, err = saveScript.Run(ctx, d.s.client, keys, args...).Int64()
	}
	x := Sessions{s: d.s}
	v, err = x.saved(v, err)
	return v, err == nil && mark.Err() == nil, err
}
