package relay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// A function's error ends Run with that error and leaves the cursor before the delivery: the
// next Run, with the same cursor store, gets the delivery again; once processed, not again.
func TestRunFunctionErrorRedelivers(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	tr.mustPost(tr.delivery(1001, "one"))
	tr.mustPost(tr.delivery(1001, "two"))
	cursors := relay.NewMemoryCursors()
	fail := errors.New("database down")
	var calls []string
	run := func(failOn string) error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		h, _ := webhook.NewHandler(webhook.WithErrorHook(func(*http.Request, *webhook.Delivery, error) {}))
		h.OnChatMessageSent(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChatMessageSent) error {
			calls = append(calls, e.Content)
			if e.Content == failOn {
				return fail
			}
			if e.Content == "two" {
				cancel()
			}
			return nil
		})
		return relay.Run(ctx, tr.eventsURL(), tok, relay.Filter{}, h, relay.WithCursor(cursors, "bot"), relay.WithStart(relay.ID{}))
	}
	if err := run("two"); !errors.Is(err, fail) {
		t.Fatalf("first Run: %v", err)
	}
	if err := run(""); err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if got := strings.Join(calls, ","); got != "one,two,two" {
		t.Errorf("calls %s, want one,two,two", got)
	}
	if err := relay.Run(context.Background(), tr.eventsURL(), tok, relay.Filter{}, nil); err == nil {
		t.Error("Run with a nil handler succeeded")
	}
}

// Options that make no sense are refused before anything is sent.
func TestOptionsRefused(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	for _, opt := range []relay.Option{nil, relay.WithPaths("x", "/e"), relay.WithPaths("/a", "/a"), relay.WithLogger(nil),
		relay.WithHeartbeat(0), relay.WithSlowConsumer(10, time.Second), relay.WithRingSize(0), relay.WithClock(nil),
		relay.WithSubscriptions(relay.SyncOptions{}), relay.WithWebhookOptions(webhook.WithMaxBodyBytes(0))} {
		if srv, err := relay.NewServer(tr.log, tr.tokens, opt); err == nil {
			_ = srv.Close()
			t.Errorf("NewServer accepted an option it should refuse")
		}
	}
	if _, err := relay.NewServer(nil, tr.tokens); err == nil {
		t.Error("NewServer(nil log) succeeded")
	}
	for _, opt := range []relay.ConsumerOption{nil, relay.WithCursor(nil, "k"), relay.WithDedupStore(nil), relay.WithHTTPClient(nil),
		relay.WithFallbackURLs("ftp://x"), relay.WithBackoff(0, 1), relay.WithIdleTimeout(0), relay.WithConsumerErrorHook(nil)} {
		for _, err := range relay.Subscribe(context.Background(), tr.eventsURL(), "t", relay.Filter{}, opt) {
			if err == nil {
				t.Error("Subscribe accepted an option it should refuse")
			}
		}
	}
	for _, err := range relay.Subscribe(context.Background(), "relay.example.com", "t", relay.Filter{}) {
		if err == nil {
			t.Error("Subscribe accepted a URL without a scheme")
		}
	}
}

// The paths are the server's to choose; a consumer whose connection goes silent past its idle
// timeout (no event, no heartbeat) reconnects and tells its error hook, through the HTTP client
// it was given.
func TestPathsAndIdleTimeout(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{opts: []relay.Option{relay.WithPaths("/in", "/out"), relay.WithHeartbeat(time.Hour)}})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	var hookErrs atomic.Int64
	var requests atomic.Int64
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		requests.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, _ := subscribe(t, tr.http.URL+"/out", tok, relay.Filter{}, relay.WithIdleTimeout(50*time.Millisecond), relay.WithHTTPClient(hc),
		relay.WithDedupStore(webhook.NewMemoryStore(10)), relay.WithConsumerErrorHook(func(error) { hookErrs.Add(1) }),
		relay.WithFallbackURLs(tr.http.URL+"/out"), relay.WithStart(relay.ID{}))
	waitUntil(t, "a reconnection after the idle timeout", func() bool { return hookErrs.Load() >= 2 && requests.Load() >= 3 })
	d := tr.delivery(1001, "after")
	if got := postTo(t, tr.http.URL+"/in", testSigner().Headers(d), d.Body); got != http.StatusOK {
		t.Fatalf("post to /in: %d", got)
	}
	c.waitFor(t, 1)
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The errors say what happened, and ids marshal as their text.
func TestErrorsAndText(t *testing.T) {
	t.Parallel()
	g := &relay.GapError{After: relay.ID{Ms: 1}, ResumeAfter: relay.ID{Ms: 2, Seq: 3}, Reason: "retention"}
	if got := g.Error(); got != "relay: deliveries after 1-0 up to 2-3 are lost (retention)" {
		t.Errorf("GapError: %q", got)
	}
	s := &relay.StatusError{StatusCode: 403, Message: "the token does not allow broadcaster 2"}
	if got := s.Error(); got != "relay: 403 Forbidden: the token does not allow broadcaster 2" || !errors.Is(s, relay.ErrForbidden) || errors.Is(s, relay.ErrUnauthorized) {
		t.Errorf("StatusError: %q", got)
	}
	b, err := json.Marshal(map[string]relay.ID{"cursor": {Ms: 7, Seq: 1}})
	if err != nil || string(b) != `{"cursor":"7-1"}` {
		t.Errorf("marshal: %s, %v", b, err)
	}
}
