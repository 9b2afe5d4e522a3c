package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

func (a *app) authCommand() *cobra.Command {
	return group("auth", "Log in to Kick and manage accounts and tokens",
		`Log in to Kick with OAuth (authorization code with PKCE) and manage the logged-in accounts.

Logins are kept per OAuth host, as gh keeps them per GitHub host: id.kick.com, or a mock's
127.0.0.1:PORT (--oauth-url or KICK_OAUTH_URL says which). Each host has its accounts, named after
the user who logged in (or --account), and an active one, which commands use unless --account
or KICK_ACCOUNT names another. A login to a mock never touches a login to Kick.

The user tokens are stored in the token directory (--token-dir or KICK_TOKEN_DIR, by default
kick-go/tokens in the user's configuration directory), in files only their owner can read, with
the index of accounts (accounts.json). Commands refresh a token when needed and save the new one.
App tokens (client credentials) are fetched when needed and never stored.`,
		a.loginCommand(), a.statusCommand(), a.listCommand(), a.switchCommand(), a.logoutCommand(),
		a.tokenCommand(), a.introspectCommand(), a.revokeCommand())
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

// notLoggedIn is the error of a command that needs the stored user token of an account that has
// none.
func (a *app) notLoggedIn() error {
	if a.g.account.value != "" {
		return fmt.Errorf("account %q is not logged in on %s: run 'kick auth login --account %s', or pass --app for the app token",
			a.g.account.value, a.host(), a.g.account.value)
	}
	return fmt.Errorf("no account is logged in on %s: run 'kick auth login', or pass --app for the app token (see 'kick auth status')", a.host())
}

func (a *app) tokenCommand() *cobra.Command {
	var noCheck bool
	c := &cobra.Command{
		Use:   "token",
		Short: "Print a valid access token",
		Long: `Print the active account's access token, refreshed (and saved) first when it is about to
expire; with --app, an app access token fetched with the app's credentials. The token alone is
printed, on one line: treat it as a password.

The stored token is checked with Kick's introspection first: a token Kick no longer takes (revoked,
or its app's authorization withdrawn) is refreshed once, and when that fails too the command
exits 1 without printing it. --no-check skips the check, and the request it costs.`,
		Args: argsNone,
	}
	c.Flags().BoolVar(&noCheck, "no-check", false, "print the stored token without asking Kick whether it is still active")
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		if a.g.app {
			src, err := a.appSource(ctx)
			if err != nil {
				return err
			}
			tok, err := src.Token()
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, tok.AccessToken)
			return nil
		}
		src, l, err := a.userSource(ctx)
		if errors.Is(err, errNotLoggedIn) {
			return a.notLoggedIn()
		}
		if err != nil {
			return err
		}
		tok, err := src.Token()
		if err != nil {
			return err
		}
		if !noCheck {
			active, err := a.tokenActive(ctx, a.g.baseURL.value, a.g.oauthURL.value, tok.AccessToken)
			if err != nil {
				return fmt.Errorf("checking the token (--no-check skips it): %w", err)
			}
			if !active {
				src.Invalidate(tok.AccessToken)
				if tok, err = src.Token(); err != nil {
					return fmt.Errorf("the stored token of account %q is no longer active, and refreshing it failed: %w", l.Account, err)
				}
				if active, err = a.tokenActive(ctx, a.g.baseURL.value, a.g.oauthURL.value, tok.AccessToken); err != nil || !active {
					return fmt.Errorf("the stored token of account %q is no longer active: %w", l.Account, kickauth.ErrReauthorize)
				}
			}
		}
		fmt.Fprintln(a.stdout, tok.AccessToken)
		return nil
	}
	return c
}

// tokenActive asks the OAuth server of oauthURL whether the access token is active.
func (a *app) tokenActive(ctx context.Context, baseURL, oauthURL, access string) (bool, error) {
	info, err := a.introspectToken(ctx, baseURL, oauthURL, access)
	if err != nil {
		return false, err
	}
	return info.Active, nil
}

// introspectToken asks the OAuth server of oauthURL about the access token.
func (a *app) introspectToken(ctx context.Context, baseURL, oauthURL, access string) (*kick.TokenInfo, error) {
	c, err := kick.NewClient(
		kick.WithAPIBaseURL(baseURL), kick.WithOAuthBaseURL(oauthURL), kick.WithHTTPClient(a.http), kick.WithUserAgent(userAgent),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access, TokenType: "Bearer"})))
	if err != nil {
		return nil, err
	}
	return c.Tokens.Introspect(ctx, kick.WithTokenKind(kick.TokenKindUser))
}

func (a *app) introspectCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "introspect",
		Short: "Show whether a token is active, its kind, scopes and expiry",
		Long: `Ask Kick about the active account's user token (with --app, the app token, which is the default
when no user token is stored): whether it is active, the app it belongs to, its kind, scopes and
expiry. A token that is not active makes the exit status 1, after it is printed.`,
		Args: argsNone,
	}
	out := a.addOutput(c)
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		kc, src, err := a.client(ctx)
		if err != nil {
			return err
		}
		var opts []kick.RequestOption
		if src.user == nil {
			opts = append(opts, kick.WithTokenKind(kick.TokenKindApp))
		}
		info, err := kc.Tokens.Introspect(ctx, opts...)
		if err != nil {
			return err
		}
		err = a.print(ctx, out, info, func() error {
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
		})
		if err == nil && !info.Active {
			a.printError(errors.New("the token is not active"))
			return &silentError{exitError}
		}
		return err
	}
	return c
}

func (a *app) revokeCommand() *cobra.Command {
	var (
		refresh   bool
		token     string
		tokenFile string
	)
	c := &cobra.Command{
		Use:   "revoke",
		Short: "Revoke the stored user token",
		Long: `Revoke the active account's access token. The stored token is kept and marked expired, so the
next command refreshes it. With --refresh the refresh token is revoked too and the token is
removed from the store (see also 'kick auth logout').

--token-file revokes the token in a file instead ("-" reads it from stdin), such as an app token
printed by 'kick auth token --app'; --refresh then says it is a refresh token. A token given on
the command line (--token) is deprecated: the process list shows it to every user.`,
		Example: "  kick auth token --app | kick auth revoke --token-file -",
		Args:    argsNone,
	}
	c.Flags().BoolVar(&refresh, "refresh", false, "revoke the refresh token too, and remove the stored token")
	c.Flags().StringVar(&tokenFile, "token-file", "", "revoke the token in this `file` instead of the stored one; - reads stdin")
	c.Flags().StringVar(&token, "token", "", "deprecated: revoke this `token`; use --token-file")
	_ = c.Flags().MarkHidden("token")
	c.MarkFlagsMutuallyExclusive("token", "token-file")
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		kc, err := kick.NewClient(a.clientOptions()...)
		if err != nil {
			return err
		}
		switch {
		case token == "-":
			tokenFile = "-"
		case token != "":
			fmt.Fprintln(a.stderr, "warning: --token is deprecated: other users of this machine can read it in the process list; use --token-file")
			return a.revokeGiven(ctx, kc, token, refresh)
		}
		if tokenFile != "" {
			given, err := a.readTokenFile(tokenFile)
			if err != nil {
				return err
			}
			return a.revokeGiven(ctx, kc, given, refresh)
		}
		if a.g.app {
			return usagef("app tokens are not stored: revoke one with --token-file (kick auth token --app | kick auth revoke --token-file -)")
		}
		l, err := a.currentLogin(ctx)
		if errors.Is(err, errNotLoggedIn) {
			return a.notLoggedIn()
		}
		if err != nil {
			return err
		}
		// Hold the key's lock, as a refresh does, and read the token under it: another process
		// may have just refreshed it.
		tokens := l.store.Tokens()
		unlock, err := tokens.Lock(ctx, l.Key())
		if err != nil {
			return err
		}
		defer func() { _ = unlock() }()
		tok, err := tokens.Load(ctx, l.Key())
		if err != nil {
			return err
		}
		if err := kc.Tokens.Revoke(ctx, tok.AccessToken, kick.TokenHintAccessToken); err != nil {
			return err
		}
		if refresh {
			if tok.RefreshToken != "" {
				if err := kc.Tokens.Revoke(ctx, tok.RefreshToken, kick.TokenHintRefreshToken); err != nil {
					return err
				}
			}
			if err := l.store.Remove(ctx, l.Login); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Revoked the access and refresh tokens of account %q on %s and removed them from %s\n",
				l.Account, l.Host, l.store.Dir())
			return nil
		}
		tok.Expiry = time.Now().Add(-time.Second)
		if err := tokens.Save(ctx, l.Key(), tok); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Revoked the access token of account %q on %s; the next command refreshes it\n", l.Account, l.Host)
		return nil
	}
	return c
}

// readTokenFile reads a token from a file, or stdin for "-": its first line, trimmed.
func (a *app) readTokenFile(name string) (string, error) {
	var line string
	if name == "-" {
		l, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && l == "" {
			return "", fmt.Errorf("reading the token from stdin: %w", err)
		}
		line = l
	} else {
		b, err := readLimited(name, maxSecretFile+1)
		if err != nil {
			return "", fmt.Errorf("reading the token: %w", err)
		}
		line, _, _ = strings.Cut(string(b), "\n")
	}
	tok := strings.TrimSpace(line)
	if tok == "" {
		return "", usagef("no token in %s", map[bool]string{true: "stdin", false: name}[name == "-"])
	}
	return tok, nil
}

func (a *app) revokeGiven(ctx context.Context, c *kick.Client, token string, refresh bool) error {
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
