package relay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// A token reads only its channels' events and its types: a consumer of channel 1001 never sees
// channel 2002's, asking for 2002 is refused with 403 (ErrForbidden) before any event, and
// unknown, revoked and expired tokens are refused with 401 (ErrUnauthorized). A Drops claim,
// which belongs to no channel, reaches only a token for every channel.
func TestTokenReadsOnlyItsChannels(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	ctx := context.Background()
	one := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	chatOnly := tr.token(relay.Grant{Broadcasters: []int64{1001, 2002}, Types: []kicktypes.EventType{kicktypes.EventChatMessageSent}})
	all := tr.token(relay.Grant{AllBroadcasters: true})
	start := relay.WithStart(relay.ID{})

	tr.mustPost(tr.delivery(2002, "other-0"))
	tr.mustPost(tr.delivery(1001, "mine-0"))
	follow := webhooktest.NewDelivery(kicktypes.EventChannelFollowed, []byte(`{"broadcaster":{"is_anonymous":false,"user_id":1001,"username":"b","is_verified":false,"profile_picture":"","channel_slug":"b","identity":null},"follower":{"is_anonymous":false,"user_id":7,"username":"v","is_verified":false,"profile_picture":"","channel_slug":"v","identity":null}}`))
	follow.Timestamp = tr.clock.Now()
	tr.mustPost(follow)
	drops := webhooktest.NewDelivery(webhook.EventDropsClaim, []byte(`{"claim_id":"c1","organization_id":"o","user_id":7,"campaign_id":"x","reward_id":"r","claimed_at":"2025-01-14T16:08:06Z"}`))
	drops.Timestamp = tr.clock.Now()
	tr.mustPost(drops)
	tr.mustPost(tr.delivery(2002, "other-1"))
	tr.mustPost(tr.delivery(1001, "mine-1"))

	cOne, _ := subscribe(t, tr.eventsURL(), one, relay.Filter{}, start)
	cChat, _ := subscribe(t, tr.eventsURL(), chatOnly, relay.Filter{Broadcasters: []int64{1001}}, start)
	cAll, _ := subscribe(t, tr.eventsURL(), all, relay.Filter{}, start)
	types := func(ds []*webhook.Delivery) []string {
		var out []string
		for _, d := range ds {
			out = append(out, string(d.Type))
		}
		return out
	}
	if diff := cmp.Diff([]string{"chat.message.sent", "channel.followed", "chat.message.sent"}, types(cOne.waitFor(t, 3))); diff != "" {
		t.Errorf("token of 1001 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"mine-0", "mine-1"}, contents(t, cChat.waitFor(t, 2))); diff != "" {
		t.Errorf("chat token narrowed to 1001 (-want +got):\n%s", diff)
	}
	if got := cAll.waitFor(t, 6); got[3].Type != webhook.EventDropsClaim {
		t.Errorf("the token for every channel got %v", types(got))
	}
	tr.mustPost(tr.delivery(1001, "mine-2"))
	tr.mustPost(tr.delivery(2002, "other-2"))
	cAll.waitFor(t, 8)
	for _, d := range append(cOne.waitFor(t, 4), cChat.waitFor(t, 3)...) {
		if strings.Contains(string(d.Body), "other") || d.Type == webhook.EventDropsClaim {
			t.Errorf("a token of 1001 got %s %s", d.Type, d.Body)
		}
	}

	revoked, rg, err := relay.CreateToken(ctx, tr.tokens, relay.Grant{Broadcasters: []int64{1001}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.tokens.Revoke(ctx, rg.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token string
		f           relay.Filter
		want        error
	}{
		{"other channel", one, relay.Filter{Broadcasters: []int64{2002}}, relay.ErrForbidden},
		{"other type", chatOnly, relay.Filter{Types: []kicktypes.EventType{kicktypes.EventChannelFollowed}}, relay.ErrForbidden},
		{"unknown", relay.TokenPrefix + "nope", relay.Filter{}, relay.ErrUnauthorized},
		{"revoked", revoked, relay.Filter{}, relay.ErrUnauthorized},
		{"empty", "", relay.Filter{}, relay.ErrUnauthorized},
	} {
		var got error
		n := 0
		for d, err := range relay.Subscribe(ctx, tr.eventsURL(), tc.token, tc.f, start) {
			if err != nil {
				got = err
				break
			}
			n++
			_ = d
			break
		}
		if !errors.Is(got, tc.want) || n != 0 {
			t.Errorf("%s: %d deliveries, error %v, want %v", tc.name, n, got, tc.want)
		}
	}
}

// An expired token is refused like an unknown one.
func TestExpiredToken(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	tok, _, err := relay.CreateToken(context.Background(), tr.tokens, relay.Grant{Broadcasters: []int64{1001}, ExpiresAt: tr.clock.Now().Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if got := streamStatus(t, tr, tok, ""); got != http.StatusOK {
		t.Fatalf("live token: %d", got)
	}
	tr.clock.Advance(time.Minute)
	_ = tr.srv.Close() // ends the open stream
	if got := streamStatus(t, tr, tok, ""); got != http.StatusUnauthorized {
		t.Errorf("expired token: %d, want 401", got)
	}
}

// streamStatus opens a stream and returns its status.
func streamStatus(t *testing.T, tr *testRelay, token, query string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodHead, tr.eventsURL()+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// The token file holds digests, never a token; it is mode 0600; a token created or revoked by
// another FileTokens on the same file (the CLI, while the relay runs) is seen at the next lookup.
func TestFileTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dir", "tokens.json")
	relayView, cli := relay.NewFileTokens(path), relay.NewFileTokens(path)
	if _, err := relayView.Lookup(ctx, relay.HashToken("x")); !errors.Is(err, relay.ErrUnknownToken) {
		t.Fatalf("empty store: %v", err)
	}
	tok, g, err := relay.CreateToken(ctx, cli, relay.Grant{Name: "laptop", Broadcasters: []int64{1001}, Types: []kicktypes.EventType{"chat.message.sent"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, relay.TokenPrefix) || len(tok) < 40 || !strings.HasPrefix(g.ID, "tok_") {
		t.Errorf("token %d bytes, id %q", len(tok), g.ID)
	}
	got, err := relayView.Lookup(ctx, relay.HashToken(tok))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(g, got); diff != "" {
		t.Errorf("grant (-created +looked up):\n%s", diff)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), tok) || strings.Contains(string(b), strings.TrimPrefix(tok, relay.TokenPrefix)) {
		t.Error("the token file holds the token")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	tok2, g2, err := relay.CreateToken(ctx, cli, relay.Grant{AllBroadcasters: true})
	if err != nil {
		t.Fatal(err)
	}
	list, err := relayView.List(ctx)
	if err != nil || len(list) != 2 || list[0].ID != g.ID || list[1].ID != g2.ID {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if err := cli.Revoke(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := relayView.Lookup(ctx, relay.HashToken(tok)); !errors.Is(err, relay.ErrUnknownToken) {
		t.Errorf("revoked token: %v", err)
	}
	if _, err := relayView.Lookup(ctx, relay.HashToken(tok2)); err != nil {
		t.Errorf("other token: %v", err)
	}
	if err := cli.Revoke(ctx, g.ID); !errors.Is(err, relay.ErrUnknownToken) {
		t.Errorf("revoking twice: %v", err)
	}
}

// A grant must name what it reads.
func TestCreateTokenRefusesEmptyGrants(t *testing.T) {
	t.Parallel()
	for _, g := range []relay.Grant{{}, {Broadcasters: []int64{-1}}, {AllBroadcasters: true, Types: []kicktypes.EventType{"a b"}}} {
		if _, _, err := relay.CreateToken(context.Background(), relay.NewMemoryTokens(), g); err == nil {
			t.Errorf("CreateToken(%+v) succeeded", g)
		}
	}
}

// Revoking a token ends its open streams at their next heartbeat, and the consumer is refused
// when it reconnects.
func TestRevokedTokenEndsStream(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{opts: []relay.Option{relay.WithHeartbeat(20 * time.Millisecond)}})
	ctx := context.Background()
	tok, g, err := relay.CreateToken(ctx, tr.tokens, relay.Grant{Broadcasters: []int64{1001}})
	if err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() {
		for _, err := range relay.Subscribe(ctx, tr.eventsURL(), tok, relay.Filter{}, relay.WithBackoff(time.Millisecond, 10*time.Millisecond)) {
			if err != nil {
				ended <- err
				return
			}
		}
		ended <- nil
	}()
	waitUntil(t, "the stream", func() bool { return tr.srv.Stats().Consumers == 1 })
	if err := tr.tokens.Revoke(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the stream to end", func() bool { return tr.srv.Stats().Consumers == 0 })
	if !strings.Contains(tr.logText(), `reason="token revoked or expired"`) {
		t.Errorf("log:\n%s", tr.logText())
	}
	if err := <-ended; !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("after revocation the consumer ended with %v", err)
	}
}
