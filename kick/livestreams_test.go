package kick_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

var fixtureLivestreams = []kick.Livestream{
	{
		ID: "12b29ef6-d503-468d-98ed-072be9b3289d",
		Broadcaster: kick.LivestreamBroadcaster{
			UserID:         24871935,
			Username:       "nova_streams",
			ProfilePicture: "https://files.kick.com/images/user/24871935/profile_image/conversion/7c1f0b9e-2d4a-4f6b-9a3e-5e8d1c2b7f40-fullsize.webp",
		},
		ChannelSlug: "nova-streams",
		Category: kick.CategorySummary{
			ID:        12,
			Name:      "Rust",
			Thumbnail: "https://files.kick.com/images/subcategories/12/banner/3d1d6cbb-fc49-4d1c-b2e8-4a4b0d0c2f6e",
		},
		Title:            "FORCE WIPE DAY | solo to top clan | !discord",
		Language:         "en",
		CustomTags:       []string{"English", "Wipeday", "Solo"},
		HasMatureContent: false,
		Thumbnail:        "https://images.kick.com/video_thumbnails/nova-streams/Qm3XkR9pLw2T/fullsize.webp",
		ViewerCount:      1843,
		StartedAt:        time.Date(2025, 12, 19, 4, 2, 11, 0, time.UTC),
	},
	{
		ID: "d94758a4-f12a-4c14-aad1-2cf16eac8ade",
		Broadcaster: kick.LivestreamBroadcaster{
			UserID:         51724903,
			Username:       "lunakai",
			ProfilePicture: "https://files.kick.com/images/user/51724903/profile_image/conversion/4a9c2e7f-6b1d-4e3a-8c5f-2d7b9e1a4c63-fullsize.webp",
		},
		ChannelSlug: "lunakai",
		Category: kick.CategorySummary{
			ID:        15,
			Name:      "Just Chatting",
			Thumbnail: "https://files.kick.com/images/subcategories/15/banner/b697a8a3-62db-4779-aa76-e4e47662af97",
		},
		Title:            "sabah kahvesi & sohbet ☕",
		Language:         "tr",
		CustomTags:       []string{"Türkçe", "Sohbet"},
		HasMatureContent: true,
		Thumbnail:        "https://images.kick.com/video_thumbnails/lunakai/Jd4RfT7yKp1M/fullsize.webp",
		ViewerCount:      312,
		StartedAt:        time.Date(2025, 12, 19, 5, 47, 53, 0, time.UTC),
	},
}

func TestLivestreamsList(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v2/livestreams", want{
		method: "GET", path: "/public/v2/livestreams", token: userToken,
		query: q("cursor", "abc", "limit", "500", "category_id", "12", "category_id", "15", "language_code", "en", "language_code", "tr"),
	}, fixture(t, "listLivestreams"))
	got, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{
		CategoryIDs: []int64{12, 15},
		Languages:   []string{"en", "tr"},
		Limit:       500,
		Cursor:      "abc",
	})
	if err != nil {
		t.Fatal(err)
	}
	wantPage := kick.Page[kick.Livestream]{Items: fixtureLivestreams, NextCursor: "eyJzdGFydGVkX2F0IjoxNzY2MTIzMjczfQ"}
	if diff := cmp.Diff(wantPage, got); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}
}

func TestLivestreamsListDefaults(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/public/v2/livestreams", want{method: "GET", path: "/public/v2/livestreams", token: appToken},
		[]byte(`{"data":[],"message":"OK"}`))
	got, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{CategoryIDs: []int64{}, Languages: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Items == nil || len(got.Items) != 0 || got.NextCursor != "" {
		t.Errorf("page = %#v, want an empty last page", got)
	}
}

// livestreamPager is a fake listLivestreams: pages maps a cursor to the ids of the page's
// streams and its next cursor; a cursor missing from pages answers 500. It records the cursor of
// each request and checks that the other parameters are passed on every request.
type livestreamPager struct {
	mu      sync.Mutex
	cursors []string
}

type livestreamsPage struct {
	ids  []int
	next string
}

func serveLivestreamPages(t *testing.T, srv *server, pages map[string]livestreamsPage) *livestreamPager {
	t.Helper()
	p := &livestreamPager{}
	srv.mux.HandleFunc("/public/v2/livestreams", func(w http.ResponseWriter, r *http.Request) {
		cursor := r.URL.Query().Get("cursor")
		wantQuery := q("limit", "2", "language_code", "en")
		if cursor != "" {
			wantQuery = q("cursor", cursor, "limit", "2", "language_code", "en")
		}
		check(t, r, want{method: "GET", path: "/public/v2/livestreams", query: wantQuery, token: userToken})
		p.mu.Lock()
		p.cursors = append(p.cursors, cursor)
		p.mu.Unlock()
		page, ok := pages[cursor]
		if !ok {
			respond(w, http.StatusInternalServerError, []byte(`{"data":null,"message":"Internal Server Error"}`))
			return
		}
		var items []string
		for _, id := range page.ids {
			items = append(items, fmt.Sprintf(`{"id":"stream-%d","broadcaster_user":{"id":%d}}`, id, id))
		}
		respond(w, http.StatusOK, []byte(fmt.Sprintf(`{"data":[%s],"message":"OK","pagination":{"next_cursor":%q}}`, strings.Join(items, ","), page.next)))
	})
	return p
}

func (p *livestreamPager) requested() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string{}, p.cursors...)
}

// collectLivestreams ranges over the livestreams of All with params limit 2 and language en, returning the
// ids of the streams and the errors yielded, and breaking after stop items when stop > 0.
func collectLivestreams(ctx context.Context, c *kick.Client, stop int) (ids []string, errs []error) {
	for l, err := range c.Livestreams.All(ctx, kick.LivestreamListParams{Languages: []string{"en"}, Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, l.ID)
		if stop > 0 && len(ids) == stop {
			break
		}
	}
	return ids, errs
}

func TestLivestreamsAllThreePages(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	p := serveLivestreamPages(t, srv, map[string]livestreamsPage{
		"":   {ids: []int{1, 2}, next: "c2"},
		"c2": {ids: []int{3, 4}, next: "c3"},
		"c3": {ids: []int{5}, next: ""},
	})
	ids, errs := collectLivestreams(context.Background(), c, 0)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if diff := cmp.Diff([]string{"stream-1", "stream-2", "stream-3", "stream-4", "stream-5"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "c2", "c3"}, p.requested()); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestLivestreamsAllStartCursor(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	p := serveLivestreamPages(t, srv, map[string]livestreamsPage{"c2": {ids: []int{3}, next: ""}})
	var ids []string
	for l, err := range c.Livestreams.All(context.Background(), kick.LivestreamListParams{Languages: []string{"en"}, Limit: 2, Cursor: "c2"}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
	}
	if diff := cmp.Diff([]string{"stream-3"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c2"}, p.requested()); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestLivestreamsAllEmptyFirstPage(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	// A cursor on an empty page is not followed.
	p := serveLivestreamPages(t, srv, map[string]livestreamsPage{"": {next: "c2"}, "c2": {ids: []int{3}}})
	ids, errs := collectLivestreams(context.Background(), c, 0)
	if len(ids) != 0 || len(errs) != 0 {
		t.Errorf("yielded %v, %v; want nothing", ids, errs)
	}
	if diff := cmp.Diff([]string{""}, p.requested()); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestLivestreamsAllRepeatedCursor(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	// Page 2 hands back its own cursor: a third request would loop forever.
	p := serveLivestreamPages(t, srv, map[string]livestreamsPage{
		"":   {ids: []int{1, 2}, next: "c2"},
		"c2": {ids: []int{3, 4}, next: "c2"},
	})
	ids, errs := collectLivestreams(context.Background(), c, 0)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if diff := cmp.Diff([]string{"stream-1", "stream-2", "stream-3", "stream-4"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "c2"}, p.requested()); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestLivestreamsAllErrorOnPage2(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	// "c2" is not served: the second page fails with 500; "c3" would be a third page.
	p := serveLivestreamPages(t, srv, map[string]livestreamsPage{
		"":   {ids: []int{1, 2}, next: "c2"},
		"c3": {ids: []int{5}},
	})
	ids, errs := collectLivestreams(context.Background(), c, 0)
	if diff := cmp.Diff([]string{"stream-1", "stream-2"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	var ae *kick.APIError
	if len(errs) != 1 || !errors.As(errs[0], &ae) || !errors.Is(errs[0], kick.ErrServer) || ae.Operation != "listLivestreams" {
		t.Errorf("errors = %v, want one *APIError matching ErrServer", errs)
	}
	if diff := cmp.Diff([]string{"", "c2"}, p.requested()); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestLivestreamsAllCanceled(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ids, errs := collectLivestreams(ctx, c, 0)
	if len(ids) != 0 || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("yielded %v, %v; want only context.Canceled", ids, errs)
	}
	noRequest(t, srv)
}

func TestLivestreamsAllCanceledBetweenPages(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	p := serveLivestreamPages(t, srv, map[string]livestreamsPage{
		"":   {ids: []int{1, 2}, next: "c2"},
		"c2": {ids: []int{3}},
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ids []string
	var errs []error
	for l, err := range c.Livestreams.All(ctx, kick.LivestreamListParams{Languages: []string{"en"}, Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, l.ID)
		cancel()
	}
	if diff := cmp.Diff([]string{"stream-1", "stream-2"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("errors = %v, want context.Canceled", errs)
	}
	if diff := cmp.Diff([]string{""}, p.requested()); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestLivestreamsAllLazy(t *testing.T) {
	t.Parallel()
	for _, stop := range []int{1, 2} {
		t.Run(fmt.Sprint("break after ", stop), func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			p := serveLivestreamPages(t, srv, map[string]livestreamsPage{
				"":   {ids: []int{1, 2}, next: "c2"},
				"c2": {ids: []int{3, 4}},
			})
			ids, errs := collectLivestreams(context.Background(), c, stop)
			if len(errs) != 0 || len(ids) != stop {
				t.Fatalf("yielded %v, %v", ids, errs)
			}
			// Breaking even on the last item of page 1 fetches no page 2.
			if diff := cmp.Diff([]string{""}, p.requested()); diff != "" {
				t.Errorf("cursors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLivestreamsGetByUsers(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	// The app token is preferred: it is the one Kick documents for this endpoint.
	srv.handle(t, "/public/v1/users/livestreams", want{
		method: "GET", path: "/public/v1/users/livestreams", query: q("user_id", "51724903", "user_id", "3", "user_id", "24871935"), token: appToken,
	}, fixture(t, "getUsersLivestreams"))
	got, err := c.Livestreams.GetByUsers(context.Background(), []int64{51724903, 3, 24871935, 3})
	if err != nil {
		t.Fatal(err)
	}
	// In input order; user 3 is not live.
	wantStreams := []kick.Livestream{fixtureLivestreams[1], fixtureLivestreams[0]}
	if diff := cmp.Diff(wantStreams, got); diff != "" {
		t.Errorf("livestreams (-want +got):\n%s", diff)
	}
}

func TestLivestreamsGetByUsersTokenKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		user, app bool
		opts      []kick.RequestOption
		token     string
	}{
		{name: "app preferred", user: true, app: true, token: appToken},
		{name: "user only", user: true, token: userToken},
		{name: "user chosen", user: true, app: true, opts: []kick.RequestOption{kick.WithTokenKind(kick.TokenKindUser)}, token: userToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupWith(t, tt.user, tt.app)
			srv.handle(t, "/public/v1/users/livestreams", want{
				method: "GET", path: "/public/v1/users/livestreams", query: q("user_id", "1"), token: tt.token,
			}, []byte(`{"data":[],"message":"OK"}`))
			got, err := c.Livestreams.GetByUsers(context.Background(), []int64{1}, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != 0 {
				t.Errorf("livestreams = %#v, want an empty, non-nil slice", got)
			}
		})
	}
}

func TestLivestreamsGetByUsersBatches(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	var mu sync.Mutex
	var sizes []int
	srv.mux.HandleFunc("/public/v1/users/livestreams", func(w http.ResponseWriter, r *http.Request) {
		ids := r.URL.Query()["user_id"]
		mu.Lock()
		sizes = append(sizes, len(ids))
		mu.Unlock()
		var items []string
		// Reverse order; even users are not live.
		for i := len(ids) - 1; i >= 0; i-- {
			var id int
			if _, err := fmt.Sscan(ids[i], &id); err != nil {
				t.Errorf("id %q: %v", ids[i], err)
			}
			if id%2 == 1 {
				items = append(items, fmt.Sprintf(`{"id":"s%d","broadcaster_user":{"id":%d}}`, id, id))
			}
		}
		respond(w, http.StatusOK, []byte(`{"data":[`+strings.Join(items, ",")+`],"message":"OK"}`))
	})
	var ids []int64
	for i := 1; i <= 250; i++ {
		ids = append(ids, int64(i))
	}
	ids = append(ids, 1, 249) // repeats are fetched once
	got, err := c.Livestreams.GetByUsers(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{100, 100, 50}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	var gotIDs, wantIDs []int64
	for _, l := range got {
		gotIDs = append(gotIDs, l.Broadcaster.UserID)
	}
	for i := int64(1); i <= 250; i += 2 {
		wantIDs = append(wantIDs, i)
	}
	if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestLivestreamsGetByUsersNone(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	got, err := c.Livestreams.GetByUsers(context.Background(), nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("GetByUsers(nil) = %#v, %v; want an empty slice", got, err)
	}
	noRequest(t, srv)
}

func TestLivestreamsStats(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/public/v1/livestreams/stats", want{method: "GET", path: "/public/v1/livestreams/stats", token: appToken}, fixture(t, "getLivestreamStats"))
	got, err := c.Livestreams.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&kick.LivestreamStats{TotalCount: 15487}, got); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestLivestreamsListV1(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/livestreams", want{
		method: "GET", path: "/public/v1/livestreams", token: userToken,
		query: q("broadcaster_user_id", "24871935", "broadcaster_user_id", "51724903", "category_id", "12", "language", "en", "limit", "100", "sort", "started_at"),
	}, fixture(t, "getLivestreamsV1"))
	got, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{
		BroadcasterUserIDs: []int64{24871935, 51724903},
		CategoryID:         12,
		Language:           "en",
		Limit:              100,
		Sort:               kick.LivestreamSortStartedAt,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantStreams := []kick.LivestreamV1{
		{
			BroadcasterUserID: 24871935,
			ChannelID:         24592127,
			ChannelSlug:       "nova-streams",
			Title:             "FORCE WIPE DAY | solo to top clan | !discord",
			Language:          "en",
			HasMatureContent:  false,
			ViewerCount:       1843,
			Thumbnail:         "https://images.kick.com/video_thumbnails/nova-streams/Qm3XkR9pLw2T/fullsize.webp",
			ProfilePicture:    "https://files.kick.com/images/user/24871935/profile_image/conversion/7c1f0b9e-2d4a-4f6b-9a3e-5e8d1c2b7f40-fullsize.webp",
			StartedAt:         time.Date(2025, 12, 19, 4, 2, 11, 0, time.UTC),
			Category: kick.CategorySummary{
				ID:        12,
				Name:      "Rust",
				Thumbnail: "https://files.kick.com/images/subcategories/12/banner/3d1d6cbb-fc49-4d1c-b2e8-4a4b0d0c2f6e",
			},
			CustomTags: []string{"English", "Wipeday", "Solo"},
		},
		{
			BroadcasterUserID: 51724903,
			ChannelID:         51398876,
			ChannelSlug:       "lunakai",
			Title:             "sabah kahvesi & sohbet ☕",
			Language:          "tr",
			HasMatureContent:  true,
			ViewerCount:       312,
			Thumbnail:         "https://images.kick.com/video_thumbnails/lunakai/Jd4RfT7yKp1M/fullsize.webp",
			ProfilePicture:    "https://files.kick.com/images/user/51724903/profile_image/conversion/4a9c2e7f-6b1d-4e3a-8c5f-2d7b9e1a4c63-fullsize.webp",
			StartedAt:         time.Date(2025, 12, 19, 5, 47, 53, 0, time.UTC),
			Category: kick.CategorySummary{
				ID:        15,
				Name:      "Just Chatting",
				Thumbnail: "https://files.kick.com/images/subcategories/15/banner/b697a8a3-62db-4779-aa76-e4e47662af97",
			},
			CustomTags: []string{"Türkçe", "Sohbet"},
		},
	}
	if diff := cmp.Diff(wantStreams, got); diff != "" {
		t.Errorf("livestreams (-want +got):\n%s", diff)
	}
}

func TestLivestreamsListV1Defaults(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/public/v1/livestreams", want{method: "GET", path: "/public/v1/livestreams", token: appToken},
		[]byte(`{"data":[],"message":"OK"}`))
	got, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("livestreams = %#v, want an empty, non-nil slice", got)
	}
}

func TestLivestreamsInvalidInput(t *testing.T) {
	t.Parallel()
	many := func(n int) []int64 {
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		return ids
	}
	langs := make([]string, 26)
	for i := range langs {
		langs[i] = "en"
	}
	tests := []invalidCase{
		{"26 categories", func(c *kick.Client) error {
			_, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{CategoryIDs: many(26)})
			return err
		}, "listLivestreams", "CategoryIDs"},
		{"category zero", func(c *kick.Client) error {
			_, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{CategoryIDs: []int64{12, 0}})
			return err
		}, "listLivestreams", "CategoryIDs[1]"},
		{"26 languages", func(c *kick.Client) error {
			_, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{Languages: langs})
			return err
		}, "listLivestreams", "Languages"},
		{"language too short", func(c *kick.Client) error {
			_, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{Languages: []string{"en", "e"}})
			return err
		}, "listLivestreams", "Languages[1]"},
		{"limit negative", func(c *kick.Client) error {
			_, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{Limit: -5})
			return err
		}, "listLivestreams", "Limit"},
		{"limit over 1000", func(c *kick.Client) error {
			_, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{Limit: 1001})
			return err
		}, "listLivestreams", "Limit"},
		{"all checks too", func(c *kick.Client) error {
			for _, err := range c.Livestreams.All(context.Background(), kick.LivestreamListParams{CategoryIDs: []int64{-1}}) {
				return err
			}
			return nil
		}, "listLivestreams", "CategoryIDs[0]"},
		{"user id zero", func(c *kick.Client) error {
			_, err := c.Livestreams.GetByUsers(context.Background(), []int64{5, 0})
			return err
		}, "getUsersLivestreams", "userIDs[1]"},
		{"v1 51 broadcasters", func(c *kick.Client) error {
			_, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{BroadcasterUserIDs: many(51)})
			return err
		}, "getLivestreamsV1", "BroadcasterUserIDs"},
		{"v1 broadcaster zero", func(c *kick.Client) error {
			_, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{BroadcasterUserIDs: []int64{0}})
			return err
		}, "getLivestreamsV1", "BroadcasterUserIDs[0]"},
		{"v1 category negative", func(c *kick.Client) error {
			_, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{CategoryID: -1})
			return err
		}, "getLivestreamsV1", "CategoryID"},
		{"v1 language too short", func(c *kick.Client) error {
			_, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{Language: "e"})
			return err
		}, "getLivestreamsV1", "Language"},
		{"v1 limit over 100", func(c *kick.Client) error {
			_, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{Limit: 101})
			return err
		}, "getLivestreamsV1", "Limit"},
		{"v1 limit negative", func(c *kick.Client) error {
			_, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{Limit: -1})
			return err
		}, "getLivestreamsV1", "Limit"},
		{"v1 unknown sort", func(c *kick.Client) error {
			_, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{Sort: "popularity"})
			return err
		}, "getLivestreamsV1", "Sort"},
	}
	runInvalidCases(t, tests)
}

func TestLivestreamsLimitsAccepted(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	// The largest inputs the spec allows are sent, not refused.
	srv.mux.HandleFunc("/public/v2/livestreams", func(w http.ResponseWriter, r *http.Request) {
		if got := len(r.URL.Query()["category_id"]); got != 25 {
			t.Errorf("category_id count = %d, want 25", got)
		}
		respond(w, http.StatusOK, []byte(`{"data":[],"message":"OK"}`))
	})
	srv.mux.HandleFunc("/public/v1/livestreams", func(w http.ResponseWriter, r *http.Request) {
		if got := len(r.URL.Query()["broadcaster_user_id"]); got != 50 {
			t.Errorf("broadcaster_user_id count = %d, want 50", got)
		}
		respond(w, http.StatusOK, []byte(`{"data":[],"message":"OK"}`))
	})
	ids := make([]int64, 50)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	if _, err := c.Livestreams.List(context.Background(), kick.LivestreamListParams{CategoryIDs: ids[:25], Limit: 1000}); err != nil {
		t.Error(err)
	}
	if _, err := c.Livestreams.ListV1(context.Background(), kick.LivestreamListV1Params{BroadcasterUserIDs: ids, Limit: 100, Sort: kick.LivestreamSortViewerCount}); err != nil {
		t.Error(err)
	}
}

func TestLivestreamsMissingToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, false)
	_, err := c.Livestreams.GetByUsers(context.Background(), []int64{1})
	var mt *kick.MissingTokenError
	if !errors.As(err, &mt) {
		t.Fatalf("err = %v, want a *MissingTokenError", err)
	}
	if diff := cmp.Diff([]kick.TokenKind{kick.TokenKindApp, kick.TokenKindUser}, mt.Accepted); diff != "" {
		t.Errorf("accepted (-want +got):\n%s", diff)
	}
	if _, err := c.Livestreams.Stats(context.Background()); !errors.Is(err, kick.ErrMissingToken) {
		t.Errorf("Stats: err = %v, want ErrMissingToken", err)
	}
	noRequest(t, srv)
}

// The methods of the Livestreams service in the operations table.
var _ = addOperations(
	operation{"Livestreams.List", "listLivestreams", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.List(ctx, kick.LivestreamListParams{Languages: []string{"en"}})
	}},
	operation{"Livestreams.ListV1", "getLivestreamsV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.ListV1(ctx, kick.LivestreamListV1Params{CategoryID: 12}) //nolint:staticcheck // every operation, the deprecated ones too
	}},
	operation{"Livestreams.Stats", "getLivestreamStats", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.Stats(ctx)
	}},
	operation{"Livestreams.GetByUsers", "getUsersLivestreams", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.GetByUsers(ctx, []int64{24871935})
	}},
)
