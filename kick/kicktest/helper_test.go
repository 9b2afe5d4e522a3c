package kicktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// answer is a raw response of the fake.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// message returns the "message" of an API envelope, or the "error" of an OAuth error.
func (a answer) message(t *testing.T) string {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &env); err != nil {
		t.Fatalf("body %q is not JSON: %v", a.body, err)
	}
	switch _, api := env["message"]; {
	case api:
		var e struct{ Message string }
		if err := json.Unmarshal(a.body, &e); err != nil {
			t.Fatalf("body %q: %v", a.body, err)
		}
		return e.Message
	case env["error"] != nil:
		var e struct{ Error string }
		if err := json.Unmarshal(a.body, &e); err != nil {
			t.Fatalf("body %q: %v", a.body, err)
		}
		return e.Error
	}
	t.Fatalf("body %q has neither message nor error", a.body)
	return ""
}

// data decodes the "data" of an envelope into v.
func (a answer) data(t *testing.T, v any) {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &env); err != nil {
		t.Fatalf("body %q: %v", a.body, err)
	}
	if err := json.Unmarshal(env["data"], v); err != nil {
		t.Fatalf("data %s: %v", env["data"], err)
	}
}

// do sends a raw request; token "" sends none, contentType "" sends none.
func do(t *testing.T, method, url, token, contentType, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	rsp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer func() { _ = rsp.Body.Close() }()
	b, err := io.ReadAll(rsp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return answer{status: rsp.StatusCode, header: rsp.Header, body: b}
}

// getJSON sends a GET to the API with a token.
func getJSON(t *testing.T, s *kicktest.Server, path, token string) answer {
	t.Helper()
	return do(t, http.MethodGet, s.APIBaseURL+path, token, "", "")
}

// sendJSON sends a JSON body to the API with a token.
func sendJSON(t *testing.T, s *kicktest.Server, method, path, token, body string) answer {
	t.Helper()
	return do(t, method, s.APIBaseURL+path, token, "application/json", body)
}

// client returns a kick client of user on s without retries, so tests see every answer.
func client(t *testing.T, s *kicktest.Server, user int64, opts ...kick.Option) *kick.Client {
	t.Helper()
	c, err := s.Client(user, append([]kick.Option{kick.WithRetryPolicy(kick.RetryPolicy{})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// repeat returns "key=1&key=2&...&key=n".
func repeat(key string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%s=%d", key, i+1)
	}
	return strings.Join(parts, "&")
}

// noViolations fails the test if the server saw any spec violation.
func noViolations(t *testing.T, s *kicktest.Server) {
	t.Helper()
	for _, v := range s.Violations() {
		t.Errorf("violation: %v", v)
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}
