// Package redisserver starts a real redis-server on loopback for tests: on a free port, without
// persistence (--save "" --appendonly no), in a directory of its own, and stops it by its pid.
// Tests skip when redis-server is not installed, unless the environment variable CI is set: a
// Redis suite skipped in CI is a failure.
package redisserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Binary is the program started; the environment variable REDIS_SERVER overrides it.
const Binary = "redis-server"

// ErrNotInstalled is returned by Start when redis-server cannot be found.
var ErrNotInstalled = errors.New("redis-server is not installed (Debian: apt-get install redis-server)")

// Server is a running redis-server. Its methods are safe for concurrent use.
type Server struct {
	// Addr is host:port of the server.
	Addr string

	bin, dir string
	port     int

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Lookup returns the path of redis-server, or ErrNotInstalled.
func Lookup() (string, error) {
	bin := os.Getenv("REDIS_SERVER")
	if bin == "" {
		bin = Binary
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotInstalled, err)
	}
	return path, nil
}

// Start starts a server on a free loopback port.
func Start() (*Server, error) {
	bin, err := Lookup()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kickredis-redis-*")
	if err != nil {
		return nil, err
	}
	var last error
	for range 5 { // another process may take the free port before redis-server binds it
		port, err := freePort()
		if err != nil {
			return nil, errors.Join(err, os.RemoveAll(dir))
		}
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), bin: bin, dir: dir, port: port}
		if last = s.start(); last == nil {
			return s, nil
		}
	}
	return nil, errors.Join(last, os.RemoveAll(dir))
}

// StartT starts a server for the test t and kills it when the test ends. Without redis-server
// it skips t, or fails it when CI is set.
func StartT(t testing.TB) *Server {
	t.Helper()
	s, err := Start()
	if errors.Is(err, ErrNotInstalled) {
		SkipOrFail(t, err)
	}
	if err != nil {
		t.Fatalf("redisserver: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// SkipOrFail skips t because of err (redis-server is missing), or fails it if the environment
// variable CI is set.
func SkipOrFail(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("redisserver: %v; CI is set, so the Redis tests must run", err)
	}
	t.Skipf("redisserver: %v: skipping the Redis tests", err)
}

func freePort() (int, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs redis-server on s.port and waits until it answers PING.
func (s *Server) start() error {
	cmd := exec.CommandContext(context.Background(), s.bin, //nolint:gosec // the test's own redis-server, with fixed arguments
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", s.dir, "--daemonize", "no", "--logfile", "", "--loglevel", "warning")
	cmd.Dir = s.dir
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redisserver: %w", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(10 * time.Second)
	for ping(s.Addr) != nil {
		select {
		case <-exited:
			return fmt.Errorf("redisserver: redis-server exited (%w): %s", waitErr, out.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redisserver: redis-server did not answer on %s: %s", s.Addr, out.String())
		}
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	return nil
}

// answers reports whether a server answers PING at addr.
func answers(addr string) bool { return ping(addr) == nil }

// ping sends PING and reads the answer.
func ping(addr string) error {
	c, err := (&net.Dialer{Timeout: time.Second}).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

// Pid returns the server's process id, 0 when it is not running.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Kill kills the server with SIGKILL, by its pid, and waits until its port refuses connections.
func (s *Server) Kill() error {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	for range 500 {
		if !answers(s.Addr) {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("redisserver: %s still answers after SIGKILL", s.Addr)
}

// Restart starts the server again, empty, on the same port.
func (s *Server) Restart() error {
	if s.Pid() != 0 {
		return errors.New("redisserver: Restart of a running server")
	}
	return s.start()
}

// Pause stops the server's process (SIGSTOP): it accepts connections but answers nothing, like a
// Redis that hangs.
func (s *Server) Pause() error { return s.signal(syscall.SIGSTOP) }

// Resume lets a paused server go on (SIGCONT).
func (s *Server) Resume() error { return s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig os.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return errors.New("redisserver: the server is not running")
	}
	return s.cmd.Process.Signal(sig)
}

// Close kills the server and removes its directory.
func (s *Server) Close() error {
	_ = s.Resume() // a stopped process takes SIGKILL too, but be tidy
	return errors.Join(s.Kill(), os.RemoveAll(s.dir))
}
