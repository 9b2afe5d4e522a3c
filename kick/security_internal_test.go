package kick

import (
	"bytes"
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"
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
		for retry := range 11 {
			if d := p.backoff(retry); d < p.MinBackoff/2 || d > p.MaxBackoff {
				t.Errorf("MinBackoff %d: backoff(%d) = %d", p.MinBackoff, retry, d)
			}
		}
	}
}

// TestTokenOnlyToItsOrigins: a call is sent, with its token, only to a URL under one of the
// client's base URLs, the API's and the OAuth server's (scheme, host and port, and the base's
// path), whatever URL a request or a redirect names.
func TestTokenOnlyToItsOrigins(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAPIBaseURL("https://api.kick.com"), WithOAuthBaseURL("http://127.0.0.1:8978"))
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]bool{
		"https://api.kick.com/public/v1/users":  true,
		"https://API.Kick.com:443/x":            true,
		"http://127.0.0.1:8978/oauth/token":     true,
		"http://api.kick.com/x":                 false, // another scheme
		"https://api.kick.com:8443/x":           false, // another port
		"https://api.kick.com.evil.example/x":   false,
		"http://localhost:8978/oauth/token":     false, // the same machine, another host name
		"https://evil.example/?to=api.kick.com": false,
	} {
		if _, _, got := c.server(mustURL(t, target)); got != want {
			t.Errorf("%s: under a base URL %v, want %v", target, got, want)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestReadBody: the limit holds whether or not Content-Length tells the size.
func TestReadBody(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	for _, tt := range []struct {
		body          string
		contentLength int64
		limit         int64
		tooLarge      bool
	}{
		{"12345", 5, 5, false},
		{"12345", -1, 5, false},
		{"123456", -1, 5, true},
		{"123456", 6, 5, true},
		{"", 0, 1, false},
	} {
		buf.Reset()
		err := readBody(&buf, strings.NewReader(tt.body), tt.contentLength, tt.limit)
		if errors.Is(err, ErrResponseTooLarge) != tt.tooLarge || (!tt.tooLarge && (err != nil || buf.String() != tt.body)) {
			t.Errorf("readBody(%q, %d, %d) = %v, %q", tt.body, tt.contentLength, tt.limit, err, buf.String())
		}
	}
	if err := readBody(&buf, iotestErr{}, -1, 10); err == nil || errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("a failing body: %v", err)
	}
}

// iotestErr is a body that fails.
type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
