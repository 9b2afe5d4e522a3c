package kick_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

func TestNewClientRejectsBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  kick.Option
		want string
	}{
		{"nil option", nil, "nil option"},
		{"nil HTTP client", kick.WithHTTPClient(nil), "nil client"},
		{"base URL scheme", kick.WithAPIBaseURL("ftp://api.kick.com"), "not an http or https URL"},
		{"base URL unparsable", kick.WithAPIBaseURL("http://[::1"), "WithAPIBaseURL"},
		{"base URL no host", kick.WithAPIBaseURL("https://"), "no host"},
		{"base URL query", kick.WithAPIBaseURL("https://api.kick.com?x=1"), "may not carry a query"},
		{"OAuth URL relative", kick.WithOAuthBaseURL("/oauth"), "WithOAuthBaseURL"},
		{"empty User-Agent", kick.WithUserAgent(" "), "empty User-Agent"},
		{"User-Agent newline", kick.WithUserAgent("bot\r\nX-Evil: 1"), "line break"},
		{"nil user tokens", kick.WithUserTokenSource(nil), "nil token source"},
		{"nil app tokens", kick.WithAppTokenSource(nil), "nil token source"},
		{"nil logger", kick.WithLogger(nil), "nil logger"},
		{"nil hook", kick.WithRequestHook(nil), "nil function"},
		{"negative retries", kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: -1}), "negative"},
		{"too many retries", kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: 11, MinBackoff: time.Second, MaxBackoff: time.Second}), "over 10"},
		{"zero backoff", kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: 1}), "MinBackoff is zero"},
		{"inverted backoff", kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: 1, MinBackoff: time.Second, MaxBackoff: time.Millisecond}), "below MinBackoff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := kick.NewClient(tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewClient = %v, %v; want an error containing %q", c, err, tt.want)
			}
		})
	}
	if _, err := kick.NewClient(kick.WithRetryPolicy(kick.RetryPolicy{})); err != nil {
		t.Errorf("a zero retry policy (no retries) is valid: %v", err)
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.handle(t, "/kick/public/v1/users", want{method: "GET", path: "/kick/public/v1/users", query: q("id", "1"), token: appToken}, fixture(t, "getUsers"))
	c, err := kick.NewClient(
		kick.WithAPIBaseURL(srv.URL+"/kick/"),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: appToken})),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(context.Background(), []int64{1}); err != nil {
		t.Fatal(err)
	}
}

func TestCustomUserAgent(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithUserAgent("my-bot/1.0 (+https://example.com)"))
	srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("User-Agent"); got != "my-bot/1.0 (+https://example.com)" {
			t.Errorf("User-Agent = %q", got)
		}
		respond(w, http.StatusOK, fixture(t, "getUsers"))
	})
	if _, err := c.Users.Get(context.Background(), []int64{1}); err != nil {
		t.Fatal(err)
	}
}

// failingSource is a token source that always fails.
type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) { return nil, errors.New("token endpoint down") }

func TestTokenSourceErrorSendsNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, err := kick.NewClient(kick.WithAPIBaseURL(srv.URL), kick.WithAppTokenSource(failingSource{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Get(context.Background(), []int64{1})
	if err == nil || !strings.Contains(err.Error(), "token endpoint down") || !strings.Contains(err.Error(), "getUsers") {
		t.Errorf("err = %v", err)
	}
	noRequest(t, srv)
}

func apiError(t *testing.T, status int, contentType, body string) *kick.APIError {
	t.Helper()
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
	_, err := c.Users.Get(context.Background(), []int64{1})
	var ae *kick.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if !strings.HasPrefix(ae.URL, srv.URL+"/public/v1/users?id=1") {
		t.Errorf("URL = %q", ae.URL)
	}
	return ae
}

func TestCloudflareHTMLPage(t *testing.T) {
	t.Parallel()
	page := `<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>` +
		`<body><h1>Sorry, you have been blocked</h1>` + strings.Repeat("<p>filler</p>", 1000) + `</body></html>`
	ae := apiError(t, http.StatusForbidden, "text/html; charset=UTF-8", page)
	if ae.Message != "blocked by Kick's Cloudflare edge: Attention Required! | Cloudflare" {
		t.Errorf("Message = %q", ae.Message)
	}
	if !errors.Is(ae, kick.ErrForbidden) {
		t.Error("not ErrForbidden")
	}
	if len(ae.Body) != 4096 {
		t.Errorf("kept %d bytes of the body, want the first 4096", len(ae.Body))
	}
	if strings.Contains(ae.Error(), "<") {
		t.Errorf("Error() carries HTML: %q", ae.Error())
	}
}

func TestCloudflareJSONBlock(t *testing.T) {
	t.Parallel()
	ae := apiError(t, http.StatusForbidden, "application/json", `{"error":"Request blocked by security policy.","reference":"8a1b2c3d4e"}`)
	if ae.OAuthError != "Request blocked by security policy." || ae.Message != "" {
		t.Errorf("error = %+v", ae)
	}
	want := "kick: GET " + ae.URL + ": 403 Forbidden: Request blocked by security policy."
	if ae.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", ae.Error(), want)
	}
}

func TestOAuthErrorBody(t *testing.T) {
	t.Parallel()
	ae := apiError(t, http.StatusBadRequest, "application/json", `{"error":"invalid_grant","error_description":"The refresh token is expired."}`)
	if ae.OAuthError != "invalid_grant" || ae.OAuthErrorDescription != "The refresh token is expired." {
		t.Errorf("error = %+v", ae)
	}
	if !strings.HasSuffix(ae.Error(), ": 400 Bad Request: invalid_grant: The refresh token is expired.") {
		t.Errorf("Error() = %q", ae.Error())
	}
}

func TestPlainTextErrorBody(t *testing.T) {
	t.Parallel()
	ae := apiError(t, http.StatusBadGateway, "text/plain", "upstream connect error\nsecond line")
	if ae.Message != "upstream connect error" || !errors.Is(ae, kick.ErrServer) {
		t.Errorf("error = %+v", ae)
	}
}

func TestUnexpectedSuccessBody(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ ct, body string }{
		"HTML":       {"text/html", "<html>maintenance</html>"},
		"broken":     {"application/json", `{"data":[{"user_id":"x"`},
		"wrong type": {"application/json", `{"data":[{"user_id":"not a number","name":"a","profile_picture":""}],"message":"OK"}`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ct)
				_, _ = w.Write([]byte(tc.body))
			})
			_, err := c.Users.Get(context.Background(), []int64{1})
			if !errors.Is(err, kick.ErrUnexpectedResponse) {
				t.Errorf("err = %v, want ErrUnexpectedResponse", err)
			}
		})
	}
}

// TestTolerantDecoding: new fields and nulls in Kick's answers do not break decoding.
func TestTolerantDecoding(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusOK, []byte(`{"data":[{"user_id":1,"name":"a","email":null,"profile_picture":"p","new_field":{"x":[1]}}],"message":"OK","extra":true}`))
	})
	got, err := c.Users.Get(context.Background(), []int64{1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]kick.User{{UserID: 1, Username: "a", ProfilePicture: "p"}}, got); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
}

func TestLoggerAndHook(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	var infos []kick.RequestInfo
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, srv := setup(t, kick.WithLogger(logger), kick.WithRequestHook(func(ri kick.RequestInfo) {
		mu.Lock()
		infos = append(infos, ri)
		mu.Unlock()
	}), kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.handle(t, "/public/v1/users", want{method: "GET", path: "/public/v1/users", query: q("id", "7"), token: userToken}, fixture(t, "getUsers"))
	if _, err := c.Users.Get(context.Background(), []int64{7}); err != nil {
		t.Fatal(err)
	}
	want := []kick.RequestInfo{{Operation: "getUsers", Method: "GET", URL: srv.URL + "/public/v1/users?id=7", StatusCode: 200, Attempt: 1}}
	if diff := cmp.Diff(want, infos, cmpopts.IgnoreFields(kick.RequestInfo{}, "Duration")); diff != "" {
		t.Errorf("hook (-want +got):\n%s", diff)
	}
	var entry map[string]any
	if err := json.Unmarshal(buf.Bytes(), &entry); err != nil {
		t.Fatalf("log %q: %v", buf.String(), err)
	}
	for k, v := range map[string]any{"msg": "kick request", "level": "DEBUG", "operation": "getUsers", "method": "GET", "status": 200.0, "attempt": 1.0} {
		if entry[k] != v {
			t.Errorf("log %s = %v, want %v", k, entry[k], v)
		}
	}
	if strings.Contains(buf.String(), userToken) {
		t.Errorf("the log contains the token: %s", buf.String())
	}
}
