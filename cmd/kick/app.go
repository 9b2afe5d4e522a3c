package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// userAgent is sent with every request the CLI makes.
const userAgent = "kick-go-cli/" + kick.Version

// app is one run of the CLI: its streams, environment, global flags and the clients built from
// them.
type app struct {
	root   *cobra.Command
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	g      globals
	http   *http.Client

	// jsonErrors prints errors as JSON on stderr: the command line asks for JSON output.
	jsonErrors bool
	// outputs are the output flags of the commands that print data, checked before they run.
	outputs map[*cobra.Command]*output
	// stopOnTerm marks a server, which SIGTERM stops normally (exit 0).
	stopOnTerm bool
	// mock says whether --base-url is a 'kick mock serve', once asked.
	mock *bool
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *app {
	a := &app{
		stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv,
		http:    &http.Client{Timeout: 30 * time.Second, Transport: uaTransport{http.DefaultTransport}},
		outputs: map[*cobra.Command]*output{},
	}
	a.root = a.rootCommand()
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

// oauthConfig is the OAuth configuration of the app clientID on the OAuth server of --oauth-url.
// The client secret is the one of the global flags.
func (a *app) oauthConfig(clientID, redirectURL string, scopes ...kick.Scope) *oauth2.Config {
	cfg := kickauth.NewConfig(clientID, a.g.clientSecret.value, redirectURL, scopes...)
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

// existingStore opens the token store when its directory exists; it creates nothing. It fails
// with errNotLoggedIn when there is none.
func (a *app) existingStore() (*kickauth.FileStore, error) {
	dir, err := a.tokenDir()
	if err != nil {
		return nil, fmt.Errorf("token directory: %w", err)
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, errNotLoggedIn
	}
	return kickauth.NewFileStore(dir)
}

// hostOf is the OAuth host that keys stored tokens: the host and port of an OAuth base URL, in
// lower case. Tokens of one app and account on two OAuth servers (Kick and a local mock, or two
// mocks) are two tokens.
func hostOf(oauthURL string) string {
	u, err := url.Parse(oauthURL)
	if err != nil || u.Host == "" {
		return oauthURL
	}
	return strings.ToLower(u.Host)
}

// host is the OAuth host of --oauth-url.
func (a *app) host() string { return hostOf(a.g.oauthURL.value) }

// tokenKey is the store key of the token of account, logged in to the app clientID on host.
func tokenKey(host, clientID, account string) string {
	return url.PathEscape(host) + "/" + kickauth.StoreKey(clientID, account)
}

// login is a stored user token the CLI may use: where it is, and the account it belongs to.
type login struct {
	store    *kickauth.FileStore
	host     string
	account  string
	clientID string
	key      string
	entry    *accountEntry // nil for a token stored before the account index
}

// currentLogin finds the user token of the account the command runs as: --account (or
// KICK_ACCOUNT), else the active account of the OAuth host, else "default". It fails with
// errNotLoggedIn when there is none; it creates no directory.
func (a *app) currentLogin(ctx context.Context) (*login, error) {
	store, err := a.existingStore()
	if err != nil {
		return nil, err
	}
	idx, err := loadIndex(store.Dir())
	if err != nil {
		return nil, err
	}
	host := a.host()
	l := &login{store: store, host: host, account: a.g.account.value}
	h := idx.Hosts[host]
	if l.account == "" && h != nil {
		l.account = h.Active
	}
	if l.account == "" {
		l.account = defaultAccount
	}
	if h != nil {
		l.entry = h.Accounts[l.account]
	}
	l.clientID = a.g.clientID.value
	if l.clientID == "" && l.entry != nil {
		l.clientID = l.entry.ClientID
	}
	if l.clientID == "" {
		return nil, errNotLoggedIn
	}
	if l.entry != nil && l.entry.ClientID != l.clientID {
		return nil, &otherAppError{account: l.account, host: host, stored: l.entry.ClientID, current: l.clientID}
	}
	l.key = tokenKey(host, l.clientID, l.account)
	if _, err := store.Load(ctx, l.key); err != nil {
		if !errors.Is(err, kickauth.ErrNoToken) {
			return nil, err
		}
		if err := a.migrateLegacy(ctx, l); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// otherAppError is an account logged in to another app than the one of --client-id.
type otherAppError struct{ account, host, stored, current string }

func (e *otherAppError) Error() string {
	return fmt.Sprintf("account %q on %s is logged in to app %s, not to %s (--client-id or %s): log in again with 'kick auth login', or unset %s",
		e.account, e.host, e.stored, e.current, envClientID, envClientID)
}

// migrateLegacy moves a token stored by an older CLI, under the client id and account alone, to
// the key of Kick's OAuth host: those tokens were Kick's unless a mock's login overwrote them,
// which is what keying by host prevents from now on. It fails with errNotLoggedIn when there is
// none.
func (a *app) migrateLegacy(ctx context.Context, l *login) error {
	if l.host != hostOf(kick.DefaultOAuthBaseURL) {
		return errNotLoggedIn
	}
	legacy := kickauth.StoreKey(l.clientID, l.account)
	tok, err := l.store.Load(ctx, legacy)
	if errors.Is(err, kickauth.ErrNoToken) {
		return errNotLoggedIn
	}
	if err != nil {
		return err
	}
	if err := l.store.Save(ctx, l.key, tok); err != nil {
		return err
	}
	return l.store.Delete(ctx, legacy)
}

// userSource is the source of the current account's stored user token, refreshed (and saved)
// when needed. It fails with errNotLoggedIn when no token is stored.
func (a *app) userSource(ctx context.Context) (*kickauth.UserSource, *login, error) {
	l, err := a.currentLogin(ctx)
	if err != nil {
		return nil, nil, err
	}
	src, err := kickauth.UserTokenSource(ctx, a.oauthConfig(l.clientID, ""), l.store, l.key, kickauth.WithHTTPClient(a.http))
	return src, l, err
}

// appSource is the source of app tokens for the app's credentials.
func (a *app) appSource(ctx context.Context) (*kickauth.AppSource, error) {
	if err := a.requireApp(); err != nil {
		return nil, err
	}
	return kickauth.AppTokenSource(ctx, a.oauthConfig(a.g.clientID.value, ""), kickauth.WithHTTPClient(a.http)), nil
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
	user, _, err := a.userSource(ctx)
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
