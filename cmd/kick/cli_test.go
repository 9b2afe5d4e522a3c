package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
)

// commandPaths lists every command of the tree but cobra's own, such as ["users", "get"].
func commandPaths(c *cobra.Command, prefix []string) [][]string {
	var paths [][]string
	for _, s := range c.Commands() {
		if s.Hidden || s.Name() == "help" {
			continue
		}
		p := append(slices.Clone(prefix), s.Name())
		paths = append(paths, p)
		paths = append(paths, commandPaths(s, p)...)
	}
	return paths
}

func testApp(getenv func(string) string) *app {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return newApp(strings.NewReader(""), new(bytes.Buffer), new(bytes.Buffer), getenv)
}

func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	paths := append([][]string{{}}, commandPaths(testApp(nil).root, nil)...)
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
			if !strings.Contains(r.stdout, "\nUsage:\n  "+name) {
				t.Errorf("%s %s: stdout has no usage line:\n%s", name, flag, r.stdout)
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

// TestNoArgumentsPrintsHelp: kick alone, and a group alone, print their help and exit 0, as gh.
func TestNoArgumentsPrintsHelp(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	r := runCLI(t, env)
	wantCode(t, r, 0)
	for _, want := range []string{"Usage:\n  kick [flags]\n  kick [command]", "KICK_CLIENT_ID", "Exit status:", "  mock ", "  auth ", "  api ", "  completion "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("kick alone does not print %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, env, "users")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "Usage:\n  kick users [flags]\n  kick users [command]") || !strings.Contains(r.stdout, "  get ") {
		t.Errorf("kick users:\n%s", r)
	}
}

func TestHelpCommand(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	r := runCLI(t, env, "help", "users", "get")
	wantCode(t, r, 0, "help", "users", "get")
	if !strings.Contains(r.stdout, "Usage:\n  kick users get ID... [flags]") {
		t.Errorf("kick help users get:\n%s", r.stdout)
	}
	r = runCLI(t, env, "help", "usres")
	wantCode(t, r, 2, "help", "usres")
	if !strings.HasPrefix(r.stderr, `kick help: unknown command "usres" for "kick"; did you mean users?`) {
		t.Errorf("kick help usres:\n%s", r.stderr)
	}
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
		{[]string{"usres"}, `kick: unknown command "usres" for "kick"; did you mean users?`},
		{[]string{"nope"}, `kick: unknown command "nope" for "kick"`},
		{[]string{"--nope"}, `kick: unknown flag: --nope`},
		{[]string{"users", "gett"}, `kick users: unknown command "gett" for "kick users"; did you mean get?`},
		{[]string{"event", "lisen"}, `kick event: unknown command "lisen" for "kick event"; did you mean listen?`},
		{[]string{"users", "get"}, `kick users get: missing argument ID`},
		{[]string{"users", "get", "x1"}, `kick users get: invalid user id "x1": want a positive integer`},
		{[]string{"users", "get", "-5"}, `kick users get: unknown shorthand flag: '5' in -5`},
		{[]string{"users", "get", "1", "--outptu", "json"}, `kick users get: unknown flag: --outptu; did you mean --output?`},
		{[]string{"users", "get", "1", "-o", "yaml"}, `kick users get: invalid argument "yaml" for "-o, --output" flag: want table or json`},
		{[]string{"users", "me", "extra"}, `kick users me: unexpected argument "extra"`},
		{[]string{"channels", "get"}, `kick channels get: missing argument: give broadcaster user ids or --slug`},
		{[]string{"livestreams", "list", "--limit", "-3"}, `kick livestreams list: invalid --limit -3: want a positive number`},
		{[]string{"livestreams", "list", "--limit", "3", "--all"}, `kick livestreams list: if any flags in the group [limit all] are set none of the others can be; [all limit] were all set`},
		{[]string{"livestreams", "list", "--category", "x"}, `kick livestreams list: invalid argument "x" for "--category" flag: want a positive integer id`},
		{[]string{"livestreams", "list", "--broadcaster", "5"}, `kick livestreams list: unknown flag: --broadcaster`},
		{[]string{"categories", "get"}, `kick categories get: missing argument ID`},
		{[]string{"chat", "send"}, `kick chat send: missing argument TEXT`},
		{[]string{"chat", "send", "--bot", "--broadcaster", "5", "hi"}, `kick chat send: if any flags in the group [bot broadcaster] are set none of the others can be; [bot broadcaster] were all set`},
		{[]string{"subscriptions", "create", "chat.nope"}, `kick subscriptions create: unknown event type "chat.nope"; want one of: ` + eventTypeNames() + `, all`},
		{[]string{"subscriptions", "delete"}, `kick subscriptions delete: missing argument ID`},
		{[]string{"api"}, `kick api: missing argument METHOD`},
		{[]string{"api", "GET"}, `kick api: missing argument PATH`},
		{[]string{"api", "FETCH", "/x"}, `kick api: invalid METHOD "FETCH": want GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS`},
		{[]string{"api", "GET", "public/v1/users"}, `kick api: invalid PATH "public/v1/users": want a path starting with /, such as /public/v1/users`},
		{[]string{"api", "GET", "/x", "-f", "novalue"}, `kick api: invalid argument "novalue" for "-f, --raw-field" flag: want key=value`},
		{[]string{"api", "GET", "/x", "-H", "NoColon"}, `kick api: invalid header "NoColon": want "Name: value"`},
		{[]string{"auth", "login", "--scopes", "chat:read"}, `kick auth login: unknown scope "chat:read"; want some of: ` + scopeNames(kick.AllScopes) + `, all`},
		{[]string{"auth", "login", "--port", "1", "--redirect-uri", "http://localhost:1/cb"}, `kick auth login: if any flags in the group [port redirect-uri] are set none of the others can be; [port redirect-uri] were all set`},
		{[]string{"auth", "login", "--redirect-uri", "http://example.com:1/cb", "--client-id", "a", "--client-secret-file", secretFile}, `kick auth login: invalid redirect URI "http://example.com:1/cb": the host must be 127.0.0.1, localhost or [::1]`},
		{[]string{"auth", "revoke", "--app"}, `kick auth revoke: app tokens are not stored: revoke one with --token-file (kick auth token --app | kick auth revoke --token-file -)`},
		{[]string{"auth", "switch", "a", "b"}, `kick auth switch: unexpected argument "b"`},
		{[]string{"event", "trigger"}, `kick event trigger: missing argument TYPE`},
		{[]string{"event", "trigger", "chat.message.sent"}, `kick event trigger: missing --to URL (or point KICK_BASE_URL at a 'kick mock serve' whose webhook URL is set, as 'kick event listen' does)`},
		{[]string{"event", "trigger", "chat.message.sent", "--to", "ftp://x"}, `kick event trigger: invalid --to "ftp://x": want an http or https URL`},
		{[]string{"event", "trigger", "chat.message.sent", "--count", "0"}, `kick event trigger: invalid --count 0: want 1 to 1000`},
		{[]string{"event", "verify"}, `kick event verify: missing ID, or --headers FILE and --body FILE`},
		{[]string{"event", "verify", "--headers", "h"}, `kick event verify: if any flags in the group [headers body] are set they must all be set; missing [body]`},
		{[]string{"event", "verify", "--headers", "h", "--body", "b", "--dev-key", "--kick-key"}, `kick event verify: if any flags in the group [public-key kick-key dev-key] are set none of the others can be; [dev-key kick-key] were all set`},
		{[]string{"event", "verify", "--headers", "h", "--body", "b", "--at", "yesterday"}, `kick event verify: invalid --at "yesterday": want an RFC 3339 time such as 2025-01-14T16:08:06Z`},
		{[]string{"event", "listen", "--path", "x"}, `kick event listen: invalid --path "x": want a path starting with /`},
		{[]string{"event", "retrigger", "../x"}, `kick event retrigger: invalid delivery id "../x"`},
		{[]string{"mock", "serve", "--webhook-url", "x"}, `kick mock serve: invalid --webhook-url "x": want an http or https URL`},
		{[]string{"--base-url", "api.kick.com", "users", "get", "1"}, `kick users get: invalid --base-url "api.kick.com": want an http or https URL`},
		{[]string{"version", "now"}, `kick version: unexpected argument "now"`},
	}
	for _, tt := range tests {
		r := runCLI(t, env, tt.args...)
		if r.code != exitUsage {
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

// TestErrorsAsJSON: with -o json, --jq or --template on the command line, errors are one JSON
// object on stderr, whatever the kind.
func TestErrorsAsJSON(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	for _, tt := range []struct {
		args     []string
		code     int
		wantType string
		wantMsg  string
	}{
		{[]string{"users", "get", "x", "-o", "json"}, exitUsage, "usage", `invalid user id "x": want a positive integer`},
		{[]string{"users", "get", "1", "--bogus", "-o", "json"}, exitUsage, "usage", "unknown flag: --bogus"},
		{[]string{"users", "get", "1", "--jq", ".data"}, exitError, "error", "no credentials: log in"},
		{[]string{"users", "get", "1", "--jq", ".["}, exitUsage, "usage", "invalid --jq expression: unexpected EOF"},
		{[]string{"users", "get", "1", "--jq", ".", "-o", "table"}, exitUsage, "usage", "--jq and --template print JSON: drop -o table"},
		{[]string{"users", "get", "1", "--template", "{{.x"}, exitUsage, "usage", "invalid --template: template: --template:1: unclosed action"},
	} {
		r := runCLI(t, env, tt.args...)
		wantCode(t, r, tt.code, tt.args...)
		var got struct {
			Error errorJSON `json:"error"`
		}
		if err := jsonUnmarshalStrict(r.stderr, &got); err != nil {
			t.Errorf("kick %s: stderr is not one JSON object: %v\n%s", strings.Join(tt.args, " "), err, r.stderr)
			continue
		}
		if got.Error.Type != tt.wantType || !strings.HasPrefix(got.Error.Message, tt.wantMsg) {
			t.Errorf("kick %s: error %+v, want type %s and %q", strings.Join(tt.args, " "), got.Error, tt.wantType, tt.wantMsg)
		}
	}
}

// TestGNUFlags: --flag=value, -ovalue, flags after the arguments and "--".
func TestGNUFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--base-url=http://a.test", "--account", "bob", "version"},
		{"version", "--base-url", "http://a.test", "--account=bob"},
	} {
		a := testApp(nil)
		if err := a.execute(t.Context(), args); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		// version reads no settings: the flags are parsed, not resolved.
		if a.g.baseURL.value != "http://a.test" || a.g.account.value != "bob" {
			t.Errorf("%q: base URL %q, account %q", args, a.g.baseURL.value, a.g.account.value)
		}
	}
	a := testApp(nil)
	var got []string
	c := &cobra.Command{Use: "x", RunE: func(_ *cobra.Command, args []string) error { got = args; return nil }}
	o := a.addOutput(c)
	a.root.AddCommand(c)
	if err := a.execute(t.Context(), []string{"x", "a", "-ojson", "--", "-b"}); err != nil {
		t.Fatal(err)
	}
	if o.format != formatJSON || !cmp.Equal(got, []string{"a", "-b"}) {
		t.Errorf("-ojson and --: format %q, args %q", o.format, got)
	}
}

func TestEnvironmentAndFlagPrecedence(t *testing.T) {
	t.Parallel()
	env := map[string]string{envBaseURL: "http://env.test", envClientID: "env-id", envAccount: "envacct"}
	a := testApp(func(k string) string { return env[k] })
	c := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	a.root.AddCommand(c)
	if err := a.execute(t.Context(), []string{"x", "--client-id", "flag-id"}); err != nil {
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
	if strings.Contains(r.stdout, "s3cr3t") || strings.Contains(r.stdout, "--client-secret ") {
		t.Errorf("the help shows the client secret or its flag:\n%s", r.stdout)
	}
}

// TestCompletionScripts: cobra's completion scripts for the four shells, and kick's own values:
// event types, scopes, output formats.
func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	for shell, want := range map[string]string{
		"bash":       "__start_kick",
		"zsh":        "#compdef kick",
		"fish":       "complete -c kick ",
		"powershell": "Register-ArgumentCompleter",
	} {
		r := runCLI(t, env, "completion", shell)
		wantCode(t, r, 0, "completion", shell)
		if !strings.Contains(r.stdout, want) || r.stderr != "" {
			t.Errorf("kick completion %s: no %q in %d bytes\n%s", shell, want, len(r.stdout), r.stderr)
		}
	}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"subscriptions", "create", "chat."}, []string{"chat.message.sent", "all\tevery event type"}},
		{[]string{"event", "trigger", ""}, []string{"kicks.gifted", "drops.claim"}},
		{[]string{"auth", "login", "--scopes", "user:read,"}, []string{"user:read,chat:write", "user:read,all"}},
		{[]string{"users", "get", "1", "-o", ""}, []string{"table", "json"}},
		{[]string{"us"}, []string{"users\tGet Kick users"}},
	} {
		r := runCLI(t, env, append([]string{cobra.ShellCompRequestCmd}, tt.args...)...)
		wantCode(t, r, 0, tt.args...)
		lines := strings.Split(r.stdout, "\n")
		for _, w := range tt.want {
			if !slices.Contains(lines, w) {
				t.Errorf("completing %q: no %q in\n%s", tt.args, w, r.stdout)
			}
		}
	}
}

func TestTableForTerminalAndPipe(t *testing.T) {
	t.Parallel()
	tb := newTable("ID", "NAME", "TITLE").shrink(2)
	tb.row("1", "short", "a title that is far too long for a narrow terminal\tto show")
	tb.row("22", "name\twith tab", "t")
	var piped, tty bytes.Buffer
	if err := tb.render(&piped, terminal{}); err != nil {
		t.Fatal(err)
	}
	if want := "1\tshort\ta title that is far too long for a narrow terminal to show\n22\tname with tab\tt\n"; piped.String() != want {
		t.Errorf("piped:\n%q\nwant\n%q", piped.String(), want)
	}
	if err := tb.render(&tty, terminal{tty: true, width: 40}); err != nil {
		t.Fatal(err)
	}
	want := "ID  NAME           TITLE\n" +
		"1   short          a title that is far …\n" +
		"22  name with tab  t\n"
	if diff := cmp.Diff(want, tty.String()); diff != "" {
		t.Errorf("terminal of 40 columns (-want +got):\n%s", diff)
	}
	for _, line := range strings.Split(strings.TrimSpace(tty.String()), "\n") {
		if n := len([]rune(line)); n > 40 {
			t.Errorf("a line of %d columns: %q", n, line)
		}
	}
}

func TestWantsJSON(t *testing.T) {
	t.Parallel()
	for args, want := range map[string]bool{
		"users get 1 -o json": true, "users get -ojson": true, "x --output=json": true, "x --jq .": true,
		"x --template={{.}}": true, "x -o table": false, "chat send -- -o json": false, "x": false,
	} {
		if got := wantsJSON(strings.Fields(args)); got != want {
			t.Errorf("wantsJSON(%q) = %v", args, got)
		}
	}
}
