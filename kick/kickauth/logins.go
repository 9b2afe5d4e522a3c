package kickauth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

// LoginsFile is the name of the index of logins in a token directory: the file `kick auth login`
// keeps beside the token files of its FileStore, as gh keeps hosts.yml.
const LoginsFile = "accounts.json"

// maxLoginsFile bounds the index LoginStore reads.
const maxLoginsFile = 1 << 20

// loginsVersion is the version of the index's format.
const loginsVersion = 1

// loginsLockKey is the FileStore lock key that serializes changes of the index; the CLI has
// used it since the index exists.
const loginsLockKey = "kick-cli/accounts.json"

// ErrNotLoggedIn is matched by errors.Is when a LoginStore has no login of the account asked for.
var ErrNotLoggedIn = errors.New("kickauth: not logged in")

// Login is one login of a LoginStore: the user token of one account, for one app, on one OAuth
// server, and the API it was made for.
type Login struct {
	// Host is the OAuth host of the login (OAuthHost of its OAuthBaseURL), such as id.kick.com, or
	// 127.0.0.1:8978 for `kick mock serve`; Account names the login within the host: the
	// username of the user who logged in, unless `kick auth login --account` chose another name.
	// Both are the keys of the index, not fields of an entry.
	Host    string `json:"-"`
	Account string `json:"-"`
	// ClientID is the app the token was issued to: it is refreshed with that app's credentials.
	ClientID string `json:"client_id"`
	// UserID and Username are the user who logged in, when the login could ask.
	UserID   int64  `json:"user_id,omitempty"`
	Username string `json:"username,omitempty"`
	// Scopes are the scopes Kick granted.
	Scopes []string `json:"scopes,omitempty"`
	// OAuthBaseURL is the base URL of the OAuth server the login was made at, where its token is
	// refreshed. APIBaseURL is the base URL of the API it was made for: the only API the token may be
	// sent to. An index written before logins recorded them gets its host's.
	OAuthBaseURL string `json:"oauth_url,omitempty"`
	APIBaseURL   string `json:"api_url,omitempty"`
	// LoggedInAt is when the login was made.
	LoggedInAt time.Time `json:"logged_in_at"`
}

// Key returns the store key of the login's token: LoginKey(l.Host, l.ClientID, l.Account).
func (l *Login) Key() string { return LoginKey(l.Host, l.ClientID, l.Account) }

// API is the API base URL the login's token may be sent to: APIBaseURL, or for a login to Kick
// that recorded none, Kick's API (https://api.kick.com).
func (l *Login) API() string {
	if l.APIBaseURL == "" && l.Host == OAuthHost(DefaultOAuthBaseURL) {
		return kick.DefaultAPIBaseURL
	}
	return l.APIBaseURL
}

// SameAPI reports whether baseURL is the API the login was made for (APIBaseURL), comparing
// scheme, host and path without a final slash, any case for scheme and host.
func (l *Login) SameAPI(baseURL string) bool {
	return l.API() != "" && sameBaseURL(l.API(), baseURL)
}

func sameBaseURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host) &&
		strings.TrimRight(ua.Path, "/") == strings.TrimRight(ub.Path, "/")
}

// OAuthHost is the host that keys logins: the host and port of an OAuth base URL, in lower case
// (id.kick.com for https://id.kick.com). Logins of one app and account on two OAuth servers, such
// as Kick and a local fake, are two logins.
func OAuthHost(oauthURL string) string {
	u, err := url.Parse(oauthURL)
	if err != nil || u.Host == "" {
		return strings.ToLower(oauthURL)
	}
	return strings.ToLower(u.Host)
}

// LoginKey returns the store key of the token of account, logged in to the app clientID on the
// OAuth host (see OAuthHost). On Kick's own host, id.kick.com, it is StoreKey(clientID, account):
// a program that keys its FileStore with StoreKey finds the logins `kick auth login` made to
// Kick. On any other host, such as a kicktest or `kick mock serve`, the host comes first,
// path-escaped, so that a login to a fake never shares a key with a login to Kick.
func LoginKey(host, clientID, account string) string {
	if host == OAuthHost(DefaultOAuthBaseURL) {
		return StoreKey(clientID, account)
	}
	return url.PathEscape(host) + "/" + StoreKey(clientID, account)
}

// hostPrefixedKey is where the CLI kept a login to Kick's host before LoginKey dropped the host
// for it.
func hostPrefixedKey(l *Login) string {
	return url.PathEscape(l.Host) + "/" + StoreKey(l.ClientID, l.Account)
}

// Logins is the index of a LoginStore (LoginsFile): per OAuth host, its logins and the active
// one. Change it with LoginStore.Update.
type Logins struct {
	Version int                    `json:"version"`
	Hosts   map[string]*HostLogins `json:"hosts"`
}

// HostLogins are the logins of one OAuth host.
type HostLogins struct {
	// OAuthBaseURL and APIBaseURL are the base URLs of the host's last login; each Login has its own.
	OAuthBaseURL string `json:"oauth_url"`
	APIBaseURL   string `json:"api_url"`
	// Active is the account commands use when none is named.
	Active string `json:"active,omitempty"`
	// Accounts are the host's logins by account name.
	Accounts map[string]*Login `json:"accounts"`
}

// Host returns the logins of host, adding an empty entry when there is none.
func (ls *Logins) Host(host string) *HostLogins {
	if ls.Hosts == nil {
		ls.Hosts = map[string]*HostLogins{}
	}
	h := ls.Hosts[host]
	if h == nil {
		h = &HostLogins{Accounts: map[string]*Login{}}
		ls.Hosts[host] = h
	}
	return h
}

// HostNames returns the index's hosts, sorted.
func (ls *Logins) HostNames() []string {
	names := make([]string, 0, len(ls.Hosts))
	for h := range ls.Hosts {
		names = append(names, h)
	}
	slices.Sort(names)
	return names
}

// Find returns the login of account on host, or of the host's active account when account is
// "", and nil when there is none.
func (ls *Logins) Find(host, account string) *Login {
	h := ls.Hosts[host]
	if h == nil {
		return nil
	}
	if account == "" {
		account = h.Active
	}
	return h.Accounts[account]
}

// Add records l under its Host and Account, replacing a login of the same name, and makes it
// the host's active account.
func (ls *Logins) Add(l *Login) {
	h := ls.Host(l.Host)
	h.OAuthBaseURL, h.APIBaseURL = l.OAuthBaseURL, l.APIBaseURL
	h.Accounts[l.Account] = l
	h.Active = l.Account
}

// AccountNames returns the host's accounts, sorted.
func (h *HostLogins) AccountNames() []string {
	names := make([]string, 0, len(h.Accounts))
	for n := range h.Accounts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Remove drops account; when it was the active one, another (the first by name) becomes active.
func (h *HostLogins) Remove(account string) {
	delete(h.Accounts, account)
	if h.Active == account {
		h.Active = ""
		if names := h.AccountNames(); len(names) > 0 {
			h.Active = names[0]
		}
	}
}

// LoginStore is the logins of a token directory as `kick auth login` keeps them: their tokens in a
// FileStore under LoginKey, and the index LoginsFile beside them. Programs share the CLI's logins
// through it: TokenSource gives the token of a login, refreshed at its OAuth host and saved back,
// so the CLI and the program use one login between them.
type LoginStore struct {
	tokens *FileStore
}

// NewLoginStore opens the logins of the token directory dir (DefaultFileStoreDir when dir is
// ""), creating the directory as NewFileStore does.
func NewLoginStore(dir string) (*LoginStore, error) {
	if dir == "" {
		var err error
		if dir, err = DefaultFileStoreDir(); err != nil {
			return nil, err
		}
	}
	fs, err := NewFileStore(dir)
	if err != nil {
		return nil, err
	}
	return &LoginStore{tokens: fs}, nil
}

// Tokens returns the FileStore of the logins' tokens.
func (s *LoginStore) Tokens() *FileStore { return s.tokens }

// Dir returns the token directory.
func (s *LoginStore) Dir() string { return s.tokens.Dir() }

// path is the index's file.
func (s *LoginStore) path() string { return filepath.Join(s.tokens.Dir(), LoginsFile) }

// Logins reads the index. A missing index is empty; one that does not parse, or has a host or
// an account without an entry (null), is an error naming the file.
func (s *LoginStore) Logins() (*Logins, error) {
	f, err := openNoFollow(s.path(), os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return &Logins{Version: loginsVersion, Hosts: map[string]*HostLogins{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("kickauth: %w", err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxLoginsFile+1))
	if err != nil {
		return nil, fmt.Errorf("kickauth: reading %s: %w", s.path(), err)
	}
	if len(b) > maxLoginsFile {
		return nil, fmt.Errorf("kickauth: %s: over %d bytes", s.path(), maxLoginsFile)
	}
	ls, err := ParseLogins(b)
	if err != nil {
		return nil, fmt.Errorf("kickauth: %s: %w", s.path(), err)
	}
	return ls, nil
}

// ParseLogins decodes an index as LoginStore writes it. It refuses a document that is not a JSON
// object, a key of the wrong JSON type, a version newer than its own, and a host or an account
// without an entry (null); a missing "hosts" or "accounts" is empty. Each Login gets its Host and
// Account, and a login of an older index without URLs its host's.
func ParseLogins(b []byte) (*Logins, error) {
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	var ls Logins
	if err := json.Unmarshal(b, &ls); err != nil {
		return nil, err
	}
	if ls.Version > loginsVersion {
		return nil, fmt.Errorf("index version %d, newer than this program's %d", ls.Version, loginsVersion)
	}
	ls.Version = loginsVersion
	if ls.Hosts == nil {
		ls.Hosts = map[string]*HostLogins{}
	}
	for host, h := range ls.Hosts {
		if h == nil {
			return nil, fmt.Errorf("host %q has no entry (null)", host)
		}
		if h.Accounts == nil {
			h.Accounts = map[string]*Login{}
		}
		for name, l := range h.Accounts {
			if l == nil {
				return nil, fmt.Errorf("account %q of host %q has no entry (null)", name, host)
			}
			l.Host, l.Account = host, name
			if l.OAuthBaseURL == "" {
				l.OAuthBaseURL = h.OAuthBaseURL
			}
			if l.APIBaseURL == "" {
				l.APIBaseURL = h.APIBaseURL
			}
		}
	}
	return &ls, nil
}

// Update changes the index with edit under the store's lock, which other processes sharing the
// directory respect, and writes it atomically, readable by its owner alone. Nothing is written
// when edit fails.
func (s *LoginStore) Update(ctx context.Context, edit func(*Logins) error) error {
	unlock, err := s.tokens.Lock(ctx, loginsLockKey)
	if err != nil {
		return err
	}
	defer func() { _ = unlock() }()
	ls, err := s.Logins()
	if err != nil {
		return err
	}
	if err := edit(ls); err != nil {
		return err
	}
	b, err := json.MarshalIndent(ls, "", "  ")
	if err != nil {
		return fmt.Errorf("kickauth: writing %s: %w", s.path(), err)
	}
	if err := s.tokens.writeAtomic(strings.TrimSuffix(LoginsFile, ".json"), append(b, '\n')); err != nil {
		return fmt.Errorf("kickauth: writing %s: %w", s.path(), err)
	}
	return nil
}

// Find returns the login of account on host (see OAuthHost), or of the host's active account
// when account is "". It fails with an error matching ErrNotLoggedIn when there is none.
func (s *LoginStore) Find(host, account string) (*Login, error) {
	ls, err := s.Logins()
	if err != nil {
		return nil, err
	}
	if l := ls.Find(host, account); l != nil {
		return l, nil
	}
	if account == "" {
		return nil, fmt.Errorf("%w: no account is logged in on %s in %s (kick auth login)", ErrNotLoggedIn, host, s.Dir())
	}
	return nil, fmt.Errorf("%w: account %q is not logged in on %s in %s (kick auth login --account %s)",
		ErrNotLoggedIn, account, host, s.Dir(), account)
}

// Save stores tok as the token of l, and l in the index as its host's active account.
func (s *LoginStore) Save(ctx context.Context, l *Login, tok *oauth2.Token) error {
	unlock, err := s.tokens.Lock(ctx, l.Key()) // as a refresh holds it
	if err != nil {
		return err
	}
	err = s.tokens.Save(ctx, l.Key(), tok)
	_ = unlock()
	if err != nil {
		return err
	}
	return s.Update(ctx, func(ls *Logins) error {
		ls.Add(l)
		return nil
	})
}

// Token returns the stored token of l, as it is: expired or not. It fails with an error
// matching ErrNoToken when the login has none.
func (s *LoginStore) Token(ctx context.Context, l *Login) (*oauth2.Token, error) {
	if err := s.migrate(ctx, l); err != nil {
		return nil, err
	}
	return s.tokens.Load(ctx, l.Key())
}

// Remove deletes the token of l and its entry in the index; when it was the active account of
// its host, another becomes active.
func (s *LoginStore) Remove(ctx context.Context, l *Login) error {
	if err := s.tokens.Delete(ctx, l.Key()); err != nil {
		return err
	}
	if l.Host == OAuthHost(DefaultOAuthBaseURL) {
		if err := s.tokens.Delete(ctx, hostPrefixedKey(l)); err != nil {
			return err
		}
	}
	return s.Update(ctx, func(ls *Logins) error {
		if h := ls.Hosts[l.Host]; h != nil {
			h.Remove(l.Account)
		}
		return nil
	})
}

// TokenSource returns the login of account on the OAuth host of cfg.Endpoint (the host's active
// account when account is ""), and a source of its token for cfg: refreshed at that host when it
// is about to expire, and saved back to the store, so that the CLI and the program keep one
// login between them. It fails with an error matching ErrNotLoggedIn when there is no such
// login, and when the login belongs to another app than cfg.ClientID.
//
// Send the token to the login's API alone: a kick.Client with kick.WithAPIBaseURL(l.API()).
func (s *LoginStore) TokenSource(ctx context.Context, cfg *oauth2.Config, account string, opts ...Option) (*UserSource, *Login, error) {
	host := OAuthHost(cfg.Endpoint.TokenURL)
	l, err := s.Find(host, account)
	if err != nil {
		return nil, nil, err
	}
	if l.ClientID != cfg.ClientID {
		return nil, nil, fmt.Errorf("%w: account %q on %s is logged in to app %s, not %s", ErrNotLoggedIn, l.Account, host, l.ClientID, cfg.ClientID)
	}
	if err := s.migrate(ctx, l); err != nil {
		return nil, nil, err
	}
	src, err := UserTokenSource(ctx, cfg, s.tokens, l.Key(), opts...)
	if err != nil {
		return nil, nil, err
	}
	return src, l, nil
}

// TokenForHost is LoginStore.TokenSource on the default token directory (DefaultFileStoreDir),
// where `kick auth login` keeps its logins: the token of account (the active account when "") on
// the OAuth host of cfg.Endpoint, as go-gh's auth.TokenForHost gives gh's. With
// kickauth.Endpoint that is a login to Kick, made with `kick auth login`.
func TokenForHost(ctx context.Context, cfg *oauth2.Config, account string, opts ...Option) (*UserSource, *Login, error) {
	s, err := NewLoginStore("")
	if err != nil {
		return nil, nil, err
	}
	return s.TokenSource(ctx, cfg, account, opts...)
}

// migrate moves the token of a login to Kick's host from the key the CLI used to keep it under,
// the host first, to LoginKey's, under the lock of the new key.
func (s *LoginStore) migrate(ctx context.Context, l *Login) error {
	if l.Host != OAuthHost(DefaultOAuthBaseURL) {
		return nil
	}
	old := hostPrefixedKey(l)
	if _, err := os.Lstat(s.tokens.Path(old)); err != nil {
		return nil //nolint:nilerr // nothing to move
	}
	unlock, err := s.tokens.Lock(ctx, l.Key())
	if err != nil {
		return err
	}
	defer func() { _ = unlock() }()
	tok, err := s.tokens.Load(ctx, old)
	if errors.Is(err, ErrNoToken) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := s.tokens.Load(ctx, l.Key()); errors.Is(err, ErrNoToken) {
		if err := s.tokens.Save(ctx, l.Key(), tok); err != nil {
			return err
		}
	}
	return s.tokens.Delete(ctx, old)
}
