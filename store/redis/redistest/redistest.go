// Package redistest finds a Redis server for hirebot's tests.
//
// URL uses REDIS_URL when set; otherwise it starts redis-server from PATH on
// a free loopback port for the test binary. When neither works the test is
// skipped with a note on how to run it, or fails when HIREBOT_REQUIRE_REDIS=1
// (CI sets it, so there a missing Redis is an error, not a skip).
package redistest

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const howTo = "set REDIS_URL (e.g. redis://127.0.0.1:6379/0) or put redis-server on PATH"

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
)

// URL returns the URL of a Redis server the test may use. Several tests
// share it: each must use its own key prefix (see Prefix) and never flush.
// A server started here lives until Run returns.
func URL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	sharedOnce.Do(func() { shared, sharedErr = start(os.TempDir()) })
	if sharedErr != nil {
		Unavailable(t, "no REDIS_URL and cannot start redis-server: %v", sharedErr)
	}
	return shared.URL()
}

// Run runs the tests of a package and then stops the server URL started,
// if any. Call it from TestMain: os.Exit(redistest.Run(m)).
func Run(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	return code
}

// Prefix returns a key prefix no other test uses.
func Prefix(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "hirebot-test:" + hex.EncodeToString(b[:]) + ":"
}

// Unavailable skips the test (or fails it when HIREBOT_REQUIRE_REDIS=1)
// because no Redis can be had.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; to run the Redis tests " + howTo
	if os.Getenv("HIREBOT_REQUIRE_REDIS") == "1" {
		t.Fatal(msg + " (HIREBOT_REQUIRE_REDIS=1: Redis is required)")
	}
	t.Skip(msg)
}

// Server is a redis-server process owned by a test.
type Server struct {
	port int
	dir  string
	mu   sync.Mutex
	cmd  *exec.Cmd
}

// Start starts a private redis-server on a free loopback port, stopped when
// the test ends. Tests that stop and restart Redis use it, never the shared
// server.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start(t.TempDir())
	if err != nil {
		Unavailable(t, "cannot start redis-server: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// start starts redis-server on a free port, keeping its dump file in dir.
func start(dir string) (*Server, error) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Server{port: port, dir: dir}
	return s, s.Restart()
}

// URL is the server's redis:// URL.
func (s *Server) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// Restart starts the server again on the same port after Stop.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return nil
	}
	cmd := exec.Command("redis-server",
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no",
		"--dir", s.dir, "--dbfilename", fmt.Sprintf("hirebot-test-%d.rdb", s.port))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return err
	}
	// redis-server says when it accepts connections; wait for that line
	// (or for it to exit), bounded so a broken install cannot hang tests.
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		said := false
		for sc.Scan() {
			if !said && strings.Contains(sc.Text(), "Ready to accept connections") {
				said = true
				ready <- true
			}
		}
		if !said {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Wait()
			return fmt.Errorf("redis-server on port %d exited before accepting connections", s.port)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return fmt.Errorf("redis-server on port %d did not start within 30s", s.port)
	}
	s.cmd = cmd
	return nil
}

// Shutdown stops the server the way an operator does, saving its data to
// disk first, so that Restart finds it again. It waits for the exit.
func (s *Server) Shutdown() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return nil
	}
	conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.port), 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n")); err != nil {
		return err
	}
	err = s.cmd.Wait()
	s.cmd = nil
	if err != nil {
		return fmt.Errorf("redis-server on port %d: %w", s.port, err)
	}
	return nil
}

// Stop kills the server, losing its data, and waits for it to exit.
// Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}
