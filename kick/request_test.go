package kick_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

// rotatingSource is a user token source like kickauth's: token-1, token-2, …, a new one after each
// Invalidate of the current one.
type rotatingSource struct {
	mu          sync.Mutex
	n           int
	invalidated []string
}

func (s *rotatingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == 0 {
		s.n = 1
	}
	return &oauth2.Token{AccessToken: fmt.Sprintf("token-%d", s.n), Expiry: time.Now().Add(time.Hour)}, nil
}

func (s *rotatingSource) Invalidate(accessToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, accessToken)
	if accessToken == fmt.Sprintf("token-%d", s.n) {
		s.n++
	}
}

// fastRetries retries twice with millisecond waits.
var fastRetries = kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})

// hookLog records the RequestInfo of every attempt.
type hookLog struct {
	mu    sync.Mutex
	infos []kick.RequestInfo
}

func (h *hookLog) hook(ri kick.RequestInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.infos = append(h.infos, ri)
}

func (h *hookLog) summary() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, ri := range h.infos {
		out = append(out, fmt.Sprintf("%s %s %d #%d", ri.Operation, ri.Method, ri.StatusCode, ri.Attempt))
	}
	return out
}

// TestDoUnknownOperation sends an operation the SDK does not know through NewRequest and Do: it
// gets the retry policy (a 503 is retried), the 401 replay with a refreshed token, the hook, the
// error model and the response metadata of every service method.
func TestDoUnknownOperation(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		auths []string
	)
	srv := newServer(t)
	srv.mux.HandleFunc("GET /public/v9/widgets", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		n := len(auths)
		mu.Unlock()
		check(t, r, want{method: "GET", path: "/public/v9/widgets", query: q("id", "1", "id", "2"), token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")})
		switch {
		case n == 1:
			respond(w, http.StatusServiceUnavailable, []byte(`{"data":null,"message":"try again"}`))
		case r.Header.Get("Authorization") != "Bearer token-2":
			respond(w, http.StatusUnauthorized, []byte(`{"data":null,"message":"Unauthorized"}`))
		default:
			w.Header().Set("X-Request-Id", "req-42")
			respond(w, http.StatusOK, []byte(`{"data":[{"id":1,"name":"one"},{"id":2,"name":"two"}],"message":"OK"}`))
		}
	})
	srv.mux.HandleFunc("GET /public/v9/gone", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-43")
		respond(w, http.StatusNotFound, []byte(`{"data":null,"message":"No such widget"}`))
	})
	src := &rotatingSource{}
	var log hookLog
	c, err := kick.NewClient(kick.WithAPIBaseURL(srv.URL), kick.WithUserTokenSource(src), fastRetries, kick.WithRequestHook(log.hook))
	if err != nil {
		t.Fatal(err)
	}

	req, err := c.NewRequest("GET", "/public/v9/widgets?id=1&id=2", nil)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"data"`
	}
	rsp, err := c.Do(context.Background(), req, &out)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Data) != 2 || out.Data[1].ID != 2 || out.Data[1].Name != "two" {
		t.Errorf("decoded %+v", out)
	}
	if rsp.StatusCode != http.StatusOK || rsp.Header.Get("X-Request-Id") != "req-42" || rsp.Operation != "GET /public/v9/widgets" || rsp.Attempts != 3 {
		t.Errorf("response = %+v", rsp)
	}
	// The 503 is retried with the same token; the 401 invalidates it and the request is replayed
	// once with the refreshed one.
	if diff := cmp.Diff([]string{"Bearer token-1", "Bearer token-1", "Bearer token-2"}, auths); diff != "" {
		t.Errorf("Authorization headers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"token-1"}, src.invalidated); diff != "" {
		t.Errorf("invalidated (-want +got):\n%s", diff)
	}
	want := []string{"GET /public/v9/widgets GET 503 #1", "GET /public/v9/widgets GET 401 #2", "GET /public/v9/widgets GET 200 #3"}
	if diff := cmp.Diff(want, log.summary()); diff != "" {
		t.Errorf("hook (-want +got):\n%s", diff)
	}

	// The error model: a 404 is an *APIError matching ErrNotFound, with the headers, and the
	// response metadata is there too.
	req, err = c.NewRequest("GET", "/public/v9/gone", nil)
	if err != nil {
		t.Fatal(err)
	}
	rsp, err = c.Do(context.Background(), req, nil)
	var ae *kick.APIError
	if !errors.As(err, &ae) || !errors.Is(err, kick.ErrNotFound) {
		t.Fatalf("err = %v, want a 404 *APIError", err)
	}
	if ae.Operation != "GET /public/v9/gone" || ae.Message != "No such widget" || ae.Method != http.MethodGet || ae.Header.Get("X-Request-Id") != "req-43" {
		t.Errorf("APIError = %+v", ae)
	}
	if rsp == nil || rsp.StatusCode != http.StatusNotFound || rsp.Header.Get("X-Request-Id") != "req-43" {
		t.Errorf("response with the error = %+v", rsp)
	}
}

// TestDoRateLimitAndPOSTReplay: a POST of an unknown operation is retried after a 429 with the
// same body, and a 429 asking for a long wait comes back at once as a *RateLimitError.
func TestDoRateLimitAndPOSTReplay(t *testing.T) {
	t.Parallel()
	var (
		mu     sync.Mutex
		bodies []string
	)
	srv := newServer(t)
	srv.mux.HandleFunc("POST /public/v9/widgets", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.Header.Get("Content-Type")+" "+string(b))
		n := len(bodies)
		mu.Unlock()
		if n == 1 {
			respond(w, http.StatusTooManyRequests, []byte(`{"data":null,"message":"slow down"}`))
			return
		}
		respond(w, http.StatusCreated, []byte(`{"data":{"id":7},"message":"Created"}`))
	})
	srv.mux.HandleFunc("GET /public/v9/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		respond(w, http.StatusTooManyRequests, []byte(`{"data":null,"message":"slow down"}`))
	})
	c, err := kick.NewClient(kick.WithAPIBaseURL(srv.URL), kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: appToken})), fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	req, err := c.NewRequest("POST", "/public/v9/widgets", map[string]any{"name": "new"})
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	rsp, err := c.Do(context.Background(), req, &out)
	if err != nil || out.Data.ID != 7 || rsp.StatusCode != http.StatusCreated || rsp.Attempts != 2 {
		t.Fatalf("Do = %+v, %+v, %v", rsp, out, err)
	}
	// Sending the same request again sends its body again.
	if _, err := c.Do(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	body := `application/json {"name":"new"}`
	if diff := cmp.Diff([]string{body, body, body}, bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}

	before := srv.requests.Load()
	req, _ = c.NewRequest("GET", "/public/v9/busy", nil)
	_, err = c.Do(context.Background(), req, nil)
	var rle *kick.RateLimitError
	if !errors.As(err, &rle) || rle.RetryAfter != 2*time.Minute || !errors.Is(err, kick.ErrRateLimited) {
		t.Fatalf("err = %v, want a *RateLimitError asking for 2m", err)
	}
	if n := srv.requests.Load() - before; n != 1 {
		t.Errorf("%d requests, want 1: a wait over a minute is not made", n)
	}
}

// TestDoKnownOperation: a request of an operation the SDK knows is that operation: its token
// kinds, its id, its checks of the answer.
func TestDoKnownOperation(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	var (
		mu        sync.Mutex
		lastToken string
	)
	srv.mux.HandleFunc("GET /public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("id") == "0" {
			respond(w, http.StatusOK, []byte(`{"data":null,"message":"OK"}`))
			return
		}
		mu.Lock()
		lastToken = r.Header.Get("Authorization")
		mu.Unlock()
		respond(w, http.StatusOK, fixture(t, "getUsers"))
	})
	srv.mux.HandleFunc("DELETE /public/v1/chat/{id}", func(w http.ResponseWriter, r *http.Request) {
		check(t, r, want{method: "DELETE", path: "/public/v1/chat/msg-1", token: userToken})
		w.WriteHeader(http.StatusNoContent)
	})
	ctx := context.Background()
	tests := []struct {
		name, method, path string
		opts               []kick.RequestOption
		wantOp, wantToken  string
	}{
		{"either kind prefers the user's", "GET", "/public/v1/users?id=1", nil, "getUsers", "Bearer " + userToken},
		{"WithTokenKind", "GET", "/public/v1/users?id=1", []kick.RequestOption{kick.WithTokenKind(kick.TokenKindApp)}, "getUsers", "Bearer " + appToken},
		{"WithoutToken", "GET", "/public/v1/users?id=1", []kick.RequestOption{kick.WithoutToken()}, "getUsers", ""},
		{"a path template", "DELETE", "/public/v1/chat/msg-1", nil, "deleteChatMessage", ""},
	}
	for _, tt := range tests {
		req, err := c.NewRequest(tt.method, tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		rsp, err := c.Do(ctx, req, nil, tt.opts...)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		mu.Lock()
		got := lastToken
		mu.Unlock()
		if rsp.Operation != tt.wantOp || (tt.method == http.MethodGet && got != tt.wantToken) {
			t.Errorf("%s: operation %q token %q, want %q and %q", tt.name, rsp.Operation, got, tt.wantOp, tt.wantToken)
		}
	}

	// The answer is checked as the operation's: getUsers documents data.
	req, _ := c.NewRequest("GET", "/public/v1/users?id=0", nil)
	if _, err := c.Do(ctx, req, nil); !errors.Is(err, kick.ErrUnexpectedResponse) || !strings.Contains(err.Error(), "getUsers") {
		t.Errorf("data null: %v, want ErrUnexpectedResponse of getUsers", err)
	}

	// A missing token is an error before anything is sent.
	appOnly, srv2 := setupWith(t, false, true)
	req, _ = appOnly.NewRequest("POST", "/public/v1/chat", map[string]string{"content": "hi", "type": "bot"})
	_, err := appOnly.Do(ctx, req, nil)
	var mte *kick.MissingTokenError
	if !errors.As(err, &mte) || mte.Operation != "sendChatMessage" {
		t.Errorf("err = %v, want a *MissingTokenError of sendChatMessage", err)
	}
	if n := srv2.requests.Load(); n != 0 {
		t.Errorf("%d requests sent without the token the operation needs", n)
	}
}

// TestDoTokenlessClient: an unknown operation goes without a token when the client has none, a
// chosen kind it lacks is an error, and a known operation still needs its token.
func TestDoTokenlessClient(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, false)
	srv.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		check(t, r, want{method: "GET", path: "/public/v9/open"})
		respond(w, http.StatusOK, []byte(`{"data":{},"message":"OK"}`))
	})
	ctx := context.Background()
	req, _ := c.NewRequest("GET", "/public/v9/open", nil)
	if _, err := c.Do(ctx, req, nil); err != nil {
		t.Errorf("tokenless unknown operation: %v", err)
	}
	if _, err := c.Do(ctx, req, nil, kick.WithTokenKind(kick.TokenKindApp)); !errors.Is(err, kick.ErrMissingToken) {
		t.Errorf("WithTokenKind(app) without an app source: %v, want ErrMissingToken", err)
	}
	req, _ = c.NewRequest("GET", "/public/v1/users?id=1", nil)
	if _, err := c.Do(ctx, req, nil); !errors.Is(err, kick.ErrMissingToken) {
		t.Errorf("getUsers without tokens: %v, want ErrMissingToken", err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestNewRequest: paths resolve against the API's or the OAuth server's base URL, bodies are
// encoded by kind, and a URL elsewhere is refused.
func TestNewRequest(t *testing.T) {
	t.Parallel()
	c, err := kick.NewClient(kick.WithAPIBaseURL("https://api.kick.example/prefix"), kick.WithOAuthBaseURL("https://id.kick.example"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		body         any
		url, ct      string
		payload      string
	}{
		{"GET", "/public/v1/users?id=1&id=2", nil, "https://api.kick.example/prefix/public/v1/users?id=1&id=2", "", ""},
		{"POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"}}, "https://id.kick.example/oauth/token", "application/x-www-form-urlencoded", "grant_type=client_credentials"},
		{"PATCH", "/public/v1/channels", map[string]any{"stream_title": "Hi <3"}, "https://api.kick.example/prefix/public/v1/channels", "application/json", `{"stream_title":"Hi \u003c3"}`},
		{"POST", "/public/v9/raw", []byte(`{"raw":true}`), "https://api.kick.example/prefix/public/v9/raw", "application/json", `{"raw":true}`},
		{"POST", "/public/v9/reader", strings.NewReader(`[1]`), "https://api.kick.example/prefix/public/v9/reader", "application/json", `[1]`},
		{"GET", "https://api.kick.example/prefix/public/v1/users", nil, "https://api.kick.example/prefix/public/v1/users", "", ""},
		{"POST", "https://id.kick.example/oauth/revoke?token=x", nil, "https://id.kick.example/oauth/revoke?token=x", "", ""},
	}
	for _, tt := range tests {
		req, err := c.NewRequest(tt.method, tt.path, tt.body)
		if err != nil {
			t.Errorf("%s %s: %v", tt.method, tt.path, err)
			continue
		}
		var payload []byte
		if req.Body != nil {
			payload, _ = io.ReadAll(req.Body)
		}
		if req.Method != tt.method || req.URL.String() != tt.url || req.Header.Get("Content-Type") != tt.ct ||
			string(payload) != tt.payload || req.Header.Get("Accept") != "application/json" {
			t.Errorf("%s %s: %s %s, Content-Type %q, body %q", tt.method, tt.path, req.Method, req.URL, req.Header.Get("Content-Type"), payload)
		}
		if tt.payload != "" && req.GetBody == nil {
			t.Errorf("%s %s: a body that cannot be sent again", tt.method, tt.path)
		}
	}
	for _, path := range []string{
		"public/v1/users", "//evil.example/x", "https://evil.example/public/v1/users",
		"https://api.kick.example/other/public/v1/users", "https://api.kick.example/prefixed/x",
		"http://api.kick.example/prefix/x", "/public/v1/users#frag", "https://user:pw@api.kick.example/prefix/x",
	} {
		_, err := c.NewRequest("GET", path, nil)
		var ve *kick.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, kick.ErrInvalidInput) {
			t.Errorf("NewRequest(%q) = %v, want a *ValidationError", path, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("NewRequest(%q): the error shows the password: %v", path, err)
		}
	}
	if _, err := c.NewRequest("GET", "/x", map[string]any{"f": func() {}}); err == nil {
		t.Error("a body JSON cannot encode: no error")
	}
	if _, err := c.NewRequest("BAD METHOD", "/x", nil); err == nil {
		t.Error("an invalid method: no error")
	}
}

// TestDoRefusesForeignURL: a request built by hand for another host is refused before sending,
// so no token goes there.
func TestDoRefusesForeignURL(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	other := newServer(t)
	req, _ := http.NewRequest(http.MethodGet, other.URL+"/public/v1/users?id=1", nil)
	if _, err := c.Do(context.Background(), req, nil); !errors.Is(err, kick.ErrInvalidInput) {
		t.Errorf("Do to another host: %v, want ErrInvalidInput", err)
	}
	if _, err := c.BareDo(context.Background(), req); !errors.Is(err, kick.ErrInvalidInput) {
		t.Errorf("BareDo to another host: %v, want ErrInvalidInput", err)
	}
	if _, err := c.Do(context.Background(), nil, nil); !errors.Is(err, kick.ErrInvalidInput) {
		t.Errorf("Do(nil): %v, want ErrInvalidInput", err)
	}
	if n := other.requests.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}

// TestDoDecodesIntoWriter: an io.Writer gets the body as Kick sent it; an empty body leaves v as
// it was; a body that is not JSON is ErrUnexpectedResponse.
func TestDoDecodesIntoWriter(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v9/raw", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusOK, []byte(`{"data": "\u0026"}`))
	})
	srv.mux.HandleFunc("/public/v9/empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	srv.mux.HandleFunc("/public/v9/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>hi</html>")
	})
	ctx := context.Background()
	var b strings.Builder
	req, _ := c.NewRequest("GET", "/public/v9/raw", nil)
	if _, err := c.Do(ctx, req, &b); err != nil || b.String() != `{"data": "\u0026"}` {
		t.Errorf("io.Writer got %q, %v", b.String(), err)
	}
	v := map[string]any{"kept": true}
	req, _ = c.NewRequest("GET", "/public/v9/empty", nil)
	if rsp, err := c.Do(ctx, req, &v); err != nil || rsp.StatusCode != http.StatusNoContent || v["kept"] != true {
		t.Errorf("empty body: %+v, %v, %v", rsp, v, err)
	}
	req, _ = c.NewRequest("GET", "/public/v9/html", nil)
	if _, err := c.Do(ctx, req, &v); !errors.Is(err, kick.ErrUnexpectedResponse) {
		t.Errorf("HTML body: %v, want ErrUnexpectedResponse", err)
	}
}

// TestDoRedactsConnectionErrors: a connection error names the URL without its secrets.
func TestDoRedactsConnectionErrors(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now
	c, err := kick.NewClient(kick.WithAPIBaseURL("http://"+addr), kick.WithOAuthBaseURL("http://"+addr), kick.WithRetryPolicy(kick.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := c.NewRequest("POST", "/oauth/revoke?token=very-secret-token&token_hint_type=access_token", nil)
	_, err = c.Do(context.Background(), req, nil)
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want a *url.Error", err)
	}
	if strings.Contains(err.Error(), "very-secret-token") || !strings.Contains(err.Error(), "revokeToken") {
		t.Errorf("err = %v, want revokeToken's error without the token", err)
	}
}

// TestDoRateLimiter: Do waits for the client's rate limiter like every call, and the wait ends
// with the context.
func TestDoRateLimiter(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithRateLimit(0.001, 1))
	srv.mux.HandleFunc("/public/v9/x", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusOK, []byte(`{}`))
	})
	req, _ := c.NewRequest("GET", "/public/v9/x", nil)
	if _, err := c.Do(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Do(ctx, req, nil); err == nil {
		t.Error("a second request within the limit's interval: no error")
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1: the limiter held the second", n)
	}
}

// TestBareDo: the response comes back unread, without the token in its Request, bounded by the
// client's size limit; an error answer is an *APIError, with the response, its body read.
func TestBareDo(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithMaxResponseBytes(16), kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.mux.HandleFunc("/public/v9/small", func(w http.ResponseWriter, r *http.Request) {
		check(t, r, want{method: "GET", path: "/public/v9/small", token: userToken})
		respond(w, http.StatusOK, []byte(`{"data":1}`))
	})
	srv.mux.HandleFunc("/public/v9/large", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusOK, []byte(`{"data":"`+strings.Repeat("x", 64)+`"}`))
	})
	srv.mux.HandleFunc("/public/v9/denied", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusForbidden, []byte(`{"data":null,"message":"Forbidden"}`))
	})
	ctx := context.Background()
	req, _ := c.NewRequest("GET", "/public/v9/small", nil)
	rsp, err := c.BareDo(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rsp.Body)
	_ = rsp.Body.Close()
	if err != nil || string(b) != `{"data":1}` || rsp.StatusCode != http.StatusOK {
		t.Errorf("body %q, %v, status %d", b, err, rsp.StatusCode)
	}
	if rsp.Request != req || rsp.Request.Header.Get("Authorization") != "" {
		t.Errorf("the response's Request is not the caller's, or carries the token")
	}

	req, _ = c.NewRequest("GET", "/public/v9/large", nil)
	rsp, err = c.BareDo(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	b, err = io.ReadAll(rsp.Body)
	_ = rsp.Body.Close()
	if !errors.Is(err, kick.ErrResponseTooLarge) || len(b) != 16 {
		t.Errorf("read %d bytes, %v; want 16 and ErrResponseTooLarge", len(b), err)
	}

	req, _ = c.NewRequest("GET", "/public/v9/denied", nil)
	rsp, err = c.BareDo(ctx, req)
	var ae *kick.APIError
	if !errors.As(err, &ae) || !errors.Is(err, kick.ErrForbidden) || ae.Message != "Forbidden" {
		t.Fatalf("BareDo of a 403: %v, want a 403 *APIError", err)
	}
	if rsp == nil || rsp.StatusCode != http.StatusForbidden || rsp.Request != req {
		t.Fatalf("BareDo of a 403: response %+v", rsp)
	}
	if b, err := io.ReadAll(rsp.Body); len(b) != 0 || err != nil {
		t.Errorf("the body of an error answer: %q, %v; want it read into the error", b, err)
	}
}

// TestWithResponse: a service method reports the answer's status and headers, also with an error.
func TestWithResponse(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("CF-Ray", "ray-"+r.URL.Query().Get("id"))
		if r.URL.Query().Get("id") == "2" {
			respond(w, http.StatusNotFound, []byte(`{"data":null,"message":"Not Found"}`))
			return
		}
		respond(w, http.StatusOK, fixture(t, "getUsers"))
	})
	ctx := context.Background()
	var rsp kick.Response
	if _, err := c.Users.Get(ctx, []int64{1}, kick.WithResponse(&rsp)); err != nil {
		t.Fatal(err)
	}
	if rsp.StatusCode != http.StatusOK || rsp.Header.Get("CF-Ray") != "ray-1" || rsp.Operation != "getUsers" || rsp.Attempts != 1 {
		t.Errorf("response = %+v", rsp)
	}
	var failed kick.Response
	if _, err := c.Users.Get(ctx, []int64{2}, kick.WithResponse(&failed)); !errors.Is(err, kick.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	if failed.StatusCode != http.StatusNotFound || failed.Header.Get("CF-Ray") != "ray-2" {
		t.Errorf("response with the error = %+v", failed)
	}
	untouched := kick.Response{StatusCode: -1}
	if _, err := c.Users.Get(ctx, []int64{-5}, kick.WithResponse(&untouched)); !errors.Is(err, kick.ErrInvalidInput) || untouched.StatusCode != -1 {
		t.Errorf("a validation error: %v, response %+v", err, untouched)
	}
}

// TestAPIErrorHeaderRedacted: the headers an *APIError keeps have the call's credentials
// redacted, as its body has.
func TestAPIErrorHeaderRedacted(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		respond(w, http.StatusBadRequest, []byte(`{"data":null,"message":"bad"}`))
	})
	_, err := c.Users.Get(context.Background(), []int64{1})
	var ae *kick.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	if got := ae.Header.Get("X-Echo"); got == "" || strings.Contains(got, userToken) {
		t.Errorf("X-Echo = %q, want it kept with the token redacted", got)
	}
}

// TestDoHeaders: the caller's headers and User-Agent are sent, the client's token replaces an
// Authorization the request carries, and the caller's request is left as it was.
func TestDoHeaders(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.Header.Get("User-Agent") != "custom/1" || r.Header.Get("X-Custom") != "yes" ||
			r.Header.Get("Authorization") != "Bearer "+userToken {
			t.Errorf("request %s with headers %v", r.URL.Path, r.Header)
		}
		respond(w, http.StatusOK, []byte(`{}`))
	})
	req, err := c.NewRequest(http.MethodGet, srv.URL, nil) // the base URL itself
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "custom/1")
	req.Header.Set("X-Custom", "yes")
	req.Header.Set("Authorization", "Bearer caller")
	rsp, err := c.Do(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rsp.Operation != "GET /" {
		t.Errorf("operation %q, want \"GET /\"", rsp.Operation)
	}
	if req.Header.Get("Authorization") != "Bearer caller" || req.Header.Get("User-Agent") != "custom/1" {
		t.Errorf("Do changed the caller's request: %v", req.Header)
	}
}

// TestDoRedactsCallerCredentials: a token the caller put in the request (sent with WithoutToken)
// is redacted like the client's from what the server echoes, in the error and in the headers.
func TestDoRedactsCallerCredentials(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	const own = "callers-own-token-0123456789"
	srv.mux.HandleFunc("/public/v9/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		respond(w, http.StatusUnauthorized, []byte(`{"data":null,"message":"bad token `+own+`"}`))
	})
	req, _ := c.NewRequest(http.MethodGet, "/public/v9/echo", nil)
	req.Header.Set("Authorization", "Bearer "+own)
	rsp, err := c.Do(context.Background(), req, nil, kick.WithoutToken())
	var ae *kick.APIError
	if !errors.As(err, &ae) || !errors.Is(err, kick.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %s", err, ae, ae.Body), own) || strings.Contains(ae.Header.Get("X-Echo"), own) ||
		strings.Contains(rsp.Header.Get("X-Echo"), own) {
		t.Errorf("the caller's token shows: %v, headers %v and %v", err, ae.Header, rsp.Header)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1: no replay without the client's token", n)
	}
}
