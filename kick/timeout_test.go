package kick_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

// TestHTTPClientTimeout checks that WithHTTPClient's Timeout bounds a call from sending to the
// end of the body, as http.Client's does: the client enforces it with the call's context rather
// than with the http.Client (which would cost a goroutine per request).
func TestHTTPClientTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("id") == "2" { // the body stalls
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"data": [`))
			w.(http.Flusher).Flush()
		}
		select { // the headers stall, or the rest of the body
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	c, err := kick.NewClient(
		kick.WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}),
		kick.WithAPIBaseURL(srv.URL),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: appToken})),
		kick.WithRetryPolicy(kick.RetryPolicy{}),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 2} {
		_, err := c.Users.Get(context.Background(), []int64{id})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("id %d: err = %v, want a deadline error", id, err)
		}
	}
}
