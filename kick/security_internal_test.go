package kick

import (
	"context"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"
)

// TestRetryAfterBeyondTimeLeft: a wait the call cannot afford (Retry-After, or the backoff)
// returns Kick's answer at once, a *RateLimitError with the RetryAfter asked for, rather than
// sleeping until the deadline and failing with DeadlineExceeded.
func TestRetryAfterBeyondTimeLeft(t *testing.T) {
	t.Parallel()
	rateLimited := func(n int64, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "20")
		status(w, 429, `{"data":null,"message":"Too Many Requests"}`)
	}
	t.Run("context deadline", func(t *testing.T) {
		t.Parallel()
		h := newRetryHarness(t, rateLimited)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := h.getUsers(ctx)
		var rl *RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != 20*time.Second || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want *RateLimitError asking for 20s", err)
		}
		if n := h.requests.Load(); n != 1 || len(h.waits) != 0 {
			t.Errorf("%d requests, waits %v; want 1 and none", n, h.waits)
		}
	})
	t.Run("client timeout", func(t *testing.T) {
		t.Parallel()
		h := newRetryHarness(t, rateLimited, WithHTTPClient(&http.Client{Timeout: 10 * time.Second}))
		err := h.getUsers(context.Background())
		var rl *RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != 20*time.Second {
			t.Errorf("err = %v, want *RateLimitError asking for 20s", err)
		}
		if n := h.requests.Load(); n != 1 || len(h.waits) != 0 {
			t.Errorf("%d requests, waits %v; want 1 and none", n, h.waits)
		}
	})
	t.Run("backoff", func(t *testing.T) {
		t.Parallel()
		h := newRetryHarness(t, func(n int64, w http.ResponseWriter, _ *http.Request) {
			status(w, 503, `{"data":null,"message":"Service Unavailable"}`)
		}, WithRetryPolicy(RetryPolicy{MaxRetries: 2, MinBackoff: 20 * time.Second, MaxBackoff: time.Minute}))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := h.getUsers(ctx)
		if !errors.Is(err, ErrServer) {
			t.Errorf("err = %v, want Kick's 503", err)
		}
		if n := h.requests.Load(); n != 1 || len(h.waits) != 0 {
			t.Errorf("%d requests, waits %v; want 1 and none", n, h.waits)
		}
	})
}

// TestHugeRetryAfter: a Retry-After beyond what a time.Duration holds neither wraps negative
// (retrying at once) nor fails to parse: it is a wait too long to make.
func TestHugeRetryAfter(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"9300000000", "9223372036", "99999999999999999999999"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			h := newRetryHarness(t, func(n int64, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", v)
				status(w, 429, `{"data":null,"message":"Too Many Requests"}`)
			})
			err := h.getUsers(context.Background())
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter < 100*365*24*time.Hour {
				t.Errorf("err = %v, want *RateLimitError asking for centuries", err)
			}
			if n := h.requests.Load(); n != 1 || len(h.waits) != 0 {
				t.Errorf("%d requests, waits %v; want 1 and none", n, h.waits)
			}
		})
	}
	h := http.Header{"Retry-After": {"9300000000"}}
	if d, ok := retryAfter(h, fixedNow); !ok || d != math.MaxInt64 {
		t.Errorf("retryAfter(9300000000) = %v, %v; want the longest duration", d, ok)
	}
}

// TestBackoffNeverOverflows: the doubling of a large MinBackoff stays within [MinBackoff/2,
// MaxBackoff] instead of wrapping around.
func TestBackoffNeverOverflows(t *testing.T) {
	t.Parallel()
	for _, p := range []RetryPolicy{
		{MaxRetries: 10, MinBackoff: 1<<62 + 1, MaxBackoff: math.MaxInt64},
		{MaxRetries: 10, MinBackoff: 3 << 60, MaxBackoff: math.MaxInt64},
		{MaxRetries: 10, MinBackoff: time.Hour, MaxBackoff: math.MaxInt64},
	} {
		rt := &retryTransport{policy: p}
		for retry := range 11 {
			if d := rt.backoff(retry); d < p.MinBackoff/2 || d > p.MaxBackoff {
				t.Errorf("MinBackoff %d: backoff(%d) = %d", p.MinBackoff, retry, d)
			}
		}
	}
}
