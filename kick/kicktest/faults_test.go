package kicktest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func TestFaultsQueuePerRoute(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	s.Fault("getPublicKey", kicktest.Fault{StatusCode: 503, Times: 2})
	s.Fault("GET /public/v1/public-key", kicktest.Fault{StatusCode: 429, RetryAfter: "7", Times: 1})
	var got []string
	for range 4 {
		a := getJSON(t, s, "/public/v1/public-key", "")
		got = append(got, a.header.Get("Retry-After")+":"+http.StatusText(a.status))
		if a.status == 503 && a.message(t) != "Service Unavailable" {
			t.Errorf("503 body %s", a.body)
		}
	}
	want := ":Service Unavailable,:Service Unavailable,7:Too Many Requests,:OK"
	if strings.Join(got, ",") != want {
		t.Errorf("answers %v, want %s", got, want)
	}
	s.Fault("getPublicKey", kicktest.Fault{StatusCode: 500}) // Times 0: for good
	for range 3 {
		if a := getJSON(t, s, "/public/v1/public-key", ""); a.status != 500 || a.message(t) != "Internal server error" {
			t.Errorf("%d %s", a.status, a.body)
		}
	}
	s.ClearFaults()
	if a := getJSON(t, s, "/public/v1/public-key", ""); a.status != 200 {
		t.Errorf("after ClearFaults: %d", a.status)
	}
	if n := s.Requests("getPublicKey"); n != 8 {
		t.Errorf("Requests = %d, want 8", n)
	}
	// Made-up answers are not checked against the spec: no violations.
	noViolations(t, s)
}

func TestFaultBodies(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Viewer.UserID)
	s.Fault("getUsers", kicktest.Fault{HTML: true, Times: 1})
	_, err := c.Users.Me(ctx(t))
	var ae *kick.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusForbidden || !strings.Contains(ae.Message, "Cloudflare") {
		t.Errorf("HTML: %v", err)
	}
	s.Fault("getUsers", kicktest.Fault{StatusCode: 403, Body: `{"error":"Request blocked by security policy.","reference":"8f2a"}`, Times: 1})
	_, err = c.Users.Me(ctx(t))
	if !errors.As(err, &ae) || ae.OAuthError != "Request blocked by security policy." {
		t.Errorf("JSON block: %v", err)
	}
	s.Fault("getUsers", kicktest.Fault{Body: "<html>maintenance</html>", Times: 1})
	if _, err := c.Users.Me(ctx(t)); !errors.Is(err, kick.ErrUnexpectedResponse) {
		t.Errorf("200 with HTML: %v", err)
	}
	s.Fault("getUsers", kicktest.Fault{Truncate: true, Times: 1})
	if _, err := c.Users.Me(ctx(t)); err == nil {
		t.Error("a truncated answer decoded")
	}
	// On the token endpoint, an error status has the OAuth error shape.
	s.Fault("requestToken", kicktest.Fault{StatusCode: 500, Times: 1})
	a := do(t, http.MethodPost, s.OAuthBaseURL+"/oauth/token", "", "application/x-www-form-urlencoded", "grant_type=client_credentials")
	if a.status != 500 || a.message(t) != "server_error" {
		t.Errorf("token endpoint: %d %s", a.status, a.body)
	}
	// And on the authorize step.
	s.Fault("authorize", kicktest.Fault{StatusCode: 503, Times: 1})
	authURL := kickauth.NewAuthRequest(s.OAuthConfig("http://localhost/cb")).URL
	if a := do(t, http.MethodGet, authURL, "", "", ""); a.status != 503 {
		t.Errorf("authorize: %d", a.status)
	}
	if s.Requests("GET /oauth/authorize") != 1 {
		t.Errorf("authorize requests %d", s.Requests("authorize"))
	}
}

func TestLatencyEndsWithTheRequest(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	s.Fault("sendChatMessage", kicktest.Fault{Latency: time.Minute})
	c := client(t, s, kicktest.Viewer.UserID)
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Chat.Send(short, kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "slow"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send = %v", err)
	}
	// A short latency delays the answer and then handles the request.
	s.ClearFaults()
	s.Fault("sendChatMessage", kicktest.Fault{Latency: 20 * time.Millisecond, Times: 1})
	if _, err := c.Chat.Send(ctx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "late"}); err != nil {
		t.Fatal(err)
	}
	// Close ends a latency fault in progress instead of waiting for it.
	s.Fault("getUsers", kicktest.Fault{Latency: time.Hour})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = c.Users.Me(context.Background())
	}()
	for s.Requests("getUsers") == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Close()
	<-done
	if msgs := s.Messages(kicktest.Streamer.UserID); len(msgs) != 1 || msgs[0].Content != "late" {
		t.Errorf("messages %+v", msgs)
	}
}

func TestResets(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Viewer.UserID, kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	msg := kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "before"}
	s.Fault("sendChatMessage", kicktest.Fault{ResetBefore: true, Times: 1})
	if _, err := c.Chat.Send(ctx(t), msg); err == nil {
		t.Error("a reset answered")
	}
	if n := len(s.Messages(kicktest.Streamer.UserID)); n != 0 {
		t.Errorf("ResetBefore stored %d messages", n)
	}
	msg.Content = "after"
	s.Fault("POST /public/v1/chat", kicktest.Fault{ResetAfter: true, Times: 1})
	if _, err := c.Chat.Send(ctx(t), msg); err == nil {
		t.Error("a reset answered")
	}
	if msgs := s.Messages(kicktest.Streamer.UserID); len(msgs) != 1 || msgs[0].Content != "after" {
		t.Errorf("ResetAfter stored %+v", msgs)
	}
	// An idempotent GET is retried through a reset.
	s.Fault("getUsers", kicktest.Fault{ResetBefore: true, Times: 1})
	if _, err := c.Users.Me(ctx(t)); err != nil {
		t.Errorf("GET after a reset: %v", err)
	}
	if n := s.Requests("getUsers"); n != 2 {
		t.Errorf("getUsers requests %d, want 2", n)
	}
}
