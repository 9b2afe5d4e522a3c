package kicktest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// The response check must be able to fail: a handler whose answer breaks the spec is reported,
// counted, and its answer still sent.
func TestBrokenResponseIsReported(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var reported []error
	s, err := NewServer(WithSpecViolationHandler(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		op     string
		handle func(*call)
		want   string
	}{
		{"getPublicKey", func(c *call) { c.ok(map[string]any{"data": map[string]any{"key": 1}, "message": "OK"}) }, `response body: at "/data/public_key": property "public_key" is missing`},
		{"getPublicKey", func(c *call) { c.fail(http.StatusTeapot, "I'm a teapot") }, "status is not supported"},
		{"getLivestreamStats", func(c *call) { c.w.raw(http.StatusOK, "text/html", []byte("<html>")) }, "response header Content-Type has unexpected value"},
		{"sendChatMessage", func(c *call) {
			c.data(kick.SentChatMessage{IsSent: true, MessageID: "not-a-uuid"})
		}, `doesn't match the format "uuid"`},
		{"listEventSubscriptions", func(c *call) {
			c.ok(map[string]any{"data": []map[string]any{{"id": "01KC495X0JWV6QDFWC8TZVWC1K", "app_id": "a", "event": "chat.message.sent", "version": 1, "method": "webhook", "created_at": "yesterday", "updated_at": "2025-12-10T14:03:27Z"}}, "message": "OK"})
		}, `at "/data/0/created_at"`},
	}
	for _, tt := range tests {
		before := len(s.Violations())
		rec := httptest.NewRecorder()
		op := s.spec.ops[tt.op]
		req := httptest.NewRequest(op.method, op.path, strings.NewReader(`{"type":"bot","content":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+s.UserToken(Streamer.UserID).AccessToken)
		s.endpoint(op, tt.handle).ServeHTTP(rec, req)
		vs := s.Violations()
		if len(vs) != before+1 {
			t.Errorf("%s: %d new violations", tt.op, len(vs)-before)
			continue
		}
		var v *SpecViolation
		if !errors.As(vs[len(vs)-1], &v) || v.Kind != ResponseViolation || !strings.Contains(v.Message, tt.want) {
			t.Errorf("%s: violation %v, want one containing %q", tt.op, vs[len(vs)-1], tt.want)
		}
		if rec.Code == 0 || rec.Body.Len() == 0 {
			t.Errorf("%s: the broken answer was not sent", tt.op)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != len(tests) {
		t.Errorf("the handler was told %d times, want %d", len(reported), len(tests))
	}
}

func TestDeliveryCheckCanFail(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	d := Signer()
	headers := func(typ kick.EventType, body string) http.Header {
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("Kick-Event-Message-Id", "01KC495X0JWV6QDFWC8TZVWC1K")
		h.Set("Kick-Event-Subscription-Id", "01KC495X805CE7XXMJ3GGE5TSW")
		h.Set("Kick-Event-Message-Timestamp", "2026-01-02T03:04:05Z")
		h.Set("Kick-Event-Type", string(typ))
		h.Set("Kick-Event-Version", "1")
		h.Set("Kick-Event-Signature", d.Sign("01KC495X0JWV6QDFWC8TZVWC1K", "2026-01-02T03:04:05Z", []byte(body)))
		return h
	}
	good := `{"broadcaster":{"is_anonymous":false,"user_id":1,"username":"a","is_verified":true,"profile_picture":"","channel_slug":"a","identity":null},"follower":{"is_anonymous":false,"user_id":2,"username":"b","is_verified":false,"profile_picture":"","channel_slug":"b","identity":null}}`
	if err := sp.validateDelivery(context.Background(), kick.EventChannelFollowed, headers(kick.EventChannelFollowed, good), []byte(good)); err != nil {
		t.Errorf("a good delivery: %s", describe(err))
	}
	bad := `{"broadcaster":{"user_id":1}}`
	err = sp.validateDelivery(context.Background(), kick.EventChannelFollowed, headers(kick.EventChannelFollowed, bad), []byte(bad))
	if err == nil || !strings.Contains(describe(err), `property "follower" is missing`) {
		t.Errorf("a payload without follower: %v", err)
	}
	h := headers(kick.EventChannelFollowed, good)
	h.Del("Kick-Event-Type")
	if err := sp.validateDelivery(context.Background(), kick.EventChannelFollowed, h, []byte(good)); err == nil {
		t.Error("a delivery without a Kick-Event-Type header passed")
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	formats, err := openapi.Formats()
	if err != nil {
		t.Fatal(err)
	}
	uuidPattern := formats["uuid"]
	for i := range 100 {
		if id := newULID(time.Now().Add(time.Duration(i) * time.Hour)); !ulidPattern.MatchString(id) {
			t.Fatalf("newULID = %q", id)
		}
		if id := newUUID(); !uuidPattern.MatchString(id) || id[14] != '4' {
			t.Fatalf("newUUID = %q", id)
		}
	}
	if c := cursorOf("offset", 25); len(c) < 4 || len(c) > 28 {
		t.Errorf("cursor %q breaks the spec's length", c)
	}
	if n, ok := offsetCursor(cursorOf("offset", 25)); !ok || n != 25 {
		t.Errorf("offsetCursor = %d %t", n, ok)
	}
}

// kicktest answers 401 and 403 from the operation's security before any handler runs: every
// operation with security must document both, or those answers would break the spec.
func TestSecuredOperationsDocumentAuthErrors(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for id, op := range sp.ops {
		sec := op.route.Operation.Security
		if sec == nil || len(*sec) == 0 {
			continue
		}
		if !op.documents(http.StatusUnauthorized) {
			t.Errorf("%s has security but documents no 401", id)
		}
		// A 403 is possible unless any token of either kind will do.
		open := map[string]bool{}
		for _, req := range *sec {
			for scheme, scopes := range req {
				if len(scopes) == 0 {
					open[scheme] = true
				}
			}
		}
		anyToken := open[schemeUser] && open[schemeApp]
		if !op.documents(http.StatusForbidden) && !introspection[id] && !anyToken {
			t.Errorf("%s can answer 403 but documents no 403", id)
		}
		if !op.documents(http.StatusBadRequest) && !op.documents(http.StatusNotFound) && (len(op.params) > 0 || op.route.Operation.RequestBody != nil || len(op.route.Operation.Parameters) > 0) {
			t.Errorf("%s takes input but documents neither 400 nor 404 for a request that breaks the spec", id)
		}
	}
}
