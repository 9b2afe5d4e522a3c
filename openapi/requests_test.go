package openapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// validateRequest checks a request against the spec the way a validating server (kicktest) does.
func validateRequest(t *testing.T, d *openapi3.T, path string, req *http.Request, pathParams map[string]string) error {
	t.Helper()
	item := d.Paths.Value(path)
	op := item.GetOperation(req.Method)
	if op == nil {
		t.Fatalf("no %s %s in the spec", req.Method, path)
	}
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: pathParams,
		Route:      &routers.Route{Spec: d, Path: path, PathItem: item, Method: req.Method, Operation: op},
		Options: &openapi3filter.Options{
			// Security is checked by the server itself, not by the schema validator.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	})
}

func repeat(key string, n int) string {
	var parts []string
	for i := 1; i <= n; i++ {
		parts = append(parts, fmt.Sprintf("%s=%d", key, i))
	}
	return strings.Join(parts, "&")
}

// TestRequestsAgainstSpec shows that the spec's limits and encodings are enforceable by a validating
// server: what Kick accepts passes, what it rejects fails.
func TestRequestsAgainstSpec(t *testing.T) {
	t.Parallel()
	d := doc(t)
	long := strings.Repeat("x", 2049)
	tests := []struct {
		name, method, path, target, contentType, body string
		params                                        map[string]string
		ok                                            bool
		wantErr                                       string // for a rejected request, part of the error
	}{
		{name: "users repeated ids", method: "GET", path: "/public/v1/users", target: "/public/v1/users?" + repeat("id", 50), ok: true},
		{name: "users 51 ids", method: "GET", path: "/public/v1/users", target: "/public/v1/users?" + repeat("id", 51), wantErr: "maximum number of items is 50"},
		{name: "users non-numeric id", method: "GET", path: "/public/v1/users", target: "/public/v1/users?id=abc", wantErr: "parameter \"id\""},
		{name: "channels 50 ids", method: "GET", path: "/public/v1/channels", target: "/public/v1/channels?" + repeat("broadcaster_user_id", 50), ok: true},
		{name: "channels 51 ids", method: "GET", path: "/public/v1/channels", target: "/public/v1/channels?" + repeat("broadcaster_user_id", 51), wantErr: "maximum number of items is 50"},
		{name: "channels slug of 26", method: "GET", path: "/public/v1/channels", target: "/public/v1/channels?slug=" + strings.Repeat("a", 26), wantErr: "maximum string length is 25"},
		{name: "v2 categories repeated ids", method: "GET", path: "/public/v2/categories", target: "/public/v2/categories?id=1&id=2&name=rust&name=apex&limit=1000", ok: true},
		{name: "v2 categories comma ids", method: "GET", path: "/public/v2/categories", target: "/public/v2/categories?id=1,2", wantErr: "invalid integer"},
		{name: "v2 categories limit 1001", method: "GET", path: "/public/v2/categories", target: "/public/v2/categories?limit=1001", wantErr: "at most 1000"},
		{name: "v2 categories short name", method: "GET", path: "/public/v2/categories", target: "/public/v2/categories?name=ab", wantErr: "minimum string length is 3"},
		{name: "v1 categories needs q", method: "GET", path: "/public/v1/categories", target: "/public/v1/categories?page=2", wantErr: "parameter \"q\" in query has an error: value is required"},
		{name: "users livestreams needs user_id", method: "GET", path: "/public/v1/users/livestreams", target: "/public/v1/users/livestreams", wantErr: "parameter \"user_id\" in query has an error: value is required"},
		{name: "v1 livestreams bad sort", method: "GET", path: "/public/v1/livestreams", target: "/public/v1/livestreams?sort=random", wantErr: "not one of the allowed values"},
		{name: "redemptions bad status", method: "GET", path: "/public/v1/channels/rewards/redemptions", target: "/public/v1/channels/rewards/redemptions?status=done", wantErr: "not one of the allowed values"},
		{name: "leaderboard top 101", method: "GET", path: "/public/v1/kicks/leaderboard", target: "/public/v1/kicks/leaderboard?top=101", wantErr: "at most 100"},
		{name: "unsubscribe needs id", method: "DELETE", path: "/public/v1/events/subscriptions", target: "/public/v1/events/subscriptions", wantErr: "parameter \"id\" in query has an error: value is required"},
		{name: "unsubscribe ids", method: "DELETE", path: "/public/v1/events/subscriptions", target: "/public/v1/events/subscriptions?id=01K0A&id=01K0B", ok: true},
		{name: "chat bot", method: "POST", path: "/public/v1/chat", target: "/public/v1/chat", contentType: "application/json", body: `{"type":"bot","content":"hi"}`, ok: true},
		{name: "chat 2,049 chars", method: "POST", path: "/public/v1/chat", target: "/public/v1/chat", contentType: "application/json", body: `{"type":"bot","content":"` + long + `"}`, wantErr: "maximum string length is 2048"},
		{name: "chat bad type", method: "POST", path: "/public/v1/chat", target: "/public/v1/chat", contentType: "application/json", body: `{"type":"admin","content":"hi"}`, wantErr: "not one of the allowed values"},
		{name: "ban timeout", method: "POST", path: "/public/v1/moderation/bans", target: "/public/v1/moderation/bans", contentType: "application/json", body: `{"broadcaster_user_id":1,"user_id":2,"duration":10080,"reason":"spam"}`, ok: true},
		{name: "ban too long", method: "POST", path: "/public/v1/moderation/bans", target: "/public/v1/moderation/bans", contentType: "application/json", body: `{"broadcaster_user_id":1,"user_id":2,"duration":10081}`, wantErr: "at most 10080"},
		{name: "unban body", method: "DELETE", path: "/public/v1/moderation/bans", target: "/public/v1/moderation/bans", contentType: "application/json", body: `{"broadcaster_user_id":1,"user_id":2}`, ok: true},
		{name: "redemptions duplicate ids", method: "POST", path: "/public/v1/channels/rewards/redemptions/accept", target: "/public/v1/channels/rewards/redemptions/accept", contentType: "application/json", body: `{"ids":["01KEWZ2RKYZZFGD154K50Y3F8D","01KEWZ2RKYZZFGD154K50Y3F8D"]}`, wantErr: "duplicate items"},
		{name: "redemptions no ids", method: "POST", path: "/public/v1/channels/rewards/redemptions/reject", target: "/public/v1/channels/rewards/redemptions/reject", contentType: "application/json", body: `{"ids":[]}`, wantErr: "minimum number of items is 1"},
		{name: "reward bad color", method: "POST", path: "/public/v1/channels/rewards", target: "/public/v1/channels/rewards", contentType: "application/json", body: `{"title":"t","cost":1,"background_color":"green"}`, wantErr: "regular expression"},
		{name: "reward update empty", method: "PATCH", path: "/public/v1/channels/rewards/{id}", target: "/public/v1/channels/rewards/01K0A", contentType: "application/json", body: `{}`, params: map[string]string{"id": "01K0A"}, wantErr: "at least 1 properties"},
		{name: "channel update empty", method: "PATCH", path: "/public/v1/channels", target: "/public/v1/channels", contentType: "application/json", body: `{}`, wantErr: "at least 1 properties"},
		{name: "subscribe", method: "POST", path: "/public/v1/events/subscriptions", target: "/public/v1/events/subscriptions", contentType: "application/json", body: `{"broadcaster_user_id":1,"events":[{"name":"moderation.banned","version":1}],"method":"webhook"}`, ok: true},
		{name: "subscribe kickpy ban name", method: "POST", path: "/public/v1/events/subscriptions", target: "/public/v1/events/subscriptions", contentType: "application/json", body: `{"events":[{"name":"channel.moderation.user_banned","version":1}],"method":"webhook"}`, wantErr: "not one of the allowed values"},
		{name: "drops extra field", method: "PATCH", path: "/public/v1/drops/claims", target: "/public/v1/drops/claims", contentType: "application/json", body: `{"claims":[{"claim_id":"01K","external_status":"done","note":"x"}]}`, wantErr: "property \"note\" is unsupported"},
		{name: "token client credentials", method: "POST", path: "/oauth/token", target: "/oauth/token", contentType: "application/x-www-form-urlencoded", body: "grant_type=client_credentials&client_id=id&client_secret=secret", ok: true},
		{name: "token refresh", method: "POST", path: "/oauth/token", target: "/oauth/token", contentType: "application/x-www-form-urlencoded", body: "grant_type=refresh_token&refresh_token=r&client_id=id&client_secret=secret", ok: true},
		{name: "token code", method: "POST", path: "/oauth/token", target: "/oauth/token", contentType: "application/x-www-form-urlencoded", body: "grant_type=authorization_code&code=c&client_id=id&client_secret=s&redirect_uri=" + url.QueryEscape("http://localhost:8080/callback") + "&code_verifier=" + strings.Repeat("v", 43), ok: true},
		{name: "token code without verifier", method: "POST", path: "/oauth/token", target: "/oauth/token", contentType: "application/x-www-form-urlencoded", body: "grant_type=authorization_code&code=c&client_id=id&client_secret=s&redirect_uri=http%3A%2F%2Flocalhost%2Fcb", wantErr: "property \"code_verifier\" is missing"},
		{name: "token password grant", method: "POST", path: "/oauth/token", target: "/oauth/token", contentType: "application/x-www-form-urlencoded", body: "grant_type=password&client_id=id&client_secret=s", wantErr: "discriminator property \"grant_type\" has invalid value"},
		{name: "revoke", method: "POST", path: "/oauth/revoke", target: "/oauth/revoke?token=t&token_hint_type=refresh_token", ok: true},
		{name: "revoke bad hint", method: "POST", path: "/oauth/revoke", target: "/oauth/revoke?token=t&token_hint_type=id_token", wantErr: "not one of the allowed values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !tt.ok && tt.wantErr == "" {
				t.Fatal("a rejected case must say which error it expects")
			}
			var body *strings.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			} else {
				body = strings.NewReader("")
			}
			req := httptest.NewRequest(tt.method, tt.target, body)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			err := validateRequest(t, d, tt.path, req, tt.params)
			if tt.ok && err != nil {
				t.Errorf("rejected: %v", err)
			}
			if !tt.ok && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
