//go:build unix

package kickauth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// TestFileStoreRefusesUnsafeDirectory: a token directory that other users can write to (or that
// belongs to another user) is refused, since another user could put a token file of theirs in
// it.
func TestFileStoreRefusesUnsafeDirectory(t *testing.T) {
	t.Parallel()
	for _, mode := range []os.FileMode{0o777, 0o770, 0o722, os.ModeSticky | 0o777} {
		dir := filepath.Join(t.TempDir(), "tokens")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := kickauth.NewFileStore(dir); err == nil || !strings.Contains(err.Error(), "writable") {
			t.Errorf("mode %o: err = %v, want a refusal", mode, err)
		}
	}
	for _, mode := range []os.FileMode{0o700, 0o750, 0o755} {
		dir := filepath.Join(t.TempDir(), "tokens")
		if err := os.Mkdir(dir, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := kickauth.NewFileStore(dir); err != nil {
			t.Errorf("mode %o: %v", mode, err)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("changing a directory's owner needs root")
	}
	dir := filepath.Join(t.TempDir(), "tokens")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if _, err := kickauth.NewFileStore(dir); err == nil || !strings.Contains(err.Error(), "owned by") {
		t.Errorf("a directory of uid 65534: err = %v, want a refusal", err)
	}
}

// TestFileStoreFollowsNoSymlink: a symbolic link in the token directory, as the lock file or the
// token file, is not followed: the lock does not create its target, and Load does not read
// another file as the token.
func TestFileStoreFollowsNoSymlink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "tokens")
	store, err := kickauth.NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	const key = "app:alice"
	lockPath := strings.TrimSuffix(store.Path(key), ".json") + ".lock"
	target := filepath.Join(t.TempDir(), "created-by-the-lock")
	if err := os.Symlink(target, lockPath); err != nil {
		t.Fatal(err)
	}
	if unlock, err := store.Lock(ctx, key); err == nil {
		_ = unlock()
		t.Errorf("Lock through a symlink succeeded")
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the symlink's target exists after Lock: %v", err)
	}

	// Another store's token file of the same key, linked in.
	elsewhere, err := kickauth.NewFileStore(filepath.Join(t.TempDir(), "other"))
	if err != nil {
		t.Fatal(err)
	}
	if err := elsewhere.Save(ctx, key, &oauth2.Token{AccessToken: "planted", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere.Path(key), store.Path(key)); err != nil {
		t.Fatal(err)
	}
	if tok, err := store.Load(ctx, key); err == nil {
		t.Errorf("Load through a symlink read %s", kickauth.Redact(tok))
	}
	// Save replaces the link itself, never the file it points to.
	if err := store.Save(ctx, key, &oauth2.Token{AccessToken: "mine"}); err != nil {
		t.Fatal(err)
	}
	if tok, err := elsewhere.Load(ctx, key); err != nil || tok.AccessToken != "planted" {
		t.Errorf("the linked file changed: %v", err)
	}
	if tok, err := store.Load(ctx, key); err != nil || tok.AccessToken != "mine" {
		t.Errorf("Load after Save: %v", err)
	}
}
