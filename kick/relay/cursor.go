package relay

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// CursorStore keeps a consumer's cursor, the ID of the last record it processed, so that it
// resumes there after a restart. The package has MemoryCursors and FileCursors; package
// kickredis has one on Redis. Implementations must be safe for concurrent use.
type CursorStore interface {
	// Load returns the cursor saved under key; ok is false when there is none.
	Load(ctx context.Context, key string) (id ID, ok bool, err error)
	// Save saves id under key.
	Save(ctx context.Context, key string, id ID) error
}

// MemoryCursors is a CursorStore in memory: a consumer resumes across reconnections, not
// across restarts.
type MemoryCursors struct {
	mu sync.Mutex
	m  map[string]ID
}

// NewMemoryCursors returns an empty MemoryCursors.
func NewMemoryCursors() *MemoryCursors { return &MemoryCursors{m: map[string]ID{}} }

// Load implements CursorStore.
func (m *MemoryCursors) Load(_ context.Context, key string) (ID, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.m[key]
	return id, ok, nil
}

// Save implements CursorStore.
func (m *MemoryCursors) Save(_ context.Context, key string, id ID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = id
	return nil
}

// FileCursors is a CursorStore in a directory, one small file per key, each replaced atomically
// (written beside and renamed) on Save. A consumer killed at any point finds the last cursor
// saved. The files are not synced to disk on every Save: after a crash of the machine itself a
// cursor may be a few records behind, and those records come again — the consumer's dedup Store
// skips them when it outlives the crash, as a Redis one does.
type FileCursors struct {
	dir string
}

// NewFileCursors returns the store in dir, created (mode 0700) on the first Save.
func NewFileCursors(dir string) *FileCursors { return &FileCursors{dir: dir} }

// path is the file of key: a digest, so that any key is a safe file name.
func (f *FileCursors) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(f.dir, "cursor-"+hex.EncodeToString(sum[:12]))
}

// Load implements CursorStore.
func (f *FileCursors) Load(_ context.Context, key string) (ID, bool, error) {
	b, err := os.ReadFile(f.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return ID{}, false, nil
	}
	if err != nil {
		return ID{}, false, fmt.Errorf("relay: loading cursor: %w", err)
	}
	id, err := ParseID(strings.TrimSpace(string(b)))
	if err != nil {
		return ID{}, false, fmt.Errorf("relay: loading cursor from %s: %w", f.path(key), err)
	}
	return id, true, nil
}

// Save implements CursorStore.
func (f *FileCursors) Save(_ context.Context, key string, id ID) error {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("relay: saving cursor: %w", err)
	}
	tmp, err := os.CreateTemp(f.dir, ".cursor-*")
	if err != nil {
		return fmt.Errorf("relay: saving cursor: %w", err)
	}
	_, err = tmp.WriteString(id.String() + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path(key))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("relay: saving cursor: %w", err)
	}
	return nil
}
