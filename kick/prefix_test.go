package kick_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

// prefixServer is a server whose Kick lives under /kick, with something else beside it: it records
// the request target and the Authorization header of every request that reaches it, and answers
// every one with an empty list.
type prefixServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []prefixRequest
	// redirect, when set, answers the path with a 302 to the location.
	redirect map[string]string
}

type prefixRequest struct{ target, auth string }

func newPrefixServer(t *testing.T, redirect map[string]string) *prefixServer {
	t.Helper()
	s := &prefixServer{redirect: redirect}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, prefixRequest{r.RequestURI, r.Header.Get("Authorization")})
		s.mu.Unlock()
		if loc, ok := s.redirect[r.URL.EscapedPath()]; ok {
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusFound)
			return
		}
		respond(w, http.StatusOK, []byte(`{"data":[],"message":"OK"}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *prefixServer) requests() []prefixRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]prefixRequest(nil), s.seen...)
}

// outsidePrefix reports whether a request target reaches outside /kick on a server that decodes
// percent-escapes (%2F and %5C included) and resolves dot segments before routing, as many
// proxies and frameworks do.
func outsidePrefix(target string) bool {
	p, _, _ := strings.Cut(target, "?")
	dec, err := url.PathUnescape(p)
	if err != nil {
		return true
	}
	dec = path.Clean(strings.ReplaceAll(dec, `\`, "/"))
	return dec != "/kick" && !strings.HasPrefix(dec, "/kick/")
}

func prefixClient(t *testing.T, s *prefixServer) *kick.Client {
	t.Helper()
	c, err := kick.NewClient(kick.WithAPIBaseURL(s.URL+"/kick"), kick.WithOAuthBaseURL(s.URL+"/kick-oauth"),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: userToken})),
		kick.WithRetryPolicy(kick.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPathsStayUnderTheBasePrefix: with a base URL ending in /kick, no path given to NewRequest,
// no full URL under the base and no request made by hand reaches a path outside /kick, however
// its dot segments are written: each is refused before anything is sent, with ErrInvalidInput.
func TestPathsStayUnderTheBasePrefix(t *testing.T) {
	t.Parallel()
	paths := []string{
		"/../admin/secret",
		"/./../admin/secret",
		"/public/v1/../../../admin/secret",
		"/%2e%2e/admin/secret",
		"/%2E%2E/admin/secret",
		"/.%2e/admin/secret",
		"/public%2f..%2f..",
		"/public%2F..%2F..%2Fadmin%2Fsecret",
		"/public%5c..%5c..%5cadmin",
		"/..",
		"/oauth/../../admin/secret",
	}
	for _, p := range paths {
		for _, via := range []string{"Do", "BareDo", "full URL", "by hand"} {
			t.Run(via+" "+p, func(t *testing.T) {
				t.Parallel()
				s := newPrefixServer(t, nil)
				c := prefixClient(t, s)
				var (
					req *http.Request
					err error
				)
				switch via {
				case "full URL":
					req, err = c.NewRequest(http.MethodGet, s.URL+"/kick"+p, nil)
				case "by hand":
					u, perr := url.Parse(s.URL + "/kick" + p)
					if perr != nil {
						t.Fatal(perr)
					}
					req = &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
				default:
					req, err = c.NewRequest(http.MethodGet, p, nil)
				}
				if err == nil {
					if via == "BareDo" {
						var rsp *http.Response
						rsp, err = c.BareDo(context.Background(), req)
						if rsp != nil {
							_ = rsp.Body.Close()
						}
					} else {
						_, err = c.Do(context.Background(), req, nil)
					}
				}
				if !errors.Is(err, kick.ErrInvalidInput) {
					t.Errorf("err = %v, want one matching ErrInvalidInput", err)
				}
				for _, r := range s.requests() {
					if outsidePrefix(r.target) {
						t.Errorf("%s reached %s (Authorization %q), outside /kick", p, r.target, r.auth)
					}
				}
				if got := s.requests(); len(got) != 0 {
					t.Errorf("the server got %v, want nothing sent", got)
				}
			})
		}
	}
}

// TestInsidePathsAreSent: paths that stay under the prefix are sent as they are, with the token.
func TestInsidePathsAreSent(t *testing.T) {
	t.Parallel()
	s := newPrefixServer(t, nil)
	c := prefixClient(t, s)
	for _, p := range []string{"/public/v1/users?id=1", "/public/v9/things/a..b", "/public/v9/things/...", "/public/v9/%7Ebob"} {
		req, err := c.NewRequest(http.MethodGet, p, nil)
		if err != nil {
			t.Fatalf("NewRequest(%q): %v", p, err)
		}
		if _, err := c.Do(context.Background(), req, nil); err != nil {
			t.Errorf("Do(%q): %v", p, err)
		}
	}
	got := s.requests()
	if len(got) != 4 {
		t.Fatalf("the server got %v, want 4 requests", got)
	}
	for _, r := range got {
		if outsidePrefix(r.target) || r.auth != "Bearer "+userToken {
			t.Errorf("request %s with Authorization %q", r.target, r.auth)
		}
	}
}

// TestRedirectStaysUnderThePrefix: a redirect is followed only to a path under the base URL's
// prefix. A same-origin 302 to /admin/secret, or to a path under /kick that climbs out with dot
// segments, is not followed (ErrRedirect) and the token never goes there; a 302 within /kick is
// followed with the token.
func TestRedirectStaysUnderThePrefix(t *testing.T) {
	t.Parallel()
	for _, loc := range []string{"/admin/secret", "/kick/../admin/secret", "/kick/%2e%2e/admin/secret", "/kick-other/users", "/kick/public%2f..%2f..%2fadmin"} {
		t.Run(loc, func(t *testing.T) {
			t.Parallel()
			s := newPrefixServer(t, map[string]string{"/kick/public/v1/users": loc})
			c := prefixClient(t, s)
			_, err := c.Users.Get(context.Background(), []int64{1})
			if !errors.Is(err, kick.ErrRedirect) {
				t.Errorf("err = %v, want one matching ErrRedirect", err)
			}
			got := s.requests()
			if len(got) != 1 {
				t.Errorf("the server got %v, want the first request alone", got)
			}
			for _, r := range got {
				if outsidePrefix(r.target) {
					t.Errorf("reached %s with Authorization %q", r.target, r.auth)
				}
			}
		})
	}
	t.Run("within the prefix", func(t *testing.T) {
		t.Parallel()
		s := newPrefixServer(t, map[string]string{"/kick/public/v1/users": "/kick/public/v1/moved?id=1"})
		c := prefixClient(t, s)
		if _, err := c.Users.Get(context.Background(), []int64{1}); err != nil {
			t.Fatal(err)
		}
		got := s.requests()
		if len(got) != 2 || got[1].target != "/kick/public/v1/moved?id=1" || got[1].auth != "Bearer "+userToken {
			t.Errorf("the server got %v, want the redirect followed with the token", got)
		}
	})
}
