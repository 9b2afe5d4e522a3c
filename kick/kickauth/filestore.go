package kickauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/oauth2"
)

// FileStore is a TokenStore with one file per key in a directory: a JSON file readable by its
// owner alone (mode 0600, in a directory created with mode 0700), replaced atomically (written to
// a temporary file, synced, renamed over the old one), so a crash leaves the old token or the new
// one, never a torn file.
//
// FileStore implements Locker with a lock file per key (the token file's name with ".lock"): on
// Linux, macOS and the BSDs an flock(2) lock, which other processes respect, so processes sharing
// the directory refresh a token once between them; elsewhere (Windows, Solaris, illumos, AIX,
// Plan 9, WebAssembly) a lock within this process only, and processes must not share a
// directory. Lock files are never removed: removing one could let two processes hold "the" lock
// at once.
//
// A temporary file left by a crash is ignored by Load and removed by a later Save once it is
// ten minutes old.
type FileStore struct {
	dir   string
	locks keyLocks

	// Test hooks, set before use.
	write        func(f *os.File, b []byte) error // writes the temporary file
	beforeRename func(tmp string) error           // runs after the temporary file is complete
}

// staleTemp is the age after which a temporary file is taken for a crash's leftover: no Save
// takes that long.
const staleTemp = 10 * time.Minute

// fileVersion is the version of the file format.
const fileVersion = 1

// NewFileStore returns a FileStore keeping tokens in dir, creating it (mode 0700) if needed. Use
// a directory of its own, such as DefaultFileStoreDir, never a working directory shared with
// other files.
//
// On Unix systems it refuses a directory that other users could write to, since another user could
// put a token file of theirs in it: one writable by its group or by others, or owned by another
// user. Only dir itself is checked, not its parents.
func NewFileStore(dir string) (*FileStore, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("kickauth: token directory: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("kickauth: token directory: %w", err)
	}
	if err := checkDir(abs); err != nil {
		return nil, fmt.Errorf("kickauth: token directory: %w", err)
	}
	return &FileStore{dir: abs}, nil
}

// maxTokenFile bounds the size of a token file Load reads; FileStore writes well under 1 KiB.
const maxTokenFile = 64 << 10

// DefaultFileStoreDir returns the directory "kick-go/tokens" under the user's configuration
// directory (os.UserConfigDir), such as ~/.config/kick-go/tokens on Linux.
func DefaultFileStoreDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("kickauth: %w", err)
	}
	return filepath.Join(base, "kick-go", "tokens"), nil
}

// Dir returns the store's directory.
func (s *FileStore) Dir() string { return s.dir }

// Path returns the file that holds key's token: in the store's directory whatever the key, named
// "token-" + the key with characters other than [A-Za-z0-9._-] replaced by "_" (at most 64 of
// them) + "-" + 16 hex digits of the key's SHA-256 + ".json". The hash keeps keys that sanitize
// alike, or differ only in case, in different files.
func (s *FileStore) Path(key string) string {
	return filepath.Join(s.dir, fileBase(key)+".json")
}

func fileBase(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := make([]byte, 0, 64)
	for i := 0; i < len(key) && len(name) < 64; i++ {
		c := key[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
			name = append(name, c)
		default:
			name = append(name, '_')
		}
	}
	return "token-" + string(name) + "-" + hex.EncodeToString(sum[:8])
}

// fileRecord is the content of a token file.
type fileRecord struct {
	Version      int       `json:"version"`
	Key          string    `json:"key"`
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	Scope        string    `json:"scope,omitempty"`
	SavedAt      time.Time `json:"saved_at"`
}

func (r *fileRecord) token() *oauth2.Token {
	tok := &oauth2.Token{AccessToken: r.AccessToken, TokenType: r.TokenType, RefreshToken: r.RefreshToken, Expiry: r.Expiry}
	if r.Scope != "" {
		tok = tok.WithExtra(map[string]any{"scope": r.Scope})
	}
	return tok
}

// String describes the record without its tokens.
func (r *fileRecord) String() string {
	return fmt.Sprintf("kickauth.fileRecord{Key: %q, Token: %s}", r.Key, describeToken(r.token()))
}

// GoString is String.
func (r *fileRecord) GoString() string { return r.String() }

// Format prints String for every verb.
func (r *fileRecord) Format(f fmt.State, verb rune) { writeRedacted(f, verb, r.String()) }

// LogValue logs the key and the token without its secrets.
func (r *fileRecord) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key", r.Key), slog.Any("token", tokenLogValue(r.token())))
}

// Load reads key's token file. A missing file is ErrNoToken; a file that does not parse, holds
// another key's token, is not a regular file (a symbolic link is not followed) or is larger than
// 64 KiB is an error.
func (s *FileStore) Load(_ context.Context, key string) (*oauth2.Token, error) {
	path := s.Path(key)
	b, err := readTokenFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w under key %q", ErrNoToken, key)
	}
	if err != nil {
		return nil, fmt.Errorf("kickauth: load token: %w", err)
	}
	var r fileRecord
	if err := json.Unmarshal(b, &r); err != nil {
		// The error of encoding/json may quote the file's content: leave it out.
		return nil, fmt.Errorf("kickauth: load token: %s is not a token file", path)
	}
	if r.Version != fileVersion || r.Key != key || r.AccessToken == "" {
		return nil, fmt.Errorf("kickauth: load token: %s does not hold a version %d token of key %q", path, fileVersion, key)
	}
	return r.token(), nil
}

// readTokenFile reads a token file: not through a symbolic link, and at most maxTokenFile bytes.
func readTokenFile(path string) ([]byte, error) {
	f, err := openNoFollow(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxTokenFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxTokenFile)
	}
	return b, nil
}

// Save writes tok to key's file atomically, with mode 0600, and syncs it to disk before it
// returns. It refuses, leaving the stored token alone, a token that Load would not give back as
// saved: one whose file would be larger than 64 KiB, or with a field that is not valid UTF-8
// (JSON would replace the invalid bytes).
func (s *FileStore) Save(_ context.Context, key string, tok *oauth2.Token) error {
	if err := checkSave(tok); err != nil {
		return err
	}
	for _, f := range [...]struct{ name, v string }{{"key", key}, {"access token", tok.AccessToken},
		{"token type", tok.TokenType}, {"refresh token", tok.RefreshToken}, {"scope", tokenScope(tok)}} {
		if !utf8.ValidString(f.v) {
			return fmt.Errorf("kickauth: save token of key %q: the %s is not valid UTF-8, which a token file cannot hold", key, f.name)
		}
	}
	b, err := json.MarshalIndent( //nolint:gosec // storing the token is this file's purpose (mode 0600)
		&fileRecord{Version: fileVersion, Key: key, AccessToken: tok.AccessToken,
			TokenType: tok.TokenType, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry, Scope: tokenScope(tok),
			SavedAt: time.Now().UTC()}, "", "  ")
	if err != nil {
		return fmt.Errorf("kickauth: save token: %w", err)
	}
	b = append(b, '\n')
	if len(b) > maxTokenFile {
		return fmt.Errorf("kickauth: save token of key %q: the file would be %d bytes, over the %d Load reads", key, len(b), maxTokenFile)
	}
	base := fileBase(key)
	if err := s.writeAtomic(base, b); err != nil {
		return fmt.Errorf("kickauth: save token of key %q: %w", key, err)
	}
	s.removeStaleTemps(base)
	return nil
}

func (s *FileStore) writeAtomic(base string, b []byte) (err error) {
	f, err := os.CreateTemp(s.dir, base+".json.tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	write := s.write
	if write == nil {
		write = func(f *os.File, b []byte) error { _, err := f.Write(b); return err }
	}
	if err := write(f, b); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if s.beforeRename != nil {
		if err := s.beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, base+".json")); err != nil {
		return err
	}
	return syncDir(s.dir)
}

// removeStaleTemps removes the temporary files of base that a crash left behind.
func (s *FileStore) removeStaleTemps(base string) {
	matches, _ := filepath.Glob(filepath.Join(s.dir, base+".json.tmp-*"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) > staleTemp {
			_ = os.Remove(m)
		}
	}
}

// Delete removes key's token file, if any.
func (s *FileStore) Delete(_ context.Context, key string) error {
	if err := os.Remove(s.Path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("kickauth: delete token: %w", err)
	}
	return nil
}

// Lock holds the lock of key: within the process, and across processes where the system
// supports it (see FileStore).
func (s *FileStore) Lock(ctx context.Context, key string) (func() error, error) {
	unlockHere, err := s.locks.lock(ctx, key)
	if err != nil {
		return nil, err
	}
	unlockFile, err := lockFile(ctx, filepath.Join(s.dir, fileBase(key)+".lock"))
	if err != nil {
		unlockHere()
		return nil, fmt.Errorf("kickauth: lock token of key %q: %w", key, err)
	}
	var once sync.Once
	return func() error {
		err := errors.New("kickauth: lock released twice")
		once.Do(func() { err = unlockFile(); unlockHere() })
		return err
	}, nil
}

// String names the store's directory.
func (s *FileStore) String() string { return fmt.Sprintf("kickauth.FileStore{Dir: %q}", s.dir) }
