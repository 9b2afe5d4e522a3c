package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// Default ports of 'kick mock serve', next to the default login port.
const (
	defaultMockPort      = 8977
	defaultMockOAuthPort = 8978
)

// The app of 'kick mock serve' unless the global flags or their environment variables name
// another: fixed, so that exported credentials outlive a restart.
const (
	mockClientID     = "kick-mock-client-id"
	mockClientSecret = "kick-mock-client-secret"
)

// seedUsers are kicktest's named seed users, with their roles.
var seedUsers = []struct {
	user kicktest.User
	role string
}{
	{kicktest.Streamer, "streamer; 'kick auth login' logs in as this user"},
	{kicktest.Viewer, "viewer, subscribed to the streamer"},
	{kicktest.Moderator, "moderator of the streamer's chat"},
	{kicktest.BotUser, "the app's chat bot"},
}

func mockCommand() *command {
	return &command{
		name:  "mock",
		short: "Run a local fake of Kick",
		subs:  []*command{mockServeCommand()},
	}
}

func mockServeCommand() *command {
	var (
		format      string
		port        int
		oauthPort   int
		webhookURL  string
		authorizeAs int64
	)
	return &command{
		name:  "serve",
		short: "Serve a fake Kick API and OAuth server on loopback",
		long: fmt.Sprintf(`Serve kicktest, the fake Kick of kick-go's tests, until interrupted (Ctrl-C, SIGTERM): the REST
API on 127.0.0.1:--port and the OAuth server on 127.0.0.1:--oauth-port (0 picks a free port),
with a small Kick in memory (seed users, channels, categories, live streams, rewards, chat),
forgotten when it stops.

It prints the base URLs, the app's credentials, the seed users and the environment variables
that point the CLI (and kick-go programs reading them) at it. The app's credentials are
the client id and secret of the global flags or the environment when both are set,
else %s and %s.

The authorize endpoint approves every request at once as --authorize-as (kicktest's streamer by
default), with any loopback redirect URI: 'kick auth login' works without a browser window to
click in. Events the app subscribes to are POSTed to --webhook-url, signed with kicktest's
development key: verify them with its public key, served at /public/v1/public-key (or 'kick event
verify --dev-key').

With -o json the information is one JSON object on the first line of stdout.`, mockClientID, mockClientSecret),
		flags: func(fs *flag.FlagSet) {
			outputFlag(fs, &format)
			fs.IntVar(&port, "port", defaultMockPort, "`port` of the API; 0 picks a free one")
			fs.IntVar(&oauthPort, "oauth-port", defaultMockOAuthPort, "`port` of the OAuth server; 0 picks a free one")
			fs.StringVar(&webhookURL, "webhook-url", "", "the app's webhook `URL`, where subscribed events are delivered")
			fs.Int64Var(&authorizeAs, "authorize-as", kicktest.Streamer.UserID, "`user id` the authorize endpoint approves as; 0 declines")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			for _, p := range []struct {
				flag string
				port int
			}{{"--port", port}, {"--oauth-port", oauthPort}} {
				if p.port < 0 || p.port > 65535 {
					return usagef("invalid %s %d", p.flag, p.port)
				}
			}
			if port == oauthPort && port != 0 {
				return usagef("--port and --oauth-port must differ")
			}
			if webhookURL != "" {
				if u, err := url.Parse(webhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return usagef("invalid --webhook-url %q: want an http or https URL", webhookURL)
				}
			}
			app := kicktest.App{ClientID: mockClientID, ClientSecret: mockClientSecret}
			if a.g.clientID.value != "" && a.g.clientSecret.value != "" {
				app.ClientID, app.ClientSecret = a.g.clientID.value, a.g.clientSecret.value
			}
			srv, err := kicktest.NewServer( //nolint:contextcheck // NewServer takes no context; Close stops it
				kicktest.WithAddrs(loopback(port), loopback(oauthPort)),
				kicktest.WithApp(app),
				kicktest.WithWebhookURL(webhookURL),
			)
			if err != nil {
				return err
			}
			defer srv.Close()
			if authorizeAs != kicktest.Streamer.UserID {
				if _, ok := srv.User(authorizeAs); !ok && authorizeAs != 0 {
					return usagef("invalid --authorize-as %d: not a user of the fake (see the seed users)", authorizeAs)
				}
				srv.AuthorizeAs(authorizeAs)
			}
			if err := printMock(a, format, srv); err != nil {
				return err
			}
			<-ctx.Done()
			fmt.Fprintln(a.stderr, "kick mock serve: stopped")
			return nil
		},
	}
}

func loopback(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

func printMock(a *app, format string, srv *kicktest.Server) error {
	env := [][2]string{
		{envBaseURL, srv.APIURL},
		{envOAuthURL, srv.OAuthURL},
		{envClientID, srv.App.ClientID},
		{envClientSecret, srv.App.ClientSecret},
	}
	roles := make(map[int64]string)
	for _, s := range seedUsers {
		roles[s.user.UserID] = s.role
	}
	if format == formatJSON {
		type user struct {
			UserID      int64  `json:"user_id"`
			Username    string `json:"username"`
			ChannelSlug string `json:"channel_slug"`
			Role        string `json:"role,omitempty"`
		}
		out := struct {
			APIURL       string            `json:"api_url"`
			OAuthURL     string            `json:"oauth_url"`
			ClientID     string            `json:"client_id"`
			ClientSecret string            `json:"client_secret"`
			WebhookURL   string            `json:"webhook_url"`
			Users        []user            `json:"users"`
			Env          map[string]string `json:"env"`
		}{APIURL: srv.APIURL, OAuthURL: srv.OAuthURL, ClientID: srv.App.ClientID, ClientSecret: srv.App.ClientSecret,
			WebhookURL: srv.App.WebhookURL, Env: make(map[string]string)}
		for _, u := range srv.Users() {
			out.Users = append(out.Users, user{u.UserID, u.Username, u.ChannelSlug(), roles[u.UserID]})
		}
		for _, kv := range env {
			out.Env[kv[0]] = kv[1]
		}
		// One line, so that a program reading stdout can take the first line.
		return jsonLine(a.stdout, out)
	}
	webhook := srv.App.WebhookURL
	if webhook == "" {
		webhook = "none (set one with --webhook-url to get events)"
	}
	fmt.Fprintln(a.stdout, "A fake Kick is running on loopback; Ctrl-C stops it.")
	fmt.Fprintln(a.stdout)
	if err := fields(a.stdout,
		"API URL", srv.APIURL,
		"OAuth URL", srv.OAuthURL,
		"Client ID", srv.App.ClientID,
		"Client secret", srv.App.ClientSecret,
		"Webhook URL", webhook,
		"Signing key", "kicktest's development key (kick event verify --dev-key)"); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nUsers:")
	t := newTable(a.stdout, "  ID", "USERNAME", "ROLE")
	for _, u := range srv.Users() {
		t.row("  "+strconv.FormatInt(u.UserID, 10), u.Username, orDash(roles[u.UserID]))
	}
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nPoint the CLI at it:")
	for _, kv := range env {
		fmt.Fprintf(a.stdout, "  export %s=%s\n", kv[0], kv[1])
	}
	fmt.Fprintln(a.stdout, "\nThen try: kick auth login; kick users me; kick livestreams list")
	return nil
}
