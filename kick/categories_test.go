package kick_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

var fixtureCategories = []kick.Category{
	{
		ID:        12,
		Name:      "Rust",
		Tags:      []string{"FPS", "Shooter", "Survival"},
		Thumbnail: "https://files.kick.com/images/subcategories/12/banner/3d1d6cbb-fc49-4d1c-b2e8-4a4b0d0c2f6e",
	},
	{
		ID:        8549,
		Name:      "Counter-Strike 2",
		Tags:      []string{"FPS", "Shooter", "Tactical"},
		Thumbnail: "https://files.kick.com/images/subcategories/8549/banner/a3f0e4c2-5b7d-4c1e-9e2a-6f1b8d9c0e3a",
	},
}

// handleCategoriesRaw is srv.handle plus an exact assertion of the raw query, for the arrays of
// listCategories, sent as repeated keys (explode: true) like every array: url.Values would hide a
// comma-separated encoding.
func handleCategoriesRaw(t *testing.T, srv *server, pattern string, w want, rawQuery string, body []byte) {
	t.Helper()
	srv.mux.HandleFunc(pattern, func(rw http.ResponseWriter, r *http.Request) {
		check(t, r, w)
		if r.URL.RawQuery != rawQuery {
			t.Errorf("raw query = %q, want %q", r.URL.RawQuery, rawQuery)
		}
		respond(rw, http.StatusOK, body)
	})
}

func TestCategoriesList(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	handleCategoriesRaw(t, srv, "/public/v2/categories", want{
		method: "GET", path: "/public/v2/categories", token: userToken,
		query: q("cursor", "eyJvZmZzZXQiOjB9", "limit", "50", "name", "Rust", "name", "Pots, Pans", "tag", "FPS", "tag", "Battle Royale", "id", "12", "id", "8549"),
	}, "cursor=eyJvZmZzZXQiOjB9&limit=50&name=Rust&name=Pots%2C+Pans&tag=FPS&tag=Battle+Royale&id=12&id=8549", fixture(t, "listCategories"))
	got, err := c.Categories.List(context.Background(), kick.CategoryListParams{
		Names:  []string{"Rust", "Pots, Pans"},
		Tags:   []string{"FPS", "Battle Royale"},
		IDs:    []int64{12, 8549},
		Limit:  50,
		Cursor: "eyJvZmZzZXQiOjB9",
	})
	if err != nil {
		t.Fatal(err)
	}
	wantPage := kick.Page[kick.Category]{Items: fixtureCategories, NextCursor: "eyJvZmZzZXQiOjJ9"}
	if diff := cmp.Diff(wantPage, got); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}
}

func TestCategoriesListNoFilters(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	// Empty, non-nil filters are left out rather than sent empty.
	handleCategoriesRaw(t, srv, "/public/v2/categories", want{method: "GET", path: "/public/v2/categories", token: appToken}, "",
		[]byte(`{"data":[],"message":"OK"}`))
	got, err := c.Categories.List(context.Background(), kick.CategoryListParams{Names: []string{}, Tags: []string{}, IDs: []int64{}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Items == nil || len(got.Items) != 0 || got.NextCursor != "" {
		t.Errorf("page = %#v, want an empty page with no cursor", got)
	}
}

func TestCategoriesAll(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	var mu sync.Mutex
	var raw []string
	srv.mux.HandleFunc("/public/v2/categories", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		raw = append(raw, r.URL.RawQuery)
		mu.Unlock()
		if r.URL.Query().Get("cursor") == "" {
			respond(w, http.StatusOK, fixture(t, "listCategories"))
			return
		}
		respond(w, http.StatusOK, []byte(`{"data":[{"id":15,"name":"Just Chatting","tags":[],"thumbnail":"t"}],"message":"OK","pagination":{"next_cursor":""}}`))
	})
	var got []int64
	for cat, err := range c.Categories.All(context.Background(), kick.CategoryListParams{Tags: []string{"FPS"}, Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, cat.ID)
	}
	if diff := cmp.Diff([]int64{12, 8549, 15}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"limit=2&tag=FPS", "cursor=eyJvZmZzZXQiOjJ9&limit=2&tag=FPS"}, raw); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

func TestCategoriesGet(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	handleCategoriesRaw(t, srv, "/public/v2/categories", want{
		method: "GET", path: "/public/v2/categories", query: q("limit", "1", "id", "8549"), token: userToken,
	}, "limit=1&id=8549", fixture(t, "listCategories"))
	got, err := c.Categories.Get(context.Background(), 8549)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&fixtureCategories[1], got); diff != "" {
		t.Errorf("category (-want +got):\n%s", diff)
	}
}

func TestCategoriesGetNotFound(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v2/categories", want{
		method: "GET", path: "/public/v2/categories", query: q("limit", "1", "id", "404"), token: userToken,
	}, []byte(`{"data":[],"message":"OK","pagination":{"next_cursor":""}}`))
	got, err := c.Categories.Get(context.Background(), 404)
	if !errors.Is(err, kick.ErrNotFound) || got != nil {
		t.Fatalf("Get = %v, %v; want nil and ErrNotFound", got, err)
	}
	var ae *kick.APIError
	if errors.As(err, &ae) {
		t.Errorf("err is an *APIError (%v), but no request failed", ae)
	}
	if !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %q, want the id in it", err)
	}
}

func TestCategoriesGetFilterIgnored(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	// A server that ignores the id filter: the category returned is not the one asked for.
	srv.handle(t, "/public/v2/categories", want{
		method: "GET", path: "/public/v2/categories", query: q("limit", "1", "id", "7"), token: userToken,
	}, fixture(t, "listCategories"))
	_, err := c.Categories.Get(context.Background(), 7)
	if !errors.Is(err, kick.ErrUnexpectedResponse) || errors.Is(err, kick.ErrNotFound) {
		t.Fatalf("err = %v, want ErrUnexpectedResponse", err)
	}
}

func TestCategoriesInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []invalidCase{
		{"name too short", func(c *kick.Client) error {
			_, err := c.Categories.List(context.Background(), kick.CategoryListParams{Names: []string{"Rust", "GT"}})
			return err
		}, "listCategories", "Names[1]"},
		{"name too short in runes", func(c *kick.Client) error {
			_, err := c.Categories.List(context.Background(), kick.CategoryListParams{Names: []string{"éé"}})
			return err
		}, "listCategories", "Names[0]"},
		{"tag too short", func(c *kick.Client) error {
			_, err := c.Categories.List(context.Background(), kick.CategoryListParams{Tags: []string{""}})
			return err
		}, "listCategories", "Tags[0]"},
		{"id zero", func(c *kick.Client) error {
			_, err := c.Categories.List(context.Background(), kick.CategoryListParams{IDs: []int64{12, 0}})
			return err
		}, "listCategories", "IDs[1]"},
		{"limit negative", func(c *kick.Client) error {
			_, err := c.Categories.List(context.Background(), kick.CategoryListParams{Limit: -1})
			return err
		}, "listCategories", "Limit"},
		{"limit over 1000", func(c *kick.Client) error {
			_, err := c.Categories.List(context.Background(), kick.CategoryListParams{Limit: 1001})
			return err
		}, "listCategories", "Limit"},
		{"all checks too", func(c *kick.Client) error {
			for _, err := range c.Categories.All(context.Background(), kick.CategoryListParams{Limit: 1001}) {
				return err
			}
			return nil
		}, "listCategories", "Limit"},
		{"get id zero", func(c *kick.Client) error {
			_, err := c.Categories.Get(context.Background(), 0)
			return err
		}, "listCategories", "id"},
		{"search empty query", func(c *kick.Client) error {
			_, err := c.Categories.SearchV1(context.Background(), "", 1)
			return err
		}, "searchCategoriesV1", "query"},
		{"search page negative", func(c *kick.Client) error {
			_, err := c.Categories.SearchV1(context.Background(), "rust", -1)
			return err
		}, "searchCategoriesV1", "page"},
		{"search page over int32", func(c *kick.Client) error {
			_, err := c.Categories.SearchV1(context.Background(), "rust", 1<<31)
			return err
		}, "searchCategoriesV1", "page"},
		{"search all empty query", func(c *kick.Client) error {
			for _, err := range c.Categories.SearchAllV1(context.Background(), "") {
				return err
			}
			return nil
		}, "searchCategoriesV1", "query"},
		{"get v1 id negative", func(c *kick.Client) error {
			_, err := c.Categories.GetV1(context.Background(), -3)
			return err
		}, "getCategoryV1", "id"},
	}
	runInvalidCases(t, tests)
}

func TestCategoriesSearchV1(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	srv.handle(t, "/public/v1/categories", want{
		method: "GET", path: "/public/v1/categories", query: q("q", "rust game", "page", "2"), token: appToken,
	}, fixture(t, "searchCategoriesV1"))
	got, err := c.Categories.SearchV1(context.Background(), "rust game", 2)
	if err != nil {
		t.Fatal(err)
	}
	wantCats := []kick.CategorySummary{
		{ID: 12, Name: "Rust", Thumbnail: "https://files.kick.com/images/subcategories/12/banner/3d1d6cbb-fc49-4d1c-b2e8-4a4b0d0c2f6e"},
		{ID: 10213, Name: "Rust Console Edition", Thumbnail: "https://files.kick.com/images/subcategories/10213/banner/6c2e1f8a-0d4b-47a9-8b3e-2f5c7a9d1e40"},
	}
	if diff := cmp.Diff(wantCats, got); diff != "" {
		t.Errorf("categories (-want +got):\n%s", diff)
	}
}

func TestCategoriesSearchV1DefaultPage(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/categories", want{
		method: "GET", path: "/public/v1/categories", query: q("q", "rust"), token: userToken,
	}, []byte(`{"data":[],"message":"OK"}`))
	got, err := c.Categories.SearchV1(context.Background(), "rust", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("categories = %#v, want an empty, non-nil slice", got)
	}
}

// searchCategoriesServer answers searchCategoriesV1 pages from pages (page n is pages[n-1]; beyond, an empty
// page) and records the page numbers asked for. A nil page answers 500.
func searchCategoriesServer(t *testing.T, srv *server, pages [][]int) *[]string {
	t.Helper()
	var mu sync.Mutex
	asked := &[]string{}
	srv.mux.HandleFunc("/public/v1/categories", func(w http.ResponseWriter, r *http.Request) {
		check(t, r, want{method: "GET", path: "/public/v1/categories", query: q("q", "rust", "page", r.URL.Query().Get("page")), token: userToken})
		mu.Lock()
		*asked = append(*asked, r.URL.Query().Get("page"))
		mu.Unlock()
		var n int
		if _, err := fmt.Sscan(r.URL.Query().Get("page"), &n); err != nil {
			t.Errorf("page %q: %v", r.URL.Query().Get("page"), err)
		}
		if n-1 < len(pages) && pages[n-1] == nil {
			respond(w, http.StatusInternalServerError, []byte(`{"data":null,"message":"boom"}`))
			return
		}
		var items []string
		if n-1 < len(pages) {
			for _, id := range pages[n-1] {
				items = append(items, fmt.Sprintf(`{"id":%d,"name":"c%d","thumbnail":""}`, id, id))
			}
		}
		respond(w, http.StatusOK, []byte(`{"data":[`+strings.Join(items, ",")+`],"message":"OK"}`))
	})
	return asked
}

func TestCategoriesSearchAllV1(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	asked := searchCategoriesServer(t, srv, [][]int{{1, 2}, {3}})
	var got []int64
	for cat, err := range c.Categories.SearchAllV1(context.Background(), "rust") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, cat.ID)
	}
	if diff := cmp.Diff([]int64{1, 2, 3}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1", "2", "3"}, *asked); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestCategoriesSearchAllV1RepeatedPage(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	// A server that ignores the page number would loop forever.
	asked := searchCategoriesServer(t, srv, [][]int{{1, 2}, {1, 2}, {1, 2}})
	var got []int64
	for cat, err := range c.Categories.SearchAllV1(context.Background(), "rust") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, cat.ID)
	}
	if diff := cmp.Diff([]int64{1, 2}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1", "2"}, *asked); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestCategoriesSearchAllV1Error(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	asked := searchCategoriesServer(t, srv, [][]int{{1, 2}, nil, {3}})
	var got []int64
	var errs []error
	for cat, err := range c.Categories.SearchAllV1(context.Background(), "rust") {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, cat.ID)
	}
	if diff := cmp.Diff([]int64{1, 2}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || !errors.Is(errs[0], kick.ErrServer) {
		t.Errorf("errors = %v, want one ErrServer", errs)
	}
	if diff := cmp.Diff([]string{"1", "2"}, *asked); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestCategoriesSearchAllV1Lazy(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	asked := searchCategoriesServer(t, srv, [][]int{{1, 2}, {3}})
	for cat, err := range c.Categories.SearchAllV1(context.Background(), "rust") {
		if err != nil {
			t.Fatal(err)
		}
		if cat.ID == 2 {
			break
		}
	}
	if diff := cmp.Diff([]string{"1"}, *asked); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestCategoriesSearchAllV1Canceled(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	for _, err := range c.Categories.SearchAllV1(ctx, "rust") {
		n++
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want once", n)
	}
	noRequest(t, srv)
}

func TestCategoriesGetV1(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/categories/{id}", want{method: "GET", path: "/public/v1/categories/12", token: userToken}, fixture(t, "getCategoryV1"))
	got, err := c.Categories.GetV1(context.Background(), 12)
	if err != nil {
		t.Fatal(err)
	}
	wantCat := &kick.CategoryV1{
		ID:          12,
		Name:        "Rust",
		Thumbnail:   "https://files.kick.com/images/subcategories/12/banner/3d1d6cbb-fc49-4d1c-b2e8-4a4b0d0c2f6e",
		Tags:        []string{"FPS", "Shooter", "Survival"},
		ViewerCount: 48213,
	}
	if diff := cmp.Diff(wantCat, got); diff != "" {
		t.Errorf("category (-want +got):\n%s", diff)
	}
}

func TestCategoriesGetV1Sparse(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	// Before 2025-11-25 Kick sent neither tags nor viewer_count.
	srv.handle(t, "/public/v1/categories/{id}", want{method: "GET", path: "/public/v1/categories/5", token: appToken},
		[]byte(`{"data":{"id":5,"name":"Slots","thumbnail":"t"},"message":"OK"}`))
	got, err := c.Categories.GetV1(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&kick.CategoryV1{ID: 5, Name: "Slots", Thumbnail: "t"}, got); diff != "" {
		t.Errorf("category (-want +got):\n%s", diff)
	}
}

func TestCategoriesGetV1NotFound(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.mux.HandleFunc("/public/v1/categories/{id}", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusNotFound, []byte(`{"data":null,"message":"Not Found"}`))
	})
	_, err := c.Categories.GetV1(context.Background(), 99)
	var ae *kick.APIError
	if !errors.As(err, &ae) || !errors.Is(err, kick.ErrNotFound) || ae.Operation != "getCategoryV1" {
		t.Fatalf("err = %v, want an *APIError matching ErrNotFound", err)
	}
}

func TestCategoriesMissingToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, false)
	_, err := c.Categories.List(context.Background(), kick.CategoryListParams{})
	var mt *kick.MissingTokenError
	if !errors.As(err, &mt) {
		t.Fatalf("err = %v, want a *MissingTokenError", err)
	}
	if diff := cmp.Diff([]kick.TokenKind{kick.TokenKindUser, kick.TokenKindApp}, mt.Accepted); diff != "" {
		t.Errorf("accepted (-want +got):\n%s", diff)
	}
	noRequest(t, srv)
}

// The methods of the Categories service in the operations table.
var _ = addOperations(
	operation{"Categories.List", "listCategories", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Categories.List(ctx, kick.CategoryListParams{Names: []string{"Rust"}})
	}},
	operation{"Categories.SearchV1", "searchCategoriesV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Categories.SearchV1(ctx, "counter", 1) //nolint:staticcheck // every operation, the deprecated ones too
	}},
	operation{"Categories.GetV1", "getCategoryV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Categories.GetV1(ctx, 15) //nolint:staticcheck // every operation, the deprecated ones too
	}},
)
