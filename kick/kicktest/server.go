package kicktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// Server is a running fake Kick: the REST API on APIURL and the OAuth server on OAuthURL, two
// loopback listeners, with the state of a small Kick (users, channels, categories, livestreams,
// rewards, chat, bans, subscriptions, tokens) in memory. It is safe for concurrent use.
type Server struct {
	// APIURL is the REST API's base URL, such as http://127.0.0.1:41234: the stand-in for
	// https://api.kick.com (kick.WithBaseURL).
	APIURL string
	// OAuthURL is the OAuth server's base URL, a separate listener: the stand-in for
	// https://id.kick.com (kick.WithOAuthBaseURL, kickauth.EndpointAt).
	OAuthURL string
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
	s.APIURL, s.OAuthURL = s.api.URL, s.oauth.URL
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
		kick.WithBaseURL(s.APIURL),
		kick.WithOAuthBaseURL(s.OAuthURL),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(s.UserToken(userID))),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(s.AppToken())),
	}, opts...)
	return kick.NewClient(all...)
}

// OAuthConfig returns a kickauth configuration of the app pointed at OAuthURL, with redirectURL
// and the given scopes (all scopes when none are given).
func (s *Server) OAuthConfig(redirectURL string, scopes ...kick.Scope) *oauth2.Config {
	if len(scopes) == 0 {
		scopes = kick.AllScopes
	}
	s.mu.Lock()
	app := s.app
	s.mu.Unlock()
	cfg := kickauth.NewConfig(app.ClientID, app.ClientSecret, redirectURL, scopes...)
	cfg.Endpoint = kickauth.EndpointAt(s.OAuthURL)
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

// Requests returns how many requests a route received, faulted and rejected ones included. A
// route is an operation id ("sendChatMessage"), "METHOD /path" with the spec's path
// ("POST /public/v1/chat"), or "authorize". It panics on an unknown route.
func (s *Server) Requests(route string) int {
	id, err := s.spec.routeOf(route)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[id]
}

// ResponsesValidated returns, per operation id, how many responses kicktest validated against the
// spec: every response its handlers produced (a fault's made-up answer excepted), whether it
// passed or not. After a test that calls every operation, its keys are Operations().
func (s *Server) ResponsesValidated() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.validated))
	for k, v := range s.validated {
		out[k] = v
	}
	return out
}

// Violations returns the spec violations the server has seen, oldest first, each a
// *SpecViolation: requests it rejected with 400, responses and delivery payloads of its own that
// broke the spec.
func (s *Server) Violations() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// ViolationKind says what broke the spec.
type ViolationKind string

// The kinds of spec violations.
const (
	// RequestViolation is a request the server rejected with 400: the client's fault.
	RequestViolation ViolationKind = "request"
	// ResponseViolation is a response of kicktest that breaks the spec: kicktest's or the spec's
	// fault. It was still sent.
	ResponseViolation ViolationKind = "response"
	// DeliveryViolation is a webhook delivery of kicktest whose headers or payload break the
	// spec's callback. It was still sent.
	DeliveryViolation ViolationKind = "delivery"
)

// SpecViolation is a request, response or delivery that does not match openapi/kick.yaml.
type SpecViolation struct {
	// Kind says which it was.
	Kind ViolationKind
	// Operation is the operation id, such as "getChannels", or for a delivery the event type.
	Operation string
	// Method and Path identify the request (empty for a delivery).
	Method, Path string
	// StatusCode is the response status of a ResponseViolation.
	StatusCode int
	// Message says what is wrong, one clause per problem, such as
	// `parameter "broadcaster_user_id" in query: maximum number of items is 50`.
	Message string
	// Err is kin-openapi's error.
	Err error
}

// Error describes the violation in one line.
func (v *SpecViolation) Error() string {
	switch v.Kind {
	case RequestViolation:
		return fmt.Sprintf("request %s %s (%s) breaks the spec: %s", v.Method, v.Path, v.Operation, v.Message)
	case ResponseViolation:
		return fmt.Sprintf("response %d to %s %s (%s) breaks the spec: %s", v.StatusCode, v.Method, v.Path, v.Operation, v.Message)
	}
	return fmt.Sprintf("delivery of %s breaks the spec: %s", v.Operation, v.Message)
}

// Unwrap returns kin-openapi's error.
func (v *SpecViolation) Unwrap() error { return v.Err }

// report records a violation of kicktest's own output and tells the handler.
func (s *Server) report(v *SpecViolation) {
	s.mu.Lock()
	s.violations = append(s.violations, v)
	s.mu.Unlock()
	s.cfg.violation(v)
}

// routes builds the two muxes: every operation of the spec on the listener of its server, and
// the authorize step on the OAuth listener.
func (s *Server) routes() (api, oauth *http.ServeMux) {
	api, oauth = http.NewServeMux(), http.NewServeMux()
	handlers := s.handlers()
	for id, op := range s.spec.ops {
		mux := api
		if op.oauth {
			mux = oauth
		}
		mux.Handle(op.pattern(), s.endpoint(op, handlers[id]))
	}
	oauth.Handle(authorizeOp.pattern(), s.endpoint(authorizeOp, s.authorize))
	for _, e := range s.cfg.extra {
		api.Handle(e.pattern, e.h)
	}
	api.HandleFunc("/", s.notFound(false))
	oauth.HandleFunc("/", s.notFound(true))
	return api, oauth
}

// notFound answers a request no route matches: 405 for a known path with another method, 404
// otherwise, in the listener's error shape.
func (s *Server) notFound(oauth bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, msg := http.StatusNotFound, "Not Found"
		var allow []string
		for _, op := range s.spec.ops {
			if op.oauth == oauth && matchPath(op.path, r.URL.Path) {
				allow = append(allow, op.method)
			}
		}
		if oauth && r.URL.Path == authorizePath {
			allow = append(allow, http.MethodGet)
		}
		if len(allow) > 0 {
			slices.Sort(allow)
			w.Header().Set("Allow", strings.Join(allow, ", "))
			status, msg = http.StatusMethodNotAllowed, "Method Not Allowed"
		}
		rec := newRecorder()
		if oauth {
			rec.oauthError(status, "invalid_request", msg)
		} else {
			rec.apiError(status, msg)
		}
		rec.writeTo(w)
	}
}

// maxBody bounds the request bodies the server reads.
const maxBody = 1 << 20

// endpoint serves one operation: it counts the request, applies a fault, checks the token and
// validates the request against the spec, runs the handler into a recorder, validates the
// response and sends it.
func (s *Server) endpoint(op *operation, handle func(*call)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.locked(func() { s.requests[op.id]++ })
		s.stampDate(w)
		f := s.nextFault(op.id)
		if f != nil {
			if !s.delay(r.Context(), f.Latency) {
				return
			}
			if f.ResetBefore {
				reset(w)
				return
			}
			if f.answers() {
				f.answer(op).writeTo(w)
				return
			}
		}
		rec := s.run(op, r, handle)
		if rec.validate {
			if err := validateResponse(r.Context(), op, r, rec); err != nil {
				s.report(&SpecViolation{Kind: ResponseViolation, Operation: op.id, Method: r.Method, Path: r.URL.Path, StatusCode: rec.status, Message: describe(err), Err: err})
			}
			s.mu.Lock()
			s.validated[op.id]++
			s.mu.Unlock()
		}
		switch {
		case f != nil && f.ResetAfter:
			reset(w)
		case f != nil && f.Truncate:
			truncate(w, rec)
		default:
			rec.writeTo(w)
		}
	})
}

// run checks the request and runs the handler, returning its recorded answer.
func (s *Server) run(op *operation, r *http.Request, handle func(*call)) *recorder {
	rec := newRecorder()
	rec.validate = op.route != nil
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		rec.fail(op, http.StatusBadRequest, "request body unreadable or over 1 MiB")
		return rec
	}
	c := &call{s: s, op: op, r: r, w: rec, body: body}
	if op.route == nil {
		s.handle(c, handle)
		return rec
	}
	if !s.authenticate(c) {
		return rec
	}
	if err := validateRequest(r.Context(), op, r, body); err != nil {
		msg := describe(err)
		v := &SpecViolation{Kind: RequestViolation, Operation: op.id, Method: r.Method, Path: r.URL.Path, Message: msg, Err: err}
		s.mu.Lock()
		s.violations = append(s.violations, v)
		s.mu.Unlock()
		// An operation that documents no 400 (a path parameter of deleteChannelReward or
		// getCategoryV1) answers a malformed id as the unknown resource it is.
		status := http.StatusBadRequest
		if !op.documents(http.StatusBadRequest) && op.documents(http.StatusNotFound) {
			status = http.StatusNotFound
		}
		rec.fail(op, status, msg)
		return rec
	}
	s.handle(c, handle)
	return rec
}

// locked runs fn holding s.mu, which it releases even when fn panics: a request's handler must
// never leave the server locked. Handlers take s.mu with locked, or with a deferred Unlock.
func (s *Server) locked(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// handle runs the handler of c. A handler that panics (a bug of kicktest, or a state LoadState
// took with references that lead nowhere) is answered 500 with the panic's value, and reported
// as a violation, instead of dropping the connection; every handler releases s.mu on its way
// out, so the server goes on serving.
func (s *Server) handle(c *call, handle func(*call)) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler { //nolint:errorlint // the sentinel is panicked as it is
			panic(p)
		}
		msg := fmt.Sprintf("kicktest: the handler of %s panicked: %v", c.op.id, p)
		c.w.header = http.Header{}
		c.w.validate = false
		if c.op.oauth {
			c.w.oauthError(http.StatusInternalServerError, "server_error", msg)
		} else {
			c.w.apiError(http.StatusInternalServerError, msg)
		}
		s.cfg.violation(errors.New(msg))
	}()
	handle(c)
}

// delay waits d, or until the request or the server ends; it reports whether to go on.
func (s *Server) delay(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.ctx.Done():
	}
	return false
}

// call is one request being handled.
type call struct {
	s    *Server
	op   *operation
	r    *http.Request
	w    *recorder
	body []byte
	tok  *token // the bearer token, for operations with security
}

// recorder holds a response until it is validated and sent.
type recorder struct {
	status   int
	header   http.Header
	body     bytes.Buffer
	validate bool
}

func newRecorder() *recorder { return &recorder{status: http.StatusOK, header: http.Header{}} }

func (rec *recorder) json(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("kicktest: encode response: " + err.Error())
	}
	rec.raw(status, "application/json", b)
}

func (rec *recorder) raw(status int, contentType string, body []byte) {
	rec.status = status
	if contentType != "" {
		rec.header.Set("Content-Type", contentType)
	}
	rec.body.Reset()
	rec.body.Write(body)
}

// okMessage is the message of Kick's success envelopes.
const okMessage = "OK"

// pagination is the pagination of a cursor page; Kick sends next_cursor "" on the last page.
func pagination(next string) *gen.Pagination { return &gen.Pagination{NextCursor: &next} }

func (rec *recorder) noContent() { rec.raw(http.StatusNoContent, "", nil) }

// apiErrorBody is Kick's API error envelope: gen.APIError with data null, as Kick sends it, where
// the generated type leaves out a nil data.
type apiErrorBody struct {
	Data *struct{} `json:"data"`
	gen.APIError
}

// apiError answers Kick's API error envelope.
func (rec *recorder) apiError(status int, msg string) {
	rec.json(status, apiErrorBody{APIError: gen.APIError{Message: msg}})
}

// oauthError answers the OAuth server's error shape.
func (rec *recorder) oauthError(status int, code, desc string) {
	body := gen.OAuthError{Error: code}
	if desc != "" {
		body.ErrorDescription = &desc
	}
	rec.json(status, body)
}

// fail answers an error in the operation's documented shape.
func (rec *recorder) fail(op *operation, status int, msg string) {
	if op.oauthErrors {
		code := "invalid_request"
		if status >= 500 {
			code = "server_error"
		}
		rec.oauthError(status, code, msg)
		return
	}
	rec.apiError(status, msg)
}

func (rec *recorder) writeTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range rec.header {
		h[k] = v
	}
	if rec.body.Len() > 0 || rec.status != http.StatusNoContent {
		h.Set("Content-Length", fmt.Sprint(rec.body.Len()))
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

// Shorthands of handlers. ok answers 200 with body, a value of the generated type of the
// operation's success schema.
func (c *call) ok(body any) { c.w.json(http.StatusOK, body) }
func (c *call) noContent()  { c.w.noContent() }
func (c *call) fail(status int, format string, args ...any) {
	c.w.fail(c.op, status, fmt.Sprintf(format, args...))
}
func (c *call) badRequest(format string, args ...any) { c.fail(http.StatusBadRequest, format, args...) }

// decode decodes the request's JSON body, which the spec has validated, into v: the generated
// type of the operation's request schema.
func (c *call) decode(v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		c.badRequest("invalid JSON body: %v", err)
		return false
	}
	return true
}

// mustUser panics unless id is a user; s.mu is held.
func (s *Server) mustUser(fn string, id int64) *user {
	u := s.st.users[id]
	if u == nil {
		panic(fmt.Sprintf("kicktest: %s: user %d is not a user of the server", fn, id))
	}
	return u
}
