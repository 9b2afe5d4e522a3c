package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

type mockInfo struct {
	APIBaseURL   string            `json:"api_url"`
	OAuthBaseURL string            `json:"oauth_url"`
	ClientID     string            `json:"client_id"`
	ClientSecret string            `json:"client_secret"`
	WebhookURL   string            `json:"webhook_url"`
	Users        []mockUser        `json:"users"`
	Env          map[string]string `json:"env"`
}

// mockServe starts 'kick mock serve' on free ports (unless args give them) with args, and
// returns what it printed and the process.
func mockServe(t *testing.T, env []string, args ...string) (mockInfo, *proc) {
	t.Helper()
	base := []string{"mock", "serve", "-o", "json"}
	if !strings.Contains(strings.Join(args, " "), "--port") {
		base = append(base, "--port", "0", "--oauth-port", "0")
	}
	p := startCLI(t, env, append(base, args...)...)
	var info mockInfo
	if err := json.Unmarshal([]byte(p.line(t)), &info); err != nil {
		t.Fatalf("kick mock serve's first line: %v\n%s", err, p.stderr.String())
	}
	return info, p
}

// environ is env with the variables mock serve said to export.
func (m mockInfo) environ(env []string) []string {
	env = slicesClone(env)
	for k, v := range m.Env {
		env = append(env, k+"="+v)
	}
	return env
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// TestMockLoop is the loop of the README: mock serve, auth login (no browser: the CLI follows
// the mock's authorize URL itself), event listen forwarding to a handler, and deliveries from the
// mock (a subscription and a chat message) and from event trigger, each verified, forwarded,
// saved, and verifiable again with event verify ID.
func TestMockLoop(t *testing.T) {
	t.Parallel()
	hook, rec := devWebhookServer(t)
	env := cliEnv(t, "KICK_EVENT_DIR="+filepath.Join(t.TempDir(), "deliveries"))
	info, mock := mockServe(t, env)
	if info.ClientID != mockClientID || info.ClientSecret != mockClientSecret || info.WebhookURL != "" ||
		info.Env["KICK_BASE_URL"] != info.APIBaseURL || info.Env["KICK_OAUTH_URL"] != info.OAuthBaseURL ||
		len(info.Users) < 4 || info.Users[0].UserID != kicktest.Streamer.UserID || info.Users[0].Role == "" {
		t.Errorf("kick mock serve printed %+v", info)
	}
	env = info.environ(env)

	login := runCLI(t, env, "auth", "login")
	wantCode(t, login, 0)
	if !strings.Contains(login.stdout, "Logged in as kickgo_streamer (user id 1001) on "+kickauth.OAuthHost(info.OAuthBaseURL)) {
		t.Errorf("auth login:\n%s", login)
	}

	listen := startCLI(t, env, "event", "listen", "--port", "0", "--forward-to", hook.URL+"/kick/webhook", "-o", "json")
	listen.waitStderr(t, "the mock's webhook URL points here")
	if r := runCLI(t, env, "mock", "webhook"); !strings.HasPrefix(r.stdout, "http://127.0.0.1:") || !strings.HasSuffix(r.stdout, "/kick/webhook\n") {
		t.Errorf("the mock's webhook URL while listen runs:\n%s", r)
	}

	wantCode(t, runCLI(t, env, "subscriptions", "create", "chat.message.sent"), 0)
	wantCode(t, runCLI(t, env, "chat", "send", "hello", "webhook"), 0)
	var got receivedDelivery
	if err := json.Unmarshal([]byte(listen.line(t)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != kick.EventChatMessageSent || !got.Valid || got.Status != "200 OK" || got.SavedAs == "" ||
		got.Forwarded != hook.URL+"/kick/webhook" || got.SubscriptionID == "" {
		t.Errorf("listen printed %+v", got)
	}
	rec.wait(t, 1)
	rec.mu.Lock()
	if e, ok := rec.events[0].(*webhook.ChatMessageSent); !ok || e.Content != "hello webhook" || e.Sender.UserID != kicktest.Streamer.UserID {
		t.Errorf("the handler got %#v (errors %v)", rec.events[0], rec.errs)
	}
	rec.mu.Unlock()

	// Saved, and verified again later, against the time it came.
	v := runCLI(t, env, "event", "verify", got.SavedAs, "-o", "json")
	wantCode(t, v, 0)
	var ver verified
	if err := json.Unmarshal([]byte(v.stdout), &ver); err != nil || !ver.Valid || ver.MessageID != got.MessageID || ver.Key != "kicktest's development key" {
		t.Errorf("event verify %s: %v\n%s", got.SavedAs, err, v)
	}

	// event trigger without --to goes to the mock's webhook URL: listen.
	tr := runCLI(t, env, "event", "trigger", "channel.followed", "--count", "2", "-o", "json")
	wantCode(t, tr, 0)
	var sent kick.Page[sentDelivery]
	if err := json.Unmarshal([]byte(tr.stdout), &sent); err != nil || len(sent.Items) != 2 {
		t.Fatalf("event trigger --count 2 -o json: %v\n%s", err, tr)
	}
	for range 2 {
		var d receivedDelivery
		if err := json.Unmarshal([]byte(listen.line(t)), &d); err != nil {
			t.Fatal(err)
		}
		if d.Type != kick.EventChannelFollowed || !d.Valid || (d.MessageID != sent.Items[0].MessageID && d.MessageID != sent.Items[1].MessageID) {
			t.Errorf("listen got %+v, trigger sent %+v", d, sent.Items)
		}
	}
	rec.wait(t, 3)

	// Ctrl-C: 130, and the mock's webhook URL is put back.
	r := listen.stop(t, os.Interrupt)
	wantCode(t, r, exitInterrupt)
	if m := runCLI(t, env, "mock", "webhook"); m.stdout != "-\n" {
		t.Errorf("the mock's webhook URL after listen stopped:\n%s", m)
	}
	// SIGTERM stops the mock normally.
	r = mock.stop(t, syscall.SIGTERM)
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "kick mock serve: stopped") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// TestMockWebhookURLWhileRunning: kick mock webhook changes the URL of a running mock, and the
// tokens it issued keep working.
func TestMockWebhookURLWhileRunning(t *testing.T) {
	t.Parallel()
	hook, rec := devWebhookServer(t)
	env := cliEnv(t)
	info, _ := mockServe(t, env)
	env = info.environ(env)
	wantCode(t, runCLI(t, env, "auth", "login"), 0)
	token := runCLI(t, env, "auth", "token")
	wantCode(t, token, 0)

	r := runCLI(t, env, "mock", "webhook", hook.URL+"/hook")
	wantCode(t, r, 0)
	if r.stdout != "The mock's webhook URL is now "+hook.URL+"/hook (was -)\n" {
		t.Errorf("mock webhook URL:\n%s", r)
	}
	after := runCLI(t, env, "auth", "token")
	wantCode(t, after, 0)
	if after.stdout != token.stdout {
		t.Errorf("the token changed with the webhook URL")
	}
	wantCode(t, runCLI(t, env, "subscriptions", "create", "chat.message.sent"), 0)
	wantCode(t, runCLI(t, env, "chat", "send", "hi"), 0)
	rec.wait(t, 1)

	r = runCLI(t, env, "mock", "webhook", "--off")
	wantCode(t, r, 0)
	r = runCLI(t, env, "mock", "webhook", "not a url")
	wantCode(t, r, exitUsage)
	if r := runCLI(t, cliEnv(t), "mock", "webhook"); r.code != exitError || !strings.Contains(r.stderr, "is not a 'kick mock serve'") {
		t.Errorf("mock webhook without a mock:\n%s", r)
	}
}

// freePorts returns n free loopback ports.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		_ = ln.Close()
	}
	return ports
}

// TestMockState: with --state, logins, subscriptions and the webhook URL outlive a restart.
func TestMockState(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	state := filepath.Join(t.TempDir(), "mock.json")
	ports := freePorts(t, 2)
	args := []string{"--port", strconv.Itoa(ports[0]), "--oauth-port", strconv.Itoa(ports[1]), "--state", state,
		"--webhook-url", "http://127.0.0.1:1/hook"}
	info, mock := mockServe(t, env, args...)
	env = info.environ(env)
	wantCode(t, runCLI(t, env, "auth", "login"), 0)
	sub := runCLI(t, env, "subscriptions", "create", "chat.message.sent", "--jq", ".data[0].subscription_id")
	wantCode(t, sub, 0)
	token := runCLI(t, env, "auth", "token")
	wantCode(t, token, 0)
	wantCode(t, mock.stop(t, syscall.SIGTERM), 0)
	if fi, err := os.Stat(state); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the state file: %v %v", fi, err)
	}

	_, mock = mockServe(t, env, args[:len(args)-2]...) // no --webhook-url: the saved one
	mock.waitStderr(t, "state read from "+state)
	after := runCLI(t, env, "auth", "token")
	wantCode(t, after, 0)
	if after.stdout != token.stdout {
		t.Errorf("auth token after the restart: %q, want %q", after.stdout, token.stdout)
	}
	list := runCLI(t, env, "subscriptions", "list")
	wantCode(t, list, 0)
	if id := strings.TrimSpace(sub.stdout); id == "" || !strings.Contains(list.stdout, id) {
		t.Errorf("the subscription %q after the restart:\n%s", id, list)
	}
	if r := runCLI(t, env, "mock", "webhook"); r.stdout != "http://127.0.0.1:1/hook\n" {
		t.Errorf("the webhook URL after the restart:\n%s", r)
	}
	r := mock.stop(t, os.Interrupt)
	wantCode(t, r, exitInterrupt)

	// Another app's state is refused.
	writeFile(t, state, bytes.Replace(mustRead(t, state), []byte(mockClientID), []byte("other-app"), 1))
	r = runCLI(t, env, append([]string{"mock", "serve"}, args...)...)
	if r.code != exitError || !strings.Contains(r.stderr, "the state belongs to another app") {
		t.Errorf("a state of another app:\n%s", r)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name) //nolint:gosec // a test file
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMockOwnCredentials: the mock's app is its own whatever the environment exports, and
// --authorize-as picks who logs in.
func TestMockOwnCredentials(t *testing.T) {
	t.Parallel()
	env := cliEnv(t, "KICK_CLIENT_ID=my-real-app", "KICK_CLIENT_SECRET=my-real-secret")
	info, _ := mockServe(t, env, "--authorize-as", "1002")
	if info.ClientID != mockClientID || info.ClientSecret != mockClientSecret {
		t.Errorf("credentials %q %q", info.ClientID, info.ClientSecret)
	}
	r := runCLI(t, info.environ(env), "auth", "login")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, `Logged in as kickgo_viewer (user id 1002)`) || !strings.Contains(r.stdout, `account "kickgo_viewer" is active`) {
		t.Errorf("--authorize-as 1002:\n%s", r.stdout)
	}

	r = runCLI(t, cliEnv(t), "mock", "serve", "--port", "0", "--oauth-port", "0", "--authorize-as", "5")
	wantCode(t, r, 2)
	if !strings.HasPrefix(r.stderr, "kick mock serve: invalid --authorize-as 5") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestMockTable(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	var out bytes.Buffer
	a := newApp(strings.NewReader(""), &out, new(bytes.Buffer), func(string) string { return "" })
	ctl := &mockControl{srv: srv}
	ctl.setAuthorizeAs(kicktest.Streamer.UserID)
	if err := a.printMock(t.Context(), &output{format: formatTable}, ctl); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"API URL:        " + srv.APIBaseURL + "\n",
		"OAuth URL:      " + srv.OAuthBaseURL + "\n",
		"Client secret:  " + srv.App.ClientSecret + "\n",
		"  1001      kickgo_streamer      streamer; 'kick auth login' logs in as this user\n",
		"  export KICK_BASE_URL=" + srv.APIBaseURL + "\n",
		"  export KICK_CLIENT_SECRET=" + srv.App.ClientSecret + "\n",
		"kick event listen",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table does not contain %q:\n%s", want, out.String())
		}
	}
}

// wait waits until the handler has n events.
func (rec *received) wait(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rec.mu.Lock()
		got, errs := len(rec.events), rec.errs
		rec.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the handler got %d events, want %d (errors %v)", got, n, errs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestMockAuthorizeAs: the mock's login approves as --authorize-as, by default the streamer,
// whatever a --state file says; the banner names who that is; 'kick mock authorize-as' changes it
// while the mock runs, for a second account.
func TestMockAuthorizeAs(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	state := filepath.Join(t.TempDir(), "mock.json")
	info, mock := mockServe(t, env, "--state", state, "--authorize-as", "1002")
	for _, u := range info.Users {
		if login := strings.Contains(u.Role, "'kick auth login' logs in as this user"); login != (u.UserID == 1002) {
			t.Errorf("the banner's user %d: %q", u.UserID, u.Role)
		}
	}
	menv := info.environ(env)
	if r := runCLI(t, menv, "auth", "login"); !strings.Contains(r.stdout, "Logged in as kickgo_viewer") {
		t.Errorf("login with --authorize-as 1002:\n%s", r)
	}
	wantCode(t, mock.stop(t, syscall.SIGTERM), 0)

	info, mock = mockServe(t, env, "--state", state) // the default again, not the state's
	menv = info.environ(env)
	if r := runCLI(t, menv, "auth", "login"); !strings.Contains(r.stdout, "Logged in as kickgo_streamer") {
		t.Errorf("login after a restart without --authorize-as:\n%s", r)
	}
	r := runCLI(t, menv, "mock", "authorize-as", "kickgo_viewer")
	wantCode(t, r, 0)
	if r.stdout != "The mock's login now approves as kickgo_viewer (user 1002)\n" {
		t.Errorf("mock authorize-as:\n%s", r)
	}
	if r := runCLI(t, menv, "mock", "authorize-as"); r.stdout != "kickgo_viewer (user 1002)\n" {
		t.Errorf("mock authorize-as without a user:\n%s", r)
	}
	if r := runCLI(t, menv, "auth", "login"); !strings.Contains(r.stdout, "Logged in as kickgo_viewer") {
		t.Errorf("login after mock authorize-as:\n%s", r)
	}
	wantCode(t, runCLI(t, menv, "auth", "switch", "kickgo_streamer"), 0)
	if r := runCLI(t, menv, "mock", "authorize-as", "nobody"); r.code != exitUsage || !strings.Contains(r.stderr, `no user "nobody" in the mock`) {
		t.Errorf("mock authorize-as nobody:\n%s", r)
	}
	wantCode(t, mock.stop(t, syscall.SIGTERM), 0)
}

// TestTwoListeners: a listen that stops puts the mock's webhook URL back only if it is its own
// still: another listen started since keeps receiving.
func TestTwoListeners(t *testing.T) {
	t.Parallel()
	env := cliEnv(t, "KICK_EVENT_DIR="+filepath.Join(t.TempDir(), "deliveries"))
	info, _ := mockServe(t, env)
	env = info.environ(env)
	first := startCLI(t, env, "event", "listen", "--port", "0")
	first.waitStderr(t, "Ready: listening on ")
	second := startCLI(t, env, "event", "listen", "--port", "0")
	second.waitStderr(t, "Ready: listening on ")
	url := strings.TrimSuffix(strings.Fields(strings.SplitN(second.stderr.String(), "Ready: listening on ", 2)[1])[0], ",")
	wantCode(t, first.stop(t, syscall.SIGTERM), 0)
	if r := runCLI(t, env, "mock", "webhook"); r.stdout != url+"\n" {
		t.Errorf("the webhook URL after the first listen stopped: %q, want the second's, %s", r.stdout, url)
	}
	wantCode(t, runCLI(t, env, "event", "trigger", "channel.followed"), 0)
	if line := second.line(t); !strings.Contains(line, "channel.followed") {
		t.Errorf("the second listen got %q", line)
	}
	wantCode(t, second.stop(t, syscall.SIGTERM), 0)
}
