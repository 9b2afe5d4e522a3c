package kick_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
)

// BenchmarkOps runs every operation of the spec, through every method that calls it with a
// different answer, beside the raw baseline (raw_bench_test.go) on the same loopback server and
// the same answer: sub-benchmarks Ops/<class>/<method><size>/impl=raw, impl=kick and impl=pair
// (benchImpls). The class is "list" for a call whose answer holds at least listItems items and
// "call" for the others: `make bench` holds each class to its targets (BENCHMARKS.md).
// An operation without a case of its own (a new one) is measured in the class "generic"
// (genericCases): its method from the operations table on its spec's example, against a raw
// client that replays the request the method sent and decodes the answer into an untyped value,
// slower than the typed structs of a case's raw twin; `make bench` holds generic cases to no
// target, so a new operation is measured but waits for a case of its own to be judged.
//
//	go test -run='^$' -bench='^BenchmarkOps$/list/Users.Get50' -benchmem ./kick/
func BenchmarkOps(b *testing.B) {
	for _, oc := range slices.Concat(opCases, genericCases()) {
		b.Run(oc.class()+"/"+oc.name, func(b *testing.B) {
			s := oc.setup(b)
			srv := opServer(b, oc.id, s)
			c := benchClient(b, srv)
			rc := &rawClient{hc: httpClient(b), api: srv.URL, oauth: srv.URL, bearerToken: benchToken}
			ctx := context.Background()
			// Both must work before they are timed.
			if err := s.raw(ctx, rc); err != nil {
				b.Fatalf("raw: %v", err)
			}
			if err := s.kick(ctx, c); err != nil {
				b.Fatalf("kick: %v", err)
			}
			benchImpls(b, func(tb testing.TB) {
				if err := s.raw(ctx, rc); err != nil {
					tb.Fatalf("raw: %v", err)
				}
			}, func(tb testing.TB) {
				if err := s.kick(ctx, c); err != nil {
					tb.Fatalf("kick: %v", err)
				}
			})
		})
	}
}

// listItems is the size from which an answer counts as a list.
const listItems = 25

// opCase is one method benchmarked against the raw baseline.
type opCase struct {
	name  string // the method and the size of its answer, such as "Users.Get50"
	id    string // the operation id
	items int    // the items of the answer: listItems or more make it a list; genericItems for genericCases
	setup func(b *testing.B) opSetup
}

// genericItems is the items of a case of genericCases, whose answer is not sized.
const genericItems = -1

func (oc opCase) class() string {
	if oc.items == genericItems {
		return "generic"
	}
	if oc.items >= listItems {
		return "list"
	}
	return "call"
}

// opSetup is the answer of a case and its two implementations, each of which checks what it got.
type opSetup struct {
	body        []byte // nil for a 204 answer
	contentType string // "" for application/json
	kick        func(ctx context.Context, c *kick.Client) error
	raw         func(ctx context.Context, rc *rawClient) error
}

// opServer serves s's answer to the requests of operation id, and 404 to any other: both clients
// must send the operation's method and path.
func opServer(b *testing.B, id string, s opSetup) *httptest.Server {
	b.Helper()
	var ep *gen.Operation
	for _, op := range gen.Operations {
		if op.ID == id {
			ep = op
		}
	}
	if ep == nil {
		b.Fatalf("no operation %s", id)
	}
	ct := s.contentType
	if ct == "" {
		ct = "application/json"
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != ep.Method || !pathMatches(ep.Path, r.URL.Path) {
			http.Error(w, `{"message":"not this operation"}`, http.StatusNotFound)
			return
		}
		if s.body == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write(s.body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// pathMatches reports whether path matches the spec's template, whose {name} segments match any
// non-empty segment.
func pathMatches(template, path string) bool {
	t, p := strings.Split(template, "/"), strings.Split(path, "/")
	if len(t) != len(p) {
		return false
	}
	for i := range t {
		if strings.HasPrefix(t[i], "{") {
			if p[i] == "" {
				return false
			}
		} else if t[i] != p[i] {
			return false
		}
	}
	return true
}

// genericCases is a case of each operation of the spec that has none in opCases: the first
// method of the operations table that calls it, on its answer in the spec (responseBody; 204
// without one), and as raw twin the same HTTP request, decoded into an untyped value.
func genericCases() []opCase {
	var out []opCase
	for _, op := range gen.Operations {
		if slices.ContainsFunc(opCases, func(oc opCase) bool { return oc.id == op.ID }) {
			continue
		}
		i := slices.IndexFunc(operations, func(o operation) bool { return o.id == op.ID })
		if i < 0 {
			continue // TestOperationsCoverTheSpec fails
		}
		call := operations[i]
		out = append(out, opCase{name: call.name, id: op.ID, items: genericItems, setup: func(b *testing.B) opSetup {
			body, _ := responseBody(b, op.ID)
			sent := sentRequest(b, call, body)
			return opSetup{
				body: body,
				kick: func(ctx context.Context, c *kick.Client) error {
					_, err := call.call(ctx, c)
					return err
				},
				raw: func(ctx context.Context, rc *rawClient) error {
					var out any
					rcall := rawCall{method: sent.Method, base: rc.api, path: sent.URL.EscapedPath(), query: sent.URL.Query(),
						contentType: sent.Header.Get("Content-Type"), body: sent.body, bearer: sent.Header.Get("Authorization") != ""}
					if body != nil {
						rcall.out = &out
					}
					return rc.do(ctx, rcall)
				},
			}
		}})
	}
	return out
}

// capturedRequest is a request a method sent, with its body.
type capturedRequest struct {
	*http.Request
	body []byte
}

// sentRequest runs call once against a server that answers body (204 when nil) and returns the
// request it sent.
func sentRequest(b *testing.B, call operation, body []byte) capturedRequest {
	b.Helper()
	var got capturedRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Request = r.Clone(context.Background())
		got.body, _ = io.ReadAll(r.Body)
		if body == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	if _, err := call.call(context.Background(), benchClient(b, srv)); err != nil || got.Request == nil {
		b.Fatalf("%s: %v", call.name, err)
	}
	if len(got.body) == 0 {
		got.body = nil
	}
	return got
}

// TestOpsCoverEveryEndpoint holds BenchmarkOps to the spec: every operation of package gen (the
// spec's) has a case, its own or a generic one, and every case names one of them.
func TestOpsCoverEveryEndpoint(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, oc := range slices.Concat(opCases, genericCases()) {
		covered[oc.id] = true
	}
	var ids []string
	for _, op := range gen.Operations {
		ids = append(ids, op.ID)
		if !covered[op.ID] {
			t.Errorf("operation %s has no case in opCases", op.ID)
		}
	}
	for id := range covered {
		if !slices.Contains(ids, id) {
			t.Errorf("opCases has operation %s, which the spec does not", id)
		}
	}
}

// wantLen is the check of a list's length.
func wantLen(what string, got, want int) error {
	if got != want {
		return fmt.Errorf("%s: %d items, want %d", what, got, want)
	}
	return nil
}

// The ulids and uuids of the requests.
const (
	benchULID = "01KBQVW2KVQNX4Y6RN800Y9K4N"
	benchUUID = "9ec70d6a-256c-4646-86c1-271e080d1d5c"
)

func ulids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("01KBQVW2KVQNX4Y6RN800%05d", i)
	}
	return out
}

func i64s(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// opCases are the cases of BenchmarkOps, by service. The sizes are realistic pages: 50 users and
// channels (the batch size), 100 livestreams and categories (a full page), 25 redemptions (5
// rewards with 5 each), 100 Drops claims, 50 event subscriptions, leaderboards of 25; single
// objects otherwise.
var opCases = []opCase{
	{"Ads.StartBreak", "startAdBreak", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "startAdBreak")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Ads.StartBreak(ctx, kick.AdBreakStartParams{Duration: 90 * time.Second})
				if err == nil && got.ID == "" {
					err = fmt.Errorf("no break id")
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				// A careful client sends an idempotency key too: a random version 4 UUID.
				var id [16]byte
				_, _ = rand.Read(id[:])
				id[6], id[8] = id[6]&0x0f|0x40, id[8]&0x3f|0x80
				h := hex.EncodeToString(id[:])
				in := struct {
					ID                   string `json:"id"`
					BreakDurationSeconds int    `json:"break_duration_seconds"`
				}{h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], 90}
				var env rawEnvelope[struct {
					ID                string `json:"id"`
					RemainingAdBreaks int    `json:"remaining_ad_breaks"`
				}]
				if err := rc.send(ctx, http.MethodPost, "/public/v1/ads/ad-break", nil, in, &env); err != nil {
					return err
				}
				if env.Data.ID == "" {
					return fmt.Errorf("no break id")
				}
				return nil
			}}
	}},
	{"Ads.Status", "getAdBreakStatus", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "getAdBreakStatus")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Ads.Status(ctx)
				if err == nil && !got.OptedIn {
					err = fmt.Errorf("not opted in")
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[struct {
					OptedIn           bool              `json:"opted_in"`
					AdsBlocked        bool              `json:"ads_blocked"`
					RemainingAdBreaks int               `json:"remaining_ad_breaks"`
					AdBreaks          []json.RawMessage `json:"ad_breaks"`
					Limits            struct {
						Max           int   `json:"max"`
						PeriodSeconds int64 `json:"period_seconds"`
					} `json:"limits"`
					AutoAdsActive bool `json:"auto_ads_active"`
				}]
				if err := rc.get(ctx, "/public/v1/ads/ad-break-status", nil, &env); err != nil {
					return err
				}
				if !env.Data.OptedIn {
					return fmt.Errorf("not opted in")
				}
				return nil
			}}
	}},
	{"Ads.Enroll", "enrollAds", 0, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "enrollAds")),
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Ads.Enroll(ctx)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				return rc.send(ctx, http.MethodPost, "/public/v1/ads/enroll", nil, nil, nil)
			}}
	}},
	{"Categories.List100", "listCategories", 100, func(b *testing.B) opSetup {
		body := scaledFixture(b, "listCategories", 100, "data")
		return opSetup{body: body,
			kick: func(ctx context.Context, c *kick.Client) error {
				page, err := c.Categories.List(ctx, kick.CategoryListParams{Names: []string{"Rust"}, Limit: 100})
				if err != nil {
					return err
				}
				return wantLen("categories", len(page.Items), 100)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawCategory]
				if err := rc.get(ctx, "/public/v2/categories", url.Values{"name": {"Rust"}, "limit": {"100"}}, &env); err != nil {
					return err
				}
				return wantLen("categories", len(env.Data), 100)
			}}
	}},
	{"Categories.SearchV1_100", "searchCategoriesV1", 100, func(b *testing.B) opSetup {
		return opSetup{body: scaledFixture(b, "searchCategoriesV1", 100, "data"),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Categories.SearchV1(ctx, "rust", 1) //nolint:staticcheck // every operation, the deprecated ones too
				if err != nil {
					return err
				}
				return wantLen("categories", len(got), 100)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawCategorySummary]
				if err := rc.get(ctx, "/public/v1/categories", url.Values{"q": {"rust"}, "page": {"1"}}, &env); err != nil {
					return err
				}
				return wantLen("categories", len(env.Data), 100)
			}}
	}},
	{"Categories.GetV1", "getCategoryV1", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "getCategoryV1")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Categories.GetV1(ctx, 12) //nolint:staticcheck // every operation, the deprecated ones too
				if err == nil && got.ID != 12 {
					err = fmt.Errorf("category %d", got.ID)
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[rawCategoryDetail]
				if err := rc.get(ctx, "/public/v1/categories/"+strconv.FormatInt(12, 10), nil, &env); err != nil {
					return err
				}
				if env.Data.ID != 12 {
					return fmt.Errorf("category %d", env.Data.ID)
				}
				return nil
			}}
	}},
	{"Channels.Get50", "getChannels", 50, func(b *testing.B) opSetup {
		body := scaledFixture(b, "getChannels", 50, "data")
		ids := field[int64](b, body, "broadcaster_user_id", "data")
		return opSetup{body: body,
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Channels.Get(ctx, ids)
				if err != nil {
					return err
				}
				return wantLen("channels", len(got), 50)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawChannel]
				if err := rc.get(ctx, "/public/v1/channels", url.Values{"broadcaster_user_id": i64s(ids)}, &env); err != nil {
					return err
				}
				return wantLen("channels", len(env.Data), 50)
			}}
	}},
	{"Channels.GetBySlug50", "getChannels", 50, func(b *testing.B) opSetup {
		body := scaledFixture(b, "getChannels", 50, "data")
		slugs := field[string](b, body, "slug", "data")
		return opSetup{body: body,
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Channels.GetBySlug(ctx, slugs)
				if err != nil {
					return err
				}
				return wantLen("channels", len(got), 50)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawChannel]
				if err := rc.get(ctx, "/public/v1/channels", url.Values{"slug": slugs}, &env); err != nil {
					return err
				}
				return wantLen("channels", len(env.Data), 50)
			}}
	}},
	{"Channels.Me", "getChannels", 1, func(b *testing.B) opSetup {
		return opSetup{body: scaledFixture(b, "getChannels", 1, "data"),
			kick: func(ctx context.Context, c *kick.Client) error {
				_, err := c.Channels.Me(ctx)
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawChannel]
				if err := rc.get(ctx, "/public/v1/channels", nil, &env); err != nil {
					return err
				}
				return wantLen("channels", len(env.Data), 1)
			}}
	}},
	{"Channels.Update", "updateChannel", 0, func(b *testing.B) opSetup {
		return opSetup{
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Channels.Update(ctx, kick.ChannelUpdateParams{StreamTitle: kick.Ptr("FORCE WIPE DAY"), CategoryID: kick.Ptr(int64(12))})
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					CategoryID  int64  `json:"category_id"`
					StreamTitle string `json:"stream_title"`
				}{12, "FORCE WIPE DAY"}
				return rc.send(ctx, http.MethodPatch, "/public/v1/channels", nil, in, nil)
			}}
	}},
	{"Chat.Send", "sendChatMessage", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "sendChatMessage")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: 24871935, Content: "gg, that was a clean wipe"})
				if err == nil && !got.IsSent {
					err = fmt.Errorf("not sent")
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					Type              string `json:"type"`
					Content           string `json:"content"`
					BroadcasterUserID int64  `json:"broadcaster_user_id"`
				}{"user", "gg, that was a clean wipe", 24871935}
				var env rawEnvelope[rawSentChatMessage]
				if err := rc.send(ctx, http.MethodPost, "/public/v1/chat", nil, in, &env); err != nil {
					return err
				}
				if !env.Data.IsSent {
					return fmt.Errorf("not sent")
				}
				return nil
			}}
	}},
	{"Chat.Delete", "deleteChatMessage", 0, func(b *testing.B) opSetup {
		return opSetup{
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Chat.Delete(ctx, benchUUID)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				return rc.send(ctx, http.MethodDelete, "/public/v1/chat/"+url.PathEscape(benchUUID), nil, nil, nil)
			}}
	}},
	{"Drops.ListClaims100", "listDropsClaims", 100, func(b *testing.B) opSetup {
		return opSetup{body: scaledFixture(b, "listDropsClaims", 100, "data", "claims"),
			kick: func(ctx context.Context, c *kick.Client) error {
				page, err := c.Drops.ListClaims(ctx, kick.DropsClaimListParams{Limit: 100})
				if err != nil {
					return err
				}
				return wantLen("claims", len(page.Items), 100)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[rawDropsClaims]
				if err := rc.get(ctx, "/public/v1/drops/claims", url.Values{"limit": {"100"}}, &env); err != nil {
					return err
				}
				return wantLen("claims", len(env.Data.Claims), 100)
			}}
	}},
	{"Drops.UpdateClaims100", "updateDropsClaims", 0, func(b *testing.B) opSetup {
		ids := ulids(100)
		updates := make([]kick.DropsClaimUpdateParams, len(ids))
		for i, id := range ids {
			updates[i] = kick.DropsClaimUpdateParams{ClaimID: id, ExternalStatus: "processed"}
		}
		type rawUpdate struct {
			ClaimID        string `json:"claim_id"`
			ExternalStatus string `json:"external_status"`
		}
		return opSetup{
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Drops.UpdateClaims(ctx, updates)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					Claims []rawUpdate `json:"claims"`
				}{make([]rawUpdate, len(ids))}
				for i, id := range ids {
					in.Claims[i] = rawUpdate{id, "processed"}
				}
				return rc.send(ctx, http.MethodPatch, "/public/v1/drops/claims", nil, in, nil)
			}}
	}},
	{"Events.List50", "listEventSubscriptions", 50, func(b *testing.B) opSetup {
		return opSetup{body: scaledFixture(b, "listEventSubscriptions", 50, "data"),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Events.List(ctx, kick.EventListParams{})
				if err != nil {
					return err
				}
				return wantLen("subscriptions", len(got), 50)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawEventSubscription]
				if err := rc.get(ctx, "/public/v1/events/subscriptions", nil, &env); err != nil {
					return err
				}
				return wantLen("subscriptions", len(env.Data), 50)
			}}
	}},
	{"Events.Subscribe", "createEventSubscriptions", len(kick.AllEventTypes), func(b *testing.B) opSetup {
		// One successful result per event type, as Kick answers a subscription to all of them.
		var data []map[string]any
		events := make([]kick.SubscribeEvent, len(kick.AllEventTypes))
		for i, t := range kick.AllEventTypes {
			events[i] = kick.SubscribeEvent{Type: t, Version: 1}
			data = append(data, map[string]any{"name": t, "version": 1, "subscription_id": ulids(len(kick.AllEventTypes))[i], "error": ""})
		}
		type rawEvent struct {
			Name    string `json:"name"`
			Version int    `json:"version"`
		}
		return opSetup{body: encodeDoc(b, map[string]any{"data": data, "message": "OK"}),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Events.Subscribe(ctx, kick.EventSubscribeParams{BroadcasterUserID: 24871935, Events: events}, kick.WithTokenKind(kick.TokenKindApp))
				if err != nil {
					return err
				}
				return wantLen("results", len(got), len(events))
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					BroadcasterUserID int64      `json:"broadcaster_user_id"`
					Events            []rawEvent `json:"events"`
					Method            string     `json:"method"`
				}{BroadcasterUserID: 24871935, Method: "webhook", Events: make([]rawEvent, len(kick.AllEventTypes))}
				for i, t := range kick.AllEventTypes {
					in.Events[i] = rawEvent{string(t), 1}
				}
				var env rawEnvelope[[]rawSubscriptionResult]
				if err := rc.send(ctx, http.MethodPost, "/public/v1/events/subscriptions", nil, in, &env); err != nil {
					return err
				}
				for _, r := range env.Data {
					if r.Error != "" {
						return fmt.Errorf("%s: %s", r.Name, r.Error)
					}
				}
				return wantLen("results", len(env.Data), len(in.Events))
			}}
	}},
	{"Events.Unsubscribe10", "deleteEventSubscriptions", 0, func(b *testing.B) opSetup {
		ids := ulids(10)
		return opSetup{
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Events.Unsubscribe(ctx, ids)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				return rc.send(ctx, http.MethodDelete, "/public/v1/events/subscriptions", url.Values{"id": ids}, nil, nil)
			}}
	}},
	{"Kicks.Leaderboard3x25", "getKicksLeaderboard", 75, func(b *testing.B) opSetup {
		doc := fixtureDoc(b, "getKicksLeaderboard")
		for i, list := range []string{"lifetime", "month", "week"} {
			grow(b, doc, 25, i*25, "data", list)
		}
		return opSetup{body: encodeDoc(b, doc),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Kicks.Leaderboard(ctx, 25)
				if err != nil {
					return err
				}
				return wantLen("entries", len(got.Lifetime)+len(got.Month)+len(got.Week), 75)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[rawLeaderboard]
				if err := rc.get(ctx, "/public/v1/kicks/leaderboard", url.Values{"top": {"25"}}, &env); err != nil {
					return err
				}
				return wantLen("entries", len(env.Data.Lifetime)+len(env.Data.Month)+len(env.Data.Week), 75)
			}}
	}},
	{"Livestreams.List100", "listLivestreams", 100, func(b *testing.B) opSetup {
		return opSetup{body: scaledFixture(b, "listLivestreams", 100, "data"),
			kick: func(ctx context.Context, c *kick.Client) error {
				page, err := c.Livestreams.List(ctx, kick.LivestreamListParams{Limit: 100})
				if err != nil {
					return err
				}
				if page.NextCursor == "" {
					return fmt.Errorf("no cursor")
				}
				return wantLen("livestreams", len(page.Items), 100)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				page, err := rawListLivestreams(ctx, rc, 100, "")
				if err != nil {
					return err
				}
				if page.Pagination.NextCursor == "" {
					return fmt.Errorf("no cursor")
				}
				return wantLen("livestreams", len(page.Data), 100)
			}}
	}},
	{"Livestreams.GetByUsers100", "getUsersLivestreams", 100, func(b *testing.B) opSetup {
		body := scaledFixture(b, "getUsersLivestreams", 100, "data")
		ids := field[int64](b, body, "broadcaster_user.id", "data")
		return opSetup{body: body,
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Livestreams.GetByUsers(ctx, ids)
				if err != nil {
					return err
				}
				return wantLen("livestreams", len(got), 100)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawLivestream]
				if err := rc.get(ctx, "/public/v1/users/livestreams", url.Values{"user_id": i64s(ids)}, &env); err != nil {
					return err
				}
				return wantLen("livestreams", len(env.Data), 100)
			}}
	}},
	{"Livestreams.ListV1_100", "getLivestreamsV1", 100, func(b *testing.B) opSetup {
		return opSetup{body: scaledFixture(b, "getLivestreamsV1", 100, "data"),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Livestreams.ListV1(ctx, kick.LivestreamListV1Params{Limit: 100, Sort: kick.LivestreamSortViewerCount}) //nolint:staticcheck // every operation, the deprecated ones too
				if err != nil {
					return err
				}
				return wantLen("livestreams", len(got), 100)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawLivestreamV1]
				if err := rc.get(ctx, "/public/v1/livestreams", url.Values{"limit": {"100"}, "sort": {"viewer_count"}}, &env); err != nil {
					return err
				}
				return wantLen("livestreams", len(env.Data), 100)
			}}
	}},
	{"Livestreams.Stats", "getLivestreamStats", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "getLivestreamStats")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Livestreams.Stats(ctx)
				if err == nil && got.TotalCount == 0 {
					err = fmt.Errorf("no count")
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[struct {
					TotalCount int64 `json:"total_count"`
				}]
				if err := rc.get(ctx, "/public/v1/livestreams/stats", nil, &env); err != nil {
					return err
				}
				if env.Data.TotalCount == 0 {
					return fmt.Errorf("no count")
				}
				return nil
			}}
	}},
	{"Moderation.Ban", "banUser", 0, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "banUser")),
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Moderation.Ban(ctx, kick.ModerationBanParams{BroadcasterUserID: 24871935, UserID: 9183746, Duration: 10 * time.Minute, Reason: "spam"})
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					BroadcasterUserID int64  `json:"broadcaster_user_id"`
					UserID            int64  `json:"user_id"`
					Duration          int    `json:"duration"`
					Reason            string `json:"reason"`
				}{24871935, 9183746, 10, "spam"}
				var env rawEnvelope[struct{}]
				return rc.send(ctx, http.MethodPost, "/public/v1/moderation/bans", nil, in, &env)
			}}
	}},
	{"Moderation.Unban", "unbanUser", 0, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "unbanUser")),
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Moderation.Unban(ctx, 24871935, 9183746)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					BroadcasterUserID int64 `json:"broadcaster_user_id"`
					UserID            int64 `json:"user_id"`
				}{24871935, 9183746}
				var env rawEnvelope[struct{}]
				return rc.send(ctx, http.MethodDelete, "/public/v1/moderation/bans", nil, in, &env)
			}}
	}},
	{"PublicKey.Get", "getPublicKey", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "getPublicKey")),
			kick: func(ctx context.Context, c *kick.Client) error {
				_, err := c.PublicKey.Get(ctx)
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[struct {
					PublicKey string `json:"public_key"`
				}]
				if err := rc.do(ctx, rawCall{method: http.MethodGet, base: rc.api, path: "/public/v1/public-key", out: &env}); err != nil {
					return err
				}
				if env.Data.PublicKey == "" {
					return fmt.Errorf("no key")
				}
				return nil
			}}
	}},
	{"Rewards.List15", "listChannelRewards", 15, func(b *testing.B) opSetup {
		// Kick allows at most 15 rewards per channel.
		return opSetup{body: scaledFixture(b, "listChannelRewards", 15, "data"),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Rewards.List(ctx)
				if err != nil {
					return err
				}
				return wantLen("rewards", len(got), 15)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawReward]
				if err := rc.get(ctx, "/public/v1/channels/rewards", nil, &env); err != nil {
					return err
				}
				return wantLen("rewards", len(env.Data), 15)
			}}
	}},
	{"Rewards.Create", "createChannelReward", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "createChannelReward")),
			kick: func(ctx context.Context, c *kick.Client) error {
				_, err := c.Rewards.Create(ctx, kick.RewardCreateParams{Title: "Pick my next loadout", Cost: 2500,
					Description: "Tell me what weapon to run next round", BackgroundColor: "#ff6b00", IsUserInputRequired: true})
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					Title               string `json:"title"`
					Cost                int64  `json:"cost"`
					Description         string `json:"description"`
					BackgroundColor     string `json:"background_color"`
					IsUserInputRequired bool   `json:"is_user_input_required"`
				}{"Pick my next loadout", 2500, "Tell me what weapon to run next round", "#ff6b00", true}
				var env rawEnvelope[rawReward]
				return rc.send(ctx, http.MethodPost, "/public/v1/channels/rewards", nil, in, &env)
			}}
	}},
	{"Rewards.Update", "updateChannelReward", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "updateChannelReward")),
			kick: func(ctx context.Context, c *kick.Client) error {
				_, err := c.Rewards.Update(ctx, benchULID, kick.RewardUpdateParams{Cost: kick.Ptr(int64(750)), IsPaused: kick.Ptr(true)})
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					Cost     int64 `json:"cost"`
					IsPaused bool  `json:"is_paused"`
				}{750, true}
				var env rawEnvelope[rawReward]
				return rc.send(ctx, http.MethodPatch, "/public/v1/channels/rewards/"+url.PathEscape(benchULID), nil, in, &env)
			}}
	}},
	{"Rewards.Delete", "deleteChannelReward", 0, func(b *testing.B) opSetup {
		return opSetup{
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Rewards.Delete(ctx, benchULID)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				return rc.send(ctx, http.MethodDelete, "/public/v1/channels/rewards/"+url.PathEscape(benchULID), nil, nil, nil)
			}}
	}},
	{"Rewards.ListRedemptions5x5", "listRewardRedemptions", 25, func(b *testing.B) opSetup {
		doc := fixtureDoc(b, "listRewardRedemptions")
		grow(b, doc, 5, 0, "data")
		for i, g := range doc["data"].([]any) {
			grow(b, map[string]any{"g": g}, 5, i*5, "g", "redemptions")
		}
		return opSetup{body: encodeDoc(b, doc),
			kick: func(ctx context.Context, c *kick.Client) error {
				page, err := c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{Status: kick.RedemptionPending})
				if err != nil {
					return err
				}
				n := 0
				for _, g := range page.Items {
					n += len(g.Redemptions)
				}
				return wantLen("redemptions", n, 25)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawRedemptionGroup]
				if err := rc.get(ctx, "/public/v1/channels/rewards/redemptions", url.Values{"status": {"pending"}}, &env); err != nil {
					return err
				}
				n := 0
				for _, g := range env.Data {
					n += len(g.Redemptions)
				}
				return wantLen("redemptions", n, 25)
			}}
	}},
	{"Rewards.AcceptRedemptions25", "acceptRewardRedemptions", 1, func(b *testing.B) opSetup {
		ids := ulids(25)
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "acceptRewardRedemptions")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Rewards.AcceptRedemptions(ctx, ids)
				if err != nil {
					return err
				}
				return wantLen("failed", len(got), 1)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					IDs []string `json:"ids"`
				}{ids}
				var env rawEnvelope[[]rawFailedRedemption]
				if err := rc.send(ctx, http.MethodPost, "/public/v1/channels/rewards/redemptions/accept", nil, in, &env); err != nil {
					return err
				}
				return wantLen("failed", len(env.Data), 1)
			}}
	}},
	{"Rewards.RejectRedemptions25", "rejectRewardRedemptions", 0, func(b *testing.B) opSetup {
		ids := ulids(25)
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "rejectRewardRedemptions")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Rewards.RejectRedemptions(ctx, ids)
				if err != nil {
					return err
				}
				return wantLen("failed", len(got), 0)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				in := struct {
					IDs []string `json:"ids"`
				}{ids}
				var env rawEnvelope[[]rawFailedRedemption]
				if err := rc.send(ctx, http.MethodPost, "/public/v1/channels/rewards/redemptions/reject", nil, in, &env); err != nil {
					return err
				}
				return wantLen("failed", len(env.Data), 0)
			}}
	}},
	{"Tokens.Introspect", "introspectToken", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "introspectToken")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Tokens.Introspect(ctx)
				if err == nil && !got.Active {
					err = fmt.Errorf("inactive")
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[rawTokenInfo]
				if err := rc.do(ctx, rawCall{method: http.MethodPost, base: rc.oauth, path: "/oauth/token/introspect", bearer: true, out: &env}); err != nil {
					return err
				}
				if !env.Data.Active {
					return fmt.Errorf("inactive")
				}
				return nil
			}}
	}},
	{"Tokens.IntrospectV1", "introspectTokenV1", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "introspectTokenV1")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Tokens.IntrospectV1(ctx) //nolint:staticcheck // every operation, the deprecated ones too
				if err == nil && !got.Active {
					err = fmt.Errorf("inactive")
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[rawTokenInfo]
				if err := rc.do(ctx, rawCall{method: http.MethodPost, base: rc.api, path: "/public/v1/token/introspect", bearer: true, out: &env}); err != nil {
					return err
				}
				if !env.Data.Active {
					return fmt.Errorf("inactive")
				}
				return nil
			}}
	}},
	{"Tokens.Revoke", "revokeToken", 0, func(b *testing.B) opSetup {
		return opSetup{body: []byte("OK"), contentType: "text/plain; charset=utf-8",
			kick: func(ctx context.Context, c *kick.Client) error {
				return c.Tokens.Revoke(ctx, "token-to-revoke", kick.TokenHintAccessToken)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				q := url.Values{"token": {"token-to-revoke"}, "token_hint_type": {"access_token"}}
				return rc.do(ctx, rawCall{method: http.MethodPost, base: rc.oauth, path: "/oauth/revoke", query: q})
			}}
	}},
	{"Tokens.Request", "requestToken", 1, func(b *testing.B) opSetup {
		return opSetup{body: encodeDoc(b, fixtureDoc(b, "requestToken")),
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Tokens.Request(ctx, kick.TokenRequestParams{GrantType: kick.GrantClientCredentials, ClientID: "01JQBHJ5B2NBRBEWT9J3NGXW5F", ClientSecret: "bench-client-secret"})
				if err == nil && got.ExpiresIn == 0 {
					err = fmt.Errorf("no expiry")
				}
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"01JQBHJ5B2NBRBEWT9J3NGXW5F"}, "client_secret": {"bench-client-secret"}}
				var tok rawToken
				if err := rc.do(ctx, rawCall{method: http.MethodPost, base: rc.oauth, path: "/oauth/token", contentType: "application/x-www-form-urlencoded", body: rawForm(form), out: &tok}); err != nil {
					return err
				}
				if tok.AccessToken == "" {
					return fmt.Errorf("no token")
				}
				return nil
			}}
	}},
	{"Users.Get50", "getUsers", 50, func(b *testing.B) opSetup {
		body := scaledFixture(b, "getUsers", 50, "data")
		ids := field[int64](b, body, "user_id", "data")
		return opSetup{body: body,
			kick: func(ctx context.Context, c *kick.Client) error {
				got, err := c.Users.Get(ctx, ids)
				if err != nil {
					return err
				}
				return wantLen("users", len(got), 50)
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawUser]
				if err := rc.get(ctx, "/public/v1/users", url.Values{"id": i64s(ids)}, &env); err != nil {
					return err
				}
				return wantLen("users", len(env.Data), 50)
			}}
	}},
	{"Users.Me", "getUsers", 1, func(b *testing.B) opSetup {
		return opSetup{body: scaledFixture(b, "getUsers", 1, "data"),
			kick: func(ctx context.Context, c *kick.Client) error {
				_, err := c.Users.Me(ctx)
				return err
			},
			raw: func(ctx context.Context, rc *rawClient) error {
				var env rawEnvelope[[]rawUser]
				if err := rc.get(ctx, "/public/v1/users", nil, &env); err != nil {
					return err
				}
				return wantLen("users", len(env.Data), 1)
			}}
	}},
}
