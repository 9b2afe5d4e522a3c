package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// update rewrites the golden transcripts: go test ./cmd/kick -run Transcript -update.
var update = flag.Bool("update", false, "rewrite the golden transcripts of testdata/transcripts")

// The transcript tests run the documentation: every kick command of the README's CLI section,
// and every example of every command's help, against the built binary and a 'kick mock serve',
// as a reader would type them one after the other. Each command must exit 0, and what it prints
// must match the golden transcript, with only what varies from run to run replaced: ports,
// temporary directories, ids, tokens, times.
//
// A reader's placeholders are given real values: the delivery id 01JH3K is the last one sent, the
// message id 4f6c... the last one posted, the app's ID its client id, and the handler at
// http://localhost:3000 a server of the test's. The servers, 'kick mock serve' and 'kick event
// listen', run in the background on free ports (the one flag the test adds), until the session
// ends; the first mock's exports are the session's environment, as the README says to do.

// readmeCommands are the shell lines of the README's CLI section that run kick: the fenced sh
// blocks, one command a line.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// The CLI section, then the doctor's, which needs the mock and logins the first sets up.
	var section string
	for _, title := range []string{"## The CLI\n", "## Webhooks not arriving?\n"} {
		_, after, ok := strings.Cut(string(readme), title)
		if !ok {
			t.Fatalf("README: no section %q", strings.TrimSpace(title))
		}
		part, _, _ := strings.Cut(after, "\n## ")
		section += part + "\n"
	}
	var lines []string
	inSh := false
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, "```sh"):
			inSh = true
		case strings.HasPrefix(line, "```"):
			inSh = false
		case inSh && strings.HasPrefix(line, "kick "):
			lines = append(lines, line)
		case inSh && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#"):
			t.Errorf("README: a line of the CLI section that is not a kick command: %q", line)
		}
	}
	return lines
}

// helpExamples are the example lines of the help: the root's "Try it" block first, then every
// command's examples, in the order of the command tree.
func helpExamples(t *testing.T) []string {
	t.Helper()
	a := testApp(nil)
	_, try, ok := strings.Cut(a.root.Long, "Try it without a Kick account:\n")
	if !ok {
		t.Fatal(`kick --help has no "Try it without a Kick account:" block`)
	}
	var lines []string
	for _, l := range strings.Split(try, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "kick ") {
			lines = append(lines, l)
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range strings.Split(c.Example, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				if !strings.HasPrefix(l, "kick ") && !exportLine.MatchString(l) {
					t.Errorf("%s: an example that is not a kick command: %q", c.CommandPath(), l)
				}
				lines = append(lines, l)
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(a.root)
	return lines
}

func TestReadmeTranscript(t *testing.T) {
	t.Parallel()
	lines := readmeCommands(t)
	if len(lines) < 15 {
		t.Fatalf("the README's CLI section has %d kick commands; the loop and the everyday ones are missing", len(lines))
	}
	s := newSession(t)
	for _, l := range lines {
		s.run(l)
	}
	s.end()
	s.compare("readme.txt")
}

func TestHelpExamplesTranscript(t *testing.T) {
	t.Parallel()
	lines := helpExamples(t)
	if len(lines) < 20 {
		t.Fatalf("%d examples in the help: some are missing", len(lines))
	}
	s := newSession(t)
	for _, l := range lines {
		s.run(l)
		if strings.HasPrefix(l, "kick auth login --account ") {
			s.run("kick auth switch kickgo_streamer") // the login with all scopes, for the examples after
		}
	}
	s.end()
	s.compare("help.txt")
}

// session is a reader at a shell: an environment, a working directory, the servers running in
// the background, and the transcript so far.
type session struct {
	t       *testing.T
	env     []string
	dir     string // the working directory, and HOME
	hook    *httptest.Server
	bg      []*background
	out     bytes.Buffer
	mocked  bool   // the first mock's exports are in env
	lastID  string // the message id of the last delivery sent
	lastMsg string // the id of the last chat message posted
	// listenAddr and relayAddr are free loopback addresses for the examples' --listen :8080
	// (kick doctor's) and for kick relay serve's.
	listenAddr, relayAddr string
}

// background is a server started by a line of the session.
type background struct {
	line string
	p    *proc
}

func newSession(t *testing.T) *session {
	t.Helper()
	dir := t.TempDir()
	ports := freePorts(t, 2)
	s := &session{t: t, dir: dir, listenAddr: "127.0.0.1:" + strconv.Itoa(ports[0]), relayAddr: "127.0.0.1:" + strconv.Itoa(ports[1])}
	// The reader's handler at localhost:3000: a webhook.Handler trusting the mock's key, as the
	// reader's program under test would be, so that it refuses what does not verify.
	handler, err := kicktest.NewHandler(webhook.WithErrorHook(func(*http.Request, *webhook.Delivery, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	s.hook = httptest.NewServer(handler)
	t.Cleanup(s.hook.Close)
	s.env = cliEnv(t, "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, ".config"), "XDG_CACHE_HOME="+filepath.Join(dir, ".cache"),
		"KICK_EVENT_DIR="+filepath.Join(dir, "deliveries"), "KICK_TOKEN_DIR="+filepath.Join(dir, "tokens"))
	writeFile(t, filepath.Join(dir, "secret.txt"), []byte(mockClientSecret)) // the secret, byte for byte
	if err := os.MkdirAll(filepath.Join(dir, "zsh-functions"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeSelfSignedCert(t, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")) // a reader's TLS files
	return s
}

// substitute gives a line's placeholders their values in the session.
func (s *session) substitute(line string) string {
	r := strings.NewReplacer(
		"http://localhost:3000", s.hook.URL,
		"01JH3K", s.lastID,
		"4f6c...", s.lastMsg,
		"client_id=ID", "client_id="+mockClientID,
		"${fpath[1]}", filepath.Join(s.dir, "zsh-functions"),
		"~/", s.dir+"/",
		// kick doctor's receiver on a free port, and the reader's public URL: the receivers of the
		// session (the mock's webhook URL, or --listen's address) stand for it.
		"--listen :8080 --webhook-url https://my-tunnel.example.com/kick/webhook",
		"--listen "+s.listenAddr+" --webhook-url http://"+s.listenAddr+"/kick/webhook",
		" --webhook-url https://bot.example.com/kick/webhook", "",
		// kick relay serve's examples: a free port for :8080 and :443, the session's folders.
		"--listen :8080 --data /var/lib/kick-relay", "--listen "+s.relayAddr+" --data "+filepath.Join(s.dir, "relay"),
		"--listen :443 --tls-cert", "--listen "+s.relayAddr+" --tls-cert",
	)
	return r.Replace(line)
}

// run runs one line as a shell would: a pipe of commands, an output redirection, a comment.
func (s *session) run(line string) {
	t := s.t
	t.Helper()
	fmt.Fprintf(&s.out, "$ %s\n", line)
	if m := exportLine.FindStringSubmatch(line); m != nil {
		// export NAME=$(kick ...): the command's output, a secret such as a relay token, goes
		// into the session's environment, not into the transcript.
		words := s.words(s.substitute(m[2]))
		r := runCLIInDir(t, s.env, s.dir, "", words[1:]...)
		if r.code != 0 || strings.TrimSpace(r.stdout) == "" {
			t.Errorf("%q: exit %d, output %q\n%s", line, r.code, r.stdout, r)
		}
		s.env = withEnv(s.env, m[1]+"="+strings.TrimSpace(r.stdout))
		r.stdout = ""
		s.record(r)
		fmt.Fprintf(&s.out, "(%s set)\n", m[1])
		return
	}
	words := s.words(s.substitute(line))
	var pipeline [][]string
	redirect := ""
	cur := []string{}
	for i := 0; i < len(words); i++ {
		switch words[i] {
		case "|":
			pipeline = append(pipeline, cur)
			cur = []string{}
		case ">":
			redirect = words[i+1]
			i++
		default:
			cur = append(cur, words[i])
		}
	}
	pipeline = append(pipeline, cur)
	for _, cmd := range pipeline {
		if len(cmd) == 0 || cmd[0] != "kick" {
			t.Fatalf("%q: %q is not a kick command", line, cmd)
		}
	}
	if len(pipeline) == 1 && redirect == "" && s.server(line, pipeline[0][1:]) {
		return
	}
	if strings.Contains(line, "h.txt") && s.lastID != "" {
		// A capture of the last delivery, as a reader's h.txt and b.json would be.
		deliveries := filepath.Join(s.dir, "deliveries")
		writeFile(t, filepath.Join(s.dir, "h.txt"), mustRead(t, filepath.Join(deliveries, s.lastID+".headers")))
		writeFile(t, filepath.Join(s.dir, "b.json"), mustRead(t, filepath.Join(deliveries, s.lastID+".body")))
	}
	stdin := ""
	var r result
	for i, cmd := range pipeline {
		r = runCLIInDir(t, s.env, s.dir, stdin, cmd[1:]...)
		// kick doctor exits 1 when a check fails: that is what its example shows, and the
		// transcript records it.
		if r.code != 0 && (r.code != 1 || cmd[1] != "doctor") {
			t.Errorf("%q: kick %s exits %d\n%s", line, strings.Join(cmd[1:], " "), r.code, r)
		}
		if i < len(pipeline)-1 {
			stdin = r.stdout
		}
	}
	if redirect != "" {
		if r.stdout == "" {
			t.Errorf("%q writes nothing", line)
		}
		writeFile(t, redirect, []byte(r.stdout))
		fmt.Fprintf(&s.out, "(written to %s)\n", redirect)
		r.stdout = ""
	}
	s.record(r)
	if m := regexp.MustCompile(`message id ([0-9A-Z]{26})\)`).FindStringSubmatch(r.stdout); m != nil {
		s.lastID = m[1]
	}
	if m := regexp.MustCompile(`Sent message ([0-9a-f-]{36})`).FindStringSubmatch(r.stdout); m != nil {
		s.lastMsg = m[1]
	}
	if strings.Contains(r.stdout, "\nnull\n") || strings.HasPrefix(r.stdout, "null\n") {
		t.Errorf("%q prints null: the example's filter names a field the output does not have\n%s", line, r.stdout)
	}
}

// exportLine is a shell line that sets a variable to a kick command's output.
var exportLine = regexp.MustCompile(`^export (\w+)=\$\((kick [^()]*)\)$`)

// record writes a command's output to the transcript.
func (s *session) record(r result) {
	s.out.WriteString(r.stdout)
	if r.stdout != "" && !strings.HasSuffix(r.stdout, "\n") {
		s.out.WriteString("\n(no line break at the end)\n")
	}
	if r.stderr != "" {
		for _, l := range strings.SplitAfter(strings.TrimSuffix(r.stderr, "\n"), "\n") {
			s.out.WriteString("stderr: " + l)
		}
		s.out.WriteString("\n")
	}
	if r.code != 0 {
		fmt.Fprintf(&s.out, "[exit %d]\n", r.code)
	}
}

// server starts the servers in the background, on free ports, and reports whether the line was
// one: 'kick mock serve' (the first is the session's; export what it prints) and 'kick event
// listen'.
func (s *session) server(line string, args []string) bool {
	t := s.t
	t.Helper()
	switch {
	case len(args) >= 2 && args[0] == "mock" && args[1] == "serve":
		ports := freePorts(t, 2)
		args = append(args, "--port", strconv.Itoa(ports[0]), "--oauth-port", strconv.Itoa(ports[1]))
		p := startCLIInDir(t, s.env, s.dir, args...)
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(p.stdout.String(), "\nThen try:\n") || !settled(p) {
			if time.Now().After(deadline) {
				t.Fatalf("%q printed no banner:\n%s\n%s", line, p.stdout.String(), p.stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		banner := p.stdout.String()
		fmt.Fprintf(&s.out, "(in the background)\n%s", banner)
		if !s.mocked {
			for _, m := range regexp.MustCompile(`(?m)^  export (\w+)=(\S+)$`).FindAllStringSubmatch(banner, -1) {
				s.env = withEnv(s.env, m[1]+"="+m[2])
			}
			s.mocked = true
			s.bg = append(s.bg, &background{line, p})
		} else { // another mock, to see it run: stopped at once, as with Ctrl-C
			r := p.stop(t, os.Interrupt)
			r.stdout = strings.TrimPrefix(r.stdout, banner)
			s.record(r)
		}
		return true
	case len(args) >= 2 && args[0] == "relay" && args[1] == "serve":
		// Started to see it run, then stopped, as with Ctrl-C: the examples show how to start one.
		p := startCLIInDir(t, s.env, s.dir, args...)
		p.waitStderr(t, "Ctrl-C stops")
		fmt.Fprintf(&s.out, "(in the background, then stopped)\n")
		r := p.stop(t, syscall.SIGTERM)
		if r.code != 0 {
			t.Errorf("%q: exit %d after SIGTERM\n%s", line, r.code, r)
		}
		s.record(r)
		return true
	case len(args) >= 2 && args[0] == "event" && args[1] == "listen":
		if !slices.Contains(args, "--port") && !slices.Contains(args, "-p") {
			args = append(args, "--port", "0")
		}
		p := startCLIInDir(t, s.env, s.dir, args...)
		p.waitStderr(t, "Ready: listening on ")
		fmt.Fprintf(&s.out, "(in the background)\n")
		s.bg = append(s.bg, &background{line, p})
		return true
	}
	return false
}

// settled reports whether p's stdout has not grown for a while.
func settled(p *proc) bool {
	n := len(p.stdout.String())
	time.Sleep(100 * time.Millisecond)
	return len(p.stdout.String()) == n
}

func (s *session) stop(b *background) {
	r := b.p.stop(s.t, syscall.SIGTERM)
	cmd, _, _ := strings.Cut(b.line, " #")
	fmt.Fprintf(&s.out, "(%s, stopped)\n", strings.TrimSpace(cmd))
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if strings.Contains(b.line, "mock serve") {
		lines = nil // the banner is in the transcript already
	}
	for i := range lines {
		lines[i] = s.normalize(lines[i])
	}
	sort.Strings(lines) // in the order of their text: the mock's deliveries come in their own time
	for _, l := range lines {
		if l != "" {
			s.out.WriteString(l + "\n")
		}
	}
	r.stdout = ""
	if strings.Contains(b.line, "mock serve") {
		r.stderr = "" // nothing but "stopped"
	}
	if r.code != 0 {
		s.t.Errorf("%q: exit %d after SIGTERM\n%s", b.line, r.code, r)
	}
	s.record(r)
}

// end stops the servers, the last started first, as a reader closes the terminals; each
// server's output is recorded as it stops.
func (s *session) end() {
	for i := len(s.bg) - 1; i >= 0; i-- {
		s.stop(s.bg[i])
	}
	s.bg = nil
}

// words splits a line as a POSIX shell does, for the quoting the docs use, and drops a comment;
// "|" and ">" are words of their own.
func (s *session) words(line string) []string {
	var (
		words  []string
		cur    strings.Builder
		inWord bool
	)
	flush := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				s.t.Fatalf("unbalanced quotes in %q", line)
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			end := strings.IndexByte(line[i+1:], '"')
			if end < 0 {
				s.t.Fatalf("unbalanced quotes in %q", line)
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '#' && !inWord:
			flush()
			return words
		case c == ' ' || c == '\t':
			flush()
		case (c == '|' || c == '>') && !inWord:
			words = append(words, string(c))
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// normalizers replace what varies from run to run in a transcript.
var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):\d+`), "$1:PORT"},
	{regexp.MustCompile(`\b[0-9A-HJKMNP-TV-Z]{26}\b`), "ULID"},
	{regexp.MustCompile(`\bKICKGODOCTOR-[0-9a-f]+\b`), "KICKGODOCTOR-ID"},
	{regexp.MustCompile(`\bkickrelay_[0-9A-Za-z_-]+`), "kickrelay_TOKEN"},
	{regexp.MustCompile(`\btok_[0-9a-f]{12}\b`), "tok_ID"},
	{regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`), "UUID"},
	{regexp.MustCompile(`\b[A-Z0-9]{32,}\b`), "TOKEN"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`), "TIME"},
	{regexp.MustCompile(`\b\d\d:\d\d:\d\d\b`), "TIME"},
	{regexp.MustCompile(`\b(\d+h)?(\d+m)?\d+(\.\d+)?s\b`), "DURATION"},
	{regexp.MustCompile(`\b(\d+h)?\d+m\b`), "DURATION"},
	{regexp.MustCompile(`\b(under )?\d+(\.\d+)?(ms|µs|us|ns)\b`), "DURATION"},
}

// normalize replaces in text what varies from run to run, and the list of every event type of
// the spec (kick.AllEventTypes), which grows with the spec, by EVERY-EVENT-TYPE.
func (s *session) normalize(text string) string {
	text = strings.ReplaceAll(text, s.dir, "$DIR")
	for _, n := range normalizers {
		text = n.re.ReplaceAllString(text, n.with)
	}
	return everyEventType(text)
}

// everyEventType replaces, in what kick doctor and kick subscriptions sync say of all the event
// types, their list and their count: "a v1, b v1, …", one "  subscribe to a v1" or "a	1	unchanged…"
// line each, "of N wanted events", "has N subscriptions".
func everyEventType(text string) string {
	all := make([]string, len(kick.AllEventTypes))
	for i, typ := range kick.AllEventTypes {
		all[i] = string(typ) + " v1"
	}
	slices.Sort(all)
	text = strings.ReplaceAll(text, strings.Join(all, ", "), "EVERY-EVENT-TYPE v1")
	all = slices.Clone(all)
	for i := range all {
		all[i] = strings.TrimSuffix(all[i], " v1")
	}
	text = collapseLines(text, all, "  subscribe to ", " v1\n")
	types := make([]string, len(kick.AllEventTypes))
	for i, typ := range kick.AllEventTypes {
		types[i] = string(typ)
	}
	slices.Sort(types)
	text = collapseLines(text, types, "", "\t1\tunchanged\tULID\t-\t-\n")
	n := strconv.Itoa(len(all))
	text = strings.ReplaceAll(text, " of "+n+" wanted events", " of EVERY wanted events")
	return strings.ReplaceAll(text, " has "+n+" subscriptions", " has EVERY subscriptions")
}

// compare checks the transcript against testdata/transcripts/name, or writes it with -update.
func (s *session) compare(name string) {
	t := s.t
	t.Helper()
	got := s.normalize(s.out.String())
	file := filepath.Join("testdata", "transcripts", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, file, []byte(got))
		return
	}
	want, err := os.ReadFile(file) //nolint:gosec // a test file
	if err != nil {
		t.Fatalf("%v (write it with -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("the transcript differs from %s (-want +got; -update rewrites it):\n%s", file, diff)
	}
}

// writeSelfSignedCert writes a certificate for 127.0.0.1 and its key, PEM-encoded.
func writeSelfSignedCert(t *testing.T, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	writeFile(t, keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

// collapseLines replaces the run of lines prefix+item+suffix, one per item in order, by one line
// of EVERY-EVENT-TYPE.
func collapseLines(text string, items []string, prefix, suffix string) string {
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = prefix + it + suffix
	}
	return strings.ReplaceAll(text, strings.Join(lines, ""), prefix+"EVERY-EVENT-TYPE"+suffix)
}
