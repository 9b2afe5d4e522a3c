package kick_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

// fixtureStreamKey is the stream key in testdata/responses/getChannels.json.
const fixtureStreamKey = "sk_us-west-2_Xp4Lq9Zr2VbN_h7TfKd3WmYc8GsJe1AoRuPv5Bn6"

var fixtureChannels = []kick.Channel{
	{
		BroadcasterUserID: 24871935,
		Slug:              "nova-streams",
		Description:       "Daily Rust wipes and chill vibes. Business: nova.streams@example.com",
		BannerPicture:     "https://files.kick.com/images/channel/24871935/banner_image/1f3a5c7e-9b2d-4f60-8a1c-3e5b7d9f0a2c",
		StreamTitle:       "FORCE WIPE DAY | solo to top clan | !discord",
		Category: kick.CategorySummary{
			ID:        12,
			Name:      "Rust",
			Thumbnail: "https://files.kick.com/images/subcategories/12/banner/3d1d6cbb-fc49-4d1c-b2e8-4a4b0d0c2f6e",
		},
		Stream: kick.Stream{
			URL:              "rtmps://fa723fc1b171.global-contribute.live-video.net:443/app/",
			Key:              fixtureStreamKey,
			IsLive:           true,
			HasMatureContent: false,
			Language:         "en",
			StartedAt:        time.Date(2025, 12, 19, 4, 2, 11, 0, time.UTC),
			Thumbnail:        "https://images.kick.com/video_thumbnails/nova-streams/Qm3XkR9pLw2T/fullsize.webp",
			ViewerCount:      1843,
			CustomTags:       []string{"English", "Wipeday", "Solo"},
		},
		ActiveSubscribersCount:   1204,
		CanceledSubscribersCount: 87,
	},
	{
		BroadcasterUserID: 9183746,
		Slug:              "pixelpanda",
		Description:       "Tactical shooters, late nights. Be nice in chat.",
		BannerPicture:     "https://files.kick.com/images/channel/9183746/banner_image/8d2f4b6a-1c3e-4a5b-9f7d-0e2c4a6b8d1f",
		StreamTitle:       "Premier grind to 20k",
		Category: kick.CategorySummary{
			ID:        8549,
			Name:      "Counter-Strike 2",
			Thumbnail: "https://files.kick.com/images/subcategories/8549/banner/a3f0e4c2-5b7d-4c1e-9e2a-6f1b8d9c0e3a",
		},
		Stream: kick.Stream{
			URL:              "",
			Key:              "",
			IsLive:           false,
			HasMatureContent: false,
			Language:         "en",
			StartedAt:        time.Time{}, // 0001-01-01T00:00:00Z: offline
			Thumbnail:        "https://images.kick.com/video_thumbnails/pixelpanda/Vw8HtN2cJs5Y/fullsize.webp",
			ViewerCount:      0,
			CustomTags:       []string{"English", "Competitive"},
		},
		ActiveSubscribersCount:   312,
		CanceledSubscribersCount: 19,
	},
}

// cmpChannels compares stream keys by value: cmp would otherwise call their String method and see
// "REDACTED" on both sides.
var cmpChannels = cmp.Comparer(func(a, b kick.Secret) bool { return a.Reveal() == b.Reveal() })

func TestChannelsGet(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels", want{
		method: "GET", path: "/public/v1/channels", query: q("broadcaster_user_id", "24871935", "broadcaster_user_id", "9183746"), token: userToken,
	}, fixture(t, "getChannels"))
	got, err := c.Channels.Get(context.Background(), []int64{24871935, 9183746})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fixtureChannels, got, cmpChannels); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
	if !got[1].Stream.StartedAt.IsZero() {
		t.Errorf("offline StartedAt = %v, want the zero time", got[1].Stream.StartedAt)
	}
}

func TestChannelsGetOrderAndTokenKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		user, app bool
		opts      []kick.RequestOption
		token     string
	}{
		{name: "user preferred", user: true, app: true, token: userToken},
		{name: "app only", app: true, token: appToken},
		{name: "app chosen", user: true, app: true, opts: []kick.RequestOption{kick.WithTokenKind(kick.TokenKindApp)}, token: appToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupWith(t, tt.user, tt.app)
			srv.handle(t, "/public/v1/channels", want{
				method: "GET", path: "/public/v1/channels", query: q("broadcaster_user_id", "9183746", "broadcaster_user_id", "5", "broadcaster_user_id", "24871935"), token: tt.token,
			}, fixture(t, "getChannels"))
			// Kick answers in its own order and leaves out id 5; a repeat is sent once.
			got, err := c.Channels.Get(context.Background(), []int64{9183746, 5, 24871935, 9183746}, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			want := []kick.Channel{fixtureChannels[1], fixtureChannels[0]}
			if diff := cmp.Diff(want, got, cmpChannels); diff != "" {
				t.Errorf("channels (-want +got):\n%s", diff)
			}
		})
	}
}

// channelsServer answers getChannels with one channel per broadcaster_user_id or slug asked for,
// in reverse order, leaving out the id 7 and the slug "gone", and records each batch.
func channelsServer(t *testing.T, srv *server) *[][]string {
	t.Helper()
	var mu sync.Mutex
	batches := &[][]string{}
	srv.mux.HandleFunc("/public/v1/channels", func(w http.ResponseWriter, r *http.Request) {
		ids, slugs := r.URL.Query()["broadcaster_user_id"], r.URL.Query()["slug"]
		if len(ids) > 0 && len(slugs) > 0 {
			respond(w, http.StatusBadRequest, []byte(`{"data":null,"message":"Invalid parameters or mixed parameter types"}`))
			return
		}
		mu.Lock()
		*batches = append(*batches, append(ids, slugs...))
		mu.Unlock()
		var items []string
		for i := len(ids) - 1; i >= 0; i-- {
			if ids[i] != "7" {
				items = append(items, fmt.Sprintf(`{"broadcaster_user_id":%s,"slug":"c%s"}`, ids[i], ids[i]))
			}
		}
		for i := len(slugs) - 1; i >= 0; i-- {
			if slugs[i] != "gone" {
				// Kick's slugs are lowercase whatever the case asked for.
				items = append(items, fmt.Sprintf(`{"broadcaster_user_id":%d,"slug":%q}`, 1000+i, strings.ToLower(slugs[i])))
			}
		}
		respond(w, http.StatusOK, []byte(`{"data":[`+strings.Join(items, ",")+`],"message":"OK"}`))
	})
	return batches
}

func TestChannelsGetBatches(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	batches := channelsServer(t, srv)
	var ids []int64
	for i := 120; i >= 1; i-- {
		ids = append(ids, int64(i))
	}
	ids = append(ids, 3) // a repeat is fetched once
	got, err := c.Channels.Get(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, b := range *batches {
		sizes = append(sizes, len(b))
	}
	if diff := cmp.Diff([]int{50, 50, 20}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	var gotIDs, wantIDs []int64
	for _, ch := range got {
		gotIDs = append(gotIDs, ch.BroadcasterUserID)
	}
	for i := int64(120); i >= 1; i-- {
		if i != 7 {
			wantIDs = append(wantIDs, i)
		}
	}
	if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
		t.Errorf("channel order (-want +got):\n%s", diff)
	}
}

func TestChannelsGetBySlug(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/public/v1/channels", want{
		method: "GET", path: "/public/v1/channels", query: q("slug", "pixelpanda", "slug", "nova-streams"), token: appToken,
	}, fixture(t, "getChannels"))
	got, err := c.Channels.GetBySlug(context.Background(), []string{"pixelpanda", "nova-streams"})
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.Channel{fixtureChannels[1], fixtureChannels[0]}
	if diff := cmp.Diff(want, got, cmpChannels); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
}

func TestChannelsGetBySlugCaseAndBatches(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	batches := channelsServer(t, srv)
	var slugs, wantSlugs []string
	for i := range 60 {
		slugs = append(slugs, fmt.Sprintf("Chan-%02d", i))
		wantSlugs = append(wantSlugs, fmt.Sprintf("chan-%02d", i))
	}
	// "CHAN-05" repeats "Chan-05" but for case: fetched once, placed at the first.
	slugs = append(slugs, "CHAN-05", "gone")
	got, err := c.Channels.GetBySlug(context.Background(), slugs)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, b := range *batches {
		sizes = append(sizes, len(b))
	}
	if diff := cmp.Diff([]int{50, 11}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if (*batches)[0][0] != "Chan-00" {
		t.Errorf("first slug sent = %q, want it as given", (*batches)[0][0])
	}
	var gotSlugs []string
	for _, ch := range got {
		gotSlugs = append(gotSlugs, ch.Slug)
	}
	if diff := cmp.Diff(wantSlugs, gotSlugs); diff != "" {
		t.Errorf("channel order (-want +got):\n%s", diff)
	}
}

func TestChannelsMe(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels", want{method: "GET", path: "/public/v1/channels", token: userToken}, fixture(t, "getChannels"))
	got, err := c.Channels.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&fixtureChannels[0], got, cmpChannels); diff != "" {
		t.Errorf("channel (-want +got):\n%s", diff)
	}
	if got.Stream.Key.Reveal() != fixtureStreamKey {
		t.Errorf("Reveal() = %q, want the key", got.Stream.Key.Reveal())
	}
}

func TestChannelsMeEmpty(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/channels", want{method: "GET", path: "/public/v1/channels", token: userToken}, []byte(`{"data":[],"message":"OK"}`))
	_, err := c.Channels.Me(context.Background())
	if !errors.Is(err, kick.ErrUnexpectedResponse) {
		t.Errorf("err = %v, want ErrUnexpectedResponse", err)
	}
}

func TestChannelsNeedUserToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(c *kick.Client, opts ...kick.RequestOption) error
		op   string
	}{
		{"Me", func(c *kick.Client, opts ...kick.RequestOption) error {
			_, err := c.Channels.Me(context.Background(), opts...)
			return err
		}, "getChannels"},
		{"Update", func(c *kick.Client, opts ...kick.RequestOption) error {
			return c.Channels.Update(context.Background(), kick.ChannelUpdateParams{StreamTitle: kick.Ptr("t")}, opts...)
		}, "updateChannel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupWith(t, false, true)
			err := tt.call(c)
			var mt *kick.MissingTokenError
			if !errors.As(err, &mt) || !errors.Is(err, kick.ErrMissingToken) {
				t.Fatalf("err = %v, want a *MissingTokenError", err)
			}
			if mt.Operation != tt.op {
				t.Errorf("operation = %q, want %q", mt.Operation, tt.op)
			}
			if diff := cmp.Diff([]kick.TokenKind{kick.TokenKindUser}, mt.Accepted); diff != "" {
				t.Errorf("accepted (-want +got):\n%s", diff)
			}
			if err := tt.call(c, kick.WithTokenKind(kick.TokenKindApp)); !errors.Is(err, kick.ErrMissingToken) {
				t.Errorf("with the app token chosen: err = %v, want ErrMissingToken", err)
			}
			noRequest(t, srv)
		})
	}
}

func TestChannelsUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		u    kick.ChannelUpdateParams
		body string
	}{
		{"all fields", kick.ChannelUpdateParams{CategoryID: kick.Ptr(int64(12)), StreamTitle: kick.Ptr("Wipe day"), CustomTags: []string{"English", "Chill"}},
			`{"category_id":12,"stream_title":"Wipe day","custom_tags":["English","Chill"]}`},
		{"title only", kick.ChannelUpdateParams{StreamTitle: kick.Ptr("Wipe day")}, `{"stream_title":"Wipe day"}`},
		{"category only", kick.ChannelUpdateParams{CategoryID: kick.Ptr(int64(8549))}, `{"category_id":8549}`},
		{"tags only", kick.ChannelUpdateParams{CustomTags: []string{"Solo"}}, `{"custom_tags":["Solo"]}`},
		{"clear tags", kick.ChannelUpdateParams{CustomTags: []string{}}, `{"custom_tags":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			var raw []byte
			srv.mux.HandleFunc("/public/v1/channels", func(w http.ResponseWriter, r *http.Request) {
				var buf bytes.Buffer
				_, _ = buf.ReadFrom(r.Body)
				raw = buf.Bytes()
				r.Body = channelsBody{bytes.NewReader(raw)}
				check(t, r, want{method: "PATCH", path: "/public/v1/channels", body: tt.body, token: userToken})
				w.WriteHeader(http.StatusNoContent)
			})
			if err := c.Channels.Update(context.Background(), tt.u); err != nil {
				t.Fatal(err)
			}
			// Exact bytes too: "custom_tags":[] must not become null or vanish.
			var exp bytes.Buffer
			if err := json.Compact(&exp, []byte(tt.body)); err != nil {
				t.Fatal(err)
			}
			if string(raw) != exp.String() {
				t.Errorf("body = %s, want %s", raw, exp.String())
			}
		})
	}
}

type channelsBody struct{ *bytes.Reader }

func (channelsBody) Close() error { return nil }

func TestChannelsInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []invalidCase{
		{"id zero", func(c *kick.Client) error {
			_, err := c.Channels.Get(context.Background(), []int64{1, 0})
			return err
		}, "getChannels", "broadcasterUserIDs[1]"},
		{"id negative", func(c *kick.Client) error {
			_, err := c.Channels.Get(context.Background(), []int64{-4})
			return err
		}, "getChannels", "broadcasterUserIDs[0]"},
		{"slug empty", func(c *kick.Client) error {
			_, err := c.Channels.GetBySlug(context.Background(), []string{"ok", ""})
			return err
		}, "getChannels", "slugs[1]"},
		{"slug too long", func(c *kick.Client) error {
			_, err := c.Channels.GetBySlug(context.Background(), []string{strings.Repeat("a", 26)})
			return err
		}, "getChannels", "slugs[0]"},
		{"no field", func(c *kick.Client) error {
			return c.Channels.Update(context.Background(), kick.ChannelUpdateParams{})
		}, "updateChannel", "ChannelUpdateParams"},
		{"category zero", func(c *kick.Client) error {
			return c.Channels.Update(context.Background(), kick.ChannelUpdateParams{CategoryID: kick.Ptr(int64(0))})
		}, "updateChannel", "CategoryID"},
		{"title empty", func(c *kick.Client) error {
			return c.Channels.Update(context.Background(), kick.ChannelUpdateParams{StreamTitle: kick.Ptr(""), CategoryID: kick.Ptr(int64(1))})
		}, "updateChannel", "StreamTitle"},
		{"tag empty", func(c *kick.Client) error {
			return c.Channels.Update(context.Background(), kick.ChannelUpdateParams{CustomTags: []string{"English", ""}})
		}, "updateChannel", "CustomTags[1]"},
	}
	runInvalidCases(t, tests)
}

func TestChannelsNoInput(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	byID, err := c.Channels.Get(context.Background(), nil)
	if err != nil || byID == nil || len(byID) != 0 {
		t.Errorf("Get(nil) = %#v, %v; want an empty slice", byID, err)
	}
	bySlug, err := c.Channels.GetBySlug(context.Background(), []string{})
	if err != nil || bySlug == nil || len(bySlug) != 0 {
		t.Errorf("GetBySlug([]) = %#v, %v; want an empty slice", bySlug, err)
	}
	noRequest(t, srv)
}

func TestStreamKeyRedacted(t *testing.T) {
	t.Parallel()
	ch := fixtureChannels[0]
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, v := range []any{ch, &ch, ch.Stream, ch.Stream.Key} {
			out := fmt.Sprintf(format, v)
			if strings.Contains(out, fixtureStreamKey) || strings.Contains(out, "sk_us") {
				t.Errorf("Sprintf(%q, %T) leaks the key: %s", format, v, out)
			}
		}
	}
	if got := fmt.Sprintf("%v", ch.Stream.Key); got != "REDACTED" {
		t.Errorf("%%v = %q, want REDACTED", got)
	}
	if got := fmt.Sprintf("%#v", ch.Stream.Key); got != `"REDACTED"` {
		t.Errorf("%%#v = %q, want %q", got, `"REDACTED"`)
	}
	if got := fmt.Sprintf("%+v", ch.Stream); !strings.Contains(got, "Key:REDACTED") {
		t.Errorf("%%+v = %s, want Key:REDACTED", got)
	}
	if got := ch.Stream.Key.Reveal(); got != fixtureStreamKey {
		t.Errorf("Reveal() = %q", got)
	}

	var empty kick.Secret
	if empty.String() != "" || empty.GoString() != `""` || empty.LogValue().String() != "" {
		t.Errorf("empty key: String %q, GoString %q, LogValue %q; want empty", empty.String(), empty.GoString(), empty.LogValue())
	}

	b, err := json.Marshal(ch)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(fixtureStreamKey)) || !bytes.Contains(b, []byte(`"key":"REDACTED"`)) {
		t.Errorf("json.Marshal leaks the key or lost REDACTED: %s", b)
	}
}

func TestStreamKeySlog(t *testing.T) {
	t.Parallel()
	ch := fixtureChannels[0]
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("channel", "channel", ch, "ptr", &ch, "stream", ch.Stream, "key", ch.Stream.Key,
			slog.Group("g", "key", ch.Stream.Key), slog.Any("any", ch.Stream.Key))
	}
	out := buf.String()
	if strings.Contains(out, fixtureStreamKey) || strings.Contains(out, "sk_us") {
		t.Errorf("slog output leaks the key:\n%s", out)
	}
	if !strings.Contains(out, "key=REDACTED") || !strings.Contains(out, `"key":"REDACTED"`) {
		t.Errorf("slog output lacks the redacted key:\n%s", out)
	}
}

// The methods of the Channels service in the operations table.
var _ = addOperations(
	operation{"Channels.Get", "getChannels", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Channels.Get(ctx, []int64{24871935})
	}},
	operation{"Channels.Me", "getChannels", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Channels.Me(ctx)
	}},
	operation{"Channels.Update", "updateChannel", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Channels.Update(ctx, kick.ChannelUpdateParams{StreamTitle: kick.Ptr("variety")})
	}},
)
