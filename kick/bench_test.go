package kick_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/benchpair"
)

// Benchmarks of the client against a hand-written net/http + encoding/json baseline. Each pair
// runs in the same process against the same loopback server and the same response body:
// sub-benchmark impl=raw is the baseline, impl=kick the SDK. `make bench` runs them several times,
// prints the kick/raw ratio of every pair (tools/benchratio) and the benchstat table
// (benchstat -col /impl). BENCHMARKS.md records and explains the numbers.
//
//	go test -run='^$' -bench='^Benchmark(Ops|All200x100)$' -benchmem ./kick/

// benchToken is the bearer token both implementations send.
const benchToken = "bench-access-token"

// livestreamItems is the "data" array of a listLivestreams page of n streams: the fixture's
// streams, scaled (scaledFixture).
func livestreamItems(b *testing.B, n int) []byte {
	b.Helper()
	var page struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(scaledFixture(b, "listLivestreams", n, "data"), &page); err != nil {
		b.Fatal(err)
	}
	return page.Data
}

// livestreamPage is a whole listLivestreams answer: data, message and the next cursor ("" for
// none).
func livestreamPage(data []byte, next string) []byte {
	page := append([]byte(`{"data":`), data...)
	page = append(page, `,"message":"OK","pagination":{"next_cursor":`...)
	page = strconv.AppendQuote(page, next)
	return append(page, "}}"...)
}

// httpClient is an HTTP client with a transport of its own, configured as http.DefaultTransport.
func httpClient(b *testing.B) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// benchClient is a kick client with an app token and a user token on srv (API and OAuth host),
// with its own transport.
func benchClient(b *testing.B, srv *httptest.Server) *kick.Client {
	b.Helper()
	c, err := kick.NewClient(
		kick.WithHTTPClient(httpClient(b)),
		kick.WithAPIBaseURL(srv.URL),
		kick.WithOAuthBaseURL(srv.URL),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: benchToken})),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: benchToken})),
	)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// benchImpls runs the pair as impl=raw, impl=kick and impl=pair (benchpair.Run).
func benchImpls(b *testing.B, raw, kick func(testing.TB)) { benchpair.Run(b, raw, kick, nil) }

// rawListLivestreams gets one page of v2 livestreams by hand.
func rawListLivestreams(ctx context.Context, rc *rawClient, limit int, cursor string) (*rawEnvelope[[]rawLivestream], error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var page rawEnvelope[[]rawLivestream]
	if err := rc.get(ctx, "/public/v2/livestreams", q, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// pagedServer serves pages of listLivestreams: every page holds the same 100 streams; page k's
// next cursor is "k+1", and the last page has none. If sample is set, the handler calls it before
// answering, while the client waits for the page.
type pagedServer struct {
	*httptest.Server
	sample atomic.Pointer[func()]
}

func newPagedServer(b *testing.B, pages int, items []byte) *pagedServer {
	b.Helper()
	// Every page's body is made once, so that serving allocates nothing of size.
	bodies := make([][]byte, pages)
	for k := range pages {
		next := ""
		if k+1 < pages {
			next = strconv.Itoa(k + 1)
		}
		bodies[k] = livestreamPage(items, next)
	}
	s := &pagedServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			var err error
			if k, err = strconv.Atoi(c); err != nil || k < 0 || k >= pages {
				http.Error(w, `{"message":"bad cursor"}`, http.StatusBadRequest)
				return
			}
		}
		if f := s.sample.Load(); f != nil {
			(*f)()
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(bodies[k])
	}))
	b.Cleanup(s.Close)
	return s
}

// liveHeap is the heap held by live objects: it collects garbage first, twice, so that sync.Pools
// (which keep their objects through one collection) are empty too: a pooled buffer is a cache,
// not memory that a call holds.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// pageSize is the live heap of one page of 100 decoded kick.Livestream values: the unit in
// which the All benchmark reports memory. It is the live heap with the page held, less the live
// heap once the page is dropped.
func pageSize(b *testing.B, c *kick.Client) float64 {
	b.Helper()
	ctx := context.Background()
	var size uint64
	for range 3 { // the smallest of a few measures, against stray allocations
		page, err := c.Livestreams.List(ctx, kick.LivestreamListParams{Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		with := liveHeap()
		runtime.KeepAlive(page)
		without := liveHeap()
		if d := with - min(with, without); size == 0 || d < size {
			size = d
		}
	}
	return float64(size)
}

// allMemory runs iterate once to warm up (connections, buffers), measures the live heap, runs
// iterate again with samples of the live heap at page boundaries (at the first item of each page,
// and in the server while the client waits for the next page), and returns a function that
// reports the largest excess over the start: in bytes (held-B) and in pages (held-pages, in units
// of pageSize). That is what the iteration keeps from page to page; a loop that kept every item
// would hold 200 pages. Call report after the benchmark loop, which clears the metrics reported
// before it.
func allMemory(b *testing.B, srv *pagedServer, page float64, iterate func(onItem func(i int))) (report func()) {
	b.Helper()
	iterate(func(int) {})
	base := liveHeap()
	var mu sync.Mutex
	var held uint64
	sample := func() {
		h := liveHeap()
		mu.Lock()
		held = max(held, h)
		mu.Unlock()
	}
	srv.sample.Store(&sample)
	iterate(func(i int) {
		if i%100 == 0 {
			sample()
		}
	})
	srv.sample.Store(nil)
	excess := float64(held - min(held, base))
	return func() {
		b.ReportMetric(excess, "held-B")
		b.ReportMetric(excess/page, "held-pages")
	}
}

// BenchmarkAll200x100 iterates over 200 pages of 100 livestreams, 20,000 streams in all, and
// reports the memory it holds in pages (see allMemory) besides its time.
func BenchmarkAll200x100(b *testing.B) {
	const pages, perPage = 200, 100
	srv := newPagedServer(b, pages, livestreamItems(b, perPage))
	ctx := context.Background()
	unit := pageSize(b, benchClient(b, srv.Server))

	b.Run("impl=raw", func(b *testing.B) {
		rc := &rawClient{hc: httpClient(b), api: srv.URL, bearerToken: benchToken}
		iterate := func(onItem func(int)) {
			n, cursor := 0, ""
			for {
				page, err := rawListLivestreams(ctx, rc, perPage, cursor)
				if err != nil {
					b.Fatal(err)
				}
				for _, l := range page.Data {
					if l.ID == "" {
						b.Fatal("empty id")
					}
					onItem(n)
					n++
				}
				if len(page.Data) == 0 || page.Pagination.NextCursor == "" {
					break
				}
				cursor = page.Pagination.NextCursor
			}
			if n != pages*perPage {
				b.Fatalf("%d streams", n)
			}
		}
		report := allMemory(b, srv, unit, iterate)
		b.ReportAllocs()
		for b.Loop() {
			iterate(func(int) {})
		}
		report()
	})

	b.Run("impl=kick", func(b *testing.B) {
		c := benchClient(b, srv.Server)
		iterate := func(onItem func(int)) {
			n := 0
			for l, err := range c.Livestreams.All(ctx, kick.LivestreamListParams{Limit: perPage}) {
				if err != nil {
					b.Fatal(err)
				}
				if l.ID == "" {
					b.Fatal("empty id")
				}
				onItem(n)
				n++
			}
			if n != pages*perPage {
				b.Fatalf("%d streams", n)
			}
		}
		report := allMemory(b, srv, unit, iterate)
		b.ReportAllocs()
		for b.Loop() {
			iterate(func(int) {})
		}
		report()
	})
}
