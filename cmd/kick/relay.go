package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Environment of 'kick relay'.
const (
	// envRelayData names the relay's data directory: its log and its token file.
	envRelayData = "KICK_RELAY_DATA"
	// envRelayToken is the consumer token of 'kick event listen --relay': a secret, so never a
	// flag, which other users of the machine could read in the process list.
	envRelayToken = "KICK_RELAY_TOKEN" //nolint:gosec // the variable's name, not a credential
	// defaultRelayAddr is where 'kick relay serve' listens unless told.
	defaultRelayAddr = "127.0.0.1:8980"
)

func (a *app) relayCommand() *cobra.Command {
	return group("relay", "Relay Kick's events to programs without a public URL",
		`Receive Kick's webhook deliveries once, on a machine with a public URL, and stream them to any
number of programs that have none (a laptop, workers behind NAT) over Server-Sent Events:

  kick relay serve          run the relay: Kick posts to it, consumers read from it
  kick relay token create   make a consumer token for some channels and event types
  kick relay token list     list the tokens (never the tokens themselves: they are stored hashed)
  kick relay token revoke   revoke a token

A consumer is 'kick event listen --relay URL' or a Go program using relay.Subscribe or relay.Run
(package github.com/kick-sdk/kick-go/kick/relay). Several relays sharing one Redis are built
with package kickredis (see the README).`,
		a.relayServeCommand(), a.relayTokenCommand())
}

// relayDir is the data directory: --data, KICK_RELAY_DATA, or kick-go/relay in the user's
// configuration directory.
func (a *app) relayDir(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = a.getenv(envRelayData)
	}
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("the relay's data directory: %w (give --data)", err)
		}
		dir = filepath.Join(base, "kick-go", "relay")
	}
	return dir, nil
}

func relayDataFlag(c *cobra.Command, p *string) {
	c.Flags().StringVar(p, "data", "", "`directory` of the relay's log and tokens, env "+envRelayData+" (default kick-go/relay in the user's config directory)")
	_ = c.MarkFlagDirname("data")
}

func (a *app) relayServeCommand() *cobra.Command {
	var (
		addr, dir, certFile, keyFile string
		retention                    time.Duration
		maxRecords                   int
		noSync, deleteStrays         bool
		keys                         keyChoice
	)
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run a relay: receive Kick's deliveries and stream them to consumers",
		Long: `Run a relay until interrupted. Kick's deliveries arrive on POST /kick/webhook (set the app's
webhook URL to https://YOUR-HOST/kick/webhook): each is verified (signature, timestamp, a body of
at most 1 MiB), appended to the log in --data (a bbolt file, synced to disk) and only then
answered 200. Consumers read GET /events with their token ('kick relay token create'), as
Server-Sent Events, and resume with Last-Event-ID after a disconnection; the log keeps
deliveries for --retention and at most --max-records, and a consumer that comes back later than
that is told what it missed.

With the app's credentials ('kick auth login --app', or KICK_CLIENT_ID and KICK_CLIENT_SECRET),
the relay keeps the app's event subscriptions to what its tokens allow (Events.Sync), checking
every minute: one subscription per channel and event for all consumers. --no-sync leaves them
alone; --delete-strays also deletes the subscriptions no token needs.

It verifies with Kick's public key, or with kicktest's development key when --base-url is a
'kick mock serve' (--dev-key, --kick-key and --public-key choose). TLS: --tls-cert and --tls-key,
or a reverse proxy in front (which must not buffer /events).

Ctrl-C stops it (exit status 130), and so does SIGTERM (exit status 0).`,
		Example: "  kick relay serve --listen :8080 --data /var/lib/kick-relay\n  kick relay serve --listen :443 --tls-cert cert.pem --tls-key key.pem",
		Args:    argsNone,
	}
	fs := c.Flags()
	fs.StringVar(&addr, "listen", defaultRelayAddr, "`address` to listen on, such as :8080")
	relayDataFlag(c, &dir)
	fs.DurationVar(&retention, "retention", relay.DefaultMaxAge, "how long deliveries are kept")
	fs.IntVar(&maxRecords, "max-records", relay.DefaultMaxRecords, "how many deliveries are kept at most")
	fs.StringVar(&certFile, "tls-cert", "", "serve HTTPS with this PEM certificate `file` (with --tls-key)")
	fs.StringVar(&keyFile, "tls-key", "", "the PEM private key `file` of --tls-cert")
	fs.BoolVar(&noSync, "no-sync", false, "leave the app's event subscriptions alone")
	fs.BoolVar(&deleteStrays, "delete-strays", false, "delete subscriptions no token needs")
	keys.register(c)
	c.MarkFlagsRequiredTogether("tls-cert", "tls-key")
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		if retention <= 0 || maxRecords <= 0 {
			return usagef("--retention and --max-records must be positive")
		}
		dir, err := a.relayDir(dir)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if !keys.set() && a.isMock(ctx) {
			keys.dev = true
		}
		key, keyName, _, err := keys.key()
		if err != nil {
			return err
		}
		verifier, err := webhook.NewVerifier(webhook.WithPublicKey(key))
		if err != nil {
			return err
		}
		opts := []relay.Option{relay.WithWebhookOptions(webhook.WithVerifier(verifier))}
		syncNote := "subscriptions left alone (--no-sync)"
		if !noSync {
			kc, src, err := a.client(ctx)
			switch {
			case err == nil && src.app != nil:
				opts = append(opts, relay.WithSubscriptions(relay.SyncOptions{Client: kc, DeleteStrays: deleteStrays}))
				syncNote = "keeping the app's subscriptions to what the tokens allow"
			case err == nil || errors.Is(err, errNoCredentials):
				syncNote = "no app credentials: subscriptions left alone"
			default:
				return err
			}
		}
		log, err := relay.OpenBolt(filepath.Join(dir, "relay.db"), relay.BoltOptions{MaxAge: retention, MaxRecords: maxRecords})
		if err != nil {
			return err
		}
		defer func() { _ = log.Close() }()
		srv, err := relay.NewServer(log, relay.NewFileTokens(filepath.Join(dir, "tokens.json")), opts...) //nolint:contextcheck // Close stops it
		if err != nil {
			return err
		}
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("listening: %w", err)
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
		scheme := "http"
		serve := func() error { return hs.Serve(ln) }
		if certFile != "" {
			scheme = "https"
			serve = func() error { return hs.ServeTLS(ln, certFile, keyFile) }
		}
		errc := make(chan error, 1)
		go func() { errc <- serve() }()
		a.stopOnTerm = true
		base := scheme + "://" + ln.Addr().String()
		fmt.Fprintf(a.stderr, "Ready: relay on %s; Kick posts to %s%s, consumers read %s%s.\n", base, base, relay.DefaultWebhookPath, base, relay.DefaultEventsPath)
		fmt.Fprintf(a.stderr, "Log and tokens in %s; verifying with %s; %s. Ctrl-C stops.\n", dir, keyName, syncNote)
		select {
		case <-ctx.Done():
		case err := <-errc:
			_ = srv.Close()
			return err
		}
		_ = srv.Close() // ends the streams, which Shutdown would wait for
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		fmt.Fprintln(a.stderr, "kick relay serve: stopped")
		return nil
	}
	return c
}

func (a *app) relayTokenCommand() *cobra.Command {
	return group("token", "Create, list and revoke consumer tokens", "", a.relayTokenCreateCommand(), a.relayTokenListCommand(), a.relayTokenRevokeCommand())
}

// tokenOut is a token as -o json prints it.
type tokenOut struct {
	Token string `json:"token,omitempty"`
	relay.Grant
}

func (a *app) relayTokenCreateCommand() *cobra.Command {
	var (
		dir, name       string
		broadcasters    []int64
		allBroadcasters bool
		types           []string
		expires         time.Duration
	)
	c := &cobra.Command{
		Use:   "create",
		Short: "Make a consumer token for some channels and event types",
		Long: `Make a consumer token that reads the events of the channels of --broadcaster (repeat it, or
--all-broadcasters) and of the event types of --type (repeat it; all types without it). The
token is printed once, on stdout: the relay keeps only its SHA-256. A running relay on the same
--data sees it at once.

A consumer sends it as "Authorization: Bearer TOKEN"; 'kick event listen --relay' reads it from
KICK_RELAY_TOKEN.`,
		Example: "  kick relay token create --name laptop --broadcaster 1001 --type chat.message.sent\n  export KICK_RELAY_TOKEN=$(kick relay token create --broadcaster 1001)",
		Args:    argsNone,
	}
	out := a.addOutput(c)
	fs := c.Flags()
	relayDataFlag(c, &dir)
	fs.StringVar(&name, "name", "", "a `label` for people, such as laptop")
	fs.Int64SliceVar(&broadcasters, "broadcaster", nil, "`user id` of a channel the token reads")
	fs.BoolVar(&allBroadcasters, "all-broadcasters", false, "the token reads every channel, and Drops claims")
	fs.StringSliceVar(&types, "type", nil, "event `type` the token reads (default: all)")
	fs.DurationVar(&expires, "expires", 0, "the token stops working after this `duration` (default: never)")
	_ = c.RegisterFlagCompletionFunc("type", completeEventTypes(true))
	c.RunE = func(c *cobra.Command, _ []string) error {
		g := relay.Grant{Name: name, Broadcasters: broadcasters, AllBroadcasters: allBroadcasters}
		for _, t := range types {
			if !slices.Contains(kick.AllEventTypes, kick.EventType(t)) && kick.EventType(t) != webhook.EventDropsClaim {
				return usagef("invalid --type %q: not a Kick event type", t)
			}
			g.Types = append(g.Types, kick.EventType(t))
		}
		if len(broadcasters) == 0 && !allBroadcasters {
			return usagef("give --broadcaster (one or more) or --all-broadcasters")
		}
		if expires < 0 {
			return usagef("--expires must be positive")
		}
		if expires > 0 {
			g.ExpiresAt = time.Now().Add(expires).UTC()
		}
		store, err := a.relayTokens(dir)
		if err != nil {
			return err
		}
		tok, g, err := relay.CreateToken(c.Context(), store, g)
		if err != nil {
			return err
		}
		return a.print(c.Context(), out, tokenOut{Token: tok, Grant: g}, func() error {
			fmt.Fprintf(a.stderr, "Created %s (%s). The token is shown once; the relay keeps only its SHA-256:\n", g.ID, describeGrant(g))
			_, err := fmt.Fprintln(a.stdout, tok)
			return err
		})
	}
	return c
}

func (a *app) relayTokens(dir string) (*relay.FileTokens, error) {
	dir, err := a.relayDir(dir)
	if err != nil {
		return nil, err
	}
	return relay.NewFileTokens(filepath.Join(dir, "tokens.json")), nil
}

// describeGrant says what a grant reads, for people.
func describeGrant(g relay.Grant) string {
	who := "every channel"
	if !g.AllBroadcasters {
		ids := make([]string, len(g.Broadcasters))
		for i, b := range g.Broadcasters {
			ids[i] = strconv.FormatInt(b, 10)
		}
		who = "channels " + strings.Join(ids, ",")
	}
	what := "every event type"
	if len(g.Types) > 0 {
		ts := make([]string, len(g.Types))
		for i, t := range g.Types {
			ts[i] = string(t)
		}
		what = strings.Join(ts, ",")
	}
	return who + "; " + what
}

func (a *app) relayTokenListCommand() *cobra.Command {
	var dir string
	c := &cobra.Command{
		Use:   "list",
		Short: "List the consumer tokens",
		Args:  argsNone,
	}
	out := a.addOutput(c)
	relayDataFlag(c, &dir)
	c.RunE = func(c *cobra.Command, _ []string) error {
		store, err := a.relayTokens(dir)
		if err != nil {
			return err
		}
		grants, err := store.List(c.Context())
		if err != nil {
			return err
		}
		return a.print(c.Context(), out, list(grants), func() error {
			t := newTable("ID", "NAME", "READS", "CREATED", "EXPIRES").shrink(2)
			for _, g := range grants {
				exp := "never"
				if !g.ExpiresAt.IsZero() {
					exp = g.ExpiresAt.Format(time.RFC3339)
				}
				t.row(g.ID, orDash(g.Name), describeGrant(g), g.CreatedAt.Format(time.RFC3339), exp)
			}
			return a.printTable(t)
		})
	}
	return c
}

func (a *app) relayTokenRevokeCommand() *cobra.Command {
	var dir string
	c := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a consumer token; its open streams end within a heartbeat (15 s)",
		Args:  argsMin(1, "ID"),
	}
	relayDataFlag(c, &dir)
	c.RunE = func(c *cobra.Command, args []string) error {
		store, err := a.relayTokens(dir)
		if err != nil {
			return err
		}
		for _, id := range args {
			if err := store.Revoke(c.Context(), id); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "Revoked %s.\n", id)
		}
		return nil
	}
	return c
}
