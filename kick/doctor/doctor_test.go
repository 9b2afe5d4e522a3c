package doctor_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/doctor"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// healthyChecks are the checks of a healthy setup without a Listener, in the report's order.
var healthyChecks = []doctor.CheckID{
	doctor.CheckAPI, doctor.CheckClock, doctor.CheckPublicKey, doctor.CheckRefreshToken, doctor.CheckAppToken,
	doctor.CheckUserToken, doctor.CheckScopes, doctor.CheckChannel, doctor.CheckSubscriptions, doctor.CheckDuplicates,
	doctor.CheckVersions, doctor.CheckWebhooksEnabled, doctor.CheckWebhookURL, doctor.CheckWebhookAddress,
	doctor.CheckWebhookAnswer, doctor.CheckWebhookUnsigned, doctor.CheckWebhookForged,
}

// wantedV1 is wanted with the versions spelled out.
var wantedV1 = []kick.SubscribeEvent{{Type: kick.EventChatMessageSent, Version: 1}, {Type: kick.EventChannelFollowed, Version: 1}}

func TestHealthy(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	r := run(t, s.p)
	allOK(t, r, healthyChecks...)
	if diff := cmp.Diff(wantedV1, r.Events); diff != "" || r.BroadcasterUserID != kicktest.Streamer.UserID {
		t.Errorf("channel %d, events (-want +got):\n%s", r.BroadcasterUserID, diff)
	}
	if r.Failed() || r.Verdict() != doctor.OK || len(r.Problems()) != 0 {
		t.Errorf("Failed %v, Verdict %s, Problems %v", r.Failed(), r.Verdict(), r.Problems())
	}
	want(t, r, doctor.CheckUserToken, doctor.OK, "user kickgo_streamer, id 1001", "")
	want(t, r, doctor.CheckSubscriptions, doctor.OK, "chat.message.sent v1, channel.followed v1", "")
	want(t, r, doctor.CheckWebhookAddress, doctor.OK, "93.184.215.14, public", "")
	want(t, r, doctor.CheckWebhookUnsigned, doctor.OK, "with 400", "")
	want(t, r, doctor.CheckWebhookForged, doctor.OK, "with 403", "")
	// The probes went to the address the resolver gave, on https's port.
	if got := <-s.dialed; got != "93.184.215.14:443" {
		t.Errorf("the probes dialed %s", got)
	}
	// Nothing changed at Kick: the two subscriptions, no chat message.
	if n := len(s.srv.EventSubscriptions(kicktest.Streamer.UserID)); n != 2 {
		t.Errorf("%d subscriptions after Run", n)
	}
	if n := s.srv.Requests("createEventSubscriptions"); n != 1 { // the setup's Sync
		t.Errorf("createEventSubscriptions called %d times", n)
	}
}

// TestSubscriptionsDroppedAfterFailures: a receiver that fails Kick's deliveries (here with a
// redirect) makes Kick drop the subscription; the doctor finds it missing, and the redirect.
func TestSubscriptionsDroppedAfterFailures(t *testing.T) {
	t.Parallel()
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/kick/webhook/", http.StatusPermanentRedirect)
	})
	s := newSetup(t, redirect)
	// Kick's deliveries go to a plain http copy of the receiver.
	plain := newPlainServer(t, redirect)
	s.srv.SetWebhookURL(plain + "/kick/webhook")
	s.srv.SetUnsubscribeAfterFailures(2)
	ctx := context.Background()
	s.srv.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "one")
	s.srv.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "two")
	if err := s.srv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, d := range s.srv.Deliveries() {
		if d.StatusCode != http.StatusPermanentRedirect {
			t.Errorf("delivery answered %d, %v; want the redirect, not followed", d.StatusCode, d.Err)
		}
	}
	if subs := s.srv.EventSubscriptions(kicktest.Streamer.UserID); len(subs) != 1 || subs[0].Type != kick.EventChannelFollowed {
		t.Fatalf("after two failed deliveries the fake holds %+v, want the follow subscription alone", subs)
	}
	r := run(t, s.p)
	want(t, r, doctor.CheckSubscriptions, doctor.Fail, "not subscribed to chat.message.sent v1 (1 of 2 wanted events are)", "Events.Sync")
	want(t, r, doctor.CheckWebhooksEnabled, doctor.OK, "1 subscription", "")
	want(t, r, doctor.CheckWebhookAnswer, doctor.Fail, `answered 308, a redirect to "/kick/webhook/"`, "Set the URL the redirect leads to")
	missing(t, r, doctor.CheckWebhookUnsigned, doctor.CheckWebhookForged)
	if !r.Failed() {
		t.Error("Failed() is false")
	}
}

func TestWebhooksOff(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.srv.DisableWebhooks()
	r := run(t, s.p)
	want(t, r, doctor.CheckSubscriptions, doctor.Fail, "chat.message.sent v1, channel.followed v1 (0 of 2", "Events.Sync")
	c := want(t, r, doctor.CheckWebhooksEnabled, doctor.Fail, `"webhooks are not enabled for app"`, "Switch on Enable Webhooks")
	if !errors.Is(c.Err, kick.ErrSubscriptionFailed) {
		t.Errorf("Err = %v, want a subscription failure", c.Err)
	}
	if subs := s.srv.EventSubscriptions(0); len(subs) != 0 {
		t.Errorf("the fake holds %+v", subs)
	}
}

// TestWebhooksOnProbe: with no subscription at all, Run subscribes to learn whether Kick
// accepts subscriptions, and deletes the subscription again.
func TestWebhooksOnProbe(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	ctx := context.Background()
	var ids []string
	for _, sub := range s.srv.EventSubscriptions(0) {
		ids = append(ids, sub.ID)
	}
	if err := s.client.Events.Unsubscribe(ctx, ids); err != nil {
		t.Fatal(err)
	}
	r := run(t, s.p)
	want(t, r, doctor.CheckWebhooksEnabled, doctor.OK, "Kick accepted a subscription to chat.message.sent v1 (deleted again at once)", "")
	if subs := s.srv.EventSubscriptions(0); len(subs) != 0 {
		t.Errorf("after Run the fake holds %+v", subs)
	}
	if c, d := s.srv.Requests("createEventSubscriptions"), s.srv.Requests("deleteEventSubscriptions"); c != 2 || d != 2 {
		t.Errorf("create %d, delete %d; want the setup's and the probe's", c, d)
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		offset  time.Duration
		verdict doctor.Verdict
		seen    string
	}{
		{"behind", 10 * time.Minute, doctor.Fail, "behind Kick's (its Date header), beyond the verifier's replay window of 5m0s"},
		{"ahead", -2 * time.Minute, doctor.Warn, "ahead of Kick's"},
		{"right", 0, doctor.OK, "agrees with Kick's Date header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Kick's clock is off from ours by offset: the answers' Date shows it.
			s := newSetup(t, nil)
			s.srv.SetDateOffset(tc.offset)
			r := run(t, s.p)
			fix := "timedatectl"
			if tc.verdict == doctor.OK {
				fix = ""
			}
			want(t, r, doctor.CheckClock, tc.verdict, tc.seen, fix)
		})
	}
}

// TestClockOfParams: the local clock is Params.Now.
func TestClockOfParams(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.Now = func() time.Time { return time.Now().Add(time.Hour) }
	want(t, run(t, s.p), doctor.CheckClock, doctor.Fail, "1h0m0s ahead of Kick's", "Synchronize")
}

func TestRotatedKey(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	if _, err := s.srv.RotateSigningKey(); err != nil {
		t.Fatal(err)
	}
	// The verifier trusts the key Kick signed with before.
	want(t, run(t, s.p), doctor.CheckPublicKey, doctor.Fail, "another key than the one the verifier trusts", "webhook.NewFetchingKeySource(client.PublicKey.PEM)")

	// A key source that fetches Kick's key follows the rotation.
	keys, err := webhook.NewFetchingKeySource(s.client.PublicKey.PEM, webhook.WithInitialKey(kicktest.Signer().PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	s.p.Keys = keys
	want(t, run(t, s.p), doctor.CheckPublicKey, doctor.OK, "its key source fetched the served key", "")
}

// TestPublishedKey: Kick's published key is what the verifier trusts by default.
func TestPublishedKey(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.Keys = nil
	want(t, run(t, s.p), doctor.CheckPublicKey, doctor.Fail, "another key", "NewFetchingKeySource")
}

func TestCloudflare(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault kicktest.Fault
		seen  string
	}{
		{"json", kicktest.Fault{StatusCode: http.StatusForbidden, Body: kicktest.CloudflareBlockBody}, "Request blocked by security policy."},
		{"html", kicktest.Fault{HTML: true}, "blocked by Kick's Cloudflare edge: Just a moment..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSetup(t, nil)
			s.srv.FaultEvery(tc.fault)
			r := run(t, s.p)
			c := want(t, r, doctor.CheckAPI, doctor.Fail, tc.seen, "Kick's Cloudflare edge blocks this client")
			if !errors.Is(c.Err, kick.ErrForbidden) {
				t.Errorf("Err = %v", c.Err)
			}
			want(t, r, doctor.CheckPublicKey, doctor.Fail, "403", "Cloudflare")
			want(t, r, doctor.CheckAppToken, doctor.Fail, "403", "Cloudflare")
			want(t, r, doctor.CheckClock, doctor.OK, "", "") // Cloudflare's answer has a Date too
		})
	}
}

func TestSlowReceiver(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	s := newSetup(t, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server sees the probe go away
		select {                           // never answers while the probe waits
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // before the servers close
	s.p.ProbeTimeout = 300 * time.Millisecond
	r := run(t, s.p)
	want(t, r, doctor.CheckWebhookAnswer, doctor.Fail, "got no answer within 300ms", "Answer each delivery at once")
	missing(t, r, doctor.CheckWebhookUnsigned, doctor.CheckWebhookForged)
}

// TestSlowAnswer: an answer after SlowAnswer warns (any answer takes longer than a nanosecond).
func TestSlowAnswer(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.SlowAnswer = time.Nanosecond
	want(t, run(t, s.p), doctor.CheckWebhookAnswer, doctor.Warn, "answered 400 after", "at once")
}

func TestReceiverAcceptsForgeries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		h                http.HandlerFunc
		unsigned, forged doctor.Verdict
	}{
		{"accepts everything", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }, doctor.Fail, doctor.Fail},
		{"checks the header only", func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get(webhook.HeaderSignature) == "" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}, doctor.OK, doctor.Fail},
		{"crashes", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }, doctor.Warn, doctor.Warn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSetup(t, tc.h)
			r := run(t, s.p)
			want(t, r, doctor.CheckWebhookAnswer, doctor.OK, "without a redirect", "")
			fix := map[doctor.Verdict]string{doctor.OK: "", doctor.Warn: "Verify each delivery's signature", doctor.Fail: "Verify each delivery's signature"}
			want(t, r, doctor.CheckWebhookUnsigned, tc.unsigned, "without a signature", fix[tc.unsigned])
			want(t, r, doctor.CheckWebhookForged, tc.forged, "with a signature of another key", fix[tc.forged])
		})
	}
}

// TestUnreachableReceiver: nothing listens; the URL's secret query value stays out of the report.
func TestUnreachableReceiver(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.receiver.Close()
	s.p.WebhookURL = "https://" + publicHost + "/kick/webhook?token=hunter2"
	r := run(t, s.p)
	want(t, r, doctor.CheckWebhookAnswer, doctor.Fail, "POST https://bot.example.com/kick/webhook?token=REDACTED failed", "Make sure the receiver runs")
	if strings.Contains(r.String(), "hunter2") {
		t.Errorf("the report holds the URL's token:\n%s", r)
	}
}

// TestUntrustedCertificate: the receiver's certificate is not from a CA the probes (and Kick)
// trust.
func TestUntrustedCertificate(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.RootCAs = nil // the system's, which do not know the test server's
	want(t, run(t, s.p), doctor.CheckWebhookAnswer, doctor.Fail, "certificate", "from a public CA")
}

func TestNoHandlerAtPath(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.WebhookURL = "https://" + publicHost + "/webhook"
	want(t, run(t, s.p), doctor.CheckWebhookAnswer, doctor.Fail, "answered 404 Not Found", "Set the path the webhook handler serves")
}

func TestNoWebhookURL(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.WebhookURL = ""
	r := run(t, s.p)
	want(t, r, doctor.CheckWebhookURL, doctor.Warn, "No webhook URL was given", "--webhook-url")
	missing(t, r, doctor.CheckWebhookAddress, doctor.CheckWebhookAnswer)
}

func TestWebhookAddresses(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	addrs := func(ss ...string) []netipAddr { return parseAddrs(t, ss...) }
	for _, tc := range []struct {
		url      string
		resolves []netipAddr
		local    bool
		urlCheck doctor.Verdict
		verdict  doctor.Verdict // of the address check; "" when it does not run
		seen     string
	}{
		{url: "http://bot.example.com/kick/webhook", urlCheck: doctor.Fail, seen: "plain http; Kick delivers to https URLs only"},
		{url: "ftp://bot.example.com/", urlCheck: doctor.Fail, seen: "not an absolute http(s) URL"},
		{url: "/kick/webhook", urlCheck: doctor.Fail, seen: "not an absolute http(s) URL"},
		{url: "https://bot.example.com:bad/", urlCheck: doctor.Fail, seen: "does not parse"},
		{url: "https://user:secret@bot.example.com/kick/webhook", resolves: addrs("93.184.215.14"), urlCheck: doctor.Warn, verdict: doctor.OK, seen: "public"},
		{url: "https://localhost/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "host localhost is this machine"},
		{url: "https://kick.localhost/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "is this machine"},
		{url: "https://intranet/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "not a public DNS name"},
		{url: "https://127.0.0.1:8080/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "127.0.0.1 (loopback)"},
		{url: "https://[::1]/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "::1 (loopback)"},
		{url: "https://10.1.2.3/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "10.1.2.3 (private)"},
		{url: "https://192.168.1.20/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "(private)"},
		{url: "https://100.72.1.9/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "100.72.1.9 (carrier-grade NAT)"},
		{url: "https://169.254.169.254/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "(link-local)"},
		{url: "https://[fe80::1]/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "(link-local)"},
		{url: "https://[fd00::5]/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "(private)"},
		{url: "https://0.0.0.0/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "(unspecified)"},
		{url: "https://bot.example.com/kick/webhook", resolves: addrs("::ffff:10.0.0.1"), urlCheck: doctor.OK, verdict: doctor.Fail, seen: "10.0.0.1 (private)"},
		{url: "https://bot.example.com/kick/webhook", resolves: addrs("203.0.113.7", "2001:db8::7"), urlCheck: doctor.OK, verdict: doctor.Fail, seen: "203.0.113.7 (documentation), 2001:db8::7 (documentation)"},
		{url: "https://bot.example.com/kick/webhook", resolves: addrs("198.18.0.1", "240.0.0.1", "192.0.0.8"), urlCheck: doctor.OK, verdict: doctor.Fail, seen: "(benchmarking)"},
		{url: "https://bot.example.com/kick/webhook", resolves: addrs("93.184.215.14", "192.168.0.10"), urlCheck: doctor.OK, verdict: doctor.Warn, seen: "is 93.184.215.14, but also 192.168.0.10 (private)"},
		{url: "https://bot.example.com/kick/webhook", urlCheck: doctor.OK, verdict: doctor.Fail, seen: "does not resolve"},
		{url: "https://bot.example.com./kick/webhook", resolves: addrs("2606:4700::6810:84e5"), urlCheck: doctor.OK, verdict: doctor.OK, seen: "2606:4700::6810:84e5, public"},
		{url: "http://127.0.0.1:8080/kick/webhook", local: true, urlCheck: doctor.OK, verdict: doctor.OK, seen: "which a local fake of Kick reaches"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			p := s.p
			p.WebhookURL, p.Local = tc.url, tc.local
			p.Resolver = fakeResolver{}
			if tc.resolves != nil {
				p.Resolver = fakeResolver{"bot.example.com": tc.resolves}
			}
			r := run(t, p)
			c, _ := r.Check(doctor.CheckWebhookURL)
			if c.Verdict != tc.urlCheck {
				t.Errorf("URL check: %s; want %s", c, tc.urlCheck)
			}
			if tc.verdict == "" {
				if c.Verdict == doctor.Fail && !strings.Contains(c.Seen, tc.seen) {
					t.Errorf("URL check: %s; want %q", c, tc.seen)
				}
				missing(t, r, doctor.CheckWebhookAddress)
				return
			}
			fix := "Kick must reach the webhook URL from the Internet"
			switch {
			case tc.verdict == doctor.OK:
				fix = ""
			case tc.verdict == doctor.Warn:
				fix = "Remove the DNS records"
			case strings.Contains(tc.seen, "resolve"):
				fix = "Publish a DNS record"
			}
			want(t, r, doctor.CheckWebhookAddress, tc.verdict, tc.seen, fix)
			if strings.Contains(fmt.Sprint(r), "secret") {
				t.Errorf("the report holds the URL's password:\n%s", r)
			}
		})
	}
}

// TestUserTokenOfAnotherChannel: a user token subscribes to its owner's channel alone.
func TestUserTokenOfAnotherChannel(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.Client, s.p.BroadcasterUserID = userOnly(t, s.srv, kicktest.Viewer.UserID), kicktest.Streamer.UserID
	r := run(t, s.p)
	want(t, r, doctor.CheckAppToken, doctor.OK, "No app token source is configured", "")
	want(t, r, doctor.CheckScopes, doctor.OK, "The user token subscribes, and it has events:subscribe", "")
	want(t, r, doctor.CheckChannel, doctor.Fail, fmt.Sprintf("user %d's: Kick subscribes it to channel %d whatever it asks for, never to channel %d",
		kicktest.Viewer.UserID, kicktest.Viewer.UserID, kicktest.Streamer.UserID), "app token")
	missing(t, r, doctor.CheckSubscriptions, doctor.CheckDuplicates, doctor.CheckWebhooksEnabled)
}

func TestMissingScope(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.Client = userOnly(t, s.srv, kicktest.Streamer.UserID, kick.ScopeUserRead, kick.ScopeChatWrite)
	r := run(t, s.p)
	want(t, r, doctor.CheckScopes, doctor.Fail, "lacks events:subscribe; it has: user:read chat:write", "events:subscribe")
}

func TestDuplicates(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	ctx := context.Background()
	for range 2 {
		if _, err := s.client.Events.SubscribeTo(ctx, kicktest.Streamer.UserID, kick.EventChatMessageSent); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, s.p)
	want(t, r, doctor.CheckDuplicates, doctor.Warn, "chat.message.sent v1 3 times", "Events.Sync")
	if r.Failed() || r.Verdict() != doctor.Warn {
		t.Errorf("Failed %v, Verdict %s", r.Failed(), r.Verdict())
	}
	if got := r.Problems(); len(got) != 1 || got[0].ID != doctor.CheckDuplicates {
		t.Errorf("Problems = %v", got)
	}
	// The fix it names fixes it.
	if _, err := s.client.Events.Sync(ctx, kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: wanted}); err != nil {
		t.Fatal(err)
	}
	allOK(t, run(t, s.p), healthyChecks...)
}

// TestWrongVersion: a wanted event type subscribed at another version (Kick's listing, faked).
func TestWrongVersion(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.srv.Fault("listEventSubscriptions", kicktest.Fault{Body: fmt.Sprintf(`{"data":[
		{"id":"01K00000000000000000000001","app_id":"x","broadcaster_user_id":%[1]d,"event":"chat.message.sent","version":2,"method":"webhook","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"},
		{"id":"01K00000000000000000000002","app_id":"x","broadcaster_user_id":%[1]d,"event":"channel.followed","version":1,"method":"webhook","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
	],"message":"OK"}`, kicktest.Streamer.UserID)})
	r := run(t, s.p)
	want(t, r, doctor.CheckVersions, doctor.Warn, "chat.message.sent v2 (subscription 01K00000000000000000000001)", "DeleteStrays")
	want(t, r, doctor.CheckSubscriptions, doctor.Fail, "not subscribed to chat.message.sent v1", "Sync")
}

// TestSubscribedEventsByDefault: without Params.Events, the events subscribed are the wanted
// ones, and none is of a wrong version.
func TestSubscribedEventsByDefault(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	s.p.Events = nil
	r := run(t, s.p)
	want(t, r, doctor.CheckSubscriptions, doctor.OK, "(chat.message.sent v1, channel.followed v1)", "")
	missing(t, r, doctor.CheckVersions)
	if diff := cmp.Diff(wantedV1, r.Events); diff != "" || r.BroadcasterUserID != kicktest.Streamer.UserID {
		t.Errorf("channel %d, events (-want +got):\n%s", r.BroadcasterUserID, diff)
	}

	s.srv.DisableWebhooks()
	s.srv.SetWebhookURL("https://example.com/")
	r = run(t, s.p)
	want(t, r, doctor.CheckSubscriptions, doctor.Fail, "has no subscriptions", "--event TYPE --fix")
	want(t, r, doctor.CheckWebhooksEnabled, doctor.OK, "Kick accepted a subscription to chat.message.sent v1", "")
}

func TestRefreshTokenAge(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	ctx := context.Background()
	old := s.srv.UserToken(kicktest.Streamer.UserID)
	old.Expiry = time.Now().Add(-40 * 24 * time.Hour)
	save := func(tok *oauth2.Token) {
		t.Helper()
		if err := s.p.Store.Save(ctx, s.p.StoreKey, tok); err != nil {
			t.Fatal(err)
		}
	}
	save(old)
	want(t, run(t, s.p), doctor.CheckRefreshToken, doctor.Warn, "issued about 40 days ago", "kickauth.ErrReauthorize")

	noRefresh := *old
	noRefresh.RefreshToken = ""
	save(&noRefresh)
	want(t, run(t, s.p), doctor.CheckRefreshToken, doctor.Fail, "has no refresh token", "Authorize the user again")

	noExpiry := *old
	noExpiry.Expiry = time.Time{}
	save(&noExpiry)
	want(t, run(t, s.p), doctor.CheckRefreshToken, doctor.Warn, "no expiry", "Expiry")

	s.p.StoreKey = "nobody"
	want(t, run(t, s.p), doctor.CheckRefreshToken, doctor.Fail, `no user token under key "nobody"`, "kick auth login")

	s.p.Store = nil
	missing(t, run(t, s.p), doctor.CheckRefreshToken)
}

// TestRefreshTokenRenewed: the user token source refreshes the old token during the run, and Kick
// issues a new refresh token: the warning no longer holds.
func TestRefreshTokenRenewed(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	ctx := context.Background()
	old := s.srv.UserToken(kicktest.Streamer.UserID)
	old.Expiry = time.Now().Add(-40 * 24 * time.Hour)
	store := kickauth.NewMemoryStore()
	if err := store.Save(ctx, "k", old); err != nil {
		t.Fatal(err)
	}
	users, err := kickauth.UserTokenSource(ctx, s.srv.OAuthConfig(""), store, "k")
	if err != nil {
		t.Fatal(err)
	}
	client, err := kick.NewClient(kick.WithAPIBaseURL(s.srv.APIBaseURL), kick.WithOAuthBaseURL(s.srv.OAuthBaseURL),
		kick.WithUserTokenSource(users), kick.WithAppTokenSource(s.srv.AppTokenSource()))
	if err != nil {
		t.Fatal(err)
	}
	s.p.Client, s.p.Store, s.p.StoreKey = client, store, "k"
	r := run(t, s.p)
	want(t, r, doctor.CheckRefreshToken, doctor.OK, "was about 40 days old; this run refreshed the user token", "")
	want(t, r, doctor.CheckUserToken, doctor.OK, "active", "")
}

func TestTokenFailures(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	ctx := context.Background()
	base := []kick.Option{kick.WithAPIBaseURL(s.srv.APIBaseURL), kick.WithOAuthBaseURL(s.srv.OAuthBaseURL)}
	newClient := func(opts ...kick.Option) *kick.Client {
		t.Helper()
		c, err := kick.NewClient(append(base, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	t.Run("none", func(t *testing.T) {
		p := s.p
		p.Client = newClient()
		r := run(t, p)
		want(t, r, doctor.CheckAppToken, doctor.Fail, "neither an app token source nor a user token source", "kick.WithAppTokenSource")
		want(t, r, doctor.CheckUserToken, doctor.Fail, "no user token source", "kickauth.UserTokenSource")
		missing(t, r, doctor.CheckScopes, doctor.CheckChannel, doctor.CheckSubscriptions)
		want(t, r, doctor.CheckAPI, doctor.OK, "", "") // the public key needs no token
	})

	t.Run("wrong secret", func(t *testing.T) {
		cfg := s.srv.OAuthConfig("")
		cfg.ClientSecret = "wrong"
		p := s.p
		p.Client = newClient(kick.WithAppTokenSource(kickauth.AppTokenSource(ctx, cfg)))
		r := run(t, p)
		want(t, r, doctor.CheckAppToken, doctor.Fail, "Getting or introspecting the app token failed", "client id and secret")
		want(t, r, doctor.CheckUserToken, doctor.OK, "No user token source is configured", "")
		missing(t, r, doctor.CheckScopes, doctor.CheckSubscriptions) // no usable token
	})

	t.Run("revoked user token", func(t *testing.T) {
		tok := s.srv.UserToken(kicktest.Streamer.UserID)
		c := newClient(kick.WithUserTokenSource(oauth2.StaticTokenSource(tok)), kick.WithAppTokenSource(s.srv.AppTokenSource()))
		if err := c.Tokens.Revoke(ctx, tok.RefreshToken, kick.TokenHintRefreshToken); err != nil {
			t.Fatal(err)
		}
		p := s.p
		p.Client, p.BroadcasterUserID = c, kicktest.Streamer.UserID
		r := run(t, p)
		want(t, r, doctor.CheckUserToken, doctor.Fail, "not active", "Authorize the user again")
		want(t, r, doctor.CheckAppToken, doctor.OK, "The app token is active", "")
		// The app token still subscribes.
		want(t, r, doctor.CheckSubscriptions, doctor.OK, "", "")
	})

	t.Run("refresh token rejected", func(t *testing.T) {
		tok := s.srv.UserToken(kicktest.Streamer.UserID)
		if err := newClient().Tokens.Revoke(ctx, tok.RefreshToken, kick.TokenHintRefreshToken); err != nil {
			t.Fatal(err)
		}
		tok.Expiry = time.Now().Add(-time.Hour)
		store := kickauth.NewMemoryStore()
		if err := store.Save(ctx, "k", tok); err != nil {
			t.Fatal(err)
		}
		users, err := kickauth.UserTokenSource(ctx, s.srv.OAuthConfig(""), store, "k")
		if err != nil {
			t.Fatal(err)
		}
		p := s.p
		p.Client = newClient(kick.WithUserTokenSource(users))
		c := want(t, run(t, p), doctor.CheckUserToken, doctor.Fail, "invalid_grant", "Authorize the user again")
		if !errors.Is(c.Err, kickauth.ErrReauthorize) {
			t.Errorf("Err = %v", c.Err)
		}
	})

	t.Run("kinds swapped", func(t *testing.T) {
		p := s.p
		p.Client = newClient(kick.WithUserTokenSource(s.srv.AppTokenSource()), kick.WithAppTokenSource(s.srv.UserTokenSource(kicktest.Streamer.UserID)))
		r := run(t, p)
		want(t, r, doctor.CheckAppToken, doctor.Fail, `kind "user", not an app token`, "kick.WithAppTokenSource")
		want(t, r, doctor.CheckUserToken, doctor.Fail, `kind "app", not a user token`, "kick.WithUserTokenSource")
	})
}

func TestInvalidParams(t *testing.T) {
	t.Parallel()
	client, err := kick.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p    doctor.Params
		want string
	}{
		{doctor.Params{}, "Client is nil"},
		{doctor.Params{Client: client, BroadcasterUserID: -1}, "BroadcasterUserID -1"},
		{doctor.Params{Client: client, ProbeTimeout: -1}, "must not be negative"},
		{doctor.Params{Client: client, Store: kickauth.NewMemoryStore()}, "without a StoreKey"},
		{doctor.Params{Client: client, Events: []kick.SubscribeEvent{{Type: "chat.message"}}}, `Events[0].Type "chat.message" is not a Kick event type`},
		{doctor.Params{Client: client, Events: []kick.SubscribeEvent{{Type: kick.EventKicksGifted, Version: -2}}}, "Events[0].Version -2 is negative"},
		{doctor.Params{Client: client, Events: []kick.SubscribeEvent{{Type: kick.EventKicksGifted}, {Type: kick.EventKicksGifted, Version: 1}}}, "Events[1] repeats kicks.gifted v1"},
	} {
		r, err := doctor.Run(context.Background(), tc.p)
		if r != nil || !errors.Is(err, doctor.ErrInvalidParams) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Run(%+v) = %v, %v; want ErrInvalidParams: %s", tc.p, r, err, tc.want)
		}
	}
}

func TestCanceled(t *testing.T) {
	t.Parallel()
	s := newSetup(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := doctor.Run(ctx, s.p)
	if !errors.Is(err, context.Canceled) || r == nil {
		t.Fatalf("Run = %v, %v", r, err)
	}
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	r := &doctor.Report{Checks: []doctor.Check{
		{ID: doctor.CheckClock, Verdict: doctor.OK, Seen: "fine."},
		{ID: doctor.CheckDuplicates, Verdict: doctor.Warn, Seen: "twice.", Fix: "Sync.", Err: errors.New("not in JSON")},
	}}
	b, err := jsonMarshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"checks":[{"id":"clock","verdict":"ok","seen":"fine."},{"id":"duplicates","verdict":"warn","seen":"twice.","fix":"Sync."}]}`
	if diff := cmp.Diff(wantJSON, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	if got, want := r.String(), "ok clock: fine.\nwarn duplicates: twice. Fix: Sync.\n"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
