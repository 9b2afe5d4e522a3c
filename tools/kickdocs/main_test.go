package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/openapi"
)

// kickdocs on its fixture tree (testdata/tree, a KickDevDocs-style markdown copy) and its fixture
// llms-full.txt reports each kind of difference it looks for: this is what CI runs.
func TestFixtures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		docs string
		want []string
	}{
		{"testdata/tree", []string{
			"operations in the docs, not in the spec (1):\n  GET /public/v1/widgets (apis/channels.md:19)\n",
			"operations in the spec, not in the docs (",
			"  POST /public/v1/ads/ad-break (startAdBreak)\n",
			"parameters and scopes of an operation that differ (1):\n  GET /public/v1/channels (getChannels, apis/channels.md:5): in the docs only: nickname; in the spec only: slug\n",
			"scopes in the docs, not in the spec (1):\n  widgets:read (scopes/scopes.md:7)\n",
			"scopes in the spec, not in the docs (",
			"  ads:write (UserAccessToken)\n",
			"event types in the docs, not in the spec (1):\n  channel.raided (events/event-types.md:6)\n",
			"event types in the spec, not in the docs (",
			"  kicks.gifted (EventName)\n",
			"limits the docs state and the spec does not (1):\n  apis/chat.md:7: \"up to 600\" for POST /public/v1/chat (sendChatMessage): the spec states no 600 for it\n",
		}},
		{"testdata/llms-full.txt", []string{
			"operations in the docs, not in the spec (1):\n  POST /public/v1/clips (llms-full.txt:17)\n",
			"parameters and scopes of an operation that differ (1):\n  GET /public/v1/users/livestreams (getUsersLivestreams): the docs ask for scope livestreams:read, the spec does not\n",
			"scopes in the docs, not in the spec (1):\n  livestreams:read (llms-full.txt:11)\n",
			"event types in the docs, not in the spec (1):\n  stream.hosted (llms-full.txt:24)\n",
			"limits the docs state and the spec does not (1):\n  llms-full.txt:11: \"maxItems 150\" for GET /public/v1/users/livestreams (getUsersLivestreams): the spec states no 150 for it\n",
		}},
	} {
		t.Run(tc.docs, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if code := run([]string{tc.docs}, &stdout, &stderr); code != 1 {
				t.Errorf("exit %d, want 1 (differences); stderr %s", code, stderr.String())
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("the report lacks\n%s\n---- report:\n%s", want, stdout.String())
				}
			}
			checkCounts(t, stdout.String())
		})
	}
}

// checkCounts checks that each section of a report lists as many items as its heading counts: the
// sections of what the spec has and the fixture lacks grow with the spec, so their counts are not
// fixed above.
func checkCounts(t *testing.T, report string) {
	t.Helper()
	sections := 0
	for _, block := range strings.Split(report, "\n\n") {
		heading, items, ok := strings.Cut(block, ":\n")
		open := strings.LastIndex(heading, "(")
		if !ok || open < 0 || !strings.HasSuffix(heading, ")") {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(heading[open:], "(%d)", &n); err != nil {
			continue
		}
		sections++
		if got := len(strings.Split(strings.TrimRight(items, "\n"), "\n")); got != n {
			t.Errorf("%s lists %d items", heading, got)
		}
	}
	if sections < 3 {
		t.Errorf("the report has %d counted sections:\n%s", sections, report)
	}
}

// A copy of the docs that says what the spec says — every operation, its parameters in a table,
// every scope and event type, a limit the spec states — gives no difference and exit 0: what
// kickdocs reads is not noise.
func TestFaithfulCopyAgrees(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var api strings.Builder
	api.WriteString("# API\n\n")
	for _, path := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
		for method, op := range doc.Paths.Value(path).Operations() {
			fmt.Fprintf(&api, "## %s\n\n{%% openapi-operation spec=\"kick-dev-api\" path=\"%s\" method=\"%s\" %%}\n{%% endopenapi-operation %%}\n\n",
				op.OperationID, path, strings.ToLower(method))
		}
	}
	api.WriteString("## Channels\n\n`GET` `/public/v1/channels`\n\nUp to 50 ids.\n\n| Name | Type |\n| --- | --- |\n| `broadcaster_user_id` | integer |\n| `slug` | string |\n\n")
	api.WriteString("## Authorize\n\n`GET` `https://id.kick.com/oauth/authorize`\n")
	var scopes strings.Builder
	scopes.WriteString("# Scopes\n\n| Scope | Description |\n| --- | --- |\n")
	for name := range doc.Components.SecuritySchemes["UserAccessToken"].Value.Flows.AuthorizationCode.Scopes {
		fmt.Fprintf(&scopes, "| `%s` | x |\n", name)
	}
	var events strings.Builder
	events.WriteString("# Webhook Payloads\n\n")
	for _, e := range doc.Components.Schemas["EventName"].Value.Enum {
		fmt.Fprintf(&events, "- Kick-Event-Type: \"%s\"\n", e)
	}
	for name, text := range map[string]string{"api.md": api.String(), "scopes.md": scopes.String(), "events.md": events.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{dir}, &stdout, &stderr); code != 0 {
		t.Errorf("exit %d on a faithful copy:\n%s%s", code, stdout.String(), stderr.String())
	}
}

// Bad arguments and unreadable docs are errors (exit 2), not differences.
func TestUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"a", "b"}, {"-nope", "x"}, {"testdata/no-such-dir"}, {"-spec", "no-such-spec.yaml", "testdata/tree"}, {t.TempDir()}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
