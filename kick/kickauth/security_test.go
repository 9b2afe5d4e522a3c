package kickauth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// tokenEndpoint is an OAuth server whose /oauth/token answers with handler; it counts requests
// and keeps their forms.
type tokenEndpoint struct {
	*httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	forms    []url.Values
}

func newTokenEndpoint(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) *tokenEndpoint {
	t.Helper()
	e := &tokenEndpoint{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		_ = r.ParseForm()
		e.mu.Lock()
		e.forms = append(e.forms, r.PostForm)
		e.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *tokenEndpoint) config(secret string) *oauth2.Config {
	cfg := kickauth.NewConfig(testClientID, secret, testRedirectURL, kick.ScopeUserRead)
	cfg.Endpoint = kickauth.EndpointAt(e.URL)
	return cfg
}

// tokenCalls are the three ways kickauth asks the token endpoint, each with its credentials.
type tokenCall struct {
	name    string
	secrets []string // sent in the form
	call    func(ctx context.Context, cfg *oauth2.Config, logger *slog.Logger) error
}

const (
	echoSecret   = "cs+/=client-secret-value"
	echoRefresh  = "rt+/=refresh-token-value"
	echoCode     = "code+/=authorization-code"
	echoVerifier = "verifier~0123456789-0123456789-0123456789.abc"
)

func tokenCalls(t *testing.T) []tokenCall {
	return []tokenCall{
		{"app token", []string{echoSecret}, func(ctx context.Context, cfg *oauth2.Config, logger *slog.Logger) error {
			_, err := kickauth.AppTokenSource(ctx, cfg, kickauth.WithLogger(logger)).Token()
			return err
		}},
		{"user refresh", []string{echoSecret, echoRefresh}, func(ctx context.Context, cfg *oauth2.Config, logger *slog.Logger) error {
			store := kickauth.NewMemoryStore()
			if err := store.Save(ctx, "k", &oauth2.Token{AccessToken: "old", RefreshToken: echoRefresh, Expiry: time.Now().Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
			src, err := kickauth.UserTokenSource(ctx, cfg, store, "k", kickauth.WithLogger(logger))
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Token()
			return err
		}},
		{"code exchange", []string{echoSecret, echoCode, echoVerifier}, func(ctx context.Context, cfg *oauth2.Config, _ *slog.Logger) error {
			req := kickauth.AuthRequest{State: "s", Verifier: echoVerifier}
			_, err := kickauth.Exchange(ctx, cfg, req, url.Values{"state": {"s"}, "code": {echoCode}})
			return err
		}},
	}
}

// TestTokenRequestsFollowNoRedirect: a token endpoint that redirects (307 and 308 replay the
// form, client secret and refresh token included) is not followed, to another host or its own;
// the error matches kick.ErrRedirect. x/oauth2 follows them (golang/oauth2#500).
func TestTokenRequestsFollowNoRedirect(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		for _, tc := range tokenCalls(t) {
			t.Run(fmt.Sprintf("%s %d", tc.name, status), func(t *testing.T) {
				t.Parallel()
				other := newTokenEndpoint(t, func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, `{"access_token":"stolen","token_type":"Bearer","expires_in":3600}`)
				})
				var e *tokenEndpoint
				e = newTokenEndpoint(t, func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/moved" {
						t.Errorf("the redirect on the token endpoint's own host was followed")
						return
					}
					target := other.URL + "/oauth/token"
					if e.requests.Load() == 1 && status == http.StatusFound {
						target = "/moved"
					}
					http.Redirect(w, r, target, status)
				})
				err := tc.call(context.Background(), e.config(echoSecret), slog.New(slog.DiscardHandler))
				if !errors.Is(err, kick.ErrRedirect) {
					t.Errorf("err = %v, want one matching kick.ErrRedirect", err)
				}
				if n := other.requests.Load(); n != 0 {
					t.Errorf("the redirect target got %d requests: %v", n, other.forms)
				}
				if n := e.requests.Load(); n != 1 {
					t.Errorf("the token endpoint got %d requests, want 1", n)
				}
			})
		}
	}
}

// echoes are the forms in which a token endpoint may echo a credential of the request.
func echoes(secret string) []string {
	return []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(secret, "/", `\/`)}
}

// TestTokenEndpointEchoesAreScrubbed: what a token endpoint echoes of the request (the client
// secret, the refresh token, the code, the verifier), raw or percent-encoded as in the form it
// received, reaches neither the error (its message, nor the *oauth2.RetrieveError in its chain)
// nor the WithLogger lines.
func TestTokenEndpointEchoesAreScrubbed(t *testing.T) {
	t.Parallel()
	answers := map[string]func(w http.ResponseWriter, r *http.Request){
		"500 text": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "bad request body: %s", r.PostForm.Encode())
		},
		"400 OAuth error": func(w http.ResponseWriter, r *http.Request) {
			var desc []string
			for _, vs := range r.PostForm {
				desc = append(desc, vs[0], url.QueryEscape(vs[0]), url.PathEscape(vs[0]))
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client",
				"error_description": "unknown " + strings.Join(desc, " "), "error_uri": "https://x.invalid/?form=" + url.QueryEscape(r.PostForm.Encode())})
		},
		"400 invalid_grant": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "no such grant: " + r.PostForm.Encode()})
		},
	}
	for name, answer := range answers {
		for _, tc := range tokenCalls(t) {
			t.Run(name+" "+tc.name, func(t *testing.T) {
				t.Parallel()
				e := newTokenEndpoint(t, answer)
				var logs bytes.Buffer
				err := tc.call(context.Background(), e.config(echoSecret), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
				if err == nil {
					t.Fatal("no error")
				}
				outs := map[string]string{"error": err.Error(), "%+v": fmt.Sprintf("%+v", err), "log": logs.String()}
				var re *oauth2.RetrieveError
				if !errors.As(err, &re) {
					t.Fatalf("err = %v, want an *oauth2.RetrieveError in its chain", err)
				}
				outs["RetrieveError"] = re.Error()
				outs["RetrieveError.Body"] = string(re.Body)
				outs["RetrieveError.ErrorDescription"] = re.ErrorDescription
				outs["RetrieveError.ErrorURI"] = re.ErrorURI
				for where, s := range outs {
					for _, secret := range tc.secrets {
						for _, form := range echoes(secret) {
							if strings.Contains(s, form) {
								t.Errorf("%s holds %q: %s", where, form, s)
							}
						}
					}
				}
				if !strings.Contains(err.Error(), "REDACTED") {
					t.Errorf("the error lost what the endpoint said: %v", err)
				}
			})
		}
	}
}

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestFailingRefreshBacksOff: once a fetch has failed and no valid token is left, the source
// returns that failure at once, without asking the token endpoint, until a backoff (1 s at first,
// jittered, doubling up to a minute) has passed: 50 calls make one token request, not 50.
func TestFailingRefreshBacksOff(t *testing.T) {
	t.Parallel()
	sources := map[string]func(t *testing.T, cfg *oauth2.Config) interface {
		TokenContext(context.Context) (*oauth2.Token, error)
	}{
		"user": func(t *testing.T, cfg *oauth2.Config) interface {
			TokenContext(context.Context) (*oauth2.Token, error)
		} {
			store := kickauth.NewMemoryStore()
			if err := store.Save(context.Background(), "k", &oauth2.Token{AccessToken: "old", RefreshToken: "rt", Expiry: time.Now().Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
			src, err := kickauth.UserTokenSource(context.Background(), cfg, store, "k")
			if err != nil {
				t.Fatal(err)
			}
			return src
		},
		"app": func(t *testing.T, cfg *oauth2.Config) interface {
			TokenContext(context.Context) (*oauth2.Token, error)
		} {
			return kickauth.AppTokenSource(context.Background(), cfg)
		},
	}
	for name, newSource := range sources {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var healthy atomic.Bool
			e := newTokenEndpoint(t, func(w http.ResponseWriter, _ *http.Request) {
				if healthy.Load() {
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, `{"access_token":"new","token_type":"Bearer","expires_in":3600,"refresh_token":"rt2"}`)
					return
				}
				http.Error(w, "upstream down", http.StatusInternalServerError)
			})
			src := newSource(t, e.config(testClientSecret))
			clock := &fakeClock{now: time.Now()}
			kickauth.SetFailureClock(src, clock.Now)
			calls := func(n int) {
				t.Helper()
				for range n {
					_, err := src.TokenContext(context.Background())
					var re *oauth2.RetrieveError
					if !errors.As(err, &re) || re.Response.StatusCode != http.StatusInternalServerError {
						t.Fatalf("err = %v, want the token endpoint's 500", err)
					}
				}
			}
			want := func(n int64) {
				t.Helper()
				if got := e.requests.Load(); got != n {
					t.Fatalf("%d token requests, want %d", got, n)
				}
			}
			calls(50)
			want(1)
			clock.Add(490 * time.Millisecond) // the first backoff is 0.5 s to 1 s
			calls(10)
			want(1)
			clock.Add(520 * time.Millisecond)
			calls(10)
			want(2)
			clock.Add(990 * time.Millisecond) // the second is 1 s to 2 s
			calls(10)
			want(2)
			clock.Add(time.Second + 20*time.Millisecond)
			calls(1)
			want(3)
			// A canceled caller is not made to wait either.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := src.TokenContext(ctx); err == nil {
				t.Errorf("no error")
			}
			clock.Add(time.Hour)
			healthy.Store(true)
			if tok, err := src.TokenContext(context.Background()); err != nil || tok.AccessToken != "new" {
				t.Fatalf("after the backoff, with the endpoint healthy: %v", err)
			}
			want(4)
		})
	}
}

// TestClientCallsDoNotHammerAFailingTokenEndpoint: 50 API calls with an expired user token and a
// token endpoint answering 500 make one token request.
func TestClientCallsDoNotHammerAFailingTokenEndpoint(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.failStatus = http.StatusInternalServerError
	store := kickauth.NewMemoryStore()
	key := kickauth.StoreKey(testClientID, "streamer")
	if err := store.Save(context.Background(), key, f.seedUserToken(time.Now().Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	apiUsers(f, func(w http.ResponseWriter, _ string) {
		t.Errorf("an API call was made without a token")
	})
	src, err := kickauth.UserTokenSource(context.Background(), f.config(kick.ScopeUserRead), store, key)
	if err != nil {
		t.Fatal(err)
	}
	c := kickClient(t, f, src)
	for range 50 {
		if _, err := c.Users.Get(context.Background(), []int64{1}); err == nil {
			t.Fatal("Users.Get succeeded")
		}
	}
	if n := f.count("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests for 50 calls, want 1", n)
	}
}
