package main

import (
	"bufio"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// defaultLoginPort is the port of the default redirect URI, http://localhost:8976/callback, which
// is also the redirect URI of kicktest's app. Kick matches redirect URIs exactly: register this one.
const defaultLoginPort = 8976

func (a *app) loginCommand() *cobra.Command {
	var (
		scopes      []string
		port        int
		redirectURI string
		printURL    bool
		noBrowser   bool
		timeout     time.Duration
	)
	c := &cobra.Command{
		Use:   "login",
		Short: "Log in to Kick as a user and store the token",
		Long: fmt.Sprintf(`Log in to Kick with the authorization code flow and PKCE, and store the user token.

kick listens on a loopback address for Kick's redirect, opens the authorize URL in a browser (or
prints it), checks the state of the redirect, exchanges the code for a token with the PKCE
verifier, and saves the token as an account of the OAuth host, named after the user who logged
in (or --account), which becomes the host's active account.

On a machine without a browser (no display, an SSH session) or with --no-browser, the URL is
printed: open it anywhere, approve, and if the browser then fails to load the
http://localhost:%d/callback?code=... page (it is on another machine), copy that page's
address and paste it here.

On 'kick mock serve' no browser is needed: kick follows the mock's authorize URL itself, and the
mock approves at once, as its --authorize-as user; without --port the redirect takes a free port.

Kick requires the redirect URI to match one registered in the app's developer settings exactly.
The default is http://localhost:%d/callback (--port changes the port); kick listens on 127.0.0.1
and ::1 for it. --redirect-uri takes any http URI on localhost, 127.0.0.1 or [::1]. (Kick's web
front end rewrites 127.0.0.1 to localhost in authorize URLs, which breaks 127.0.0.1 redirect URIs;
for those kick adds the parameter Kick's docs recommend against it.)

With --print-url the authorize URL is printed on stdout, alone on the first line, and nothing is
opened or followed: a script or test can follow it.

--scopes takes Kick's scopes, comma-separated, or "all"; the default is %s.
Kick's scopes:
%s`, defaultLoginPort, defaultLoginPort, scopeNames(defaultLoginScopes), scopeList()),
		Example: "  kick auth login\n  kick auth login --scopes all --no-browser\n  kick auth login --account bot --scopes chat:write,user:read",
		Args:    argsNone,
	}
	fs := c.Flags()
	fs.Var(stringsValue{&scopes}, "scopes", "`scopes` to ask for, comma-separated, or all")
	fs.IntVar(&port, "port", defaultLoginPort, "`port` of the loopback redirect URI; 0 picks a free one")
	fs.StringVar(&redirectURI, "redirect-uri", "", "loopback redirect `URI` to listen on, instead of --port")
	fs.BoolVar(&printURL, "print-url", false, "print the authorize URL on stdout and open no browser")
	fs.BoolVar(&noBrowser, "no-browser", false, "do not open a browser; print the URL on stderr")
	fs.DurationVar(&timeout, "timeout", 5*time.Minute, "give up when the redirect has not come after this `duration`")
	c.MarkFlagsMutuallyExclusive("port", "redirect-uri")
	_ = c.RegisterFlagCompletionFunc("scopes", completeScopes)
	c.RunE = func(c *cobra.Command, _ []string) error {
		if port < 0 || port > 65535 {
			return usagef("invalid --port %d: want 0 to 65535", port)
		}
		if timeout <= 0 {
			return usagef("invalid --timeout %s: want a positive duration", timeout)
		}
		want := defaultLoginScopes
		if len(scopes) > 0 {
			var err error
			if want, err = parseScopes(scopes); err != nil {
				return err
			}
		}
		if redirectURI == "" && !c.Flags().Changed("port") && a.isMock(c.Context()) {
			port = 0 // the mock takes any loopback redirect URI: no port to collide on
		}
		if redirectURI == "" {
			redirectURI = "http://localhost:" + strconv.Itoa(port) + "/callback"
		}
		if a.g.app {
			return usagef("--app does not apply: login gets a user token")
		}
		if err := a.requireApp(); err != nil {
			return err
		}
		l := &loginRun{a: a, scopes: want, printURL: printURL, noBrowser: noBrowser, timeout: timeout}
		return l.run(c.Context(), redirectURI)
	}
	return c
}

func scopeList() string {
	lines := make([]string, len(kick.AllScopes))
	for i, s := range kick.AllScopes {
		lines[i] = "  " + string(s)
	}
	return strings.Join(lines, "\n")
}

// loginRun is one run of 'kick auth login'.
type loginRun struct {
	a         *app
	scopes    []kick.Scope
	printURL  bool
	noBrowser bool
	timeout   time.Duration
}

func (l *loginRun) run(ctx context.Context, redirectURI string) error {
	a := l.a
	listeners, redirect, err := listenLoopback(ctx, redirectURI)
	if err != nil {
		return err
	}
	cfg := a.oauthConfig(a.g.clientID.value, redirect.String(), l.scopes...)
	req := kickauth.NewAuthRequest(cfg)

	cb := &callback{path: redirect.Path, cfg: cfg, req: req, http: a.http, stderr: a.stderr, result: make(chan callbackResult, 1)}
	srv := &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second}
	for _, ln := range listeners {
		go func() { _ = srv.Serve(ln) }()
	}
	defer func() {
		// Let the browser get its page before the process ends.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	switch {
	case l.printURL:
		fmt.Fprintln(a.stdout, req.URL)
	case a.isMock(ctx):
		fmt.Fprintf(a.stderr, "Logging in to the mock at %s ...\n", a.g.oauthURL.value)
		go a.followMockAuthorize(ctx, req.URL, cb)
	case l.noBrowser || headless(a.getenv):
		fmt.Fprintf(a.stderr, "Open this URL in a browser, on any machine, to log in:\n  %s\n", req.URL)
		fmt.Fprintf(a.stderr, "If the browser is on another machine, its last page (%s?code=...) will not load:\ncopy its address from the address bar and paste it here.\n", redirect)
	default:
		fmt.Fprintf(a.stderr, "Opening the authorize URL in your browser. If it does not open, visit:\n  %s\n", req.URL)
		if err := openURL(ctx, req.URL); err != nil {
			fmt.Fprintf(a.stderr, "(could not open a browser: %v; open the URL yourself, or paste the redirect's address here)\n", err)
		}
	}
	if !l.printURL {
		fmt.Fprintf(a.stderr, "Waiting for Kick's redirect to %s ...\n", redirect)
	}
	go cb.readPasted(ctx, a.stdin)

	timer := time.NewTimer(l.timeout)
	defer timer.Stop()
	var res callbackResult
	select {
	case res = <-cb.result:
	case <-timer.C:
		return fmt.Errorf("no redirect from Kick within %s (--timeout)", l.timeout)
	case <-ctx.Done():
		return fmt.Errorf("login interrupted: %w", ctx.Err())
	}
	if res.err != nil {
		return fmt.Errorf("login failed: %w", res.err)
	}
	return l.save(ctx, res.tok)
}

// headless reports whether no browser can be opened here: on Linux and the BSDs, no display.
func headless(getenv func(string) string) bool {
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "android":
		return false
	}
	return getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == ""
}

// followMockAuthorize plays the browser for the mock, which approves at once: it gets the
// authorize URL and delivers the redirect to cb.
func (a *app) followMockAuthorize(ctx context.Context, authorizeURL string, cb *callback) {
	client := &http.Client{
		Timeout:       10 * time.Second,
		Transport:     a.http.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	fail := func(err error) { cb.finish(callbackResult{err: fmt.Errorf("the mock's authorize step: %w", err)}) }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authorizeURL, nil)
	if err != nil {
		fail(err)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		fail(err)
		return
	}
	_ = resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		fail(fmt.Errorf("%s without a redirect", resp.Status))
		return
	}
	cb.complete(ctx, loc.Query())
}

// save stores the token as the account, makes it the host's active account and says who logged
// in.
func (l *loginRun) save(ctx context.Context, tok *oauth2.Token) error {
	a := l.a
	store, err := a.logins()
	if err != nil {
		return err
	}
	entry := &kickauth.Login{Host: a.host(), ClientID: a.g.clientID.value, OAuthBaseURL: a.g.oauthURL.value, APIBaseURL: a.g.baseURL.value,
		LoggedInAt: time.Now().UTC().Truncate(time.Second)}
	for _, s := range l.scopes {
		entry.Scopes = append(entry.Scopes, string(s))
	}
	if granted, ok := tok.Extra("scope").(string); ok && granted != "" {
		entry.Scopes = strings.Fields(granted)
	}
	me, meErr := l.me(ctx, tok)
	if meErr == nil {
		entry.UserID, entry.Username = me.UserID, me.Username
	} else {
		fmt.Fprintf(a.stderr, "note: could not get the user (%v)\n", meErr)
	}
	switch {
	case a.g.account.value != "":
		entry.Account = a.g.account.value
	case entry.Username != "":
		entry.Account = entry.Username
	default:
		entry.Account = defaultAccount
	}
	if err := store.Save(ctx, entry, tok); err != nil {
		return fmt.Errorf("saving the login: %w", err)
	}
	host, account := entry.Host, entry.Account
	who := "Logged in"
	if meErr == nil {
		who = fmt.Sprintf("Logged in as %s (user id %d)", me.Username, me.UserID)
	}
	fmt.Fprintf(a.stdout, "%s on %s; account %q is active, its token saved in %s\n", who, host, account, store.Dir())
	return nil
}

// me is the user of a new token.
func (l *loginRun) me(ctx context.Context, tok *oauth2.Token) (*kick.User, error) {
	c, err := kick.NewClient(append(l.a.clientOptions(), kick.WithUserTokenSource(oauth2.StaticTokenSource(tok)))...)
	if err != nil {
		return nil, err
	}
	return c.Users.Me(ctx)
}

// listenLoopback listens on the host and port of a loopback redirect URI and returns the URI with
// the port it got (for port 0). For localhost it listens on 127.0.0.1 and, when it can, on ::1,
// since a browser may resolve localhost to either.
func listenLoopback(ctx context.Context, uri string) ([]net.Listener, *url.URL, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, nil, usagef("invalid redirect URI %q: want http://HOST:PORT/PATH on a loopback host", uri)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "80"
	}
	var ips []string
	switch host {
	case "127.0.0.1":
		ips = []string{"127.0.0.1"}
	case "::1":
		ips = []string{"::1"}
	case "localhost":
		ips = []string{"127.0.0.1", "::1"}
	default:
		return nil, nil, usagef("invalid redirect URI %q: the host must be 127.0.0.1, localhost or [::1]", uri)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	var lc net.ListenConfig
	first, err := lc.Listen(ctx, "tcp", net.JoinHostPort(ips[0], port))
	if err != nil {
		return nil, nil, fmt.Errorf("listening for the redirect: %w", err)
	}
	listeners := []net.Listener{first}
	port = strconv.Itoa(first.Addr().(*net.TCPAddr).Port)
	for _, ip := range ips[1:] {
		if ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(ip, port)); err == nil {
			listeners = append(listeners, ln)
		}
	}
	if u.Port() != port {
		u.Host = net.JoinHostPort(host, port)
	}
	return listeners, u, nil
}

// callback is the handler of the redirect URI, and of a redirect URL pasted on stdin.
type callback struct {
	path   string
	cfg    *oauth2.Config
	req    kickauth.AuthRequest
	http   *http.Client
	stderr io.Writer
	result chan callbackResult

	mu   sync.Mutex
	done bool
}

type callbackResult struct {
	tok *oauth2.Token
	err error
}

func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != cb.path || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	status, msg := cb.complete(r.Context(), r.URL.Query())
	page(w, status, msg)
}

// complete handles a redirect's query: a redirect with another state is not ours (an old tab,
// or a forgery) and is refused, the login going on; the first with the state is exchanged, and
// its result ends the login. It returns the page to show.
func (cb *callback) complete(ctx context.Context, q url.Values) (int, string) {
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(cb.req.State)) != 1 {
		fmt.Fprintln(cb.stderr, "warning: ignored a redirect whose state does not match this login")
		return http.StatusBadRequest, "This redirect does not belong to the login in progress."
	}
	cb.mu.Lock()
	done := cb.done
	cb.done = true
	cb.mu.Unlock()
	if done {
		return http.StatusGone, "This login is already finished."
	}
	// The exchange runs to the end even if the browser goes away: the code is single-use.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, cb.http)
	tok, err := kickauth.Exchange(ctx, cb.cfg, cb.req, q)
	cb.result <- callbackResult{tok, err}
	var ae *kickauth.AuthorizationError
	switch {
	case errors.As(err, &ae):
		return http.StatusOK, "Kick did not authorize the app: " + ae.Error() + ". You can close this window."
	case err != nil:
		return http.StatusInternalServerError, "The login failed: " + err.Error()
	}
	return http.StatusOK, "You are logged in to Kick. You can close this window."
}

// finish ends the login with res unless a redirect ended it first.
func (cb *callback) finish(res callbackResult) {
	cb.mu.Lock()
	done := cb.done
	cb.done = true
	cb.mu.Unlock()
	if !done {
		cb.result <- res
	}
}

// readPasted reads lines of stdin and completes the login with the first redirect URL of this
// login among them: the fallback when the browser is on another machine.
func (cb *callback) readPasted(ctx context.Context, stdin io.Reader) {
	if _, taken := stdin.(takenStdin); taken {
		return
	}
	sc := bufio.NewScanner(io.LimitReader(stdin, 1<<20))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || (u.Query().Get("code") == "" && u.Query().Get("error") == "") {
			fmt.Fprintln(cb.stderr, "That is not the redirect's address: paste the whole address, http://localhost:.../callback?code=...&state=...")
			continue
		}
		if status, msg := cb.complete(ctx, u.Query()); status != http.StatusBadRequest {
			if status != http.StatusOK {
				fmt.Fprintln(cb.stderr, msg)
			}
			return
		}
	}
}

func page(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>kick</title><p>%s</p>\n", html.EscapeString(msg))
}

// openURL opens u in the user's browser, without waiting for it.
func openURL(ctx context.Context, u string) error {
	var cmd *exec.Cmd
	// Fixed programs, and the URL is one argument, never seen by a shell.
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.CommandContext(ctx, "open", u) //nolint:gosec // see above
	case "windows":
		cmd = exec.CommandContext(ctx, "rundll32", "url.dll,FileProtocolHandler", u) //nolint:gosec // see above
	default:
		cmd = exec.CommandContext(ctx, "xdg-open", u) //nolint:gosec // see above
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
