package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// The logins of 'kick auth login' are kickauth's: a kickauth.LoginStore in the token directory,
// the tokens under kickauth.LoginKey and the index of accounts (accounts.json) beside them, per
// OAuth host the accounts logged in and the active one, as gh's hosts.yml. Programs use the same
// logins with kickauth.TokenForHost; nothing here reads the files itself.

// logins opens the logins of the token directory, creating it.
func (a *app) logins() (*kickauth.LoginStore, error) {
	dir, err := a.tokenDir()
	if err != nil {
		return nil, fmt.Errorf("token directory: %w", err)
	}
	return kickauth.NewLoginStore(dir)
}

// existingLogins opens the logins when the token directory exists; it creates nothing. It fails
// with errNotLoggedIn when there is none.
func (a *app) existingLogins() (*kickauth.LoginStore, error) {
	dir, err := a.tokenDir()
	if err != nil {
		return nil, fmt.Errorf("token directory: %w", err)
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, errNotLoggedIn
	}
	return kickauth.NewLoginStore(dir)
}

func (a *app) tokenDir() (string, error) {
	if a.g.tokenDir.value != "" {
		return a.g.tokenDir.value, nil
	}
	return kickauth.DefaultFileStoreDir()
}

// host is the OAuth host of --oauth-url, which keys the logins.
func (a *app) host() string { return kickauth.OAuthHost(a.g.oauthURL.value) }

// login is a stored login the CLI may use.
type login struct {
	*kickauth.Login
	store *kickauth.LoginStore
	// indexed is false for a token stored before the account index: a login to Kick, found by
	// the client id of --client-id.
	indexed bool
}

// currentLogin finds the login the command runs as: --account (or KICK_ACCOUNT), else the active
// account of the OAuth host, else "default". It fails with errNotLoggedIn when its token is not
// stored; it creates no directory.
func (a *app) currentLogin(ctx context.Context) (*login, error) {
	store, err := a.existingLogins()
	if err != nil {
		return nil, err
	}
	ls, err := store.Logins()
	if err != nil {
		return nil, err
	}
	host, account := a.host(), a.g.account.value
	h := ls.Hosts[host]
	if account == "" && h != nil {
		account = h.Active
	}
	if account == "" {
		account = defaultAccount
	}
	l := &login{store: store, Login: ls.Find(host, account), indexed: true}
	if l.Login == nil {
		if a.g.clientID.value == "" {
			return nil, errNotLoggedIn
		}
		l.Login = &kickauth.Login{Host: host, Account: account, ClientID: a.g.clientID.value, OAuthBaseURL: a.g.oauthURL.value}
		l.indexed = false
	}
	if id := a.g.clientID.value; id != "" && l.ClientID != id {
		return nil, &otherAppError{account: account, host: host, stored: l.ClientID, current: id}
	}
	if _, err := store.Token(ctx, l.Login); err != nil {
		if errors.Is(err, kickauth.ErrNoToken) {
			return nil, errNotLoggedIn
		}
		return nil, err
	}
	return l, nil
}

// otherAppError is an account logged in to another app than the one of --client-id.
type otherAppError struct{ account, host, stored, current string }

func (e *otherAppError) Error() string {
	return fmt.Sprintf("account %q on %s is logged in to app %s, not to %s (--client-id or %s): log in again with 'kick auth login', or unset %s",
		e.account, e.host, e.stored, e.current, envClientID, envClientID)
}

// otherAPIError is a login whose token would go to another API than the one it was made for.
type otherAPIError struct {
	l       *kickauth.Login
	baseURL string
}

func (e *otherAPIError) Error() string {
	return fmt.Sprintf("account %q on %s was logged in for the API at %s, and its token goes there alone, not to %s (--base-url or %s): "+
		"log in for this API with 'kick auth login' (the --account flag keeps both), pass --app for the app token, or give kick api a token (-H @FILE)",
		e.l.Account, e.l.Host, orDash(e.l.API()), e.baseURL, envBaseURL)
}

// userSource is the source of the current account's stored user token, refreshed (and saved)
// when needed. It fails with errNotLoggedIn when no token is stored, and with an *otherAPIError
// when the login was made for another API than --base-url: a token goes to its own API alone.
func (a *app) userSource(ctx context.Context) (*kickauth.UserSource, *login, error) {
	l, err := a.currentLogin(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !l.SameAPI(a.g.baseURL.value) {
		return nil, nil, &otherAPIError{l: l.Login, baseURL: a.g.baseURL.value}
	}
	src, err := kickauth.UserTokenSource(ctx, a.oauthConfig(l.ClientID, ""), l.store.Tokens(), l.Key(), kickauth.WithHTTPClient(a.http))
	return src, l, err
}
