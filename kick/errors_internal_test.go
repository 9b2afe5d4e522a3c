package kick

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://id.kick.com/oauth/revoke?token=s3cr3t&token_hint_type=refresh_token", "https://id.kick.com/oauth/revoke?token=REDACTED&token_hint_type=refresh_token"},
		{"https://id.kick.com/oauth/token?client_secret=abc&code=xyz&code_verifier=v&client_id=id", "https://id.kick.com/oauth/token?client_id=id&client_secret=REDACTED&code=REDACTED&code_verifier=REDACTED"},
		{"https://user:pass@api.kick.com/public/v1/users?id=1&id=2", "https://api.kick.com/public/v1/users?id=1&id=2"},
		{"https://api.kick.com/public/v1/users", "https://api.kick.com/public/v1/users"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := redactURL(u); got != tt.want {
			t.Errorf("redactURL(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRedactError(t *testing.T) {
	t.Parallel()
	inner := errors.New("connection refused")
	err := redactError(&url.Error{Op: "Post", URL: "https://id.kick.com/oauth/revoke?token=s3cr3t", Err: inner})
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error keeps the token: %v", err)
	}
	if !errors.Is(err, inner) {
		t.Error("the cause is lost")
	}
}
