package webhook_test

// Regression tests of the hardening in issue 10: a slow sender, a timestamp far from now, a
// delivery replayed after its dedup entry expired, a relabelled delivery, a panicking function.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/openapi"
)

// pipeListener is a net.Listener of in-memory connections (net.Pipe), which support deadlines as
// TCP's do. Unlike a TCP socket, closing one never resets it: a TCP server that closes with
// trickled bytes still unread sends an RST, which, depending on how soon the client reads, can
// destroy the answer before it is read.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// dial returns the client's end of a new connection to the server.
func (l *pipeListener) dial() (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// slowPost writes d's request line and signed headers to conn, then its body one byte every
// 20 ms until stop is closed or the server stops reading; never the last byte.
func slowPost(t *testing.T, conn net.Conn, d webhook.Delivery, stop <-chan struct{}) {
	t.Helper()
	var head bytes.Buffer
	fmt.Fprintf(&head, "POST /kick/webhook HTTP/1.1\r\nHost: webhook.example\r\nContent-Length: %d\r\n", len(d.Body))
	for k, vs := range testSigner().Headers(d) {
		for _, v := range vs {
			fmt.Fprintf(&head, "%s: %s\r\n", k, v)
		}
	}
	head.WriteString("\r\n")
	go func() {
		// On a pipe a write waits for the server's read: the head goes in its own goroutine.
		if _, err := conn.Write(head.Bytes()); err != nil {
			return
		}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for _, c := range d.Body[:len(d.Body)-1] { // never the last byte
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if _, err := conn.Write([]byte{c}); err != nil {
				return // the server closed the connection
			}
		}
	}()
}

// trickleToHandler serves r's handler on a server with the given ReadTimeout (0: none), over
// in-memory connections, sends it a signed chat delivery whose body trickles in and never ends,
// and waits until the handler returns. It fails the test if the handler has not returned within
// a bound far above the deadlines: not a measure of speed, a proof that a deadline, not the
// sender, ended the read. It returns the connection, to read the answer from.
func trickleToHandler(t *testing.T, r *rig, serverReadTimeout time.Duration) net.Conn {
	t.Helper()
	return trickleTo(t, r.h, serverReadTimeout)
}

// trickleTo is trickleToHandler with any handler in front of the rig's.
func trickleTo(t *testing.T, h http.Handler, serverReadTimeout time.Duration) net.Conn {
	t.Helper()
	done := make(chan struct{}, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() { done <- struct{}{} }()
		h.ServeHTTP(w, req)
	}))
	srv.Config.ReadTimeout = serverReadTimeout
	_ = srv.Listener.Close()
	ln := newPipeListener()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close) // cleanups run last first: the connection closes before the server
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	conn, err := ln.dial()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	slowPost(t, conn, chatDelivery(t), stop)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler was still reading the trickled body after 10s: nothing bounds how long a body may take")
	}
	return conn
}

// A sender that trickles its body cannot hold a handler goroutine: the handler's own body read
// deadline ends the read, answers 408 and tells the hook, on a server with no timeouts at all.
func TestHandlerBodyReadDeadlineReleasesSlowSender(t *testing.T) {
	t.Parallel()
	r := newRig(t, webhook.WithBodyReadTimeout(150*time.Millisecond))
	var c counter
	c.register(r.h)
	conn := trickleToHandler(t, r, 0) // no ReadTimeout: the handler alone bounds the read

	// The answer comes, and then the server closes the connection: its goroutine is released
	// too, instead of waiting for the rest of the body.
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status %d, want 408", resp.StatusCode)
	}
	if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
		t.Errorf("after the answer: %q, %v; want the server to close the connection", rest, err)
	}
	if n := c.typed.Load() + c.fallback.Load(); n != 0 {
		t.Errorf("%d functions called", n)
	}
	if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], webhook.ErrBodyReadTimeout) {
		t.Errorf("hook got %v, want ErrBodyReadTimeout", errs)
	}
}

// opaqueWriter is the ResponseWriter of a middleware that wraps net/http's and has no Unwrap
// method (as many logging and metrics middlewares do): http.ResponseController cannot reach the
// connection through it.
type opaqueWriter struct{ w http.ResponseWriter }

func (o *opaqueWriter) Header() http.Header         { return o.w.Header() }
func (o *opaqueWriter) Write(b []byte) (int, error) { return o.w.Write(b) }
func (o *opaqueWriter) WriteHeader(code int)        { o.w.WriteHeader(code) }

// Behind a middleware whose ResponseWriter has no Unwrap, where no read deadline can be set on
// the connection, the handler still ends the read of a trickled body at its deadline, answers 408
// and tells the hook.
func TestHandlerBodyReadDeadlineWithoutUnwrap(t *testing.T) {
	t.Parallel()
	r := newRig(t, webhook.WithBodyReadTimeout(150*time.Millisecond))
	var c counter
	c.register(r.h)
	middleware := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if err := http.NewResponseController(&opaqueWriter{w}).SetReadDeadline(time.Time{}); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("the middleware's writer supports deadlines (%v): the test tests nothing", err)
		}
		r.h.ServeHTTP(&opaqueWriter{w}, req)
	})
	conn := trickleTo(t, middleware, 0)
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout || !resp.Close {
		t.Errorf("status %d, Connection: close %v; want 408, closing", resp.StatusCode, resp.Close)
	}
	if n := c.typed.Load() + c.fallback.Load(); n != 0 {
		t.Errorf("%d functions called", n)
	}
	if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], webhook.ErrBodyReadTimeout) {
		t.Errorf("hook got %v, want ErrBodyReadTimeout", errs)
	}
}

// The handler's deadline never extends a shorter ReadTimeout of the server.
func TestHandlerBodyReadDeadlineKeepsTheServersShorterOne(t *testing.T) {
	t.Parallel()
	r := newRig(t, webhook.WithBodyReadTimeout(time.Hour))
	trickleToHandler(t, r, 200*time.Millisecond)
	if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], webhook.ErrBodyReadTimeout) {
		t.Errorf("hook got %v, want ErrBodyReadTimeout", errs)
	}
}

func TestWithBodyReadTimeoutOption(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{0, -time.Second} {
		if _, err := webhook.NewHandler(webhook.WithBodyReadTimeout(d)); err == nil {
			t.Errorf("WithBodyReadTimeout(%v) accepted", d)
		}
	}
}

// A signed timestamp centuries away is refused however far: the check compares times, so no
// duration saturates or overflows (292 years is where a time.Duration ends).
func TestVerifyFarTimestamps(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	v := newVerifier(t, webhook.WithClock(fixedClock(testTime)))
	for ts, want := range map[string]error{
		"2318-01-01T00:00:00Z":      webhook.ErrTooNew, // past testTime + 292.47 years, where a Duration ends
		"2500-01-01T00:00:00Z":      webhook.ErrTooNew,
		"9999-12-31T23:59:59Z":      webhook.ErrTooNew,
		"9999-12-31T23:59:59-23:59": webhook.ErrTooNew,
		"1732-01-01T00:00:00Z":      webhook.ErrTooOld, // before testTime - 292.47 years
		"0000-01-01T00:00:00Z":      webhook.ErrTooOld,
		"0000-01-01T00:00:00+23:59": webhook.ErrTooOld,
	} {
		_, err := v.Verify(context.Background(), eventHeaders(testMessageID, ts, body), body)
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", ts, err, want)
		}
	}
}

// A delivery is processed once, however long after it is replayed: by the time the dedup store
// has forgotten its message id, the time check refuses it, at every timestamp the check lets in
// and at the first instant the store forgets.
func TestHandlerReplayAfterDedupExpiry(t *testing.T) {
	t.Parallel()
	const tol = webhook.DefaultTolerance
	for _, tc := range []struct {
		name   string
		offset time.Duration // of the timestamp from the clock when first sent
		ttl    time.Duration // 0: the default
	}{
		{"on time", 0, 0},
		{"at the far edge of the window", tol, 0},
		{"at the near edge of the window", -tol, 0},
		{"at the far edge, TTL of twice the tolerance", tol, 2 * tol},
		{"293 years ahead", time.Duration(math.MaxInt64), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: testTime}
			store := webhook.NewMemoryStore(0)
			webhook.SetMemoryStoreClock(store, clk.Now)
			opts := []webhook.HandlerOption{webhook.WithStore(store)}
			ttl := webhook.DefaultDedupTTL
			if tc.ttl != 0 {
				ttl = tc.ttl
				opts = append(opts, webhook.WithDedupTTL(ttl))
			}
			r := newRig(t, append(opts, webhook.WithVerifier(newVerifier(t, webhook.WithClock(clk.Now))))...)
			var c counter
			c.register(r.h)
			d := chatDelivery(t)
			d.Timestamp = testTime.Add(tc.offset)
			if tc.offset > tol {
				d.Timestamp = time.Date(2318, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			r.post(d)
			first := c.typed.Load()
			for _, later := range []time.Duration{ttl, ttl + 1, 100 * ttl} {
				clk.Advance(later - (clk.Now().Sub(testTime)))
				w := r.post(d)
				if n := c.typed.Load(); n != first {
					t.Fatalf("processed again %v after the first copy (status %d)", later, w.Code)
				}
			}
			if tc.offset > tol && first != 0 {
				t.Errorf("a timestamp 293 years ahead was processed")
			}
		})
	}
}

// loadSpec returns the parsed spec.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) { return openapi.Load(context.Background()) })

// The acceptance rule, held to the spec itself rather than to the table package webhook
// generates from it: at every depth a docs example reaches, a key the schema declares identifying
// (x-kick-identifying) is needed — without it, or with null or "", the payload does not decode,
// with ErrMissingField — and every other key may be absent or null and the payload still
// decodes. A scalar of the wrong JSON type never decodes.
func TestDecodeRefusesOnlyWhatLacksIdentifyingKeys(t *testing.T) {
	t.Parallel()
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	identifying, tolerated := 0, 0
	for _, f := range fixtures(t) {
		e, err := webhook.Decode(f.typ, f.version, f.body)
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		name := schemaOf(t, e)
		var v any
		if err := json.Unmarshal(f.body, &v); err != nil {
			t.Fatal(err)
		}
		for _, k := range keyPaths(doc.Components.Schemas[name], v, "") {
			for _, change := range []struct {
				what  string
				value any
			}{{"without", deleted}, {"with null for", nil}} {
				_, err := webhook.Decode(f.typ, f.version, setAt(t, v, k.path, change.value))
				switch {
				case k.identifying && (!errors.Is(err, webhook.ErrDecode) || !errors.Is(err, webhook.ErrMissingField)):
					t.Errorf("%s %s %s (identifying): got %v, want ErrDecode and ErrMissingField", f.name, change.what, k.path, err)
				case !k.identifying && err != nil:
					t.Errorf("%s %s %s: %v, want it decoded", f.name, change.what, k.path, err)
				}
			}
			if k.identifying {
				identifying++
				if _, isString := k.value.(string); isString {
					if _, err := webhook.Decode(f.typ, f.version, setAt(t, v, k.path, "")); !errors.Is(err, webhook.ErrMissingField) {
						t.Errorf("%s with %s empty: got %v, want ErrMissingField", f.name, k.path, err)
					}
				}
			} else {
				tolerated++
			}
			if wrong, ok := wrongType(k.value); ok && !strings.HasSuffix(k.path, ".emote_id") {
				if _, err := webhook.Decode(f.typ, f.version, setAt(t, v, k.path, wrong)); !errors.Is(err, webhook.ErrDecode) {
					t.Errorf("%s with %s = %#v: got %v, want ErrDecode", f.name, k.path, wrong, err)
				}
			}
		}
	}
	if identifying < 30 || tolerated < 100 {
		t.Errorf("only %d identifying and %d other keys checked", identifying, tolerated)
	}
}

// keyPath is a key present in a payload, its value, and whether the schema declares it
// identifying.
type keyPath struct {
	path        string
	value       any
	identifying bool
}

// keyPaths lists the keys of the JSON value v that ref describes, at every depth: the path of a
// key is its parents' keys and array indexes, joined with dots.
func keyPaths(ref *openapi3.SchemaRef, v any, prefix string) []keyPath {
	var out []keyPath
	switch v := v.(type) {
	case map[string]any:
		ids, _ := ref.Value.Extensions["x-kick-identifying"].([]any)
		for k, prop := range ref.Value.Properties {
			child, ok := v[k]
			if !ok {
				continue
			}
			out = append(out, keyPath{prefix + k, child, slices.Contains(ids, any(k))})
			out = append(out, keyPaths(prop, child, prefix+k+".")...)
		}
	case []any:
		for i, item := range v {
			out = append(out, keyPaths(ref.Value.Items, item, fmt.Sprintf("%s%d.", prefix, i))...)
		}
	}
	return out
}

// wrongType returns a value of another JSON type than the scalar v.
func wrongType(v any) (any, bool) {
	switch v.(type) {
	case string:
		return 12, true
	case float64:
		return "12", true
	case bool:
		return "true", true
	}
	return nil, false
}

// deleted tells setAt to delete the key.
var deleted = new(struct{})

// setAt returns v encoded with the key at path set to value, or removed for deleted.
func setAt(t *testing.T, v any, path string, value any) []byte {
	t.Helper()
	data, _ := json.Marshal(v)
	var c any
	_ = json.Unmarshal(data, &c)
	parts := strings.Split(path, ".")
	cur := c
	for _, p := range parts[:len(parts)-1] {
		switch x := cur.(type) {
		case map[string]any:
			cur = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil {
				t.Fatal(err)
			}
			cur = x[i]
		}
	}
	if value == deleted {
		delete(cur.(map[string]any), parts[len(parts)-1])
	} else {
		cur.(map[string]any)[parts[len(parts)-1]] = value
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// knownLabels are the labels a delivery can carry that this package decodes.
var knownLabels = []struct {
	typ     kick.EventType
	version int
}{
	{kick.EventChatMessageSent, 1}, {kick.EventChannelFollowed, 1}, {kick.EventChannelSubscriptionRenewal, 1},
	{kick.EventChannelSubscriptionGifts, 1}, {kick.EventChannelSubscriptionNew, 1},
	{kick.EventChannelRewardRedemptionUpdated, 1}, {kick.EventLivestreamStatusUpdated, 1},
	{kick.EventLivestreamMetadataUpdated, 1}, {kick.EventModerationBanned, 1}, {kick.EventKicksGifted, 1},
	{webhook.EventDropsClaim, 0},
}

// Which docs example decodes under which other label: the relabels the required fields cannot
// tell apart, as the package documentation lists them. Every other relabel is refused.
func TestRelabelsThatStillDecode(t *testing.T) {
	t.Parallel()
	var got []string
	for _, f := range fixtures(t) {
		for _, l := range knownLabels {
			if l.typ == f.typ {
				continue
			}
			if _, err := webhook.Decode(l.typ, l.version, f.body); err == nil {
				got = append(got, fmt.Sprintf("%s as %s", f.typ, l.typ))
			} else if !errors.Is(err, webhook.ErrDecode) {
				t.Errorf("%s as %s: %v", f.name, l.typ, err)
			}
		}
	}
	slices.Sort(got)
	got = slices.Compact(got)
	want := []string{
		"channel.subscription.new as channel.subscription.renewal",
		"channel.subscription.renewal as channel.subscription.new",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("relabels that decode (-want +got):\n%s", diff)
	}
}

// A chat message relabelled channel.followed reaches neither OnChannelFollowed nor, as a
// duplicate, the way of Kick's real delivery: it goes to the catch-all with ErrDecode and
// leaves the message id unclaimed, and the real delivery that follows is processed. Copies of the
// relabelled delivery reach the catch-all once.
func TestHandlerRelabelledDelivery(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var chats, follows, fallbacks atomic.Int32
	var fallbackGot atomic.Value
	r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
		chats.Add(1)
		return nil
	})
	r.h.OnChannelFollowed(func(context.Context, *webhook.Delivery, *webhook.ChannelFollowed) error {
		follows.Add(1)
		return nil
	})
	r.h.OnDefault(func(_ context.Context, _ *webhook.Delivery, e webhook.Event) error {
		fallbacks.Add(1)
		fallbackGot.Store(e)
		return nil
	})
	real := chatDelivery(t)
	relabelled := real
	relabelled.Type = kick.EventChannelFollowed
	for range 2 {
		checkStatus(t, r.post(relabelled), http.StatusOK)
	}
	if follows.Load() != 0 {
		t.Error("OnChannelFollowed got a chat message")
	}
	if n := fallbacks.Load(); n != 1 {
		t.Errorf("the catch-all got the relabelled delivery %d times, want 1", n)
	}
	u, ok := fallbackGot.Load().(*webhook.UnknownEvent)
	if !ok || !errors.Is(u.Err, webhook.ErrMissingField) || u.Type != kick.EventChannelFollowed {
		t.Errorf("catch-all got %#v", fallbackGot.Load())
	}
	if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], webhook.ErrDecode) || !errors.Is(errs[0], webhook.ErrMissingField) {
		t.Errorf("hook got %v", errs)
	}

	checkStatus(t, r.post(real), http.StatusOK)
	if chats.Load() != 1 {
		t.Errorf("Kick's real delivery was processed %d times, want 1", chats.Load())
	}
	checkStatus(t, r.post(real), http.StatusOK)
	if chats.Load() != 1 {
		t.Error("a copy of the real delivery was processed again")
	}
}

// A copy relabelled with a type or version this package does not know cannot take the real
// delivery's place either, and neither can one relabelled in passthrough mode.
func TestHandlerRelabelCannotClaimTheRealDelivery(t *testing.T) {
	t.Parallel()
	for _, label := range []struct {
		typ     kick.EventType
		version int
	}{
		{"channel.raid", 1}, {kick.EventChatMessageSent, 2}, {kick.EventKicksGifted, 1}, {webhook.EventDropsClaim, 0},
	} {
		for _, passthrough := range []bool{false, true} {
			name := fmt.Sprintf("%s v%d, passthrough %v", label.typ, label.version, passthrough)
			var got []kick.EventType
			var mu sync.Mutex
			record := func(d *webhook.Delivery) error {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, d.Type)
				return nil
			}
			var r *rig
			if passthrough {
				r = newRig(t, webhook.WithPassthrough(func(_ context.Context, d *webhook.Delivery) error { return record(d) }))
			} else {
				r = newRig(t)
				r.h.OnChatMessageSent(func(_ context.Context, d *webhook.Delivery, _ *webhook.ChatMessageSent) error { return record(d) })
				r.h.OnDefault(func(_ context.Context, d *webhook.Delivery, _ webhook.Event) error { return record(d) })
			}
			real := chatDelivery(t)
			relabelled := real
			relabelled.Type, relabelled.Version = label.typ, label.version
			if label.typ == webhook.EventDropsClaim {
				relabelled.SubscriptionID = ""
			}
			for _, d := range []webhook.Delivery{relabelled, relabelled, real, real} {
				checkStatus(t, r.post(d), http.StatusOK)
			}
			if diff := cmp.Diff([]kick.EventType{label.typ, kick.EventChatMessageSent}, got); diff != "" {
				t.Errorf("%s: deliveries processed (-want +got):\n%s", name, diff)
			}
		}
	}
}

// A flood of one signed delivery relabelled with ever new versions (Kick-Event-Version is not
// signed) cannot push the real message id out of the store: however many labels, one message id
// holds at most two entries (the delivery as it fits its label, and all the labels it does not
// fit together), so the store's eviction stays driven by signed ids. A replay of the real
// delivery within its window is still a duplicate, and the catch-all runs once for the flood.
// (The flood was 100,010 relabels against the default bound of 100,000; this is the same
// at a bound of 1,000.)
func TestHandlerRelabelFloodCannotEvictTheRealID(t *testing.T) {
	t.Parallel()
	const bound = 1000
	store := webhook.NewMemoryStore(bound)
	r := newRig(t, webhook.WithStore(store))
	var chats, fallbacks atomic.Int32
	r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
		chats.Add(1)
		return nil
	})
	r.h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error {
		fallbacks.Add(1)
		return nil
	})
	real := chatDelivery(t)
	checkStatus(t, r.post(real), http.StatusOK)
	for v := 2; v < bound+12; v++ {
		relabelled := real
		relabelled.Version = v
		if v%3 == 0 {
			relabelled.Type = kick.EventType(fmt.Sprintf("made.up.%d", v))
		}
		checkStatus(t, r.post(relabelled), http.StatusOK)
	}
	if n := store.Len(); n > 2 {
		t.Errorf("the store holds %d entries for one signed message id, want at most 2", n)
	}
	if n := fallbacks.Load(); n != 1 {
		t.Errorf("the catch-all ran %d times for the flood, want once", n)
	}
	checkStatus(t, r.post(real), http.StatusOK)
	if n := chats.Load(); n != 1 {
		t.Errorf("the real delivery was processed %d times, want once: the flood evicted its id", n)
	}
}

// A panicking function is reported to the hook with its value and stack, answered 500, and its
// claim released so that Kick's retry is processed.
func TestHandlerPanicIsReported(t *testing.T) {
	t.Parallel()
	sentinel := errors.New("the bot's own error")
	for name, value := range map[string]any{"a string": "bug", "an error": sentinel} {
		for _, passthrough := range []bool{false, true} {
			var calls atomic.Int32
			fn := func() error {
				if calls.Add(1) == 1 {
					panic(value)
				}
				return nil
			}
			var r *rig
			if passthrough {
				r = newRig(t, webhook.WithPassthrough(func(context.Context, *webhook.Delivery) error { return fn() }))
			} else {
				r = newRig(t)
				r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error { return panicky(fn) })
			}
			d := chatDelivery(t)
			var w *httptest.ResponseRecorder
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%s, passthrough %v: the panic reached the server: %v", name, passthrough, p)
					}
				}()
				w = r.post(d)
			}()
			checkStatus(t, w, http.StatusInternalServerError)
			errs := r.hookErrors()
			if len(errs) != 1 {
				t.Fatalf("%s, passthrough %v: hook got %v", name, passthrough, errs)
			}
			pe, ok := errors.AsType[*webhook.PanicError](errs[0])
			if !ok {
				t.Fatalf("%s, passthrough %v: hook got %v, not a *PanicError", name, passthrough, errs[0])
			}
			if pe.Value != value {
				t.Errorf("%s: Value = %v", name, pe.Value)
			}
			if !passthrough && !bytes.Contains(pe.Stack, []byte("webhook_test.panicky")) {
				t.Errorf("%s: the stack does not show where it panicked:\n%s", name, pe.Stack)
			}
			if err, isErr := value.(error); isErr && !errors.Is(errs[0], err) {
				t.Errorf("%s: the panic's error is not in the chain", name)
			}
			if !strings.Contains(errs[0].Error(), fmt.Sprint(value)) || strings.Contains(errs[0].Error(), "goroutine") {
				t.Errorf("%s: message %q", name, errs[0])
			}
			checkStatus(t, r.post(d), http.StatusOK) // the claim was released: Kick's retry is processed
			if n := calls.Load(); n != 2 {
				t.Errorf("%s: %d calls, want 2", name, n)
			}
		}
	}
}

// panicky calls fn: a frame for the stack to show.
//
//go:noinline
func panicky(fn func() error) error { return fn() }

// http.ErrAbortHandler, net/http's way to abort a response, is not an error of the bot: it goes
// on to the server, after the claim is released.
func TestHandlerAbortHandlerPanicPassesThrough(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var calls atomic.Int32
	r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
		if calls.Add(1) == 1 {
			panic(http.ErrAbortHandler)
		}
		return nil
	})
	d := chatDelivery(t)
	func() {
		defer func() {
			if p := recover(); p != http.ErrAbortHandler { //nolint:errorlint // the value itself is the signal
				t.Errorf("recovered %v, want http.ErrAbortHandler", p)
			}
		}()
		r.post(d)
	}()
	if errs := r.hookErrors(); len(errs) != 0 {
		t.Errorf("hook got %v", errs)
	}
	checkStatus(t, r.post(d), http.StatusOK)
	if n := calls.Load(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

// schemaOf returns the spec's schema name for an event's Go type.
func schemaOf(t *testing.T, e webhook.Event) string {
	t.Helper()
	for name, typ := range payloadTypes(t) {
		if fmt.Sprintf("%T", typ) == fmt.Sprintf("%T", e) {
			return name
		}
	}
	t.Fatalf("no schema for %T", e)
	return ""
}
