package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// kickBin is the CLI binary the tests run, built once by TestMain.
var kickBin string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	flag.Parse()
	if fuzzing() {
		return m.Run() // the fuzz targets run no binary; each fuzz worker would build it again
	}
	dir, err := os.MkdirTemp("", "kick-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	kickBin = filepath.Join(dir, "kick")
	if runtime.GOOS == "windows" {
		kickBin += ".exe"
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "the go command is needed to build the CLI:", err)
		return 1
	}
	// -buildvcs=auto: the commit goes into the build info, as a go build in a clone records it,
	// whatever GOFLAGS says; TestVersionOfTheBinary reads it back.
	args := []string{"build", "-buildvcs=auto", "-o", kickBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command(goCmd, append(args, ".")...)
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the CLI:", err)
		return 1
	}
	return m.Run()
}

// fuzzing reports whether this run fuzzes (-test.fuzz), or is a worker of one.
func fuzzing() bool {
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			return true
		}
	}
	return false
}

// result is the outcome of one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// refusedURL is an address nothing listens on: port 1 of loopback, which no test binds. (A
// closed httptest server's port does not stay free: a parallel test, or another test binary of
// make test-clock, may listen on it next.)
const refusedURL = "http://127.0.0.1:1"

// cliEnv is the environment of the binary: none of the caller's KICK_* variables, directories of
// the test's own for what the CLI stores (tokens and accounts, saved deliveries), HOME and the XDG
// base directories in an empty directory of the test's own too, so that no default location of
// the CLI is the user's; then vars, which win.
func cliEnv(t *testing.T, vars ...string) []string {
	t.Helper()
	var env []string
	gorace := "atexit_sleep_ms=0" // a race-enabled binary sleeps a second at exit by default
	for _, kv := range os.Environ() {
		switch {
		case strings.HasPrefix(kv, "KICK_"), strings.HasPrefix(kv, "HOME="), strings.HasPrefix(kv, "XDG_"):
		case strings.HasPrefix(kv, "GORACE="):
			gorace = strings.TrimPrefix(kv, "GORACE=") + " " + gorace
		default:
			env = append(env, kv)
		}
	}
	home := filepath.Join(t.TempDir(), "home")
	env = append(env, "GORACE="+gorace,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"KICK_TOKEN_DIR="+filepath.Join(t.TempDir(), "tokens"),
		"KICK_EVENT_DIR="+filepath.Join(t.TempDir(), "deliveries"))
	return append(env, vars...)
}

// kick runs the binary with args in env, stdin empty.
func runCLI(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runCLIIn(t, env, "", args...)
}

func runCLIIn(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	return runCLIInDir(t, env, "", stdin, args...)
}

// runCLIInDir runs the binary with args in env, in the working directory dir ("" for the
// test's), with stdin.
func runCLIInDir(t *testing.T, env []string, dir, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, kickBin, args...)
	cmd.Env = env
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	default:
		t.Fatalf("kick %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// wantCode fails the test unless r exited with code.
func wantCode(t *testing.T, r result, code int, args ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("kick %s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, code, r)
	}
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(name, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// jsonUnmarshalStrict decodes s, which must be one JSON value and nothing more, into v.
func jsonUnmarshalStrict(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more after the JSON value")
	}
	return nil
}

// syncBuffer is a bytes.Buffer safe for one writer and readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a run of the binary in the background: a server such as mock serve or event listen.
type proc struct {
	cmd    *exec.Cmd
	lines  chan string // stdout, line by line
	stdout syncBuffer
	stderr syncBuffer
	done   chan struct{}
	cancel context.CancelFunc
}

// startCLI starts the binary with args in env; the test's end kills it if it still runs.
func startCLI(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	return startCLIInDir(t, env, "", args...)
}

// startCLIInDir is startCLI in the working directory dir.
func startCLIInDir(t *testing.T, env []string, dir string, args ...string) *proc {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the servers stop on SIGINT, which Windows cannot send")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	p := &proc{cmd: exec.CommandContext(ctx, kickBin, args...), lines: make(chan string, 1000), done: make(chan struct{}), cancel: cancel}
	p.cmd.Env = env
	p.cmd.Dir = dir
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			_, _ = p.stdout.Write([]byte(sc.Text() + "\n"))
			p.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
		}
		cancel()
	})
	return p
}

// line returns the next line of stdout, failing the test after ten seconds.
func (p *proc) line(t *testing.T) string {
	t.Helper()
	select {
	case l := <-p.lines:
		return l
	case <-p.done:
		select {
		case l := <-p.lines:
			return l
		default:
		}
		t.Fatalf("%s ended without a line\nstderr:\n%s", strings.Join(p.cmd.Args, " "), p.stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatalf("%s printed no line in 10s\nstdout:\n%s\nstderr:\n%s", strings.Join(p.cmd.Args, " "), p.stdout.String(), p.stderr.String())
	}
	return ""
}

// waitStderr waits until stderr contains s, failing the test after ten seconds.
func (p *proc) waitStderr(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.stderr.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: no %q on stderr in 10s:\n%s", strings.Join(p.cmd.Args, " "), s, p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop sends sig and returns the run's result.
func (p *proc) stop(t *testing.T, sig os.Signal) result {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Errorf("signaling %s: %v", p.cmd.Args[1], err)
	}
	<-p.done
	r := result{}
	if err := p.cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
		r.code = exit.ExitCode()
	}
	r.stdout, r.stderr = p.stdout.String(), p.stderr.String()
	return r
}
