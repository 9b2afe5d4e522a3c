package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// tokenRoute is kicktest's token endpoint, for its faults.
const tokenRoute = "POST /oauth/token" //nolint:gosec // a route, not a credential

// chaosScale sets how long faults last and how long the system is left alone between them.
type chaosScale struct {
	gapMin, gapMax   time.Duration // between two faults
	holdMin, holdMax time.Duration // how long a pause, a slow spell or an outage lasts
}

// chaos runs one fault at a time, in random order, until ctx ends, and leaves everything healthy.
type chaos struct {
	c       *coordinator
	scale   chaosScale
	verbose bool
	log     io.Writer // every step, with its time

	mu     sync.Mutex
	counts map[string]int
}

func (ch *chaos) count(what string) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	ch.counts[what]++
}

func (ch *chaos) logf(format string, args ...any) {
	line := fmt.Sprintf("chaos %s: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
	_, _ = io.WriteString(ch.log, line)
	if ch.verbose {
		fmt.Print(line)
	}
}

func (ch *chaos) hold() time.Duration {
	return ch.scale.holdMin + randN(ch.scale.holdMax-ch.scale.holdMin+1)
}

func (ch *chaos) run(ctx context.Context) {
	faults := []func(context.Context){ch.pauseRedis, ch.slowRedis, ch.restartRedis, ch.killReplica, ch.tokenFaults}
	for i := 0; ; i++ {
		gap := ch.scale.gapMin + randN(ch.scale.gapMax-ch.scale.gapMin+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(gap):
		}
		// Every kind once in each round of five, in random order, so that a short soak sees them
		// all.
		if i%len(faults) == 0 {
			randShuffle(len(faults), func(a, b int) { faults[a], faults[b] = faults[b], faults[a] })
		}
		faults[i%len(faults)](ctx)
	}
}

func (ch *chaos) pauseRedis(ctx context.Context) {
	d := ch.hold()
	ch.logf("redis paused (SIGSTOP) for %v", d)
	if err := ch.c.redis.Pause(); err != nil {
		ch.logf("pause: %v", err)
		return
	}
	ch.count("redis paused (SIGSTOP)")
	sleep(ctx, d)
	if err := ch.c.redis.Resume(); err != nil {
		ch.logf("resume: %v", err)
	}
	ch.logf("redis resumed")
}

func (ch *chaos) slowRedis(ctx context.Context) {
	latency := []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond}[randN(2)]
	d := ch.hold()
	ch.logf("redis slowed by %v a command for %v", latency, d)
	ch.count(fmt.Sprintf("redis slowed by %v a command", latency))
	ch.c.proxy.SetLatency(latency)
	sleep(ctx, d)
	ch.c.proxy.SetLatency(0)
	ch.logf("redis fast again")
}

func (ch *chaos) restartRedis(ctx context.Context) {
	d := ch.hold() / 4
	ch.logf("redis killed (SIGKILL), restarted empty after %v", d)
	ch.c.ledger.wiped()
	if err := ch.c.redis.Kill(); err != nil { //nolint:contextcheck // the fault runs to its end, whatever ctx
		ch.logf("kill: %v", err)
		return
	}
	ch.count("redis killed and restarted empty")
	sleep(ctx, d)
	if err := ch.c.redis.Restart(); err != nil { //nolint:contextcheck // everything is left healthy
		ch.logf("restart: %v", err)
	}
}

func (ch *chaos) killReplica(ctx context.Context) {
	i := randN(len(ch.c.replicas))
	d := ch.hold() / 4
	pid := ch.c.replicas[i].pid()
	ch.logf("replica %d (pid %s) killed (SIGKILL), restarted after %v", i, pid, d)
	ch.c.ledger.killed(pid)
	ch.c.replicas[i].kill()
	ch.count("replica killed (SIGKILL) and restarted")
	sleep(ctx, d)
	if err := ch.c.replicas[i].start(); err != nil { //nolint:contextcheck // everything is left healthy
		ch.logf("restart of replica %d: %v", i, err)
	}
}

func (ch *chaos) tokenFaults(ctx context.Context) {
	n := 3 + randN(5)
	pick := []struct {
		f    kicktest.Fault
		what string
	}{
		{kicktest.Fault{StatusCode: 429, RetryAfter: "1", Times: n}, "token endpoint answered 429"},
		{kicktest.Fault{StatusCode: 500, Times: n}, "token endpoint answered 500"},
		{kicktest.Fault{Latency: 3 * time.Second, Times: n}, "token endpoint slow (3 s)"},
	}[randN(3)]
	ch.logf("%s, %d requests", pick.what, n)
	ch.count(pick.what)
	ch.c.kick.Fault(tokenRoute, pick.f)
	sleep(ctx, ch.hold())
	ch.c.kick.ClearFaults()
}

// summary lists what the chaos did, most frequent first.
func (ch *chaos) summary() string {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	var parts []string
	for what, n := range ch.counts {
		parts = append(parts, fmt.Sprintf("%s %d", what, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
