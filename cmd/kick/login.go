package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
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

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// defaultLoginPort is the port of the default redirect URI, http://localhost:8976/callback, which
// is also the redirect URI of kicktest's app. Kick matches redirect URIs exactly: register this one.
const defaultLoginPort = 8976

func loginCommand() *command {
	var (
		scopes      []string
		port        int
		portSet     bool
		redirectURI string
		printURL    bool
		noBrowser   bool
		timeout     time.Duration
	)
	return &command{
		name:  "login",
		short: "Log in to Kick as a user and store the token",
		long: fmt.Sprintf(`Log in to Kick with the authorization code flow and PKCE, and store the user token.

kick listens on a loopback address for Kick's redirect, opens the authorize URL in a browser (or
prints it), checks the state of the redirect, exchanges the code for a token with the PKCE
verifier, saves the token under --account and prints who logged in.

Kick requires the redirect URI to match one registered in the app's developer settings exactly.
The default is http://localhost:%d/callback (--port changes the port); kick listens on 127.0.0.1
and ::1 for it. --redirect-uri takes any http URI on localhost, 127.0.0.1 or [::1]. (Kick's web
front end rewrites 127.0.0.1 to localhost in authorize URLs, which breaks 127.0.0.1 redirect URIs;
for those kick adds the parameter Kick's docs recommend against it.)

With --print-url the authorize URL is printed on stdout, alone on the first line, and no browser
is opened: a script or test can follow it.

--scopes takes Kick's scopes, comma-separated, or "all"; the default is %s.
Kick's scopes:
%s`, defaultLoginPort, scopeNames(defaultLoginScopes), scopeList()),
		flags: func(fs *flag.FlagSet) {
			fs.Var(stringsValue{&scopes}, "scopes", "`scopes` to ask for, comma-separated, or all")
			port = defaultLoginPort
			fs.Var(intFlag{&port, &portSet}, "port", "`port` of the loopback redirect URI; 0 picks a free one")
			fs.StringVar(&redirectURI, "redirect-uri", "", "loopback redirect `URI` to listen on, instead of --port")
			fs.BoolVar(&printURL, "print-url", false, "print the authorize URL on stdout and open no browser")
			fs.BoolVar(&noBrowser, "no-browser", false, "do not open a browser; print the URL on stderr")
			fs.DurationVar(&timeout, "timeout", 5*time.Minute, "give up when the redirect has not come after this `duration`")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			if redirectURI != "" && portSet {
				return usagef("give --port or --redirect-uri, not both")
			}
			if port < 0 || port > 65535 {
				return usagef("invalid --port %d", port)
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
			if redirectURI == "" {
				redirectURI = "http://localhost:" + strconv.Itoa(port) + "/callback"
			}
			if a.g.app {
				return usagef("--app does not apply: login gets a user token")
			}
			if err := a.requireApp(); err != nil {
				return err
			}
			l := &login{a: a, scopes: want, printURL: printURL, openBrowser: !printURL && !noBrowser, timeout: timeout}
			return l.run(ctx, redirectURI)
		},
	}
}

func scopeList() string {
	lines := make([]string, len(kick.AllScopes))
	for i, s := range kick.AllScopes {
		lines[i] = "  " + string(s)
	}
	return strings.Join(lines, "\n")
}

// login is one run of 'kick auth login'.
type login struct {
	a           *app
	scopes      []kick.Scope
	printURL    bool
	openBrowser bool
	timeout     time.Duration
}

func (l *login) run(ctx context.Context, redirectURI string) error {
	a := l.a
	listeners, redirect, err := listenLoopback(ctx, redirectURI)
	if err != nil {
		return err
	}
	cfg := a.oauthConfig(redirect.String(), l.scopes...)
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
	case l.openBrowser:
		fmt.Fprintf(a.stderr, "Opening the authorize URL in your browser. If it does not open, visit:\n  %s\n", req.URL)
		if err := openURL(ctx, req.URL); err != nil {
			fmt.Fprintf(a.stderr, "(could not open a browser: %v)\n", err)
		}
	default:
		fmt.Fprintf(a.stderr, "Visit this URL to log in:\n  %s\n", req.URL)
	}
	if !l.printURL {
		fmt.Fprintf(a.stderr, "Waiting for Kick's redirect to %s ...\n", redirect)
	}

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

// save stores the token under the account and says who logged in.
func (l *login) save(ctx context.Context, tok *oauth2.Token) error {
	a := l.a
	store, err := a.store()
	if err != nil {
		return err
	}
	src, err := kickauth.UserTokenSource(ctx, a.oauthConfig(""), store, a.storeKey(), kickauth.WithHTTPClient(a.http))
	if err != nil {
		return err
	}
	if err := src.SetToken(ctx, tok); err != nil {
		return fmt.Errorf("saving the token: %w", err)
	}
	who := "Logged in"
	c, err := kick.NewClient(append(a.clientOptions(), kick.WithUserTokenSource(src))...)
	if err == nil {
		if me, err := c.Users.Me(ctx); err == nil {
			who = fmt.Sprintf("Logged in as %s (user id %d)", me.Username, me.UserID)
		} else {
			fmt.Fprintf(a.stderr, "note: could not get the user (%v)\n", err)
		}
	}
	fmt.Fprintf(a.stdout, "%s; token saved for account %q in %s\n", who, a.g.account.value, store.Dir())
	return nil
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

// callback is the handler of the redirect URI.
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
	q := r.URL.Query()
	// A redirect with another state is not ours (an old tab, or a forgery): refuse it and keep
	// waiting, rather than let it end the login.
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(cb.req.State)) != 1 {
		fmt.Fprintln(cb.stderr, "warning: ignored a redirect whose state does not match this login")
		page(w, http.StatusBadRequest, "This redirect does not belong to the login in progress.")
		return
	}
	cb.mu.Lock()
	done := cb.done
	cb.done = true
	cb.mu.Unlock()
	if done {
		page(w, http.StatusGone, "This login is already finished.")
		return
	}
	// The exchange runs to the end even if the browser goes away: the code is single-use.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, cb.http)
	tok, err := kickauth.Exchange(ctx, cb.cfg, cb.req, q)
	var ae *kickauth.AuthorizationError
	switch {
	case errors.As(err, &ae):
		page(w, http.StatusOK, "Kick did not authorize the app: "+ae.Error()+". You can close this window.")
	case err != nil:
		page(w, http.StatusInternalServerError, "The login failed: "+err.Error())
	default:
		page(w, http.StatusOK, "You are logged in to Kick. You can close this window.")
	}
	cb.result <- callbackResult{tok, err}
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
