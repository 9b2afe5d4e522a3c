package kick_test

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
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// stubAnswer is a RoundTripper that answers every request with the same response, without a
// network: the client's view of whatever a server may send.
type stubAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a stubAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: a.status, Status: fmt.Sprintf("%d %s", a.status, http.StatusText(a.status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: a.header.Clone(), Body: io.NopCloser(bytes.NewReader(a.body)), ContentLength: -1, Request: r,
	}, nil
}

// stubClient is a client with both token kinds whose every request gets rt's answer.
func stubClient(t testing.TB, rt http.RoundTripper, opts ...kick.Option) *kick.Client {
	t.Helper()
	base := []kick.Option{
		kick.WithAPIBaseURL("http://api.kick.invalid"),
		kick.WithOAuthBaseURL("http://id.kick.invalid"),
		kick.WithHTTPClient(&http.Client{Transport: rt}),
		kick.WithRetryPolicy(kick.RetryPolicy{}),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: userToken})),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: appToken})),
	}
	c, err := kick.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// specIdentifying returns, per operation id of openapi/kick.yaml, the keys that identify its
// success answer (the x-kick-identifying of the answer's schema, such as "data"); none for an
// operation whose answer nothing identifies.
func specIdentifying(t testing.TB) map[string][]string {
	t.Helper()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			out[op.OperationID] = nil
			for code, rsp := range op.Responses.Map() {
				if !strings.HasPrefix(code, "2") {
					continue
				}
				for _, mt := range rsp.Value.Content {
					keys, _ := mt.Schema.Value.Extensions["x-kick-identifying"].([]any)
					for _, k := range keys {
						out[op.OperationID] = append(out[op.OperationID], k.(string))
					}
				}
			}
		}
	}
	return out
}

// TestOperationsCoverTheSpec: the operations table, which the tests below and FuzzResponses run,
// calls every operation of the spec.
func TestOperationsCoverTheSpec(t *testing.T) {
	t.Parallel()
	var spec, called []string
	for id := range specIdentifying(t) {
		spec = append(spec, id)
	}
	for _, op := range operations {
		if !slices.Contains(called, op.id) {
			called = append(called, op.id)
		}
	}
	slices.Sort(spec)
	slices.Sort(called)
	if !slices.Equal(spec, called) {
		t.Errorf("operations calls %v, the spec has %v", called, spec)
	}
}

// TestEmptySuccessAnswerIsAnError: an operation whose answer is identified by its "data" fails
// with ErrUnexpectedResponse when a 200 answer has none, rather than returning zero values as
// success (a caller who retried a "sent: false" chat message would post it twice).
func TestEmptySuccessAnswerIsAnError(t *testing.T) {
	t.Parallel()
	identifying := specIdentifying(t)
	n := 0
	for _, op := range operations {
		if !slices.Contains(identifying[op.id], "data") {
			continue
		}
		n++
		for _, body := range []string{`{"data":null,"message":"OK"}`, `{"message":"OK"}`, `{}`, `null`, ` {"DATA" : null} `} {
			c := stubClient(t, stubAnswer{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(body)})
			got, err := op.call(context.Background(), c)
			if !errors.Is(err, kick.ErrUnexpectedResponse) {
				t.Errorf("%s answered 200 %s: got %+v, %v; want an error wrapping ErrUnexpectedResponse", op.name, body, got, err)
			}
		}
	}
	if n < 25 {
		t.Errorf("only %d operations require data", n)
	}
}

// TestEmptyListIsNotAnError: data that is present but empty is an answer.
func TestEmptyListIsNotAnError(t *testing.T) {
	t.Parallel()
	c := stubClient(t, stubAnswer{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"data":[],"message":"OK"}`)})
	users, err := c.Users.Get(context.Background(), []int64{1})
	if err != nil || len(users) != 0 {
		t.Errorf("Users.Get = %v, %v; want no users and no error", users, err)
	}
	c = stubClient(t, stubAnswer{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"data":{},"message":"OK"}`)})
	if err := c.Moderation.Unban(context.Background(), 1, 2); err != nil {
		t.Errorf("Unban answered {} data: %v", err)
	}
}

// recorder is a server that records what reaches it.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // "METHOD host/path authorization body"
}

func newRecorder(t *testing.T, handler http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.seen = append(rec.seen, fmt.Sprintf("%s %s%s %q %s", r.Method, r.Host, r.URL.Path, r.Header.Get("Authorization"), body))
		rec.mu.Unlock()
		if handler != nil {
			handler(w, r)
		}
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) requests() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.seen)
}

// TestRedirectsCarryNoCredentials: a redirect to another host ("localhost" instead of
// "127.0.0.1" is one) is not followed, so neither the token nor the client secret nor a chat
// message goes there; a redirect of a POST is not followed even on the same host.
func TestRedirectsCarryNoCredentials(t *testing.T) {
	t.Parallel()
	const secret = "client-secret-value"
	tests := []struct {
		name     string
		status   int
		location func(api, other string) string // the redirect target
		call     func(c *kick.Client) error
	}{
		{"GET to another server", http.StatusFound, func(_, other string) string { return other + "/public/v1/users?id=1" },
			func(c *kick.Client) error { _, err := c.Users.Get(context.Background(), []int64{1}); return err }},
		{"GET to localhost", http.StatusTemporaryRedirect, func(api, _ string) string {
			return strings.Replace(api, "127.0.0.1", "localhost", 1) + "/elsewhere"
		}, func(c *kick.Client) error { _, err := c.Users.Get(context.Background(), []int64{1}); return err }},
		{"unauthenticated GET to another server", http.StatusFound, func(_, other string) string { return other + "/x" },
			func(c *kick.Client) error { _, err := c.PublicKey.Get(context.Background()); return err }},
		{"chat POST 307 to another server", http.StatusTemporaryRedirect, func(_, other string) string { return other + "/public/v1/chat" },
			func(c *kick.Client) error {
				_, err := c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "private words"})
				return err
			}},
		{"chat POST 307 on the same host", http.StatusTemporaryRedirect, func(api, _ string) string { return api + "/elsewhere" },
			func(c *kick.Client) error {
				_, err := c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "private words"})
				return err
			}},
		{"chat POST 302 on the same host", http.StatusFound, func(api, _ string) string { return api + "/elsewhere" },
			func(c *kick.Client) error {
				_, err := c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "private words"})
				return err
			}},
		{"token request 308 to another server", http.StatusPermanentRedirect, func(_, other string) string { return other + "/oauth/token" },
			func(c *kick.Client) error {
				_, err := c.Tokens.Request(context.Background(), kick.TokenRequestParams{GrantType: kick.GrantClientCredentials, ClientID: "id", ClientSecret: secret})
				return err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			other := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) { respond(w, 200, fixture(t, "getUsers")) })
			var api *recorder
			api = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/elsewhere" || r.Host != strings.TrimPrefix(api.URL, "http://") {
					respond(w, 200, fixture(t, "sendChatMessage"))
					return
				}
				http.Redirect(w, r, tt.location(api.URL, other.URL), tt.status)
			})
			c, err := kick.NewClient(kick.WithAPIBaseURL(api.URL), kick.WithOAuthBaseURL(api.URL),
				kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: userToken})))
			if err != nil {
				t.Fatal(err)
			}
			err = tt.call(c)
			if !errors.Is(err, kick.ErrRedirect) {
				t.Errorf("err = %v, want one matching ErrRedirect", err)
			}
			var re *kick.RedirectError
			if !errors.As(err, &re) || re.StatusCode != tt.status {
				t.Errorf("err = %#v, want a *RedirectError of status %d", err, tt.status)
			}
			if got := other.requests(); len(got) > 0 {
				t.Errorf("the redirect target got %q", got)
			}
			if got := api.requests(); len(got) != 1 {
				t.Errorf("the API got %q, want the first request alone", got)
			}
			for _, s := range []string{userToken, secret} {
				if err != nil && strings.Contains(err.Error(), s) {
					t.Errorf("error %q holds %q", err, s)
				}
			}
		})
	}
}

// TestSameHostRedirectOfGETFollowed: a GET redirected within the API's host is followed, with the
// token.
func TestSameHostRedirectOfGETFollowed(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved/users?"+r.URL.RawQuery, http.StatusMovedPermanently)
	})
	srv.handle(t, "/moved/users", want{method: "GET", path: "/moved/users", query: q("id", "7"), token: userToken}, fixture(t, "getUsers"))
	if _, err := c.Users.Get(context.Background(), []int64{7}); err != nil {
		t.Fatal(err)
	}
}

// echoForms are the forms in which a server may echo a credential the client sent.
func echoForms(secret string) map[string]string {
	return map[string]string{
		"raw":            secret,
		"query-escaped":  url.QueryEscape(secret),
		"path-escaped":   url.PathEscape(secret),
		"lower-case hex": lowerHex(url.QueryEscape(secret)),
		"JSON-escaped":   strings.ReplaceAll(secret, "/", `\/`), // PHP's json_encode escapes slashes
		// JSON's \u escapes: of what is not a letter or a digit (\u002B for '+'), in upper- and
		// lower-case hex, and of every character.
		`JSON \u-escaped`:       jsonUnicodeEscape(secret, false, "%04X"),
		`JSON \u-escaped lower`: jsonUnicodeEscape(secret, false, "%04x"),
		`JSON all \u-escaped`:   jsonUnicodeEscape(secret, true, "%04x"),
	}
}

// jsonUnicodeEscape writes s's characters as JSON \u escapes in the hex format, all of them or
// only those that are not ASCII letters or digits.
func jsonUnicodeEscape(s string, all bool, format string) string {
	var b strings.Builder
	for _, r := range s {
		if !all && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
			continue
		}
		b.WriteString(`\u` + fmt.Sprintf(format, r))
	}
	return b.String()
}

// lowerHex writes the hex digits of s's percent-escapes in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = bytes.ToLower(b[i+1 : i+2])[0], bytes.ToLower(b[i+2 : i+3])[0]
		}
	}
	return string(b)
}

// leaks returns the secrets, in any of their echo forms, found in s.
func leaks(s string, secrets ...string) []string {
	var found []string
	for _, secret := range secrets {
		for name, form := range echoForms(secret) {
			if strings.Contains(s, form) {
				found = append(found, name+" "+form)
			}
		}
	}
	return found
}

// TestEchoedCredentialsAreScrubbed: a server that echoes what the client sent, in any usual
// encoding, does not get the token, the client secret, the refresh token, the code or the
// verifier into an *APIError (Message, Body, Error) or the logs.
func TestEchoedCredentialsAreScrubbed(t *testing.T) {
	t.Parallel()
	const (
		bearer   = "tok+/=Zx9-access.value~1"
		secret   = "cs+/=client-secret-value"
		refresh  = "rt+/=refresh-token-value"
		code     = "code+/=authorization-code"
		verifier = "verifier-0123456789-0123456789-0123456789-abcdef"
	)
	all := []string{bearer, secret, refresh, code, verifier}
	for name, form := range echoForms(bearer) {
		t.Run("bearer "+name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			c, srv := setup(t, kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer})),
				kick.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
				respond(w, 401, []byte(`{"data":null,"message":"Unauthenticated: Bearer `+form+`"}`))
			})
			_, err := c.Users.Get(context.Background(), []int64{1})
			var ae *kick.APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized || !strings.Contains(ae.Message, "Unauthenticated: Bearer ") {
				t.Fatalf("err = %v, want the 401 *APIError", err)
			}
			for where, s := range map[string]string{"Error": err.Error(), "Message": ae.Message, "Body": string(ae.Body), "%+v": fmt.Sprintf("%+v", ae), "log": logs.String()} {
				if l := leaks(s, all...); len(l) > 0 {
					t.Errorf("%s holds %v: %s", where, l, s)
				}
			}
		})
	}
	for name, form := range echoForms(secret) {
		t.Run("token request "+name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				desc := fmt.Sprintf("bad client_secret %s for %s, %s, %s; form: %s", form,
					echoForms(r.PostForm.Get("refresh_token"))[name], echoForms(r.PostForm.Get("code"))[name],
					echoForms(r.PostForm.Get("code_verifier"))[name], r.PostForm.Encode())
				b, _ := json.Marshal(map[string]string{"error": "invalid_client " + form, "error_description": desc, "message": desc})
				respond(w, 401, b)
			})
			for _, req := range []kick.TokenRequestParams{
				{GrantType: kick.GrantRefreshToken, ClientID: "id", ClientSecret: secret, RefreshToken: refresh},
				{GrantType: kick.GrantAuthorizationCode, ClientID: "id", ClientSecret: secret, Code: code, CodeVerifier: verifier, RedirectURI: "http://localhost/cb"},
			} {
				_, err := c.Tokens.Request(context.Background(), req)
				var ae *kick.APIError
				if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized || ae.OAuthErrorDescription == "" {
					t.Fatalf("err = %v, want the 401 *APIError", err)
				}
				for where, s := range map[string]string{"Error": err.Error(), "Message": ae.Message, "OAuthError": ae.OAuthError,
					"OAuthErrorDescription": ae.OAuthErrorDescription, "Body": string(ae.Body)} {
					if l := leaks(s, all...); len(l) > 0 {
						t.Errorf("%s %s holds %v: %s", req.GrantType, where, l, s)
					}
				}
			}
		})
	}
	t.Run("cut at the end of the kept body", func(t *testing.T) {
		t.Parallel()
		c, srv := setup(t, kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer})))
		srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
			respond(w, 500, []byte(strings.Repeat("x", 4<<10-8)+bearer+strings.Repeat("y", 100)))
		})
		_, err := c.Users.Get(context.Background(), []int64{1})
		var ae *kick.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("err = %v", err)
		}
		if bytes.Contains(ae.Body, []byte(bearer[:6])) || len(ae.Body) > 4<<10 {
			t.Errorf("Body (%d bytes) ends with %q", len(ae.Body), ae.Body[len(ae.Body)-16:])
		}
	})
	t.Run("Content-Type of a success answer", func(t *testing.T) {
		t.Parallel()
		c, srv := setup(t, kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer})))
		for _, path := range []string{"/public/v1/users", "/public/v1/chat"} {
			srv.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; echo="+r.Header.Get("Authorization"))
				_, _ = w.Write([]byte("<html></html>"))
			})
		}
		_, err := c.Users.Get(context.Background(), []int64{1})
		_, err2 := c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hi"})
		for _, err := range []error{err, err2} {
			if !errors.Is(err, kick.ErrUnexpectedResponse) {
				t.Fatalf("err = %v, want ErrUnexpectedResponse", err)
			}
			if l := leaks(err.Error(), bearer); len(l) > 0 {
				t.Errorf("error holds %v: %v", l, err)
			}
		}
	})
	t.Run("same-host redirect target", func(t *testing.T) {
		t.Parallel()
		var logs bytes.Buffer
		var mu sync.Mutex
		var urls []string
		c, srv := setup(t, kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer})),
			kick.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
			kick.WithRequestHook(func(ri kick.RequestInfo) { mu.Lock(); urls = append(urls, ri.URL); mu.Unlock() }))
		srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/echo/"+url.PathEscape(bearer), http.StatusFound)
		})
		srv.mux.HandleFunc("/echo/", func(w http.ResponseWriter, r *http.Request) {
			respond(w, 404, []byte(`{"message":"no such page"}`))
		})
		_, err := c.Users.Get(context.Background(), []int64{1})
		var ae *kick.APIError
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
			t.Fatalf("err = %v, want the 404 of the redirect's target", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(urls) != 2 {
			t.Errorf("hook saw %q, want 2 requests", urls)
		}
		for where, s := range map[string]string{"Error": err.Error(), "URL": ae.URL, "log": logs.String(), "hook": strings.Join(urls, " ")} {
			if l := leaks(s, bearer); len(l) > 0 {
				t.Errorf("%s holds %v: %s", where, l, s)
			}
		}
	})
	t.Run("redirect target", func(t *testing.T) {
		t.Parallel()
		var logs bytes.Buffer
		c, srv := setup(t, kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer})),
			kick.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "http://127.0.0.1:9/?t="+url.QueryEscape(bearer)+"&token="+url.QueryEscape(bearer))
			w.WriteHeader(http.StatusFound)
		})
		_, err := c.Users.Get(context.Background(), []int64{1})
		if !errors.Is(err, kick.ErrRedirect) {
			t.Fatalf("err = %v, want ErrRedirect", err)
		}
		for where, s := range map[string]string{"Error": err.Error(), "%#v": fmt.Sprintf("%#v", err), "log": logs.String()} {
			if l := leaks(s, bearer); len(l) > 0 {
				t.Errorf("%s holds %v: %s", where, l, s)
			}
		}
	})
}

// TestSuccessBodyIsCapped: a success answer larger than the limit is an error matching
// ErrResponseTooLarge (and ErrUnexpectedResponse), not read whole; the default limit is far
// above Kick's largest page.
func TestSuccessBodyIsCapped(t *testing.T) {
	t.Parallel()
	huge := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"message":"OK","data":[`)
		user := []byte(`{"user_id":1,"name":"a","profile_picture":"p"},`)
		for n := 0; n <= kick.DefaultMaxResponseBytes; n += len(user) {
			if _, err := w.Write(user); err != nil {
				return // the client hung up: it read enough
			}
		}
		_, _ = io.WriteString(w, `{"user_id":1,"name":"a","profile_picture":"p"}]}`)
	}
	t.Run("default", func(t *testing.T) {
		t.Parallel()
		c, srv := setup(t)
		srv.mux.HandleFunc("/public/v1/users", huge)
		users, err := c.Users.Get(context.Background(), []int64{1})
		if !errors.Is(err, kick.ErrResponseTooLarge) || !errors.Is(err, kick.ErrUnexpectedResponse) {
			t.Errorf("got %d users, err %v; want ErrResponseTooLarge", len(users), err)
		}
	})
	t.Run("option", func(t *testing.T) {
		t.Parallel()
		body := fixture(t, "getChannels")
		for _, limit := range []int64{int64(len(body)) - 1, int64(len(body))} {
			c, srv := setup(t, kick.WithMaxResponseBytes(limit))
			srv.mux.HandleFunc("/public/v1/channels", func(w http.ResponseWriter, _ *http.Request) { respond(w, 200, body) })
			_, err := c.Channels.Get(context.Background(), []int64{1})
			if tooLarge := limit < int64(len(body)); errors.Is(err, kick.ErrResponseTooLarge) != tooLarge || (!tooLarge && err != nil) {
				t.Errorf("limit %d, body %d: err %v", limit, len(body), err)
			}
		}
	})
	for _, n := range []int64{0, -1} {
		if _, err := kick.NewClient(kick.WithMaxResponseBytes(n)); err == nil {
			t.Errorf("WithMaxResponseBytes(%d) accepted", n)
		}
	}
}

// TestTokenRequestRedacted: a TokenRequestParams prints and logs without its secrets, like a Token.
func TestTokenRequestRedacted(t *testing.T) {
	t.Parallel()
	r := kick.TokenRequestParams{GrantType: kick.GrantAuthorizationCode, ClientID: "my-client-id", ClientSecret: "s3cret-client",
		Code: "c0de-value", RedirectURI: "http://localhost/cb", CodeVerifier: "v3rifier-value", RefreshToken: "r3fresh-value"}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("request", "r", r, "p", &r)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("request", "r", r)
	outs := []string{fmt.Sprint(r), fmt.Sprintf("%v %+v %#v %s %q %x %d", r, r, r, r, r, r, r), fmt.Sprintf("%+v %#v", &r, &r), logs.String()}
	for _, out := range outs {
		for _, s := range []string{r.ClientSecret.Reveal(), r.Code.Reveal(), r.CodeVerifier.Reveal(), r.RefreshToken.Reveal(), "733363726574"} {
			if strings.Contains(out, s) {
				t.Errorf("output holds %q: %s", s, out)
			}
		}
		if !strings.Contains(out, "my-client-id") && !strings.Contains(out, "6d792d636c69656e742d6964") {
			t.Errorf("output lost the client id: %s", out)
		}
	}
	if got := fmt.Sprint(kick.TokenRequestParams{}); strings.Contains(got, "REDACTED") {
		t.Errorf("an empty request prints %s: REDACTED should mark a secret that is set", got)
	}
}

// TestResponseChecksMatchSpec: the operation of package gen checks its success answer (it has
// an identifying shape, with the spec's keys) exactly when openapi/kick.yaml declares what
// identifies its answer, and every operation of the spec is in gen. The values are read from gen,
// so that a wrong generated value fails here.
func TestResponseChecksMatchSpec(t *testing.T) {
	t.Parallel()
	spec := specIdentifying(t)
	seen := map[string]bool{}
	for _, op := range gen.Operations {
		keys, known := spec[op.ID]
		// Once each, however many success answers (200 and 202) share the schema.
		var unique []string
		for _, k := range keys {
			if !slices.Contains(unique, k) {
				unique = append(unique, k)
			}
		}
		keys = unique
		switch {
		case !known:
			t.Errorf("gen.%s: operation %q is not in the spec", op.ID, op.ID)
		case (op.Identifying != nil) != (len(keys) > 0):
			t.Errorf("gen.%s: checks its answer %v, the spec identifies it %v", op.ID, op.Identifying != nil, len(keys) > 0)
		case op.Identifying != nil && !slices.Equal(op.Identifying.Keys, keys):
			t.Errorf("gen.%s: identified by %v, the spec says %v", op.ID, op.Identifying.Keys, keys)
		}
		seen[op.ID] = true
	}
	for id := range spec {
		if !seen[id] {
			t.Errorf("operation %s is not in gen.Operations", id)
		}
	}
}

// TestRedirectPolicyWithTheCallersCheckRedirect: the http.Client's own CheckRedirect runs after the
// client's policy and can narrow it, not widen it; a loop within the host stops after 10.
func TestRedirectPolicyWithTheCallersCheckRedirect(t *testing.T) {
	t.Parallel()
	other := newRecorder(t, nil)
	narrow := errors.New("no redirects at all")
	tests := []struct {
		name  string
		check func(*http.Request, []*http.Request) error
		to    func(srv string) string
		want  error
	}{
		{"caller allows everything", func(*http.Request, []*http.Request) error { return nil },
			func(string) string { return other.URL + "/x" }, kick.ErrRedirect},
		{"caller refuses", func(*http.Request, []*http.Request) error { return narrow },
			func(srv string) string { return "/loop" }, narrow},
		{"loop", nil, func(string) string { return "/loop" }, kick.ErrRedirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, kick.WithHTTPClient(&http.Client{CheckRedirect: tt.check}))
			var hits int
			var mu sync.Mutex
			srv.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				hits++
				mu.Unlock()
				http.Redirect(w, r, tt.to(srv.URL), http.StatusFound)
			})
			_, err := c.Users.Get(context.Background(), []int64{1})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if len(other.requests()) > 0 {
				t.Errorf("the other host got %q", other.requests())
			}
			if tt.name == "loop" && hits != 10 {
				t.Errorf("%d requests in the loop, want 10", hits)
			}
		})
	}
}
