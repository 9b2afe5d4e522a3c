package kick_test

import (
	"context"
	"iter"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

// anySeq turns an iterator's items into values a test can compare.
func anySeq[T any](seq iter.Seq2[T, error]) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

// iterCase is one iterator of the client, over a server with two pages of one item each: the
// pages are keyed by the value of the query parameter param ("cursor", or "page" for a paged
// list), and the key after the last page answers no items.
type iterCase struct {
	method string // Service.Method, as reflection names it
	path   string
	param  string
	pages  map[string]string // param value → body
	seq    func(ctx context.Context, c *kick.Client) iter.Seq2[any, error]
}

var iterCases = []iterCase{
	{
		method: "Categories.All", path: "/public/v2/categories", param: "cursor",
		pages: map[string]string{
			"":         `{"data":[{"id":1,"name":"One","tags":[],"thumbnail":"t"}],"message":"OK","pagination":{"next_cursor":"cursor-2"}}`,
			"cursor-2": `{"data":[{"id":2,"name":"Two","tags":[],"thumbnail":"t"}],"message":"OK","pagination":{"next_cursor":"cursor-3"}}`,
			"cursor-3": `{"data":[],"message":"OK","pagination":{"next_cursor":""}}`,
		},
		seq: func(ctx context.Context, c *kick.Client) iter.Seq2[any, error] {
			return anySeq(c.Categories.All(ctx, kick.CategoryListParams{Limit: 1}))
		},
	},
	{
		method: "Categories.SearchAllV1", path: "/public/v1/categories", param: "page",
		pages: map[string]string{
			"1": `{"data":[{"id":1,"name":"One","thumbnail":""}],"message":"OK"}`,
			"2": `{"data":[{"id":2,"name":"Two","thumbnail":""}],"message":"OK"}`,
			"3": `{"data":[],"message":"OK"}`,
		},
		seq: func(ctx context.Context, c *kick.Client) iter.Seq2[any, error] {
			return anySeq(c.Categories.SearchAllV1(ctx, "rust"))
		},
	},
	{
		method: "Drops.AllClaims", path: "/public/v1/drops/claims", param: "cursor",
		pages: map[string]string{
			"":         `{"data":{"claims":[{"claim_id":"c1","user_id":1,"campaign_id":"camp","reward_id":"r","external_status":"initiated","created_at":"2025-11-20T19:44:12Z","updated_at":"2025-11-20T19:44:12Z"}],"cursor":"cursor-2"},"message":"OK"}`,
			"cursor-2": `{"data":{"claims":[{"claim_id":"c2","user_id":2,"campaign_id":"camp","reward_id":"r","external_status":"initiated","created_at":"2025-11-20T19:44:12Z","updated_at":"2025-11-20T19:44:12Z"}],"cursor":"cursor-3"},"message":"OK"}`,
			"cursor-3": `{"data":{"claims":[],"cursor":"cursor-3"},"message":"OK"}`,
		},
		seq: func(ctx context.Context, c *kick.Client) iter.Seq2[any, error] {
			return anySeq(c.Drops.AllClaims(ctx, kick.DropsClaimListParams{Limit: 1}))
		},
	},
	{
		method: "Livestreams.All", path: "/public/v2/livestreams", param: "cursor",
		pages: map[string]string{
			"":         `{"data":[{"id":"stream-1","broadcaster_user":{"id":1}}],"message":"OK","pagination":{"next_cursor":"cursor-2"}}`,
			"cursor-2": `{"data":[{"id":"stream-2","broadcaster_user":{"id":2}}],"message":"OK","pagination":{"next_cursor":"cursor-3"}}`,
			"cursor-3": `{"data":[],"message":"OK","pagination":{"next_cursor":""}}`,
		},
		seq: func(ctx context.Context, c *kick.Client) iter.Seq2[any, error] {
			return anySeq(c.Livestreams.All(ctx, kick.LivestreamListParams{Limit: 1}))
		},
	},
	{
		method: "Rewards.AllRedemptions", path: "/public/v1/channels/rewards/redemptions", param: "cursor",
		pages: map[string]string{
			"":         `{"data":[{"reward":{"id":"r1","title":"One"},"redemptions":[{"id":"d1","redeemed_at":"2025-12-19T06:26:36Z","redeemer":{"user_id":1},"status":"accepted"}]}],"message":"OK","pagination":{"next_cursor":"cursor-2"}}`,
			"cursor-2": `{"data":[{"reward":{"id":"r2","title":"Two"},"redemptions":[]}],"message":"OK","pagination":{"next_cursor":"cursor-3"}}`,
			"cursor-3": `{"data":[],"message":"OK","pagination":{"next_cursor":""}}`,
		},
		seq: func(ctx context.Context, c *kick.Client) iter.Seq2[any, error] {
			return anySeq(c.Rewards.AllRedemptions(ctx, kick.RedemptionListParams{}))
		},
	},
}

// serveIterCase registers tt's pages and returns the parameter values the server was asked for.
func serveIterCase(t *testing.T, srv *server, tt iterCase) func() []string {
	t.Helper()
	var (
		mu    sync.Mutex
		asked []string
	)
	srv.mux.HandleFunc(tt.path, func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query().Get(tt.param)
		mu.Lock()
		asked = append(asked, v)
		mu.Unlock()
		body, ok := tt.pages[v]
		if !ok {
			t.Errorf("%s: unexpected %s=%q", tt.method, tt.param, v)
			respond(w, http.StatusBadRequest, []byte(`{"data":null,"message":"bad page"}`))
			return
		}
		respond(w, http.StatusOK, []byte(body))
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(asked)
	}
}

func rangeAll(seq iter.Seq2[any, error]) ([]any, error) {
	var items []any
	for v, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, v)
	}
	return items, nil
}

// TestIteratorsCoverEveryIterator holds iterCases to the client: every method of a service that
// returns an iter.Seq2 has a case, so a new iterator cannot skip TestIteratorsRerangeable.
func TestIteratorsCoverEveryIterator(t *testing.T) {
	t.Parallel()
	var found []string
	ct := reflect.TypeFor[kick.Client]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer {
			continue
		}
		for j := range f.Type.NumMethod() {
			m := f.Type.Method(j)
			for k := range m.Type.NumOut() {
				if strings.HasPrefix(m.Type.Out(k).String(), "iter.Seq") {
					found = append(found, f.Name+"."+m.Name)
				}
			}
		}
	}
	var cases []string
	for _, tt := range iterCases {
		cases = append(cases, tt.method)
	}
	slices.Sort(found)
	slices.Sort(cases)
	if len(found) == 0 {
		t.Fatal("found no iterator on the client's services")
	}
	if diff := cmp.Diff(found, cases); diff != "" {
		t.Errorf("iterCases (-iterators of the client +cases):\n%s", diff)
	}
}

// TestIteratorsRerangeable ranges each iterator value twice, one range after the other: each range
// starts at the first page again and yields the same items.
func TestIteratorsRerangeable(t *testing.T) {
	t.Parallel()
	for _, tt := range iterCases {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			asked := serveIterCase(t, srv, tt)
			seq := tt.seq(context.Background(), c)
			first, err := rangeAll(seq)
			if err != nil {
				t.Fatalf("first range: %v", err)
			}
			if len(first) != 2 {
				t.Fatalf("first range yielded %d items, want 2: %+v", len(first), first)
			}
			second, err := rangeAll(seq)
			if err != nil {
				t.Fatalf("second range: %v", err)
			}
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("second range (-first +second):\n%s", diff)
			}
			var once []string
			for k := range tt.pages {
				once = append(once, k)
			}
			slices.Sort(once)
			want := append(slices.Clone(once), once...)
			got := asked()
			// Each range asks for the pages in order; sorting each half keeps that check honest
			// for the keys used here ("" < "cursor-2" < "cursor-3", "1" < "2" < "3").
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s asked for (-want +got):\n%s", tt.param, diff)
			}
		})
	}
}

// TestIteratorsConcurrentRanges ranges one iterator value from several goroutines at once: the
// ranges share no state (the race detector checks), and each yields every item.
func TestIteratorsConcurrentRanges(t *testing.T) {
	t.Parallel()
	for _, tt := range iterCases {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			serveIterCase(t, srv, tt)
			seq := tt.seq(context.Background(), c)
			const ranges = 4
			counts := make([]int, ranges)
			errs := make([]error, ranges)
			var wg sync.WaitGroup
			for i := range ranges {
				wg.Go(func() {
					items, err := rangeAll(seq)
					counts[i], errs[i] = len(items), err
				})
			}
			wg.Wait()
			for i := range ranges {
				if errs[i] != nil || counts[i] != 2 {
					t.Errorf("range %d: %d items, %v; want 2 items", i, counts[i], errs[i])
				}
			}
		})
	}
}
