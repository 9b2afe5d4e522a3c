package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// TestDemo runs the README's first command: the scripted conversation against the embedded fake,
// and checks the transcript: the bot answers !ping after the signed webhook of the message, and
// greets the follower.
func TestDemo(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	env := func(string) string { return "" }
	if err := run(context.Background(), &out, env); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	transcript := out.String()
	want := []string{
		"authorized as kickgo_streamer",
		"[doctor] 16 checks, 0 failed",
		"[chat]   kickgo_viewer: hi chat!",
		"[chat]   kickgo_viewer: !ping",
		"[bot]    pong, @kickgo_viewer!",
		"[follow] kickgo_mod followed kickgo_streamer",
		"[bot]    Welcome to the channel, @kickgo_mod!",
		"kickgo_bot:      pong, @kickgo_viewer!",
	}
	at := 0
	for _, line := range want {
		i := strings.Index(transcript[at:], line)
		if i < 0 {
			t.Fatalf("the transcript lacks %q after offset %d:\n%s", line, at, transcript)
		}
		at += i + len(line)
	}
	if n := strings.Count(transcript, "[bot]"); n != 2 {
		t.Errorf("the bot spoke %d times, want 2 (it must not answer itself):\n%s", n, transcript)
	}
}

// syncBuffer is a bytes.Buffer safe for the bot's goroutines and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// liveEnv returns the environment of the live mode against fake: credentials and URLs, the user
// token in the file store `kick auth login` writes, and a free webhook address, which is set as
// the app's webhook URL, as in the app's developer settings, before the bot subscribes.
func liveEnv(t *testing.T, fake *kicktest.Server) map[string]string {
	t.Helper()
	dir := t.TempDir()
	// As `kick auth login` saves it: the login of the host's active account, made for this API.
	logins, err := kickauth.NewLoginStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	login := &kickauth.Login{Host: kickauth.OAuthHost(fake.OAuthBaseURL), Account: "kickgo_streamer", ClientID: fake.App.ClientID,
		OAuthBaseURL: fake.OAuthBaseURL, APIBaseURL: fake.APIBaseURL}
	if err := logins.Save(context.Background(), login, fake.UserToken(kicktest.Streamer.UserID, scopes...)); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"KICK_CLIENT_ID":     fake.App.ClientID,
		"KICK_CLIENT_SECRET": fake.App.ClientSecret,
		"KICK_BASE_URL":      fake.APIBaseURL,
		"KICK_OAUTH_URL":     fake.OAuthBaseURL,
		"KICK_TOKEN_DIR":     dir,
		"KICK_WEBHOOK_ADDR":  freeAddr(t),
	}
	fake.SetWebhookURL("http://" + env["KICK_WEBHOOK_ADDR"] + "/kick/webhook")
	return env
}

// startLive starts the live mode with env and waits until it listens. stop interrupts it, as
// Ctrl-C does, and returns what run returned.
func startLive(t *testing.T, env map[string]string) (out *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, out, func(k string) string { return env[k] }) }()
	listening := regexp.MustCompile(`listening on (\S+)/kick/webhook`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-done:
			cancel()
			t.Fatalf("run ended early: %v\n%s", err, out.String())
		default:
		}
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			if m[1] != env["KICK_WEBHOOK_ADDR"] {
				t.Errorf("listening on %s, want %s", m[1], env["KICK_WEBHOOK_ADDR"])
			}
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the bot did not start:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return out, func() error {
		cancel()
		return <-done
	}
}

// pongs sends !ping as the viewer and returns how many times the bot answered it.
func pongs(t *testing.T, fake *kicktest.Server) int {
	t.Helper()
	before := len(fake.Messages(kicktest.Streamer.UserID))
	fake.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "!ping")
	if err := fake.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range fake.Messages(kicktest.Streamer.UserID)[before:] {
		if m.Type == kick.ChatMessageBot && m.Content == "pong, @kickgo_viewer!" {
			n++
		}
	}
	return n
}

// subscriptions returns the event type and version of each of the streamer's subscriptions, as
// the fake holds them (not as its listing, which may lag, shows them).
func subscriptions(fake *kicktest.Server) []string {
	var out []string
	for _, s := range fake.EventSubscriptions(kicktest.Streamer.UserID) {
		out = append(out, fmt.Sprintf("%s v%d", s.Type, s.Version))
	}
	sort.Strings(out)
	return out
}

var oneEach = []string{"channel.followed v1", "chat.message.sent v1"}

// TestLive runs the live mode against kicktest standing in for Kick: credentials and URLs from the
// environment, the user token from the file store `kick auth login` writes. The bot subscribes
// and answers !ping once.
func TestLive(t *testing.T) {
	t.Parallel()
	fake := kicktest.New(t)
	out, stop := startLive(t, liveEnv(t, fake))
	if n := pongs(t, fake); n != 1 {
		t.Errorf("the bot answered !ping %d times, want once:\n%s", n, out.String())
	}
	if err := stop(); err != nil {
		t.Errorf("run: %v", err)
	}
	if !strings.Contains(out.String(), "subscription to chat.message.sent: created") {
		t.Errorf("the transcript does not say it subscribed:\n%s", out.String())
	}
}

// The live mode started and then restarted three times leaves one subscription per event, and a
// !ping is answered once: the bot keeps its subscriptions with Events.Sync rather than adding
// them at each start. So it does when Kick's listing lags behind the subscriptions it creates.
func TestLiveRestartsKeepOneSubscriptionPerEvent(t *testing.T) {
	t.Parallel()
	for _, lag := range []int{0, 2} {
		t.Run(fmt.Sprintf("listing lag %d", lag), func(t *testing.T) {
			t.Parallel()
			fake := kicktest.New(t)
			fake.SetListingLag(lag)
			env := liveEnv(t, fake)
			for start := range 4 { // the first start and three restarts
				out, stop := startLive(t, env)
				if got := subscriptions(fake); !slices.Equal(got, oneEach) {
					t.Errorf("start %d: subscriptions %v, want one per event\n%s", start+1, got, out.String())
				}
				if start == 3 {
					if n := pongs(t, fake); n != 1 {
						t.Errorf("after 3 restarts the bot answered !ping %d times, want once", n)
					}
				}
				if err := stop(); err != nil {
					t.Errorf("run: %v", err)
				}
			}
			if n := fake.Requests("createEventSubscriptions"); n != 1 {
				t.Errorf("%d create requests in 4 starts, want 1", n)
			}
		})
	}
}

// Kick drops every subscription when the app's webhooks are turned off; the running bot puts
// them back once they are on again, at its next KICK_SYNC_INTERVAL.
func TestLiveRestoresDroppedSubscriptions(t *testing.T) {
	t.Parallel()
	fake := kicktest.New(t)
	env := liveEnv(t, fake)
	env["KICK_SYNC_INTERVAL"] = "20ms"
	out, stop := startLive(t, env)
	defer func() { _ = stop() }()
	url := fake.WebhookURL()
	fake.DisableWebhooks()
	fake.SetWebhookURL(url)
	deadline := time.Now().Add(10 * time.Second)
	for !slices.Equal(subscriptions(fake), oneEach) {
		if time.Now().After(deadline) {
			t.Fatalf("subscriptions %v 10s after webhooks came back:\n%s", subscriptions(fake), out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := pongs(t, fake); n != 1 {
		t.Errorf("the bot answered !ping %d times, want once", n)
	}
}

// TestLiveDiagnoses: at start-up the bot prints the checks of package doctor that fail: here the
// webhook URL of KICK_WEBHOOK_URL has no handler at its path.
func TestLiveDiagnoses(t *testing.T) {
	t.Parallel()
	fake := kicktest.New(t)
	env := liveEnv(t, fake)
	env["KICK_WEBHOOK_URL"] = "http://" + env["KICK_WEBHOOK_ADDR"] + "/wrong/path"
	out, stop := startLive(t, env)
	defer func() { _ = stop() }()
	for _, want := range []string{
		"[doctor] fail webhook-answer: POST http://" + env["KICK_WEBHOOK_ADDR"] + "/wrong/path answered 404 Not Found",
		"Fix: Set the path the webhook handler serves",
		"[doctor] 15 checks, 1 failed", // no forged deliveries after the 404
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestLiveBadSyncInterval(t *testing.T) {
	t.Parallel()
	fake := kicktest.New(t)
	env := liveEnv(t, fake)
	env["KICK_SYNC_INTERVAL"] = "often"
	err := run(context.Background(), io.Discard, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "KICK_SYNC_INTERVAL") {
		t.Errorf("run: %v", err)
	}
}

// TestBotIgnoresForgedDeliveries: a delivery not signed by Kick never reaches the bot.
func TestBotIgnoresForgedDeliveries(t *testing.T) {
	t.Parallel()
	fake := kicktest.New(t)
	client, err := fake.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	bot := NewBot(client, kicktest.Streamer.UserID, io.Discard)
	verifier, err := kicktest.Verifier()
	if err != nil {
		t.Fatal(err)
	}
	stop, addr, err := listen(context.Background(), bot, verifier, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	body := `{"message_id":"m","broadcaster":{"user_id":1001},"sender":{"user_id":1002,"username":"x"},"content":"!ping","emotes":[]}`
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://"+addr+"/kick/webhook", strings.NewReader(body))
	req.Header.Set("Kick-Event-Message-Id", "01KBHE78QE4HZY1617DK5FC7YD")
	req.Header.Set("Kick-Event-Message-Timestamp", time.Now().UTC().Format(time.RFC3339))
	req.Header.Set("Kick-Event-Type", "chat.message.sent")
	req.Header.Set("Kick-Event-Version", "1")
	req.Header.Set("Kick-Event-Subscription-Id", "01KCTSYW6C36ZF1PVDRZHG1QSD")
	req.Header.Set("Kick-Event-Signature", "Zm9yZ2Vk")
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = rsp.Body.Close()
	if rsp.StatusCode != http.StatusForbidden {
		t.Errorf("status %d, want 403", rsp.StatusCode)
	}
	if len(fake.Messages(kicktest.Streamer.UserID)) != 0 {
		t.Error("the bot answered a forged delivery")
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// TestLiveUsesTheCLILogin: without a login the bot says to run `kick auth login`; with one, it
// sends its token to the API the login was made for and no other (KICK_BASE_URL elsewhere fails
// before anything is sent).
func TestLiveUsesTheCLILogin(t *testing.T) {
	t.Parallel()
	fake := kicktest.New(t)
	env := liveEnv(t, fake)
	env["KICK_ACCOUNT"] = "nobody"
	err := run(context.Background(), io.Discard, func(k string) string { return env[k] })
	if !errors.Is(err, kickauth.ErrNotLoggedIn) || !strings.Contains(err.Error(), "run `kick auth login") {
		t.Errorf("no login: %v", err)
	}
	env = liveEnv(t, fake)
	other := kicktest.New(t)
	env["KICK_BASE_URL"] = other.APIBaseURL
	err = run(context.Background(), io.Discard, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "was logged in for the API at "+fake.APIBaseURL) {
		t.Errorf("another API: %v", err)
	}
	if n := other.Requests("getUsers"); n != 0 {
		t.Errorf("the other API got %d requests", n)
	}
}
