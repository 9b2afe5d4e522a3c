package kick

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/gen"
)

// retryHarness is a client against a scripted server, with backoff waits recorded instead of slept.
type retryHarness struct {
	c        *Client
	srv      *httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	waits    []time.Duration
}

var fixedNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func newRetryHarness(t *testing.T, handler func(n int64, w http.ResponseWriter, r *http.Request), opts ...Option) *retryHarness {
	t.Helper()
	h := &retryHarness{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler(h.requests.Add(1), w, r)
	}))
	t.Cleanup(h.srv.Close)
	base := []Option{
		WithAPIBaseURL(h.srv.URL),
		WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "user"})),
		WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "app"})),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		h.mu.Lock()
		h.waits = append(h.waits, d)
		h.mu.Unlock()
		return ctx.Err()
	}
	c.now = func() time.Time { return fixedNow }
	h.c = c
	return h
}

func (h *retryHarness) getUsers(ctx context.Context) error {
	_, err := h.c.Users.Get(ctx, []int64{1})
	return err
}

func (h *retryHarness) sendChat(ctx context.Context) error {
	// sendChatMessage, with an answer that need not identify itself.
	op := *gen.SendChatMessage.Operation
	op.Identifying = nil
	req := gen.SendChatMessage.Request([]byte(`{"type":"bot","content":"hi"}`))
	req.Operation = &op
	return h.c.fetch(ctx, req, nil, nil)
}

const usersOK = `{"data":[],"message":"OK"}`

func status(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprint(w, body)
}

func TestRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "3")
			status(w, 429, `{"data":null,"message":"Too Many Requests"}`)
			return
		}
		status(w, 200, usersOK)
	})
	if err := h.getUsers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{3 * time.Second}, h.waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestRetryAfterDate(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", fixedNow.Add(5*time.Second).Format(http.TimeFormat))
			status(w, 503, `{"data":null,"message":"Service Unavailable"}`)
			return
		}
		status(w, 200, usersOK)
	})
	if err := h.getUsers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{5 * time.Second}, h.waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestGetRetriedAfter503s(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n <= 2 {
			status(w, 503, `{"data":null,"message":"Service Unavailable"}`)
			return
		}
		status(w, 200, usersOK)
	})
	if err := h.getUsers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := h.requests.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	// Equal jitter: the first wait is in [MinBackoff/2, MinBackoff], the second in [MinBackoff, 2*MinBackoff].
	if len(h.waits) != 2 ||
		h.waits[0] < 250*time.Millisecond || h.waits[0] > 500*time.Millisecond ||
		h.waits[1] < 500*time.Millisecond || h.waits[1] > time.Second {
		t.Errorf("waits = %v", h.waits)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		status(w, 500, `{"data":null,"message":"Internal server error"}`)
	})
	err := h.getUsers(context.Background())
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if n := h.requests.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 1 + DefaultRetryPolicy.MaxRetries = 3", n)
	}
}

func TestChatPostNotRetriedAfter500(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		status(w, 500, `{"data":null,"message":"Internal server error"}`)
	})
	err := h.sendChat(context.Background())
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if n := h.requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1: a chat message must never be sent twice", n)
	}
}

func TestChatPostRetriedAfter429(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			status(w, 429, `{"data":null,"message":"Too Many Requests"}`)
			return
		}
		status(w, 200, `{"data":{"is_sent":true,"message_id":"828f83bb-e391-4c78-9e91-af35a172840e"},"message":"OK"}`)
	})
	if err := h.sendChat(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := h.requests.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2 (Kick did not process a throttled message)", n)
	}
}

// TestChatPostRetriedAfterResetBeforeWrite: a connection that fails before the request is written
// cannot have delivered the message, so even a POST is retried.
func TestChatPostRetriedAfterResetBeforeWrite(t *testing.T) {
	t.Parallel()
	var dials atomic.Int64
	var dialer net.Dialer
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNRESET}
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		status(w, 200, `{"data":{"is_sent":true,"message_id":"828f83bb-e391-4c78-9e91-af35a172840e"},"message":"OK"}`)
	}, WithHTTPClient(&http.Client{Transport: transport}))
	if err := h.sendChat(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := h.requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	if d := dials.Load(); d != 2 {
		t.Errorf("dialed %d times, want 2", d)
	}
}

// TestChatPostNotRetriedAfterResetAfterWrite: a connection reset after the request was written may
// have delivered the message, so the POST is not retried.
func TestChatPostNotRetriedAfterResetAfterWrite(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close with a reset
		}
		_ = conn.Close()
	})
	err := h.sendChat(context.Background())
	if err == nil {
		t.Fatal("want an error")
	}
	if n := h.requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestGetRetriedAfterReset(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return
		}
		status(w, 200, usersOK)
	})
	if err := h.getUsers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := h.requests.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		status(w, 503, `{"data":null,"message":"Service Unavailable"}`)
	}, WithRetryPolicy(RetryPolicy{MaxRetries: 5, MinBackoff: time.Hour, MaxBackoff: time.Hour}),
		// No timeout, so no deadline: a wait longer than the time left is not even begun
		// (TestRetryAfterBeyondTimeLeft).
		WithHTTPClient(&http.Client{}))
	h.c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel() // the caller gives up while the client waits an hour
		return sleepCtx(ctx, d)
	}
	err := h.getUsers(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := h.requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestRateLimitErrorAfterRetries(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		status(w, 429, `{"data":null,"message":"Too Many Requests"}`)
	})
	err := h.getUsers(context.Background())
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want *RateLimitError", err)
	}
	var ae *APIError
	if rl.RetryAfter != 2*time.Second || !errors.Is(err, ErrRateLimited) || !errors.As(err, &ae) || ae.StatusCode != http.StatusTooManyRequests {
		t.Errorf("error = %+v", rl)
	}
	if n := h.requests.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	if !strings.HasSuffix(err.Error(), "(retry after 2s)") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestLongRetryAfterIsNotWaited(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		status(w, 429, `{"data":null,"message":"Too Many Requests"}`)
	})
	err := h.getUsers(context.Background())
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Minute {
		t.Fatalf("err = %v, want *RateLimitError asking for 2m", err)
	}
	if n := h.requests.Load(); n != 1 || len(h.waits) != 0 {
		t.Errorf("server saw %d requests after waits %v; want 1 and none", n, h.waits)
	}
}

// refreshingSource is a user token source that hands out token-1, token-2, ... and refreshes once
// per Invalidate of the current token, like kickauth's user source.
type refreshingSource struct {
	mu          sync.Mutex
	n           int
	stale       bool
	refreshes   int
	invalidated []string
}

func (s *refreshingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == 0 || s.stale {
		s.n++
		s.stale = false
		if s.n > 1 {
			s.refreshes++
		}
	}
	return &oauth2.Token{AccessToken: fmt.Sprintf("token-%d", s.n), Expiry: time.Now().Add(time.Hour)}, nil
}

func (s *refreshingSource) Invalidate(accessToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, accessToken)
	if accessToken == fmt.Sprintf("token-%d", s.n) {
		s.stale = true
	}
}

func TestUnauthorizedRefreshesOnceAndReplays(t *testing.T) {
	t.Parallel()
	src := &refreshingSource{}
	var auths []string
	var mu sync.Mutex
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer token-2" {
			status(w, 401, `{"data":null,"message":"Unauthorized"}`)
			return
		}
		status(w, 200, usersOK)
	}, WithUserTokenSource(src))
	if err := h.getUsers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Bearer token-1", "Bearer token-2"}, auths); diff != "" {
		t.Errorf("Authorization headers (-want +got):\n%s", diff)
	}
	if src.refreshes != 1 {
		t.Errorf("%d refreshes, want 1", src.refreshes)
	}
}

func TestAlways401RefreshesOnce(t *testing.T) {
	t.Parallel()
	src := &refreshingSource{}
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		status(w, 401, `{"data":null,"message":"Unauthorized"}`)
	}, WithUserTokenSource(src))
	err := h.getUsers(context.Background())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if n := h.requests.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2 (one replay)", n)
	}
	if src.refreshes != 1 {
		t.Errorf("%d refreshes, want exactly 1", src.refreshes)
	}
	if strings.Contains(err.Error(), "token-") {
		t.Errorf("the error carries a token: %v", err)
	}
}

func TestUnauthorizedStaticSourceNotReplayed(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		status(w, 401, `{"data":null,"message":"Unauthorized"}`)
	})
	if err := h.getUsers(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if n := h.requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

// countingSource counts Token calls and hands out a token valid for an hour.
type countingSource struct{ calls atomic.Int64 }

func (s *countingSource) Token() (*oauth2.Token, error) {
	s.calls.Add(1)
	time.Sleep(10 * time.Millisecond) // a slow token endpoint widens the race
	return &oauth2.Token{AccessToken: "fresh", Expiry: time.Now().Add(time.Hour)}, nil
}

// TestConcurrentCallsFetchOneToken: 1000 goroutines calling at once get their token from a single
// fetch.
func TestConcurrentCallsFetchOneToken(t *testing.T) {
	t.Parallel()
	src := &countingSource{}
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fresh" {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		status(w, 200, usersOK)
	}, WithAppTokenSource(src), WithUserTokenSource(src))
	var wg sync.WaitGroup
	for range 1000 {
		wg.Go(func() {
			if err := h.getUsers(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := src.calls.Load(); n != 1 {
		t.Errorf("token source called %d times, want 1", n)
	}
}

func TestRateLimiterWaitHonoursContext(t *testing.T) {
	t.Parallel()
	h := newRetryHarness(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		status(w, 200, usersOK)
	}, WithRateLimit(0.001, 1))
	if err := h.getUsers(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	// The next token comes in 1000 s; the limiter refuses to wait past the deadline.
	if err := h.getUsers(ctx); err == nil {
		t.Fatal("want an error from the limiter")
	}
	if n := h.requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{fixedNow.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{fixedNow.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.v != "" {
			h.Set("Retry-After", tt.v)
		}
		got, ok := retryAfter(h, fixedNow)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	for retry := range 10 {
		want := min(DefaultRetryPolicy.MinBackoff<<retry, DefaultRetryPolicy.MaxBackoff)
		for range 100 {
			if d := DefaultRetryPolicy.backoff(retry); d < want/2 || d > want {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", retry, d, want/2, want)
			}
		}
	}
}
