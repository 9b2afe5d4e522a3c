package kickredis_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kickredis"
)

func newWebhookStore(t testing.TB, c redis.UniversalClient, opts ...kickredis.Option) *kickredis.WebhookStore {
	t.Helper()
	s, err := kickredis.NewWebhookStore(c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// kickVerifier trusts kicktest's signing key.
func kickVerifier(t testing.TB) *webhook.Verifier {
	t.Helper()
	key, err := webhook.ParsePublicKeyPEM([]byte(kicktest.PublicKeyPEM()))
	if err != nil {
		t.Fatal(err)
	}
	v, err := webhook.NewVerifier(webhook.WithPublicKey(key))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// ledger records what the replicas' functions did with each message id, and fails the test if
// two replicas process one id at the same time.
type ledger struct {
	t         testing.TB
	mu        sync.Mutex
	active    map[string]int   // replica processing the id now, +1
	processed map[string][]int // replicas whose function succeeded for the id
	failed    map[string]int   // failed attempts per id
	received  map[string]map[int]bool
}

func newLedger(t testing.TB) *ledger {
	return &ledger{t: t, active: map[string]int{}, processed: map[string][]int{}, failed: map[string]int{},
		received: map[string]map[int]bool{}}
}

func (l *ledger) receive(replica int, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.received[id] == nil {
		l.received[id] = map[int]bool{}
	}
	l.received[id][replica] = true
}

// process is a replica's function: it fails the first attempt of one id in twenty, as a database
// hiccup would, so that Kick's retry must be processed, and takes up to 2 ms.
func (l *ledger) process(replica int, id string) error {
	l.mu.Lock()
	if other, busy := l.active[id]; busy {
		l.t.Errorf("replicas %d and %d process %s at once", other-1, replica, id)
	}
	l.active[id] = replica + 1
	fail := l.failed[id] == 0 && len(l.processed[id]) == 0 && hash(id)%20 == 0
	l.mu.Unlock()
	time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.active, id)
	if fail {
		l.failed[id]++
		return errors.New("database hiccup")
	}
	l.processed[id] = append(l.processed[id], replica)
	return nil
}

func hash(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// post delivers a signed delivery to url as Kick does, retrying until it is answered 2xx: Kick
// retries a delivery answered otherwise (409 while another replica processes it, 500).
func post(t testing.TB, client *http.Client, url string, h http.Header, body []byte) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return
		}
		req.Header = h.Clone()
		rsp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, rsp.Body)
			_ = rsp.Body.Close()
			if rsp.StatusCode/100 == 2 {
				return
			}
		}
		if attempt == 200 {
			t.Errorf("delivery %s not accepted after %d attempts: %v", h.Get(webhook.HeaderMessageID), attempt, err)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func deliveryHeaders(d kicktest.Delivery) http.Header {
	return kicktest.Signer().Headers(webhook.Delivery{MessageID: d.MessageID, SubscriptionID: d.SubscriptionID,
		Type: d.Type, Version: 1, Timestamp: d.Timestamp, Body: d.Body})
}

// Three webhook receivers, each a Handler with its own Redis client and store, behind a
// round-robin proxy. kicktest delivers 1,000 events; 30% of them are delivered again at once, as
// Kick's retries, which the proxy sends to another replica; a delivery answered other than 2xx is
// retried, as Kick does. Every event is processed exactly once, and never by two replicas at once.
func TestWebhookReplicasProcessEachEventOnce(t *testing.T) {
	t.Parallel()
	srv := server(t)
	prefix := newPrefix()
	l := newLedger(t)
	const replicas, events, batch = 3, 1000, 50

	var backends []*httputil.ReverseProxy
	for i := range replicas {
		c, _ := newClient(t, srv.Addr)
		h, err := webhook.NewHandler(webhook.WithVerifier(kickVerifier(t)),
			webhook.WithStore(newWebhookStore(t, c, kickredis.WithPrefix(prefix))),
			webhook.WithErrorHook(func(_ *http.Request, d *webhook.Delivery, err error) {
				if !errors.Is(err, webhook.ErrInFlight) && !strings.Contains(err.Error(), "database hiccup") {
					t.Errorf("replica %d: %v", i, err)
				}
			}))
		if err != nil {
			t.Fatal(err)
		}
		h.OnChatMessageSent(func(_ context.Context, d *webhook.Delivery, _ *webhook.ChatMessageSent) error {
			return l.process(i, d.MessageID)
		})
		rs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.receive(i, r.Header.Get(webhook.HeaderMessageID))
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(rs.Close)
		u, _ := url.Parse(rs.URL)
		backends = append(backends, httputil.NewSingleHostReverseProxy(u))
	}
	var next atomic.Uint64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		backends[next.Add(1)%replicas].ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	s := kicktest.New(t, kicktest.WithWebhookURL(proxy.URL+"/kick/webhook"))
	app, err := s.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Events.SubscribeTo(t.Context(), kicktest.Streamer.UserID, kick.EventChatMessageSent); err != nil {
		t.Fatal(err)
	}
	payload, err := kicktest.SamplePayload(kick.EventChatMessageSent, kicktest.Streamer.UserID, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	client := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	duplicated := map[string]bool{}
	for b := 0; b < events; b += batch {
		for range batch {
			if err := s.Emit(kick.EventChatMessageSent, kicktest.Streamer.UserID, payload); err != nil {
				t.Fatal(err)
			}
		}
		// While kicktest posts the batch, deliver 30% of it again.
		for _, d := range s.Deliveries()[b : b+batch*3/10] {
			duplicated[d.MessageID] = true
			wg.Go(func() { post(t, client, proxy.URL+"/kick/webhook", deliveryHeaders(d), d.Body) })
		}
	}
	wg.Wait()
	if err := s.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Kick retries every delivery not answered 2xx.
	retried := 0
	for _, d := range s.Deliveries() {
		if d.StatusCode/100 != 2 {
			retried++
			wg.Go(func() { post(t, client, proxy.URL+"/kick/webhook", deliveryHeaders(d), d.Body) })
		}
	}
	wg.Wait()

	ds := s.Deliveries()
	if len(ds) != events || len(duplicated) != events*3/10 {
		t.Fatalf("%d events delivered, %d duplicated; want %d and %d", len(ds), len(duplicated), events, events*3/10)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	perReplica := make([]int, replicas)
	crossReplica, failedThenProcessed := 0, 0
	for _, d := range ds {
		by := l.processed[d.MessageID]
		if len(by) != 1 {
			t.Errorf("event %s processed %d times (by replicas %v), want once", d.MessageID, len(by), by)
			continue
		}
		perReplica[by[0]]++
		if duplicated[d.MessageID] && len(l.received[d.MessageID]) > 1 {
			crossReplica++
		}
		if l.failed[d.MessageID] > 0 {
			failedThenProcessed++
		}
	}
	t.Logf("processed per replica %v; %d duplicated events reached two replicas or more; %d failed once and were processed on a retry; %d kicktest deliveries retried",
		perReplica, crossReplica, failedThenProcessed, retried)
	for i, n := range perReplica {
		if n == 0 {
			t.Errorf("replica %d processed nothing: the proxy did not spread the load", i)
		}
	}
	if crossReplica < len(duplicated)/2 {
		t.Errorf("only %d of %d duplicated events reached more than one replica: deduplication across replicas is not tested", crossReplica, len(duplicated))
	}
	if failedThenProcessed == 0 {
		t.Error("no delivery failed and was processed on a retry: the release path is not tested")
	}
}

// Redis dies while a delivery is processed, and stays down for the next: the first is processed
// once and answered 200 (its completion fails and is reported), the next is answered 500 and not
// processed, and once Redis is back, Kick's retry of it is processed once.
func TestWebhookRedisKilledMidRun(t *testing.T) {
	t.Parallel()
	srv := redisServerOfItsOwn(t)
	c, _ := newClient(t, srv.Addr)
	var mu sync.Mutex
	processed := map[string]int{}
	var errs []error
	inCallback := make(chan struct{})
	release := make(chan struct{})
	h, err := webhook.NewHandler(webhook.WithVerifier(kickVerifier(t)),
		webhook.WithStore(newWebhookStore(t, c)),
		webhook.WithErrorHook(func(_ *http.Request, _ *webhook.Delivery, err error) {
			mu.Lock()
			defer mu.Unlock()
			errs = append(errs, err)
		}))
	if err != nil {
		t.Fatal(err)
	}
	h.OnDefault(func(_ context.Context, d *webhook.Delivery, _ webhook.Event) error {
		if strings.Contains(string(d.Body), "slow") {
			inCallback <- struct{}{}
			<-release
		}
		mu.Lock()
		defer mu.Unlock()
		processed[d.MessageID]++
		return nil
	})
	rs := httptest.NewServer(h)
	t.Cleanup(rs.Close)
	deliver := func(body string) (webhook.Delivery, int) {
		d := webhook.Delivery{MessageID: newPrefix(), SubscriptionID: "sub", Type: kick.EventChatMessageSent, Version: 1,
			Timestamp: time.Now(), Body: []byte(`{"note":"` + body + `"}`)}
		return d, send(t, rs.URL, d)
	}
	if _, code := deliver("first"); code != http.StatusOK {
		t.Fatalf("with Redis up: %d", code)
	}

	var slow webhook.Delivery
	var slowCode int
	done := make(chan struct{})
	go func() { defer close(done); slow, slowCode = deliver("slow") }()
	<-inCallback
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	close(release)
	<-done
	if slowCode != http.StatusOK {
		t.Errorf("a delivery processed before Redis died: %d, want 200 (it was processed)", slowCode)
	}

	down, code := deliver("while down")
	if code != http.StatusInternalServerError {
		t.Errorf("with Redis down: %d, want 500 so that Kick retries", code)
	}
	mu.Lock()
	if processed[down.MessageID] != 0 {
		t.Error("a delivery was processed while the store was down: its retry would be processed again")
	}
	var completeErr, claimErr bool
	for _, err := range errs {
		completeErr = completeErr || strings.Contains(err.Error(), "completing delivery "+slow.MessageID) && errors.Is(err, kickredis.ErrUnavailable)
		claimErr = claimErr || strings.Contains(err.Error(), "claiming delivery "+down.MessageID) && errors.Is(err, kickredis.ErrUnavailable)
	}
	mu.Unlock()
	if !completeErr || !claimErr {
		t.Errorf("the error hook did not get the failed completion (%v) and claim (%v) matching ErrUnavailable: %v", completeErr, claimErr, errs)
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	post(t, &http.Client{Timeout: 5 * time.Second}, rs.URL, kicktest.Signer().Headers(down), down.Body)
	mu.Lock()
	defer mu.Unlock()
	if len(processed) != 3 {
		t.Errorf("processed %v, want three deliveries", processed)
	}
	for id, n := range processed {
		if n != 1 {
			t.Errorf("delivery %s processed %d times", id, n)
		}
	}
}

// A Redis that hangs (its process stopped) fails the delivery within the store's timeout, with
// 500; the claim Redis applies when it wakes up is taken back, so that Kick's retry is processed at
// once rather than answered 409 for the claim's TTL.
func TestWebhookRedisHangs(t *testing.T) {
	t.Parallel()
	forEachClientMode(t, testWebhookRedisHangs)
}

func testWebhookRedisHangs(t *testing.T, direct bool) {
	srv := redisServerOfItsOwn(t)
	c, _ := newClientWith(t, &redis.Options{Addr: srv.Addr, ContextTimeoutEnabled: direct})
	prefix := newPrefix()
	var processed atomic.Int32
	h, err := webhook.NewHandler(webhook.WithVerifier(kickVerifier(t)),
		webhook.WithStore(newWebhookStore(t, c, kickredis.WithPrefix(prefix), kickredis.WithTimeout(200*time.Millisecond))))
	if err != nil {
		t.Fatal(err)
	}
	h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error { processed.Add(1); return nil })
	rs := httptest.NewServer(h)
	t.Cleanup(rs.Close)
	if err := c.Ping(t.Context()).Err(); err != nil { // a pooled connection, on which SET is sent
		t.Fatal(err)
	}
	d := webhook.Delivery{MessageID: newPrefix(), SubscriptionID: "sub", Type: kick.EventChatMessageSent, Version: 1,
		Timestamp: time.Now(), Body: []byte(`{}`)}

	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	code := send(t, rs.URL, d)
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	if code != http.StatusInternalServerError || processed.Load() != 0 {
		t.Fatalf("with Redis hanging: %d, processed %d times; want 500, not processed", code, processed.Load())
	}
	key := prefix + "webhook:" + d.MessageID
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		n, err := c.Exists(t.Context(), key).Result()
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			v, _ := c.Get(t.Context(), key).Result()
			t.Fatalf("the abandoned claim is still there (%q, %v)", v, err)
		}
	}
	post(t, &http.Client{Timeout: 10 * time.Second}, rs.URL, kicktest.Signer().Headers(d), d.Body) // Kick's retries
	if n := processed.Load(); n != 1 {
		t.Errorf("after Kick's retry the delivery was processed %d times, want once", n)
	}
}

// send posts d, signed by kicktest, once, and returns the status (0 if the request failed).
func send(t testing.TB, url string, d webhook.Delivery) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = kicktest.Signer().Headers(d)
	rsp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Errorf("delivery %s: %v", d.MessageID, err)
		return 0
	}
	_, _ = io.Copy(io.Discard, rsp.Body)
	_ = rsp.Body.Close()
	return rsp.StatusCode
}

// Each store call is one round trip: a new delivery two (Claim, Complete), a duplicate one.
func TestWebhookStoreRoundTripsAndKeys(t *testing.T) {
	t.Parallel()
	srv := server(t)
	c, n := newClient(t, srv.Addr)
	prefix := newPrefix()
	s := newWebhookStore(t, c, kickredis.WithPrefix(prefix))
	ctx := t.Context()
	if err := s.Release(ctx, "warm-up"); err != nil { // loads the script
		t.Fatal(err)
	}
	id := "01JQBWZ0000000000000000000"
	key := prefix + "webhook:" + id
	for _, step := range []struct {
		name string
		call func() error
		want error
		ttl  time.Duration // 0: the key must not exist
	}{
		{"Claim", func() error { return s.Claim(ctx, id, time.Minute) }, nil, time.Minute},
		{"Claim in flight", func() error { return s.Claim(ctx, id, time.Minute) }, webhook.ErrInFlight, time.Minute},
		{"Release", func() error { return s.Release(ctx, id) }, nil, 0},
		{"Claim again", func() error { return s.Claim(ctx, id, time.Minute) }, nil, time.Minute},
		{"Complete", func() error { return s.Complete(ctx, id, time.Hour) }, nil, time.Hour},
		{"Claim duplicate", func() error { return s.Claim(ctx, id, time.Minute) }, webhook.ErrDuplicate, time.Hour},
		{"Release completed", func() error { return s.Release(ctx, id) }, nil, time.Hour},
	} {
		before := n.Load()
		if err := step.call(); !errors.Is(err, step.want) {
			t.Errorf("%s: %v, want %v", step.name, err, step.want)
		}
		if trips := n.Load() - before; trips != 1 {
			t.Errorf("%s: %d round trips, want 1", step.name, trips)
		}
		ttl, err := c.PTTL(ctx, key).Result()
		switch {
		case err != nil:
			t.Fatal(err)
		case step.ttl == 0 && ttl >= 0:
			t.Errorf("%s: the key exists (PTTL %v)", step.name, ttl)
		case step.ttl > 0 && (ttl <= 0 || ttl > step.ttl):
			t.Errorf("%s: PTTL %v, want in (0, %v]: every key has a TTL", step.name, ttl, step.ttl)
		}
	}
	if v, _ := c.Get(ctx, key).Result(); v != "d" {
		t.Errorf("a completed id's key holds %q, want \"d\"", v)
	}
	// A key of the prefix that holds something else is an error, not a duplicate.
	if err := c.Set(ctx, prefix+"webhook:foreign", "something else", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Claim(ctx, "foreign", time.Minute); err == nil || errors.Is(err, webhook.ErrDuplicate) || errors.Is(err, webhook.ErrInFlight) {
		t.Errorf("Claim of a key holding a foreign value: %v", err)
	}
	if got := fmt.Sprint(s); got != fmt.Sprintf("kickredis.WebhookStore{Prefix: %q}", prefix) {
		t.Errorf("String = %s", got)
	}
}

// The caller's context bounds every call, whatever the client's timeouts.
func TestWebhookStoreCallerContext(t *testing.T) {
	t.Parallel()
	srv := server(t)
	for mode, direct := range clientModes {
		c, _ := newClientWith(t, &redis.Options{Addr: srv.Addr, ContextTimeoutEnabled: direct})
		testWebhookStoreCallerContext(t, mode, newWebhookStore(t, c))
	}
}

func testWebhookStoreCallerContext(t *testing.T, mode string, s *kickredis.WebhookStore) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for name, call := range map[string]func() error{
		"Claim":    func() error { return s.Claim(ctx, "x", time.Minute) },
		"Complete": func() error { return s.Complete(ctx, "x", time.Minute) },
		"Release":  func() error { return s.Release(ctx, "x") },
	} {
		err := call()
		var e *kickredis.Error
		if !errors.Is(err, context.Canceled) || !errors.Is(err, kickredis.ErrUnavailable) || !errors.As(err, &e) || e.Key == "" {
			t.Errorf("%s: %s with a canceled context: %v, want a *kickredis.Error matching context.Canceled and ErrUnavailable", mode, name, err)
		}
	}
}

func TestNewWebhookStoreErrors(t *testing.T) {
	t.Parallel()
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = c.Close() })
	for name, f := range map[string]func() error{
		"nil client":      func() error { _, err := kickredis.NewWebhookStore(nil); return err },
		"nil option":      func() error { _, err := kickredis.NewWebhookStore(c, nil); return err },
		"open hash tag":   func() error { _, err := kickredis.NewWebhookStore(c, kickredis.WithPrefix("app{x:")); return err },
		"empty hash tag":  func() error { _, err := kickredis.NewWebhookStore(c, kickredis.WithPrefix("app{}:")); return err },
		"zero timeout":    func() error { _, err := kickredis.NewWebhookStore(c, kickredis.WithTimeout(0)); return err },
		"zero lease":      func() error { _, err := kickredis.NewTokenStore(c, kickredis.WithLease(0)); return err },
		"zero token TTL":  func() error { _, err := kickredis.NewTokenStore(c, kickredis.WithTokenTTL(0)); return err },
		"nil logger":      func() error { _, err := kickredis.NewTokenStore(c, kickredis.WithLogger(nil)); return err },
		"short lease":     func() error { _, err := kickredis.NewTokenStore(c, kickredis.WithLease(2*time.Second)); return err },
		"nil token store": func() error { _, err := kickredis.NewTokenStore(nil); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := kickredis.NewWebhookStore(c, kickredis.WithPrefix("{kick}:")); err != nil {
		t.Errorf("a prefix with a hash tag: %v", err)
	}
}
