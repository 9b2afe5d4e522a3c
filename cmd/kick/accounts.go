package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// The account index, accounts.json in the token directory, is what 'kick auth login' learned
// about each login, as gh's hosts.yml: per OAuth host, the accounts logged in and the active one.
// The tokens themselves stay in the kickauth.FileStore beside it, under tokenKey.

// indexFile is the name of the account index in the token directory.
const indexFile = "accounts.json"

// maxIndexFile bounds the index the CLI reads.
const maxIndexFile = 1 << 20

// indexLockKey is the FileStore lock key that serializes changes of the index.
const indexLockKey = "kick-cli/accounts.json"

type accountIndex struct {
	Version int                   `json:"version"`
	Hosts   map[string]*hostEntry `json:"hosts"`
}

// hostEntry is one OAuth host: its URLs when last logged in to, its accounts and the active one.
type hostEntry struct {
	OAuthURL string                   `json:"oauth_url"`
	APIURL   string                   `json:"api_url"`
	Active   string                   `json:"active,omitempty"`
	Accounts map[string]*accountEntry `json:"accounts"`
}

// accountEntry is one login: the app it is a login to, and the user.
type accountEntry struct {
	ClientID   string    `json:"client_id"`
	UserID     int64     `json:"user_id,omitempty"`
	Username   string    `json:"username,omitempty"`
	Scopes     []string  `json:"scopes,omitempty"`
	LoggedInAt time.Time `json:"logged_in_at"`
}

// loadIndex reads the index of the token directory dir; a missing one is empty.
func loadIndex(dir string) (*accountIndex, error) {
	idx := &accountIndex{Version: 1, Hosts: map[string]*hostEntry{}}
	f, err := os.Open(filepath.Join(dir, indexFile)) //nolint:gosec // in the token directory
	if errors.Is(err, fs.ErrNotExist) {
		return idx, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxIndexFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxIndexFile {
		return nil, fmt.Errorf("%s: over %d bytes", f.Name(), maxIndexFile)
	}
	if err := json.Unmarshal(b, idx); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	if idx.Hosts == nil {
		idx.Hosts = map[string]*hostEntry{}
	}
	for _, h := range idx.Hosts {
		if h.Accounts == nil {
			h.Accounts = map[string]*accountEntry{}
		}
	}
	return idx, nil
}

// updateIndex changes the index of store's directory with edit under the store's lock, and
// writes it atomically (a temporary file renamed over it), readable by its owner only.
func updateIndex(ctx context.Context, store *kickauth.FileStore, edit func(*accountIndex) error) error {
	unlock, err := store.Lock(ctx, indexLockKey)
	if err != nil {
		return err
	}
	defer func() { _ = unlock() }()
	idx, err := loadIndex(store.Dir())
	if err != nil {
		return err
	}
	if err := edit(idx); err != nil {
		return err
	}
	b, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(store.Dir(), indexFile), append(b, '\n'))
}

// host returns the entry of host, adding it.
func (idx *accountIndex) host(host string) *hostEntry {
	h := idx.Hosts[host]
	if h == nil {
		h = &hostEntry{Accounts: map[string]*accountEntry{}}
		idx.Hosts[host] = h
	}
	return h
}

// hostNames are the index's hosts, sorted.
func (idx *accountIndex) hostNames() []string {
	names := make([]string, 0, len(idx.Hosts))
	for h := range idx.Hosts {
		names = append(names, h)
	}
	slices.Sort(names)
	return names
}

// accountNames are the host's accounts, sorted.
func (h *hostEntry) accountNames() []string {
	names := make([]string, 0, len(h.Accounts))
	for n := range h.Accounts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// remove drops an account; when it was the active one, another (the first by name) becomes active.
func (h *hostEntry) remove(account string) {
	delete(h.Accounts, account)
	if h.Active == account {
		h.Active = ""
		if names := h.accountNames(); len(names) > 0 {
			h.Active = names[0]
		}
	}
}
