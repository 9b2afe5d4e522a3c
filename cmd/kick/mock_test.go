package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// mockServe starts 'kick mock serve' with args and returns its description and a function that
// interrupts it and returns its result.
func mockServe(t *testing.T, env []string, args ...string) (mockInfo, func() result) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("kick mock serve stops on SIGINT, which Windows cannot send")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	cmd := exec.CommandContext(ctx, kickBin, append([]string{"mock", "serve", "--port", "0", "--oauth-port", "0", "-o", "json"}, args...)...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdout := bufio.NewReader(out)
	line, err := stdout.ReadString('\n')
	var info mockInfo
	if err == nil {
		err = json.Unmarshal([]byte(line), &info)
	}
	stop := func() result {
		defer cancel()
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Errorf("interrupting kick mock serve: %v", err)
		}
		rest, _ := io.ReadAll(stdout)
		r := result{stdout: line + string(rest)}
		if err := cmd.Wait(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatal(err)
			}
			r.code = exit.ExitCode()
		}
		r.stderr = stderr.String()
		return r
	}
	if err != nil {
		r := stop()
		t.Fatalf("reading kick mock serve's first line: %v\n%s", err, r)
	}
	return info, stop
}

type mockInfo struct {
	APIURL       string `json:"api_url"`
	OAuthURL     string `json:"oauth_url"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	WebhookURL   string `json:"webhook_url"`
	Users        []struct {
		UserID   int64  `json:"user_id"`
		Username string `json:"username"`
		Role     string `json:"role"`
	} `json:"users"`
	Env map[string]string `json:"env"`
}

func (m mockInfo) environ(t *testing.T) []string {
	var vars []string
	for k, v := range m.Env {
		vars = append(vars, k+"="+v)
	}
	return cliEnv(t, vars...)
}

// TestMockServe runs the whole loop against kick mock serve: log in through the printed URL,
// subscribe to chat messages, send one, and get it signed at a webhook handler that trusts the
// development key.
func TestMockServe(t *testing.T) {
	t.Parallel()
	hook, rec := devWebhookServer(t)
	info, stop := mockServe(t, cliEnv(t), "--webhook-url", hook.URL+"/kick/webhook")
	if info.ClientID != mockClientID || info.ClientSecret != mockClientSecret || info.WebhookURL != hook.URL+"/kick/webhook" ||
		info.Env["KICK_BASE_URL"] != info.APIURL || info.Env["KICK_OAUTH_URL"] != info.OAuthURL ||
		len(info.Users) < 4 || info.Users[0].UserID != kicktest.Streamer.UserID || info.Users[0].Role == "" {
		t.Errorf("kick mock serve printed %+v", info)
	}
	env := info.environ(t)

	r, _ := loginFlow(t, env, nil)
	wantCode(t, r, 0)
	wantCode(t, runCLI(t, env, "events", "subscribe", "chat.message.sent"), 0)
	wantCode(t, runCLI(t, env, "chat", "send", "hello", "webhook"), 0)

	deadline := time.Now().Add(10 * time.Second)
	for {
		rec.mu.Lock()
		n := len(rec.events)
		rec.mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	rec.mu.Lock()
	if len(rec.events) != 1 {
		t.Errorf("the webhook got %d events, errors %v", len(rec.events), rec.errs)
	} else if e, ok := rec.events[0].(*webhook.ChatMessageSent); !ok || e.Content != "hello webhook" ||
		e.Sender.UserID != kicktest.Streamer.UserID {
		t.Errorf("the webhook got %#v", rec.events[0])
	}
	rec.mu.Unlock()

	res := stop()
	wantCode(t, res, 0)
	if !strings.Contains(res.stderr, "kick mock serve: stopped") {
		t.Errorf("stderr:\n%s", res.stderr)
	}
}

func TestMockServeCredentials(t *testing.T) {
	t.Parallel()
	env := cliEnv(t, "KICK_CLIENT_ID=my-id", "KICK_CLIENT_SECRET=my-secret")
	info, stop := mockServe(t, env, "--authorize-as", "1002")
	if info.ClientID != "my-id" || info.ClientSecret != "my-secret" {
		t.Errorf("credentials %q %q", info.ClientID, info.ClientSecret)
	}
	r, _ := loginFlow(t, info.environ(t), nil)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "Logged in as kickgo_viewer") {
		t.Errorf("--authorize-as 1002:\n%s", r.stdout)
	}
	wantCode(t, stop(), 0)

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
	a := newApp(strings.NewReader(""), &out, io.Discard, func(string) string { return "" })
	if err := printMock(a, formatTable, srv); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"API URL:        " + srv.APIURL + "\n",
		"OAuth URL:      " + srv.OAuthURL + "\n",
		"Client secret:  " + srv.App.ClientSecret + "\n",
		"  1001      kickgo_streamer ",
		"  export KICK_BASE_URL=" + srv.APIURL + "\n",
		"  export KICK_CLIENT_SECRET=" + srv.App.ClientSecret + "\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table does not contain %q:\n%s", want, out.String())
		}
	}
}
