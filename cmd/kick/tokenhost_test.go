package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// TestTokensStayWithTheirHost: a login made for one API is sent to that API alone. Pointed at
// another --base-url (or KICK_BASE_URL) with the same OAuth host, every command that would use it
// fails before sending anything, saying to log in there or give a token; the foreign server
// receives nothing.
func TestTokensStayWithTheirHost(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	r, _ := loginFlow(t, env, nil)
	wantCode(t, r, 0)
	var (
		mu   sync.Mutex
		seen []string
	)
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.URL.String()+" "+r.Header.Get("Authorization"))
		http.NotFound(w, r)
	}))
	t.Cleanup(foreign.Close)
	fenv := withEnv(env, "KICK_BASE_URL="+foreign.URL)
	for _, args := range [][]string{
		{"users", "me"},
		{"users", "get", "1001"},
		{"api", "GET", "/public/v1/users"},
		{"auth", "token"},
		{"auth", "introspect"},
		{"livestreams", "list"},
		{"chat", "send", "hello"},
		{"subscriptions", "list"},
	} {
		r := runCLI(t, fenv, args...)
		if r.code != exitError || !strings.Contains(r.stderr, "was logged in for the API at "+srv.APIBaseURL) ||
			!strings.Contains(r.stderr, "kick auth login") || !strings.Contains(r.stderr, "--app") {
			t.Errorf("kick %s against a foreign API:\n%s", strings.Join(args, " "), r)
		}
	}
	r = runCLI(t, env, "users", "me", "--base-url", foreign.URL+"/")
	if r.code != exitError {
		t.Errorf("--base-url of a foreign API:\n%s", r)
	}
	mu.Lock()
	if len(seen) > 0 {
		t.Errorf("the foreign server received %d requests: %q", len(seen), seen)
	}
	mu.Unlock()
	// The login's own API, written differently, is the same API.
	wantCode(t, runCLI(t, env, "users", "me", "--base-url", srv.APIBaseURL+"/"), 0)
}
