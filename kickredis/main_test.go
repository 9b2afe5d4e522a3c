package kickredis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kickredis/internal/redisserver"
)

// The tests share one redis-server, started by TestMain; each test writes under a prefix of its
// own. Tests that kill or pause a server start one of their own (redisserver.StartT).
var (
	shared    *redisserver.Server
	sharedErr error
)

func TestMain(m *testing.M) {
	waitBoundParallelism()
	if os.Getenv(helperEnv) != "" { // a child process of a test: it uses the parent's server
		os.Exit(m.Run())
	}
	redis.SetLogger(quiet{}) // go-redis logs failed dials, which the tests that kill Redis cause
	shared, sharedErr = redisserver.Start()
	if sharedErr != nil && os.Getenv("CI") != "" {
		fmt.Fprintf(os.Stderr, "kickredis tests: %v; CI is set, so the Redis tests must run\n", sharedErr)
		os.Exit(1)
	}
	code := m.Run()
	if shared != nil {
		if err := shared.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "kickredis tests:", err)
		}
	}
	os.Exit(code)
}

// waitBoundParallelism runs up to 2×GOMAXPROCS parallel tests at once (go test's default is
// GOMAXPROCS) unless -test.parallel is given: the tests of this package wait, on Redis and on
// real time (the slow-Redis tests keep Redis slow for 8 s and watch claims expire), more than
// they compute, and on 2 cores the default ran their four slowest two at a time. (Not more: some
// tests time Redis commands against deadlines of a second, which CPU starvation breaks.)
func waitBoundParallelism() {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", fmt.Sprint(2*runtime.GOMAXPROCS(0))); err != nil {
			panic(err)
		}
	}
}

// server returns the shared server, or skips (fails in CI) without redis-server.
func server(t testing.TB) *redisserver.Server {
	t.Helper()
	switch {
	case errors.Is(sharedErr, redisserver.ErrNotInstalled):
		redisserver.SkipOrFail(t, sharedErr)
	case sharedErr != nil:
		t.Fatalf("starting redis-server: %v", sharedErr)
	}
	return shared
}

// newClient returns a client of the server at addr, closed when the test ends, which counts the
// commands it sends (one per round trip: the stores use no pipelines).
func newClient(t testing.TB, addr string) (*redis.Client, *atomic.Int64) {
	t.Helper()
	return newClientWith(t, &redis.Options{Addr: addr})
}

// clientModes are the two ways a store calls Redis: on a goroutine of its own (go-redis's default,
// which does not follow context deadlines), or directly (ContextTimeoutEnabled).
var clientModes = map[string]bool{"client=default": false, "client=ContextTimeoutEnabled": true}

// forEachClientMode runs test in a parallel subtest per client mode, with a client of the shared
// server in that mode.
func forEachClientMode(t *testing.T, test func(t *testing.T, direct bool)) {
	t.Helper()
	for mode, direct := range clientModes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			test(t, direct)
		})
	}
}

func newClientWith(t testing.TB, opts *redis.Options) (*redis.Client, *atomic.Int64) {
	t.Helper()
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	n := &atomic.Int64{}
	c.AddHook(countHook{n})
	return c, n
}

type countHook struct{ n *atomic.Int64 }

func (countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}
func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

// newPrefix returns a key prefix no other test uses.
func newPrefix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "test:" + hex.EncodeToString(b) + ":"
}

// redisServerOfItsOwn starts a server for a test that kills or pauses it.
func redisServerOfItsOwn(t testing.TB) *redisserver.Server {
	t.Helper()
	server(t) // skips, or fails in CI, without redis-server
	return redisserver.StartT(t)
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}
