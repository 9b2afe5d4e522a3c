package webhook_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// fixtureDir holds the payloads of Kick's docs, one file per example, and headers.json.
const fixtureDir = "../../testdata/webhooks"

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is one payload file of testdata/webhooks with the headers Kick sends it with.
type fixture struct {
	name    string // path relative to fixtureDir
	typ     kick.EventType
	version int // 0 for a Drops claim
	body    []byte
}

// fixtures reads headers.json and every payload it names. Drops claims, which Kick sends without
// type and version, get EventDropsClaim.
func fixtures(t testing.TB) []fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, "headers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var index map[string]struct{ Type, Version string }
	if err := json.Unmarshal(data, &index); err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for name, h := range index {
		body, err := os.ReadFile(filepath.Join(fixtureDir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		version, err := strconv.Atoi(h.Version)
		if err != nil && h.Version != "" {
			t.Fatalf("%s: version %q", name, h.Version)
		}
		f := fixture{name: name, typ: kick.EventType(h.Type), version: version, body: body}
		if f.typ == "" {
			f.typ = webhook.EventDropsClaim
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b fixture) int { return strings.Compare(a.name, b.name) })
	return out
}
