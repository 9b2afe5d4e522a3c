// Package relaytest measures relays (package relay): it plays Kick, posting signed deliveries to
// one relay or several, and plays their consumers, timing each delivery from the start of Kick's
// POST to the consumer's callback. The benchmarks of package relay and of kickredis use it; so
// can a deployment's own load test, against a relay whose verifier trusts the Signer's key.
package relaytest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// Load is a load on relays: Kick posting to their webhook URLs in turn, and consumers streaming
// from their events URLs in turn, each consumer receiving every delivery.
type Load struct {
	// Webhooks are the relays' webhook URLs; Events their events URLs.
	Webhooks, Events []string
	// Token is a consumer token that reads Broadcaster's chat messages.
	Token       string
	Broadcaster int64
	// Signer signs the deliveries; the relays must trust its key.
	Signer *webhooktest.Signer
	// Consumers is how many consumers stream (relay.Run, one webhook.Handler each).
	Consumers int
	// Senders is how many deliveries are posted at once at most (32 when 0).
	Senders int
	// Rate paces the posts, in deliveries a second; 0 posts as fast as the senders can.
	Rate float64
	// PayloadBytes pads each chat message to about this size (Kick's are about 1 KB).
	PayloadBytes int
}

// Result is what a Run measured.
type Result struct {
	// Deliveries is how many deliveries were posted and received by every consumer.
	Deliveries int
	// Elapsed runs from the first post to the last consumer's receipt of the last delivery.
	Elapsed time.Duration
	// PerSecond is Deliveries / Elapsed.
	PerSecond float64
	// P50, P99 and Max are the latencies from the start of a delivery's POST to a consumer's
	// callback, over every delivery and consumer.
	P50, P99, Max time.Duration
	// CPUPerDelivery is the CPU time (user and system) the whole process spent per delivery
	// during the run: the relays' and, when they run in the process too, the consumers'. Unlike
	// the rate, it does not depend on what else the machine runs: 2 cores / CPUPerDelivery is
	// what the process could do on an idle 2-core machine.
	CPUPerDelivery time.Duration
}

// Signed is a delivery signed in advance, so that signing (slow: RSA) is not measured.
type Signed struct {
	id     string
	header http.Header
	body   []byte
}

// Sign signs n chat message deliveries, timestamped now.
func (l *Load) Sign(n int) []Signed {
	pad := max(l.PayloadBytes-400, 0)
	out := make([]Signed, n)
	for i := range out {
		body := fmt.Appendf(nil, `{"message_id":"m%d","replies_to":null,"broadcaster":{"is_anonymous":false,"user_id":%d,"username":"b","is_verified":false,"profile_picture":"","channel_slug":"b","identity":null},"sender":{"is_anonymous":false,"user_id":7,"username":"v","is_verified":false,"profile_picture":"","channel_slug":"v","identity":null},"content":"%s","emotes":[],"created_at":"2025-01-14T16:08:06Z"}`,
			i, l.Broadcaster, bytes.Repeat([]byte{'x'}, pad))
		d := webhooktest.NewDelivery(kicktypes.EventChatMessageSent, body)
		out[i] = Signed{id: d.MessageID, header: l.Signer.Headers(d), body: body}
	}
	return out
}

// Run starts the consumers (from the start of the log), waits until each receives the first of
// ds (not measured), posts the others, and returns once every consumer has received all of them, or ctx
// ends. A post answered other than 200 fails the run.
func (l *Load) Run(ctx context.Context, ds []Signed) (Result, error) {
	if len(ds) < 2 || l.Consumers < 1 || len(l.Webhooks) == 0 || len(l.Events) == 0 {
		return Result{}, errors.New("relaytest: Run needs two deliveries, a consumer and a relay")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	defer client.CloseIdleConnections()
	start := make(map[string]time.Time, len(ds))
	for _, d := range ds {
		start[d.id] = time.Time{}
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		received  = make([]atomic.Int64, l.Consumers)
		last      atomic.Int64 // unix nanos of the last receipt
		warm      sync.WaitGroup
		runErr    = make(chan error, l.Consumers)
	)
	warm.Add(l.Consumers)
	for i := range l.Consumers {
		h, err := webhook.NewHandler()
		if err != nil {
			return Result{}, err
		}
		h.OnChatMessageSent(func(_ context.Context, d *webhook.Delivery, _ *webhook.ChatMessageSent) error {
			now := time.Now()
			if d.MessageID == ds[0].id {
				warm.Done()
				return nil
			}
			mu.Lock()
			t0, ok := start[d.MessageID]
			if ok {
				latencies = append(latencies, now.Sub(t0))
			}
			mu.Unlock()
			if !ok {
				return nil // a delivery of another run
			}
			received[i].Add(1)
			last.Store(now.UnixNano())
			return nil
		})
		go func() {
			// From the start of the log: a consumer that connects after the first delivery still
			// gets it.
			runErr <- relay.Run(ctx, l.Events[i%len(l.Events)], l.Token, relay.Filter{}, h, relay.WithStart(relay.ID{}),
				relay.WithBackoff(10*time.Millisecond, 100*time.Millisecond))
		}()
	}
	// The first delivery, until every consumer has it: they are then all connected.
	warmed := make(chan struct{})
	go func() { warm.Wait(); close(warmed) }()
	if err := post(ctx, client, l.Webhooks[0], ds[0]); err != nil {
		return Result{}, err
	}
	select {
	case <-warmed:
	case err := <-runErr:
		return Result{}, fmt.Errorf("relaytest: a consumer ended: %w", err)
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}

	senders := l.Senders
	if senders <= 0 {
		senders = 32
	}
	sem := make(chan struct{}, senders)
	errs := make(chan error, 1)
	var tick *time.Ticker
	if l.Rate > 0 {
		tick = time.NewTicker(time.Duration(float64(time.Second) / l.Rate))
		defer tick.Stop()
	}
	t0, cpu0 := time.Now(), cpuTime()
	var wg sync.WaitGroup
	for i, d := range ds[1:] {
		if tick != nil {
			<-tick.C
		}
		sem <- struct{}{}
		mu.Lock()
		start[d.id] = time.Now()
		mu.Unlock()
		wg.Go(func() {
			defer func() { <-sem }()
			if err := post(ctx, client, l.Webhooks[i%len(l.Webhooks)], d); err != nil {
				select {
				case errs <- err:
				default:
				}
				cancel()
			}
		})
	}
	wg.Wait()
	want := int64(len(ds) - 1)
	for c := range received {
		for received[c].Load() < want {
			select {
			case err := <-errs:
				return Result{}, err
			case err := <-runErr:
				return Result{}, fmt.Errorf("relaytest: a consumer ended: %w", err)
			case <-ctx.Done():
				return Result{}, ctx.Err()
			case <-time.After(time.Millisecond):
			}
		}
	}
	elapsed, cpu := time.Unix(0, last.Load()).Sub(t0), cpuTime()-cpu0
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(latencies)
	r := Result{Deliveries: len(ds) - 1, Elapsed: elapsed, PerSecond: float64(len(ds)-1) / elapsed.Seconds(),
		P50: percentile(latencies, 0.50), P99: percentile(latencies, 0.99), Max: latencies[len(latencies)-1],
		CPUPerDelivery: cpu / time.Duration(len(ds)-1)}
	return r, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func post(ctx context.Context, client *http.Client, target string, d Signed) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(d.body))
	if err != nil {
		return err
	}
	req.Header = d.header.Clone()
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("relaytest: posting: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("relaytest: posting %s: status %d", d.id, resp.StatusCode)
	}
	return nil
}

// OpenIdle opens n streams that read nothing after their headers, spread over the events URLs
// in turn, as idle consumers do, and returns a function that closes them. Each costs this
// process a connection and a 512-byte buffer.
func OpenIdle(ctx context.Context, events []string, token string, n int) (func(), error) {
	conns := make([]net.Conn, 0, n)
	closeAll := func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}
	var d net.Dialer
	for i := range n {
		u, err := url.Parse(events[i%len(events)])
		if err != nil {
			closeAll()
			return nil, err
		}
		c, err := d.DialContext(ctx, "tcp", u.Host)
		if err != nil {
			closeAll()
			return nil, err
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n", u.RequestURI(), u.Host, token)
		line, err := bufio.NewReaderSize(c, 512).ReadString('\n')
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("relaytest: stream %d: %w", i, err)
		}
		if len(line) < 12 || line[9:12] != "200" {
			closeAll()
			return nil, fmt.Errorf("relaytest: stream %d: %q", i, line)
		}
	}
	return closeAll, nil
}

// Idle is what MeasureIdle measured.
type Idle struct {
	// Consumers is how many idle streams were open.
	Consumers int
	// BytesPerConsumer is the growth of the process's live heap and stacks per stream, after a
	// garbage collection: with the relays in this process, their cost of a consumer (and the
	// connection's, at both ends). It measures the whole process: anything else running in it
	// at the same time (a parallel test) moves it either way, so it can be zero or negative
	// outside a benchmark.
	BytesPerConsumer float64
	// GoroutinesPerConsumer is the growth of the goroutine count per stream.
	GoroutinesPerConsumer float64
}

// MeasureIdle opens n idle streams (OpenIdle) and measures what they cost a process in which the
// relays run, then closes them.
func MeasureIdle(ctx context.Context, events []string, token string, n int) (Idle, error) {
	before, g0 := memInUse()
	closeAll, err := OpenIdle(ctx, events, token, n)
	if err != nil {
		return Idle{}, err
	}
	defer closeAll()
	time.Sleep(100 * time.Millisecond) // the relays' goroutines settle into their waits
	after, g1 := memInUse()
	return Idle{Consumers: n, BytesPerConsumer: (float64(after) - float64(before)) / float64(n), GoroutinesPerConsumer: float64(g1-g0) / float64(n)}, nil
}

func memInUse() (uint64, int) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse, runtime.NumGoroutine()
}

// Benchmark runs the load with b.N measured deliveries, signed before the timer starts, and
// reports deliveries/s, p50-ms, p99-ms, cpu-µs/delivery and idle-2-core-deliveries/s (2 cores
// divided by the CPU per delivery). Run it with a fixed count, such as -benchtime=4000x.
func (l *Load) Benchmark(b *testing.B) {
	b.Helper()
	ds := l.Sign(b.N + 1)
	b.ResetTimer()
	res, err := l.Run(context.Background(), ds)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.PerSecond, "deliveries/s")
	b.ReportMetric(float64(res.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(res.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(res.CPUPerDelivery.Microseconds()), "cpu-µs/delivery")
	if res.CPUPerDelivery > 0 {
		b.ReportMetric(2*float64(time.Second)/float64(res.CPUPerDelivery), "idle-2-core-deliveries/s")
	}
}

// BenchmarkIdle measures n idle streams (MeasureIdle) in each round of b and reports
// bytes/consumer and goroutines/consumer.
func BenchmarkIdle(b *testing.B, events []string, token string, n int) {
	b.Helper()
	for b.Loop() {
		idle, err := MeasureIdle(context.Background(), events, token, n)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(idle.BytesPerConsumer, "bytes/consumer")
		b.ReportMetric(idle.GoroutinesPerConsumer, "goroutines/consumer")
	}
}
