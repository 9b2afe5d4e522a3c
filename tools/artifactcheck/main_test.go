package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// git runs git in dir, with no user or system configuration.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// pe returns the start of a minimal PE executable: MZ, and at 0x3c the offset of "PE\0\0".
func pe() []byte {
	b := make([]byte, 0x90)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3c:], 0x80)
	copy(b[0x80:], "PE\x00\x00")
	return b
}

func TestCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	big := bytes.Repeat([]byte("x"), 1<<20+1)
	files := []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{"README.md", []byte("# hello\n"), 0o644},
		{"script.sh", []byte("#!/bin/sh\necho hi\n"), 0o755},                        // executable text: fine
		{"bot", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 600)...), 0o755}, // go build ./examples/bot
		{"dist/kick-darwin", []byte{0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1}, 0o644},     // Mach-O, executable bit or not
		{"dist/kick.exe", pe(), 0o644},
		{"web/app.wasm", []byte("\x00asm\x01\x00\x00\x00"), 0o644},
		{"lib/libx.a", []byte("!<arch>\nfoo.o/\n"), 0o644},
		{"tools/blob", []byte("data\x00\x01\x02"), 0o755}, // executable bit and not text
		{"image.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), 0o644},
		{"MZ.txt", []byte("MZ is a text file that starts with MZ\n"), 0o644},
		{"openapi/huge.json", big, 0o644},
		{"exactly.bin", big[:1<<20], 0o644},
		{"kick/testdata/huge.json", big, 0o644},
		{"testdata/deep/er/huge.json", big, 0o644},
		{"not-testdata/huge.json", big, 0o644},
		{"ignored-binary", []byte("\x7fELF"), 0o755}, // not added: untracked files do not count
	}
	for _, f := range files {
		name := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, f.data, f.mode); err != nil {
			t.Fatal(err)
		}
		if f.name != "ignored-binary" {
			git(t, dir, "add", f.name)
		}
	}
	// A symbolic link is not a file of the repository's own, whatever it points at.
	if err := os.Symlink("bot", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "link")
	// What counts is the index: a binary staged, then deleted from the working tree, is found.
	if err := os.Remove(filepath.Join(dir, "bot")); err != nil {
		t.Fatal(err)
	}

	got, err := check(t.Context(), dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"bot: an executable binary (ELF)",
		"dist/kick-darwin: an executable binary (Mach-O)",
		"dist/kick.exe: an executable binary (PE)",
		"lib/libx.a: an executable binary (ar archive)",
		"not-testdata/huge.json: 1048577 bytes, over the 1048576-byte limit for a file outside testdata",
		"openapi/huge.json: 1048577 bytes, over the 1048576-byte limit for a file outside testdata",
		"tools/blob: an executable binary (executable bit, not text)",
		"web/app.wasm: an executable binary (WebAssembly)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	// Removed from the index, the binary no longer counts.
	git(t, dir, "rm", "-q", "--cached", "bot", "dist/kick-darwin", "dist/kick.exe", "lib/libx.a", "not-testdata/huge.json", "openapi/huge.json", "tools/blob", "web/app.wasm")
	if got, err := check(t.Context(), dir, 1<<20); err != nil || len(got) != 0 {
		t.Errorf("after git rm --cached: %q %v", got, err)
	}
}

func TestCheckOutsideARepository(t *testing.T) {
	t.Parallel()
	if _, err := check(t.Context(), t.TempDir(), 1<<20); err == nil || !strings.Contains(err.Error(), "git ls-files") {
		t.Errorf("check outside a repository: %v", err)
	}
}
