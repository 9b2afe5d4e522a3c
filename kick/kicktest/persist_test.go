package kicktest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// TestSaveLoadState: a state saved by one server and loaded by another of the same app keeps
// everything a client relies on: tokens (access and refresh), subscriptions, chat, follows,
// drops, redemptions, the webhook URL and the authorize endpoint's user; saving again gives the
// same file.
func TestSaveLoadState(t *testing.T) {
	t.Parallel()
	app := kicktest.App{ClientID: "persist-app", ClientSecret: "persist-secret"}
	a := kicktest.New(t, kicktest.WithApp(app), kicktest.WithWebhookURL("http://127.0.0.1:1/hook"))
	a.AuthorizeAs(kicktest.Viewer.UserID)
	tok := a.UserToken(kicktest.Streamer.UserID)
	ctx := context.Background()
	ca, err := a.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Events.Subscribe(ctx, kick.EventSubscribeParams{Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent, Version: 1}}}); err != nil {
		t.Fatal(err)
	}
	a.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "saved message")
	deleted := a.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "deleted message")
	if err := ca.Chat.Delete(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	a.Follow(kicktest.BotUser.UserID, kicktest.Streamer.UserID)
	a.GiftKicks(kicktest.Viewer.UserID, kicktest.Streamer.UserID, 100, "saved kicks")
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	if err := a.SaveState(&saved); err != nil {
		t.Fatal(err)
	}

	b := kicktest.New(t, kicktest.WithApp(app))
	if err := b.LoadState(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	if b.WebhookURL() != "http://127.0.0.1:1/hook" {
		t.Errorf("webhook URL %q", b.WebhookURL())
	}
	// The token issued by a works on b, and so does its refresh token.
	cb, err := kick.NewClient(kick.WithAPIBaseURL(b.APIBaseURL), kick.WithOAuthBaseURL(b.OAuthBaseURL),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(tok)))
	if err != nil {
		t.Fatal(err)
	}
	me, err := cb.Users.Me(ctx)
	if err != nil || me.UserID != kicktest.Streamer.UserID {
		t.Fatalf("a's token on b: %+v %v", me, err)
	}
	subs, err := cb.Events.List(ctx, kick.EventListParams{})
	if err != nil || len(subs) != 1 || subs[0].Type != kick.EventChatMessageSent {
		t.Errorf("subscriptions on b: %+v %v", subs, err)
	}
	if diff := cmp.Diff(a.Messages(kicktest.Streamer.UserID), b.Messages(kicktest.Streamer.UserID)); diff != "" || len(b.Messages(kicktest.Streamer.UserID)) != 1 {
		t.Errorf("messages (-a +b):\n%s", diff)
	}
	if strings.Contains(saved.String(), "deleted message") {
		t.Error("the saved state holds a deleted message")
	}
	refreshed, err := b.OAuthConfig("").TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil || refreshed.AccessToken == "" {
		t.Errorf("a's refresh token on b: %v", err)
	}
	// The authorize endpoint's user came along: the viewer.
	cfg := b.OAuthConfig("http://localhost:8976/callback")
	verifier := oauth2.GenerateVerifier()
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).
		Get(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize on b: %s", resp.Status)
	}
	viewerTok, err := cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	cv, err := kick.NewClient(kick.WithAPIBaseURL(b.APIBaseURL), kick.WithOAuthBaseURL(b.OAuthBaseURL), kick.WithUserTokenSource(oauth2.StaticTokenSource(viewerTok)))
	if err != nil {
		t.Fatal(err)
	}
	if who, err := cv.Users.Me(ctx); err != nil || who.UserID != kicktest.Viewer.UserID {
		t.Errorf("the authorize endpoint of b approves as %+v (%v), want the viewer", who, err)
	}

	// Loaded and saved again: the same file.
	c := kicktest.New(t, kicktest.WithApp(app))
	if err := c.LoadState(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := c.SaveState(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved.Bytes(), again.Bytes()) {
		t.Errorf("a state loaded and saved again differs:\n%s", cmp.Diff(saved.String(), again.String()))
	}
}

func TestLoadStateRefuses(t *testing.T) {
	t.Parallel()
	a := kicktest.New(t, kicktest.WithApp(kicktest.App{ClientID: "one", ClientSecret: "s"}))
	var saved bytes.Buffer
	if err := a.SaveState(&saved); err != nil {
		t.Fatal(err)
	}
	other := kicktest.New(t, kicktest.WithApp(kicktest.App{ClientID: "two", ClientSecret: "s"}))
	if err := other.LoadState(bytes.NewReader(saved.Bytes())); !errors.Is(err, kicktest.ErrOtherApp) {
		t.Errorf("another app's state: %v", err)
	}
	for name, data := range map[string]string{
		"not JSON":      "{",
		"a version 99":  `{"version":99,"client_id":"two"}`,
		"over the size": `{"version":1,"client_id":"two","pad":"` + strings.Repeat("x", 64<<20) + `"}`,
	} {
		if err := other.LoadState(strings.NewReader(data)); err == nil || errors.Is(err, kicktest.ErrOtherApp) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := other.LoadState(io.MultiReader(failing{})); err == nil {
		t.Error("a failing reader: no error")
	}
	// Nothing changed: the server still answers as before.
	if _, ok := other.User(kicktest.Streamer.UserID); !ok {
		t.Error("the server lost its state on a refused load")
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("read failed") }

// TestWithHandler: a handler of WithHandler answers on the API listener beside the operations,
// which still answer, and WebhookURL follows SetWebhookURL.
func TestWithHandler(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t, kicktest.WithHandler("/_extra/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "extra "+r.URL.Path)
	})))
	resp, err := http.Get(srv.APIBaseURL + "/_extra/x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if string(body) != "extra /_extra/x" {
		t.Errorf("the extra handler: %s %q", resp.Status, body)
	}
	if resp, err := http.Get(srv.APIBaseURL + "/public/v1/public-key"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("an operation beside it: %v %v", resp, err)
	} else {
		_ = resp.Body.Close()
	}
	if srv.WebhookURL() != "" {
		t.Errorf("webhook URL %q", srv.WebhookURL())
	}
	srv.SetWebhookURL("http://127.0.0.1:1/new")
	if srv.WebhookURL() != "http://127.0.0.1:1/new" {
		t.Errorf("after SetWebhookURL: %q", srv.WebhookURL())
	}
}

// SaveState may run while the server changes: what it writes is copied under the server's lock.
func TestSaveStateWhileServing(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 100 {
			s.Subscribe(kicktest.Viewer.UserID, kicktest.Streamer.UserID, i+1)
			s.GiftSubs(kicktest.Moderator.UserID, kicktest.Streamer.UserID, s.AddUser(fmt.Sprintf("giftee_%d", i)).UserID)
		}
	}()
	for range 20 {
		if err := s.SaveState(io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	<-done
}
