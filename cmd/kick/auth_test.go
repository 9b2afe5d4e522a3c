package main

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// withEnv returns env with the variables kv set, replacing earlier values.
func withEnv(env []string, kv ...string) []string {
	out := slicesClone(env)
	for _, v := range kv {
		name, _, _ := strings.Cut(v, "=")
		out = withoutEnv(out, name)
		out = append(out, v)
	}
	return out
}

// pointAt is env pointed at srv, with its app's credentials.
func pointAt(env []string, srv *kicktest.Server) []string {
	return withEnv(env, "KICK_BASE_URL="+srv.APIBaseURL, "KICK_OAUTH_URL="+srv.OAuthBaseURL,
		"KICK_CLIENT_ID="+srv.App.ClientID, "KICK_CLIENT_SECRET="+srv.App.ClientSecret)
}

// TestTwoServersTwoLogins is the bug of the issue: logging in to the mock overwrote the stored
// token of another server's login with the same client id and account (the same user here). Keyed by OAuth host, both logins
// stay, each usable against its own server, and auth status shows both.
func TestTwoServersTwoLogins(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	// "Kick": another server, with the very credentials of the mock's app.
	other := kicktest.New(t, kicktest.WithApp(kicktest.App{ClientID: mockClientID, ClientSecret: mockClientSecret}))
	otherEnv := pointAt(env, other)
	r, _ := loginFlow(t, otherEnv, nil)
	wantCode(t, r, 0)
	before, err := loadUserToken(t, otherEnv)
	if err != nil {
		t.Fatal(err)
	}

	info, _ := mockServe(t, env)
	mockEnv := info.environ(env)
	wantCode(t, runCLI(t, mockEnv, "auth", "login"), 0)

	for _, tt := range []struct {
		env  []string
		want string
	}{{otherEnv, "kickgo_streamer"}, {mockEnv, "kickgo_streamer"}} {
		me := runCLI(t, tt.env, "users", "me", "--jq", ".name")
		wantCode(t, me, 0)
		if strings.TrimSpace(me.stdout) != tt.want {
			t.Errorf("users me against %s: %q, want %q", envValue(tt.env, envOAuthURL), me.stdout, tt.want)
		}
	}
	after, err := loadUserToken(t, otherEnv)
	if err != nil || after.AccessToken != before.AccessToken || after.RefreshToken != before.RefreshToken {
		t.Errorf("the other server's token changed with the mock's login (%v)", err)
	}
	a, m := runCLI(t, otherEnv, "auth", "token"), runCLI(t, mockEnv, "auth", "token")
	wantCode(t, a, 0)
	wantCode(t, m, 0)
	if a.stdout == m.stdout {
		t.Error("the two servers' tokens are one")
	}

	st := runCLI(t, mockEnv, "auth", "status", "-o", "json")
	wantCode(t, st, 0)
	var status kick.Page[accountStatus]
	if err := jsonUnmarshalStrict(st.stdout, &status); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range status.Items {
		got[s.Host+" "+s.Account] = s.Token
		if !s.Active || s.ClientID != mockClientID {
			t.Errorf("account %+v", s)
		}
	}
	want := map[string]string{
		kickauth.OAuthHost(other.OAuthBaseURL) + " kickgo_streamer": tokenValid,
		kickauth.OAuthHost(info.OAuthBaseURL) + " kickgo_streamer":  tokenValid,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("auth status (-want +got):\n%s", diff)
	}
}

// TestAccounts: auth list, switch and logout, gh's way: accounts per host, one active.
func TestAccounts(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	wantCode(t, runCLI(t, env, "auth", "status"), exitError) // nobody logged in
	r, _ := loginFlow(t, env, nil)
	wantCode(t, r, 0)
	srv.AuthorizeAs(kicktest.Viewer.UserID)
	r, _ = loginFlow(t, env, nil)
	wantCode(t, r, 0)

	host := kickauth.OAuthHost(srv.OAuthBaseURL)
	list := runCLI(t, env, "auth", "list")
	wantCode(t, list, 0)
	wantList := host + "\tkickgo_streamer\tkickgo_streamer (1001)\t" + srv.App.ClientID + "\tno\n" +
		host + "\tkickgo_viewer\tkickgo_viewer (1002)\t" + srv.App.ClientID + "\tyes\n"
	if diff := cmp.Diff(wantList, list.stdout); diff != "" {
		t.Errorf("auth list (-want +got):\n%s", diff)
	}
	me := func() string {
		t.Helper()
		r := runCLI(t, env, "users", "me", "--jq", ".name")
		wantCode(t, r, 0)
		return strings.TrimSpace(r.stdout)
	}
	if got := me(); got != "kickgo_viewer" {
		t.Errorf("the last login is not the active account: %s", got)
	}
	// Two accounts: switch alone goes to the other.
	r = runCLI(t, env, "auth", "switch")
	wantCode(t, r, 0)
	if r.stdout != `Switched to account "kickgo_streamer" on `+host+"\n" || me() != "kickgo_streamer" {
		t.Errorf("auth switch:\n%s", r)
	}
	// --account picks one for a command without switching.
	if r := runCLI(t, env, "users", "me", "--account", "kickgo_viewer", "--jq", ".name"); r.stdout != "kickgo_viewer\n" {
		t.Errorf("--account:\n%s", r)
	}
	r = runCLI(t, env, "auth", "switch", "nobody")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, `account "nobody" is not logged in on `+host+"; the accounts are kickgo_streamer, kickgo_viewer") {
		t.Errorf("auth switch nobody:\n%s", r)
	}

	// Logout revokes the tokens at Kick and removes them; the other account becomes active.
	tok, err := loadUserToken(t, env)
	if err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env, "auth", "logout")
	wantCode(t, r, 0)
	if r.stdout != `Logged out of account "kickgo_streamer" on `+host+"\n"+`The active account of `+host+` is now "kickgo_viewer"`+"\n" {
		t.Errorf("auth logout:\n%s", r)
	}
	if info, err := testApp(nil).introspectToken(context.Background(), srv.APIBaseURL, srv.OAuthBaseURL, tok.AccessToken); err != nil || info.Active {
		t.Errorf("the logged-out token is still active at Kick: %+v %v", info, err)
	}
	if me() != "kickgo_viewer" {
		t.Error("the remaining account is not active")
	}
	r = runCLI(t, env, "auth", "logout", "kickgo_viewer")
	wantCode(t, r, 0)
	if r := runCLI(t, env, "users", "me"); r.code != exitError || !strings.Contains(r.stderr, "hint: this needs a user token") {
		t.Errorf("users me after logging out of every account:\n%s", r)
	}
}

// TestDeadToken: a token Kick no longer takes makes auth token, auth introspect and auth status
// exit 1; a revoked access token with a live refresh token is renewed by auth token.
func TestDeadToken(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	r, _ := loginFlow(t, env, nil)
	wantCode(t, r, 0)
	c, err := kick.NewClient(kick.WithAPIBaseURL(srv.APIBaseURL), kick.WithOAuthBaseURL(srv.OAuthBaseURL))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := loadUserToken(t, env)
	if err != nil {
		t.Fatal(err)
	}

	// The access token alone revoked: auth token refreshes it.
	if err := c.Tokens.Revoke(context.Background(), tok.AccessToken, kick.TokenHintAccessToken); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env, "auth", "token")
	wantCode(t, r, 0)
	fresh, err := loadUserToken(t, env)
	if err != nil || strings.TrimSpace(r.stdout) != fresh.AccessToken || fresh.AccessToken == tok.AccessToken {
		t.Errorf("auth token after the access token was revoked: %q (%v)", r.stdout, err)
	}
	// --no-check prints the stored token without asking.
	if r := runCLI(t, env, "auth", "token", "--no-check"); strings.TrimSpace(r.stdout) != fresh.AccessToken {
		t.Errorf("--no-check:\n%s", r)
	}

	// The whole grant revoked: every command that looks says so, exit 1.
	if err := c.Tokens.Revoke(context.Background(), fresh.RefreshToken, kick.TokenHintRefreshToken); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env, "auth", "token")
	wantCode(t, r, exitError)
	if r.stdout != "" || !strings.Contains(r.stderr, "is no longer active") || !strings.Contains(r.stderr, "hint: log in again with 'kick auth login'") {
		t.Errorf("auth token of a dead login:\n%s", r)
	}
	r = runCLI(t, env, "auth", "introspect", "-o", "json")
	wantCode(t, r, exitError)
	var info kick.TokenInfo
	if err := json.Unmarshal([]byte(r.stdout), &info); err != nil || info.Active {
		t.Errorf("auth introspect of a dead token: %v\n%s", err, r)
	}
	r = runCLI(t, env, "auth", "status")
	wantCode(t, r, exitError)
	if !strings.Contains(r.stdout, "✗ kickgo_streamer, user 1001, active — token no longer active") {
		t.Errorf("auth status of a dead token:\n%s", r)
	}
}

// TestOldTokensFound: a token an older CLI stored under the client id and account alone (before
// the account index) is Kick's login, found where it is and listed; one the CLI stored under
// Kick's host first is moved to the key kickauth.StoreKey gives, where programs find it.
func TestOldTokensFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tok := kicktest.New(t).UserToken(kicktest.Streamer.UserID)

	env := cliEnv(t, "KICK_CLIENT_ID=old-app")
	store, err := kickauth.NewFileStore(envValue(env, envTokenDir))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Save(ctx, kickauth.StoreKey("old-app", defaultAccount), tok); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, env, "auth", "token", "--no-check")
	wantCode(t, r, 0)
	if strings.TrimSpace(r.stdout) != tok.AccessToken {
		t.Errorf("the old token: %q", r.stdout)
	}
	if r := runCLI(t, env, "auth", "list"); r.stdout != "id.kick.com\tdefault\t-\told-app\tyes\n" {
		t.Errorf("auth list:\n%s", r)
	}

	env = cliEnv(t)
	store, err = kickauth.NewFileStore(envValue(env, envTokenDir))
	if err != nil {
		t.Fatal(err)
	}
	hostFirst := "id.kick.com/" + kickauth.StoreKey("app", "kickgo_streamer")
	if err := store.Save(ctx, hostFirst, tok); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(store.Dir(), "accounts.json"), []byte(`{"version":1,"hosts":{"id.kick.com":{"oauth_url":"https://id.kick.com",
		"api_url":"https://api.kick.com","active":"kickgo_streamer","accounts":{"kickgo_streamer":{"client_id":"app"}}}}}`))
	r = runCLI(t, env, "auth", "token", "--no-check")
	wantCode(t, r, 0)
	if strings.TrimSpace(r.stdout) != tok.AccessToken {
		t.Errorf("the token under Kick's host: %q", r.stdout)
	}
	if _, err := store.Load(ctx, hostFirst); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("the old key still holds the token: %v", err)
	}
	if got, err := store.Load(ctx, kickauth.StoreKey("app", "kickgo_streamer")); err != nil || got.AccessToken != tok.AccessToken {
		t.Errorf("the token under StoreKey: %v", err)
	}
}
