package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// endless is an API whose every page has a new next cursor, as a server that loops does: it
// answers the client credentials grant too, and counts the pages it served.
type endless struct {
	*httptest.Server
	pages atomic.Int64
	// gate, when set, holds the answer of page 2 until it is closed.
	gate chan struct{}
}

// newEndless starts an endless API whose pages carry pad bytes of padding in a title.
func newEndless(t *testing.T, pad int) *endless {
	t.Helper()
	return newGatedEndless(t, pad, nil)
}

// newGatedEndless is newEndless whose page 2 waits for gate to close.
func newGatedEndless(t *testing.T, pad int, gate chan struct{}) *endless {
	t.Helper()
	e := &endless{gate: gate}
	title, _ := json.Marshal(strings.Repeat("x", pad)) // once: the pages differ in their ids alone
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/oauth/token" {
			_, _ = fmt.Fprint(w, `{"access_token":"app-token","token_type":"Bearer","expires_in":3600}`)
			return
		}
		n := e.pages.Add(1)
		if n == 2 && e.gate != nil {
			select {
			case <-e.gate:
			case <-r.Context().Done():
				return
			}
		}
		// A v2 livestream, with the id that identifies it (a page of items without one is refused).
		_, _ = fmt.Fprintf(w, `{"data":[{"id":"00000000-0000-4000-8000-%012d","broadcaster_user":{"user_id":%d},"channel":{"slug":"s%d"},"viewer_count":1,"title":`, n, n, n)
		_, _ = w.Write(title)
		_, _ = fmt.Fprintf(w, `}],"message":"OK","pagination":{"next_cursor":"cursor-%08d"}}`, n+1)
	}))
	t.Cleanup(e.Close)
	return e
}

// env points the CLI at the endless API, for the API and OAuth both, with app credentials.
func (e *endless) env(t *testing.T) []string {
	return cliEnv(t, "KICK_BASE_URL="+e.URL, "KICK_OAUTH_URL="+e.URL, "KICK_CLIENT_ID=id", "KICK_CLIENT_SECRET=secret")
}

// TestPaginateStopsAtMaxPages: kick api --paginate against a server whose cursors never end
// stops after --max-pages pages (1000 by default) with an error that says so, the pages printed.
func TestPaginateStopsAtMaxPages(t *testing.T) {
	t.Parallel()
	e := newEndless(t, 0)
	r := runCLI(t, e.env(t), "api", "GET", "/public/v2/livestreams", "--paginate", "--jq", ".data[0].broadcaster_user.user_id")
	wantCode(t, r, exitError)
	if got := e.pages.Load(); got != 1000 {
		t.Errorf("%d pages fetched, want the default --max-pages, 1000", got)
	}
	if n := strings.Count(r.stdout, "\n"); n != 1000 {
		t.Errorf("%d pages printed, want 1000", n)
	}
	if !strings.Contains(r.stderr, "stopped after 1000 pages (--max-pages)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	e = newEndless(t, 0)
	r = runCLI(t, e.env(t), "api", "GET", "/public/v2/livestreams", "--paginate", "--max-pages", "3", "--jq", ".data[0].broadcaster_user.user_id")
	wantCode(t, r, exitError)
	if r.stdout != "1\n2\n3\n" || e.pages.Load() != 3 {
		t.Errorf("--max-pages 3: %d pages fetched\n%s", e.pages.Load(), r)
	}

	// The list commands' --all stops there too, and says how to go on.
	e = newEndless(t, 0)
	r = runCLI(t, e.env(t), "livestreams", "list", "--all", "--max-pages", "4")
	wantCode(t, r, exitError)
	if e.pages.Load() != 4 || strings.Count(r.stdout, "\n") != 4 ||
		!strings.Contains(r.stderr, "To go on: kick livestreams list --max-pages 4 --cursor cursor-00000005") ||
		!strings.Contains(r.stderr, "stopped after 4 pages (--max-pages)") {
		t.Errorf("--all --max-pages 4: %d pages fetched\n%s", e.pages.Load(), r)
	}
	if r := runCLI(t, e.env(t), "livestreams", "list", "--all", "--max-pages", "0"); r.code != exitUsage {
		t.Errorf("--max-pages 0:\n%s", r)
	}
}

// TestSlurpIsCapped: --slurp holds the pages to print them as one array, up to a bound in bytes:
// past it the command fails, saying what to do, instead of growing without end.
func TestSlurpIsCapped(t *testing.T) {
	t.Parallel()
	e := newEndless(t, 1<<20)
	r := runCLI(t, e.env(t), "api", "GET", "/public/v2/livestreams", "--paginate", "--slurp", "--max-pages", "500")
	wantCode(t, r, exitError)
	if r.stdout != "" || !strings.Contains(r.stderr, "--slurp holds at most 32 MiB of pages") {
		t.Errorf("stdout %d bytes\nstderr:\n%s", len(r.stdout), r.stderr)
	}
	if n := e.pages.Load(); n > 34 {
		t.Errorf("%d pages of 1 MiB fetched for a 32 MiB cap", n)
	}
}

// TestAllStreams: with --all, a list printed as JSON (or tab-separated lines) is written page by
// page as the pages come, not held until the last: the first page is out while the second is
// still on its way.
func TestAllStreams(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"api", "GET", "/public/v2/livestreams", "--paginate", "--max-pages", "2"},
		{"livestreams", "list", "--all", "--max-pages", "2", "-o", "json"},
		{"livestreams", "list", "--all", "--max-pages", "2"},
	} {
		gate := make(chan struct{})
		e := newGatedEndless(t, 0, gate)
		p := startCLI(t, e.env(t), args...)
		first := p.line(t) // before the second page is answered
		close(gate)
		r := p.stop(t, syscall.Signal(0))
		if first == "" || r.code != exitError || !strings.Contains(r.stderr, "stopped after 2 pages") {
			t.Errorf("kick %s: first line %q\n%s", strings.Join(args, " "), first, r)
		}
	}
	// The JSON of --all, streamed, is byte for byte the JSON of the same list held (--limit).
	streamed := runCLI(t, newEndless(t, 0).env(t), "livestreams", "list", "--all", "--max-pages", "2", "-o", "json")
	held := runCLI(t, newEndless(t, 0).env(t), "livestreams", "list", "--limit", "2", "-o", "json")
	wantCode(t, held, 0)
	var page kick.Page[kick.Livestream]
	if err := jsonUnmarshalStrict(held.stdout, &page); err != nil || len(page.Items) != 2 || page.NextCursor != "cursor-00000003" {
		t.Errorf("held JSON: %+v %v\n%s", page, err, held)
	}
	if streamed.stdout != held.stdout {
		t.Errorf("streamed JSON:\n%s\nheld JSON:\n%s", streamed.stdout, held.stdout)
	}
}

// TestSignalStopsPaging: SIGTERM or Ctrl-C stop a command that pages: at once, and without
// printing what it held.
func TestSignalStopsPaging(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sig  os.Signal
		code int
		args []string
	}{
		{syscall.SIGTERM, exitTerm, []string{"api", "GET", "/public/v2/livestreams", "--paginate", "--slurp"}},
		{os.Interrupt, exitInterrupt, []string{"api", "GET", "/public/v2/livestreams", "--paginate", "--slurp"}},
		{syscall.SIGTERM, exitTerm, []string{"livestreams", "list", "--all"}}, // on a terminal: a table held to fit it
	} {
		e := newEndless(t, 0)
		p := startCLI(t, append(e.env(t), "KICK_FORCE_TTY=120"), tc.args...)
		deadline := time.Now().Add(30 * time.Second)
		for e.pages.Load() < 20 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		r := p.stop(t, tc.sig)
		if r.code != tc.code || r.stdout != "" {
			t.Errorf("kick %s, then %v: want exit %d and nothing printed\n%s", strings.Join(tc.args, " "), tc.sig, tc.code, r)
		}
	}
}

// TestBrokenAccountsFile: a null or malformed entry of accounts.json is an error naming the file,
// never a panic.
func TestBrokenAccountsFile(t *testing.T) {
	t.Parallel()
	for _, index := range []string{
		`{"version":1,"hosts":{"id.kick.com":null}}`,
		`{"version":1,"hosts":{"id.kick.com":{"active":"a","accounts":{"a":null}}}}`,
		`{"version":1,"hosts":{"id.kick.com":{"accounts":[]}}}`,
		`{"version":1,"hosts":{"id.kick.com":{"accounts":{"a":{"client_id":5}}}}}`,
		`[`,
	} {
		env := cliEnv(t, "KICK_CLIENT_ID=id")
		dir := envValue(env, envTokenDir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "accounts.json")
		writeFile(t, file, []byte(index))
		for _, args := range [][]string{{"auth", "list"}, {"auth", "status"}, {"users", "me"}, {"auth", "switch", "a"}} {
			r := runCLI(t, env, args...)
			if r.code != exitError || !strings.Contains(r.stderr, file) || strings.Contains(r.stderr, "panic") {
				t.Errorf("kick %s with %s:\n%s", strings.Join(args, " "), index, r)
			}
		}
	}
}

// TestRetriggerListened: a delivery that kick event listen received, and did not forward, is
// sent again to where it went: the listener.
func TestRetriggerListened(t *testing.T) {
	t.Parallel()
	env := cliEnv(t, "KICK_EVENT_DIR="+filepath.Join(t.TempDir(), "deliveries"))
	p := startCLI(t, env, "event", "listen", "--port", "0", "--dev-key")
	p.waitStderr(t, "Ready: listening on ")
	url := strings.Fields(strings.SplitN(p.stderr.String(), "Ready: listening on ", 2)[1])[0]
	url = strings.TrimSuffix(url, ",")
	r := runCLI(t, env, "event", "trigger", "channel.followed", "--to", url, "--no-save")
	wantCode(t, r, 0)
	first := p.line(t)
	id := strings.Fields(first)[3] // time, type, version, message id
	r = runCLI(t, env, "event", "retrigger", id)
	wantCode(t, r, 0)
	if !strings.HasPrefix(r.stdout, "200 OK "+url+" ") {
		t.Errorf("retrigger of a received delivery:\n%s", r)
	}
	if again := p.line(t); strings.Fields(again)[3] != id || !strings.Contains(again, "valid") {
		t.Errorf("the listener got %q, want %s again", again, id)
	}
	wantCode(t, p.stop(t, syscall.SIGTERM), 0)
}

// TestHintsMatchTheError: a 403 for a banned sender gets no hint about scopes; one for a missing
// scope does, naming it.
func TestHintsMatchTheError(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := mockEnv(t, srv)
	streamer, err := srv.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if err := streamer.Moderation.Ban(context.Background(), kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID,
		UserID: kicktest.Viewer.UserID, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	storeUserToken(t, env, srv.UserToken(kicktest.Viewer.UserID))
	r := runCLI(t, env, "chat", "send", "--broadcaster", "1001", "hello")
	if r.code != exitError || !strings.Contains(r.stderr, "banned") || strings.Contains(r.stderr, "scope") {
		t.Errorf("a banned sender:\n%s", r)
	}

	env = mockEnv(t, srv)
	storeUserToken(t, env, srv.UserToken(kicktest.Viewer.UserID, kick.ScopeUserRead))
	r = runCLI(t, env, "chat", "send", "--broadcaster", "1001", "hello")
	if r.code != exitError || !strings.Contains(r.stderr, "hint: ") || !strings.Contains(r.stderr, "chat:write") {
		t.Errorf("a missing scope:\n%s", r)
	}
}

// TestSyncFailedRows: a sync row whose action failed says failed in the table; in JSON, a
// kick.SyncResult, it has the error beside the action tried.
func TestSyncFailedRows(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t) // no webhook URL: Kick refuses to create
	env := mockEnv(t, srv)
	r := runCLI(t, env, "subscriptions", "sync", "--broadcaster", "1001", "--app", "channel.followed")
	wantCode(t, r, exitError)
	fields := strings.Split(strings.TrimSpace(r.stdout), "\t")
	if len(fields) < 3 || fields[0] != "channel.followed" || fields[2] != "failed" {
		t.Errorf("the failed row: %q\n%s", fields, r)
	}
	r = runCLI(t, env, "subscriptions", "sync", "--broadcaster", "1001", "--app", "channel.followed", "-o", "json")
	var rows struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows.Data) != 1 || rows.Data[0]["action"] != "created" ||
		rows.Data[0]["error"] == nil {
		t.Errorf("-o json: %v %+v\n%s", err, rows, r)
	}
}

// TestOneNounPerConcept: deliveries are 'kick event', subscriptions 'kick subscriptions'; the old
// 'kick events' still works, out of the help.
func TestOneNounPerConcept(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:1/unused"))
	env := mockEnv(t, srv)
	for _, args := range [][]string{
		{"subscriptions", "create", "--app", "--broadcaster", "1001", "chat.message.sent"},
		{"events", "subscribe", "--app", "--broadcaster", "1001", "channel.followed"},
	} {
		wantCode(t, runCLI(t, env, args...), 0, args...)
	}
	for _, args := range [][]string{{"subscriptions", "list"}, {"events", "list"}} {
		r := runCLI(t, env, args...)
		wantCode(t, r, 0, args...)
		if strings.Count(r.stdout, "\n") != 2 {
			t.Errorf("kick %s:\n%s", strings.Join(args, " "), r)
		}
	}
	help := runCLI(t, env, "--help")
	if !strings.Contains(help.stdout, "  subscriptions ") || strings.Contains(help.stdout, "  events ") {
		t.Errorf("kick --help:\n%s", help.stdout)
	}
}

// TestAPIOutputHelp: kick api prints JSON, and its help says so.
func TestAPIOutputHelp(t *testing.T) {
	t.Parallel()
	r := runCLI(t, cliEnv(t), "api", "--help")
	line := ""
	for l := range strings.SplitSeq(r.stdout, "\n") {
		if strings.Contains(l, "--output") {
			line = l
		}
	}
	if !strings.Contains(line, "(default json)") || strings.Contains(line, "table") {
		t.Errorf("kick api's -o: %q", line)
	}
}

// TestMockSurvivesAHandlerPanic: a --state whose livestream has no channel makes that handler
// panic; the mock answers 500, goes on answering the rest, and SIGTERM stops it.
func TestMockSurvivesAHandlerPanic(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	state := filepath.Join(t.TempDir(), "mock.json")
	_, mock := mockServe(t, env, "--state", state)
	wantCode(t, mock.stop(t, syscall.SIGTERM), 0)
	var saved map[string]any
	if err := json.Unmarshal(mustRead(t, state), &saved); err != nil {
		t.Fatal(err)
	}
	saved["livestreams"] = append(saved["livestreams"].([]any), map[string]any{
		"broadcaster": 999999, "id": "dangling", "started_at": "2025-01-01T00:00:00Z", "viewers": 1})
	b, _ := json.Marshal(saved)
	writeFile(t, state, b)

	info, mock := mockServe(t, env, "--state", state)
	menv := info.environ(env)
	r := runCLI(t, menv, "livestreams", "list", "--app")
	if r.code != exitError || !strings.Contains(r.stderr, "500") {
		t.Errorf("the panicking handler:\n%s", r)
	}
	wantCode(t, runCLI(t, menv, "categories", "list", "--app"), 0)
	wantCode(t, mock.stop(t, syscall.SIGTERM), 0)
}

// TestAPIRefusesTable: kick api -o table is refused before anything is sent; -o json is the
// default, as printed.
func TestAPIRefusesTable(t *testing.T) {
	t.Parallel()
	r := runCLI(t, cliEnv(t, "KICK_BASE_URL=http://127.0.0.1:1"), "api", "GET", "/x", "-o", "table")
	if r.code != exitUsage || !strings.Contains(r.stderr, "this command prints JSON: want json") {
		t.Errorf("kick api -o table:\n%s", r)
	}
}
