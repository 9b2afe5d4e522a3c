package main

import (
	"context"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/openapi"
)

// kickNames fails the test for every key of v (decoded JSON) that the spec's schema does not
// name, at any depth: the output speaks Kick's names, not Go's.
func kickNames(t *testing.T, where string, s *openapi3.Schema, v any) {
	t.Helper()
	if s == nil {
		return
	}
	props := map[string]*openapi3.SchemaRef{}
	var items *openapi3.SchemaRef
	var collect func(s *openapi3.Schema)
	collect = func(s *openapi3.Schema) {
		for name, p := range s.Properties {
			props[name] = p
		}
		if s.Items != nil {
			items = s.Items
		}
		for _, sub := range append(append(s.AllOf, s.OneOf...), s.AnyOf...) {
			collect(sub.Value)
		}
	}
	collect(s)
	switch v := v.(type) {
	case map[string]any:
		if len(props) == 0 {
			return // a free-form object
		}
		for k, val := range v {
			p, ok := props[k]
			if !ok {
				t.Errorf("%s: key %q is not one of Kick's (%s)", where, k, strings.Join(sortedNames(props), ", "))
				continue
			}
			kickNames(t, where+"."+k, p.Value, val)
		}
	case []any:
		if items != nil {
			for i, val := range v {
				kickNames(t, where+"["+strconv.Itoa(i)+"]", items.Value, val)
			}
		}
	}
}

func sortedNames(m map[string]*openapi3.SchemaRef) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TestJSONHasKickNames: -o json of every command that prints Kick's data decodes with Kick's
// property names: a list is {"data": [...]} (with "next_cursor" when there is a next page) of
// the spec's items, a single item the spec's object.
func TestJSONHasKickNames(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	schema := func(name string) *openapi3.Schema {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			t.Fatalf("no schema %s in the spec", name)
		}
		return ref.Value
	}
	srv := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:1/unused"))
	env := mockEnv(t, srv)
	storeUserToken(t, env, srv.UserToken(kicktest.Streamer.UserID))
	wantCode(t, runCLI(t, env, "subscriptions", "create", "--app", "--broadcaster", "1001", "channel.followed"), 0)

	for _, tt := range []struct {
		args   []string
		list   bool   // {"data": [...]} of the schema's items
		schema string // the item's (or the object's) schema
	}{
		{[]string{"users", "get", "1001", "1002"}, true, "User"},
		{[]string{"users", "me"}, false, "User"},
		{[]string{"channels", "get", "1001"}, true, "Channel"},
		{[]string{"channels", "me"}, false, "Channel"},
		{[]string{"livestreams", "list", "--limit", "2"}, true, "Livestream"},
		{[]string{"categories", "list", "--limit", "2"}, true, "Category"},
		{[]string{"categories", "get", "15"}, false, "Category"},
		{[]string{"chat", "send", "hi"}, false, "SentChatMessage"},
		{[]string{"subscriptions", "list"}, true, "EventSubscription"},
		{[]string{"subscriptions", "create", "--app", "--broadcaster", "1001", "chat.message.sent"}, true, "EventSubscriptionResult"},
		{[]string{"auth", "introspect"}, false, "TokenIntrospection"},
		{[]string{"api", "GET", "/public/v1/users", "-f", "id=1001"}, false, "UserList"},
	} {
		name := strings.Join(tt.args, " ")
		r := runCLI(t, env, append(tt.args, "-o", "json")...)
		wantCode(t, r, 0, tt.args...)
		var v any
		if err := jsonUnmarshalStrict(r.stdout, &v); err != nil {
			t.Errorf("kick %s -o json: %v\n%s", name, err, r)
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("kick %s -o json: a %T, want an object", name, v)
			continue
		}
		if !tt.list {
			kickNames(t, "kick "+name, schema(tt.schema), obj)
			continue
		}
		data, ok := obj["data"].([]any)
		if !ok || len(data) == 0 {
			t.Errorf("kick %s -o json: no data list:\n%s", name, r.stdout)
		}
		for k := range obj {
			if k != "data" && k != "next_cursor" {
				t.Errorf("kick %s -o json: key %q beside data", name, k)
			}
		}
		for i, item := range data {
			kickNames(t, "kick "+name+" .data["+strconv.Itoa(i)+"]", schema(tt.schema), item)
		}
	}
}

func TestJQAndTemplate(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"users", "get", "1001", "1002", "--jq", ".data[].name"}, "kickgo_streamer\nkickgo_viewer\n"},
		{[]string{"users", "get", "1001", "-q", ".data[0] | {id: .user_id, name}"}, "{\n  \"id\": 1001,\n  \"name\": \"kickgo_streamer\"\n}\n"},
		{[]string{"users", "get", "1001", "1002", "--jq", ".data | length"}, "2\n"},
		{[]string{"users", "get", "1001", "1002", "--template", `{{range .data}}{{.user_id}}={{.name}} {{end}}`}, "1001=kickgo_streamer 1002=kickgo_viewer "},
		{[]string{"users", "get", "1001", "1002", "-t", `{{join "," (pluck "name" .data)}}`}, "kickgo_streamer,kickgo_viewer"},
		{[]string{"api", "GET", "/public/v1/users", "-f", "id=1002", "--jq", ".data[0].name"}, "kickgo_viewer\n"},
		{[]string{"categories", "get", "15", "--template", `{{.name | upper}}`}, "JUST CHATTING"},
	} {
		r := runCLI(t, env, tt.args...)
		wantCode(t, r, 0, tt.args...)
		if diff := cmp.Diff(tt.want, r.stdout); diff != "" {
			t.Errorf("kick %s (-want +got):\n%s", strings.Join(tt.args, " "), diff)
		}
	}
	// A runtime error of the expression: exit 1, as JSON on stderr.
	r := runCLI(t, env, "users", "get", "1001", "--jq", ".data | error(\"boom\")")
	wantCode(t, r, exitError)
	if !strings.Contains(r.stderr, `"message":"--jq: error: boom"`) {
		t.Errorf("a failing --jq:\n%s", r)
	}
}

// shellWords splits a command line as a POSIX shell does, for the quoting shellQuote writes.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quotes in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// TestPaginationHintRunsAsPrinted: the "More results" command, run as printed, returns the next
// page of the same query: its filters, page size and token choice kept.
func TestPaginationHintRunsAsPrinted(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	c, err := srv.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	params := kick.LivestreamListParams{Languages: []string{"en"}, Limit: 1}
	var want []kick.Livestream
	for s, err := range c.Livestreams.All(context.Background(), params) {
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, s)
	}
	if len(want) < 3 {
		t.Fatalf("kicktest has %d streams in English; the test needs 3", len(want))
	}
	args := []string{"livestreams", "list", "--language", "en", "--page-size", "1", "--app", "--base-url", srv.APIBaseURL}
	var got []string
	for page := 0; page < len(want); page++ {
		r := runCLI(t, env, args...)
		wantCode(t, r, 0, args...)
		got = append(got, strings.Split(strings.TrimSpace(r.stdout), "\t")[0])
		hint, ok := strings.CutPrefix(strings.TrimSpace(r.stderr), "More results: ")
		if page == len(want)-1 {
			if ok {
				t.Errorf("a hint after the last page: %s", r.stderr)
			}
			break
		}
		if !ok {
			t.Fatalf("page %d: no hint:\n%s", page+1, r)
		}
		words := shellWords(t, hint)
		if words[0] != "kick" || !strings.Contains(hint, "--language en") || !strings.Contains(hint, "--page-size 1") || !strings.Contains(hint, " --app ") {
			t.Errorf("the hint drops the query: %s", hint)
		}
		args = words[1:]
	}
	var wantIDs []string
	for _, s := range want {
		wantIDs = append(wantIDs, strconv.Itoa(int(s.Broadcaster.UserID)))
	}
	if diff := cmp.Diff(wantIDs, got); diff != "" {
		t.Errorf("the pages of the hints (-want +got):\n%s", diff)
	}
}

// TestAllShowsProgress: --all shows its progress on a terminal's stderr, and nothing when piped.
func TestAllShowsProgress(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	r := runCLI(t, append(env, "KICK_FORCE_TTY=120"), "livestreams", "list", "--all", "--page-size", "2", "--app")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "\rFetched 2 streams (1 page)…") || !strings.Contains(r.stderr, "\rFetched 4 streams (2 pages)…") ||
		!strings.HasSuffix(r.stderr, "\r\x1b[K") {
		t.Errorf("progress on a terminal: %q", r.stderr)
	}
	r = runCLI(t, env, "livestreams", "list", "--all", "--page-size", "2", "--app")
	wantCode(t, r, 0)
	if r.stderr != "" {
		t.Errorf("progress when piped: %q", r.stderr)
	}
}

// TestAPIPaginate: kick api --paginate follows Kick's cursors, page by page or slurped.
func TestAPIPaginate(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	c, err := srv.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range c.Livestreams.All(context.Background(), kick.LivestreamListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	var sizes []string
	for left := n; left > 0; left -= 2 {
		sizes = append(sizes, strconv.Itoa(min(left, 2)))
	}
	before := srv.Requests("listLivestreams")
	r := runCLI(t, env, "api", "GET", "/public/v2/livestreams", "-f", "limit=2", "--paginate", "--jq", ".data | length", "--app")
	wantCode(t, r, 0)
	if diff := cmp.Diff(strings.Join(sizes, "\n")+"\n", r.stdout); diff != "" {
		t.Errorf("--paginate, page sizes (-want +got):\n%s", diff)
	}
	if got := srv.Requests("listLivestreams") - before; got != len(sizes) {
		t.Errorf("%d requests for %d pages", got, len(sizes))
	}
	r = runCLI(t, env, "api", "GET", "/public/v2/livestreams?limit=2", "--paginate", "--slurp", "--jq", "map(.data | length) | add", "--app")
	wantCode(t, r, 0)
	if r.stdout != strconv.Itoa(n)+"\n" {
		t.Errorf("--slurp: %q, want %d", r.stdout, n)
	}
	r = runCLI(t, env, "api", "GET", "/public/v2/livestreams", "-f", "limit=2", "--paginate", "--app")
	wantCode(t, r, 0)
	if strings.Count(r.stdout, "\"data\": [") != len(sizes) {
		t.Errorf("--paginate without --jq prints each page:\n%s", r.stdout)
	}
	if r := runCLI(t, env, "api", "POST", "/public/v1/chat", "--paginate"); r.code != exitUsage {
		t.Errorf("--paginate of a POST:\n%s", r)
	}
}

// TestInterrupt: Ctrl-C ends a command with exit status 130; SIGTERM with 143, except the
// servers, which SIGTERM stops normally.
func TestInterrupt(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	for sig, code := range map[os.Signal]int{os.Interrupt: exitInterrupt, syscall.SIGTERM: exitTerm} {
		p := startCLI(t, env, "auth", "login", "--print-url", "--port", "0")
		p.line(t) // the URL: it waits for the redirect now
		r := p.stop(t, sig)
		wantCode(t, r, code)
	}
	p := startCLI(t, env, "event", "listen", "--port", "0", "--no-save")
	p.waitStderr(t, "Ready: listening on")
	wantCode(t, p.stop(t, syscall.SIGTERM), 0)
}
