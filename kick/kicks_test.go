package kick_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

func TestKicksLeaderboard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		top   int
		query url.Values
	}{
		{0, nil},
		{1, q("top", "1")},
		{25, q("top", "25")},
		{100, q("top", "100")},
	}
	wantBoard := &kick.KicksLeaderboard{
		Lifetime: []kick.KicksLeaderboardEntry{
			{Rank: 1, UserID: 9183746, Username: "pixelpanda", GiftedAmount: 125000},
			{Rank: 2, UserID: 51724903, Username: "lunakai", GiftedAmount: 48500},
		},
		Month: []kick.KicksLeaderboardEntry{
			{Rank: 1, UserID: 51724903, Username: "lunakai", GiftedAmount: 12000},
			{Rank: 2, UserID: 33810257, Username: "rustlord_88", GiftedAmount: 7500},
		},
		Week: []kick.KicksLeaderboardEntry{
			{Rank: 1, UserID: 33810257, Username: "rustlord_88", GiftedAmount: 5000},
			{Rank: 2, UserID: 9183746, Username: "pixelpanda", GiftedAmount: 1000},
		},
	}
	for _, tt := range tests {
		t.Run(tt.query.Encode(), func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.handle(t, "/public/v1/kicks/leaderboard", want{method: "GET", path: "/public/v1/kicks/leaderboard", query: tt.query, token: userToken}, fixture(t, "getKicksLeaderboard"))
			got, err := c.Kicks.Leaderboard(context.Background(), tt.top)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantBoard, got); diff != "" {
				t.Errorf("leaderboard (-want +got):\n%s", diff)
			}
		})
	}
}

func TestKicksLeaderboardEmpty(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/kicks/leaderboard", want{method: "GET", path: "/public/v1/kicks/leaderboard", token: userToken},
		[]byte(`{"data":{"lifetime":[],"month":null},"message":"OK"}`))
	got, err := c.Kicks.Leaderboard(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, list := range map[string][]kick.KicksLeaderboardEntry{"Lifetime": got.Lifetime, "Month": got.Month, "Week": got.Week} {
		if list == nil || len(list) != 0 {
			t.Errorf("%s = %#v, want an empty, non-nil slice", name, list)
		}
	}
}

func TestKicksLeaderboardInvalidInput(t *testing.T) {
	t.Parallel()
	for _, top := range []int{-1, 101, 1 << 40} {
		c, srv := setup(t)
		_, err := c.Kicks.Leaderboard(context.Background(), top)
		wantInvalid(t, err, "getKicksLeaderboard", "top")
		noRequest(t, srv)
	}
}

func TestKicksLeaderboardNeedsUserToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	_, err := c.Kicks.Leaderboard(context.Background(), 10)
	var mt *kick.MissingTokenError
	if !errors.As(err, &mt) || !errors.Is(err, kick.ErrMissingToken) {
		t.Fatalf("err = %v, want a *MissingTokenError", err)
	}
	if diff := cmp.Diff([]kick.TokenKind{kick.TokenKindUser}, mt.Accepted); diff != "" {
		t.Errorf("accepted (-want +got):\n%s", diff)
	}
	c2, srv2 := setup(t)
	if _, err := c2.Kicks.Leaderboard(context.Background(), 10, kick.WithTokenKind(kick.TokenKindApp)); !errors.Is(err, kick.ErrMissingToken) {
		t.Errorf("with the app token chosen: err = %v, want ErrMissingToken", err)
	}
	noRequest(t, srv)
	noRequest(t, srv2)
}

// The methods of the Kicks service in the operations table.
var _ = addOperations(
	operation{"Kicks.Leaderboard", "getKicksLeaderboard", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Kicks.Leaderboard(ctx, 3)
	}},
)
