// The server: its options, start and close, the app, and the tokens and clients it gives tests.

package kicktest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// Server is a running fake Kick: the REST API on APIBaseURL and the OAuth server on OAuthBaseURL, two
// loopback listeners, with the state of a small Kick (users, channels, categories, livestreams,
// rewards, chat, bans, subscriptions, tokens) in memory. It is safe for concurrent use.
type Server struct {
	// APIBaseURL is the REST API's base URL, such as http://127.0.0.1:41234: the stand-in for
	// https://api.kick.com (kick.WithAPIBaseURL).
	APIBaseURL string
	// OAuthBaseURL is the OAuth server's base URL, a separate listener: the stand-in for
	// https://id.kick.com (kick.WithOAuthBaseURL, kickauth.EndpointAt).
	OAuthBaseURL string
	// App is the registered app, as it was when the server started but for the webhook URL,
	// which SetWebhookURL, DisableWebhooks and LoadState change here too; change nothing else.
	App App

	spec   *spec
	cfg    config
	api    *httptest.Server
	oauth  *httptest.Server
	ctx    context.Context // canceled by Close: ends latency faults and deliveries
	cancel context.CancelFunc
	close  sync.Once
	client *http.Client // for deliveries

	mu         sync.Mutex // guards everything below
	app        App
	authorizer int64
	st         *state
	faults     map[string][]*faultState
	requests   map[string]int
	validated  map[string]int
	violations []error
	deliveries []*Delivery
	lag        listingLag    // SetListingLag
	doctor     doctorFaults  // faults_doctor.go
	pending    int           // deliveries in flight
	idle       chan struct{} // closed while pending is 0
	closed     bool
}

// App is the Kick app the fake has registered: its credentials, redirect URIs and webhook URL.
type App struct {
	// ClientID and ClientSecret are the app's credentials, sent by the token endpoint's clients in
	// the form body.
	ClientID, ClientSecret string
	// RedirectURIs are the redirect URIs the authorize endpoint accepts, matched exactly. With
	// WithLoopbackRedirects (the default), any http URI on 127.0.0.1, [::1] or localhost, any
	// port, is accepted too.
	RedirectURIs []string
	// WebhookURL is where event deliveries go; "" means webhooks are off: subscribing then fails
	// per event with "webhooks are not enabled for app", as on Kick. SetWebhookURL changes it.
	WebhookURL string
}

// Option configures NewServer and New.
type Option func(*config)

type config struct {
	apiAddr, oauthAddr string
	now                func() time.Time
	app                *App
	webhookURL         *string
	violation          func(error)
	loopback           bool
	extra              []extraRoute
	shape              PayloadShape // WithPayloadShape
	subLimits          *SubscriptionLimits
}

// WithAddrs makes the server listen on the given addresses, such as "127.0.0.1:8080", instead of
// two free loopback ports. An empty address keeps the default for that listener.
func WithAddrs(api, oauth string) Option {
	return func(c *config) { c.apiAddr, c.oauthAddr = api, oauth }
}

// WithClock sets the server's clock, Kick's time for the data it holds and serves: the seed data
// (streams, gifts, bans... are placed relative to it), token expiry, the times of messages, bans,
// redemptions and payloads, and the periods of the KICKs leaderboard follow it. The default is
// Now. A delivery's Kick-Event-Message-Timestamp is not on it: see Delivery.Timestamp.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithWebhookURL sets the app's webhook URL, where subscribed events are delivered.
func WithWebhookURL(url string) Option {
	return func(c *config) { c.webhookURL = &url }
}

// WithApp registers app instead of one with generated credentials, as `kick mock serve` does to
// print stable credentials. Empty ClientID or ClientSecret are still generated; nil RedirectURIs
// get the default, http://localhost:8976/callback.
func WithApp(app App) Option {
	return func(c *config) { c.app = &app }
}

// WithSpecViolationHandler sets the function told about every response, and every delivery
// payload, of kicktest that breaks openapi/kick.yaml: a bug of kicktest or of the spec, never of
// the code under test. New's handler fails the test with t.Errorf; NewServer's default logs to
// standard error. Requests that break the spec are the client's problem: they are answered 400
// naming the violation and recorded in Violations, not reported here.
func WithSpecViolationHandler(fn func(error)) Option {
	return func(c *config) { c.violation = fn }
}

// WithLoopbackRedirects says whether the authorize endpoint accepts any http redirect URI on a
// loopback host (127.0.0.1, [::1], localhost) with any port and path, besides App.RedirectURIs,
// as tests with an httptest callback server need. The default is true.
func WithLoopbackRedirects(on bool) Option {
	return func(c *config) { c.loopback = on }
}

// New starts a Server for the test t and closes it when the test ends. A response or delivery of
// kicktest that breaks the spec fails the test (t.Errorf); a failure to start fails it at once.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	all := append([]Option{WithSpecViolationHandler(func(err error) {
		t.Errorf("kicktest: %v", err)
	})}, opts...)
	s, err := NewServer(all...)
	if err != nil {
		t.Fatalf("kicktest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a Server, on two free loopback ports unless WithAddrs says otherwise. Close it
// when done.
func NewServer(opts ...Option) (*Server, error) {
	if _, err := envNow(); err != nil {
		return nil, err
	}
	cfg := config{
		now:       Now,
		shape:     PayloadsCurrent,
		loopback:  true,
		violation: func(err error) { fmt.Fprintf(os.Stderr, "kicktest: %v\n", err) },
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if !slices.Contains(PayloadShapes, cfg.shape) {
		return nil, fmt.Errorf("kicktest: WithPayloadShape: unknown shape %q; want one of %v", cfg.shape, PayloadShapes)
	}
	sp, err := loadSpec()
	if err != nil {
		return nil, fmt.Errorf("kicktest: load the spec: %w", err)
	}
	app := App{}
	if cfg.app != nil {
		app = *cfg.app
		app.RedirectURIs = slices.Clone(app.RedirectURIs)
	}
	if app.ClientID == "" {
		app.ClientID = newULID(cfg.now())
	}
	if app.ClientSecret == "" {
		app.ClientSecret = randomHex(32)
	}
	if app.RedirectURIs == nil {
		app.RedirectURIs = []string{"http://localhost:8976/callback"}
	}
	if cfg.webhookURL != nil {
		app.WebhookURL = *cfg.webhookURL
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		App:        app,
		spec:       sp,
		cfg:        cfg,
		ctx:        ctx,
		cancel:     cancel,
		client:     &http.Client{CheckRedirect: refuseRedirect}, // bounded per delivery: deliveryClient
		app:        app,
		authorizer: Streamer.UserID,
		st:         newState(cfg.now(), app.ClientID),
		faults:     map[string][]*faultState{},
		requests:   map[string]int{},
		validated:  map[string]int{},
		idle:       make(chan struct{}),
	}
	close(s.idle)
	apiMux, oauthMux := s.routes()
	if s.api, err = startHTTP(cfg.apiAddr, apiMux); err != nil {
		cancel()
		return nil, fmt.Errorf("kicktest: API listener: %w", err)
	}
	if s.oauth, err = startHTTP(cfg.oauthAddr, oauthMux); err != nil {
		s.api.Close()
		cancel()
		return nil, fmt.Errorf("kicktest: OAuth listener: %w", err)
	}
	s.APIBaseURL, s.OAuthBaseURL = s.api.URL, s.oauth.URL
	return s, nil
}

func startHTTP(addr string, h http.Handler) (*httptest.Server, error) {
	srv := httptest.NewUnstartedServer(h)
	if addr != "" {
		l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
		if err != nil {
			srv.Close()
			return nil, err
		}
		_ = srv.Listener.Close()
		srv.Listener = l
	}
	srv.Start()
	return srv, nil
}

// Close stops the server: it ends latency faults and pending deliveries, waits for the requests
// in progress, and closes the listeners. Call Flush first to wait for deliveries instead.
func (s *Server) Close() {
	s.close.Do(func() {
		s.mu.Lock()
		s.closed = true // no delivery starts from now on
		idle := s.idle
		s.mu.Unlock()
		s.cancel()
		s.api.Close()
		s.oauth.Close()
		<-idle
		s.client.CloseIdleConnections()
	})
}

// SetWebhookURL changes the app's webhook URL, for deliveries from now on; "" turns webhooks off.
func (s *Server) SetWebhookURL(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setWebhookURLLocked(url)
}

// WebhookURL returns the app's webhook URL now: the one of WithWebhookURL, or of the last
// SetWebhookURL, DisableWebhooks ("") or LoadState.
func (s *Server) WebhookURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.app.WebhookURL
}

// setWebhookURLLocked changes the webhook URL of the server and of the App field; s.mu is held.
func (s *Server) setWebhookURLLocked(url string) {
	s.app.WebhookURL = url
	s.App.WebhookURL = url
}

// UserToken returns a user access token for userID with the given scopes (all scopes when none
// are given), as if the user had authorized the app, with a refresh token. It lasts two hours,
// like Kick's: the server refuses it two hours later on its clock, and its Expiry is two hours
// from time.Now, as a client computes it from the token endpoint's expires_in, so that x/oauth2
// and kickauth, which check it against time.Now, agree with the server whatever WithClock says.
// It panics if userID is not a user of the server.
func (s *Server) UserToken(userID int64, scopes ...kick.Scope) *oauth2.Token {
	if len(scopes) == 0 {
		scopes = kick.AllScopes
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser("UserToken", userID)
	now := s.cfg.now()
	return s.st.issueUser(userID, scopes, now).oauth2(now)
}

// AppToken returns a new app access token, as the client credentials grant gives. It lasts 60
// days, like Kick's; its Expiry is on time.Now's clock, as UserToken's.
func (s *Server) AppToken() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.now()
	return s.st.issueApp(now).oauth2(now)
}

// Client returns a kick client for the server: its base URLs, a user token of userID with all
// scopes, and an app token. opts come after these, so they can replace them (a retry policy, a
// token source). It panics if userID is not a user of the server.
func (s *Server) Client(userID int64, opts ...kick.Option) (*kick.Client, error) {
	all := append([]kick.Option{
		kick.WithAPIBaseURL(s.APIBaseURL),
		kick.WithOAuthBaseURL(s.OAuthBaseURL),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(s.UserToken(userID))),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(s.AppToken())),
	}, opts...)
	return kick.NewClient(all...)
}

// OAuthConfig returns a kickauth configuration of the app pointed at OAuthBaseURL, with redirectURL
// and the given scopes (all scopes when none are given).
func (s *Server) OAuthConfig(redirectURL string, scopes ...kick.Scope) *oauth2.Config {
	if len(scopes) == 0 {
		scopes = kick.AllScopes
	}
	s.mu.Lock()
	app := s.app
	s.mu.Unlock()
	cfg := kickauth.NewConfig(app.ClientID, app.ClientSecret, redirectURL, scopes...)
	cfg.Endpoint = kickauth.EndpointAt(s.OAuthBaseURL)
	return cfg
}

// AuthorizeAs sets the user the authorize endpoint approves, without asking, for every request
// from now on; the default is Streamer. AuthorizeAs(0) makes it decline instead: it redirects
// with error=access_denied, as when the user clicks "Cancel". It panics if userID is neither 0
// nor a user of the server.
func (s *Server) AuthorizeAs(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if userID != 0 {
		s.mustUser("AuthorizeAs", userID)
	}
	s.authorizer = userID
}
