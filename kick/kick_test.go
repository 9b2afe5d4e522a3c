package kick_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// Tokens of the test clients. The fake server checks which one a call sent.
const (
	userToken = "user-access-token"
	appToken  = "app-access-token"
)

// fixture returns the body Kick sends for the operation's success: responseBody's.
func fixture(t testing.TB, operationID string) []byte {
	t.Helper()
	b, ok := responseBody(t, operationID)
	if !ok {
		t.Fatalf("%s: no JSON success body", operationID)
	}
	return b
}

// responseBody returns the JSON body Kick sends for the operation's success:
// testdata/responses/<operationID>.json, a captured or edited answer, or else the example of its
// success response in openapi/kick.yaml (every success response has one), so that a new
// operation needs no fixture file. ok is false for an operation whose success has no JSON body
// (204, or revokeToken's text).
func responseBody(t testing.TB, operationID string) (body []byte, ok bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "responses", operationID+".json"))
	if err == nil {
		return b, true
	}
	if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range gen.Operations {
		if op.ID != operationID {
			continue
		}
		responses := doc.Paths.Find(op.Path).GetOperation(op.Method).Responses
		for _, code := range slices.Sorted(maps.Keys(responses.Map())) {
			mt := responses.Value(code).Value.Content.Get("application/json")
			if code[0] != '2' || mt == nil {
				continue
			}
			example := mt.Example
			if example == nil {
				for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
					example = mt.Examples[name].Value.Value
					break
				}
			}
			b, err := json.Marshal(example)
			if err != nil || example == nil {
				t.Fatalf("%s: the %s example: %v", operationID, code, err)
			}
			return b, true
		}
		return nil, false
	}
	t.Fatalf("no operation %s", operationID)
	return nil, false
}

// server is a fake Kick API on loopback: a mux per test, and a count of the requests it received.
type server struct {
	*httptest.Server
	mux      *http.ServeMux
	requests atomic.Int64
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{mux: http.NewServeMux()}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// setup returns a client with both token kinds talking to a fresh fake server. Extra options come
// after the defaults, so they can replace them.
func setup(t *testing.T, opts ...kick.Option) (*kick.Client, *server) {
	t.Helper()
	srv := newServer(t)
	base := []kick.Option{
		kick.WithAPIBaseURL(srv.URL),
		kick.WithOAuthBaseURL(srv.URL),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: userToken})),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: appToken})),
	}
	c, err := kick.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

// setupWith returns a client with only the given token sources.
func setupWith(t *testing.T, user, app bool) (*kick.Client, *server) {
	t.Helper()
	srv := newServer(t)
	opts := []kick.Option{kick.WithAPIBaseURL(srv.URL), kick.WithOAuthBaseURL(srv.URL)}
	if user {
		opts = append(opts, kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: userToken})))
	}
	if app {
		opts = append(opts, kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: appToken})))
	}
	c, err := kick.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

// want describes the request a test expects.
type want struct {
	method string
	path   string
	query  url.Values // exact, repeated keys included; nil means no query
	body   string     // JSON, compared semantically; "" means no body
	token  string     // the bearer token expected, "" for none
	// contentType of the body; "application/json" when body is set and this is empty.
	contentType string
}

// check asserts that r is the request w describes, including the User-Agent.
func check(t *testing.T, r *http.Request, w want) {
	t.Helper()
	if r.Method != w.method {
		t.Errorf("method = %s, want %s", r.Method, w.method)
	}
	if r.URL.Path != w.path {
		t.Errorf("path = %s, want %s", r.URL.Path, w.path)
	}
	gotQuery := r.URL.Query()
	if len(gotQuery) == 0 {
		gotQuery = nil
	}
	if diff := cmp.Diff(w.query, gotQuery); diff != "" {
		t.Errorf("query %q (-want +got):\n%s", r.URL.RawQuery, diff)
	}
	wantAuth := ""
	if w.token != "" {
		wantAuth = "Bearer " + w.token
	}
	if got := r.Header.Get("Authorization"); got != wantAuth {
		t.Errorf("Authorization = %q, want %q", got, wantAuth)
	}
	if got := r.Header.Get("User-Agent"); got != kick.DefaultUserAgent {
		t.Errorf("User-Agent = %q, want %q", got, kick.DefaultUserAgent)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if w.body == "" {
		if len(body) != 0 {
			t.Errorf("unexpected body %s", body)
		}
		return
	}
	ct := w.contentType
	if ct == "" {
		ct = "application/json"
	}
	if got := r.Header.Get("Content-Type"); got != ct {
		t.Errorf("Content-Type = %q, want %q", got, ct)
	}
	if ct != "application/json" {
		if string(body) != w.body {
			t.Errorf("body = %s, want %s", body, w.body)
		}
		return
	}
	var got, exp any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	if err := json.Unmarshal([]byte(w.body), &exp); err != nil {
		t.Fatalf("want body %s: %v", w.body, err)
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

// respond writes a JSON body with status.
func respond(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// handle registers a handler for pattern that checks the request against w and answers with body
// (status 200, or 204 when body is nil).
func (s *server) handle(t *testing.T, pattern string, w want, body []byte) {
	t.Helper()
	s.mux.HandleFunc(pattern, func(rw http.ResponseWriter, r *http.Request) {
		check(t, r, w)
		if body == nil {
			rw.WriteHeader(http.StatusNoContent)
			return
		}
		respond(rw, http.StatusOK, body)
	})
}

// noRequest fails the test if the server received any request.
func noRequest(t *testing.T, s *server) {
	t.Helper()
	if n := s.requests.Load(); n != 0 {
		t.Errorf("the server received %d requests, want none", n)
	}
}

// q builds url.Values from key, value pairs.
func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// wantInvalid asserts that err is a *ValidationError of op about field.
func wantInvalid(t *testing.T, err error, op, field string) {
	t.Helper()
	_ = asInvalid(t, err, op, field)
}

// asInvalid asserts that err is a *ValidationError of op about field, and returns it (nil when it
// is not one).
func asInvalid(t *testing.T, err error, op, field string) *kick.ValidationError {
	t.Helper()
	var ve *kick.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, kick.ErrInvalidInput) {
		t.Errorf("err = %v, want a *ValidationError", err)
		return nil
	}
	if ve.Operation != op || ve.Field != field {
		t.Errorf("error = %+v, want operation %s and field %s", ve, op, field)
	}
	return ve
}

// wantMissingToken asserts that err is a *MissingTokenError listing accepted.
func wantMissingToken(t *testing.T, err error, accepted ...kick.TokenKind) {
	t.Helper()
	var mt *kick.MissingTokenError
	if !errors.As(err, &mt) || !errors.Is(err, kick.ErrMissingToken) {
		t.Errorf("err = %v, want a *MissingTokenError", err)
		return
	}
	if diff := cmp.Diff(accepted, mt.Accepted); diff != "" {
		t.Errorf("accepted (-want +got):\n%s", diff)
	}
}

// invalidCase is a call that must fail the input checks of op about field, sending nothing.
type invalidCase struct {
	name  string
	call  func(c *kick.Client) error
	op    string
	field string
}

// runInvalidCases runs each case against a fresh fake server.
func runInvalidCases(t *testing.T, tests []invalidCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			wantInvalid(t, tt.call(c), tt.op, tt.field)
			noRequest(t, srv)
		})
	}
}

// runNeedsUserToken checks that each call, keyed by its operation id (optionally followed by a
// space and a label), needs a user token: without one, and with the app token chosen, it fails
// with a *MissingTokenError and sends nothing.
func runNeedsUserToken(t *testing.T, calls map[string]func(c *kick.Client, opts ...kick.RequestOption) error) {
	t.Helper()
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			op, _, _ := strings.Cut(name, " ")
			c, srv := setupWith(t, false, true)
			err := call(c)
			wantMissingToken(t, err, kick.TokenKindUser)
			var mt *kick.MissingTokenError
			if errors.As(err, &mt) && mt.Operation != op {
				t.Errorf("operation = %q, want %q", mt.Operation, op)
			}
			// Choosing the app token is refused too, even with both sources.
			c2, srv2 := setup(t)
			if err := call(c2, kick.WithTokenKind(kick.TokenKindApp)); !errors.Is(err, kick.ErrMissingToken) {
				t.Errorf("with the app token chosen: err = %v, want ErrMissingToken", err)
			}
			noRequest(t, srv)
			noRequest(t, srv2)
		})
	}
}
