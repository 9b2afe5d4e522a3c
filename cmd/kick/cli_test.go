package main

import (
	"bytes"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

// commandPaths lists every command of the tree, such as ["users", "get"].
func commandPaths(c *command, prefix []string) [][]string {
	var paths [][]string
	for _, s := range c.subs {
		p := append(slices.Clone(prefix), s.name)
		paths = append(paths, p)
		paths = append(paths, commandPaths(s, p)...)
	}
	return paths
}

func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	paths := append([][]string{{}}, commandPaths(rootCommand(), nil)...)
	for i, path := range paths {
		name := strings.Join(append([]string{"kick"}, path...), " ")
		// -h and --help alternate, and a global flag comes first on every other command.
		flag := []string{"--help", "-h"}[i%2]
		args := append(slices.Clone(path), flag)
		if i%4 < 2 {
			args = append([]string{"--app"}, args...)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, env, args...)
			wantCode(t, r, 0, args...)
			if !strings.HasPrefix(r.stdout, "Usage:\n  "+name+" ") {
				t.Errorf("%s %s: stdout does not start with its usage line:\n%s", name, flag, r.stdout)
			}
			if !strings.Contains(r.stdout, "--base-url") {
				t.Errorf("%s %s: the help lists no global flags:\n%s", name, flag, r.stdout)
			}
			if r.stderr != "" {
				t.Errorf("%s %s: stderr %q, want none", name, flag, r.stderr)
			}
		})
	}
}

func TestHelpCommand(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	r := runCLI(t, env, "help")
	wantCode(t, r, 0, "help")
	for _, want := range []string{"KICK_CLIENT_ID", "KICK_BASE_URL", "Exit status:", "mock", "auth", "api"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("kick help does not mention %s:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, env, "help", "users", "get")
	wantCode(t, r, 0, "help", "users", "get")
	if !strings.HasPrefix(r.stdout, "Usage:\n  kick users get ID... [flags]") {
		t.Errorf("kick help users get:\n%s", r.stdout)
	}
	r = runCLI(t, env, "help", "nope")
	wantCode(t, r, 2, "help", "nope")
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	secretFile := filepath.Join(t.TempDir(), "secret")
	writeFile(t, secretFile, []byte("b\n"))
	tests := []struct {
		args []string
		want string // the first line of stderr
	}{
		{nil, `kick: missing command: auth, api, users, channels, livestreams, categories, chat, events, event, mock, version`},
		{[]string{"nope"}, `kick: unknown command "nope" for "kick"`},
		{[]string{"--nope"}, `kick: unknown flag: -nope`},
		{[]string{"users"}, `kick users: missing command: get, me`},
		{[]string{"users", "nope"}, `kick users: unknown command "nope" for "kick users"`},
		{[]string{"users", "get"}, `kick users get: missing argument ID`},
		{[]string{"users", "get", "x1"}, `kick users get: invalid user id "x1": want a positive integer`},
		{[]string{"users", "get", "-5"}, `kick users get: unknown flag: -5`},
		{[]string{"users", "get", "1", "--bogus"}, `kick users get: unknown flag: -bogus`},
		{[]string{"users", "get", "1", "-o", "yaml"}, `kick users get: invalid value "yaml" for flag -o: want table or json`},
		{[]string{"users", "me", "extra"}, `kick users me: unexpected argument "extra"`},
		{[]string{"channels", "get"}, `kick channels get: missing argument: give broadcaster user ids or --slug`},
		{[]string{"livestreams", "list", "--limit", "5000"}, `kick livestreams list: invalid --limit 5000: want 1 to 1000`},
		{[]string{"livestreams", "list", "--category", "x"}, `kick livestreams list: invalid value "x" for flag -category: not a positive integer id: "x"`},
		{[]string{"categories", "get"}, `kick categories get: missing argument ID`},
		{[]string{"chat", "send"}, `kick chat send: missing argument TEXT`},
		{[]string{"chat", "send", "--bot", "--broadcaster", "5", "hi"}, `kick chat send: --bot always posts to the logged-in user's channel: drop --broadcaster`},
		{[]string{"events", "subscribe", "chat.nope"}, `kick events subscribe: unknown event type "chat.nope"; want one of: ` + eventTypeNames() + `, all`},
		{[]string{"events", "unsubscribe"}, `kick events unsubscribe: missing argument ID`},
		{[]string{"api"}, `kick api: missing argument METHOD`},
		{[]string{"api", "GET"}, `kick api: missing argument PATH`},
		{[]string{"api", "FETCH", "/x"}, `kick api: invalid METHOD "FETCH": want GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS`},
		{[]string{"api", "GET", "public/v1/users"}, `kick api: invalid PATH "public/v1/users": want a path starting with /, such as /public/v1/users`},
		{[]string{"api", "GET", "/x", "-f", "novalue"}, `kick api: invalid value "novalue" for flag -f: want key=value`},
		{[]string{"api", "GET", "/x", "-H", "NoColon"}, `kick api: invalid header "NoColon": want "Name: value"`},
		{[]string{"auth", "login", "--scopes", "chat:read"}, `kick auth login: unknown scope "chat:read"; want some of: ` + scopeNames(kick.AllScopes) + `, all`},
		{[]string{"auth", "login", "--port", "1", "--redirect-uri", "http://localhost:1/cb"}, `kick auth login: give --port or --redirect-uri, not both`},
		{[]string{"auth", "login", "--redirect-uri", "http://example.com:1/cb", "--client-id", "a", "--client-secret-file", secretFile}, `kick auth login: invalid redirect URI "http://example.com:1/cb": the host must be 127.0.0.1, localhost or [::1]`},
		{[]string{"auth", "revoke", "--app"}, `kick auth revoke: app tokens are not stored: revoke one with --token (kick auth token --app | kick auth revoke --token -)`},
		{[]string{"event", "trigger"}, `kick event trigger: missing argument TYPE`},
		{[]string{"event", "trigger", "chat.message.sent"}, `kick event trigger: missing --to URL`},
		{[]string{"event", "trigger", "chat.message.sent", "--to", "ftp://x"}, `kick event trigger: invalid --to "ftp://x": want an http or https URL`},
		{[]string{"event", "verify"}, `kick event verify: missing --headers FILE and --body FILE`},
		{[]string{"event", "verify", "--headers", "h", "--body", "b", "--dev-key", "--kick-key"}, `kick event verify: give one of --kick-key, --dev-key and --public-key`},
		{[]string{"event", "verify", "--headers", "h", "--body", "b", "--at", "yesterday"}, `kick event verify: invalid --at "yesterday": want an RFC 3339 time such as 2025-01-14T16:08:06Z`},
		{[]string{"--base-url", "api.kick.com", "users", "get", "1"}, `kick users get: invalid --base-url "api.kick.com": want an http or https URL`},
		{[]string{"version", "now"}, `kick version: unexpected argument "now"`},
	}
	for _, tt := range tests {
		r := runCLI(t, env, tt.args...)
		if r.code != 2 {
			t.Errorf("kick %s: exit %d, want 2\n%s", strings.Join(tt.args, " "), r.code, r)
			continue
		}
		lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
		if diff := cmp.Diff(tt.want, lines[0]); diff != "" {
			t.Errorf("kick %s: stderr's first line (-want +got):\n%s", strings.Join(tt.args, " "), diff)
		}
		if len(lines) != 2 || !strings.HasPrefix(lines[1], "Run '") {
			t.Errorf("kick %s: stderr has no usage hint after the message:\n%s", strings.Join(tt.args, " "), r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("kick %s: stdout %q, want none", strings.Join(tt.args, " "), r.stdout)
		}
	}
}

func TestParseInterspersed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args     []string
		wantPos  []string
		wantFlag string
		wantBool bool
	}{
		{[]string{"a", "-s", "x", "b"}, []string{"a", "b"}, "x", false},
		{[]string{"-b", "a", "--s=y"}, []string{"a"}, "y", true},
		{[]string{"a", "--", "-s", "z"}, []string{"a", "-s", "z"}, "", false},
		{[]string{"-", "a"}, []string{"-", "a"}, "", false},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		s := fs.String("s", "", "")
		b := fs.Bool("b", false, "")
		pos, err := parseInterspersed(fs, tt.args)
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if diff := cmp.Diff(tt.wantPos, pos); diff != "" {
			t.Errorf("%q: positional arguments (-want +got):\n%s", tt.args, diff)
		}
		if *s != tt.wantFlag || *b != tt.wantBool {
			t.Errorf("%q: -s %q -b %v, want %q %v", tt.args, *s, *b, tt.wantFlag, tt.wantBool)
		}
	}
}

func TestGlobalFlagsBeforeAndAfterTheCommand(t *testing.T) {
	t.Parallel()
	// The in-process run shows which settings the command saw.
	for _, args := range [][]string{
		{"--base-url", "http://a.test", "--account", "bob", "version"},
		{"version", "--base-url", "http://a.test", "--account=bob"},
	} {
		a := newApp(strings.NewReader(""), new(bytes.Buffer), new(bytes.Buffer), func(string) string { return "" })
		if err := a.root.execute(t.Context(), a, []string{"kick"}, args); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if a.g.baseURL.value != "http://a.test" || a.g.account.value != "bob" {
			t.Errorf("%q: base URL %q, account %q", args, a.g.baseURL.value, a.g.account.value)
		}
	}
}

func TestEnvironmentAndFlagPrecedence(t *testing.T) {
	t.Parallel()
	env := map[string]string{envBaseURL: "http://env.test", envClientID: "env-id", envAccount: "envacct"}
	getenv := func(k string) string { return env[k] }
	a := newApp(strings.NewReader(""), new(bytes.Buffer), new(bytes.Buffer), getenv)
	if err := a.root.execute(t.Context(), a, []string{"kick"}, []string{"version", "--client-id", "flag-id"}); err != nil {
		t.Fatal(err)
	}
	got := []string{a.g.baseURL.value, a.g.oauthURL.value, a.g.clientID.value, a.g.account.value}
	want := []string{"http://env.test", "https://id.kick.com", "flag-id", "envacct"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
}

func TestSecretNotInHelp(t *testing.T) {
	t.Parallel()
	r := runCLI(t, cliEnv(t, "KICK_CLIENT_SECRET=s3cr3t-value", "KICK_CLIENT_ID=id"), "users", "get", "--help", "--client-secret", "other-s3cr3t")
	wantCode(t, r, 0)
	if strings.Contains(r.stdout, "s3cr3t") {
		t.Errorf("the help shows the client secret:\n%s", r.stdout)
	}
}
