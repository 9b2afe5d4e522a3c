package kick_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

func TestRewardsList(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels/rewards", want{method: "GET", path: "/public/v1/channels/rewards", token: userToken}, fixture(t, "listChannelRewards"))
	got, err := c.Rewards.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantRewards := []kick.Reward{
		{
			ID:                  "01KBQVW2KVQNX4Y6RN800Y9K4N",
			Title:               "Song Request",
			Cost:                500,
			Description:         "Request a song by providing a URL",
			BackgroundColor:     "#00e701",
			IsEnabled:           true,
			IsUserInputRequired: true,
		},
		{
			ID:                                "01KBSGJFS9MGCEJFEJH2AJ6QEA",
			Title:                             "Hydrate!",
			Cost:                              100,
			Description:                       "Make me drink some water",
			BackgroundColor:                   "#1e90ff",
			IsEnabled:                         true,
			IsPaused:                          true,
			ShouldRedemptionsSkipRequestQueue: true,
		},
	}
	if diff := cmp.Diff(wantRewards, got); diff != "" {
		t.Errorf("rewards (-want +got):\n%s", diff)
	}
}

// TestRewardsListEmpty: an empty list is an empty, non-nil slice. (An answer without data, or with
// null data, is an error: TestEmptySuccessAnswerIsAnError.)
func TestRewardsListEmpty(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"data":[],"message":"OK"}`, `{"message":"OK","data":[]}`} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.handle(t, "/public/v1/channels/rewards", want{method: "GET", path: "/public/v1/channels/rewards", token: userToken}, []byte(body))
			got, err := c.Rewards.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != 0 {
				t.Errorf("rewards = %#v, want an empty, non-nil slice", got)
			}
		})
	}
}

var fixtureCreatedReward = &kick.Reward{
	ID:                  "01KCTQ8BSM8WG44HKGZAMRR0TE",
	Title:               "Pick my next loadout",
	Cost:                2500,
	Description:         "Tell me what weapon to run next round",
	BackgroundColor:     "#ff6b00",
	IsEnabled:           true,
	IsUserInputRequired: true,
}

func TestRewardsCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   kick.RewardCreateParams
		body string
	}{
		{
			name: "every field",
			in: kick.RewardCreateParams{
				Title:                             "Pick my next loadout",
				Cost:                              2500,
				Description:                       "Tell me what weapon to run next round",
				BackgroundColor:                   "#ff6b00",
				IsEnabled:                         kick.Ptr(true),
				IsUserInputRequired:               true,
				ShouldRedemptionsSkipRequestQueue: true,
			},
			body: `{"title":"Pick my next loadout","cost":2500,"description":"Tell me what weapon to run next round",
				"background_color":"#ff6b00","is_enabled":true,"is_user_input_required":true,
				"should_redemptions_skip_request_queue":true}`,
		},
		{
			name: "defaults are not sent",
			in:   kick.RewardCreateParams{Title: "Pick my next loadout", Cost: 2500},
			body: `{"title":"Pick my next loadout","cost":2500}`,
		},
		{
			name: "disabled is sent",
			in:   kick.RewardCreateParams{Title: "Pick my next loadout", Cost: 2500, IsEnabled: kick.Ptr(false)},
			body: `{"title":"Pick my next loadout","cost":2500,"is_enabled":false}`,
		},
		{
			name: "limits reached",
			in:   kick.RewardCreateParams{Title: strings.Repeat("é", 50), Cost: 1, Description: strings.Repeat("ü", 200), BackgroundColor: "#ABCdef"},
			body: `{"title":"` + strings.Repeat("é", 50) + `","cost":1,"description":"` + strings.Repeat("ü", 200) + `","background_color":"#ABCdef"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.handle(t, "/public/v1/channels/rewards", want{method: "POST", path: "/public/v1/channels/rewards", body: tt.body, token: userToken}, fixture(t, "createChannelReward"))
			got, err := c.Rewards.Create(context.Background(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fixtureCreatedReward, got); diff != "" {
				t.Errorf("reward (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRewardsCreateInvalidInput(t *testing.T) {
	t.Parallel()
	valid := kick.RewardCreateParams{Title: "Hydrate!", Cost: 100}
	tests := []struct {
		name  string
		edit  func(*kick.RewardCreateParams)
		field string
	}{
		{"no title", func(r *kick.RewardCreateParams) { r.Title = "" }, "Title"},
		{"long title", func(r *kick.RewardCreateParams) { r.Title = strings.Repeat("é", 51) }, "Title"},
		{"zero cost", func(r *kick.RewardCreateParams) { r.Cost = 0 }, "Cost"},
		{"negative cost", func(r *kick.RewardCreateParams) { r.Cost = -5 }, "Cost"},
		{"long description", func(r *kick.RewardCreateParams) { r.Description = strings.Repeat("x", 201) }, "Description"},
		{"color name", func(r *kick.RewardCreateParams) { r.BackgroundColor = "red" }, "BackgroundColor"},
		{"color without #", func(r *kick.RewardCreateParams) { r.BackgroundColor = "00e701" }, "BackgroundColor"},
		{"short color", func(r *kick.RewardCreateParams) { r.BackgroundColor = "#0e7" }, "BackgroundColor"},
		{"long color", func(r *kick.RewardCreateParams) { r.BackgroundColor = "#00e70100" }, "BackgroundColor"},
		{"non-hex color", func(r *kick.RewardCreateParams) { r.BackgroundColor = "#00g701" }, "BackgroundColor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			in := valid
			tt.edit(&in)
			_, err := c.Rewards.Create(context.Background(), in)
			wantInvalid(t, err, "createChannelReward", tt.field)
			noRequest(t, srv)
		})
	}
}

var fixtureUpdatedReward = &kick.Reward{
	ID:                  "01KBQVW2KVQNX4Y6RN800Y9K4N",
	Title:               "Song Request",
	Cost:                750,
	Description:         "Request a song by providing a URL",
	BackgroundColor:     "#00e701",
	IsEnabled:           true,
	IsPaused:            true,
	IsUserInputRequired: true,
}

func TestRewardsUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   kick.RewardUpdateParams
		body string
	}{
		{
			name: "some fields",
			in:   kick.RewardUpdateParams{Cost: kick.Ptr(int64(750)), IsPaused: kick.Ptr(true)},
			body: `{"cost":750,"is_paused":true}`,
		},
		{
			name: "every field, zero values included",
			in: kick.RewardUpdateParams{
				Title:                             kick.Ptr("Song Request"),
				Cost:                              kick.Ptr(int64(1)),
				Description:                       kick.Ptr(""),
				BackgroundColor:                   kick.Ptr("#00E701"),
				IsEnabled:                         kick.Ptr(false),
				IsPaused:                          kick.Ptr(false),
				IsUserInputRequired:               kick.Ptr(false),
				ShouldRedemptionsSkipRequestQueue: kick.Ptr(false),
			},
			body: `{"title":"Song Request","cost":1,"description":"","background_color":"#00E701","is_enabled":false,
				"is_paused":false,"is_user_input_required":false,"should_redemptions_skip_request_queue":false}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.handle(t, "/public/v1/channels/rewards/{id}", want{
				method: "PATCH", path: "/public/v1/channels/rewards/01KBQVW2KVQNX4Y6RN800Y9K4N", body: tt.body, token: userToken,
			}, fixture(t, "updateChannelReward"))
			got, err := c.Rewards.Update(context.Background(), "01KBQVW2KVQNX4Y6RN800Y9K4N", tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fixtureUpdatedReward, got); diff != "" {
				t.Errorf("reward (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRewardsIDStaysInPath checks that a reward id holding "/", "?" or "#" is sent as one escaped
// path segment and cannot reach another path or add a query.
func TestRewardsIDStaysInPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id          string
		escapedPath string
	}{
		{"a/b", "/public/v1/channels/rewards/a%2Fb"},
		{"../../users", "/public/v1/channels/rewards/..%2F..%2Fusers"},
		{"x?id=1#f", "/public/v1/channels/rewards/x%3Fid=1%23f"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			var mu sync.Mutex
			var got []string
			srv.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, r.Method+" "+r.URL.EscapedPath()+" "+r.URL.RawQuery+" "+r.PathValue("id"))
				mu.Unlock()
				t.Errorf("request reached %s %s", r.Method, r.URL)
				w.WriteHeader(http.StatusNotFound)
			})
			srv.mux.HandleFunc("/public/v1/channels/rewards/{id}", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, r.Method+" "+r.URL.EscapedPath()+" "+r.URL.RawQuery+" "+r.PathValue("id"))
				mu.Unlock()
				if r.Method == http.MethodDelete {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				respond(w, http.StatusOK, fixture(t, "updateChannelReward"))
			})
			if _, err := c.Rewards.Update(context.Background(), tt.id, kick.RewardUpdateParams{IsPaused: kick.Ptr(true)}); err != nil {
				t.Fatal(err)
			}
			if err := c.Rewards.Delete(context.Background(), tt.id); err != nil {
				t.Fatal(err)
			}
			wantReqs := []string{"PATCH " + tt.escapedPath + "  " + tt.id, "DELETE " + tt.escapedPath + "  " + tt.id}
			if diff := cmp.Diff(wantReqs, got); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRewardsUpdateInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		id    string
		in    kick.RewardUpdateParams
		field string
	}{
		{"empty id", "", kick.RewardUpdateParams{IsPaused: kick.Ptr(true)}, "id"},
		{"dot id", ".", kick.RewardUpdateParams{IsPaused: kick.Ptr(true)}, "id"},
		{"dot-dot id", "..", kick.RewardUpdateParams{IsPaused: kick.Ptr(true)}, "id"},
		{"no field", "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{}, "update"},
		{"empty title", "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{Title: kick.Ptr("")}, "Title"},
		{"long title", "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{Title: kick.Ptr(strings.Repeat("a", 51))}, "Title"},
		{"zero cost", "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{Cost: kick.Ptr(int64(0))}, "Cost"},
		{"long description", "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{Description: kick.Ptr(strings.Repeat("a", 201))}, "Description"},
		{"empty color", "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{BackgroundColor: kick.Ptr("")}, "BackgroundColor"},
		{"bad color", "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{BackgroundColor: kick.Ptr("#00e70")}, "BackgroundColor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			_, err := c.Rewards.Update(context.Background(), tt.id, tt.in)
			wantInvalid(t, err, "updateChannelReward", tt.field)
			noRequest(t, srv)
		})
	}
}

func TestRewardsUpdateNotFound(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/channels/rewards/{id}", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusNotFound, []byte(`{"data":null,"message":"Reward not found"}`))
	})
	_, err := c.Rewards.Update(context.Background(), "01KBQVW2KVQNX4Y6RN800Y9K4N", kick.RewardUpdateParams{Cost: kick.Ptr(int64(5))})
	if !errors.Is(err, kick.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func TestRewardsDelete(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels/rewards/{id}", want{method: "DELETE", path: "/public/v1/channels/rewards/01KBSGJFS9MGCEJFEJH2AJ6QEA", token: userToken}, nil)
	if err := c.Rewards.Delete(context.Background(), "01KBSGJFS9MGCEJFEJH2AJ6QEA"); err != nil {
		t.Fatal(err)
	}
}

func TestRewardsDeleteInvalidInput(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", ".", ".."} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			wantInvalid(t, c.Rewards.Delete(context.Background(), id), "deleteChannelReward", "id")
			noRequest(t, srv)
		})
	}
}

var fixtureRedemptionGroups = []kick.RedemptionGroup{
	{
		Reward: kick.RedemptionReward{
			ID:          "01KBQVW2KVQNX4Y6RN800Y9K4N",
			Title:       "Song Request",
			Cost:        500,
			Description: "Request a song by providing a URL",
			CanManage:   true,
		},
		Redemptions: []kick.Redemption{
			{
				ID:         "01KCTMKVPJSHGFM52XHC9MSHDF",
				RedeemedAt: time.Date(2025, 12, 19, 6, 26, 36, 0, time.UTC),
				Redeemer:   kick.RedemptionUser{UserID: 9183746},
				Status:     kick.RedemptionPending,
				UserInput:  "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
			},
			{
				ID:         "01KCTMVZVAQ33RVXHGD7N7WX7E",
				RedeemedAt: time.Date(2025, 12, 19, 6, 31, 2, 0, time.UTC),
				Redeemer:   kick.RedemptionUser{UserID: 51724903},
				Status:     kick.RedemptionPending,
				UserInput:  "Daft Punk - Harder, Better, Faster, Stronger",
			},
		},
	},
	{
		Reward: kick.RedemptionReward{
			ID:          "01KBSGJFS9MGCEJFEJH2AJ6QEA",
			Title:       "Hydrate!",
			Cost:        100,
			Description: "Make me drink some water",
			IsDeleted:   true,
		},
		Redemptions: []kick.Redemption{
			{
				ID:         "01KCTNCYQG4M5TWF0FEGH259ED",
				RedeemedAt: time.Date(2025, 12, 19, 6, 40, 18, 0, time.UTC),
				Redeemer:   kick.RedemptionUser{UserID: 33810257},
				Status:     kick.RedemptionPending,
			},
		},
	},
}

func TestRewardsListRedemptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params kick.RedemptionListParams
		query  url.Values
	}{
		{name: "no filter", params: kick.RedemptionListParams{}},
		{
			name:   "reward, status and cursor",
			params: kick.RedemptionListParams{RewardID: "01KBQVW2KVQNX4Y6RN800Y9K4N", Status: kick.RedemptionAccepted, Cursor: "MDFLQ1RN"},
			query:  q("reward_id", "01KBQVW2KVQNX4Y6RN800Y9K4N", "status", "accepted", "cursor", "MDFLQ1RN"),
		},
		{
			name:   "ids",
			params: kick.RedemptionListParams{IDs: []string{"01KCTMKVPJSHGFM52XHC9MSHDF", "01KCTNCYQG4M5TWF0FEGH259ED"}},
			query:  q("id", "01KCTMKVPJSHGFM52XHC9MSHDF", "id", "01KCTNCYQG4M5TWF0FEGH259ED"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			srv.handle(t, "/public/v1/channels/rewards/redemptions", want{
				method: "GET", path: "/public/v1/channels/rewards/redemptions", query: tt.query, token: userToken,
			}, fixture(t, "listRewardRedemptions"))
			got, err := c.Rewards.ListRedemptions(context.Background(), tt.params)
			if err != nil {
				t.Fatal(err)
			}
			wantPage := kick.Page[kick.RedemptionGroup]{Items: fixtureRedemptionGroups, NextCursor: "MDFLQ1RNSjJYM0RYVDgxNENWWDhGUjlUMUQ"}
			if diff := cmp.Diff(wantPage, got); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRewardsListRedemptionsEmpty(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels/rewards/redemptions", want{method: "GET", path: "/public/v1/channels/rewards/redemptions", token: userToken},
		[]byte(`{"data":[{"reward":{"id":"01KBQVW2KVQNX4Y6RN800Y9K4N","title":"Song Request"},"redemptions":null}],"message":"OK"}`))
	got, err := c.Rewards.ListRedemptions(context.Background(), kick.RedemptionListParams{})
	if err != nil {
		t.Fatal(err)
	}
	wantPage := kick.Page[kick.RedemptionGroup]{Items: []kick.RedemptionGroup{{
		Reward:      kick.RedemptionReward{ID: "01KBQVW2KVQNX4Y6RN800Y9K4N", Title: "Song Request"},
		Redemptions: []kick.Redemption{},
	}}}
	if diff := cmp.Diff(wantPage, got); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}
	if got.Items[0].Redemptions == nil {
		t.Error("Redemptions is nil, want an empty slice")
	}
}

func TestRewardsListRedemptionsInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params kick.RedemptionListParams
		field  string
	}{
		{"unknown status", kick.RedemptionListParams{Status: "done"}, "Status"},
		{"ids and reward", kick.RedemptionListParams{IDs: []string{"01KCTMKVPJSHGFM52XHC9MSHDF"}, RewardID: "01KBQVW2KVQNX4Y6RN800Y9K4N"}, "IDs"},
		{"ids and status", kick.RedemptionListParams{IDs: []string{"01KCTMKVPJSHGFM52XHC9MSHDF"}, Status: kick.RedemptionPending}, "IDs"},
		{"empty id", kick.RedemptionListParams{IDs: []string{"01KCTMKVPJSHGFM52XHC9MSHDF", ""}}, "IDs[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			_, err := c.Rewards.ListRedemptions(context.Background(), tt.params)
			wantInvalid(t, err, "listRewardRedemptions", tt.field)
			for _, err := range c.Rewards.AllRedemptions(context.Background(), tt.params) {
				wantInvalid(t, err, "listRewardRedemptions", tt.field)
			}
			noRequest(t, srv)
		})
	}
}

// TestRewardsAllRedemptions checks that pages are fetched only when needed, that each next cursor
// is passed on with the filters, and that the iteration starts at the given cursor.
func TestRewardsAllRedemptions(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	var mu sync.Mutex
	var queries []string
	srv.mux.HandleFunc("/public/v1/channels/rewards/redemptions", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		switch r.URL.Query().Get("cursor") {
		case "c1":
			respond(w, http.StatusOK, []byte(`{"data":[{"reward":{"id":"r1","title":"One"},"redemptions":[{"id":"d1","redeemed_at":"2025-12-19T06:26:36Z","redeemer":{"user_id":1},"status":"accepted"}]},
				{"reward":{"id":"r2","title":"Two"},"redemptions":[]}],"message":"OK","pagination":{"next_cursor":"c2"}}`))
		case "c2":
			respond(w, http.StatusOK, []byte(`{"data":[{"reward":{"id":"r1","title":"One"},"redemptions":[{"id":"d2","redeemed_at":"2025-12-19T06:30:00Z","redeemer":{"user_id":2},"status":"accepted"}]}],
				"message":"OK","pagination":{"next_cursor":""}}`))
		default:
			t.Errorf("unexpected query %q", r.URL.RawQuery)
			respond(w, http.StatusBadRequest, []byte(`{"data":null,"message":"bad cursor"}`))
		}
	})
	params := kick.RedemptionListParams{Status: kick.RedemptionAccepted, Cursor: "c1"}

	// Stopping after the first group fetches one page only.
	for g, err := range c.Rewards.AllRedemptions(context.Background(), params) {
		if err != nil {
			t.Fatal(err)
		}
		if g.Reward.ID != "r1" {
			t.Errorf("first group = %+v", g)
		}
		break
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("requests after one group = %d, want 1", n)
	}

	var ids []string
	for g, err := range c.Rewards.AllRedemptions(context.Background(), params) {
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range g.Redemptions {
			ids = append(ids, g.Reward.ID+"/"+r.ID)
		}
		if len(g.Redemptions) == 0 {
			ids = append(ids, g.Reward.ID+"/-")
		}
	}
	if diff := cmp.Diff([]string{"r1/d1", "r2/-", "r1/d2"}, ids); diff != "" {
		t.Errorf("redemptions (-want +got):\n%s", diff)
	}
	wantQueries := []url.Values{
		q("status", "accepted", "cursor", "c1"),
		q("status", "accepted", "cursor", "c1"),
		q("status", "accepted", "cursor", "c2"),
	}
	mu.Lock()
	defer mu.Unlock()
	var gotQueries []url.Values
	for _, raw := range queries {
		v, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		gotQueries = append(gotQueries, v)
	}
	if diff := cmp.Diff(wantQueries, gotQueries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

func TestRewardsAllRedemptionsError(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.mux.HandleFunc("/public/v1/channels/rewards/redemptions", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusForbidden, []byte(`{"data":null,"message":"Forbidden"}`))
	})
	n := 0
	for _, err := range c.Rewards.AllRedemptions(context.Background(), kick.RedemptionListParams{}) {
		n++
		if !errors.Is(err, kick.ErrForbidden) {
			t.Errorf("err = %v, want ErrForbidden", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want 1", n)
	}
}

func TestRewardsAcceptRedemptions(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels/rewards/redemptions/accept", want{
		method: "POST", path: "/public/v1/channels/rewards/redemptions/accept", token: userToken,
		body: `{"ids":["01KCTMKVPJSHGFM52XHC9MSHDF","01KCTMVZVAQ33RVXHGD7N7WX7E"]}`,
	}, fixture(t, "acceptRewardRedemptions"))
	got, err := c.Rewards.AcceptRedemptions(context.Background(), []string{"01KCTMKVPJSHGFM52XHC9MSHDF", "01KCTMVZVAQ33RVXHGD7N7WX7E"})
	if err != nil {
		t.Fatal(err)
	}
	wantFailed := []kick.FailedRedemption{{ID: "01KCTMVZVAQ33RVXHGD7N7WX7E", Reason: "redemption is not pending"}}
	if diff := cmp.Diff(wantFailed, got); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
}

func TestRewardsRejectRedemptions(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels/rewards/redemptions/reject", want{
		method: "POST", path: "/public/v1/channels/rewards/redemptions/reject", token: userToken,
		body: `{"ids":["01KCTNCYQG4M5TWF0FEGH259ED"]}`,
	}, fixture(t, "rejectRewardRedemptions"))
	got, err := c.Rewards.RejectRedemptions(context.Background(), []string{"01KCTNCYQG4M5TWF0FEGH259ED"})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("failed = %#v, want an empty, non-nil slice", got)
	}
}

// TestRewardsChangeRedemptionsAllSucceeded checks that "no failures" is an empty slice and no
// error (kickcom.py raises NotFound here). An answer with null data or none is an error, not "no
// failures": TestEmptySuccessAnswerIsAnError.
func TestRewardsChangeRedemptionsAllSucceeded(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"data":[]}`, `{"data":[],"message":"OK"}`} {
		for _, action := range []string{"accept", "reject"} {
			t.Run(action+" "+body, func(t *testing.T) {
				t.Parallel()
				c, srv := setup(t)
				path := "/public/v1/channels/rewards/redemptions/" + action
				srv.handle(t, path, want{method: "POST", path: path, token: userToken, body: `{"ids":["01KCTMKVPJSHGFM52XHC9MSHDF"]}`}, []byte(body))
				change := c.Rewards.AcceptRedemptions
				if action == "reject" {
					change = c.Rewards.RejectRedemptions
				}
				got, err := change(context.Background(), []string{"01KCTMKVPJSHGFM52XHC9MSHDF"})
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				if got == nil || len(got) != 0 {
					t.Errorf("failed = %#v, want an empty, non-nil slice", got)
				}
			})
		}
	}
}

func TestRewardsChangeRedemptionsInvalidInput(t *testing.T) {
	t.Parallel()
	var many []string
	for i := range 26 {
		many = append(many, "01KCTMKVPJSHGFM52XHC9MSH"+string(rune('A'+i/10))+string(rune('0'+i%10)))
	}
	tests := []struct {
		name  string
		ids   []string
		field string
	}{
		{"nil", nil, "ids"},
		{"empty", []string{}, "ids"},
		{"26 ids", many, "ids"},
		{"empty id", []string{"01KCTMKVPJSHGFM52XHC9MSHDF", ""}, "ids[1]"},
		{"repeated id", []string{"01KCTMKVPJSHGFM52XHC9MSHDF", "01KCTNCYQG4M5TWF0FEGH259ED", "01KCTMKVPJSHGFM52XHC9MSHDF"}, "ids[2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			_, err := c.Rewards.AcceptRedemptions(context.Background(), tt.ids)
			wantInvalid(t, err, "acceptRewardRedemptions", tt.field)
			_, err = c.Rewards.RejectRedemptions(context.Background(), tt.ids)
			wantInvalid(t, err, "rejectRewardRedemptions", tt.field)
			noRequest(t, srv)
		})
	}
	// 25 ids are allowed.
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/channels/rewards/redemptions/accept", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusOK, []byte(`{"data":[],"message":"OK"}`))
	})
	if _, err := c.Rewards.AcceptRedemptions(context.Background(), many[:25]); err != nil {
		t.Errorf("25 ids: %v", err)
	}
}

func TestRewardsNeedUserToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	calls := map[string]func(c *kick.Client, opts ...kick.RequestOption) error{
		"listChannelRewards": func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Rewards.List(ctx, opts...)
			return err
		},
		"createChannelReward": func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Rewards.Create(ctx, kick.RewardCreateParams{Title: "Hydrate!", Cost: 100}, opts...)
			return err
		},
		"updateChannelReward": func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Rewards.Update(ctx, "01KBSGJFS9MGCEJFEJH2AJ6QEA", kick.RewardUpdateParams{IsPaused: kick.Ptr(true)}, opts...)
			return err
		},
		"deleteChannelReward": func(c *kick.Client, opts ...kick.RequestOption) error {
			return c.Rewards.Delete(ctx, "01KBSGJFS9MGCEJFEJH2AJ6QEA", opts...)
		},
		"listRewardRedemptions": func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{}, opts...)
			return err
		},
		"listRewardRedemptions (all)": func(c *kick.Client, opts ...kick.RequestOption) error {
			for _, err := range c.Rewards.AllRedemptions(ctx, kick.RedemptionListParams{}, opts...) {
				return err
			}
			return nil
		},
		"acceptRewardRedemptions": func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Rewards.AcceptRedemptions(ctx, []string{"01KCTMKVPJSHGFM52XHC9MSHDF"}, opts...)
			return err
		},
		"rejectRewardRedemptions": func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Rewards.RejectRedemptions(ctx, []string{"01KCTMKVPJSHGFM52XHC9MSHDF"}, opts...)
			return err
		},
	}
	runNeedsUserToken(t, calls)
}

// The methods of the Rewards service in the operations table.
var _ = addOperations(
	operation{"Rewards.List", "listChannelRewards", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.List(ctx)
	}},
	operation{"Rewards.Create", "createChannelReward", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.Create(ctx, kick.RewardCreateParams{Title: "Next game", Cost: 5000})
	}},
	operation{"Rewards.Update", "updateChannelReward", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.Update(ctx, ulid, kick.RewardUpdateParams{IsPaused: kick.Ptr(true)})
	}},
	operation{"Rewards.Delete", "deleteChannelReward", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Rewards.Delete(ctx, ulid)
	}},
	operation{"Rewards.ListRedemptions", "listRewardRedemptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{RewardID: ulid})
	}},
	operation{"Rewards.AcceptRedemptions", "acceptRewardRedemptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.AcceptRedemptions(ctx, []string{ulid})
	}},
	operation{"Rewards.RejectRedemptions", "rejectRewardRedemptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.RejectRedemptions(ctx, []string{ulid})
	}},
)
