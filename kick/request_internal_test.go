package kick

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/openapi"
)

func TestMatchPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		template, path string
		params         int
		ok             bool
	}{
		{"/public/v1/users", "/public/v1/users", 0, true},
		{"/public/v1/chat/{message_id}", "/public/v1/chat/abc", 1, true},
		{"/public/v1/chat/{message_id}", "/public/v1/chat/a%2Fb", 1, true},
		{"/public/v1/chat/{message_id}", "/public/v1/chat/", 0, false},
		{"/public/v1/chat/{message_id}", "/public/v1/chat", 0, false},
		{"/public/v1/chat/{message_id}", "/public/v1/chat/a/b", 0, false},
		{"/public/v1/users", "/public/v1/users/", 0, false},
		{"/public/v1/users", "/public/v1/user", 0, false},
		{"/public/v1/users", "/public/v1/usersx", 0, false},
		{"/a/{x}/b/{y}", "/a/1/b/2", 2, true},
		{"/", "/", 0, true},
		{"/a", "", 0, false},
	}
	for _, tt := range tests {
		params, ok := matchPath(tt.template, tt.path)
		if ok != tt.ok || params != tt.params {
			t.Errorf("matchPath(%q, %q) = %d, %v; want %d, %v", tt.template, tt.path, params, ok, tt.params, tt.ok)
		}
	}
}

// TestMatchPathAllocs: matching allocates nothing (not parallel: AllocsPerRun must run alone).
func TestMatchPathAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { matchPath("/public/v1/channels/rewards/{id}", "/public/v1/channels/rewards/r-1") }); n != 0 {
		t.Errorf("matchPath allocates %v times", n)
	}
}

// TestEveryEndpointResolves: the method and path of every operation, its parameters filled, is
// that operation and no other, on the server NewRequest resolves its path against.
func TestEveryEndpointResolves(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAPIBaseURL("https://api.kick.example/v"), WithOAuthBaseURL("https://id.kick.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range gen.Operations {
		path := op.Path
		for strings.Contains(path, "{") {
			i, j := strings.Index(path, "{"), strings.Index(path, "}")
			path = path[:i] + "p-1" + path[j+1:]
		}
		req, err := c.NewRequest(op.Method, path, nil)
		if err != nil {
			t.Errorf("%s: %v", op.ID, err)
			continue
		}
		got, err := c.operationFor(req, nil)
		if err != nil || got.op != op || got.optionalAuth {
			t.Errorf("%s %s resolves to %+v, %v; want %s", op.Method, path, got, err, op.ID)
		}
	}
	// A literal template wins over one with a parameter.
	if op := knownOperation("GET", "/public/v1/channels/rewards/redemptions"); op == nil || op.ID != "listRewardRedemptions" {
		t.Errorf("GET redemptions = %+v", op)
	}
	if op := knownOperation("PATCH", "/public/v1/channels/rewards/r-1"); op == nil || op.ID != "updateChannelReward" {
		t.Errorf("PATCH a reward = %+v", op)
	}
	if op := knownOperation("PUT", "/public/v1/users"); op != nil {
		t.Error("PUT /public/v1/users matched an operation")
	}
}

// TestOAuthPathsMatchSpecServers holds onOAuthServer, the rule by which NewRequest and the services
// route a path to the OAuth server, to the spec: exactly the paths whose servers are id.kick.com start so.
func TestOAuthPathsMatchSpecServers(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		oauth := false
		for _, srv := range item.Servers {
			if u, err := url.Parse(srv.URL); err == nil && u.Host == "id.kick.com" {
				oauth = true
			}
		}
		if got := onOAuthServer(path); oauth != got {
			t.Errorf("%s: on the OAuth server %v, but requests go to the %s", path, oauth, map[bool]string{true: "OAuth server", false: "API"}[got])
		}
	}
}

func TestLimitedBody(t *testing.T) {
	t.Parallel()
	cancelled := false
	b := &limitedBody{body: http.NoBody, left: 0, limit: 0, cancel: func() { cancelled = true }}
	if n, err := b.Read(make([]byte, 4)); n != 0 || err == nil {
		t.Errorf("Read of an empty body at the limit = %d, %v; want io.EOF", n, err)
	}
	if err := b.Close(); err != nil || !cancelled {
		t.Errorf("Close = %v, cancelled %v", err, cancelled)
	}
}
