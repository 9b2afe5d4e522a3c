package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// accountStatus is one account as 'kick auth status' and 'kick auth list' print it.
type accountStatus struct {
	Host     string   `json:"host"`
	Account  string   `json:"account"`
	Active   bool     `json:"active"`
	Username string   `json:"username,omitempty"`
	UserID   int64    `json:"user_id,omitempty"`
	ClientID string   `json:"client_id"`
	Scopes   []string `json:"scopes,omitempty"`
	// Token is the stored token's state: valid, expired (a refresh token will renew it), inactive
	// (Kick no longer takes it), missing, or unknown (not checked, or the check failed).
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Error     string    `json:"error,omitempty"`
}

// Token states of accountStatus.
const (
	tokenValid    = "valid"
	tokenExpired  = "expired"
	tokenInactive = "inactive"
	tokenMissing  = "missing"
	tokenUnknown  = "unknown"
)

// accounts lists the logins of the index, hosts and accounts sorted by name, with the index;
// a token stored by an older CLI for the current host, before the index, gets an entry first.
func (a *app) accounts(ctx context.Context) ([]accountStatus, *kickauth.LoginStore, *kickauth.Logins, error) {
	store, err := a.existingLogins()
	if errors.Is(err, errNotLoggedIn) {
		return nil, nil, &kickauth.Logins{}, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if l, err := a.currentLogin(ctx); err == nil && !l.indexed {
		if err := store.Update(ctx, func(ls *kickauth.Logins) error {
			h := ls.Host(l.Host)
			if h.Accounts[l.Account] == nil {
				l.APIBaseURL = l.API()
				h.Accounts[l.Account] = l.Login
				h.OAuthBaseURL, h.APIBaseURL = l.OAuthBaseURL, l.APIBaseURL
			}
			if h.Active == "" {
				h.Active = l.Account
			}
			return nil
		}); err != nil {
			return nil, nil, nil, err
		}
	}
	ls, err := store.Logins()
	if err != nil {
		return nil, nil, nil, err
	}
	var out []accountStatus
	for _, host := range ls.HostNames() {
		h := ls.Hosts[host]
		for _, name := range h.AccountNames() {
			e := h.Accounts[name]
			out = append(out, accountStatus{Host: host, Account: name, Active: name == h.Active, Username: e.Username,
				UserID: e.UserID, ClientID: e.ClientID, Scopes: e.Scopes, Token: tokenUnknown})
		}
	}
	return out, store, ls, nil
}

// checkToken fills the token state of s: from the store, and for a token not expired from Kick's
// introspection at the login's own URLs.
func (a *app) checkToken(ctx context.Context, store *kickauth.LoginStore, l *kickauth.Login, s *accountStatus) {
	tok, err := store.Token(ctx, l)
	switch {
	case errors.Is(err, kickauth.ErrNoToken):
		s.Token = tokenMissing
		return
	case err != nil:
		s.Error = err.Error()
		return
	}
	s.ExpiresAt = tok.Expiry
	if !tok.Expiry.IsZero() && time.Now().After(tok.Expiry) {
		s.Token = tokenExpired
		if tok.RefreshToken == "" {
			s.Token = tokenInactive
		}
		return
	}
	base, oauth := l.API(), cmp.Or(l.OAuthBaseURL, kick.DefaultOAuthBaseURL)
	if base == "" {
		s.Error = "the login recorded no API URL to ask"
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	info, err := a.introspectToken(ctx, base, oauth, tok.AccessToken)
	switch {
	case err != nil:
		s.Error = err.Error()
	case info.Active:
		s.Token = tokenValid
		if !info.ExpiresAt.IsZero() {
			s.ExpiresAt = info.ExpiresAt
		}
	default:
		s.Token = tokenInactive
	}
}

func (a *app) statusCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "status",
		Short: "Show the logged-in accounts of every host, and whether their tokens work",
		Long: `Show the accounts logged in on every OAuth host: the user, the app, the scopes, which account is
active, and the state of each token, asked of the host's introspection (a token that expired is
renewed with its refresh token on the next command). The exit status is 1 when no account is
active on the current host (--oauth-url), or its token no longer works.`,
		Args: argsNone,
	}
	out := a.addOutput(c)
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		all, store, ls, err := a.accounts(ctx)
		if err != nil {
			return err
		}
		for i := range all {
			a.checkToken(ctx, store, ls.Find(all[i].Host, all[i].Account), &all[i])
		}
		current := a.host()
		ok := false
		for _, s := range all {
			if s.Host == current && s.Active && (s.Token == tokenValid || s.Token == tokenExpired) {
				ok = true
			}
		}
		err = a.print(ctx, out, list(all), func() error { return a.statusText(all, current) })
		if err != nil {
			return err
		}
		if !ok {
			if out.json() {
				a.printError(fmt.Errorf("no working login on %s", current))
			}
			return &silentError{exitError}
		}
		return nil
	}
	return c
}

func (a *app) statusText(all []accountStatus, current string) error {
	var b strings.Builder
	seen := false
	host := ""
	for _, s := range all {
		if s.Host != host {
			host = s.Host
			fmt.Fprintf(&b, "%s\n", host)
		}
		seen = seen || s.Host == current
		mark, state := "✓", ""
		switch s.Token {
		case tokenValid:
			state = "token valid"
			if !s.ExpiresAt.IsZero() {
				state += ", expires in " + time.Until(s.ExpiresAt).Round(time.Minute).String()
			}
		case tokenExpired:
			state = "token expired; the next command refreshes it"
		case tokenInactive:
			mark, state = "✗", "token no longer active: log in again with 'kick auth login'"
		case tokenMissing:
			mark, state = "✗", "no token stored: log in again with 'kick auth login'"
		default:
			mark, state = "?", "token not checked: "+orDash(s.Error)
		}
		who := s.Account
		if s.Username != "" && s.Username != s.Account {
			who += " (" + s.Username + ")"
		}
		if s.UserID != 0 {
			who += ", user " + strconv.FormatInt(s.UserID, 10)
		}
		if s.Active {
			who += ", active"
		}
		fmt.Fprintf(&b, "  %s %s — %s\n", mark, who, state)
		fmt.Fprintf(&b, "    app %s", s.ClientID)
		if len(s.Scopes) > 0 {
			fmt.Fprintf(&b, "; scopes %s", strings.Join(s.Scopes, " "))
		}
		b.WriteString("\n")
	}
	if !seen {
		fmt.Fprintf(&b, "%s\n  not logged in: run 'kick auth login'\n", current)
	}
	_, err := fmt.Fprint(a.stdout, b.String())
	return err
}

func (a *app) listCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "list",
		Short: "List the logged-in accounts of every host",
		Long:  `List the logged-in accounts of every OAuth host, without asking Kick about their tokens.`,
		Args:  argsNone,
	}
	out := a.addOutput(c)
	c.RunE = func(c *cobra.Command, _ []string) error {
		all, _, _, err := a.accounts(c.Context())
		if err != nil {
			return err
		}
		for i := range all {
			all[i].Token = "" // not checked
		}
		return a.print(c.Context(), out, list(all), func() error {
			t := newTable("HOST", "ACCOUNT", "USER", "APP", "ACTIVE")
			for _, s := range all {
				user := orDash(s.Username)
				if s.UserID != 0 {
					user += " (" + strconv.FormatInt(s.UserID, 10) + ")"
				}
				t.row(s.Host, s.Account, user, s.ClientID, map[bool]string{true: "yes", false: "no"}[s.Active])
			}
			return a.printTable(t)
		})
	}
	return c
}

// hostLogins is the login store for an account command on host (by default the host of
// --oauth-url, which it sets), failing when nothing is stored.
func (a *app) hostLogins(host *string) (*kickauth.LoginStore, error) {
	if *host == "" {
		*host = a.host()
	}
	store, err := a.existingLogins()
	if errors.Is(err, errNotLoggedIn) {
		return nil, fmt.Errorf("no account is logged in on %s", *host)
	}
	return store, err
}

// hostFlag registers --host, the OAuth host of an account command (default: that of --oauth-url).
func (a *app) hostFlag(c *cobra.Command, p *string) {
	c.Flags().StringVar(p, "host", "", "the OAuth `host` of the account, such as id.kick.com or 127.0.0.1:8978 (default: the host of --oauth-url)")
	_ = c.RegisterFlagCompletionFunc("host", a.completeHosts)
}

func (a *app) switchCommand() *cobra.Command {
	var host string
	c := &cobra.Command{
		Use:   "switch [ACCOUNT]",
		Short: "Make another logged-in account the active one",
		Long: `Make ACCOUNT the active account of the host: the one commands use without --account. Without
ACCOUNT, and with two accounts on the host, the other one becomes active.`,
		Args: argsMax(1),
	}
	a.hostFlag(c, &host)
	c.ValidArgsFunction = a.completeAccounts
	c.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		store, err := a.hostLogins(&host)
		if err != nil {
			return err
		}
		var to string
		err = store.Update(ctx, func(ls *kickauth.Logins) error {
			h := ls.Hosts[host]
			if h == nil || len(h.Accounts) == 0 {
				return fmt.Errorf("no account is logged in on %s", host)
			}
			names := h.AccountNames()
			switch {
			case len(args) == 1:
				to = args[0]
			case len(names) == 2:
				to = names[0]
				if to == h.Active {
					to = names[1]
				}
			default:
				return usagef("missing argument ACCOUNT: one of %s", strings.Join(names, ", "))
			}
			if h.Accounts[to] == nil {
				return usagef("account %q is not logged in on %s; the accounts are %s", to, host, strings.Join(names, ", "))
			}
			h.Active = to
			return nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Switched to account %q on %s\n", to, host)
		return nil
	}
	return c
}

func (a *app) logoutCommand() *cobra.Command {
	var host string
	c := &cobra.Command{
		Use:   "logout [ACCOUNT]",
		Short: "Log an account out: revoke its token at Kick and remove it",
		Long: `Log ACCOUNT (by default the active one, or --account) out of the host: its tokens are revoked at
the host's OAuth server when it answers, and removed from the token directory either way. When
it was the active account, another account of the host becomes active, if there is one.`,
		Args: argsMax(1),
	}
	a.hostFlag(c, &host)
	c.ValidArgsFunction = a.completeAccounts
	c.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		store, err := a.hostLogins(&host)
		if err != nil {
			return err
		}
		if host == a.host() {
			_, _, _, _ = a.accounts(ctx) // an older CLI's token gets its entry, to be logged out too
		}
		ls, err := store.Logins()
		if err != nil {
			return err
		}
		name := a.g.account.value
		if len(args) == 1 {
			name = args[0]
		}
		l := ls.Find(host, name)
		if l == nil {
			if name == "" {
				return fmt.Errorf("no account is logged in on %s (see 'kick auth status')", host)
			}
			return fmt.Errorf("account %q is not logged in on %s (see 'kick auth status')", name, host)
		}
		name = l.Account
		if tok, err := store.Token(ctx, l); err == nil {
			if err := a.revokeAt(ctx, cmp.Or(l.OAuthBaseURL, a.g.oauthURL.value), tok.AccessToken, tok.RefreshToken); err != nil {
				fmt.Fprintf(a.stderr, "note: could not revoke the token at %s (%v); it is removed here all the same\n", host, err)
			}
		}
		if err := store.Remove(ctx, l); err != nil {
			return err
		}
		active := ""
		if ls, err := store.Logins(); err == nil && ls.Hosts[host] != nil {
			active = ls.Hosts[host].Active
		}
		fmt.Fprintf(a.stdout, "Logged out of account %q on %s\n", name, host)
		if active != "" {
			fmt.Fprintf(a.stdout, "The active account of %s is now %q\n", host, active)
		}
		return nil
	}
	return c
}

// revokeAt revokes an access token and its refresh token at the OAuth server of oauthURL.
func (a *app) revokeAt(ctx context.Context, oauthURL, access, refresh string) error {
	c, err := kick.NewClient(kick.WithOAuthBaseURL(oauthURL), kick.WithHTTPClient(a.http), kick.WithUserAgent(userAgent))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if refresh != "" {
		if err := c.Tokens.Revoke(ctx, refresh, kick.TokenHintRefreshToken); err != nil {
			return err
		}
	}
	return c.Tokens.Revoke(ctx, access, kick.TokenHintAccessToken)
}
