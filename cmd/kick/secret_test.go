package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// withoutEnv returns env without the variable name.
func withoutEnv(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestClientSecretOffTheCommandLine: the client secret can come from a file or stdin
// (--client-secret-file, KICK_CLIENT_SECRET_FILE) instead of the process list; the flag form
// still works but warns.
func TestClientSecretOffTheCommandLine(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := withoutEnv(mockEnv(t, srv), envClientSecret)
	file := filepath.Join(t.TempDir(), "secret")
	writeFile(t, file, []byte(srv.App.ClientSecret+"\n"))
	args := []string{"api", "GET", "/public/v1/users", "-f", "id=1001", "--app"}

	r := runCLI(t, env, append(args, "--client-secret-file", file)...)
	wantCode(t, r, 0, args...)
	if !strings.Contains(r.stdout, `"user_id": 1001`) || r.stderr != "" {
		t.Errorf("--client-secret-file:\n%s", r)
	}

	r = runCLI(t, append(env, "KICK_CLIENT_SECRET_FILE="+file), args...)
	wantCode(t, r, 0, args...)
	if !strings.Contains(r.stdout, `"user_id": 1001`) || r.stderr != "" {
		t.Errorf("KICK_CLIENT_SECRET_FILE:\n%s", r)
	}

	r = runCLIIn(t, env, srv.App.ClientSecret+"\r\n", append(args, "--client-secret-file", "-")...)
	wantCode(t, r, 0, args...)
	if !strings.Contains(r.stdout, `"user_id": 1001`) || r.stderr != "" {
		t.Errorf("--client-secret-file - (stdin):\n%s", r)
	}

	r = runCLI(t, env, append(args, "--client-secret", srv.App.ClientSecret)...)
	wantCode(t, r, 0, args...)
	if !strings.Contains(r.stdout, `"user_id": 1001`) || !strings.Contains(r.stderr, "warning: --client-secret is deprecated") ||
		strings.Contains(r.stderr, srv.App.ClientSecret) {
		t.Errorf("--client-secret:\n%s", r)
	}

	empty := filepath.Join(t.TempDir(), "empty")
	writeFile(t, empty, []byte("\n"))
	for _, bad := range [][]string{
		{"--client-secret-file", filepath.Join(t.TempDir(), "missing")},
		{"--client-secret-file", empty},
		{"--client-secret-file", file, "--client-secret", "x"},
	} {
		r = runCLI(t, env, append(args, bad...)...)
		if r.code == 0 || strings.Contains(r.stderr, srv.App.ClientSecret) {
			t.Errorf("kick %s:\n%s", strings.Join(bad, " "), r)
		}
	}
	if r := runCLIIn(t, env, "{}", "api", "POST", "/x", "--input", "-", "--client-secret-file", "-"); r.code != exitUsage {
		t.Errorf("stdin for both the secret and the body:\n%s", r)
	}
}

// TestAPIErrorLineRedacted: kick api's error line never shows a token= query value (or another
// secret parameter), whether Kick answered or the request failed.
func TestAPIErrorLineRedacted(t *testing.T) {
	t.Parallel()
	const secret = "t0ken-value-to-revoke"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"Unauthorized"}`))
	}))
	t.Cleanup(srv.Close)
	for _, base := range []string{srv.URL, refusedURL} {
		for _, args := range [][]string{
			{"api", "POST", "/oauth/revoke?token=" + secret + "&token_hint_type=access_token"},
			{"api", "GET", "/x", "-f", "refresh_token=" + secret},
		} {
			r := runCLI(t, cliEnv(t, "KICK_BASE_URL="+base, "KICK_OAUTH_URL="+base), args...)
			redacted := strings.Contains(args[2], "?") || base == refusedURL // the error line shows the query
			if r.code != exitError || !strings.Contains(r.stderr, "error: ") || strings.Contains(r.stderr, secret) ||
				strings.Contains(r.stderr, "REDACTED") != redacted {
				t.Errorf("kick %s against %s:\n%s", strings.Join(args, " "), base, r)
			}
		}
	}
}

// TestAPIRedirectsStayHome: kick api follows a redirect only of a GET to the same host, as the
// kick package does; a POST redirected elsewhere is not sent again (its body and the token stay),
// and the redirect not followed is the error (kick.RedirectError).
func TestAPIRedirectsStayHome(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"data":"here"}`))
		case "/same":
			http.Redirect(w, r, "/moved", http.StatusFound)
		default:
			http.Redirect(w, r, other.URL+"/stolen", http.StatusTemporaryRedirect)
		}
	}))
	t.Cleanup(srv.Close)
	env := cliEnv(t, "KICK_BASE_URL="+srv.URL)
	r := runCLI(t, env, "api", "POST", "/x", "-f", "secret=body")
	if r.code != exitError || !strings.Contains(r.stderr, "307 redirect to "+other.URL+"/stolen not followed") || hits.Load() != 0 {
		t.Errorf("a POST redirected elsewhere (%d requests there):\n%s", hits.Load(), r)
	}
	r = runCLI(t, env, "api", "GET", "/elsewhere")
	if r.code != exitError || !strings.Contains(r.stderr, "307 redirect to "+other.URL+"/stolen not followed") || hits.Load() != 0 {
		t.Errorf("a GET redirected elsewhere (%d requests there):\n%s", hits.Load(), r)
	}
	r = runCLI(t, env, "api", "GET", "/same")
	if r.code != 0 || !strings.Contains(r.stdout, `"here"`) {
		t.Errorf("a GET redirected on the same host:\n%s", r)
	}
}

// TestAPIAnswerTooLarge: an answer over kick api's limit is an error, not a cut body printed as
// if whole.
func TestAPIAnswerTooLarge(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(" ", 1<<20))
		for range maxResponseBytes>>20 + 1 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	r := runCLI(t, cliEnv(t, "KICK_BASE_URL="+srv.URL), "api", "GET", "/big")
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, "over 32 MiB") {
		t.Errorf("a 33 MiB answer:\nexit %d, %d bytes of stdout\n%s", r.code, len(r.stdout), r.stderr)
	}
}
