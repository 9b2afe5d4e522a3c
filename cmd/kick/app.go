package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
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
		kick.WithAPIBaseURL(a.g.baseURL.value),
		kick.WithOAuthBaseURL(a.g.oauthURL.value),
		kick.WithHTTPClient(a.http),
		kick.WithUserAgent(userAgent),
	}
}
