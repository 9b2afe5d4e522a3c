package webhook_test

import (
	"context"
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
	"github.com/kick-sdk/kick-go/openapi"
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
	// fromSpec marks the example of a payload schema that has no file, which the seed corpora on
	// disk (TestFuzzCorpus) leave out until it has one.
	fromSpec bool
}

// fixtures reads headers.json and every payload it names, and adds, for each payload schema of
// the spec whose type no file of headers.json has, the schema's example (Kick's docs'), named
// <type>.json: an event needs no fixture file of its own. Drops claims, which Kick sends without
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
	typed := map[kick.EventType]bool{}
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
		typed[f.typ] = true
		out = append(out, f)
	}
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range doc.Components.Schemas {
		typ, version := ref.Value.Extensions["x-kick-event"], 1
		if drops, ok := ref.Value.Extensions["x-kick-webhook"]; ok {
			typ, version = drops, 0
		}
		name, ok := typ.(string)
		if !ok || typed[kick.EventType(name)] {
			continue
		}
		body, err := json.Marshal(ref.Value.Example)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fixture{name: name + ".json", typ: kick.EventType(name), version: version, body: body, fromSpec: true})
	}
	slices.SortFunc(out, func(a, b fixture) int { return strings.Compare(a.name, b.name) })
	return out
}
