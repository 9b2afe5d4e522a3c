// Command bot is a Kick chat bot built on kick-go: it answers !ping and greets new followers.
//
// With no credentials in the environment it runs against an embedded fake Kick (package kicktest):
// the streamer authorizes the app with OAuth and PKCE, the bot subscribes to the channel's events,
// listens for signed webhooks on loopback, and a short scripted conversation plays out. It prints
// the transcript and exits 0:
//
//	go run ./examples/bot
//
// With KICK_CLIENT_ID and KICK_CLIENT_SECRET set it runs against Kick, as the user whose token
// `kick auth login` saved (scopes user:read, chat:write, events:subscribe; KICK_TOKEN_DIR and
// KICK_ACCOUNT as for the CLI), listening for webhooks on KICK_WEBHOOK_ADDR (default :8080, path
// /kick/webhook). Kick must reach that address over HTTPS at the webhook URL set in the app's
// developer settings (a tunnel works). KICK_BASE_URL and KICK_OAUTH_URL point it at another
// server, such as `kick mock serve`. It runs until interrupted.
//
// At every start, and every KICK_SYNC_INTERVAL (default 10m) after, the bot keeps its
// subscriptions with Events.Sync: one per event, however often it restarts, and back again when
// Kick drops them. At start-up it runs `kick doctor`'s checks (package doctor, with the webhook
// URL of KICK_WEBHOOK_URL) and prints each that fails, with its fix.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/doctor"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "bot:", err)
		os.Exit(1)
	}
}

// scopes are what the bot asks the streamer for.
var scopes = []kick.Scope{kick.ScopeUserRead, kick.ScopeChatWrite, kick.ScopeEventsSubscribe}

func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	if getenv("KICK_CLIENT_ID") != "" && getenv("KICK_CLIENT_SECRET") != "" {
		return runLive(ctx, out, getenv)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return runDemo(ctx, out)
}

// runDemo plays a scripted conversation against the embedded fake Kick.
func runDemo(ctx context.Context, out io.Writer) error {
	fake, err := kicktest.NewServer() //nolint:contextcheck // the fake runs until Close, not until ctx ends
	if err != nil {
		return err
	}
	defer fake.Close()
	fmt.Fprintf(out, "fake Kick: API %s, OAuth %s\n", fake.APIBaseURL, fake.OAuthBaseURL)

	// 1. The streamer authorizes the app. A browser would follow the authorize URL, the user
	// would approve, and Kick would redirect to our callback; the fake approves at once.
	cfg := fake.OAuthConfig("http://localhost:8976/callback", scopes...)
	tok, err := authorize(ctx, cfg)
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	users, err := kickauth.UserTokenSource(ctx, cfg, kickauth.NewMemoryStore(), kickauth.StoreKey(cfg.ClientID, "streamer"))
	if err != nil {
		return err
	}
	if err := users.SetToken(ctx, tok); err != nil {
		return err
	}
	client, err := kick.NewClient(
		kick.WithAPIBaseURL(fake.APIBaseURL),
		kick.WithOAuthBaseURL(fake.OAuthBaseURL),
		kick.WithUserTokenSource(users),
		kick.WithAppTokenSource(kickauth.AppTokenSource(ctx, cfg)),
	)
	if err != nil {
		return err
	}
	me, err := client.Users.Me(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "authorized as %s (user %d)\n", me.Username, me.UserID)

	// 2. The bot listens for webhooks. Its key source starts with Kick's published key; the fake
	// signs with its own, so the first delivery makes it fetch the fake's key once, as it would
	// after a key rotation at Kick.
	verifier, keys, err := newVerifier(client)
	if err != nil {
		return err
	}
	bot := NewBot(client, me.UserID, out)
	stopListening, addr, err := listen(ctx, bot, verifier, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer stopListening()
	fake.SetWebhookURL("http://" + addr + "/kick/webhook")

	// 3. Subscribe to the channel's chat and follows, once each however often the bot starts.
	if err := syncEvents(ctx, out, client, me.UserID); err != nil {
		return err
	}
	diagnose(ctx, out, doctor.Params{Client: client, Events: events, Keys: keys, WebhookURL: fake.WebhookURL(), Local: true})
	fmt.Fprintln(out, "--- transcript ---")

	// 4. The conversation. Flush waits until the fake has delivered each event, so the transcript
	// reads in order.
	viewer := kicktest.Viewer
	steps := []func(){
		func() { fake.SendChat(viewer.UserID, me.UserID, "hi chat!") },
		func() { fake.SendChat(viewer.UserID, me.UserID, "!ping") },
		func() { fake.Follow(kicktest.Moderator.UserID, me.UserID) },
	}
	for _, step := range steps {
		step()
		if err := fake.Flush(ctx); err != nil {
			return err
		}
	}
	if err := bot.WaitReplies(ctx, 2); err != nil {
		return err
	}
	if err := fake.Flush(ctx); err != nil {
		return err
	}
	fmt.Fprintln(out, "--- end ---")
	fmt.Fprintf(out, "%s's chat on the fake Kick:\n", me.Username)
	for _, m := range fake.Messages(me.UserID) {
		sender, _ := fake.User(m.SenderUserID)
		fmt.Fprintf(out, "  %-16s %s\n", sender.Username+":", m.Content)
	}
	fmt.Fprint(out, nextSteps)
	return nil
}

// nextSteps is what the demo suggests next: the same loop with the CLI, then the bot on it.
const nextSteps = `
Next, the same loop by hand (go install ./cmd/kick):
  kick mock serve                  # a fake Kick that keeps running; export what it prints
  kick auth login --scopes user:read,chat:write,events:subscribe
  kick mock webhook http://localhost:8080/kick/webhook
  go run ./examples/bot            # now against the mock, as the user who logged in
  kick event trigger channel.followed --to http://localhost:8080/kick/webhook
  kick chat send '!ping'           # the bot answers in the mock's chat
`

// events are what the bot subscribes to.
var events = []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed}}

// syncEvents makes the channel's subscriptions the bot's events, each exactly once, and prints
// what that took. Subscribing at every start instead would add a subscription per event at each
// restart, and Kick delivers an event once per subscription: after one restart, each !ping would
// be answered twice.
func syncEvents(ctx context.Context, out io.Writer, client *kick.Client, broadcaster int64) error {
	results, err := client.Events.Sync(ctx, kick.EventSyncParams{BroadcasterUserID: broadcaster, Events: events})
	for _, r := range results {
		note := ""
		switch {
		case r.Err != nil:
			note = ": " + r.Err.Error()
		case len(r.Duplicates) > 0:
			note = fmt.Sprintf(" (%d duplicates deleted)", len(r.Duplicates))
		case r.Action == kick.SyncCreated && !r.Confirmed:
			note = " (Kick does not list it yet)"
		}
		fmt.Fprintf(out, "subscription to %s: %s%s\n", r.Type, r.Action, note)
	}
	return err
}

// authorize runs the authorization code flow with PKCE the way a browser would, without one: it
// requests the authorize URL, takes the redirect to the callback without following it, and
// exchanges the code.
func authorize(ctx context.Context, cfg *oauth2.Config) (*oauth2.Token, error) {
	req := kickauth.NewAuthRequest(cfg)
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, err
	}
	rsp, err := browser.Do(r)
	if err != nil {
		return nil, err
	}
	_ = rsp.Body.Close()
	callback, err := url.Parse(rsp.Header.Get("Location"))
	if err != nil || rsp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("authorize answered %s, want a redirect", rsp.Status)
	}
	return kickauth.Exchange(ctx, cfg, req, callback.Query())
}

// newVerifier returns a webhook verifier whose key source starts with Kick's published key and
// fetches the current key through client after a signature fails, as after a key rotation.
func newVerifier(client *kick.Client) (*webhook.Verifier, webhook.KeySource, error) {
	keys, err := webhook.NewFetchingKeySource(client.PublicKey.PEM)
	if err != nil {
		return nil, nil, err
	}
	v, err := webhook.NewVerifier(webhook.WithKeySource(keys))
	return v, keys, err
}

// diagnose runs kick doctor's checks at start-up and prints each that fails, with its fix: the
// known reasons why Kick's webhooks would not arrive.
func diagnose(ctx context.Context, out io.Writer, p doctor.Params) {
	report, err := doctor.Run(ctx, p)
	if err != nil {
		fmt.Fprintf(out, "[doctor] %v\n", err)
		return
	}
	failed := 0
	for _, c := range report.Problems() {
		if c.Verdict == doctor.Fail {
			fmt.Fprintf(out, "[doctor] %s\n", c)
			failed++
		}
	}
	fmt.Fprintf(out, "[doctor] %d checks, %d failed\n", len(report.Checks), failed)
}

// listen serves the bot's webhook handler at /kick/webhook on addr until stop is called.
func listen(ctx context.Context, bot *Bot, verifier *webhook.Verifier, addr string) (stop func(), bound string, err error) {
	h, err := bot.Handler(verifier)
	if err != nil {
		return nil, "", err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /kick/webhook", h)
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, "", err
	}
	// Every timeout set: the headers, the whole request (the handler bounds the body as well), the
	// answer, and a kept-alive connection's idle time. A server without them lets a slow client
	// hold a goroutine and a connection for as long as it likes. The answer's timeout runs from
	// the end of the headers and covers the handler's reply in chat, which the client bounds at
	// 30 seconds: a shorter one would fail a delivery the bot has answered, and Kick would send
	// it again.
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      45 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	return func() {
		// Shut down even when ctx has ended: that is usually why we stop.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, ln.Addr().String(), nil
}

// runLive runs the bot against Kick until ctx ends.
func runLive(ctx context.Context, out io.Writer, getenv func(string) string) error {
	clientID, secret := getenv("KICK_CLIENT_ID"), getenv("KICK_CLIENT_SECRET")
	oauthURL := cmp.Or(getenv("KICK_OAUTH_URL"), kick.DefaultOAuthBaseURL)
	cfg := kickauth.NewConfig(clientID, secret, "", scopes...)
	cfg.Endpoint = kickauth.EndpointAt(oauthURL)
	// The login `kick auth login` made for this app on this OAuth host (KICK_TOKEN_DIR and
	// KICK_ACCOUNT as for the CLI; "" is the default directory, and the host's active account).
	logins, err := kickauth.NewLoginStore(getenv("KICK_TOKEN_DIR"))
	if err != nil {
		return err
	}
	users, login, err := logins.TokenSource(ctx, cfg, getenv("KICK_ACCOUNT"))
	if err != nil {
		if errors.Is(err, kickauth.ErrNotLoggedIn) {
			return fmt.Errorf("%w (run `kick auth login --scopes user:read,chat:write,events:subscribe` first)", err)
		}
		return err
	}
	// The login's token goes to the API it was made for, and nowhere else.
	baseURL := cmp.Or(getenv("KICK_BASE_URL"), login.API())
	if !login.SameAPI(baseURL) {
		return fmt.Errorf("account %q was logged in for the API at %s, not KICK_BASE_URL %s: log in for it with `kick auth login`",
			login.Account, login.API(), baseURL)
	}
	client, err := kick.NewClient(kick.WithAPIBaseURL(baseURL), kick.WithOAuthBaseURL(oauthURL),
		kick.WithUserTokenSource(users), kick.WithAppTokenSource(kickauth.AppTokenSource(ctx, cfg)))
	if err != nil {
		return err
	}
	me, err := client.Users.Me(ctx)
	if err != nil {
		if errors.Is(err, kickauth.ErrNoToken) || errors.Is(err, kickauth.ErrReauthorize) {
			return fmt.Errorf("%w (run `kick auth login --scopes user:read,chat:write,events:subscribe` first)", err)
		}
		return err
	}
	verifier, keys, err := newVerifier(client)
	if err != nil {
		return err
	}
	bot := NewBot(client, me.UserID, out)
	stopListening, bound, err := listen(ctx, bot, verifier, cmp.Or(getenv("KICK_WEBHOOK_ADDR"), ":8080"))
	if err != nil {
		return err
	}
	defer stopListening()
	if err := syncEvents(ctx, out, client, me.UserID); err != nil {
		return err
	}
	// KICK_WEBHOOK_URL is the app's webhook URL; with KICK_BASE_URL, a local fake may use http.
	diagnose(ctx, out, doctor.Params{Client: client, Events: events, Keys: keys, Store: logins.Tokens(), StoreKey: login.Key(),
		WebhookURL: getenv("KICK_WEBHOOK_URL"), Local: getenv("KICK_BASE_URL") != ""})
	interval := 10 * time.Minute
	if v := getenv("KICK_SYNC_INTERVAL"); v != "" {
		if interval, err = time.ParseDuration(v); err != nil || interval <= 0 {
			return fmt.Errorf("KICK_SYNC_INTERVAL %q is not a positive duration", v)
		}
	}
	fmt.Fprintf(out, "%s's bot listening on %s/kick/webhook; Ctrl-C to stop\n", me.Username, bound)
	// Kick drops the subscriptions of an event whose deliveries keep failing for a day, and all
	// of them when the app's webhooks are turned off: the bot puts them back as they go.
	resync := time.NewTicker(interval)
	defer resync.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-resync.C:
			if err := syncEvents(ctx, out, client, me.UserID); err != nil && ctx.Err() == nil {
				fmt.Fprintf(out, "[error]  keeping the subscriptions: %v\n", err)
			}
		}
	}
}
