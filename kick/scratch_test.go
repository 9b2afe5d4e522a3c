package kick_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

// answers is a RoundTripper that gives its bodies in turn, as JSON, and the last one again and
// again.
type answers struct {
	bodies []string
	n      atomic.Int32
}

func (a *answers) RoundTrip(r *http.Request) (*http.Response, error) {
	i := min(int(a.n.Add(1))-1, len(a.bodies)-1)
	return stubAnswer{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(a.bodies[i])}.RoundTrip(r)
}

// TestListsKeepTheirItems: every answer decodes into lists of its own (no slice is pooled or
// reused from call to call); a result must not change when a later call decodes, nor take
// anything from an earlier answer, down to the lists inside its items (tags, redemptions).
func TestListsKeepTheirItems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	streams := &answers{bodies: []string{
		`{"data":[{"id":"a","tags":["x","y"],"title":"first","channel":{"slug":"one"}},{"id":"b","tags":["z"]}],"message":"OK"}`,
		`{"data":[{"id":"c","title":"second"},{"id":"d","tags":["w","v","u"]},{"id":"e"}],"message":"OK"}`,
	}}
	c := stubClient(t, streams)
	first, err := c.Livestreams.List(ctx, kick.LivestreamListParams{})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]kick.Livestream(nil), first.Items...)
	second, err := c.Livestreams.List(ctx, kick.LivestreamListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, first.Items); diff != "" {
		t.Errorf("the first page changed with the second call (-before +after):\n%s", diff)
	}
	wantSecond := []kick.Livestream{{ID: "c", Title: "second"}, {ID: "d", CustomTags: []string{"w", "v", "u"}}, {ID: "e"}}
	if diff := cmp.Diff(wantSecond, second.Items); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}

	groups := &answers{bodies: []string{
		`{"data":[{"reward":{"id":"r1","title":"t1","cost":5},"redemptions":[{"id":"a","user_input":"hi","redeemer":{"user_id":1}},{"id":"b"}]}],"message":"OK"}`,
		`{"data":[{"reward":{"id":"r2"},"redemptions":[{"id":"c"}]},{"reward":{"id":"r3"}}],"message":"OK"}`,
	}}
	c = stubClient(t, groups)
	p1, err := c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{})
	if err != nil {
		t.Fatal(err)
	}
	wantGroups := append([]kick.RedemptionGroup(nil), p1.Items...)
	wantGroups[0].Redemptions = append([]kick.Redemption(nil), p1.Items[0].Redemptions...)
	p2, err := c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantGroups, p1.Items); diff != "" {
		t.Errorf("the first page changed with the second call (-before +after):\n%s", diff)
	}
	if len(p2.Items) != 2 || len(p2.Items[0].Redemptions) != 1 || p2.Items[0].Redemptions[0].UserInput != "" ||
		p2.Items[0].Redemptions[0].Redeemer.UserID != 0 || p2.Items[0].Reward.Cost != 0 || len(p2.Items[1].Redemptions) != 0 {
		t.Errorf("the second page took something from the first: %+v", p2.Items)
	}
}

// TestSharedArraysDoNotOverlap: the lists that share one array (the three boards of a
// leaderboard, the redemptions of a page's groups) end where their items do, so that appending to
// one never writes into another.
func TestSharedArraysDoNotOverlap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := stubClient(t, &answers{bodies: []string{
		`{"data":{"lifetime":[{"rank":1,"user_id":1,"username":"a","gifted_amount":10}],"month":[{"rank":1,"user_id":2,"username":"b","gifted_amount":5}],"week":[{"rank":1,"user_id":3,"username":"c","gifted_amount":1}]},"message":"OK"}`,
	}})
	b, err := c.Kicks.Leaderboard(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	_ = append(b.Lifetime, kick.KicksLeaderboardEntry{UserID: 99}, kick.KicksLeaderboardEntry{UserID: 98})
	_ = append(b.Month, kick.KicksLeaderboardEntry{UserID: 97})
	if b.Month[0].UserID != 2 || b.Week[0].UserID != 3 {
		t.Errorf("appending to a board changed the next: month %+v, week %+v", b.Month, b.Week)
	}

	c = stubClient(t, &answers{bodies: []string{
		`{"data":[{"reward":{"id":"r1"},"redemptions":[{"id":"a"}]},{"reward":{"id":"r2"},"redemptions":[{"id":"b"},{"id":"c"}]}],"message":"OK"}`,
	}})
	p, err := c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{})
	if err != nil {
		t.Fatal(err)
	}
	_ = append(p.Items[0].Redemptions, kick.Redemption{ID: "x"})
	if got := p.Items[1].Redemptions; len(got) != 2 || got[0].ID != "b" || got[1].ID != "c" {
		t.Errorf("appending to a group's redemptions changed the next group's: %+v", got)
	}
}
