package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// TestClientPublicKeyPEM: a key source fed by the kick client's PublicKey.PEM starts with Kick's
// published key, and after a signature by a rotated key fetches the new one once, without a token.
func TestClientPublicKeyPEM(t *testing.T) {
	t.Parallel()
	var fetches atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/public/v1/public-key" || r.Header.Get("Authorization") != "" {
			t.Errorf("request %s %s with Authorization %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		}
		fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]string{"public_key": testSigner().PublicKeyPEM()}, "message": "OK"})
	}))
	t.Cleanup(srv.Close)
	client, err := kick.NewClient(kick.WithAPIBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	src, err := webhook.NewFetchingKeySource(client.PublicKey.PEM)
	if err != nil {
		t.Fatal(err)
	}
	v, err := webhook.NewVerifier(webhook.WithKeySource(src), webhook.WithClock(fixedClock(testTime)))
	if err != nil {
		t.Fatal(err)
	}
	body := chatBody(t)
	for range 2 {
		if _, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body); err != nil {
			t.Fatal(err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}
