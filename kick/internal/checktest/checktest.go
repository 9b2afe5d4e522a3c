// Package checktest runs the checks of a test suite (webhooktest.TestStore,
// kickauthtest.TestTokenStore) on a Recorder instead of a *testing.T, so that the suites' own tests
// can prove each check fails the broken implementation it exists to catch.
package checktest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Recorder records what a check reports. It has the methods of testing.TB that the suites use;
// Fatal, FailNow and Skip end the goroutine that calls them, as they do on a *testing.T.
type Recorder struct {
	ctx      context.Context
	mu       sync.Mutex
	failed   bool
	skipped  bool
	msgs     []string
	cleanups []func()
}

// Run calls check with a Recorder on a goroutine of its own, waits for it, runs the cleanups it
// registered, and returns the Recorder.
func Run(t *testing.T, check func(r *Recorder)) *Recorder {
	t.Helper()
	r := &Recorder{ctx: t.Context()}
	done := make(chan struct{})
	go func() { defer close(done); check(r) }()
	<-done
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	return r
}

// Helper does nothing.
func (r *Recorder) Helper() {}

// Context returns the context of the test that runs the check.
func (r *Recorder) Context() context.Context { return r.ctx }

// Cleanup registers f to run after the check.
func (r *Recorder) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

// Error records a failure.
func (r *Recorder) Error(args ...any) { r.report(fmt.Sprint(args...)) }

// Errorf records a failure.
func (r *Recorder) Errorf(format string, args ...any) { r.report(fmt.Sprintf(format, args...)) }

// Fatal records a failure and ends the goroutine.
func (r *Recorder) Fatal(args ...any) { r.report(fmt.Sprint(args...)); runtime.Goexit() }

// Fatalf records a failure and ends the goroutine.
func (r *Recorder) Fatalf(format string, args ...any) {
	r.report(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// FailNow records a failure and ends the goroutine.
func (r *Recorder) FailNow() { r.report("FailNow"); runtime.Goexit() }

// Skip records a skip and ends the goroutine.
func (r *Recorder) Skip(args ...any) {
	r.mu.Lock()
	r.skipped = true
	r.msgs = append(r.msgs, "skip: "+fmt.Sprint(args...))
	r.mu.Unlock()
	runtime.Goexit()
}

// Failed reports whether a failure was recorded.
func (r *Recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

// Skipped reports whether the check skipped.
func (r *Recorder) Skipped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.skipped
}

// Messages returns what the check reported, one line per report.
func (r *Recorder) Messages() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.msgs, "\n")
}

func (r *Recorder) report(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	r.msgs = append(r.msgs, msg)
}
