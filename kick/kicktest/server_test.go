package kicktest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/openapi"
)

func TestRequestBreakingTheSpecIs400NamingTheViolation(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	tok := s.UserToken(kicktest.Streamer.UserID).AccessToken
	a := getJSON(t, s, "/public/v1/channels?"+repeat("broadcaster_user_id", 51), tok)
	if a.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400; body %s", a.status, a.body)
	}
	want := `parameter "broadcaster_user_id" in query: maximum number of items is 50`
	if msg := a.message(t); msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	if !strings.Contains(string(a.body), `"data":null`) {
		t.Errorf("body %s is not Kick's error envelope", a.body)
	}
	vs := s.Violations()
	if len(vs) != 1 {
		t.Fatalf("violations %v, want the request", vs)
	}
	var v *kicktest.SpecViolation
	if !errors.As(vs[0], &v) || v.Kind != kicktest.RequestViolation || v.Operation != "getChannels" || v.Message != want {
		t.Errorf("violation %#v", vs[0])
	}
	// 50 ids are fine, and the answer passed the spec.
	if a := getJSON(t, s, "/public/v1/channels?"+repeat("broadcaster_user_id", 50), tok); a.status != http.StatusOK {
		t.Errorf("50 ids: status %d: %s", a.status, a.body)
	}
	if got := s.ResponsesValidated()["getChannels"]; got != 2 {
		t.Errorf("validated %d getChannels responses, want 2 (the 400 too)", got)
	}
}

func TestRequestViolations(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	user := s.UserToken(kicktest.Streamer.UserID).AccessToken
	app := s.AppToken().AccessToken
	tests := []struct {
		name, method, path, token, body string
		status                          int
		want                            string // part of the message
	}{
		{"chat over 2048 code points", "POST", "/public/v1/chat", user, `{"type":"user","broadcaster_user_id":1001,"content":"` + strings.Repeat("x", 2049) + `"}`, 400, `request body: at "/content": maximum string length is 2048`},
		{"chat bad type", "POST", "/public/v1/chat", user, `{"type":"admin","content":"hi"}`, 400, `"/type"`},
		{"chat reply not uuid", "POST", "/public/v1/chat", user, `{"type":"bot","content":"hi","reply_to_message_id":"nope"}`, 400, `doesn't match the format "uuid"`},
		{"ban over 7 days", "POST", "/public/v1/moderation/bans", user, `{"broadcaster_user_id":1001,"user_id":1002,"duration":10081}`, 400, `at "/duration": number must be at most 10080`},
		{"users 51 ids", "GET", "/public/v1/users?" + repeat("id", 51), app, "", 400, `parameter "id" in query: maximum number of items is 50`},
		{"categories comma ids", "GET", "/public/v2/categories?id=1,x", app, "", 400, `parameter "id" in query`},
		{"livestreams limit", "GET", "/public/v2/livestreams?limit=1001", app, "", 400, `parameter "limit" in query: number must be at most 1000`},
		{"reward id not a ulid", "DELETE", "/public/v1/channels/rewards/not-a-ulid", user, "", 400, `parameter "id" in path`},
		{"category id not a number", "GET", "/public/v1/categories/rust", app, "", 400, `parameter "category_id" in path`},
		{"redemptions 26 ids", "POST", "/public/v1/channels/rewards/redemptions/accept", user, `{"ids":[` + strings.Repeat(`"01KCTMKVPJSHGFM52XHC9MSHDF",`, 25) + `"01KCTMVZVAQ33RVXHGD7N7WX7E"]}`, 400, `maximum number of items is 25`},
		{"drops extra field", "PATCH", "/public/v1/drops/claims", app, `{"claims":[{"claim_id":"01KAHCQF18J6SS3VD9WEC0FX71","external_status":"done","note":"x"}]}`, 400, `property "note" is unsupported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sendJSON(t, s, tt.method, tt.path, tt.token, tt.body)
			if a.status != tt.status || !strings.Contains(a.message(t), tt.want) {
				t.Errorf("%d %s, want %d with %q", a.status, a.body, tt.status, tt.want)
			}
		})
	}
	for _, v := range s.Violations() {
		var sv *kicktest.SpecViolation
		if !errors.As(v, &sv) || sv.Kind != kicktest.RequestViolation {
			t.Errorf("unexpected violation %v", v)
		}
	}
	if n := len(s.Violations()); n != len(tests) {
		t.Errorf("%d violations, want %d", n, len(tests))
	}
}

func TestTokensAndScopes(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	noChat := s.UserToken(kicktest.Viewer.UserID, kick.ScopeUserRead).AccessToken
	app := s.AppToken().AccessToken

	chat := `{"type":"user","broadcaster_user_id":1001,"content":"hi"}`
	tests := []struct {
		name   string
		srv    *kicktest.Server
		method string
		path   string
		token  string
		body   string
		status int
		want   string
	}{
		{"no token", s, "GET", "/public/v1/users", "", "", 401, "Unauthorized"},
		{"unknown token", s, "GET", "/public/v1/users", "bm9wZQ", "", 401, "Unauthorized"},
		{"missing scope", s, "POST", "/public/v1/chat", noChat, chat, 403, "lacks the scope chat:write"},
		{"app token on user operation", s, "POST", "/public/v1/chat", app, chat, 403, "needs a user access token"},
		{"user token on app operation", s, "GET", "/public/v1/drops/claims", noChat, "", 403, "needs an app access token"},
		{"either scope of two", s, "GET", "/public/v1/channels/rewards", s.UserToken(kicktest.Streamer.UserID, kick.ScopeChannelRewardsWrite).AccessToken, "", 200, ""},
		{"public key needs none", s, "GET", "/public/v1/public-key", "", "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sendJSON(t, tt.srv, tt.method, tt.path, tt.token, tt.body)
			if a.status != tt.status || (tt.want != "" && !strings.Contains(a.message(t), tt.want)) {
				t.Errorf("%d %s, want %d with %q", a.status, a.body, tt.status, tt.want)
			}
		})
	}
	// A token lasts two hours of the server's clock, and only on the server that issued it.
	var clock atomic.Int64 // time since the token was issued
	issued := kicktest.Now()
	clocked := kicktest.New(t, kicktest.WithClock(func() time.Time { return issued.Add(time.Duration(clock.Load())) }))
	tok := clocked.UserToken(kicktest.Viewer.UserID).AccessToken
	if a := getJSON(t, s, "/public/v1/users", tok); a.status != 401 {
		t.Errorf("a token of another server: %d", a.status)
	}
	clock.Store(int64(2*time.Hour - time.Second))
	if a := getJSON(t, clocked, "/public/v1/users", tok); a.status != 200 {
		t.Errorf("a token 1s before it expires: %d %s", a.status, a.body)
	}
	clock.Store(int64(2 * time.Hour))
	if a := getJSON(t, clocked, "/public/v1/users", tok); a.status != 401 {
		t.Errorf("a token two hours old: %d %s", a.status, a.body)
	}
	noViolations(t, s)
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	if a := getJSON(t, s, "/public/v1/nothing", ""); a.status != 404 || a.message(t) != "Not Found" {
		t.Errorf("unknown path: %d %s", a.status, a.body)
	}
	a := do(t, http.MethodPut, s.APIBaseURL+"/public/v1/chat", "", "", "")
	if a.status != 405 || a.header.Get("Allow") != "POST" {
		t.Errorf("wrong method: %d %v %s", a.status, a.header, a.body)
	}
	// The OAuth endpoints live on the OAuth listener only, as on id.kick.com.
	if a := do(t, http.MethodPost, s.APIBaseURL+"/oauth/token", "", "", ""); a.status != 404 {
		t.Errorf("token endpoint on the API listener: %d", a.status)
	}
	if a := do(t, http.MethodGet, s.OAuthBaseURL+"/public/v1/public-key", "", "", ""); a.status != 404 {
		t.Errorf("API on the OAuth listener: %d", a.status)
	}
}

func TestRequestsCountsPerRoute(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	for range 3 {
		getJSON(t, s, "/public/v1/public-key", "")
	}
	getJSON(t, s, "/public/v1/users", "")
	for _, route := range []string{"getPublicKey", "GET /public/v1/public-key"} {
		if n := s.Requests(route); n != 3 {
			t.Errorf("Requests(%q) = %d, want 3", route, n)
		}
	}
	if n := s.Requests("getUsers"); n != 1 {
		t.Errorf("rejected requests count too: %d", n)
	}
	if n := s.Requests("DELETE /public/v1/chat/{message_id}"); n != 0 {
		t.Errorf("DELETE chat: %d", n)
	}
	if n := s.Requests("DELETE /public/v1/chat/9ec70d6a-256c-4646-86c1-271e080d1d5c"); n != 0 {
		t.Errorf("a concrete path names its route: %d", n)
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown route did not panic")
		}
	}()
	s.Requests("GET /nowhere")
}

func TestOperationsAreTheSpecs(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			want = append(want, op.OperationID)
		}
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, kicktest.Operations()); diff != "" {
		t.Errorf("Operations() (-spec +got):\n%s", diff)
	}
}

func TestWithAppAndAddrs(t *testing.T) {
	t.Parallel()
	app := kicktest.App{ClientID: "01JQBHJ5B2NBRBEWT9J3NGXW5F", ClientSecret: "s3cret", RedirectURIs: []string{"https://bot.example/callback"}}
	s, err := kicktest.NewServer(kicktest.WithApp(app), kicktest.WithAddrs("127.0.0.1:0", "127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.App.ClientID != app.ClientID || s.App.ClientSecret != app.ClientSecret || !slices.Equal(s.App.RedirectURIs, app.RedirectURIs) {
		t.Errorf("App = %+v", s.App)
	}
	if !strings.HasPrefix(s.APIBaseURL, "http://127.0.0.1:") || s.APIBaseURL == s.OAuthBaseURL {
		t.Errorf("URLs %s %s", s.APIBaseURL, s.OAuthBaseURL)
	}
	s.Close() // twice is fine
	generated := kicktest.New(t)
	if len(generated.App.ClientID) != 26 || len(generated.App.ClientSecret) != 64 || len(generated.App.RedirectURIs) != 1 {
		t.Errorf("generated App = %+v", generated.App)
	}
}
