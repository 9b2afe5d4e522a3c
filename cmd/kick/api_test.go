package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

func parseFields(t *testing.T, flags ...string) []field {
	t.Helper()
	var fs []field
	for i := 0; i+1 < len(flags); i += 2 {
		v := fieldValue{&fs, flags[i] == "-F"}
		if err := v.Set(flags[i+1]); err != nil {
			t.Fatalf("%s %s: %v", flags[i], flags[i+1], err)
		}
	}
	return fs
}

func TestJSONBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flags []string
		want  string
	}{
		{[]string{"-f", "a=1", "-F", "b=1", "-F", "c=true", "-F", "d=null", "-F", "e=-2.5e3", "-f", "f=true"},
			`{"a":"1","b":1,"c":true,"d":null,"e":-2.5e3,"f":"true"}`},
		{[]string{"-f", "id=1", "-f", "id=2", "-F", "id=3"}, `{"id":["1","2",3]}`},
		{[]string{"-F", "ids[]=5"}, `{"ids":[5]}`},
		{[]string{"-F", "ids[]=5", "-F", "ids[]=6"}, `{"ids":[5,6]}`},
		{[]string{"-f", "text=a=b & <c>"}, `{"text":"a=b & <c>"}`},
		{[]string{"-F", "s=12abc", "-F", "x=0x10", "-f", "empty="}, `{"empty":"","s":"12abc","x":"0x10"}`},
	}
	for _, tt := range tests {
		got, err := jsonBody(parseFields(t, tt.flags...))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%q: body %s, want %s", tt.flags, got, tt.want)
		}
	}
}

func TestQueryFields(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("http://x.test/public/v1/users?id=1")
	addQuery(u, parseFields(t, "-f", "id=2", "-F", "id=3", "-F", "flag=true", "-F", "n=null", "-f", "ids[]=4"))
	want := url.Values{"id": {"1", "2", "3"}, "flag": {"true"}, "n": {""}, "ids": {"4"}}
	if diff := cmp.Diff(want, u.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

func TestTypedFieldFromFile(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "content.txt")
	writeFile(t, name, []byte("from a file\n"))
	got, err := typedValue("@" + name)
	if err != nil || got != "from a file\n" {
		t.Errorf("@file: %q, %v", got, err)
	}
	if _, err := typedValue("@" + name + ".missing"); err == nil {
		t.Error("@missing file: no error")
	}
	if got, _ := typedValue("@"); got != "@" {
		t.Errorf("@ alone: %q", got)
	}
}

// recorded is a request a test server recorded.
type recorded struct {
	method, path, rawQuery string
	header                 http.Header
	body                   string
}

func recordingServer(t *testing.T, status int, answer string) (*httptest.Server, func() recorded) {
	t.Helper()
	var (
		mu  sync.Mutex
		got recorded
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(b)}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Test", "yes")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, func() recorded {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

func TestAPIRequests(t *testing.T) {
	t.Parallel()
	srv, last := recordingServer(t, http.StatusOK, `{"data":{"a":"x\u0026y"},"message":"OK"}`)
	// No credentials: the requests carry no token.
	env := cliEnv(t, "KICK_BASE_URL="+srv.URL+"/base", "KICK_OAUTH_URL="+srv.URL+"/id")

	r := runCLI(t, env, "api", "PATCH", "/public/v1/channels", "-F", "category_id=15", "-f", "stream_title=Hi",
		"-F", "custom_tags[]=a", "-H", "X-Extra: 1")
	wantCode(t, r, 0)
	got := last()
	if got.method != "PATCH" || got.path != "/base/public/v1/channels" || got.rawQuery != "" {
		t.Errorf("request %s %s?%s", got.method, got.path, got.rawQuery)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(got.body), &body); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"category_id": 15.0, "stream_title": "Hi", "custom_tags": []any{"a"}}, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	for name, want := range map[string]string{
		"User-Agent": "kick-go-cli/" + kick.Version, "Content-Type": "application/json", "X-Extra": "1", "Authorization": "",
	} {
		if g := got.header.Get(name); g != want {
			t.Errorf("%s: %q, want %q", name, g, want)
		}
	}
	// The answer as Kick sent it, indented, \u0026 kept.
	if want := "{\n  \"data\": {\n    \"a\": \"x\\u0026y\"\n  },\n  \"message\": \"OK\"\n}\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}

	r = runCLI(t, env, "api", "DELETE", "/public/v1/events/subscriptions", "-f", "id=a", "-f", "id=b", "--include")
	wantCode(t, r, 0)
	if got := last(); got.method != "DELETE" || got.rawQuery != "id=a&id=b" || got.body != "" {
		t.Errorf("DELETE: %+v", got)
	}
	if !strings.HasPrefix(r.stdout, "HTTP/1.1 200 OK\n") || !strings.Contains(r.stdout, "X-Test: yes") {
		t.Errorf("--include:\n%s", r.stdout)
	}

	r = runCLIIn(t, env, `{"raw": true}`, "api", "POST", "/oauth/token/introspect", "--input", "-", "-f", "q=1")
	wantCode(t, r, 0)
	if got := last(); got.path != "/id/oauth/token/introspect" || got.rawQuery != "q=1" || got.body != `{"raw": true}` {
		t.Errorf("--input: %+v", got)
	}
}

func TestAPIErrorAnswer(t *testing.T) {
	t.Parallel()
	srv, _ := recordingServer(t, http.StatusTooManyRequests, `{"data":null,"message":"slow down"}`)
	r := runCLI(t, cliEnv(t, "KICK_BASE_URL="+srv.URL), "api", "GET", "/x")
	wantCode(t, r, 1)
	if r.stdout != "" || !strings.Contains(r.stderr, `"message": "slow down"`) ||
		!strings.HasSuffix(r.stderr, "error: GET /x: HTTP 429 Too Many Requests\n") {
		t.Errorf("an error answer:\n%s", r)
	}
}
