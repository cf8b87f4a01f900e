package match

import (
	"context"
	"fmt"

	"github.com/hirebot/hirebot/bot"
)

// SetOnChange makes the index call fn after every Put, Remove, PutJob and
// RemoveJob. Changes applied with Apply are not reported again.
func (ix *Index) SetOnChange(fn func(bot.Change)) {
	ix.mu.Lock()
	ix.onChange = fn
	ix.mu.Unlock()
}

func (ix *Index) changed(c bot.Change) {
	ix.mu.RLock()
	fn := ix.onChange
	ix.mu.RUnlock()
	if fn != nil {
		fn(c)
	}
}

// Apply reloads the record named by c from s into the index: what another
// replica changed becomes visible here.
func (ix *Index) Apply(ctx context.Context, s bot.Store, c bot.Change) error {
	switch c.Kind {
	case bot.ChangeProfile:
		p, err := s.Profile(ctx, c.ID)
		if bot.ErrorCode(err) == bot.ENOTFOUND {
			ix.removeProfile(c.ID)
			return nil
		}
		if err != nil {
			return err
		}
		ix.putProfile(p)
	case bot.ChangeJob:
		j, err := s.Job(ctx, c.ID)
		if bot.ErrorCode(err) == bot.ENOTFOUND {
			ix.removeJob(c.ID)
			return nil
		}
		if err != nil {
			return err
		}
		ix.putJob(j)
	default:
		return fmt.Errorf("bot: unknown change kind %q", c.Kind)
	}
	return nil
}
