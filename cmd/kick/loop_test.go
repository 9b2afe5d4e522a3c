package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// TestTriggerJSONAndRetrigger: trigger -o json prints what it sent, one object; retrigger sends
// a saved delivery again as Kick retries one (same message id, fresh signature), or --as-is.
func TestTriggerJSONAndRetrigger(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		seen []http.Header
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Header.Clone())
	}))
	t.Cleanup(hook.Close)
	env := cliEnv(t, "KICK_EVENT_DIR="+filepath.Join(t.TempDir(), "deliveries"))

	r := runCLI(t, env, "event", "trigger", "kicks.gifted", "--to", hook.URL, "-o", "json")
	wantCode(t, r, 0)
	var sent sentDelivery
	if err := jsonUnmarshalStrict(r.stdout, &sent); err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	var body webhook.KicksGifted
	raw, _ := json.Marshal(sent.Body)
	if err := json.Unmarshal(raw, &body); err != nil || sent.Type != kick.EventKicksGifted || sent.StatusCode != http.StatusOK ||
		sent.Headers[webhook.HeaderMessageID] != sent.MessageID || sent.Headers[webhook.HeaderSignature] == "" || body.Gift.Amount == 0 {
		t.Errorf("trigger -o json: %+v (%v)", sent, err)
	}

	time.Sleep(1100 * time.Millisecond) // a timestamp of another second
	r = runCLI(t, env, "event", "retrigger", sent.MessageID[:10], "-o", "json")
	wantCode(t, r, 0)
	var again sentDelivery
	if err := jsonUnmarshalStrict(r.stdout, &again); err != nil {
		t.Fatal(err)
	}
	if again.MessageID != sent.MessageID || again.URL != hook.URL || again.Timestamp == sent.Timestamp ||
		again.Headers[webhook.HeaderSignature] == sent.Headers[webhook.HeaderSignature] {
		t.Errorf("retrigger: %+v\nafter %+v", again, sent)
	}
	r = runCLI(t, env, "event", "retrigger", sent.MessageID, "--as-is")
	wantCode(t, r, 0)
	mu.Lock()
	if len(seen) != 3 || seen[2].Get(webhook.HeaderSignature) != sent.Headers[webhook.HeaderSignature] ||
		seen[1].Get(webhook.HeaderMessageID) != sent.MessageID {
		t.Errorf("the receiver saw %d deliveries: %v", len(seen), seen)
	}
	mu.Unlock()
	// The saved delivery verifies, at the time it was sent.
	wantCode(t, runCLI(t, env, "event", "verify", sent.MessageID), 0)
	if r := runCLI(t, env, "event", "deliveries"); !strings.HasPrefix(r.stdout, sent.MessageID+"\tkicks.gifted\ttrigger\t") {
		t.Errorf("event deliveries:\n%s", r)
	}
	if r := runCLI(t, env, "event", "verify", "NOSUCH"); r.code != exitError || !strings.Contains(r.stderr, `no saved delivery "NOSUCH"`) {
		t.Errorf("verify of an unknown id:\n%s", r)
	}
}

// TestListenRefusesAnotherKey: listen verifies with Kick's key away from a mock; a delivery of
// the development key is refused (400, printed INVALID, with what to try) and not forwarded.
func TestListenRefusesAnotherKey(t *testing.T) {
	t.Parallel()
	env := cliEnv(t, "KICK_EVENT_DIR="+filepath.Join(t.TempDir(), "deliveries"))
	p := startCLI(t, env, "event", "listen", "--port", "0")
	p.waitStderr(t, "Ready: listening on http://")
	ready := p.stderr.String()
	target := strings.Fields(ready[strings.Index(ready, "http://"):])[0]
	target = strings.TrimSuffix(target, ",")
	if !strings.Contains(ready, "verifying with Kick's public key") {
		t.Errorf("listen away from a mock: %s", ready)
	}
	r := runCLI(t, env, "event", "trigger", "chat.message.sent", "--to", target)
	wantCode(t, r, exitError)
	if !strings.HasPrefix(r.stdout, "400 Bad Request "+target) {
		t.Errorf("trigger to a listener of Kick's key:\n%s", r)
	}
	line := p.line(t)
	if !strings.Contains(line, "chat.message.sent v1") || !strings.Contains(line, "INVALID") {
		t.Errorf("listen printed %q", line)
	}
	p.waitStderr(t, "hint: a delivery of 'kick mock serve' or 'kick event trigger' is signed with the development key: try --dev-key")
	wantCode(t, p.stop(t, os.Interrupt), exitInterrupt)
}

// TestCompletionFromTheMock: ids come from a mock of --base-url; accounts and deliveries from
// the disk.
func TestCompletionFromTheMock(t *testing.T) {
	t.Parallel()
	env := cliEnv(t, "KICK_EVENT_DIR="+filepath.Join(t.TempDir(), "deliveries"))
	info, _ := mockServe(t, env, "--webhook-url", "http://127.0.0.1:1/x")
	env = info.environ(env)
	wantCode(t, runCLI(t, env, "auth", "login"), 0)
	sub := runCLI(t, env, "subscriptions", "create", "channel.followed", "--jq", ".data[0].subscription_id")
	wantCode(t, sub, 0)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"users", "get", ""}, "1002\tkickgo_viewer, viewer, subscribed to the streamer"},
		{[]string{"chat", "send", "--broadcaster", ""}, "1001\tkickgo_streamer, streamer; 'kick auth login' logs in as this user"},
		{[]string{"categories", "get", ""}, "15\tJust Chatting"},
		{[]string{"subscriptions", "delete", ""}, strings.TrimSpace(sub.stdout) + "\tchannel.followed of 1001"},
		{[]string{"auth", "switch", ""}, "kickgo_streamer\tactive, app " + mockClientID},
	} {
		r := runCLI(t, env, append([]string{cobra.ShellCompRequestCmd}, tt.args...)...)
		wantCode(t, r, 0, tt.args...)
		if !slices.Contains(strings.Split(r.stdout, "\n"), tt.want) {
			t.Errorf("completing %q: no %q in\n%s", tt.args, tt.want, r.stdout)
		}
	}
}

// TestNoSecretFlags: no visible flag takes a secret as its value; secrets come from files,
// stdin or the environment. The deprecated flags that did are hidden and warn.
func TestNoSecretFlags(t *testing.T) {
	t.Parallel()
	a := testApp(nil)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		check := func(f *pflag.Flag) {
			name := f.Name
			secretish := strings.Contains(name, "secret") || strings.Contains(name, "token") || strings.Contains(name, "password")
			if secretish && !f.Hidden && !strings.HasSuffix(name, "-file") && !strings.HasSuffix(name, "-dir") {
				t.Errorf("%s --%s takes a secret on the command line", c.CommandPath(), name)
			}
		}
		c.LocalFlags().VisitAll(check)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(a.root)

	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	app := runCLI(t, env, "auth", "token", "--app")
	wantCode(t, app, 0)
	file := filepath.Join(t.TempDir(), "token")
	writeFile(t, file, []byte(app.stdout))
	r := runCLI(t, env, "auth", "revoke", "--token-file", file)
	wantCode(t, r, 0)
	if r.stderr != "" {
		t.Errorf("--token-file warned:\n%s", r)
	}
	app = runCLI(t, env, "auth", "token", "--app")
	r = runCLI(t, env, "auth", "revoke", "--token", strings.TrimSpace(app.stdout))
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "warning: --token is deprecated") || strings.Contains(r.stderr, strings.TrimSpace(app.stdout)) {
		t.Errorf("--token:\n%s", r)
	}
	// kick api: -H @FILE and -F key=@FILE keep credentials off the command line; the literal forms warn.
	header := filepath.Join(t.TempDir(), "auth.txt")
	writeFile(t, header, []byte("Authorization: Bearer not-a-token\n"))
	r = runCLI(t, env, "api", "GET", "/public/v1/users", "-H", "@"+header)
	if r.code != exitError || !strings.Contains(r.stderr, "HTTP 401") || strings.Contains(r.stderr, "warning") {
		t.Errorf("-H @FILE:\n%s", r)
	}
	r = runCLI(t, env, "api", "GET", "/public/v1/users", "-H", "Authorization: Bearer not-a-token")
	if !strings.Contains(r.stderr, "warning: an Authorization header on the command line") {
		t.Errorf("-H Authorization:\n%s", r)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	writeFile(t, secret, []byte(srv.App.ClientSecret))
	r = runCLI(t, env, "api", "POST", "/oauth/token", "-f", "grant_type=client_credentials", "-f", "client_id="+srv.App.ClientID,
		"-F", "client_secret=@"+secret, "--input", os.DevNull)
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("-F client_secret=@FILE warned:\n%s", r)
	}
	r = runCLI(t, env, "api", "GET", "/x", "-f", "client_secret=abc")
	if !strings.Contains(r.stderr, "warning: client_secret on the command line") {
		t.Errorf("-f client_secret=...:\n%s", r)
	}
}

// TestAuthLoginPasteRedirect: on a machine whose browser cannot reach the CLI, the redirect's
// address pasted on stdin finishes the login.
func TestAuthLoginPasteRedirect(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := withoutEnv(mockEnv(t, srv), "DISPLAY")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, kickBin, "auth", "login", "--port", "0", "--no-browser")
	cmd.Env = env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout syncBuffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderrPipe)
	var authorizeURL string
	for sc.Scan() {
		if u, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), srv.OAuthBaseURL); ok {
			authorizeURL = srv.OAuthBaseURL + u
		}
		if strings.HasPrefix(sc.Text(), "Waiting for Kick's redirect") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stderrPipe) }()
	if authorizeURL == "" {
		t.Fatal("no authorize URL on stderr")
	}
	resp, err := noRedirects.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	// What the user pastes: first something else, then the address of the page that did not load.
	if _, err := io.WriteString(stdin, "not a URL\n"+resp.Header.Get("Location")+"\n"); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("auth login: %v\n%s", err, stdout.String())
	}
	if !strings.Contains(stdout.String(), "Logged in as kickgo_streamer (user id 1001)") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	if _, err := loadUserToken(t, env); err != nil {
		t.Errorf("no stored token: %v", err)
	}
}

// TestHints: where people get stuck, the error says what to try.
func TestHints(t *testing.T) {
	t.Parallel()
	env := cliEnv(t, "KICK_BASE_URL="+refusedURL, "KICK_OAUTH_URL="+refusedURL+"/", "KICK_CLIENT_ID=a", "KICK_CLIENT_SECRET=b")
	r := runCLI(t, env, "users", "get", "1")
	if r.code != exitError || !strings.Contains(r.stderr, "hint: nothing answers at "+refusedURL+": check KICK_BASE_URL (--base-url), or start the local fake with 'kick mock serve'") {
		t.Errorf("connection refused:\n%s", r)
	}

	// events subscribe on a mock without a webhook URL says how to set one.
	info, _ := mockServe(t, cliEnv(t))
	mock := info.environ(cliEnv(t))
	r = runCLI(t, mock, "subscriptions", "create", "--app", "--broadcaster", "1001", "chat.message.sent")
	if r.code != exitError || !strings.Contains(r.stderr, "hint: the mock has no webhook URL: run 'kick event listen' (it sets one while it runs), or 'kick mock webhook URL'") {
		t.Errorf("subscribe without a webhook URL:\n%s", r)
	}
}
