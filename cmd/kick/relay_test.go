package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/relay"
)

// The laptop loop on the built binary, with kicktest standing in for Kick: a token made with
// 'kick relay token create' (shown once, stored hashed), 'kick relay serve' subscribing the app
// to what the token allows, a chat message on the fake Kick delivered to the relay and printed by
// 'kick event listen --relay'; then the token listed and revoked.
func TestRelayLoop(t *testing.T) {
	t.Parallel()
	k := kicktest.New(t)
	data := t.TempDir()
	env := mockEnv(t, k, "XDG_CACHE_HOME="+t.TempDir())

	r := runCLI(t, env, "relay", "token", "create", "--data", data, "--name", "laptop", "--broadcaster", "1001", "--type", "chat.message.sent")
	wantCode(t, r, 0)
	token := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(token, relay.TokenPrefix) || !strings.Contains(r.stderr, "shown once") {
		t.Fatalf("token create:\n%s", r)
	}
	file, err := os.ReadFile(filepath.Join(data, "tokens.json"))
	if err != nil || strings.Contains(string(file), strings.TrimPrefix(token, relay.TokenPrefix)) {
		t.Fatalf("the token file holds the token, or is missing (%v)", err)
	}

	srv := startCLI(t, env, "relay", "serve", "--listen", "127.0.0.1:0", "--data", data, "--dev-key")
	srv.waitStderr(t, "Ctrl-C stops")
	base := regexp.MustCompile(`Ready: relay on (http://127\.0\.0\.1:\d+);`).FindStringSubmatch(srv.stderr.String())
	if base == nil || !strings.Contains(srv.stderr.String(), "keeping the app's subscriptions") {
		t.Fatalf("relay serve:\n%s", srv.stderr.String())
	}
	k.SetWebhookURL(base[1] + relay.DefaultWebhookPath)
	deadline := time.Now().Add(time.Minute)
	for len(k.EventSubscriptions(kicktest.Streamer.UserID)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the relay subscribed to nothing:\n%s", srv.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if subs := k.EventSubscriptions(kicktest.Streamer.UserID); len(subs) != 1 || subs[0].Type != kick.EventChatMessageSent {
		t.Fatalf("subscriptions: %+v", subs)
	}

	listen := startCLI(t, append(env, envRelayToken+"="+token), "event", "listen", "--relay", base[1]+relay.DefaultEventsPath, "-o", "json")
	listen.waitStderr(t, "Ready: streaming from")
	time.Sleep(200 * time.Millisecond) // the stream starts with the next delivery: let it connect
	k.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hello laptop")
	var got receivedDelivery
	if err := json.Unmarshal([]byte(listen.line(t)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != kick.EventChatMessageSent || !got.Valid || !strings.Contains(got.Summary, "hello laptop") {
		t.Errorf("listen printed %+v", got)
	}
	if strings.Contains(srv.stderr.String()+listen.stderr.String(), token) {
		t.Error("a process printed the token")
	}

	r = runCLI(t, env, "relay", "token", "list", "--data", data, "-o", "json")
	wantCode(t, r, 0)
	var listed struct{ Data []relay.Grant }
	if err := json.Unmarshal([]byte(r.stdout), &listed); err != nil || len(listed.Data) != 1 || listed.Data[0].Name != "laptop" {
		t.Fatalf("token list: %v\n%s", err, r)
	}
	wantCode(t, runCLI(t, env, "relay", "token", "revoke", "--data", data, listed.Data[0].ID), 0)
	wantCode(t, runCLI(t, env, "relay", "token", "revoke", "--data", data, listed.Data[0].ID), 1)

	if r := listen.stop(t, syscall.SIGTERM); r.code != 0 {
		t.Errorf("listen: %s", r)
	}
	if r := srv.stop(t, syscall.SIGTERM); r.code != 0 || !strings.Contains(r.stderr, "stopped") {
		t.Errorf("serve: %s", r)
	}
}

// Usage errors of 'kick relay'.
func TestRelayUsage(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	for _, args := range [][]string{
		{"relay", "token", "create", "--data", t.TempDir()},
		{"relay", "token", "create", "--data", t.TempDir(), "--broadcaster", "1", "--type", "chat.message.send"},
		{"relay", "serve", "--retention", "0s"},
		{"event", "listen", "--relay", "http://127.0.0.1:1/events"},
	} {
		r := runCLI(t, env, args...)
		wantCode(t, r, 2, args...)
	}
}
