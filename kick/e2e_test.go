package kick_test

// End-to-end tests: the kick client, kickauth and the webhook package against kicktest, the fake
// Kick that checks every request and response against openapi/kick.yaml.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// e2eFastRetries keeps the client's retry behavior with backoffs short enough for tests.
var e2eFastRetries = kick.WithRetryPolicy(kick.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})

func e2eClient(t *testing.T, s *kicktest.Server, user int64, opts ...kick.Option) *kick.Client {
	t.Helper()
	c, err := s.Client(user, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func e2eCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// must fails the test on err, naming the step.
func must(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// TestE2EEveryOperation calls every operation of the spec through the client, then checks that
// kicktest validated a response of each against the spec and that none broke it.
func TestE2EEveryOperation(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:9/kick/webhook"))
	ctx := e2eCtx(t)
	c := e2eClient(t, s, kicktest.Streamer.UserID)
	mod := e2eClient(t, s, kicktest.Moderator.UserID)
	app := kick.WithTokenKind(kick.TokenKindApp)

	// OAuth: requestToken, introspectToken, introspectTokenV1, revokeToken.
	tok, err := c.Tokens.Request(ctx, kick.TokenRequestParams{GrantType: kick.GrantClientCredentials, ClientID: s.App.ClientID, ClientSecret: kick.Secret(s.App.ClientSecret)})
	must(t, "Tokens.Request", err)
	info, err := c.Tokens.Introspect(ctx)
	must(t, "Tokens.Introspect", err)
	if !info.Active || info.Kind != kick.TokenKindUser || len(info.Scopes) != len(kick.AllScopes) {
		t.Errorf("introspect %+v", info)
	}
	_, err = c.Tokens.IntrospectV1(ctx, app) //nolint:staticcheck // every operation, the deprecated ones too
	must(t, "Tokens.IntrospectV1", err)
	must(t, "Tokens.Revoke", c.Tokens.Revoke(ctx, tok.AccessToken.Reveal(), kick.TokenHintAccessToken))

	// Categories.
	_, err = c.Categories.List(ctx, kick.CategoryListParams{Names: []string{"Rust"}})
	must(t, "Categories.List", err)
	_, err = c.Categories.SearchV1(ctx, "counter", 1) //nolint:staticcheck // deprecated, still served
	must(t, "Categories.SearchV1", err)
	_, err = c.Categories.GetV1(ctx, 15) //nolint:staticcheck // deprecated, still served
	must(t, "Categories.GetV1", err)

	// Users and channels.
	_, err = c.Users.Get(ctx, []int64{kicktest.Viewer.UserID, kicktest.Moderator.UserID}, app)
	must(t, "Users.Get", err)
	_, err = c.Channels.Get(ctx, []int64{24871935, 51724903})
	must(t, "Channels.Get", err)
	must(t, "Channels.Update", c.Channels.Update(ctx, kick.ChannelUpdateParams{StreamTitle: kick.Ptr("variety time"), CategoryID: kick.Ptr(int64(17))}))

	// Rewards and redemptions.
	_, err = c.Rewards.List(ctx)
	must(t, "Rewards.List", err)
	reward, err := c.Rewards.Create(ctx, kick.RewardCreateParams{Title: "Choose the next game", Cost: 5000, IsUserInputRequired: true})
	must(t, "Rewards.Create", err)
	_, err = c.Rewards.Update(ctx, reward.ID, kick.RewardUpdateParams{IsPaused: kick.Ptr(true)})
	must(t, "Rewards.Update", err)
	must(t, "Rewards.Delete", c.Rewards.Delete(ctx, reward.ID))
	page, err := c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{RewardID: "01KBQVW2KVQNX4Y6RN800Y9K4N"})
	must(t, "Rewards.ListRedemptions", err)
	if len(page.Items) != 1 || len(page.Items[0].Redemptions) != 2 {
		t.Fatalf("redemptions %+v", page.Items)
	}
	pending := page.Items[0].Redemptions
	failed, err := c.Rewards.AcceptRedemptions(ctx, []string{pending[0].ID})
	must(t, "Rewards.AcceptRedemptions", err)
	failed2, err := c.Rewards.RejectRedemptions(ctx, []string{pending[1].ID})
	must(t, "Rewards.RejectRedemptions", err)
	if len(failed)+len(failed2) != 0 {
		t.Errorf("failed redemptions %v %v", failed, failed2)
	}

	// Chat and moderation.
	sent, err := c.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "welcome in [emote:4148074:HYPERCLAP]"})
	must(t, "Chat.Send", err)
	must(t, "Chat.Delete", mod.Chat.Delete(ctx, sent.MessageID))
	must(t, "Moderation.Ban", mod.Moderation.Ban(ctx, kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: kicktest.Viewer.UserID, Duration: 5 * time.Minute, Reason: "caps lock"}))
	must(t, "Moderation.Unban", mod.Moderation.Unban(ctx, kicktest.Streamer.UserID, kicktest.Viewer.UserID))

	// Livestreams, public key, KICKs.
	_, err = c.Livestreams.List(ctx, kick.LivestreamListParams{Languages: []string{"en"}})
	must(t, "Livestreams.List", err)
	_, err = c.Livestreams.ListV1(ctx, kick.LivestreamListV1Params{CategoryID: 12}) //nolint:staticcheck // deprecated, still served
	must(t, "Livestreams.ListV1", err)
	_, err = c.Livestreams.Stats(ctx)
	must(t, "Livestreams.Stats", err)
	_, err = c.Livestreams.GetByUsers(ctx, []int64{24871935, 40529318})
	must(t, "Livestreams.GetByUsers", err)
	_, err = c.PublicKey.Get(ctx)
	must(t, "PublicKey.Get", err)
	_, err = c.Kicks.Leaderboard(ctx, 3)
	must(t, "Kicks.Leaderboard", err)

	// Events and Drops.
	results, err := c.Events.SubscribeTo(ctx, 24871935)
	must(t, "Events.SubscribeTo", err)
	subs, err := c.Events.List(ctx, kick.EventListParams{BroadcasterUserID: 24871935})
	must(t, "Events.List", err)
	if len(subs) != len(results) || len(subs) != len(kick.AllEventTypes) {
		t.Errorf("%d subscriptions, %d results", len(subs), len(results))
	}
	must(t, "Events.Unsubscribe", c.Events.Unsubscribe(ctx, []string{subs[0].ID}))
	claims, err := c.Drops.ListClaims(ctx, kick.DropsClaimListParams{Limit: 2})
	must(t, "Drops.ListClaims", err)
	must(t, "Drops.UpdateClaims", c.Drops.UpdateClaims(ctx, []kick.DropsClaimUpdateParams{{ClaimID: claims.Items[1].ClaimID, ExternalStatus: "processed"}}))

	// Ads (inferred): enroll, start a break, read the status.
	must(t, "Ads.Enroll", c.Ads.Enroll(ctx))
	adBreak, err := c.Ads.StartBreak(ctx, kick.AdBreakStartParams{Duration: 90 * time.Second})
	must(t, "Ads.StartBreak", err)
	status, err := c.Ads.Status(ctx)
	must(t, "Ads.Status", err)
	if !status.OptedIn || status.RemainingAdBreaks != adBreak.RemainingAdBreaks || len(status.AdBreaks) != 1 ||
		status.AdBreaks[0]["id"] != adBreak.ID || status.Limits != (kick.AdBreakLimits{Max: 3, Period: time.Hour}) {
		t.Errorf("Ads.Status = %+v after the break %+v", status, adBreak)
	}

	// An operation the story above does not tell yet (a new one) is called through the
	// operations table, which its method's test file fills: each still reaches the fake.
	told := s.ResponsesValidated()
	for _, op := range operations {
		if told[op.id] == 0 {
			if _, err := op.call(ctx, c); err != nil {
				t.Logf("%s (not in the story): %v", op.name, err)
			}
		}
	}

	// The events the calls caused went out too; wait for them before checking.
	must(t, "Flush", s.Flush(ctx))
	for _, v := range s.Violations() {
		t.Errorf("spec violation: %v", v)
	}
	validated := s.ResponsesValidated()
	var covered []string
	for op, n := range validated {
		if n > 0 {
			covered = append(covered, op)
		}
	}
	slices.Sort(covered)
	if diff := cmp.Diff(kicktest.Operations(), covered); diff != "" {
		t.Errorf("operations with a validated response (-all +validated):\n%s", diff)
	}
}

// TestE2ESpecViolationIs400 sends what the client never would: 51 channel ids in one request.
func TestE2ESpecViolationIs400(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = fmt.Sprintf("broadcaster_user_id=%d", 24871935+i)
	}
	req, err := http.NewRequestWithContext(e2eCtx(t), http.MethodGet, s.APIBaseURL+"/public/v1/channels?"+strings.Join(ids, "&"), nil)
	must(t, "request", err)
	req.Header.Set("Authorization", "Bearer "+s.AppToken().AccessToken)
	rsp, err := http.DefaultClient.Do(req)
	must(t, "GET", err)
	body, _ := io.ReadAll(rsp.Body)
	_ = rsp.Body.Close()
	want := `{"data":null,"message":"parameter \"broadcaster_user_id\" in query: maximum number of items is 50"}`
	if rsp.StatusCode != http.StatusBadRequest || string(body) != want {
		t.Errorf("%d %s, want 400 %s", rsp.StatusCode, body, want)
	}
	// The client splits the same ids into requests Kick accepts.
	c := e2eClient(t, s, kicktest.Viewer.UserID)
	many := make([]int64, 120)
	for i := range many {
		many[i] = int64(i + 1)
	}
	_, err = c.Channels.Get(e2eCtx(t), append(many, kicktest.Streamer.UserID))
	must(t, "Channels.Get of 121 ids", err)
	if n := s.Requests("getChannels"); n != 4 {
		t.Errorf("%d getChannels requests, want 1 raw + 3 batches", n)
	}
	if vs := s.Violations(); len(vs) != 1 {
		t.Errorf("violations %v, want the raw request alone", vs)
	}
}

func TestE2ERateLimitedThenSuccess(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := e2eClient(t, s, kicktest.Viewer.UserID, e2eFastRetries)
	s.Fault("getUsers", kicktest.Fault{StatusCode: http.StatusTooManyRequests, RetryAfter: "1", Times: 1})
	me, err := c.Users.Me(e2eCtx(t))
	if err != nil || me.UserID != kicktest.Viewer.UserID {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	if n := s.Requests("getUsers"); n != 2 {
		t.Errorf("%d requests, want the 429 and the retry", n)
	}
	// A Retry-After beyond what the client waits ends the retries with a *RateLimitError.
	s.Fault("getUsers", kicktest.Fault{StatusCode: http.StatusTooManyRequests, RetryAfter: "120", Times: 1})
	_, err = c.Users.Me(e2eCtx(t))
	var rl *kick.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Minute || !errors.Is(err, kick.ErrRateLimited) {
		t.Errorf("err = %v", err)
	}
	if n := s.Requests("getUsers"); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	// A POST is retried after 429 too: Kick did not process it.
	s.Fault("sendChatMessage", kicktest.Fault{StatusCode: http.StatusTooManyRequests, RetryAfter: "0", Times: 1})
	_, err = c.Chat.Send(e2eCtx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "once"})
	must(t, "Chat.Send after 429", err)
	if msgs := s.Messages(kicktest.Streamer.UserID); len(msgs) != 1 {
		t.Errorf("messages %+v", msgs)
	}
}

func TestE2EServerErrorBurstThenSuccess(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := e2eClient(t, s, kicktest.Viewer.UserID, e2eFastRetries)
	s.Fault("getChannels", kicktest.Fault{StatusCode: http.StatusServiceUnavailable, Times: 2})
	chs, err := c.Channels.GetBySlug(e2eCtx(t), []string{"lunakai"})
	if err != nil || len(chs) != 1 || chs[0].Stream.Language != "tr" {
		t.Fatalf("GetBySlug = %+v, %v", chs, err)
	}
	if n := s.Requests("getChannels"); n != 3 {
		t.Errorf("%d requests, want 2 failures and a success", n)
	}
	// A burst longer than the retries is returned as the last 503.
	s.Fault("getChannels", kicktest.Fault{StatusCode: http.StatusServiceUnavailable, Times: 3})
	if _, err := c.Channels.GetBySlug(e2eCtx(t), []string{"lunakai"}); !errors.Is(err, kick.ErrServer) {
		t.Errorf("err = %v", err)
	}
	// A 503 to a POST is not retried: the message may have been posted.
	s.Fault("sendChatMessage", kicktest.Fault{StatusCode: http.StatusServiceUnavailable, Times: 1})
	if _, err := c.Chat.Send(e2eCtx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "hi"}); !errors.Is(err, kick.ErrServer) {
		t.Errorf("Send = %v", err)
	}
	if n := s.Requests("sendChatMessage"); n != 1 {
		t.Errorf("%d chat requests, want 1", n)
	}
}

// TestE2EResetAfterChatIsNotRepeated: the connection drops after Kick stored the message. The
// client cannot know, so it must not send it again: Kick holds it exactly once.
func TestE2EResetAfterChatIsNotRepeated(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := e2eClient(t, s, kicktest.Viewer.UserID, e2eFastRetries)
	s.Fault("sendChatMessage", kicktest.Fault{ResetAfter: true, Times: 1})
	_, err := c.Chat.Send(e2eCtx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "exactly once"})
	if err == nil {
		t.Fatal("Send succeeded over a reset connection")
	}
	msgs := s.Messages(kicktest.Streamer.UserID)
	if len(msgs) != 1 || msgs[0].Content != "exactly once" {
		t.Errorf("Kick holds %+v, want the message once", msgs)
	}
	if n := s.Requests("sendChatMessage"); n != 1 {
		t.Errorf("%d chat requests, want 1", n)
	}
	// A reset before the request was handled is retried for a GET, and the call succeeds.
	s.Fault("getLivestreamStats", kicktest.Fault{ResetBefore: true, Times: 1})
	stats, err := c.Livestreams.Stats(e2eCtx(t))
	if err != nil || stats.TotalCount != 5 {
		t.Errorf("Stats = %+v, %v", stats, err)
	}
}

// TestE2EResetAfterAdBreakIsRetried: an ad break carries an idempotency key, so, unlike a chat
// message, its POST is sent again after the connection drops once Kick started the break: the
// retry carries the same id, Kick answers the break it started, and the channel has one break.
func TestE2EResetAfterAdBreakIsRetried(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := e2eClient(t, s, kicktest.Streamer.UserID, e2eFastRetries)
	must(t, "Ads.Enroll", c.Ads.Enroll(e2eCtx(t)))
	for _, f := range []kicktest.Fault{{ResetAfter: true, Times: 1}, {StatusCode: http.StatusBadGateway, Times: 1}} {
		before := s.Requests("startAdBreak")
		s.Fault("startAdBreak", f)
		got, err := c.Ads.StartBreak(e2eCtx(t), kick.AdBreakStartParams{Duration: 30 * time.Second})
		if err != nil {
			t.Fatalf("%+v: StartBreak: %v", f, err)
		}
		if n := s.Requests("startAdBreak") - before; n != 2 {
			t.Errorf("%+v: %d requests, want 2", f, n)
		}
		status, err := c.Ads.Status(e2eCtx(t))
		must(t, "Ads.Status", err)
		if got.RemainingAdBreaks != status.RemainingAdBreaks || status.AdBreaks[len(status.AdBreaks)-1]["id"] != got.ID {
			t.Errorf("%+v: StartBreak = %+v, status %+v", f, got, status)
		}
	}
	status, err := c.Ads.Status(e2eCtx(t))
	must(t, "Ads.Status", err)
	if len(status.AdBreaks) != 2 || status.RemainingAdBreaks != 1 {
		t.Errorf("two calls with a failed attempt each started %d breaks (%d left), want 2 (1 left)", len(status.AdBreaks), status.RemainingAdBreaks)
	}
	// A break id given by the caller makes the same break across calls: sent again, it starts none.
	const id = "3b241101-e2bb-4255-8caf-4136c566a962"
	first, err := c.Ads.StartBreak(e2eCtx(t), kick.AdBreakStartParams{ID: id, Duration: 30 * time.Second})
	must(t, "Ads.StartBreak", err)
	again, err := c.Ads.StartBreak(e2eCtx(t), kick.AdBreakStartParams{ID: id, Duration: 30 * time.Second})
	must(t, "Ads.StartBreak again", err)
	if first.ID != id || *again != *first || again.RemainingAdBreaks != 0 {
		t.Errorf("the same id twice: %+v then %+v", first, again)
	}
}

// TestE2EOAuthFlow runs the authorization code flow with kickauth, without a browser: the
// authorize URL redirects at once to a callback server, whose query Exchange takes.
func TestE2EOAuthFlow(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	s.AuthorizeAs(kicktest.Moderator.UserID)
	callbacks := make(chan url.Values, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		callbacks <- r.URL.Query()
		_, _ = io.WriteString(w, "You can close this window.")
	}))
	defer cb.Close()
	ctx := e2eCtx(t)
	cfg := s.OAuthConfig(cb.URL+"/callback", kick.ScopeUserRead, kick.ScopeChatWrite, kick.ScopeModerationBan)

	// The browser's part: open the authorize URL and follow the redirect.
	req := kickauth.NewAuthRequest(cfg)
	browse, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	must(t, "authorize request", err)
	rsp, err := http.DefaultClient.Do(browse)
	must(t, "authorize", err)
	_ = rsp.Body.Close()
	query := <-callbacks

	tok, err := kickauth.Exchange(ctx, cfg, req, query)
	must(t, "Exchange", err)
	store := kickauth.NewMemoryStore()
	users, err := kickauth.UserTokenSource(ctx, cfg, store, kickauth.StoreKey(cfg.ClientID, "mod"))
	must(t, "UserTokenSource", err)
	must(t, "SetToken", users.SetToken(ctx, tok))
	apps := kickauth.AppTokenSource(ctx, cfg)
	c, err := kick.NewClient(kick.WithAPIBaseURL(s.APIBaseURL), kick.WithOAuthBaseURL(s.OAuthBaseURL),
		kick.WithUserTokenSource(users), kick.WithAppTokenSource(apps))
	must(t, "NewClient", err)

	me, err := c.Users.Me(ctx)
	must(t, "Users.Me", err)
	if me.UserID != kicktest.Moderator.UserID || me.Email == "" {
		t.Errorf("Me = %+v", me)
	}
	must(t, "Moderation.Ban", c.Moderation.Ban(ctx, kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: kicktest.Viewer.UserID, Duration: time.Minute}))
	// A scope the user did not grant: the token says what it was granted, so the call fails
	// before anything is sent, naming the scope; without the check, Kick refuses it with 403.
	before := s.Requests("getKicksLeaderboard")
	_, err = c.Kicks.Leaderboard(ctx, 0)
	var mse *kick.MissingScopeError
	if !errors.As(err, &mse) || !errors.Is(err, kick.ErrMissingScope) || !slices.Equal(mse.Missing, []kick.Scope{kick.ScopeKicksRead}) ||
		mse.LoginScopes() != "user:read,chat:write,moderation:ban,kicks:read" {
		t.Errorf("Leaderboard without kicks:read: %v", err)
	}
	if n := s.Requests("getKicksLeaderboard"); n != before {
		t.Errorf("Leaderboard without kicks:read sent %d requests", n-before)
	}
	unchecked, err := kick.NewClient(kick.WithAPIBaseURL(s.APIBaseURL), kick.WithOAuthBaseURL(s.OAuthBaseURL),
		kick.WithUserTokenSource(users), kick.WithoutScopeCheck())
	must(t, "NewClient", err)
	if _, err := unchecked.Kicks.Leaderboard(ctx, 0); !errors.Is(err, kick.ErrForbidden) {
		t.Errorf("Leaderboard without kicks:read, unchecked: %v", err)
	}
	// The app token came from the client credentials grant.
	if _, err := c.Drops.ListClaims(ctx, kick.DropsClaimListParams{}); err != nil {
		t.Errorf("ListClaims with the app token: %v", err)
	}

	// A refresh rotates the refresh token, and the old one is dead.
	users.Invalidate(tok.AccessToken)
	fresh, err := users.Token()
	must(t, "refresh", err)
	if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == "" || fresh.RefreshToken == tok.RefreshToken {
		t.Fatalf("the refresh did not rotate the tokens")
	}
	stored, err := store.Load(ctx, users.Key())
	must(t, "Load", err)
	if stored.RefreshToken != fresh.RefreshToken {
		t.Error("the store does not hold the rotated refresh token")
	}
	_, err = c.Tokens.Request(ctx, kick.TokenRequestParams{GrantType: kick.GrantRefreshToken, ClientID: cfg.ClientID, ClientSecret: kick.Secret(cfg.ClientSecret), RefreshToken: kick.Secret(tok.RefreshToken)})
	var ae *kick.APIError
	if !errors.As(err, &ae) || ae.OAuthError != "invalid_grant" {
		t.Errorf("the old refresh token: %v", err)
	}
	if _, err := c.Users.Me(ctx); err != nil {
		t.Errorf("Me with the refreshed token: %v", err)
	}

	// Revoke, then introspect: inactive; and the API refuses the token.
	info, err := c.Tokens.Introspect(ctx)
	must(t, "Introspect", err)
	if !info.Active || info.Kind != kick.TokenKindUser || info.ClientID != cfg.ClientID || !slices.Contains(info.Scopes, kick.ScopeModerationBan) {
		t.Errorf("before revoking: %+v", info)
	}
	must(t, "Revoke", c.Tokens.Revoke(ctx, fresh.AccessToken, kick.TokenHintAccessToken))
	info, err = c.Tokens.Introspect(ctx)
	must(t, "Introspect after Revoke", err)
	if info.Active || info.Kind != "" {
		t.Errorf("after revoking: %+v", info)
	}
	// The API refuses the revoked access token; the client then refreshes once and replays.
	if _, err := c.Users.Me(ctx); err != nil {
		t.Errorf("Me after revoking the access token: %v", err)
	}
	current, err := users.Token()
	must(t, "Token", err)
	if current.AccessToken == fresh.AccessToken {
		t.Error("the client kept the revoked access token")
	}
	// Revoking the refresh token ends the authorization: no refresh can mend that.
	must(t, "Revoke refresh token", c.Tokens.Revoke(ctx, current.RefreshToken, kick.TokenHintRefreshToken))
	if _, err := c.Users.Me(ctx); !errors.Is(err, kick.ErrUnauthorized) {
		t.Errorf("Me after revoking the refresh token: %v", err)
	}
	if _, err := users.Token(); !errors.Is(err, kickauth.ErrReauthorize) {
		t.Errorf("Token after revoking the refresh token: %v", err)
	}
	for _, v := range s.Violations() {
		t.Errorf("spec violation: %v", v)
	}
}

// e2eInbox collects the typed events a webhook.Handler received.
type e2eInbox struct {
	mu     sync.Mutex
	events map[kick.EventType][]webhook.Event
	errs   []error
}

func (in *e2eInbox) add(e webhook.Event) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.events[e.EventType()] = append(in.events[e.EventType()], e)
	return nil
}

func (in *e2eInbox) get(typ kick.EventType) []webhook.Event {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.events[typ])
}

// e2eWebhook starts an app's webhook endpoint: a webhook.Handler with a typed function per
// event type, verifying with keys.
func e2eWebhook(t *testing.T, keys webhook.KeySource) (*httptest.Server, *e2eInbox) {
	t.Helper()
	v, err := webhook.NewVerifier(webhook.WithKeySource(keys))
	must(t, "NewVerifier", err)
	in := &e2eInbox{events: map[kick.EventType][]webhook.Event{}}
	h, err := webhook.NewHandler(webhook.WithVerifier(v), webhook.WithErrorHook(func(_ *http.Request, _ *webhook.Delivery, err error) {
		in.mu.Lock()
		defer in.mu.Unlock()
		in.errs = append(in.errs, err)
	}))
	must(t, "NewHandler", err)
	h.OnChatMessageSent(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChatMessageSent) error { return in.add(e) })
	h.OnChannelFollowed(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChannelFollowed) error { return in.add(e) })
	h.OnChannelSubscriptionNew(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChannelSubscriptionNew) error {
		return in.add(e)
	})
	h.OnChannelSubscriptionRenewal(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChannelSubscriptionRenewal) error {
		return in.add(e)
	})
	h.OnChannelSubscriptionGifts(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChannelSubscriptionGifts) error {
		return in.add(e)
	})
	h.OnChannelRewardRedemptionUpdated(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChannelRewardRedemptionUpdated) error {
		return in.add(e)
	})
	h.OnLivestreamStatusUpdated(func(_ context.Context, _ *webhook.Delivery, e *webhook.LivestreamStatusUpdated) error {
		return in.add(e)
	})
	h.OnLivestreamMetadataUpdated(func(_ context.Context, _ *webhook.Delivery, e *webhook.LivestreamMetadataUpdated) error {
		return in.add(e)
	})
	h.OnModerationBanned(func(_ context.Context, _ *webhook.Delivery, e *webhook.ModerationBanned) error { return in.add(e) })
	h.OnKicksGifted(func(_ context.Context, _ *webhook.Delivery, e *webhook.KicksGifted) error { return in.add(e) })
	h.OnDefault(func(_ context.Context, d *webhook.Delivery, _ webhook.Event) error {
		return errors.New("no typed function for " + string(d.Type))
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, in
}

// TestE2EWebhookFromTheAPIAndHelpers: a webhook.Handler that fetches kicktest's key with the
// client's PublicKey.Get (as it would follow a rotation of Kick's) receives a typed event for an
// API call and for each of kicktest's helpers.
func TestE2EWebhookFromTheAPIAndHelpers(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	ctx := e2eCtx(t)
	c := e2eClient(t, s, kicktest.Streamer.UserID)
	keys, err := webhook.NewFetchingKeySource(c.PublicKey.PEM)
	must(t, "NewFetchingKeySource", err)
	srv, in := e2eWebhook(t, keys)
	s.SetWebhookURL(srv.URL + "/kick/webhook")
	results, err := c.Events.SubscribeTo(ctx, kicktest.Streamer.UserID)
	must(t, "SubscribeTo", err)
	if len(results) != len(kick.AllEventTypes) {
		t.Fatalf("%d subscriptions", len(results))
	}

	sent, err := e2eClient(t, s, kicktest.Viewer.UserID).Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "first! [emote:37226:KEKW]"})
	must(t, "Chat.Send", err)
	must(t, "Flush", s.Flush(ctx))
	chats := in.get(kick.EventChatMessageSent)
	if len(chats) != 1 {
		t.Fatalf("chat.message.sent: %d events (handler errors %v)", len(chats), in.errs)
	}
	chat := chats[0].(*webhook.ChatMessageSent)
	if chat.MessageID != sent.MessageID || chat.Content != "first! [emote:37226:KEKW]" || chat.Sender.UserID != kicktest.Viewer.UserID ||
		chat.Sender.Identity == nil || len(chat.Emotes) != 1 || chat.Emotes[0].ID != "37226" {
		t.Errorf("chat %+v", chat)
	}

	s.Follow(kicktest.Viewer.UserID, kicktest.Streamer.UserID)
	s.Subscribe(9183746, kicktest.Streamer.UserID, 1)
	s.Subscribe(kicktest.Viewer.UserID, kicktest.Streamer.UserID, 4)
	s.GiftSubs(51724903, kicktest.Streamer.UserID, 33810257, 24871935)
	redemption := s.Redeem(kicktest.Viewer.UserID, "01KBQVW2KVQNX4Y6RN800Y9K4N", "Darude - Sandstorm")
	s.StartStream(kicktest.Streamer.UserID, "late night chill")
	s.GiftKicks(51724903, kicktest.Streamer.UserID, 100, "hype")
	must(t, "Moderation.Ban", e2eClient(t, s, kicktest.Moderator.UserID).Moderation.Ban(ctx, kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: 33810257, Duration: 10 * time.Minute, Reason: "spam"}))
	must(t, "Flush", s.Flush(ctx))

	if e := in.get(kick.EventChannelFollowed); len(e) != 1 || e[0].(*webhook.ChannelFollowed).Follower.UserID != kicktest.Viewer.UserID {
		t.Errorf("channel.followed %+v", e)
	}
	if e := in.get(kick.EventChannelSubscriptionNew); len(e) != 1 || e[0].(*webhook.ChannelSubscriptionNew).Months != 1 {
		t.Errorf("channel.subscription.new %+v", e)
	}
	if e := in.get(kick.EventChannelSubscriptionRenewal); len(e) != 1 || e[0].(*webhook.ChannelSubscriptionRenewal).Months != 4 {
		t.Errorf("channel.subscription.renewal %+v", e)
	}
	if e := in.get(kick.EventChannelSubscriptionGifts); len(e) != 1 || len(e[0].(*webhook.ChannelSubscriptionGifts).Giftees) != 2 || e[0].(*webhook.ChannelSubscriptionGifts).Gifter.Username != "lunakai" {
		t.Errorf("channel.subscription.gifts %+v", e)
	}
	if e := in.get(kick.EventChannelRewardRedemptionUpdated); len(e) != 1 {
		t.Errorf("channel.reward.redemption.updated %+v", e)
	} else if r := e[0].(*webhook.ChannelRewardRedemptionUpdated); r.ID != redemption || r.Status != kick.RedemptionPending || r.Reward.Title != "Song Request" || r.UserInput != "Darude - Sandstorm" {
		t.Errorf("redemption %+v", r)
	}
	if e := in.get(kick.EventLivestreamStatusUpdated); len(e) != 1 || !e[0].(*webhook.LivestreamStatusUpdated).IsLive || e[0].(*webhook.LivestreamStatusUpdated).Title != "late night chill" {
		t.Errorf("livestream.status.updated %+v", e)
	}
	if e := in.get(kick.EventKicksGifted); len(e) != 1 || e[0].(*webhook.KicksGifted).Gift.Amount != 100 || e[0].(*webhook.KicksGifted).Sender.Username != "lunakai" {
		t.Errorf("kicks.gifted %+v", e)
	}
	if e := in.get(kick.EventModerationBanned); len(e) != 1 {
		t.Errorf("moderation.banned %+v", e)
	} else if b := e[0].(*webhook.ModerationBanned); b.BannedUser.UserID != 33810257 || b.Moderator.UserID != kicktest.Moderator.UserID || b.Metadata.ExpiresAt.IsZero() ||
		b.Metadata.ExpiresAt.Sub(b.Metadata.CreatedAt) != 10*time.Minute {
		t.Errorf("ban %+v", b)
	}

	// Accepting the redemption through the API sends its update.
	_, err = c.Rewards.AcceptRedemptions(ctx, []string{redemption})
	must(t, "AcceptRedemptions", err)
	must(t, "Flush", s.Flush(ctx))
	if e := in.get(kick.EventChannelRewardRedemptionUpdated); len(e) != 2 || e[1].(*webhook.ChannelRewardRedemptionUpdated).Status != kick.RedemptionAccepted {
		t.Errorf("after accepting: %+v", e)
	}
	for _, d := range s.Deliveries() {
		if d.StatusCode != http.StatusOK {
			t.Errorf("delivery %s answered %d (%v)", d.Type, d.StatusCode, d.Err)
		}
	}
	for _, v := range s.Violations() {
		t.Errorf("spec violation: %v", v)
	}
	if len(in.errs) > 0 {
		t.Errorf("handler errors: %v", in.errs)
	}
}

// TestE2EWebhookWithStaticKey trusts kicktest's published key directly.
func TestE2EWebhookWithStaticKey(t *testing.T) {
	t.Parallel()
	key, err := webhook.ParsePublicKeyPEM([]byte(kicktest.PublicKeyPEM()))
	must(t, "ParsePublicKeyPEM", err)
	srv, in := e2eWebhook(t, webhook.StaticKey(key))
	s := kicktest.New(t, kicktest.WithWebhookURL(srv.URL))
	ctx := e2eCtx(t)
	c := e2eClient(t, s, kicktest.Streamer.UserID)
	_, err = c.Events.SubscribeTo(ctx, kicktest.Streamer.UserID, kick.EventChatMessageSent, kick.EventLivestreamMetadataUpdated)
	must(t, "SubscribeTo", err)
	_, err = c.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "!uptime"})
	must(t, "Chat.Send", err)
	must(t, "Channels.Update", c.Channels.Update(ctx, kick.ChannelUpdateParams{CategoryID: kick.Ptr(int64(8549))}))
	must(t, "Flush", s.Flush(ctx))
	chats := in.get(kick.EventChatMessageSent)
	if len(chats) != 1 || chats[0].(*webhook.ChatMessageSent).Sender.UserID != kicktest.BotUser.UserID {
		t.Errorf("bot chat %+v", chats)
	}
	meta := in.get(kick.EventLivestreamMetadataUpdated)
	if len(meta) != 1 || meta[0].(*webhook.LivestreamMetadataUpdated).Metadata.Category.Name != "Counter-Strike 2" {
		t.Errorf("metadata %+v", meta)
	}
}
