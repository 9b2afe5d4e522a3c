package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// userAgent is sent with every request the CLI makes.
const userAgent = "kick-go-cli/" + kick.Version

// app is one run of the CLI: its streams, environment, global flags and the clients built from
// them.
type app struct {
	root   *command
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	g      globals
	http   *http.Client
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *app {
	a := &app{
		stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv,
		http: &http.Client{Timeout: 30 * time.Second, Transport: uaTransport{http.DefaultTransport}},
	}
	a.root = rootCommand()
	return a
}

// uaTransport sets the CLI's User-Agent, also on the token requests of kickauth.
type uaTransport struct{ base http.RoundTripper }

func (t uaTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", userAgent)
	return t.base.RoundTrip(r)
}

var errNoCredentials = errors.New("no credentials: log in with 'kick auth login', or set " +
	envClientID + " and " + envClientSecret + " (or --client-id and --client-secret-file) for the app token")

var errNotLoggedIn = errors.New("no stored user token")

// requireApp checks that the app's client id and secret are known.
func (a *app) requireApp() error {
	var missing []string
	if a.g.clientID.value == "" {
		missing = append(missing, "--client-id or "+envClientID)
	}
	if a.g.clientSecret.value == "" {
		missing = append(missing, envClientSecret+" or --client-secret-file")
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("the app's credentials are needed: set %s", missing[0])
	default:
		return fmt.Errorf("the app's credentials are needed: set %s, and %s", missing[0], missing[1])
	}
}

// oauthConfig is the app's OAuth configuration on the OAuth server of --oauth-url.
func (a *app) oauthConfig(redirectURL string, scopes ...kick.Scope) *oauth2.Config {
	cfg := kickauth.NewConfig(a.g.clientID.value, a.g.clientSecret.value, redirectURL, scopes...)
	cfg.Endpoint = kickauth.EndpointAt(a.g.oauthURL.value)
	return cfg
}

func (a *app) tokenDir() (string, error) {
	if a.g.tokenDir.value != "" {
		return a.g.tokenDir.value, nil
	}
	return kickauth.DefaultFileStoreDir()
}

// store opens the token store, creating its directory.
func (a *app) store() (*kickauth.FileStore, error) {
	dir, err := a.tokenDir()
	if err != nil {
		return nil, fmt.Errorf("token directory: %w", err)
	}
	return kickauth.NewFileStore(dir)
}

// storeKey is the key of the account's user token for this app.
func (a *app) storeKey() string {
	return kickauth.StoreKey(a.g.clientID.value, a.g.account.value)
}

// storedToken loads the account's user token without refreshing it. It fails with errNotLoggedIn
// when there is none, and creates no directory.
func (a *app) storedToken(ctx context.Context) (*kickauth.FileStore, *oauth2.Token, error) {
	if a.g.clientID.value == "" {
		return nil, nil, errNotLoggedIn
	}
	dir, err := a.tokenDir()
	if err != nil {
		return nil, nil, fmt.Errorf("token directory: %w", err)
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, errNotLoggedIn
	}
	store, err := kickauth.NewFileStore(dir)
	if err != nil {
		return nil, nil, err
	}
	tok, err := store.Load(ctx, a.storeKey())
	if errors.Is(err, kickauth.ErrNoToken) {
		return store, nil, errNotLoggedIn
	}
	if err != nil {
		return nil, nil, err
	}
	return store, tok, nil
}

// userSource is the source of the account's stored user token, refreshed (and saved) when needed.
// It fails with errNotLoggedIn when no token is stored.
func (a *app) userSource(ctx context.Context) (*kickauth.UserSource, error) {
	store, _, err := a.storedToken(ctx)
	if err != nil {
		return nil, err
	}
	return kickauth.UserTokenSource(ctx, a.oauthConfig(""), store, a.storeKey(), kickauth.WithHTTPClient(a.http))
}

// appSource is the source of app tokens for the app's credentials.
func (a *app) appSource(ctx context.Context) (*kickauth.AppSource, error) {
	if err := a.requireApp(); err != nil {
		return nil, err
	}
	return kickauth.AppTokenSource(ctx, a.oauthConfig(""), kickauth.WithHTTPClient(a.http)), nil
}

// sources are the token sources a command may use: the stored user token unless --app, and the
// app token when the app's credentials are known. Either may be nil.
type sources struct {
	user *kickauth.UserSource
	app  *kickauth.AppSource
}

func (a *app) sources(ctx context.Context) (sources, error) {
	var s sources
	if a.g.app {
		src, err := a.appSource(ctx)
		if err != nil {
			return s, fmt.Errorf("--app: %w", err)
		}
		s.app = src
		return s, nil
	}
	user, err := a.userSource(ctx)
	switch {
	case err == nil:
		s.user = user
	case !errors.Is(err, errNotLoggedIn):
		return s, err
	}
	if a.requireApp() == nil {
		s.app, _ = a.appSource(ctx)
	}
	return s, nil
}

// client is a kick client with the token sources the command may use, which it returns too. It
// fails with errNoCredentials without any.
func (a *app) client(ctx context.Context) (*kick.Client, sources, error) {
	s, err := a.sources(ctx)
	if err != nil {
		return nil, s, err
	}
	if s.user == nil && s.app == nil {
		return nil, s, errNoCredentials
	}
	opts := a.clientOptions()
	if s.user != nil {
		opts = append(opts, kick.WithUserTokenSource(s.user))
	}
	if s.app != nil {
		opts = append(opts, kick.WithAppTokenSource(s.app))
	}
	c, err := kick.NewClient(opts...)
	return c, s, err
}

// clientOptions are the options of every kick client: base URLs, HTTP client and User-Agent.
func (a *app) clientOptions() []kick.Option {
	return []kick.Option{
		kick.WithBaseURL(a.g.baseURL.value),
		kick.WithOAuthBaseURL(a.g.oauthURL.value),
		kick.WithHTTPClient(a.http),
		kick.WithUserAgent(userAgent),
	}
}
