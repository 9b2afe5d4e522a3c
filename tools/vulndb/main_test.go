package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestBuild(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "db")
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("GO-2026-0001.json", `{"id": "GO-2026-0001", "modified": "2026-01-02T00:00:00Z", "affected": [
		{"package": {"name": "stdlib"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.25.9"}, {"introduced": "1.26.0-0"}, {"fixed": "1.26.9"}]}]},
		{"package": {"name": "example.com/m"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}, {"introduced": "1.3.0"}]}]}]}`)
	write("GO-2026-0002.json", `{"id": "GO-2026-0002", "modified": "0001-01-01T00:00:00Z", "affected": [
		{"package": {"name": "stdlib"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}`)
	write("README.md", "not an advisory")
	commit := time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC)
	n, err := build(src, out, commit)
	if err != nil || n != 2 {
		t.Fatalf("build = %d, %v", n, err)
	}
	var db struct{ Modified time.Time }
	readJSON(t, filepath.Join(out, "index", "db.json"), &db)
	if !db.Modified.Equal(commit) {
		t.Errorf("db modified %v, want the later of the commit and the advisories", db.Modified)
	}
	var modules []moduleMeta
	readJSON(t, filepath.Join(out, "index", "modules.json"), &modules)
	want := map[string]map[string]string{
		"example.com/m": {"GO-2026-0001": ""}, // reintroduced after its fix: no fixed version
		"stdlib":        {"GO-2026-0001": "1.26.9", "GO-2026-0002": ""},
	}
	if len(modules) != len(want) || modules[0].Path != "example.com/m" {
		t.Fatalf("modules %+v", modules)
	}
	for _, m := range modules {
		for _, v := range m.Vulns {
			if fixed, ok := want[m.Path][v.ID]; !ok || fixed != v.Fixed {
				t.Errorf("%s %s fixed %q, want %q", m.Path, v.ID, v.Fixed, fixed)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "ID", "GO-2026-0002.json")); err != nil {
		t.Error(err)
	}

	write("GO-2026-0003.json", `{"id": "../GO-2026-0003"}`)
	if _, err := build(src, out, commit); err == nil {
		t.Error("an advisory whose id is not its file name was accepted")
	}
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(name) //nolint:gosec // a test's own temporary file
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
