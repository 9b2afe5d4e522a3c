package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The test binary is also the client specclient runs: with SPECCLIENT_HELPER set it plays the
// client of that name instead of running the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("SPECCLIENT_HELPER"); mode != "" {
		os.Exit(helper(mode))
	}
	os.Exit(m.Run())
}

func helper(mode string) int {
	if mode == "fail" {
		return 3
	}
	if mode == "none" {
		return 0
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {os.Getenv("KICK_CLIENT_ID")}, "client_secret": {os.Getenv("KICK_CLIENT_SECRET")}}
	resp, err := http.PostForm(os.Getenv("KICK_OAUTH_URL")+"/oauth/token", form)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	_ = resp.Body.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	path := "/public/v1/livestreams/stats"
	if mode == "bad" {
		path = "/public/v2/categories?id=1,2" // comma-separated ids: the spec says repeated keys
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, os.Getenv("KICK_API_URL")+path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_ = resp.Body.Close()
	fmt.Println("helper:", mode, resp.StatusCode)
	return 0
}

func runHelper(t *testing.T, mode string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("SPECCLIENT_HELPER", mode)
	var out, errOut bytes.Buffer
	err := run(context.Background(), append(args, "--", os.Args[0]), &out, &errOut)
	return out.String() + errOut.String(), err
}

// Not parallel: the helper's mode is an environment variable.
func TestRun(t *testing.T) {
	tests := []struct {
		mode    string
		args    []string
		wantErr string // "" for success
		wantOut string
	}{
		{"good", []string{"-expect", "requestToken=1,getLivestreamStats=1"}, "", "0 spec violations; responses validated: getLivestreamStats=1 requestToken=1"},
		{"bad", nil, `spec violation: request GET /public/v2/categories (listCategories) breaks the spec: parameter "id" in query`, "helper: bad 400"},
		{"fail", nil, "client: exit status 3", ""},
		{"none", []string{"-expect", "getLivestreamStats=1"}, "getLivestreamStats: 0 validated responses, want at least 1", ""},
		{"good", []string{"-timeout", "1ns"}, "the client did not finish within 1ns", ""},
	}
	for _, tt := range tests {
		t.Run(tt.mode+strings.Join(tt.args, " "), func(t *testing.T) {
			out, err := runHelper(t, tt.mode, tt.args...)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("run: %v\n%s", err, out)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("run: %v, want an error containing %q\n%s", err, tt.wantErr, out)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("output %q, want it to contain %q", out, tt.wantOut)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, &out); err == nil || !strings.Contains(err.Error(), "no client command") {
		t.Errorf("no command: %v", err)
	}
	if err := run(context.Background(), []string{"-expect", "x", "--", "true"}, &out, &out); err == nil || !strings.Contains(err.Error(), "invalid -expect") {
		t.Errorf("bad -expect: %v", err)
	}
}

func TestParseExpect(t *testing.T) {
	t.Parallel()
	got, err := parseExpect("requestToken=2,sendChatMessage=1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"requestToken": 2, "sendChatMessage": 1}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"x", "=1", "x=0", "x=y", "a=1,"} {
		if _, err := parseExpect(bad); err == nil {
			t.Errorf("parseExpect(%q) succeeded", bad)
		}
	}
}
