package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// mockEnv is the environment of the binary pointed at srv with its app's credentials.
func mockEnv(t *testing.T, srv *kicktest.Server, vars ...string) []string {
	t.Helper()
	return cliEnv(t, append([]string{
		"KICK_BASE_URL=" + srv.APIBaseURL,
		"KICK_OAUTH_URL=" + srv.OAuthBaseURL,
		"KICK_CLIENT_ID=" + srv.App.ClientID,
		"KICK_CLIENT_SECRET=" + srv.App.ClientSecret,
	}, vars...)...)
}

// envValue returns the value of name in env.
func envValue(env []string, name string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// userTokenKey is the store key of account's token in env: its OAuth host and app.
func userTokenKey(env []string, account string) string {
	return kickauth.LoginKey(kickauth.OAuthHost(envValue(env, envOAuthURL)), envValue(env, envClientID), account)
}

// storeUserToken stores a user token in the token directory of env as the login of the account
// "default" for env's API, the host's active account, as 'kick auth login --account default'
// would.
func storeUserToken(t *testing.T, env []string, tok *oauth2.Token) {
	t.Helper()
	store, err := kickauth.NewLoginStore(envValue(env, envTokenDir))
	if err != nil {
		t.Fatal(err)
	}
	l := &kickauth.Login{Host: kickauth.OAuthHost(envValue(env, envOAuthURL)), Account: defaultAccount, ClientID: envValue(env, envClientID),
		OAuthBaseURL: envValue(env, envOAuthURL), APIBaseURL: envValue(env, envBaseURL)}
	if err := store.Save(context.Background(), l, tok); err != nil {
		t.Fatal(err)
	}
}

// activeAccount is the active account of env's OAuth host, "default" when there is none.
func activeAccount(t *testing.T, env []string) string {
	t.Helper()
	store, err := kickauth.NewLoginStore(envValue(env, envTokenDir))
	if err != nil {
		t.Fatal(err)
	}
	l, err := store.Find(kickauth.OAuthHost(envValue(env, envOAuthURL)), "")
	if err != nil {
		return defaultAccount
	}
	return l.Account
}

// loadUserToken loads the stored user token of env's active account.
func loadUserToken(t *testing.T, env []string) (*oauth2.Token, error) {
	t.Helper()
	store, err := kickauth.NewFileStore(envValue(env, envTokenDir))
	if err != nil {
		t.Fatal(err)
	}
	return store.Load(context.Background(), userTokenKey(env, activeAccount(t, env)))
}

// noRedirects is an HTTP client that returns redirects instead of following them: it plays the
// browser, one hop at a time.
var noRedirects = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// loginFlow runs 'kick auth login --print-url' and plays the browser: it reads the authorize URL
// from the first line of stdout, gets it from the fake OAuth server, which redirects at once, and
// follows the redirect to the CLI's loopback server. before, if set, runs with the authorize URL
// before anything is followed.
func loginFlow(t *testing.T, env []string, before func(authorizeURL string), args ...string) (result, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := []string{"auth", "login", "--print-url"}
	if !slices.Contains(args, "--redirect-uri") {
		base = append(base, "--port", "0")
	}
	cmd := exec.CommandContext(ctx, kickBin, append(base, args...)...)
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
	first, err := stdout.ReadString('\n')
	if err != nil {
		_ = cmd.Wait()
		t.Fatalf("reading the authorize URL: %v\nstderr:\n%s", err, stderr.String())
	}
	authorizeURL := strings.TrimSpace(first)
	if before != nil {
		before(authorizeURL)
	}
	resp, err := noRedirects.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("GET %s: %s, want 302", authorizeURL, resp.Status)
	}
	callback, err := noRedirects.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(callback.Body)
	_ = callback.Body.Close()
	callback.Body = io.NopCloser(bytes.NewReader(page))
	rest, _ := io.ReadAll(stdout)
	r := result{stdout: first + string(rest)}
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
		r.code = exit.ExitCode()
	}
	r.stderr = stderr.String()
	return r, callback
}

func TestAuthLogin(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	r, callback := loginFlow(t, env, func(u string) {
		au, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		q := au.Query()
		if !strings.HasPrefix(u, srv.OAuthBaseURL+"/oauth/authorize?") || q.Get("code_challenge_method") != "S256" ||
			q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("client_id") != srv.App.ClientID ||
			q.Get("scope") != "user:read channel:read chat:write events:subscribe" ||
			!strings.HasPrefix(q.Get("redirect_uri"), "http://localhost:") {
			t.Errorf("authorize URL %s", u)
		}
	})
	wantCode(t, r, 0)
	if callback.StatusCode != http.StatusOK {
		t.Errorf("the callback page: %s", callback.Status)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	wantLast := `Logged in as kickgo_streamer (user id 1001) on ` + kickauth.OAuthHost(srv.OAuthBaseURL) +
		`; account "kickgo_streamer" is active, its token saved in ` + envValue(env, envTokenDir)
	if len(lines) != 2 || lines[1] != wantLast {
		t.Errorf("stdout:\n%s\nwant the URL and then %q", r.stdout, wantLast)
	}
	tok, err := loadUserToken(t, env)
	if err != nil {
		t.Fatalf("no stored token: %v", err)
	}
	if tok.RefreshToken == "" || tok.AccessToken == "" {
		t.Errorf("stored token %v", kickauth.Redact(tok))
	}

	// The stored token is the user's.
	me := runCLI(t, env, "users", "me", "-o", "json")
	wantCode(t, me, 0)
	var user kick.User // one object
	if err := json.Unmarshal([]byte(me.stdout), &user); err != nil || user.UserID != kicktest.Streamer.UserID {
		t.Errorf("users me after login: %v\n%s", err, me)
	}
	token := runCLI(t, env, "auth", "token")
	wantCode(t, token, 0)
	if strings.TrimSpace(token.stdout) != tok.AccessToken {
		t.Errorf("auth token printed another token than the stored one")
	}
	info := runCLI(t, env, "auth", "introspect", "-o", "json")
	wantCode(t, info, 0)
	var ti kick.TokenInfo
	if err := json.Unmarshal([]byte(info.stdout), &ti); err != nil {
		t.Fatal(err)
	}
	wantScopes := []kick.Scope{kick.ScopeUserRead, kick.ScopeChannelRead, kick.ScopeChatWrite, kick.ScopeEventsSubscribe}
	if !ti.Active || ti.Kind != kick.TokenKindUser || !cmp.Equal(ti.Scopes, wantScopes) || ti.ClientID != srv.App.ClientID {
		t.Errorf("introspect: %+v", ti)
	}
}

func TestAuthLogin127001AndScopes(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	srv.AuthorizeAs(kicktest.Viewer.UserID)
	env := mockEnv(t, srv, "KICK_ACCOUNT=viewer")
	r, _ := loginFlow(t, env, func(u string) {
		au, _ := url.Parse(u)
		q := au.Query()
		// kickauth's workaround for Kick's rewriting of 127.0.0.1.
		if q.Get("redirect") != "127.0.0.1" || !strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1:") ||
			!strings.HasSuffix(q.Get("redirect_uri"), "/kick/cb") || q.Get("scope") != "user:read kicks:read" {
			t.Errorf("authorize URL %s", u)
		}
	}, "--redirect-uri", "http://127.0.0.1:0/kick/cb", "--scopes", "kicks:read,user:read")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, `Logged in as kickgo_viewer (user id 1002) on `+kickauth.OAuthHost(srv.OAuthBaseURL)+`; account "viewer" is active`) {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestAuthLoginDeclined(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	srv.AuthorizeAs(0)
	env := mockEnv(t, srv)
	r, callback := loginFlow(t, env, nil)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "error: login failed: kickauth: authorization failed: access_denied") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	body, _ := io.ReadAll(callback.Body)
	if !strings.Contains(string(body), "access_denied") {
		t.Errorf("callback page: %s", body)
	}
	if _, err := loadUserToken(t, env); err == nil {
		t.Error("a token was stored")
	}
}

func TestAuthLoginIgnoresForeignState(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	r, _ := loginFlow(t, env, func(u string) {
		au, _ := url.Parse(u)
		forged := au.Query().Get("redirect_uri") + "?code=forged&state=not-ours"
		resp, err := noRedirects.Get(forged)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a callback with a foreign state: %s, want 400", resp.Status)
		}
	})
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "warning: ignored a redirect whose state does not match this login") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestAuthLoginTimeout(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	r := runCLI(t, mockEnv(t, srv), "auth", "login", "--print-url", "--port", "0", "--timeout", "50ms")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "error: no redirect from Kick within 50ms (--timeout)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestAuthWithoutCredentials(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	for _, args := range [][]string{
		{"auth", "login", "--print-url"},
		{"auth", "token", "--app"},
		{"users", "get", "1"},
	} {
		r := runCLI(t, env, args...)
		wantCode(t, r, 1, args...)
		if !strings.Contains(r.stderr, "KICK_CLIENT_ID") {
			t.Errorf("kick %s: the error does not say what to set:\n%s", strings.Join(args, " "), r.stderr)
		}
	}
	r := runCLI(t, cliEnv(t, "KICK_CLIENT_ID=x"), "auth", "token")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, `error: no account is logged in on id.kick.com: run 'kick auth login'`) {
		t.Errorf("auth token without a login:\n%s", r.stderr)
	}
}

func TestAuthRevoke(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	first := srv.UserToken(kicktest.Streamer.UserID)
	storeUserToken(t, env, first)

	r := runCLI(t, env, "auth", "revoke")
	wantCode(t, r, 0)
	// The access token no longer works; the stored token is refreshed on the next use.
	me := runCLI(t, env, "users", "me")
	wantCode(t, me, 0)
	tok, err := loadUserToken(t, env)
	if err != nil || tok.AccessToken == first.AccessToken || tok.RefreshToken == first.RefreshToken {
		t.Errorf("the token was not refreshed after revoke: %v", err)
	}

	r = runCLI(t, env, "auth", "revoke", "--refresh")
	wantCode(t, r, 0)
	if _, err := loadUserToken(t, env); err == nil {
		t.Error("revoke --refresh left the token in the store")
	}
	r = runCLI(t, env, "users", "me")
	wantCode(t, r, 1)

	// An app token, from stdin.
	app := runCLI(t, env, "auth", "token", "--app")
	wantCode(t, app, 0)
	r = runCLIIn(t, env, app.stdout, "auth", "revoke", "--token", "-")
	wantCode(t, r, 0)
	if r.stdout != "Revoked the access token\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	info := runCLI(t, env, "api", "POST", "/oauth/token/introspect", "-H", "Authorization: Bearer "+strings.TrimSpace(app.stdout))
	if info.code == 0 && !strings.Contains(info.stdout, `"active": false`) {
		t.Errorf("the revoked app token is still active:\n%s", info)
	}
}

func TestAPI(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	c, err := srv.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	users, err := c.Users.Get(context.Background(), []int64{kicktest.Streamer.UserID, kicktest.Viewer.UserID})
	if err != nil {
		t.Fatal(err)
	}
	type apiUser struct {
		UserID         int64  `json:"user_id"`
		Name           string `json:"name"`
		Email          string `json:"email"`
		ProfilePicture string `json:"profile_picture"`
	}
	type usersAnswer struct {
		Data    []apiUser `json:"data"`
		Message string    `json:"message"`
	}
	want := usersAnswer{Message: "OK"}
	for _, u := range users {
		want.Data = append(want.Data, apiUser{UserID: u.UserID, Name: u.Username, ProfilePicture: u.ProfilePicture})
	}

	r := runCLI(t, env, "api", "GET", "/public/v1/users", "-f", "id=1001")
	wantCode(t, r, 0)
	var got usersAnswer
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if diff := cmp.Diff(usersAnswer{Data: want.Data[:1], Message: "OK"}, got); diff != "" {
		t.Errorf("kick api GET /public/v1/users -f id=1001 (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(r.stdout, "{\n  \"data\": [\n") {
		t.Errorf("the JSON is not indented:\n%s", r.stdout)
	}

	// Repeated fields are repeated parameters, after those of the path.
	r = runCLI(t, env, "api", "get", "/public/v1/users?id=1001", "-f", "id=1002")
	wantCode(t, r, 0)
	got = usersAnswer{}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("two ids (-want +got):\n%s", diff)
	}

	// An error answer goes to stderr, with exit status 1.
	r = runCLI(t, env, "api", "GET", "/public/v1/channels", "-f", "slug=no-such-channel-x")
	wantCode(t, r, 1)
	if r.stdout != "" || !strings.Contains(r.stderr, `"message":`) ||
		!strings.Contains(r.stderr, "error: GET /public/v1/channels: HTTP 400 Bad Request") ||
		!strings.Contains(r.stderr, `hint: Kick answers "mixed parameter types" for an unknown channel slug`) {
		t.Errorf("an error answer:\n%s", r)
	}
	r = runCLI(t, env, "api", "GET", "/public/v1/users", "-H", "Authorization: Bearer not-a-token")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "HTTP 401 Unauthorized") {
		t.Errorf("a bad token:\n%s", r)
	}

	// The public key needs no token at all.
	r = runCLI(t, cliEnv(t, "KICK_BASE_URL="+srv.APIBaseURL), "api", "GET", "/public/v1/public-key")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "BEGIN PUBLIC KEY") {
		t.Errorf("public key:\n%s", r.stdout)
	}
}

func TestAPIPostWithUserToken(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	storeUserToken(t, env, srv.UserToken(kicktest.Streamer.UserID))

	r := runCLI(t, env, "api", "POST", "/public/v1/chat", "-f", "type=user", "-F", "broadcaster_user_id=1001",
		"-f", "content=hi & <bye>")
	wantCode(t, r, 0)
	var sent struct {
		Data struct {
			IsSent    bool   `json:"is_sent"`
			MessageID string `json:"message_id"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sent); err != nil || !sent.Data.IsSent {
		t.Fatalf("%v\n%s", err, r)
	}
	msgs := srv.Messages(kicktest.Streamer.UserID)
	if len(msgs) == 0 || msgs[len(msgs)-1].Content != "hi & <bye>" || msgs[len(msgs)-1].SenderUserID != kicktest.Streamer.UserID {
		t.Errorf("messages: %+v", msgs)
	}

	// --input sends a file as the body.
	body := filepath.Join(t.TempDir(), "body.json")
	writeFile(t, body, []byte(`{"type":"bot","content":"from a file"}`))
	r = runCLI(t, env, "api", "POST", "/public/v1/chat", "--input", body)
	wantCode(t, r, 0)
	msgs = srv.Messages(kicktest.Streamer.UserID)
	if got := msgs[len(msgs)-1]; got.Content != "from a file" || got.SenderUserID != kicktest.BotUser.UserID {
		t.Errorf("last message %+v", got)
	}
}

func TestAPIRefreshesOn401(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	first := srv.UserToken(kicktest.Streamer.UserID)
	storeUserToken(t, env, first)
	srv.Fault("getUsers", kicktest.Fault{StatusCode: http.StatusUnauthorized, Times: 1})
	r := runCLI(t, env, "api", "GET", "/public/v1/users")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, `"name": "kickgo_streamer"`) {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if n := srv.Requests("getUsers"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	tok, err := loadUserToken(t, env)
	if err != nil || tok.RefreshToken == first.RefreshToken {
		t.Errorf("the refreshed token was not stored: %v", err)
	}
}

// decodeList decodes a list as the CLI prints it: Kick's {"data": [...]}.
func decodeList[T any](t *testing.T, r result) kick.Page[T] {
	t.Helper()
	var page kick.Page[T]
	if err := jsonUnmarshalStrict(r.stdout, &page); err != nil || !strings.HasPrefix(r.stdout, "{\n  \"data\": [") {
		t.Fatalf("not a list as Kick sends one (%v):\n%s", err, r)
	}
	return page
}

func TestCommonCommands(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:1/unused"))
	env := mockEnv(t, srv)
	c, err := srv.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("users get", func(t *testing.T) {
		// Piped: tab-separated, no header.
		r := runCLI(t, env, "users", "get", "1002", "1001", "--app")
		wantCode(t, r, 0)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "1002\tkickgo_viewer\t") || !strings.HasPrefix(lines[1], "1001\tkickgo_streamer\t") {
			t.Errorf("table:\n%s", r.stdout)
		}
		// On a terminal: a header and aligned columns.
		r = runCLI(t, append(env, "KICK_FORCE_TTY=200"), "users", "get", "1002", "--app")
		if !strings.HasPrefix(r.stdout, "ID    NAME           EMAIL  PROFILE PICTURE\n1002  kickgo_viewer  -      https://") {
			t.Errorf("table for a terminal:\n%s", r.stdout)
		}
		r = runCLI(t, env, "users", "get", "1001", "424242", "-o", "json")
		wantCode(t, r, 1)
		if page := decodeList[kick.User](t, r); len(page.Items) != 1 || page.Items[0].UserID != 1001 {
			t.Errorf("users get -o json: %+v", page)
		}
		if !strings.Contains(r.stderr, `{"error":{"message":"user 424242 not found","type":"error"}}`) {
			t.Errorf("stderr: %s", r.stderr)
		}
	})

	t.Run("channels get", func(t *testing.T) {
		r := runCLI(t, env, "channels", "get", "1001", "--slug", "nova-streams", "-o", "json")
		wantCode(t, r, 0)
		got := decodeList[kick.Channel](t, r)
		// The CLI has the app token only, which gets no stream key.
		app := kick.WithTokenKind(kick.TokenKindApp)
		want, err := c.Channels.Get(ctx, []int64{1001}, app)
		if err != nil {
			t.Fatal(err)
		}
		bySlug, err := c.Channels.GetBySlug(ctx, []string{"nova-streams"}, app)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, bySlug...)
		if diff := cmp.Diff(want, got.Items); diff != "" {
			t.Errorf("channels (-want +got):\n%s", diff)
		}
		// An unknown slug among known ones: Kick fails the call; kick names the unknown one.
		r = runCLI(t, env, "channels", "get", "--slug", "nova-streams,no-such-slug-x,kickgo-streamer")
		wantCode(t, r, 1)
		if n := strings.Count(r.stdout, "\n"); n != 2 || !strings.Contains(r.stderr, `error: channel "no-such-slug-x" not found`) ||
			strings.Contains(r.stderr, "nova-streams") {
			t.Errorf("an unknown slug:\n%s", r)
		}
	})

	t.Run("livestreams list --all", func(t *testing.T) {
		var want []kick.Livestream
		for s, err := range c.Livestreams.All(ctx, kick.LivestreamListParams{}) {
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, s)
		}
		if len(want) < 3 {
			t.Fatalf("kicktest has %d live streams; the test needs 3 or more", len(want))
		}
		before := srv.Requests("listLivestreams")
		r := runCLI(t, env, "livestreams", "list", "--all", "--page-size", "1", "-o", "json", "--app")
		wantCode(t, r, 0)
		got := decodeList[kick.Livestream](t, r)
		if diff := cmp.Diff(want, got.Items); diff != "" {
			t.Errorf("livestreams (-want +got):\n%s", diff)
		}
		if got.NextCursor != "" || srv.Requests("listLivestreams")-before != len(want) {
			t.Errorf("--all: next cursor %q after %d requests", got.NextCursor, srv.Requests("listLivestreams")-before)
		}
		// --limit caps the total over pages of --page-size; the cursor continues right after.
		r = runCLI(t, env, "livestreams", "list", "--limit", "3", "--page-size", "2", "-o", "json", "--app")
		wantCode(t, r, 0)
		got = decodeList[kick.Livestream](t, r)
		if diff := cmp.Diff(want[:3], got.Items); diff != "" || got.NextCursor == "" {
			t.Errorf("--limit 3 --page-size 2, next cursor %q (-want +got):\n%s", got.NextCursor, diff)
		}
		r = runCLI(t, env, "livestreams", "list", "--cursor", got.NextCursor, "--limit", "1", "-o", "json", "--app")
		wantCode(t, r, 0)
		if next := decodeList[kick.Livestream](t, r); len(next.Items) != 1 || next.Items[0].Broadcaster.UserID != want[3].Broadcaster.UserID {
			t.Errorf("the page after --limit 3: %+v, want %+v", next.Items, want[3])
		}
	})

	t.Run("categories", func(t *testing.T) {
		r := runCLI(t, env, "categories", "list", "--name", "Just Chatting", "--app")
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, "15\tJust Chatting\t") {
			t.Errorf("categories list:\n%s", r.stdout)
		}
		r = runCLI(t, env, "categories", "get", "15", "--app", "-o", "json")
		wantCode(t, r, 0)
		var cat kick.Category // one object
		if err := jsonUnmarshalStrict(r.stdout, &cat); err != nil || cat.Name != "Just Chatting" {
			t.Errorf("%v\n%s", err, r)
		}
		// Kick's limits, from the spec, named by the flag the user typed.
		r = runCLI(t, env, "categories", "list", "--name", "ab", "--app")
		wantCode(t, r, 2)
		if !strings.HasPrefix(r.stderr, `kick categories list: invalid --name "ab": has 2 characters, at least 3 required`) {
			t.Errorf("a short --name:\n%s", r.stderr)
		}
		r = runCLI(t, env, "categories", "list", "--page-size", "1001", "--app")
		wantCode(t, r, 2)
		if !strings.HasPrefix(r.stderr, `kick categories list: invalid --page-size "1001": 1001 is not between 1 and 1000`) {
			t.Errorf("--page-size 1001:\n%s", r.stderr)
		}
	})

	t.Run("events", func(t *testing.T) {
		r := runCLI(t, env, "subscriptions", "create", "--broadcaster", "1001", "chat.message.sent", "channel.followed", "-o", "json")
		wantCode(t, r, 0)
		results := decodeList[kick.SubscriptionResult](t, r).Items
		if len(results) != 2 || !strings.Contains(r.stdout, `"subscription_id": "`) {
			t.Fatalf("subscribe -o json:\n%s", r)
		}
		r = runCLI(t, env, "subscriptions", "list", "--broadcaster", "1001")
		wantCode(t, r, 0)
		for _, res := range results {
			if !strings.Contains(r.stdout, res.SubscriptionID) {
				t.Errorf("events list does not show %s:\n%s", res.SubscriptionID, r.stdout)
			}
		}
		r = runCLI(t, env, "subscriptions", "delete", results[0].SubscriptionID, results[1].SubscriptionID)
		wantCode(t, r, 0)
		subs, err := c.Events.List(ctx, kick.EventListParams{BroadcasterUserID: 1001}, kick.WithTokenKind(kick.TokenKindApp))
		if err != nil || len(subs) != 0 {
			t.Errorf("after unsubscribe: %v %v", subs, err)
		}
		// Without --broadcaster the app token cannot know the channel.
		r = runCLI(t, env, "subscriptions", "create", "all")
		wantCode(t, r, 2)
	})
}

// TestEventsSync: `kick events sync` leaves exactly one subscription per named event of the
// channel, deleting a duplicate and creating what is missing; a second run changes nothing, and a
// dry run reports without changing.
func TestEventsSync(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:1/unused"))
	env := mockEnv(t, srv)
	const channel = int64(1001)
	for range 2 { // a duplicate, as a restarted app makes
		r := runCLI(t, env, "subscriptions", "create", "--broadcaster", "1001", "chat.message.sent")
		wantCode(t, r, 0)
	}
	count := func() map[kick.EventType]int {
		n := map[kick.EventType]int{}
		for _, s := range srv.EventSubscriptions(channel) {
			n[s.Type]++
		}
		return n
	}
	r := runCLI(t, env, "subscriptions", "sync", "--dry-run", "--broadcaster", "1001", "chat.message.sent", "channel.followed", "-o", "json")
	wantCode(t, r, 0)
	if diff := cmp.Diff(map[kick.EventType]int{kick.EventChatMessageSent: 2}, count()); diff != "" {
		t.Errorf("a dry run changed the subscriptions (-want +got):\n%s", diff)
	}
	actions := func(r result) map[kick.EventType]kick.SyncAction {
		t.Helper()
		got := map[kick.EventType]kick.SyncAction{}
		for _, res := range decodeList[kick.SyncResult](t, r).Items {
			got[res.Type] = res.Action
		}
		return got
	}
	want := map[kick.EventType]kick.SyncAction{kick.EventChatMessageSent: kick.SyncDeduplicated, kick.EventChannelFollowed: kick.SyncCreated}
	if diff := cmp.Diff(want, actions(r)); diff != "" {
		t.Errorf("dry run's plan (-want +got):\n%s", diff)
	}

	r = runCLI(t, env, "subscriptions", "sync", "--broadcaster", "1001", "chat.message.sent", "channel.followed", "-o", "json")
	wantCode(t, r, 0)
	if diff := cmp.Diff(want, actions(r)); diff != "" {
		t.Errorf("sync's actions (-want +got):\n%s", diff)
	}
	one := map[kick.EventType]int{kick.EventChatMessageSent: 1, kick.EventChannelFollowed: 1}
	if diff := cmp.Diff(one, count()); diff != "" {
		t.Errorf("after sync (-want +got):\n%s", diff)
	}

	r = runCLI(t, env, "subscriptions", "sync", "--broadcaster", "1001", "chat.message.sent", "channel.followed", "-o", "json")
	wantCode(t, r, 0)
	unchanged := map[kick.EventType]kick.SyncAction{kick.EventChatMessageSent: kick.SyncUnchanged, kick.EventChannelFollowed: kick.SyncUnchanged}
	if diff := cmp.Diff(unchanged, actions(r)); diff != "" {
		t.Errorf("a second sync (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(one, count()); diff != "" {
		t.Errorf("after a second sync (-want +got):\n%s", diff)
	}
	// With the app token the channel must be named.
	wantCode(t, runCLI(t, env, "subscriptions", "sync", "all"), 2)
}

func TestEventsSubscribeFailure(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t) // no webhook URL: Kick refuses each event
	r := runCLI(t, mockEnv(t, srv), "subscriptions", "create", "--broadcaster", "1001", "channel.followed")
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "webhooks are not enabled for app") ||
		!strings.Contains(r.stderr, "error: ") {
		t.Errorf("a failed subscription:\n%s", r)
	}
}

func TestCommonCommandsWithUserToken(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	storeUserToken(t, env, srv.UserToken(kicktest.Streamer.UserID))

	r := runCLI(t, env, "chat", "send", "hello", "there")
	wantCode(t, r, 0)
	msgs := srv.Messages(kicktest.Streamer.UserID)
	if len(msgs) == 0 || msgs[len(msgs)-1].Content != "hello there" || !strings.Contains(r.stdout, msgs[len(msgs)-1].MessageID) {
		t.Errorf("chat send:\n%s\nmessages %+v", r, msgs)
	}
	r = runCLI(t, env, "chat", "send", "--broadcaster", "1001", "--reply-to", msgs[len(msgs)-1].MessageID, "--", "-a reply")
	wantCode(t, r, 0)
	if got := srv.Messages(kicktest.Streamer.UserID); got[len(got)-1].Content != "-a reply" || got[len(got)-1].ReplyToMessageID != msgs[len(msgs)-1].MessageID {
		t.Errorf("reply: %+v", got[len(got)-1])
	}
	r = runCLI(t, env, "chat", "send", "--broadcaster", "1002", "in", "another", "chat")
	wantCode(t, r, 0)
	if got := srv.Messages(kicktest.Viewer.UserID); len(got) == 0 || got[len(got)-1].Content != "in another chat" {
		t.Errorf("message to another channel: %+v", got)
	}
	r = runCLI(t, env, "chat", "send", "--bot", "beep")
	wantCode(t, r, 0)
	msgs = srv.Messages(kicktest.Streamer.UserID)
	if got := msgs[len(msgs)-1]; got.SenderUserID != kicktest.BotUser.UserID || got.Content != "beep" {
		t.Errorf("bot message %+v", got)
	}

	r = runCLI(t, env, "chat", "send", strings.Repeat("x", 501))
	wantCode(t, r, 2)
	if !strings.HasPrefix(r.stderr, "kick chat send: invalid TEXT: has 501 characters (grapheme clusters), at most 500 allowed") ||
		!strings.Contains(r.stderr, "Run 'kick chat send --help' for usage.") {
		t.Errorf("a message too long:\n%s", r.stderr)
	}

	// The error names the flag, not the kick package's field (it said "invalid ReplyToMessageID").
	r = runCLI(t, env, "chat", "send", "--reply-to", "abc", "hi")
	wantCode(t, r, 2)
	if !strings.HasPrefix(r.stderr, `kick chat send: invalid --reply-to "abc": "abc" is not a UUID`) {
		t.Errorf("--reply-to abc:\n%s", r.stderr)
	}

	r = runCLI(t, env, "channels", "me")
	wantCode(t, r, 0)
	if !strings.HasPrefix(r.stdout, "1001\tkickgo-streamer\t") {
		t.Errorf("channels me:\n%s", r.stdout)
	}

	// A user token lacking the scope: refused before sending, with the login that mends it.
	storeUserToken(t, env, srv.UserToken(kicktest.Streamer.UserID, kick.ScopeUserRead))
	before := srv.Requests("sendChatMessage")
	r = runCLI(t, env, "chat", "send", "nope")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "lacks the scope chat:write") ||
		!strings.Contains(r.stderr, "hint: log in again asking for the scope: kick auth login --scopes user:read,chat:write") {
		t.Errorf("missing scope:\n%s", r.stderr)
	}
	if n := srv.Requests("sendChatMessage"); n != before {
		t.Errorf("a chat message without the scope was sent (%d requests)", n-before)
	}
}

// TestAPIOnTheClientCore: kick api sends through the kick client, so it gains what every command
// has: a 503 is retried (Retry-After honored), and an operation that needs a kind of token the
// CLI lacks fails before anything is sent.
func TestAPIOnTheClientCore(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	srv.Fault("getUsers", kicktest.Fault{StatusCode: http.StatusServiceUnavailable, RetryAfter: "0", Times: 1})
	r := runCLI(t, env, "api", "GET", "/public/v1/users", "-f", "id=1001", "--app")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, `"name": "kickgo_streamer"`) || srv.Requests("getUsers") != 2 {
		t.Errorf("after a 503 (%d requests):\n%s", srv.Requests("getUsers"), r)
	}

	// sendChatMessage takes a user token; with --app there is none.
	r = runCLI(t, env, "api", "POST", "/public/v1/chat", "-f", "type=bot", "-f", "content=hi", "--app")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "sendChatMessage: needs a user token") || srv.Requests("sendChatMessage") != 0 {
		t.Errorf("a user-token operation with --app (%d requests):\n%s", srv.Requests("sendChatMessage"), r)
	}
}
