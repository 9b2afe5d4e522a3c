package kickauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// cliIndex is accounts.json as `kick auth login` has written it since it kept an index: the URLs
// per host, not per login.
const cliIndex = `{
  "version": 1,
  "hosts": {
    "127.0.0.1:8978": {
      "oauth_url": "http://127.0.0.1:8978",
      "api_url": "http://127.0.0.1:8977",
      "active": "kickgo_streamer",
      "accounts": {
        "kickgo_streamer": {
          "client_id": "kick-mock-client-id",
          "user_id": 1001,
          "username": "kickgo_streamer",
          "scopes": ["user:read", "chat:write"],
          "logged_in_at": "2025-01-14T16:08:06Z"
        },
        "bot": {
          "client_id": "kick-mock-client-id",
          "logged_in_at": "2025-01-14T16:09:00Z"
        }
      }
    },
    "id.kick.com": {
      "oauth_url": "https://id.kick.com",
      "api_url": "https://api.kick.com",
      "active": "default",
      "accounts": {"default": {"client_id": "app", "logged_in_at": "0001-01-01T00:00:00Z"}}
    }
  }
}
`

// newLoginDir is a token directory holding index as accounts.json.
func newLoginDir(t *testing.T, index string) *kickauth.LoginStore {
	t.Helper()
	s, err := kickauth.NewLoginStore(filepath.Join(t.TempDir(), "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	if index != "" {
		if err := os.WriteFile(filepath.Join(s.Dir(), kickauth.LoginsFile), []byte(index), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestLoginsReadsTheCLIIndex: an index the CLI wrote before logins recorded their own URLs loads,
// each login with its host's URLs and its key where the CLI saved its token.
func TestLoginsReadsTheCLIIndex(t *testing.T) {
	t.Parallel()
	s := newLoginDir(t, cliIndex)
	got, err := s.Find("127.0.0.1:8978", "")
	if err != nil {
		t.Fatal(err)
	}
	want := &kickauth.Login{Host: "127.0.0.1:8978", Account: "kickgo_streamer", ClientID: "kick-mock-client-id", UserID: 1001,
		Username: "kickgo_streamer", Scopes: []string{"user:read", "chat:write"}, OAuthBaseURL: "http://127.0.0.1:8978",
		APIBaseURL: "http://127.0.0.1:8977", LoggedInAt: time.Date(2025, 1, 14, 16, 8, 6, 0, time.UTC)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the active login (-want +got):\n%s", diff)
	}
	if got.Key() != "127.0.0.1:8978/kick-mock-client-id/kickgo_streamer" {
		t.Errorf("key %q, not where the CLI saved the token", got.Key())
	}
	bot, err := s.Find("127.0.0.1:8978", "bot")
	if err != nil || bot.APIBaseURL != "http://127.0.0.1:8977" || bot.Account != "bot" {
		t.Errorf("bot: %+v %v", bot, err)
	}
	if _, err := s.Find("127.0.0.1:8978", "nobody"); !errors.Is(err, kickauth.ErrNotLoggedIn) ||
		!strings.Contains(err.Error(), `account "nobody" is not logged in on 127.0.0.1:8978`) {
		t.Errorf("an unknown account: %v", err)
	}
	if _, err := s.Find("127.0.0.1:1", ""); !errors.Is(err, kickauth.ErrNotLoggedIn) {
		t.Errorf("an unknown host: %v", err)
	}
	ls, err := s.Logins()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"127.0.0.1:8978", "id.kick.com"}, ls.HostNames()); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"bot", "kickgo_streamer"}, ls.Hosts["127.0.0.1:8978"].AccountNames()); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}

	// An update keeps everything, and writes each login's URLs.
	if err := s.Update(context.Background(), func(*kickauth.Logins) error { return nil }); err != nil {
		t.Fatal(err)
	}
	again, err := s.Logins()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ls, again); diff != "" {
		t.Errorf("after an update (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(filepath.Join(s.Dir(), kickauth.LoginsFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the index file: %v %v", fi, err)
	}
}

// TestLoginsRefusesBrokenIndexes: a null entry, a key of the wrong type or a document that is not
// an object is an error naming the file, never a login with nil fields.
func TestLoginsRefusesBrokenIndexes(t *testing.T) {
	t.Parallel()
	for index, want := range map[string]string{
		`{"hosts":{"id.kick.com":null}}`:                     `host "id.kick.com" has no entry (null)`,
		`{"hosts":{"h":{"accounts":{"a":null}}}}`:            `account "a" of host "h" has no entry (null)`,
		`{"hosts":{"h":{"accounts":[]}}}`:                    "cannot unmarshal array",
		`{"hosts":{"h":{"accounts":{"a":{"client_id":5}}}}}`: "cannot unmarshal number",
		`{"hosts":[]}`:             "cannot unmarshal array",
		`null`:                     "not a JSON object",
		`[`:                        "not a JSON object",
		`{"version":2,"hosts":{}}`: "index version 2, newer than this program's 1",
		`{"hosts":{"h":{"accounts":{"a":{"logged_in_at":"yesterday"}}}}}`: "cannot parse",
	} {
		s := newLoginDir(t, index)
		file := filepath.Join(s.Dir(), kickauth.LoginsFile)
		_, err := s.Logins()
		if err == nil || !strings.Contains(err.Error(), file+": ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s and saying %q", index, err, file, want)
		}
		if _, err := s.Find("h", ""); err == nil {
			t.Errorf("%s: Find found a login", index)
		}
		if err := s.Update(context.Background(), func(*kickauth.Logins) error { return nil }); err == nil {
			t.Errorf("%s: Update wrote over it", index)
		}
	}
	// Missing parts are empty.
	s := newLoginDir(t, `{"hosts":{"h":{}}}`)
	if ls, err := s.Logins(); err != nil || len(ls.Hosts["h"].Accounts) != 0 {
		t.Errorf("a host without accounts: %+v %v", ls, err)
	}
	if ls, err := newLoginDir(t, "").Logins(); err != nil || len(ls.Hosts) != 0 {
		t.Errorf("no index: %+v %v", ls, err)
	}
}

func TestLoginKey(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ host, want string }{
		{"id.kick.com", kickauth.StoreKey("app/1", "alice")}, // Kick's: StoreKey, as programs key their stores
		{kickauth.OAuthHost("https://ID.Kick.com/"), kickauth.StoreKey("app/1", "alice")},
		{"127.0.0.1:8978", "127.0.0.1:8978/" + kickauth.StoreKey("app/1", "alice")},
		{"a/b", "a%2Fb/" + kickauth.StoreKey("app/1", "alice")},
	} {
		if got := kickauth.LoginKey(tt.host, "app/1", "alice"); got != tt.want {
			t.Errorf("LoginKey(%q): %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestLoginSameAPI(t *testing.T) {
	t.Parallel()
	mock := &kickauth.Login{Host: "127.0.0.1:8978", APIBaseURL: "http://127.0.0.1:8977"}
	kickLogin := &kickauth.Login{Host: "id.kick.com"} // an index without URLs: Kick's
	for _, tt := range []struct {
		l    *kickauth.Login
		url  string
		same bool
	}{
		{mock, "http://127.0.0.1:8977", true},
		{mock, "http://127.0.0.1:8977/", true},
		{mock, "HTTP://127.0.0.1:8977", true},
		{mock, "http://127.0.0.1:8979", false},
		{mock, "https://127.0.0.1:8977", false},
		{mock, "http://127.0.0.1:8977/v2", false},
		{kickLogin, "https://api.kick.com", true},
		{kickLogin, "http://127.0.0.1:8977", false},
		{&kickauth.Login{Host: "127.0.0.1:1"}, "http://127.0.0.1:2", false}, // no URL recorded: none is the same
	} {
		if got := tt.l.SameAPI(tt.url); got != tt.same {
			t.Errorf("%+v SameAPI(%q) = %v", tt.l, tt.url, got)
		}
	}
}

// TestLoginStoreMovesKickTokens: a login to Kick whose token the CLI saved under the key with
// the host first is found, and moved to LoginKey's (StoreKey's) key.
func TestLoginStoreMovesKickTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newLoginDir(t, cliIndex)
	l, err := s.Find("id.kick.com", "")
	if err != nil {
		t.Fatal(err)
	}
	tok := &oauth2.Token{AccessToken: "kick-access", RefreshToken: "kick-refresh", TokenType: "Bearer"}
	old := "id.kick.com/" + kickauth.StoreKey("app", "default")
	if err := s.Tokens().Save(ctx, old, tok); err != nil {
		t.Fatal(err)
	}
	got, err := s.Token(ctx, l)
	if err != nil || got.AccessToken != "kick-access" {
		t.Fatalf("Token: %v %v", kickauth.Redact(got), err)
	}
	if _, err := s.Tokens().Load(ctx, old); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("the old key still holds a token: %v", err)
	}
	if got, err := s.Tokens().Load(ctx, kickauth.StoreKey("app", "default")); err != nil || got.RefreshToken != "kick-refresh" {
		t.Errorf("under StoreKey: %v", err)
	}
	if err := s.Remove(ctx, l); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(ctx, l); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("after Remove: %v", err)
	}
	if _, err := s.Find("id.kick.com", ""); !errors.Is(err, kickauth.ErrNotLoggedIn) {
		t.Errorf("Find after Remove: %v", err)
	}
}

// TestTokenSourceSharesTheLogin: a program's TokenSource of a login refreshes its token at the
// login's OAuth host and saves it back, where the CLI (another LoginStore of the directory) finds
// it; a login to another app, or none, is ErrNotLoggedIn.
func TestTokenSourceSharesTheLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Now()
	fake := kicktest.New(t, kicktest.WithClock(func() time.Time { return now }))
	cli := newLoginDir(t, "")
	stale := fake.UserToken(kicktest.Streamer.UserID)
	stale.Expiry = now.Add(-time.Minute)
	login := &kickauth.Login{Host: kickauth.OAuthHost(fake.OAuthBaseURL), Account: "kickgo_streamer", ClientID: fake.App.ClientID,
		OAuthBaseURL: fake.OAuthBaseURL, APIBaseURL: fake.APIBaseURL}
	if err := cli.Save(ctx, login, stale); err != nil {
		t.Fatal(err)
	}

	program, err := kickauth.NewLoginStore(cli.Dir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := fake.OAuthConfig("")
	src, l, err := program.TokenSource(ctx, cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.API() != fake.APIBaseURL || l.Account != "kickgo_streamer" {
		t.Errorf("the login: %+v", l)
	}
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == stale.AccessToken {
		t.Error("the expired token was not refreshed")
	}
	if saved, err := cli.Token(ctx, login); err != nil || saved.AccessToken != tok.AccessToken {
		t.Errorf("the CLI's store after the program's refresh: %v", err)
	}

	other := fake.OAuthConfig("")
	other.ClientID = "another-app"
	if _, _, err := program.TokenSource(ctx, other, ""); !errors.Is(err, kickauth.ErrNotLoggedIn) || !strings.Contains(err.Error(), "another-app") {
		t.Errorf("a login of another app: %v", err)
	}
	if _, _, err := program.TokenSource(ctx, cfg, "nobody"); !errors.Is(err, kickauth.ErrNotLoggedIn) {
		t.Errorf("no such account: %v", err)
	}
	kickCfg := kickauth.NewConfig(fake.App.ClientID, "", "", kick.ScopeUserRead) // Kick's host: no login there
	if _, _, err := program.TokenSource(ctx, kickCfg, ""); !errors.Is(err, kickauth.ErrNotLoggedIn) {
		t.Errorf("another host: %v", err)
	}
}

// FuzzParseLogins: any bytes parse or fail, without a panic; what parses has every login filled
// in and writes back to what parses the same.
func FuzzParseLogins(f *testing.F) {
	f.Add([]byte(cliIndex))
	f.Add([]byte(`{"hosts":{"h":null}}`))
	f.Add([]byte(`{"hosts":{"h":{"accounts":{"a":null}}}}`))
	f.Add([]byte(`{"version":1,"hosts":{"":{"accounts":{"":{}}}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ls, err := kickauth.ParseLogins(b)
		if err != nil {
			return
		}
		for host, h := range ls.Hosts {
			if h == nil || h.Accounts == nil {
				t.Fatalf("host %q: %+v", host, h)
			}
			for name, l := range h.Accounts {
				if l == nil || l.Host != host || l.Account != name {
					t.Fatalf("login %q of %q: %+v", name, host, l)
				}
			}
		}
		out, err := json.Marshal(ls)
		if err != nil {
			t.Fatal(err)
		}
		again, err := kickauth.ParseLogins(out)
		if err != nil {
			t.Fatalf("what was written does not parse: %v\n%s", err, out)
		}
		if diff := cmp.Diff(ls, again); diff != "" {
			t.Fatalf("written and read again (-first +again):\n%s", diff)
		}
	})
}

// TestTokenForHost: TokenForHost finds the logins of the default token directory, where `kick
// auth login` keeps them. Not parallel: it points the user's configuration directory elsewhere.
func TestTokenForHost(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AppData", t.TempDir()) // Windows
	ctx := context.Background()
	fake := kicktest.New(t)
	cli, err := kickauth.NewLoginStore("") // the default directory
	if err != nil {
		t.Fatal(err)
	}
	dir, err := kickauth.DefaultFileStoreDir()
	if err != nil || cli.Dir() != dir {
		t.Fatalf("NewLoginStore(\"\") is in %s, not the default %s (%v)", cli.Dir(), dir, err)
	}
	if _, _, err := kickauth.TokenForHost(ctx, fake.OAuthConfig(""), ""); !errors.Is(err, kickauth.ErrNotLoggedIn) {
		t.Errorf("before the login: %v", err)
	}
	tok := fake.UserToken(kicktest.Viewer.UserID)
	if err := cli.Save(ctx, &kickauth.Login{Host: kickauth.OAuthHost(fake.OAuthBaseURL), Account: "kickgo_viewer",
		ClientID: fake.App.ClientID, OAuthBaseURL: fake.OAuthBaseURL, APIBaseURL: fake.APIBaseURL}, tok); err != nil {
		t.Fatal(err)
	}
	src, l, err := kickauth.TokenForHost(ctx, fake.OAuthConfig(""), "kickgo_viewer")
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.Token()
	if err != nil || got.AccessToken != tok.AccessToken || l.API() != fake.APIBaseURL {
		t.Errorf("TokenForHost: %v %+v %v", kickauth.Redact(got), l, err)
	}
}
