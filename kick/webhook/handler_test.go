package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// rig is a Handler trusting the test key, with an error hook that records what it is told.
type rig struct {
	h *webhook.Handler

	mu     sync.Mutex
	errs   []error
	hookDs []*webhook.Delivery
}

func newRig(t *testing.T, opts ...webhook.HandlerOption) *rig {
	t.Helper()
	r := &rig{}
	hook := webhook.WithErrorHook(func(_ *http.Request, d *webhook.Delivery, err error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.errs = append(r.errs, err)
		r.hookDs = append(r.hookDs, d)
	})
	base := []webhook.HandlerOption{webhook.WithVerifier(newVerifier(t)), hook}
	h, err := webhook.NewHandler(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	r.h = h
	return r
}

func (r *rig) serve(req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	return w
}

// hookErrors returns the errors the hook got.
func (r *rig) hookErrors() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

// post signs d with the test key and serves it.
func (r *rig) post(d webhook.Delivery) *httptest.ResponseRecorder {
	return r.serve(testSigner().NewRequest("/kick/webhook", d))
}

func checkStatus(t *testing.T, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Errorf("status %d, want %d (body %q)", w.Code, want, w.Body.String())
	}
}

// counter counts calls of the typed and catch-all functions.
type counter struct{ typed, fallback atomic.Int32 }

func (c *counter) register(h *webhook.Handler) {
	h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
		c.typed.Add(1)
		return nil
	})
	h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error {
		c.fallback.Add(1)
		return nil
	})
}

func chatDelivery(t *testing.T) webhook.Delivery {
	return webhooktest.NewDelivery(kick.EventChatMessageSent, chatBody(t))
}

func TestHandlerMethodNotAllowed(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodHead, http.MethodOptions} {
		r := newRig(t)
		var c counter
		c.register(r.h)
		req := testSigner().NewRequest("/", chatDelivery(t))
		req.Method = method
		w := r.serve(req)
		checkStatus(t, w, http.StatusMethodNotAllowed)
		if got := w.Header().Get("Allow"); got != http.MethodPost {
			t.Errorf("%s: Allow = %q", method, got)
		}
		if c.typed.Load()+c.fallback.Load() != 0 {
			t.Errorf("%s: a function was called", method)
		}
		if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], webhook.ErrMethodNotAllowed) {
			t.Errorf("%s: hook got %v", method, errs)
		}
	}
}

func TestHandlerBodyTooLarge(t *testing.T) {
	t.Parallel()
	large := []byte(`{"content":"` + strings.Repeat("x", 2048) + `"}`)
	for _, chunked := range []bool{false, true} {
		r := newRig(t, webhook.WithMaxBodyBytes(1024))
		var c counter
		c.register(r.h)
		req := testSigner().NewRequest("/", webhooktest.NewDelivery(kick.EventChatMessageSent, large))
		if chunked { // no Content-Length: the limit is found while reading
			req.ContentLength = -1
		}
		checkStatus(t, r.serve(req), http.StatusRequestEntityTooLarge)
		if c.typed.Load()+c.fallback.Load() != 0 {
			t.Errorf("chunked=%v: a function was called", chunked)
		}
		if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], webhook.ErrBodyTooLarge) {
			t.Errorf("chunked=%v: hook got %v", chunked, errs)
		}
	}
	// The default limit is 1 MiB.
	r := newRig(t)
	body := []byte(`{"content":"` + strings.Repeat("x", 1<<20) + `"}`)
	checkStatus(t, r.post(webhooktest.NewDelivery(kick.EventChatMessageSent, body)), http.StatusRequestEntityTooLarge)
}

// No function runs, and no detail leaks, for a delivery that does not verify.
func TestHandlerRejectsUnverified(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	tests := []struct {
		name   string
		change func(*http.Request)
		status int
		want   error
	}{
		{"bad signature", func(r *http.Request) {
			r.Header.Set(webhook.HeaderSignature, testSigner().Sign("other", "2025-01-14T16:08:06Z", body))
		}, http.StatusForbidden, webhook.ErrSignatureMismatch},
		{"signature not base64", func(r *http.Request) { r.Header.Set(webhook.HeaderSignature, "!!") }, http.StatusForbidden, webhook.ErrInvalidSignatureEncoding},
		{"changed body", func(r *http.Request) {
			r.Body = io.NopCloser(bytes.NewReader(append(bytes.Clone(body), '\n')))
			r.ContentLength++
		}, http.StatusForbidden, webhook.ErrSignatureMismatch},
		{"missing signature", func(r *http.Request) { r.Header.Del(webhook.HeaderSignature) }, http.StatusBadRequest, webhook.ErrMissingHeader},
		{"missing type", func(r *http.Request) { r.Header.Del(webhook.HeaderEventType) }, http.StatusBadRequest, webhook.ErrMissingHeader},
		{"bad timestamp", func(r *http.Request) { r.Header.Set(webhook.HeaderMessageTimestamp, "yesterday") }, http.StatusBadRequest, webhook.ErrInvalidTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			var c counter
			c.register(r.h)
			req := testSigner().NewRequest("/", webhooktest.NewDelivery(kick.EventChatMessageSent, body))
			tt.change(req)
			w := r.serve(req)
			checkStatus(t, w, tt.status)
			if got, want := strings.TrimSpace(w.Body.String()), http.StatusText(tt.status); got != want {
				t.Errorf("body %q, want only %q", got, want)
			}
			if c.typed.Load()+c.fallback.Load() != 0 {
				t.Error("a function was called")
			}
			errs := r.hookErrors()
			if len(errs) != 1 || !errors.Is(errs[0], tt.want) {
				t.Fatalf("hook got %v, want %v", errs, tt.want)
			}
			if r.hookDs[0] != nil {
				t.Error("the hook got a delivery of an unverified request")
			}
		})
	}
}

func TestHandlerStaleTimestamp(t *testing.T) {
	t.Parallel()
	for name, offset := range map[string]time.Duration{"too old": -6 * time.Minute, "too new": 6 * time.Minute} {
		r := newRig(t)
		var c counter
		c.register(r.h)
		d := chatDelivery(t)
		d.Timestamp = d.Timestamp.Add(offset)
		checkStatus(t, r.post(d), http.StatusBadRequest)
		if c.typed.Load()+c.fallback.Load() != 0 {
			t.Errorf("%s: a function was called", name)
		}
		want := webhook.ErrTooOld
		if offset > 0 {
			want = webhook.ErrTooNew
		}
		if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], want) {
			t.Errorf("%s: hook got %v", name, errs)
		}
	}
}

func TestHandlerDuplicate(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var c counter
	c.register(r.h)
	d := chatDelivery(t)
	for range 3 {
		checkStatus(t, r.post(d), http.StatusOK)
	}
	if n := c.typed.Load(); n != 1 {
		t.Errorf("handler called %d times, want 1", n)
	}
	if errs := r.hookErrors(); len(errs) != 0 {
		t.Errorf("duplicates reported as errors: %v", errs)
	}
	// A new message id is a new delivery, even with the same body.
	d.MessageID = webhooktest.NewMessageID()
	checkStatus(t, r.post(d), http.StatusOK)
	if n := c.typed.Load(); n != 2 {
		t.Errorf("handler called %d times, want 2", n)
	}
}

// Copies of one delivery arriving together are processed once; the others are told to retry
// (409) or, once it is done, acknowledged.
func TestHandlerConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	release := make(chan struct{})
	var calls atomic.Int32
	r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
		calls.Add(1)
		<-release
		return nil
	})
	d := chatDelivery(t)
	first := make(chan int)
	go func() { first <- r.post(d).Code }()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for range 20 {
		wg.Go(func() { codes <- r.post(d).Code })
	}
	wg.Wait()
	close(release)
	if code := <-first; code != http.StatusOK {
		t.Errorf("first copy: %d", code)
	}
	close(codes)
	for code := range codes {
		if code != http.StatusConflict {
			t.Errorf("copy while in flight: %d, want 409", code)
		}
	}
	checkStatus(t, r.post(d), http.StatusOK)
	if n := calls.Load(); n != 1 {
		t.Errorf("handler called %d times, want 1", n)
	}
}

func TestHandlerUnknownType(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var got []*webhook.Delivery
	var events []webhook.Event
	r.h.OnDefault(func(_ context.Context, d *webhook.Delivery, e webhook.Event) error {
		got, events = append(got, d), append(events, e)
		return nil
	})
	body := []byte(`{"raider":{"user_id":1},"viewers":250, "amp":"\u0026"}`)
	d := webhooktest.NewDelivery("channel.raid", body)
	d.Version = 3
	checkStatus(t, r.post(d), http.StatusOK)
	if len(got) != 1 {
		t.Fatalf("catch-all called %d times", len(got))
	}
	if diff := cmp.Diff(&d, got[0]); diff != "" {
		t.Errorf("delivery (-want +got):\n%s", diff)
	}
	want := &webhook.UnknownEvent{Type: "channel.raid", Version: 3, Raw: body}
	if diff := cmp.Diff(want, events[0]); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}

	// Without a catch-all, unknown types are acknowledged too.
	checkStatus(t, newRig(t).post(webhooktest.NewDelivery("channel.raid", body)), http.StatusOK)
}

func TestHandlerError(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	boom := errors.New("database down")
	var calls atomic.Int32
	r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
		if calls.Add(1) == 1 {
			return boom
		}
		return nil
	})
	d := chatDelivery(t)
	w := r.post(d)
	checkStatus(t, w, http.StatusInternalServerError)
	if strings.Contains(w.Body.String(), "database") {
		t.Errorf("the error leaked into the response: %q", w.Body.String())
	}
	errs := r.hookErrors()
	if len(errs) != 1 || !errors.Is(errs[0], boom) {
		t.Fatalf("hook got %v", errs)
	}
	if r.hookDs[0] == nil || r.hookDs[0].MessageID != d.MessageID {
		t.Error("the hook did not get the delivery")
	}
	// Kick retries the failed delivery: it is processed again, then deduplicated.
	checkStatus(t, r.post(d), http.StatusOK)
	checkStatus(t, r.post(d), http.StatusOK)
	if n := calls.Load(); n != 2 {
		t.Errorf("handler called %d times, want 2", n)
	}
}

// An authentic payload that does not decode is not lost: the hook and the catch-all get it raw,
// and Kick gets 200 because sending the same bytes again cannot help.
func TestHandlerUndecodablePayload(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var c counter
	var got webhook.Event
	r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
		c.typed.Add(1)
		return nil
	})
	r.h.OnDefault(func(_ context.Context, _ *webhook.Delivery, e webhook.Event) error {
		got = e
		return nil
	})
	body := []byte(`{"message_id":"m","sender":{"user_id":"not a number"}}`)
	checkStatus(t, r.post(webhooktest.NewDelivery(kick.EventChatMessageSent, body)), http.StatusOK)
	if c.typed.Load() != 0 {
		t.Error("typed function called with an undecodable payload")
	}
	u, ok := got.(*webhook.UnknownEvent)
	if !ok {
		t.Fatalf("catch-all got %T", got)
	}
	if !bytes.Equal(u.Raw, body) || u.Type != kick.EventChatMessageSent || !errors.Is(u.Err, webhook.ErrDecode) {
		t.Errorf("catch-all got %+v", u)
	}
	errs := r.hookErrors()
	if len(errs) != 1 || !errors.Is(errs[0], webhook.ErrDecode) || r.hookDs[0] == nil || !bytes.Equal(r.hookDs[0].Body, body) {
		t.Errorf("hook got %v", errs)
	}
	// An error of the catch-all is an error of the user's code: 500.
	r2 := newRig(t)
	r2.h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error { return errors.New("queue full") })
	checkStatus(t, r2.post(webhooktest.NewDelivery(kick.EventChatMessageSent, body)), http.StatusInternalServerError)
}

// Every example of the docs reaches its typed function, with the delivery's metadata.
func TestHandlerDispatchesEveryType(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	got := map[kick.EventType]webhook.Event{}
	var mu sync.Mutex
	record := func(d *webhook.Delivery, e webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if d.Type != e.EventType() {
			return errors.New("delivery and event disagree on the type")
		}
		got[e.EventType()] = e
		return nil
	}
	// Every typed registration method of the Handler (generated from the spec's callbacks), each
	// with a function that records what it gets.
	h := reflect.ValueOf(r.h)
	registered := 0
	for i := range h.NumMethod() {
		m, name := h.Method(i), h.Type().Method(i).Name
		if !strings.HasPrefix(name, "On") || name == "OnDefault" {
			continue
		}
		fn := m.Type().In(0)
		m.Call([]reflect.Value{reflect.MakeFunc(fn, func(args []reflect.Value) []reflect.Value {
			err := record(args[1].Interface().(*webhook.Delivery), args[2].Interface().(webhook.Event))
			out := reflect.New(fn.Out(0)).Elem()
			if err != nil {
				out.Set(reflect.ValueOf(err))
			}
			return []reflect.Value{out}
		})})
		registered++
	}
	if registered != len(kick.AllEventTypes)+1 {
		t.Errorf("%d On methods, want one per event type and one for Drops claims", registered)
	}
	r.h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error {
		return errors.New("catch-all called for a typed event")
	})
	for _, f := range fixtures(t) {
		if f.name == "livestream.status.updated.started.json" || strings.HasPrefix(f.name, "extra/") && f.typ != webhook.EventDropsClaim {
			continue // one example per type
		}
		checkStatus(t, r.post(webhooktest.NewDelivery(f.typ, f.body)), http.StatusOK)
		mu.Lock()
		e := got[f.typ]
		mu.Unlock()
		if diff := cmp.Diff(wantFixtures[f.name], e); diff != "" {
			t.Errorf("%s (-want +got):\n%s", f.name, diff)
		}
	}
	if len(got) != len(kick.AllEventTypes)+1 {
		t.Errorf("%d types dispatched, want %d", len(got), len(kick.AllEventTypes)+1)
	}
	if errs := r.hookErrors(); len(errs) != 0 {
		t.Errorf("hook got %v", errs)
	}
}

// A type with no typed function goes to the catch-all, decoded.
func TestHandlerDefaultGetsTypedEvents(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var got webhook.Event
	r.h.OnDefault(func(_ context.Context, _ *webhook.Delivery, e webhook.Event) error {
		got = e
		return nil
	})
	checkStatus(t, r.post(chatDelivery(t)), http.StatusOK)
	if _, ok := got.(*webhook.ChatMessageSent); !ok {
		t.Errorf("catch-all got %T, want *ChatMessageSent", got)
	}
	// Nothing registered at all: acknowledged.
	checkStatus(t, newRig(t).post(chatDelivery(t)), http.StatusOK)
}

// The Drops claim webhook's reduced headers reach OnDropsClaim.
func TestHandlerDropsClaim(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var got *webhook.DropsClaim
	var meta *webhook.Delivery
	r.h.OnDropsClaim(func(_ context.Context, d *webhook.Delivery, e *webhook.DropsClaim) error {
		got, meta = e, d
		return nil
	})
	body := []byte(`{"claim_id":"01KAKQ02J0Q11N8H6N1T3SPBV1","user_id":9183746,"campaign_id":"c","reward_id":"r"}`)
	d := webhooktest.NewDelivery(webhook.EventDropsClaim, body)
	req := testSigner().NewRequest("/", d)
	if req.Header.Get(webhook.HeaderEventType) != "" || req.Header.Get(webhook.HeaderDropsTimestamp) == "" {
		t.Fatalf("not the Drops header set: %v", req.Header)
	}
	checkStatus(t, r.serve(req), http.StatusOK)
	if got == nil || got.ClaimID != "01KAKQ02J0Q11N8H6N1T3SPBV1" || meta.MessageID != d.MessageID {
		t.Errorf("OnDropsClaim got %+v, %+v", got, meta)
	}
}

func TestHandlerPassthrough(t *testing.T) {
	t.Parallel()
	var queue []*webhook.Delivery
	fail := false
	r := newRig(t, webhook.WithPassthrough(func(_ context.Context, d *webhook.Delivery) error {
		if fail {
			return errors.New("queue unavailable")
		}
		queue = append(queue, d)
		return nil
	}))
	bad := webhooktest.NewDelivery(kick.EventChatMessageSent, []byte(`{"sender":"not an object"}`))
	unknown := webhooktest.NewDelivery("channel.raid", []byte(`{}`))
	for _, d := range []webhook.Delivery{chatDelivery(t), bad, unknown} {
		checkStatus(t, r.post(d), http.StatusOK)
	}
	if len(queue) != 3 {
		t.Fatalf("%d deliveries queued, want 3", len(queue))
	}
	if !bytes.Equal(queue[1].Body, bad.Body) {
		t.Error("passthrough changed the body")
	}
	if errs := r.hookErrors(); len(errs) != 0 {
		t.Errorf("passthrough decoded something: hook got %v", errs)
	}
	// Decoding later works from the queued delivery.
	if e, err := queue[0].Event(); err != nil {
		t.Error(err)
	} else if _, ok := e.(*webhook.ChatMessageSent); !ok {
		t.Errorf("Event() = %T", e)
	}
	fail = true
	checkStatus(t, r.post(chatDelivery(t)), http.StatusInternalServerError)

	for name, register := range map[string]func(){
		"typed": func() {
			r.h.OnKicksGifted(func(context.Context, *webhook.Delivery, *webhook.KicksGifted) error { return nil })
		},
		"catch-all": func() { r.h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error { return nil }) },
	} {
		if !panics(register) {
			t.Errorf("registering a %s function in passthrough mode did not panic", name)
		}
	}
}

func TestHandlerRegistrationMistakes(t *testing.T) {
	t.Parallel()
	h, err := webhook.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	ok := func(context.Context, *webhook.Delivery, *webhook.ChannelFollowed) error { return nil }
	h.OnChannelFollowed(ok)
	if !panics(func() { h.OnChannelFollowed(ok) }) {
		t.Error("second function for a type did not panic")
	}
	if !panics(func() { h.OnKicksGifted(nil) }) {
		t.Error("nil function did not panic")
	}
	h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error { return nil })
	if !panics(func() { h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error { return nil }) }) {
		t.Error("second catch-all did not panic")
	}
}

func panics(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

// failingStore fails the operation named by op.
type failingStore struct {
	webhook.Store
	op string
}

var errStore = errors.New("redis down")

func (s failingStore) Claim(ctx context.Context, id string, ttl time.Duration) error {
	if s.op == "claim" {
		return errStore
	}
	return s.Store.Claim(ctx, id, ttl)
}

func (s failingStore) Complete(ctx context.Context, id string, ttl time.Duration) error {
	if s.op == "complete" {
		return errStore
	}
	return s.Store.Complete(ctx, id, ttl)
}

func TestHandlerStoreFailures(t *testing.T) {
	t.Parallel()
	// A store that cannot claim fails the delivery, so Kick retries it: no delivery is processed
	// without deduplication.
	r := newRig(t, webhook.WithStore(failingStore{webhook.NewMemoryStore(0), "claim"}))
	var c counter
	c.register(r.h)
	checkStatus(t, r.post(chatDelivery(t)), http.StatusInternalServerError)
	if c.typed.Load() != 0 {
		t.Error("processed without a claim")
	}
	if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], errStore) {
		t.Errorf("hook got %v", errs)
	}
	// A store that cannot record completion: the work is done, so Kick gets 200; the hook hears.
	r = newRig(t, webhook.WithStore(failingStore{webhook.NewMemoryStore(0), "complete"}))
	c = counter{}
	c.register(r.h)
	checkStatus(t, r.post(chatDelivery(t)), http.StatusOK)
	if errs := r.hookErrors(); len(errs) != 1 || !errors.Is(errs[0], errStore) {
		t.Errorf("hook got %v", errs)
	}
}

func TestNewHandlerOptions(t *testing.T) {
	t.Parallel()
	v := newVerifier(t, webhook.WithTolerance(time.Hour))
	for name, opts := range map[string][]webhook.HandlerOption{
		"nil option":              {nil},
		"nil verifier":            {webhook.WithVerifier(nil)},
		"nil store":               {webhook.WithStore(nil)},
		"zero body limit":         {webhook.WithMaxBodyBytes(0)},
		"zero dedup TTL":          {webhook.WithDedupTTL(0)},
		"nil hook":                {webhook.WithErrorHook(nil)},
		"nil passthrough":         {webhook.WithPassthrough(nil)},
		"TTL under 2 × tolerance": {webhook.WithVerifier(v), webhook.WithDedupTTL(119 * time.Minute)},
		"TTL under 2 × 5 minutes": {webhook.WithDedupTTL(9 * time.Minute)},
	} {
		if _, err := webhook.NewHandler(opts...); err == nil {
			t.Errorf("%s: NewHandler succeeded", name)
		}
	}
	if _, err := webhook.NewHandler(webhook.WithVerifier(v), webhook.WithDedupTTL(2*time.Hour)); err != nil {
		t.Errorf("TTL of twice the tolerance: %v", err)
	}
}

// Through a real server: the body limit closes the connection instead of reading a flood.
func TestHandlerOverHTTP(t *testing.T) {
	t.Parallel()
	r := newRig(t, webhook.WithMaxBodyBytes(4096))
	var c counter
	c.register(r.h)
	srv := httptest.NewServer(r.h)
	defer srv.Close()

	resp, err := testSigner().Post(context.Background(), srv.Client(), srv.URL, chatDelivery(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || c.typed.Load() != 1 {
		t.Errorf("status %d, %d calls", resp.StatusCode, c.typed.Load())
	}

	flood := webhooktest.NewDelivery(kick.EventChatMessageSent, bytes.Repeat([]byte(" "), 1<<20))
	resp, err = testSigner().Post(context.Background(), srv.Client(), srv.URL, flood)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("flood: status %d", resp.StatusCode)
	}
}

// readCounter counts the bytes read from it.
type readCounter struct {
	r io.Reader
	n atomic.Int64
}

func (c *readCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// A request without a well-formed signature header is refused before any of its body is read.
func TestHandlerChecksHeadersBeforeReading(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	body := &readCounter{r: bytes.NewReader(bytes.Repeat([]byte("x"), 512<<10))}
	req := httptest.NewRequest(http.MethodPost, "/", body)
	req.Header.Set(webhook.HeaderMessageID, testMessageID)
	req.Header.Set(webhook.HeaderMessageTimestamp, time.Now().Format(time.RFC3339))
	req.Header.Set(webhook.HeaderEventType, "chat.message.sent")
	req.Header.Set(webhook.HeaderEventVersion, "1")
	req.Header.Set(webhook.HeaderSignature, "not base64")
	checkStatus(t, r.serve(req), http.StatusForbidden)
	if n := body.n.Load(); n != 0 {
		t.Errorf("%d bytes of the body read", n)
	}
}

// renewingStore is a MemoryStore that is a ClaimRenewer, and records the TTLs of claims and the
// renewals; fail makes renewals fail, and failCompletes the next Completes.
type renewingStore struct {
	*webhook.MemoryStore
	mu            sync.Mutex
	claims        []time.Duration
	renewed       int
	fail          error
	failCompletes int
	completed     int
}

func (s *renewingStore) Complete(ctx context.Context, id string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failCompletes > 0 {
		s.failCompletes--
		return errors.New("redis: i/o timeout")
	}
	s.completed++
	return s.MemoryStore.Complete(ctx, id, ttl)
}

func (s *renewingStore) Claim(ctx context.Context, id string, ttl time.Duration) error {
	s.mu.Lock()
	s.claims = append(s.claims, ttl)
	s.mu.Unlock()
	return s.MemoryStore.Claim(ctx, id, ttl)
}

func (s *renewingStore) RenewClaim(ctx context.Context, id string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.renewed++
	_ = s.Release(ctx, id)
	return s.MemoryStore.Claim(ctx, id, ttl)
}

// A store that lost the claim while the completion is still pending (a Redis paused past the
// claim's TTL: the renewals fail, and the key has expired when it resumes; or one restarted):
// Kick's retries are answered as the duplicates they are, from the handler's own knowledge, and
// the delivery is not processed again; once the completion lands, the store says so itself.
func TestHandlerPendingCompletionIsADuplicate(t *testing.T) {
	t.Parallel()
	store := &renewingStore{MemoryStore: webhook.NewMemoryStore(0), failCompletes: 1 << 30}
	r := newRig(t, webhook.WithStore(store))
	var c counter
	c.register(r.h)
	d := chatDelivery(t)
	checkStatus(t, r.post(d), http.StatusOK)
	if err := store.Release(context.Background(), d.MessageID); err != nil { // the claim is lost
		t.Fatal(err)
	}
	for range 3 {
		checkStatus(t, r.post(d), http.StatusOK)
	}
	if n := c.typed.Load(); n != 1 {
		t.Fatalf("processed %d times while the completion was pending, want once", n)
	}
	store.mu.Lock()
	store.failCompletes = 0
	store.mu.Unlock()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		store.mu.Lock()
		done := store.completed == 1
		store.mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the completion never landed")
		}
	}
	checkStatus(t, r.post(d), http.StatusOK)
	if n := c.typed.Load(); n != 1 {
		t.Errorf("processed %d times, want once", n)
	}
}

// With a Store that is a ClaimRenewer, the Handler claims for the renewed claim TTL only and
// renews the claim every third of it while the function runs, so that the claim never lapses
// under a slow function; a renewal that fails is reported to the hook once the function is done.
// Without one (MemoryStore), it claims for ClaimTTL.
func TestHandlerRenewsClaims(t *testing.T) {
	t.Parallel()
	const ttl = 150 * time.Millisecond
	for _, failing := range []bool{false, true} {
		store := &renewingStore{MemoryStore: webhook.NewMemoryStore(0)}
		if failing {
			store.fail = errors.New("redis: i/o timeout")
		}
		r := newRig(t, webhook.WithStore(store))
		webhook.SetRenewedClaimTTL(r.h, ttl)
		d := chatDelivery(t)
		var retry *httptest.ResponseRecorder
		var calls atomic.Int32
		r.h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
			if calls.Add(1) > 1 {
				return nil // the retry was processed: the claim lapsed
			}
			time.Sleep(4 * ttl)
			if !failing {
				retry = r.post(d) // Kick's retry, while the function still runs past the first TTL
			}
			return nil
		})
		checkStatus(t, r.post(d), http.StatusOK)
		store.mu.Lock()
		claims, renewed := store.claims, store.renewed
		store.mu.Unlock()
		if len(claims) == 0 || claims[0] != ttl {
			t.Errorf("failing=%v: claims with TTLs %v, want %v", failing, claims, ttl)
		}
		errs := r.hookErrors()
		if failing {
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), "renewing the claim of delivery "+d.MessageID) {
				t.Errorf("hook got %v, want the failed renewal", errs)
			}
			continue
		}
		if renewed < 2 {
			t.Errorf("%d renewals during a function of 4 TTLs, want at least 2", renewed)
		}
		if retry == nil || retry.Code != http.StatusConflict {
			t.Errorf("a retry while the function ran past the claim's first TTL: %v, want 409", retry)
		}
	}
	plain := &ttlStore{MemoryStore: webhook.NewMemoryStore(0)}
	r := newRig(t, webhook.WithStore(plain))
	var c counter
	c.register(r.h)
	checkStatus(t, r.post(chatDelivery(t)), http.StatusOK)
	if len(plain.claims) != 1 || plain.claims[0] != webhook.ClaimTTL {
		t.Errorf("a store without renewals: claims with TTLs %v, want ClaimTTL", plain.claims)
	}
}

// ttlStore records the TTLs of claims (one request at a time).
type ttlStore struct {
	*webhook.MemoryStore
	claims []time.Duration
}

func (s *ttlStore) Claim(ctx context.Context, id string, ttl time.Duration) error {
	s.claims = append(s.claims, ttl)
	return s.MemoryStore.Claim(ctx, id, ttl)
}

// A Complete that fails after the function succeeded (Redis paused, say) leaves the delivery
// processed but not recorded: the handler answers 200, reports it, and keeps renewing the claim
// while it tries to complete again in the background, so that the claim does not expire under a
// retry of Kick's before the completion lands. The delivery is processed once.
func TestHandlerCompletesLaterAndKeepsTheClaim(t *testing.T) {
	t.Parallel()
	const ttl = 150 * time.Millisecond
	store := &renewingStore{MemoryStore: webhook.NewMemoryStore(0), failCompletes: 3}
	r := newRig(t, webhook.WithStore(store))
	webhook.SetRenewedClaimTTL(r.h, ttl)
	var c counter
	c.register(r.h)
	d := chatDelivery(t)
	checkStatus(t, r.post(d), http.StatusOK)
	if errs := r.hookErrors(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "completing delivery "+d.MessageID) {
		t.Errorf("hook got %v, want the failed completion", errs)
	}
	// Kick's retries, over several claim TTLs: in flight until the completion lands, then
	// duplicates; never processed again.
	for deadline := time.Now().Add(20 * ttl); time.Now().Before(deadline); time.Sleep(ttl / 4) {
		if w := r.post(d); w.Code != http.StatusConflict && w.Code != http.StatusOK {
			t.Fatalf("a retry: %d", w.Code)
		}
	}
	if n := c.typed.Load(); n != 1 {
		t.Errorf("processed %d times, want once", n)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if store.completed != 1 {
		t.Errorf("%d completions, want one, in the background", store.completed)
	}
}
