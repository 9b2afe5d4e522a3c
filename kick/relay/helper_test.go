package relay_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// testSigner plays Kick: one key for every test of the package (generating one is slow).
var testSigner = sync.OnceValue(func() *webhooktest.Signer {
	s, err := webhooktest.NewSigner()
	if err != nil {
		panic(err)
	}
	return s
})

// clock is a settable clock, shared by the signer's timestamps, the verifier and the log.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Millisecond)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testRelay is a relay on a bbolt log in a temporary directory, behind an httptest server.
type testRelay struct {
	t      testing.TB
	srv    *relay.Server
	http   *httptest.Server
	log    *relay.BoltLog
	tokens *relay.MemoryTokens
	clock  *clock
	logs   *bytes.Buffer // the relay's log lines
	mu     *sync.Mutex
}

type relayConfig struct {
	bolt    relay.BoltOptions
	opts    []relay.Option
	hook    []webhook.HandlerOption
	noClock bool
}

func newTestRelay(t testing.TB, cfg relayConfig) *testRelay {
	t.Helper()
	tr := &testRelay{t: t, tokens: relay.NewMemoryTokens(), clock: newClock(), logs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	now := tr.clock.Now
	if cfg.noClock {
		now = time.Now
	}
	if cfg.bolt.Now == nil {
		cfg.bolt.Now = now
	}
	l, err := relay.OpenBolt(filepath.Join(t.TempDir(), "relay.db"), cfg.bolt)
	if err != nil {
		t.Fatal(err)
	}
	tr.log = l
	v, err := webhook.NewVerifier(webhook.WithPublicKey(testSigner().PublicKey()), webhook.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(&lockedWriter{mu: tr.mu, w: tr.logs}, nil))
	opts := append([]relay.Option{relay.WithLogger(logger), relay.WithClock(now),
		relay.WithWebhookOptions(append([]webhook.HandlerOption{webhook.WithVerifier(v)}, cfg.hook...)...)}, cfg.opts...)
	srv, err := relay.NewServer(l, tr.tokens, opts...)
	if err != nil {
		t.Fatal(err)
	}
	tr.srv = srv
	tr.http = httptest.NewServer(srv)
	t.Cleanup(func() {
		tr.http.CloseClientConnections()
		tr.http.Close()
		_ = srv.Close()
		_ = l.Close()
	})
	return tr
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

func (tr *testRelay) logText() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.logs.String()
}

func (tr *testRelay) eventsURL() string  { return tr.http.URL + relay.DefaultEventsPath }
func (tr *testRelay) webhookURL() string { return tr.http.URL + relay.DefaultWebhookPath }

// token creates a token of g.
func (tr *testRelay) token(g relay.Grant) string {
	tr.t.Helper()
	tok, _, err := relay.CreateToken(context.Background(), tr.tokens, g)
	if err != nil {
		tr.t.Fatal(err)
	}
	return tok
}

// chatBody is a chat.message.sent payload in the channel of broadcaster, on one line, with
// content as its message, padded by pad bytes.
func chatBody(broadcaster int64, content string, pad int) []byte {
	return fmt.Appendf(nil, `{"message_id":"m-%s","replies_to":null,"broadcaster":{"is_anonymous":false,"user_id":%d,"username":"b%d","is_verified":false,"profile_picture":"","channel_slug":"b%d","identity":null},"sender":{"is_anonymous":false,"user_id":7,"username":"viewer","is_verified":false,"profile_picture":"","channel_slug":"viewer","identity":{"username_color":"#FF0000","badges":[]}},"content":%q,"emotes":[],"created_at":"2025-01-14T16:08:06Z"}`,
		content, broadcaster, broadcaster, broadcaster, content+string(bytes.Repeat([]byte{'.'}, pad)))
}

// delivery is a signed chat message delivery at the relay's clock.
func (tr *testRelay) delivery(broadcaster int64, content string) webhook.Delivery {
	d := webhooktest.NewDelivery(kicktypes.EventChatMessageSent, chatBody(broadcaster, content, 0))
	d.Timestamp = tr.clock.Now()
	return d
}

// post sends d signed, as Kick does, and returns the status.
func (tr *testRelay) post(d webhook.Delivery) int {
	tr.t.Helper()
	return postTo(tr.t, tr.webhookURL(), testSigner().Headers(d), d.Body)
}

func postTo(t testing.TB, url string, h http.Header, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// mustPost posts d and fails the test unless the relay answers 200.
func (tr *testRelay) mustPost(d webhook.Delivery) {
	tr.t.Helper()
	if got := tr.post(d); got != http.StatusOK {
		tr.t.Fatalf("posting %s: status %d, want 200; relay log:\n%s", d.MessageID, got, tr.logText())
	}
}

// collector gathers what a consumer receives.
type collector struct {
	mu   sync.Mutex
	got  []*webhook.Delivery
	gaps []*relay.GapError
	ch   chan struct{}
}

func newCollector() *collector { return &collector{ch: make(chan struct{}, 1)} }

func (c *collector) add(d *webhook.Delivery, g *relay.GapError) {
	c.mu.Lock()
	if d != nil {
		c.got = append(c.got, d)
	}
	if g != nil {
		c.gaps = append(c.gaps, g)
	}
	c.mu.Unlock()
	select {
	case c.ch <- struct{}{}:
	default:
	}
}

func (c *collector) deliveries() []*webhook.Delivery {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*webhook.Delivery(nil), c.got...)
}

func (c *collector) gapErrors() []*relay.GapError {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*relay.GapError(nil), c.gaps...)
}

// waitFor waits until the collector holds n deliveries, failing the test after a generous time.
func (c *collector) waitFor(t testing.TB, n int) []*webhook.Delivery {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		if got := c.deliveries(); len(got) >= n {
			return got
		}
		select {
		case <-c.ch:
		case <-deadline:
			t.Fatalf("the consumer got %d deliveries, want %d", len(c.deliveries()), n)
		}
	}
}

// subscribe runs relay.Subscribe into a collector until the test ends or the returned stop is
// called; stop returns the error that ended the sequence, if any.
func subscribe(t testing.TB, url, token string, f relay.Filter, opts ...relay.ConsumerOption) (*collector, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := newCollector()
	done := make(chan struct{})
	var last error
	opts = append([]relay.ConsumerOption{relay.WithBackoff(10*time.Millisecond, 200*time.Millisecond)}, opts...)
	go func() {
		defer close(done)
		for d, err := range relay.Subscribe(ctx, url, token, f, opts...) {
			if g, ok := errors.AsType[*relay.GapError](err); ok {
				c.add(nil, g)
				continue
			}
			if err != nil {
				last = err
				break
			}
			c.add(d, nil)
		}
	}()
	stop := func() error {
		cancel()
		<-done
		return last
	}
	t.Cleanup(func() { _ = stop() })
	return c, stop
}

// contents returns the chat message contents of deliveries, in order.
func contents(t testing.TB, ds []*webhook.Delivery) []string {
	t.Helper()
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		e, err := d.Event()
		if err != nil {
			t.Fatalf("delivery %s: %v", d.MessageID, err)
		}
		m, ok := e.(*webhook.ChatMessageSent)
		if !ok {
			t.Fatalf("delivery %s is a %T", d.MessageID, e)
		}
		out = append(out, trimPad(m.Content))
	}
	return out
}

func trimPad(s string) string { return string(bytes.TrimRight([]byte(s), ".")) }

func seq(prefix string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, prefix+strconv.Itoa(i))
	}
	return out
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
