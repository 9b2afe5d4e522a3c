package kickauth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

func TestAppTokenSource(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	src := kickauth.AppTokenSource(t.Context(), f.config())
	var _ oauth2.TokenSource = src
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken != "" || tok.Type() != "Bearer" {
		t.Errorf("app token %v", kickauth.Redact(tok))
	}
	if left := time.Until(tok.Expiry); left < 59*24*time.Hour {
		t.Errorf("app token expires in %v, want about 60 days", left)
	}
	again, err := src.Token()
	if err != nil || again.AccessToken != tok.AccessToken {
		t.Errorf("second Token: %v, %v; want the cached token", kickauth.Redact(again), err)
	}
	if n := f.count("client_credentials"); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

func TestAppTokenSourceOneFetchAtATime(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	src := kickauth.AppTokenSource(t.Context(), f.config())
	got := make([]string, 1000)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			tok, err := src.Token()
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	wg.Wait()
	if n := f.count("client_credentials"); n != 1 {
		t.Errorf("%d fetches for 1000 concurrent callers, want 1", n)
	}
	for _, at := range got {
		if at != got[0] {
			t.Fatal("callers got different tokens")
		}
	}
}

// A fetched token is kept for half its lifetime even when the margin is longer than that, so a
// too-long margin cannot turn into a fetch per call.
func TestAppTokenSourceMarginLongerThanLifetime(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.appExpiresIn = 60
	src := kickauth.AppTokenSource(t.Context(), f.config(), kickauth.WithRefreshMargin(time.Hour))
	for range 10 {
		if _, err := src.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count("client_credentials"); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

func TestAppTokenSourceInvalidate(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	src := kickauth.AppTokenSource(t.Context(), f.config())
	first, _ := src.Token()
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			src.Invalidate(first.AccessToken)
			if _, err := src.Token(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	second, _ := src.Token()
	if second.AccessToken == first.AccessToken {
		t.Error("Invalidate did not replace the token")
	}
	src.Invalidate(first.AccessToken) // stale: ignored
	src.Invalidate("")
	third, _ := src.Token()
	if third.AccessToken != second.AccessToken {
		t.Error("a stale Invalidate replaced the current token")
	}
	if n := f.count("client_credentials"); n != 2 {
		t.Errorf("%d fetches, want 2", n)
	}
}

// A failed fetch is an error that names no secret, keeps x/oauth2's error in its chain, and does
// not mean the user must authorize again (an app has no user).
func TestAppTokenSourceFailure(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	cfg := f.config()
	cfg.ClientSecret = "wrong-secret-5e3d"
	src := kickauth.AppTokenSource(t.Context(), cfg)
	errs := make(chan error, 100)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { _, err := src.Token(); errs <- err })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err == nil {
			t.Fatal("Token succeeded with a wrong secret")
		}
		if errors.Is(err, kickauth.ErrReauthorize) {
			t.Errorf("bad client credentials matched ErrReauthorize: %v", err)
		}
		if strings.Contains(err.Error(), "wrong-secret-5e3d") {
			t.Errorf("error contains the client secret: %v", err)
		}
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.ErrorCode != "invalid_client" {
			t.Errorf("err = %v, want the *oauth2.RetrieveError in the chain", err)
		}
	}
}

// A caller that gives up does not abandon the fetch: the next caller gets its token without a
// second request.
func TestAppTokenSourceCallerGivesUp(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.gate = make(chan struct{})
	f.arrived = make(chan string, 1)
	src := kickauth.AppTokenSource(t.Context(), f.config())
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { _, err := src.TokenContext(ctx); done <- err }()
	<-f.arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	close(f.gate)
	if _, err := src.Token(); err != nil {
		t.Fatal(err)
	}
	if n := f.count("client_credentials"); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}
