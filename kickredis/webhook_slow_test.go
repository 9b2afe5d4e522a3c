package kickredis_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
	"github.com/kick-sdk/kick-go/kickredis"
	"github.com/kick-sdk/kick-go/kickredis/internal/slowproxy"
)

// kickRetryHorizon is how long the tests' Kick keeps retrying a delivery after Redis recovered:
// far above the few seconds a claim may outlive a handler that gave up, far below the five
// minutes a claim lived before.
const kickRetryHorizon = time.Minute

// The first finding: 200 deliveries arrive at once, and Kick retries them, while every
// Redis command takes 300 ms longer (under the store's 1 s timeout, but the pool queues them) or
// 1.5 s (over it), for 8 s. Claims land after the handler gave up. Once Redis is fast again,
// Kick's retries get every delivery processed exactly once, within its retry horizon: a claim
// outlives a handler that gave up by at most webhook.RenewedClaimTTL. (Before, claims lived five
// minutes: a minute after Redis recovered, 20 to 134 of the 200 were still answered 409, with
// about four minutes of claim left, in both client modes and at both latencies.)
func TestWebhookSlowRedisClaims(t *testing.T) {
	t.Parallel()
	for _, latency := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond} {
		for mode, direct := range clientModes {
			t.Run(latency.String()+"/"+mode, func(t *testing.T) {
				t.Parallel()
				testWebhookSlowRedisClaims(t, latency, direct)
			})
		}
	}
}

func testWebhookSlowRedisClaims(t *testing.T, latency time.Duration, direct bool) {
	srv := server(t)
	proxy, err := slowproxy.Start(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.Close() })
	c, _ := newClientWith(t, &redis.Options{Addr: proxy.Addr, ContextTimeoutEnabled: direct})
	prefix := newPrefix()
	signer, verifier := ownSigner(t)
	body, err := os.ReadFile("../testdata/webhooks/chat.message.sent.json")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	processed := map[string]int{}
	h, err := webhook.NewHandler(webhook.WithVerifier(verifier),
		webhook.WithStore(newWebhookStore(t, c, kickredis.WithPrefix(prefix))),
		webhook.WithErrorHook(func(*http.Request, *webhook.Delivery, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	h.OnChatMessageSent(func(_ context.Context, d *webhook.Delivery, _ *webhook.ChatMessageSent) error {
		mu.Lock()
		defer mu.Unlock()
		processed[d.MessageID]++
		return nil
	})
	rs := httptest.NewServer(h)
	t.Cleanup(rs.Close)
	const n = 200
	deliveries := make([]webhook.Delivery, n)
	for i := range deliveries {
		deliveries[i] = webhook.Delivery{MessageID: fmt.Sprintf("01SLOW%020d", i), SubscriptionID: "sub", Type: kick.EventChatMessageSent,
			Version: 1, Timestamp: time.Now(), Body: body}
	}
	client := &http.Client{Timeout: 30 * time.Second}
	attempt := func(d webhook.Delivery) int {
		req, err := http.NewRequest(http.MethodPost, rs.URL, bytes.NewReader(d.Body))
		if err != nil {
			t.Error(err)
			return 0
		}
		req.Header = signer.Headers(d)
		rsp, err := client.Do(req)
		if err != nil {
			return 0
		}
		_, _ = io.Copy(io.Discard, rsp.Body)
		_ = rsp.Body.Close()
		return rsp.StatusCode
	}

	// Redis is slow for slowFor; the deliveries arrive at once as it starts, and Kick retries each
	// one not answered 2xx, backing off from 250 ms to 4 s with jitter, up to kickRetryHorizon
	// after Redis recovered.
	const slowFor = 8 * time.Second
	proxy.SetLatency(latency)
	var recovered time.Time
	var rmu sync.Mutex
	go func() {
		time.Sleep(slowFor)
		rmu.Lock()
		defer rmu.Unlock()
		proxy.SetLatency(0)
		recovered = time.Now()
	}()
	givenUp := func() bool {
		rmu.Lock()
		defer rmu.Unlock()
		return !recovered.IsZero() && time.Since(recovered) > kickRetryHorizon
	}
	statuses := map[int]int{}
	var gaveUp []string
	var smu sync.Mutex
	var wg sync.WaitGroup
	for _, d := range deliveries {
		wg.Go(func() {
			for backoff := 250 * time.Millisecond; ; backoff = min(2*backoff, 4*time.Second) {
				code := attempt(d)
				if code/100 == 2 {
					return
				}
				smu.Lock()
				statuses[code]++
				smu.Unlock()
				if givenUp() {
					break
				}
				time.Sleep(backoff/2 + rand.N(backoff/2))
			}
			smu.Lock()
			gaveUp = append(gaveUp, d.MessageID)
			smu.Unlock()
		})
	}
	wg.Wait()
	rmu.Lock()
	defer rmu.Unlock()
	t.Logf("latency %v: answers before the retries succeeded %v; all settled %v after Redis recovered", latency, statuses,
		time.Since(recovered).Round(100*time.Millisecond))
	if len(gaveUp) > 0 {
		key := prefix + "webhook:" + gaveUp[0]
		ttl, _ := c.PTTL(t.Context(), key).Result()
		t.Errorf("%d of %d deliveries were still refused %v after Redis recovered (Kick gives up: lost); %s has %v of claim left",
			len(gaveUp), n, kickRetryHorizon, gaveUp[0], ttl)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, d := range deliveries {
		if got := processed[d.MessageID]; got != 1 && !slices.Contains(gaveUp, d.MessageID) {
			t.Errorf("delivery %s processed %d times, want once", d.MessageID, got)
		}
	}
}

// ownSigner returns a signer of the test's own and a verifier that trusts it: these tests need
// nothing of kicktest, so that make test-clock, which reruns kicktest's users at four instants,
// leaves them.
func ownSigner(t *testing.T) (*webhooktest.Signer, *webhook.Verifier) {
	t.Helper()
	signer, err := webhooktest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := webhook.NewVerifier(webhook.WithPublicKey(signer.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	return signer, verifier
}

// Redis hangs (SIGSTOP) right after a delivery was claimed, longer than the claim's TTL, while the
// function runs: Complete fails, the handler answers 200, and when Redis wakes up the claim has
// expired in its clock. Kick's retry must still not process the delivery again: the handler
// keeps trying to complete it (and renewing its claim), and the completion, queued first, lands
// before the retry's claim.
func TestWebhookCompletionAfterRedisHung(t *testing.T) {
	t.Parallel()
	srv := redisServerOfItsOwn(t)
	c, _ := newClient(t, srv.Addr)
	signer, verifier := ownSigner(t)
	var processed atomic.Int32
	h, err := webhook.NewHandler(webhook.WithVerifier(verifier), webhook.WithStore(newWebhookStore(t, c)),
		webhook.WithErrorHook(func(*http.Request, *webhook.Delivery, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error {
		if processed.Add(1) == 1 {
			if err := srv.Pause(); err != nil {
				t.Error(err)
			}
			time.Sleep(webhook.RenewedClaimTTL + time.Second)
		}
		return nil
	})
	rs := httptest.NewServer(h)
	t.Cleanup(rs.Close)
	d := webhook.Delivery{MessageID: webhooktest.NewMessageID(), SubscriptionID: "sub", Type: "soak.test", Version: 1,
		Timestamp: time.Now(), Body: []byte(`{}`)}
	post := func() int {
		rsp, err := signer.Post(t.Context(), &http.Client{Timeout: 30 * time.Second}, rs.URL, d)
		if err != nil {
			t.Fatal(err)
		}
		_ = rsp.Body.Close()
		return rsp.StatusCode
	}
	if code := post(); code != http.StatusOK {
		t.Fatalf("the first delivery: %d, want 200 (processed; the completion failed)", code)
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	// Kick's retries, for a few seconds: never processed again.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		post()
	}
	if n := processed.Load(); n != 1 {
		t.Errorf("processed %d times, want once", n)
	}
}
