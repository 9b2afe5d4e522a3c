package kick_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// countingStub answers every request with a success and counts them.
type countingStub struct {
	stubAnswer
	n atomic.Int32
}

func (c *countingStub) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.stubAnswer.RoundTrip(r)
}

// userTokenWith is a user token that says which scopes it was granted, as Kick's token answer and
// kickauth's stored tokens do.
func userTokenWith(scope string) oauth2.TokenSource {
	return oauth2.StaticTokenSource((&oauth2.Token{AccessToken: userToken}).WithExtra(map[string]any{"scope": scope}))
}

// A call that needs a scope the user token was not granted fails before anything is sent, naming
// the scope and the login that asks for it; a token whose grant is unknown is sent as before, and
// so is every call once WithoutScopeCheck is given. App tokens carry no scopes and are never held
// to them.
func TestScopesCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	send := func(c *kick.Client) error {
		_, err := c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hi"})
		return err
	}
	redemptions := func(c *kick.Client) error {
		_, err := c.Rewards.ListRedemptions(context.Background(), kick.RedemptionListParams{})
		return err
	}
	appUsers := func(c *kick.Client) error {
		_, err := c.Users.Get(context.Background(), []int64{1}, kick.WithTokenKind(kick.TokenKindApp))
		return err
	}
	body := []byte(`{"data":{"is_sent":true,"message_id":"9ec70d6a-256c-4646-86c1-271e080d1d5c"},"message":"OK"}`)
	tests := []struct {
		name    string
		granted oauth2.TokenSource
		opts    []kick.Option
		call    func(*kick.Client) error
		want    *kick.MissingScopeError // nil: sent
	}{
		{"granted", userTokenWith("user:read chat:write"), nil, send, nil},
		{"not granted", userTokenWith("user:read kicks:read"), nil, send, &kick.MissingScopeError{
			Operation: "sendChatMessage", Missing: []kick.Scope{kick.ScopeChatWrite}, Granted: []kick.Scope{kick.ScopeUserRead, kick.ScopeKicksRead}}},
		{"granted nothing", userTokenWith(""), nil, send, &kick.MissingScopeError{
			Operation: "sendChatMessage", Missing: []kick.Scope{kick.ScopeChatWrite}}},
		{"grant unknown", oauth2.StaticTokenSource(&oauth2.Token{AccessToken: userToken}), nil, send, nil},
		{"check off", userTokenWith("user:read"), []kick.Option{kick.WithoutScopeCheck()}, send, nil},
		{"one of two alternatives", userTokenWith("channel:rewards:write"), nil, redemptions, nil},
		{"neither alternative", userTokenWith("chat:write"), nil, redemptions, &kick.MissingScopeError{
			Operation: "listRewardRedemptions", Missing: []kick.Scope{kick.ScopeChannelRewardsRead},
			Alternatives: [][]kick.Scope{{kick.ScopeChannelRewardsWrite}}, Granted: []kick.Scope{kick.ScopeChatWrite}}},
		{"app token", userTokenWith(""), nil, appUsers, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rt := &countingStub{stubAnswer: stubAnswer{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: body}}
			c := stubClient(t, rt, append([]kick.Option{kick.WithUserTokenSource(tt.granted)}, tt.opts...)...)
			err := tt.call(c)
			if tt.want == nil {
				if errors.Is(err, kick.ErrMissingScope) || rt.n.Load() != 1 {
					t.Errorf("got %v after %d requests, want it sent", err, rt.n.Load())
				}
				return
			}
			var got *kick.MissingScopeError
			if !errors.As(err, &got) || !errors.Is(err, kick.ErrMissingScope) {
				t.Fatalf("got %v, want a *MissingScopeError", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if n := rt.n.Load(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
			if !strings.Contains(err.Error(), "kick auth login --scopes "+got.LoginScopes()) || !strings.Contains(err.Error(), string(got.Missing[0])) {
				t.Errorf("the message names neither the scope nor the login: %v", err)
			}
		})
	}
}

// LoginScopes asks for what the token had and what it lacks, in Kick's order, keeping a scope
// newer than this package.
func TestMissingScopeLoginScopes(t *testing.T) {
	t.Parallel()
	e := &kick.MissingScopeError{Missing: []kick.Scope{kick.ScopeChatWrite}, Granted: []kick.Scope{kick.ScopeKicksRead, "future:scope", kick.ScopeUserRead}}
	if got, want := e.LoginScopes(), "user:read,chat:write,kicks:read,future:scope"; got != want {
		t.Errorf("LoginScopes = %q, want %q", got, want)
	}
}

// kicktest refuses a token without the scope with Kick's 403, which the SDK reports as
// ErrForbidden when it does not check scopes itself.
func TestKicktestEnforcesScopes(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c, err := s.Client(kicktest.Streamer.UserID, kick.WithUserTokenSource(oauth2.StaticTokenSource(s.UserToken(kicktest.Streamer.UserID, kick.ScopeUserRead))),
		kick.WithoutScopeCheck())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Chat.Send(context.Background(), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "hi"})
	var ae *kick.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusForbidden || !strings.Contains(ae.Message, "chat:write") {
		t.Errorf("got %v, want kicktest's 403 naming chat:write", err)
	}
	if !slices.Contains(kick.AllScopes, kick.ScopeChatWrite) {
		t.Error("AllScopes lacks chat:write")
	}
}
