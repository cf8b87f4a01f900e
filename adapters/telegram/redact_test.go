package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/adapters/adaptertest"
)

// lockedBuffer is a log sink the adapter's goroutines write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFailingAPIShowsNoToken: the Bot API goes away while the adapter
// polls; the getUpdates failures are logged without the token, and a
// getMe that cannot connect returns an error without it.
func TestFailingAPIShowsNoToken(t *testing.T) {
	f := newFakeAPI(t)
	var logs lockedBuffer
	a, err := New(context.Background(), Config{Token: testToken, APIURL: f.URL(), PollTimeout: time.Second},
		newFakeHandler().Handle, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	stop := adaptertest.Start(t, a.Run)
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(logs.String(), "getUpdates failed"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no getUpdates failure was logged:\n%s", logs.String())
		}
	}
	_ = stop()
	if err := a.Check(context.Background()); err == nil || strings.Contains(err.Error(), testToken) {
		t.Errorf("Check = %v, want an error without the token", err)
	}
	_, err = New(context.Background(), Config{Token: testToken, APIURL: f.URL()}, newFakeHandler().Handle, nil)
	if err == nil || strings.Contains(err.Error(), testToken) || !strings.Contains(err.Error(), "/bot[REDACTED]/getMe") {
		t.Errorf("New = %v, want an error without the token", err)
	}
	if out := logs.String(); strings.Contains(out, testToken) {
		t.Errorf("the log shows the token:\n%s", out)
	}
}
