package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// Default ports of 'kick mock serve', next to the default login port.
const (
	defaultMockPort      = 8977
	defaultMockOAuthPort = 8978
)

// The app of 'kick mock serve': fixed, so that exported credentials outlive a restart, and its
// own, so that a login to the mock never mixes with one to a real app.
const (
	mockClientID     = "kick-mock-client-id"
	mockClientSecret = "kick-mock-client-secret" //nolint:gosec // the mock's published, fixed credential
)

// mockControlPath is the prefix of the mock's control endpoints on its API listener: GET
// /_mock tells the mock's webhook URL, users and the user its login approves as; PUT
// /_mock/webhook-url changes the webhook URL, PUT /_mock/authorize-as that user.
const mockControlPath = "/_mock"

// seedUsers are kicktest's named seed users, with their roles.
var seedUsers = []struct {
	user kicktest.User
	role string
}{
	{kicktest.Streamer, "streamer"},
	{kicktest.Viewer, "viewer, subscribed to the streamer"},
	{kicktest.Moderator, "moderator of the streamer's chat"},
	{kicktest.BotUser, "the app's chat bot"},
}

func (a *app) mockCommand() *cobra.Command {
	return group("mock", "Run a local fake of Kick", "", a.mockServeCommand(), a.mockWebhookCommand(), a.mockAuthorizeAsCommand())
}

// mockUser is a user of the mock, as its control endpoint and -o json print it.
type mockUser struct {
	UserID      int64  `json:"user_id"`
	Username    string `json:"username"`
	ChannelSlug string `json:"channel_slug"`
	Role        string `json:"role,omitempty"`
}

// mockState is what the control endpoint GET /_mock answers.
type mockState struct {
	APIBaseURL   string     `json:"api_url"`
	OAuthBaseURL string     `json:"oauth_url"`
	ClientID     string     `json:"client_id"`
	WebhookURL   string     `json:"webhook_url"`
	Users        []mockUser `json:"users"`
	// AuthorizeAs is the user the mock's login approves as; 0 when it declines.
	AuthorizeAs int64 `json:"authorize_as"`
}

// loginRole marks, among the users, the one the mock's login approves as.
const loginRole = "'kick auth login' logs in as this user"

func (m *mockControl) state() mockState {
	roles := make(map[int64]string)
	for _, s := range seedUsers {
		roles[s.user.UserID] = s.role
	}
	m.mu.Lock()
	as := m.authorizeAs
	m.mu.Unlock()
	srv := m.srv
	st := mockState{APIBaseURL: srv.APIBaseURL, OAuthBaseURL: srv.OAuthBaseURL, ClientID: srv.App.ClientID, WebhookURL: srv.WebhookURL(), AuthorizeAs: as}
	for _, u := range srv.Users() {
		role := roles[u.UserID]
		if u.UserID == as {
			role = strings.TrimPrefix(role+"; "+loginRole, "; ")
		}
		st.Users = append(st.Users, mockUser{u.UserID, u.Username, u.ChannelSlug(), role})
	}
	return st
}

// setAuthorizeAs makes the mock's login approve as userID (0 declines).
func (m *mockControl) setAuthorizeAs(userID int64) (previous int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	previous, m.authorizeAs = m.authorizeAs, userID
	m.srv.AuthorizeAs(userID)
	return previous
}

func (a *app) mockServeCommand() *cobra.Command {
	var (
		port        int
		oauthPort   int
		webhookURL  string
		authorizeAs int64
		stateFile   string
	)
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve a fake Kick API and OAuth server on loopback",
		Long: fmt.Sprintf(`Serve kicktest, the fake Kick of kick-go's tests, until interrupted: the REST API on
127.0.0.1:--port and the OAuth server on 127.0.0.1:--oauth-port (0 picks a free port), with a
small Kick in memory (seed users, channels, categories, live streams, rewards, chat).

It prints the base URLs, the app's credentials, the seed users and the environment variables
that point the CLI (and kick-go programs reading them) at it. The app is always the mock's own,
%s / %s, whatever the environment says, so that a login to the mock never
touches a login to a real app; logins are kept per OAuth host anyway ('kick auth status').

The authorize endpoint approves every request at once as --authorize-as (kicktest's streamer by
default, also over a --state file), with any loopback redirect URI: 'kick auth login' needs no
browser. 'kick mock authorize-as USER' changes the user while the mock runs: the next login is a
second account. Events the app
subscribes to are POSTed to the webhook URL, signed with kicktest's development key: verify them
with its public key, served at /public/v1/public-key (or 'kick event verify --dev-key').

The webhook URL is --webhook-url, and can change while the mock runs, issued tokens kept:
'kick event listen' points it at itself while it listens, 'kick mock webhook URL' sets it.

With --state FILE the mock's state (tokens, subscriptions, messages, everything but the
deliveries) is read from FILE when it exists and written back every few seconds and when the mock
stops: logins and subscriptions outlive a restart. The file holds live tokens of the mock and is
readable by its owner only.

The mock, like any loopback server, is open to every process of the machine: it is a
development tool, with its own fixed credentials and no real data.

Ctrl-C stops it (exit status 130), and so does SIGTERM (exit status 0). With -o json the
information is one JSON object on the first line of stdout.`, mockClientID, mockClientSecret),
		Example: "  kick mock serve\n  kick mock serve --state ~/.kick-mock.json --webhook-url http://localhost:3000/webhook",
		Args:    argsNone,
	}
	out := a.addOutput(c)
	fs := c.Flags()
	fs.IntVar(&port, "port", defaultMockPort, "`port` of the API; 0 picks a free one")
	fs.IntVar(&oauthPort, "oauth-port", defaultMockOAuthPort, "`port` of the OAuth server; 0 picks a free one")
	fs.StringVar(&webhookURL, "webhook-url", "", "the app's webhook `URL`, where subscribed events are delivered")
	fs.Int64Var(&authorizeAs, "authorize-as", kicktest.Streamer.UserID, "`user id` the authorize endpoint approves as (over --state's); 0 declines")
	fs.StringVar(&stateFile, "state", "", "keep the mock's state in this `file` across restarts")
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		for _, p := range []struct {
			flag string
			port int
		}{{"--port", port}, {"--oauth-port", oauthPort}} {
			if p.port < 0 || p.port > 65535 {
				return usagef("invalid %s %d: want 0 to 65535", p.flag, p.port)
			}
		}
		if port == oauthPort && port != 0 {
			return usagef("--port and --oauth-port must differ")
		}
		if err := checkWebhookURL(webhookURL); err != nil {
			return usagef("invalid --webhook-url %q: %v", webhookURL, err)
		}
		ctl := &mockControl{}
		srv, err := kicktest.NewServer( //nolint:contextcheck // NewServer takes no context; Close stops it
			kicktest.WithAddrs(loopback(port), loopback(oauthPort)),
			kicktest.WithApp(kicktest.App{ClientID: mockClientID, ClientSecret: mockClientSecret}),
			kicktest.WithWebhookURL(webhookURL),
			kicktest.WithHandler(mockControlPath, ctl),
			kicktest.WithHandler(mockControlPath+"/", ctl),
		)
		if err != nil {
			return err
		}
		ctl.srv = srv
		defer srv.Close()
		if stateFile != "" {
			loaded, err := loadMockState(srv, stateFile)
			if err != nil {
				return err
			}
			if loaded {
				fmt.Fprintf(a.stderr, "kick mock serve: state read from %s\n", stateFile)
				if c.Flags().Changed("webhook-url") {
					srv.SetWebhookURL(webhookURL)
				}
			}
		}
		// The flag, or its default, over what a state file says: the banner tells who it is.
		if _, ok := srv.User(authorizeAs); !ok && authorizeAs != 0 {
			return usagef("invalid --authorize-as %d: not a user of the fake (see the seed users)", authorizeAs)
		}
		ctl.setAuthorizeAs(authorizeAs)
		a.stopOnTerm = true
		if err := a.printMock(ctx, out, ctl); err != nil {
			return err
		}
		if stateFile == "" {
			<-ctx.Done()
		} else {
			saveMockStateUntil(ctx, a, srv, stateFile)
		}
		fmt.Fprintln(a.stderr, "kick mock serve: stopped")
		return nil
	}
	return c
}

func loopback(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// checkWebhookURL accepts "" (webhooks off) and http or https URLs.
func checkWebhookURL(s string) error {
	if s == "" {
		return nil
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an http or https URL")
	}
	return nil
}

// loadMockState reads the state file into srv; a missing file is not an error.
func loadMockState(srv *kicktest.Server, name string) (bool, error) {
	f, err := os.Open(name) //nolint:gosec // a file the user named
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("--state: %w", err)
	}
	defer func() { _ = f.Close() }()
	if err := srv.LoadState(f); err != nil {
		return false, fmt.Errorf("--state %s: %w", name, err)
	}
	return true, nil
}

// saveMockStateUntil writes srv's state to the file every two seconds when it changed, and once
// more when ctx ends.
func saveMockStateUntil(ctx context.Context, a *app, srv *kicktest.Server, name string) {
	var last []byte
	save := func() {
		var buf bytes.Buffer
		if err := srv.SaveState(&buf); err != nil {
			fmt.Fprintf(a.stderr, "kick mock serve: saving the state: %v\n", err)
			return
		}
		if bytes.Equal(buf.Bytes(), last) {
			return
		}
		if err := writeFileAtomic(name, buf.Bytes()); err != nil {
			fmt.Fprintf(a.stderr, "kick mock serve: saving the state: %v\n", err)
			return
		}
		last = buf.Bytes()
	}
	save()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			save()
		case <-ctx.Done():
			save()
			return
		}
	}
}

// mockControl serves the control endpoints of 'kick mock serve'.
type mockControl struct {
	srv *kicktest.Server

	mu          sync.Mutex
	authorizeAs int64
}

func (m *mockControl) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case r.URL.Path == mockControlPath && r.Method == http.MethodGet:
		writeControl(w, http.StatusOK, m.state())
	case r.URL.Path == mockControlPath+"/authorize-as" && r.Method == http.MethodPut:
		var body struct {
			UserID *int64 `json:"user_id"`
		}
		if !readControl(w, r, &body) {
			return
		}
		if body.UserID == nil {
			writeControl(w, http.StatusBadRequest, map[string]string{"message": `want {"user_id": ID}`})
			return
		}
		if _, ok := m.srv.User(*body.UserID); !ok && *body.UserID != 0 {
			writeControl(w, http.StatusBadRequest, map[string]string{"message": "no such user"})
			return
		}
		previous := m.setAuthorizeAs(*body.UserID)
		writeControl(w, http.StatusOK, map[string]int64{"user_id": *body.UserID, "previous": previous})
	case r.URL.Path == mockControlPath+"/webhook-url" && r.Method == http.MethodPut:
		var body struct {
			WebhookURL *string `json:"webhook_url"`
			// IfCurrent, when given, makes the change only if the URL is that one still.
			IfCurrent *string `json:"if_current"`
		}
		if !readControl(w, r, &body) {
			return
		}
		if body.WebhookURL == nil {
			writeControl(w, http.StatusBadRequest, map[string]string{"message": `want {"webhook_url": "..."}`})
			return
		}
		if err := checkWebhookURL(*body.WebhookURL); err != nil {
			writeControl(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		previous := m.srv.WebhookURL()
		if body.IfCurrent != nil && *body.IfCurrent != previous {
			writeControl(w, http.StatusConflict, map[string]string{"message": "the webhook URL is another now", "webhook_url": previous})
			return
		}
		m.srv.SetWebhookURL(*body.WebhookURL)
		writeControl(w, http.StatusOK, map[string]string{"webhook_url": *body.WebhookURL, "previous": previous})
	default:
		writeControl(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

// readControl reads a control request's JSON body into v, or answers the error.
func readControl(w http.ResponseWriter, r *http.Request, v any) bool {
	// A JSON body only: a web page cannot send one across origins without a preflight, which the
	// mock does not answer.
	if r.Header.Get("Content-Type") != "application/json" {
		writeControl(w, http.StatusUnsupportedMediaType, map[string]string{"message": "want application/json"})
		return false
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(v); err != nil {
		writeControl(w, http.StatusBadRequest, map[string]string{"message": "want a JSON object"})
		return false
	}
	return true
}

func writeControl(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// isLoopbackURL reports whether the URL's host is a loopback address or localhost.
func isLoopbackURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// errConflict is a control request the mock refused because its state changed meanwhile.
var errConflict = errors.New("the mock's state changed")

// errWebhookMoved is a webhook URL that another than the one expected has set meanwhile.
var errWebhookMoved = errors.New("the mock's webhook URL was changed meanwhile")

// errNotMock is the error of a control request to an API that is not 'kick mock serve'.
var errNotMock = errors.New("--base-url is not a 'kick mock serve'")

// mockStatus asks the API of --base-url, when it is on loopback, for the mock's state. It fails
// with errNotMock when the API is not a mock. It sends no credential.
func (a *app) mockStatus(ctx context.Context) (*mockState, error) {
	if !isLoopbackURL(a.g.baseURL.value) {
		return nil, errNotMock
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, joinURL(a.g.baseURL.value, mockControlPath), nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, errNotMock
	}
	var st mockState
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&st); err != nil || st.APIBaseURL == "" {
		return nil, errNotMock
	}
	return &st, nil
}

// isMock reports whether --base-url is a 'kick mock serve'; it asks once a run.
func (a *app) isMock(ctx context.Context) bool {
	if a.mock == nil {
		_, err := a.mockStatus(ctx)
		is := err == nil
		a.mock = &is
	}
	return *a.mock
}

// setMockWebhook changes the mock's webhook URL and returns the one before.
func (a *app) setMockWebhook(ctx context.Context, webhookURL string) (string, error) {
	return a.swapMockWebhook(ctx, webhookURL, nil)
}

// swapMockWebhook changes the mock's webhook URL, when ifCurrent is nil or the URL is
// *ifCurrent, and returns the one before; another is errWebhookMoved.
func (a *app) swapMockWebhook(ctx context.Context, webhookURL string, ifCurrent *string) (string, error) {
	var answer struct {
		Previous string `json:"previous"`
	}
	body := map[string]*string{"webhook_url": &webhookURL, "if_current": ifCurrent}
	err := a.putMockControl(ctx, "/webhook-url", body, &answer)
	if errors.Is(err, errConflict) {
		return "", errWebhookMoved
	}
	if err != nil {
		return "", fmt.Errorf("the mock refused the webhook URL: %w", err)
	}
	return answer.Previous, nil
}

// putMockControl PUTs body to the control endpoint of the mock of --base-url at path, and reads
// its answer into answer.
func (a *app) putMockControl(ctx context.Context, path string, body, answer any) error {
	if _, err := a.mockStatus(ctx); err != nil {
		return err
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, joinURL(a.g.baseURL.value, mockControlPath+path), bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(raw, &e)
		if resp.StatusCode == http.StatusConflict {
			return fmt.Errorf("%w: %s", errConflict, e.Message)
		}
		return fmt.Errorf("%s %s", resp.Status, e.Message)
	}
	return json.Unmarshal(raw, answer)
}

func (a *app) mockWebhookCommand() *cobra.Command {
	var off bool
	c := &cobra.Command{
		Use:   "webhook [URL]",
		Short: "Show or change the webhook URL of a running mock",
		Long: `Show the webhook URL of the 'kick mock serve' of --base-url, or change it to URL while the mock
runs, its tokens and subscriptions kept. --off turns webhooks off.`,
		Example: "  kick mock webhook http://localhost:3000/kick/webhook",
		Args:    argsMax(1),
	}
	c.Flags().BoolVar(&off, "off", false, "turn the mock's webhooks off")
	c.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		if off && len(args) > 0 {
			return usagef("give URL or --off, not both")
		}
		if len(args) == 0 && !off {
			st, err := a.mockStatus(ctx)
			if err != nil {
				return a.notMockError(err)
			}
			fmt.Fprintln(a.stdout, orDash(st.WebhookURL))
			return nil
		}
		target := ""
		if len(args) == 1 {
			target = args[0]
			if err := checkWebhookURL(target); err != nil || target == "" {
				return usagef("invalid URL %q: want an http or https URL", target)
			}
		}
		prev, err := a.setMockWebhook(ctx, target)
		if err != nil {
			return a.notMockError(err)
		}
		fmt.Fprintf(a.stdout, "The mock's webhook URL is now %s (was %s)\n", orDash(target), orDash(prev))
		return nil
	}
	return c
}

func (a *app) mockAuthorizeAsCommand() *cobra.Command {
	var decline bool
	c := &cobra.Command{
		Use:   "authorize-as [USER]",
		Short: "Show or change the user a running mock's login approves as",
		Long: `Show the user whom the authorize endpoint of the 'kick mock serve' of --base-url approves as (its
--authorize-as), or make it USER, a user id or username of the mock, while the mock runs: the
next 'kick auth login' is that user's, a second account beside the first ('kick auth switch').
--decline makes the mock refuse every login instead, as a user who clicks "Cancel".`,
		Example: "  kick mock authorize-as kickgo_viewer\n  kick auth login\n  kick auth switch kickgo_streamer",
		Args:    argsMax(1),
	}
	c.Flags().BoolVar(&decline, "decline", false, "make the mock decline every login")
	c.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		if decline && len(args) > 0 {
			return usagef("give USER or --decline, not both")
		}
		st, err := a.mockStatus(ctx)
		if err != nil {
			return a.notMockError(err)
		}
		name := func(id int64) string {
			for _, u := range st.Users {
				if u.UserID == id {
					return fmt.Sprintf("%s (user %d)", u.Username, id)
				}
			}
			return "nobody: the mock declines every login"
		}
		if len(args) == 0 && !decline {
			fmt.Fprintln(a.stdout, name(st.AuthorizeAs))
			return nil
		}
		var id int64
		if len(args) == 1 {
			id = -1
			for _, u := range st.Users {
				if strconv.FormatInt(u.UserID, 10) == args[0] || strings.EqualFold(u.Username, args[0]) {
					id = u.UserID
				}
			}
			if id < 0 {
				return usagef("no user %q in the mock: give a user id or username of 'kick mock serve'", args[0])
			}
		}
		var answer struct {
			UserID int64 `json:"user_id"`
		}
		if err := a.putMockControl(ctx, "/authorize-as", map[string]int64{"user_id": id}, &answer); err != nil {
			return a.notMockError(err)
		}
		fmt.Fprintf(a.stdout, "The mock's login now approves as %s\n", name(answer.UserID))
		return nil
	}
	return c
}

// notMockError says what to do when --base-url is not a mock.
func (a *app) notMockError(err error) error {
	if errors.Is(err, errNotMock) {
		return fmt.Errorf("%s is not a 'kick mock serve': start one, and export the %s it prints", a.g.baseURL.value, envBaseURL)
	}
	return err
}

func (a *app) printMock(ctx context.Context, o *output, ctl *mockControl) error {
	srv := ctl.srv
	env := [][2]string{
		{envBaseURL, srv.APIBaseURL},
		{envOAuthURL, srv.OAuthBaseURL},
		{envClientID, srv.App.ClientID},
		{envClientSecret, srv.App.ClientSecret},
	}
	st := ctl.state()
	if o.json() {
		out := struct {
			mockState
			ClientSecret string            `json:"client_secret"`
			Env          map[string]string `json:"env"`
		}{mockState: st, ClientSecret: srv.App.ClientSecret, Env: make(map[string]string)}
		for _, kv := range env {
			out.Env[kv[0]] = kv[1]
		}
		raw, err := marshalJSON(out)
		if err != nil {
			return err
		}
		if o.code == nil && o.tmpl == nil {
			// One line, so that a program reading stdout can take the first line.
			_, err := a.stdout.Write(append(raw, '\n'))
			return err
		}
		return a.printRawJSON(ctx, o, raw)
	}
	webhook := st.WebhookURL
	if webhook == "" {
		webhook = "none: 'kick event listen' sets one while it runs, or 'kick mock webhook URL'"
	}
	fmt.Fprintln(a.stdout, "A fake Kick is running on loopback; Ctrl-C stops it.")
	fmt.Fprintln(a.stdout)
	if err := fields(a.stdout,
		"API URL", srv.APIBaseURL,
		"OAuth URL", srv.OAuthBaseURL,
		"Client ID", srv.App.ClientID,
		"Client secret", srv.App.ClientSecret,
		"Webhook URL", webhook,
		"Signing key", "kicktest's development key (kick event verify --dev-key)"); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nUsers:")
	t := newTable("ID", "USERNAME", "ROLE")
	for _, u := range st.Users {
		t.row(strconv.FormatInt(u.UserID, 10), u.Username, orDash(u.Role))
	}
	// Always aligned: this is for a person to read, even through a pipe.
	if err := t.render(indent{a.stdout}, terminal{tty: true, width: 1 << 10}); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nPoint the CLI at it:")
	for _, kv := range env {
		fmt.Fprintf(a.stdout, "  export %s=%s\n", kv[0], kv[1])
	}
	fmt.Fprintln(a.stdout, "\nThen try:")
	fmt.Fprintln(a.stdout, "  kick auth login                        # logs in as the user marked above, no browser needed")
	fmt.Fprintln(a.stdout, "  kick event listen                      # in another terminal: receives the deliveries")
	fmt.Fprintln(a.stdout, "  kick event trigger chat.message.sent   # sends one to it")
	fmt.Fprintln(a.stdout, "  kick livestreams list")
	return nil
}

// indent writes each line two spaces in.
type indent struct{ w io.Writer }

func (i indent) Write(p []byte) (int, error) {
	lines := bytes.SplitAfter(p, []byte("\n"))
	var buf bytes.Buffer
	for _, l := range lines {
		if len(l) > 0 {
			buf.WriteString("  ")
			buf.Write(l)
		}
	}
	if _, err := i.w.Write(buf.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// joinURL appends path (which starts with "/") to base.
func joinURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}
