package kickauth_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// store is what both stores implement.
type store interface {
	kickauth.TokenStore
	kickauth.Locker
	Delete(ctx context.Context, key string) error
}

func newFileStore(t *testing.T) *kickauth.FileStore {
	t.Helper()
	s, err := kickauth.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testToken(n int) *oauth2.Token {
	tok := &oauth2.Token{AccessToken: fmt.Sprintf("access-%d", n), TokenType: "Bearer",
		RefreshToken: fmt.Sprintf("refresh-%d", n), Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	return tok.WithExtra(map[string]any{"scope": "user:read chat:write"})
}

// tokenFields is what a store must keep of a token.
type tokenFields struct {
	AccessToken, TokenType, RefreshToken, Scope string
	Expiry                                      time.Time
}

func fields(tok *oauth2.Token) tokenFields {
	scope, _ := tok.Extra("scope").(string)
	return tokenFields{tok.AccessToken, tok.TokenType, tok.RefreshToken, scope, tok.Expiry.UTC()}
}

func TestStores(t *testing.T) {
	t.Parallel()
	for name, newStore := range map[string]func(*testing.T) store{
		"memory": func(*testing.T) store { return kickauth.NewMemoryStore() },
		"file":   func(t *testing.T) store { return newFileStore(t) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testStore(t, newStore(t))
		})
	}
}

func testStore(t *testing.T, s store) {
	ctx := t.Context()
	key, other := kickauth.StoreKey("client", "alice"), kickauth.StoreKey("client", "bob")
	if _, err := s.Load(ctx, key); !errors.Is(err, kickauth.ErrNoToken) {
		t.Fatalf("Load of a missing key: %v, want ErrNoToken", err)
	}
	if err := s.Save(ctx, key, &oauth2.Token{RefreshToken: "r"}); err == nil {
		t.Error("saved a token without an access token")
	}
	tok := testToken(1)
	if err := s.Save(ctx, key, tok); err != nil {
		t.Fatal(err)
	}
	tok.AccessToken = "changed after Save"
	got, err := s.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fields(testToken(1)), fields(got)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if err := s.Save(ctx, key, testToken(2)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Load(ctx, key); got.AccessToken != "access-2" {
		t.Errorf("after a second Save, Load = %v", kickauth.Redact(got))
	}
	if _, err := s.Load(ctx, other); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("another key: %v, want ErrNoToken", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, key); !errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("Load after Delete: %v, want ErrNoToken", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Errorf("Delete of a missing key: %v", err)
	}

	// Lock is exclusive per key.
	unlock, err := s.Lock(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := s.Lock(short, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second Lock of a held key: %v, want DeadlineExceeded", err)
	}
	unlockOther, err := s.Lock(ctx, other)
	if err != nil {
		t.Fatalf("Lock of another key: %v", err)
	}
	_ = unlockOther()
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	unlock, err = s.Lock(ctx, key)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	_ = unlock()

	// Concurrent use.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			k := kickauth.StoreKey("client", fmt.Sprint(i%3))
			unlock, err := s.Lock(ctx, k)
			if err != nil {
				t.Error(err)
				return
			}
			defer func() { _ = unlock() }()
			if err := s.Save(ctx, k, testToken(i)); err != nil {
				t.Error(err)
			}
			if _, err := s.Load(ctx, k); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestStoreKey(t *testing.T) {
	t.Parallel()
	if got := kickauth.StoreKey("01JQB", "1234"); got != "01JQB/1234" {
		t.Errorf("StoreKey = %q", got)
	}
	if kickauth.StoreKey("a/b", "c") == kickauth.StoreKey("a", "b/c") {
		t.Error("different pairs give the same key")
	}
}

func TestFileStoreFiles(t *testing.T) {
	t.Parallel()
	s := newFileStore(t)
	ctx := t.Context()
	keys := []string{"../../etc/passwd", "/abs/path", `C:\x`, "a\x00b", "..", "", "CLIENT/User", "client/user",
		strings.Repeat("long", 100), kickauth.StoreKey("01JQB", "1234")}
	paths := map[string]bool{}
	for i, key := range keys {
		p := s.Path(key)
		if filepath.Dir(p) != s.Dir() {
			t.Errorf("Path(%q) = %q, outside %q", key, p, s.Dir())
		}
		if name := filepath.Base(p); !strings.HasPrefix(name, "token-") || len(name) > 100 {
			t.Errorf("Path(%q) = %q", key, p)
		}
		if paths[p] {
			t.Errorf("two keys share %q", p)
		}
		paths[p] = true
		if err := s.Save(ctx, key, testToken(i)); err != nil {
			t.Fatalf("Save(%q): %v", key, err)
		}
	}
	for i, key := range keys {
		if got, err := s.Load(ctx, key); err != nil || got.AccessToken != testToken(i).AccessToken {
			t.Errorf("Load(%q) = %v, %v", key, kickauth.Redact(got), err)
		}
	}
	if got := filepath.Base(s.Path(kickauth.StoreKey("01JQB", "1234"))); !strings.HasPrefix(got, "token-01JQB_1234-") {
		t.Errorf("file name %q does not show the key", got)
	}

	if runtime.GOOS != "windows" {
		fi, err := os.Stat(s.Path(keys[0]))
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("token file mode %v, want 0600", mode)
		}
		dir := filepath.Join(t.TempDir(), "new", "tokens")
		if _, err := kickauth.NewFileStore(dir); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("new directory: %v, %v; want mode 0700", fi.Mode(), err)
		}
	}
}

func TestFileStoreRejectsBadFiles(t *testing.T) {
	t.Parallel()
	s := newFileStore(t)
	ctx := t.Context()
	key := kickauth.StoreKey("client", "alice")
	if err := os.WriteFile(s.Path(key), []byte(`{"access_token": "half-written-secret`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load(ctx, key)
	if err == nil || errors.Is(err, kickauth.ErrNoToken) {
		t.Errorf("Load of a torn file: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "half-written-secret") {
		t.Errorf("error quotes the file: %v", err)
	}
	// A file moved to another key's name is not that key's token.
	if err := s.Save(ctx, "bob", testToken(1)); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(s.Path("bob"), s.Path(key)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, key); err == nil {
		t.Error("Load returned another key's token")
	}
}

// FileStore refuses at Save what Load would refuse: a token whose file would exceed the 64 KiB
// Load reads, or one that would not read back as saved. The token already there stays.
func TestFileStoreSavesOnlyWhatLoadReads(t *testing.T) {
	t.Parallel()
	s := newFileStore(t)
	ctx := t.Context()
	key := kickauth.StoreKey("client", "alice")
	if err := s.Save(ctx, key, testToken(1)); err != nil {
		t.Fatal(err)
	}
	big := testToken(2)
	big.AccessToken = strings.Repeat("a", 70<<10)
	// Just under the limit saves and loads back.
	fits := testToken(3)
	fits.AccessToken = strings.Repeat("b", 60<<10)
	invalidUTF8 := testToken(4)
	invalidUTF8.RefreshToken = "refresh-\xff"
	for name, tok := range map[string]*oauth2.Token{"70 KiB access token": big, "invalid UTF-8": invalidUTF8} {
		err := s.Save(ctx, key, tok)
		if err == nil {
			_, lerr := s.Load(ctx, key)
			t.Errorf("%s: Save succeeded; Load then says %v", name, lerr)
			continue
		}
		if strings.Contains(err.Error(), "aaaa") || strings.Contains(err.Error(), "refresh-") {
			t.Errorf("%s: the error quotes the token: %.80s", name, err)
		}
		got, err := s.Load(ctx, key)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(fields(testToken(1)), fields(got)); diff != "" {
			t.Errorf("%s: the refused save changed the stored token (-want +got):\n%s", name, diff)
		}
	}
	if err := s.Save(ctx, key, fits); err != nil {
		t.Fatalf("a 60 KiB token: %v", err)
	}
	got, err := s.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fields(fits), fields(got)); diff != "" {
		t.Errorf("a 60 KiB token did not load back (-want +got):\n%s", diff)
	}
}

// temps lists the temporary files in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A write that fails halfway, or a failure before the rename, leaves the old token in place and
// no temporary file behind.
func TestFileStoreFailedWrite(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	key := kickauth.StoreKey("client", "alice")
	for name, hook := range map[string]func(*kickauth.FileStore){
		"write fails halfway": func(s *kickauth.FileStore) {
			kickauth.SetWriteHook(s, func(f *os.File, b []byte) error {
				_, _ = f.Write(b[:len(b)/2])
				return errors.New("disk full")
			})
		},
		"failure before rename": func(s *kickauth.FileStore) {
			kickauth.SetBeforeRenameHook(s, func(string) error { return errors.New("power cut") })
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newFileStore(t)
			if err := s.Save(ctx, key, testToken(1)); err != nil {
				t.Fatal(err)
			}
			hook(s)
			if err := s.Save(ctx, key, testToken(2)); err == nil {
				t.Fatal("Save succeeded")
			}
			got, err := s.Load(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fields(testToken(1)), fields(got)); diff != "" {
				t.Errorf("old token (-want +got):\n%s", diff)
			}
			if tmp := temps(t, s.Dir()); len(tmp) != 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
		})
	}
}

// A process killed between writing the temporary file and renaming it leaves the old token
// intact; the leftover temporary file is ignored, and removed once stale.
func TestFileStoreCrashBeforeRename(t *testing.T) {
	t.Parallel()
	s := newFileStore(t)
	ctx := t.Context()
	key := kickauth.StoreKey("client", "alice")
	if err := s.Save(ctx, key, testToken(1)); err != nil {
		t.Fatal(err)
	}
	cmd := helperCommand(t, "crash-before-rename", "KICKAUTH_DIR="+s.Dir(), "KICKAUTH_KEY="+key)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("helper: %v, want exit status 3; output:\n%s", err, out)
	}
	tmp := temps(t, s.Dir())
	if len(tmp) != 1 {
		t.Fatalf("temporary files after the crash: %v, want 1", tmp)
	}
	got, err := s.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fields(testToken(1)), fields(got)); diff != "" {
		t.Errorf("token after the crash (-want +got):\n%s", diff)
	}
	// A fresh leftover may belong to a Save in progress: it stays. A stale one goes.
	if err := s.Save(ctx, key, testToken(3)); err != nil {
		t.Fatal(err)
	}
	if left := temps(t, s.Dir()); len(left) != 1 {
		t.Errorf("fresh leftover removed: %v", left)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(tmp[0], old, old); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, key, testToken(4)); err != nil {
		t.Fatal(err)
	}
	if left := temps(t, s.Dir()); len(left) != 0 {
		t.Errorf("stale leftover kept: %v", left)
	}
}

// FileStore's lock excludes other processes: a child cannot take it while the parent holds it,
// and can once the parent lets go.
func TestFileStoreLockAcrossProcesses(t *testing.T) {
	t.Parallel()
	if !kickauth.CrossProcessLocks {
		t.Skip("FileStore locks within the process only on " + runtime.GOOS)
	}
	s := newFileStore(t)
	key := kickauth.StoreKey("client", "alice")
	tryLock := func() int {
		cmd := helperCommand(t, "try-lock", "KICKAUTH_DIR="+s.Dir(), "KICKAUTH_KEY="+key)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit) && exit.ExitCode() == 4:
			return 4
		}
		t.Fatalf("helper: %v; output:\n%s", err, out)
		return -1
	}
	unlock, err := s.Lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	if got := tryLock(); got != 4 {
		t.Errorf("child took the lock the parent holds")
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if got := tryLock(); got != 0 {
		t.Errorf("child could not take a free lock")
	}
}
