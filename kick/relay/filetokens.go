package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// maxTokenFile bounds the token file read: a hundred thousand tokens.
const maxTokenFile = 64 << 20

// FileTokens is a TokenStore in a JSON file (mode 0600), for one relay: `kick relay token`
// writes it while `kick relay serve` runs, and the relay sees the change at the next lookup. A
// write replaces the file atomically (a new file renamed over the old one), so a reader sees the
// old set or the new one. Writers in several processes at once are not coordinated: the last
// one wins.
type FileTokens struct {
	path string

	mu     sync.Mutex
	stamp  fileStamp
	grants map[string]Grant // the file's content at stamp
}

type fileStamp struct {
	mod  time.Time
	size int64
	ino  any // os.FileInfo.Sys(): a renamed-over file differs even with the same time and size
}

// tokenFile is the file's JSON.
type tokenFile struct {
	Tokens []tokenEntry `json:"tokens"`
}

type tokenEntry struct {
	Digest string `json:"sha256"`
	Grant  Grant  `json:"grant"`
}

// NewFileTokens returns the store in the file at path; the file need not exist yet.
func NewFileTokens(path string) *FileTokens { return &FileTokens{path: path} }

// load reads the file if it changed since the last read; f.mu is held.
func (f *FileTokens) load() error {
	fi, err := os.Stat(f.path) //nolint:gosec // the operator's file
	if errors.Is(err, fs.ErrNotExist) {
		f.grants, f.stamp = map[string]Grant{}, fileStamp{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("relay: token file: %w", err)
	}
	st := fileStamp{mod: fi.ModTime(), size: fi.Size(), ino: inode(fi)}
	if f.grants != nil && st == f.stamp {
		return nil
	}
	if fi.Size() > maxTokenFile {
		return fmt.Errorf("relay: token file %s is larger than %d bytes", f.path, maxTokenFile)
	}
	b, err := os.ReadFile(f.path) //nolint:gosec // the operator's file
	if err != nil {
		return fmt.Errorf("relay: token file: %w", err)
	}
	var tf tokenFile
	if err := json.Unmarshal(b, &tf); err != nil {
		return fmt.Errorf("relay: token file %s: %w", f.path, err)
	}
	grants := make(map[string]Grant, len(tf.Tokens))
	for _, t := range tf.Tokens {
		grants[t.Digest] = t.Grant
	}
	f.grants, f.stamp = grants, st
	return nil
}

// save writes grants to a new file and renames it over the old one; f.mu is held.
func (f *FileTokens) save(grants map[string]Grant) error {
	tf := tokenFile{Tokens: make([]tokenEntry, 0, len(grants))}
	for d, g := range grants {
		tf.Tokens = append(tf.Tokens, tokenEntry{d, g})
	}
	slices.SortFunc(tf.Tokens, func(a, b tokenEntry) int { return compareGrants(a.Grant, b.Grant) })
	b, err := json.MarshalIndent(tf, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(f.path, append(b, '\n')); err != nil {
		return fmt.Errorf("relay: token file: %w", err)
	}
	f.grants = nil // read back at the next use, with the new file's stamp
	return nil
}

// writeFileAtomic writes b to a temporary file beside path, syncs it and renames it to path.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// Add implements TokenStore.
func (f *FileTokens) Add(_ context.Context, digest string, g Grant) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return err
	}
	grants := make(map[string]Grant, len(f.grants)+1)
	for d, h := range f.grants {
		grants[d] = h
	}
	grants[digest] = g
	return f.save(grants)
}

// Lookup implements TokenStore.
func (f *FileTokens) Lookup(_ context.Context, digest string) (Grant, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return Grant{}, err
	}
	g, ok := f.grants[digest]
	if !ok {
		return Grant{}, ErrUnknownToken
	}
	return g, nil
}

// List implements TokenStore.
func (f *FileTokens) List(context.Context) ([]Grant, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return nil, err
	}
	return sortGrants(f.grants), nil
}

// Revoke implements TokenStore.
func (f *FileTokens) Revoke(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return err
	}
	grants := make(map[string]Grant, len(f.grants))
	found := false
	for d, g := range f.grants {
		if g.ID == id {
			found = true
			continue
		}
		grants[d] = g
	}
	if !found {
		return fmt.Errorf("%w: %q", ErrUnknownToken, id)
	}
	return f.save(grants)
}
