package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

func authCommand() *command {
	return &command{
		name:  "auth",
		short: "Log in to Kick and manage tokens",
		long: `Log in to Kick with OAuth (authorization code with PKCE) and manage the stored user token.

A user token is stored per app (client id) and account (--account, "default" unless given) in the
token directory (--token-dir or KICK_TOKEN_DIR, by default kick-go/tokens in the user's
configuration directory), in a file only its owner can read. Commands refresh it when needed and
save the new one. App tokens (client credentials) are fetched when needed and never stored.`,
		subs: []*command{loginCommand(), tokenCommand(), introspectCommand(), revokeCommand()},
	}
}

// defaultLoginScopes are the scopes 'kick auth login' asks for without --scopes: those of the
// CLI's common commands.
var defaultLoginScopes = []kick.Scope{kick.ScopeUserRead, kick.ScopeChannelRead, kick.ScopeChatWrite, kick.ScopeEventsSubscribe}

// parseScopes checks scopes against Kick's; "all" stands for every one.
func parseScopes(names []string) ([]kick.Scope, error) {
	var scopes []kick.Scope
	for _, n := range names {
		if n == "all" {
			scopes = append(scopes, kick.AllScopes...)
			continue
		}
		s := kick.Scope(n)
		if !slices.Contains(kick.AllScopes, s) {
			return nil, usagef("unknown scope %q; want some of: %s, all", n, scopeNames(kick.AllScopes))
		}
		scopes = append(scopes, s)
	}
	// Keep Kick's order, once each.
	var out []kick.Scope
	for _, s := range kick.AllScopes {
		if slices.Contains(scopes, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func scopeNames(scopes []kick.Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ",")
}

func tokenCommand() *command {
	return &command{
		name:  "token",
		short: "Print a valid access token",
		long: `Print the stored user token's access token, refreshed (and saved) first when it is about to
expire; with --app, an app access token fetched with the app's credentials. The token alone is
printed, on one line: treat it as a password.`,
		run: func(ctx context.Context, a *app, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			var src oauth2.TokenSource
			if a.g.app {
				s, err := a.appSource(ctx)
				if err != nil {
					return err
				}
				src = s
			} else {
				s, err := a.userSource(ctx)
				if errors.Is(err, errNotLoggedIn) {
					return a.notLoggedIn()
				}
				if err != nil {
					return err
				}
				src = s
			}
			tok, err := src.Token()
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, tok.AccessToken)
			return nil
		},
	}
}

func (a *app) notLoggedIn() error {
	if a.g.clientID.value == "" {
		return errors.New("no client id: set " + envClientID + " or --client-id (and log in with 'kick auth login')")
	}
	return fmt.Errorf("account %q is not logged in to app %s: run 'kick auth login', or pass --app for the app token",
		a.g.account.value, a.g.clientID.value)
}

func introspectCommand() *command {
	var format string
	return &command{
		name:  "introspect",
		short: "Show whether a token is active, its kind, scopes and expiry",
		long: `Ask Kick about the stored user token (with --app, the app token, which is the default when no
user token is stored): whether it is active, the app it belongs to, its kind, scopes and expiry.`,
		flags: func(fs *flag.FlagSet) { outputFlag(fs, &format) },
		run: func(ctx context.Context, a *app, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			c, src, err := a.client(ctx)
			if err != nil {
				return err
			}
			var opts []kick.RequestOption
			if src.user == nil {
				opts = append(opts, kick.WithTokenKind(kick.TokenKindApp))
			}
			info, err := c.Tokens.Introspect(ctx, opts...)
			if err != nil {
				return err
			}
			if format == formatJSON {
				return writeJSON(a.stdout, info)
			}
			if !info.Active {
				return fields(a.stdout, "Active", "no")
			}
			expires := formatTime(info.ExpiresAt)
			if !info.ExpiresAt.IsZero() {
				expires += " (in " + time.Until(info.ExpiresAt).Round(time.Second).String() + ")"
			}
			return fields(a.stdout,
				"Active", "yes",
				"Client ID", info.ClientID,
				"Kind", string(info.Kind),
				"Scopes", orDash(strings.ReplaceAll(scopeNames(info.Scopes), ",", " ")),
				"Expires", expires)
		},
	}
}

func revokeCommand() *command {
	var (
		refresh bool
		token   string
	)
	return &command{
		name:  "revoke",
		short: "Revoke the stored user token",
		long: `Revoke the stored user token's access token. The stored token is kept and marked expired, so
the next command refreshes it. With --refresh the refresh token is revoked too and the token is
removed from the store: the account is logged out.

--token revokes the given token instead ("-" reads it from stdin), such as an app token printed by
'kick auth token --app'; --refresh then says it is a refresh token.`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&refresh, "refresh", false, "revoke the refresh token too, and remove the stored token")
			fs.StringVar(&token, "token", "", "revoke this `token` instead of the stored one; - reads it from stdin")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			c, err := kick.NewClient(a.clientOptions()...)
			if err != nil {
				return err
			}
			if token != "" {
				return a.revokeGiven(ctx, c, token, refresh)
			}
			if a.g.app {
				return usagef("app tokens are not stored: revoke one with --token (kick auth token --app | kick auth revoke --token -)")
			}
			store, _, err := a.storedToken(ctx)
			if errors.Is(err, errNotLoggedIn) {
				return a.notLoggedIn()
			}
			if err != nil {
				return err
			}
			// Hold the key's lock, as a refresh does, and read the token under it: another process
			// may have just refreshed it.
			unlock, err := store.Lock(ctx, a.storeKey())
			if err != nil {
				return err
			}
			defer func() { _ = unlock() }()
			tok, err := store.Load(ctx, a.storeKey())
			if err != nil {
				return err
			}
			if err := c.Tokens.Revoke(ctx, tok.AccessToken, kick.TokenHintAccessToken); err != nil {
				return err
			}
			if refresh {
				if tok.RefreshToken != "" {
					if err := c.Tokens.Revoke(ctx, tok.RefreshToken, kick.TokenHintRefreshToken); err != nil {
						return err
					}
				}
				if err := store.Delete(ctx, a.storeKey()); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "Revoked the access and refresh tokens of account %q and removed them from %s\n",
					a.g.account.value, store.Dir())
				return nil
			}
			tok.Expiry = time.Now().Add(-time.Second)
			if err := store.Save(ctx, a.storeKey(), tok); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Revoked the access token of account %q; the next command refreshes it\n", a.g.account.value)
			return nil
		},
	}
}

func (a *app) revokeGiven(ctx context.Context, c *kick.Client, token string, refresh bool) error {
	if token == "-" {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("reading the token from stdin: %w", err)
		}
		token = strings.TrimSpace(line)
		if token == "" {
			return usagef("no token on stdin")
		}
	}
	hint := kick.TokenHintAccessToken
	if refresh {
		hint = kick.TokenHintRefreshToken
	}
	if err := c.Tokens.Revoke(ctx, token, hint); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Revoked the %s\n", strings.ReplaceAll(string(hint), "_", " "))
	return nil
}
