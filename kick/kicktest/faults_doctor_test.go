package kicktest_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// statusServer answers every request with status, and a redirect's Location.
func statusServer(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if status >= 300 && status < 400 {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/kick/webhook"
}

func subscriptionTypes(s *kicktest.Server) []kick.EventType {
	var out []kick.EventType
	for _, sub := range s.EventSubscriptions(0) {
		out = append(out, sub.Type)
	}
	return out
}

func TestUnsubscribeAfterFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
	}{
		{"server error", http.StatusInternalServerError},
		{"redirect, not followed", http.StatusTemporaryRedirect},
		{"client error", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := kicktest.New(t, kicktest.WithWebhookURL(statusServer(t, tc.status)))
			c := client(t, s, kicktest.Streamer.UserID)
			if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChatMessageSent, kick.EventChannelFollowed); err != nil {
				t.Fatal(err)
			}
			s.SetUnsubscribeAfterFailures(3)
			for range 2 {
				s.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hi")
				flush(t, s)
			}
			if got := subscriptionTypes(s); len(got) != 2 {
				t.Fatalf("after 2 failures: %v", got)
			}
			s.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hi")
			flush(t, s)
			if got := subscriptionTypes(s); !slices.Equal(got, []kick.EventType{kick.EventChannelFollowed}) {
				t.Errorf("after 3 failures the subscriptions are %v, want channel.followed alone", got)
			}
			for _, d := range s.Deliveries() {
				if d.StatusCode != tc.status || d.Err != nil {
					t.Errorf("delivery: %d, %v; want %d", d.StatusCode, d.Err, tc.status)
				}
			}
			// A dropped subscription is not delivered to any more.
			s.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hi")
			flush(t, s)
			if n := len(s.Deliveries()); n != 3 {
				t.Errorf("%d deliveries, want 3", n)
			}
		})
	}
}

// TestSuccessResetsFailures: the count is of failures in a row.
func TestSuccessResetsFailures(t *testing.T) {
	t.Parallel()
	failing := statusServer(t, http.StatusBadGateway)
	s := kicktest.New(t, kicktest.WithWebhookURL(failing))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	s.SetUnsubscribeAfterFailures(2)
	follow := func(url string) {
		s.SetWebhookURL(url)
		s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
		flush(t, s)
	}
	follow(failing)
	follow(newReceiver(t).URL)
	follow(failing)
	if got := subscriptionTypes(s); len(got) != 1 {
		t.Errorf("fail, succeed, fail: subscriptions %v", got)
	}
	follow(failing)
	if got := subscriptionTypes(s); len(got) != 0 {
		t.Errorf("two failures in a row: subscriptions %v", got)
	}
}

// TestFailuresKeepSubscriptionsByDefault: without SetUnsubscribeAfterFailures nothing is dropped.
func TestFailuresKeepSubscriptionsByDefault(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t, kicktest.WithWebhookURL(statusServer(t, http.StatusInternalServerError)))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	}
	flush(t, s)
	if got := subscriptionTypes(s); len(got) != 1 {
		t.Errorf("subscriptions %v", got)
	}
}

func TestDeliveryTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	s := kicktest.New(t, kicktest.WithWebhookURL(slow.URL))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	s.SetDeliveryTimeout(100 * time.Millisecond) // the receiver never answers
	s.SetUnsubscribeAfterFailures(1)
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	flush(t, s)
	d := s.Deliveries()[0]
	if ne, ok := errors.AsType[net.Error](d.Err); d.StatusCode != 0 || !ok || !ne.Timeout() {
		t.Errorf("delivery: %d, %v; want the timeout", d.StatusCode, d.Err)
	}
	if got := subscriptionTypes(s); len(got) != 0 {
		t.Errorf("subscriptions %v after a timed-out delivery", got)
	}
}

func TestRotateSigningKey(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t) // trusts SigningKeyPEM's key
	s := kicktest.New(t, kicktest.WithWebhookURL(rc.URL))
	c := client(t, s, kicktest.Streamer.UserID)
	if _, err := c.Events.SubscribeTo(ctx(t), kicktest.Streamer.UserID, kick.EventChannelFollowed); err != nil {
		t.Fatal(err)
	}
	signer, err := s.RotateSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := c.PublicKey.Get(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	served, err := key.RSA()
	if err != nil {
		t.Fatal(err)
	}
	if !served.Equal(signer.PublicKey()) || served.Equal(kicktest.Signer().PublicKey()) {
		t.Error("GET /public/v1/public-key does not serve the new key")
	}
	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	flush(t, s)
	if d := s.Deliveries()[0]; d.StatusCode != http.StatusForbidden {
		t.Errorf("the old key's receiver answered %d", d.StatusCode)
	}
	if errs := rc.failures(); len(errs) != 1 || !errors.Is(errs[0], webhook.ErrSignatureMismatch) {
		t.Errorf("receiver errors %v", errs)
	}
	// A receiver that fetches the key follows.
	keys, err := webhook.NewFetchingKeySource(c.PublicKey.PEM, webhook.WithInitialKey(kicktest.Signer().PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	v, err := webhook.NewVerifier(webhook.WithKeySource(keys))
	if err != nil {
		t.Fatal(err)
	}
	d := s.Deliveries()[0]
	h := signer.Headers(webhook.Delivery{MessageID: d.MessageID, SubscriptionID: d.SubscriptionID, Type: d.Type, Version: 1, Timestamp: d.Timestamp, Body: d.Body})
	if _, err := v.Verify(ctx(t), h, d.Body); err != nil {
		t.Errorf("a fetching verifier: %v", err)
	}
}

func TestFaultEveryCloudflare(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Streamer.UserID)
	s.FaultEvery(kicktest.Fault{StatusCode: http.StatusForbidden, Body: kicktest.CloudflareBlockBody, Times: 1})
	for name, call := range map[string]func() error{
		"getPublicKey":           func() error { _, err := c.PublicKey.Get(ctx(t)); return err },
		"getUsers":               func() error { _, err := c.Users.Me(ctx(t)); return err },
		"introspectToken":        func() error { _, err := c.Tokens.Introspect(ctx(t)); return err },
		"listEventSubscriptions": func() error { _, err := c.Events.List(ctx(t), kick.EventListParams{}); return err },
	} {
		err := call()
		ae, ok := errors.AsType[*kick.APIError](err)
		if !ok || ae.StatusCode != http.StatusForbidden || ae.OAuthError != "Request blocked by security policy." {
			t.Errorf("%s: %v", name, err)
		}
		if err := call(); err != nil { // Times 1, per route
			t.Errorf("%s again: %v", name, err)
		}
	}
}

// TestDateIsRealTimeWithAnOffset: an answer's Date header is the real time, whatever the
// server's clock says of its data (KICKTEST_NOW pins it in make test-clock), moved by
// SetDateOffset.
func TestDateIsRealTimeWithAnOffset(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t, kicktest.WithClock(func() time.Time { return time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC) }))
	for _, offset := range []time.Duration{0, time.Hour, -90 * time.Minute} {
		s.SetDateOffset(offset)
		for _, u := range []string{s.APIBaseURL + "/public/v1/public-key", s.OAuthBaseURL + "/oauth/token/introspect"} {
			method := http.MethodGet
			if u != s.APIBaseURL+"/public/v1/public-key" {
				method = http.MethodPost
			}
			before := time.Now().Add(offset).Truncate(time.Second)
			a := do(t, method, u, "", "", "")
			after := time.Now().Add(offset)
			got, err := http.ParseTime(a.header.Get("Date"))
			if err != nil || got.Before(before) || got.After(after) {
				t.Errorf("offset %v: %s %s: Date %q (%v), want between %v and %v", offset, method, u, a.header.Get("Date"), err, before, after)
			}
		}
	}
}
