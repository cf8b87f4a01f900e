package redis_test

import (
	"context"
	"testing"

	"github.com/hirebot/hirebot/store/redis"
)

func TestCursorNeverMovesBack(t *testing.T) {
	ctx := context.Background()
	c := open(t, redis.Options{}).Cursors()
	if v, err := c.Cursor(ctx, "poll"); err != nil || v != 0 {
		t.Fatalf("unsaved cursor = %d, %v; want 0", v, err)
	}
	for _, step := range []struct{ set, want int64 }{{10, 10}, {25, 25}, {7, 25}, {26, 26}} {
		if err := c.SetCursor(ctx, "poll", step.set); err != nil {
			t.Fatal(err)
		}
		if v, err := c.Cursor(ctx, "poll"); err != nil || v != step.want {
			t.Errorf("after saving %d: cursor = %d, %v; want %d", step.set, v, err, step.want)
		}
	}
	if v, _ := c.Cursor(ctx, "other"); v != 0 {
		t.Errorf("another name's cursor = %d, want 0", v)
	}
}
