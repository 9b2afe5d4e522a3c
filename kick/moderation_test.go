package kick_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

func TestModerationBan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    kick.ModerationBanParams
		body string
	}{
		{
			name: "permanent",
			p:    kick.ModerationBanParams{BroadcasterUserID: 123456789, UserID: 987654321},
			body: `{"broadcaster_user_id":123456789,"user_id":987654321}`,
		},
		{
			name: "timeout with reason",
			p:    kick.ModerationBanParams{BroadcasterUserID: 123456789, UserID: 987654321, Duration: 10 * time.Minute, Reason: "spam"},
			body: `{"broadcaster_user_id":123456789,"user_id":987654321,"duration":10,"reason":"spam"}`,
		},
		{
			name: "shortest timeout",
			p:    kick.ModerationBanParams{BroadcasterUserID: 1, UserID: 2, Duration: time.Minute},
			body: `{"broadcaster_user_id":1,"user_id":2,"duration":1}`,
		},
		{
			name: "longest timeout and reason",
			p:    kick.ModerationBanParams{BroadcasterUserID: 1, UserID: 2, Duration: 7 * 24 * time.Hour, Reason: strings.Repeat("ß", 100)},
			body: `{"broadcaster_user_id":1,"user_id":2,"duration":10080,"reason":"` + strings.Repeat("ß", 100) + `"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.handle(t, "/public/v1/moderation/bans", want{method: "POST", path: "/public/v1/moderation/bans", body: tt.body, token: userToken}, fixture(t, "banUser"))
			if err := c.Moderation.Ban(context.Background(), tt.p); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestModerationBanInvalidInput(t *testing.T) {
	t.Parallel()
	valid := kick.ModerationBanParams{BroadcasterUserID: 123456789, UserID: 987654321}
	tests := []struct {
		name  string
		edit  func(*kick.ModerationBanParams)
		field string
	}{
		{"no broadcaster", func(p *kick.ModerationBanParams) { p.BroadcasterUserID = 0 }, "BroadcasterUserID"},
		{"negative broadcaster", func(p *kick.ModerationBanParams) { p.BroadcasterUserID = -1 }, "BroadcasterUserID"},
		{"no user", func(p *kick.ModerationBanParams) { p.UserID = 0 }, "UserID"},
		{"negative user", func(p *kick.ModerationBanParams) { p.UserID = -9 }, "UserID"},
		{"negative duration", func(p *kick.ModerationBanParams) { p.Duration = -time.Minute }, "Duration"},
		{"below a minute", func(p *kick.ModerationBanParams) { p.Duration = 30 * time.Second }, "Duration"},
		{"a nanosecond", func(p *kick.ModerationBanParams) { p.Duration = 1 }, "Duration"},
		{"part of a minute", func(p *kick.ModerationBanParams) { p.Duration = 90 * time.Second }, "Duration"},
		{"over 7 days", func(p *kick.ModerationBanParams) { p.Duration = 10081 * time.Minute }, "Duration"},
		{"long reason", func(p *kick.ModerationBanParams) { p.Reason = strings.Repeat("ß", 101) }, "Reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			p := valid
			tt.edit(&p)
			wantInvalid(t, c.Moderation.Ban(context.Background(), p), "banUser", tt.field)
			noRequest(t, srv)
		})
	}
}

// TestModerationUnban checks that the parameters travel as a JSON body on the DELETE, not in the
// query.
func TestModerationUnban(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/moderation/bans", want{
		method: "DELETE", path: "/public/v1/moderation/bans", token: userToken,
		body: `{"broadcaster_user_id":123456789,"user_id":987654321}`, contentType: "application/json",
	}, fixture(t, "unbanUser"))
	if err := c.Moderation.Unban(context.Background(), 123456789, 987654321); err != nil {
		t.Fatal(err)
	}
}

func TestModerationUnbanInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                      string
		broadcasterUserID, userID int64
		field                     string
	}{
		{"no broadcaster", 0, 987654321, "broadcasterUserID"},
		{"negative broadcaster", -1, 987654321, "broadcasterUserID"},
		{"no user", 123456789, 0, "userID"},
		{"negative user", 123456789, -2, "userID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			wantInvalid(t, c.Moderation.Unban(context.Background(), tt.broadcasterUserID, tt.userID), "unbanUser", tt.field)
			noRequest(t, srv)
		})
	}
}

func TestModerationNeedsUserToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	calls := map[string]func(c *kick.Client, opts ...kick.RequestOption) error{
		"banUser": func(c *kick.Client, opts ...kick.RequestOption) error {
			return c.Moderation.Ban(ctx, kick.ModerationBanParams{BroadcasterUserID: 1, UserID: 2}, opts...)
		},
		"unbanUser": func(c *kick.Client, opts ...kick.RequestOption) error {
			return c.Moderation.Unban(ctx, 1, 2, opts...)
		},
	}
	runNeedsUserToken(t, calls)
}

// The methods of the Moderation service in the operations table.
var _ = addOperations(
	operation{"Moderation.Ban", "banUser", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Moderation.Ban(ctx, kick.ModerationBanParams{BroadcasterUserID: 1, UserID: 2, Duration: 5 * time.Minute})
	}},
	operation{"Moderation.Unban", "unbanUser", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Moderation.Unban(ctx, 1, 2)
	}},
)
