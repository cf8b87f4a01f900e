package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// TestStageFailuresAreToldOnce: the first component to fail is the error
// serve returns, a second one is logged, and an error returned after the
// stage was stopped is no failure.
func TestStageFailuresAreToldOnce(t *testing.T) {
	var logged bytes.Buffer
	failed := newFirstError(slog.New(slog.NewTextHandler(&logged, nil)))
	s := newStage(context.Background(), failed.fail)
	one := errors.New("one broke")
	s.Go("one", func(context.Context) error { return one })
	<-failed.failed
	failed.fail(errors.New("two: two broke")) // as a second component would
	stopped := false
	s.Go("quiet", func(ctx context.Context) error {
		<-ctx.Done()
		stopped = true
		return errors.New("returned after the stop")
	})
	<-s.stop()
	if !stopped {
		t.Error("stop returned before its components did")
	}
	if !errors.Is(failed.err, one) || !strings.Contains(failed.err.Error(), "one: ") {
		t.Errorf("the error kept is %v, want the first, named", failed.err)
	}
	if got := logged.String(); !strings.Contains(got, "two: two broke") || strings.Contains(got, "one broke") ||
		strings.Contains(got, "after the stop") {
		t.Errorf("logged:\n%s\nwant the second failure alone", got)
	}
}
