package kick_test

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/gen"
)

// TestQuery checks the queries gen's builders make against url.Values: the same pairs, escaped
// alike, in the spec's order of the parameters, an array repeating its name.
func TestQuery(t *testing.T) {
	t.Parallel()
	got := gen.GetChannels.Request([]int64{1, -2, math.MaxInt64}, []string{"a b", "ü/&=?#+%", ""}).Query
	want := "broadcaster_user_id=1&broadcaster_user_id=-2&broadcaster_user_id=9223372036854775807&slug=a+b&slug=%C3%BC%2F%26%3D%3F%23%2B%25&slug="
	if got != want {
		t.Errorf("query = %s, want %s", got, want)
	}
	long := strings.Repeat("ü/", 40)
	got = gen.ListCategories.Request("eyJ9==", 100, []string{long}, nil, nil).Query
	want = "cursor=eyJ9%3D%3D&limit=100&name=" + strings.Repeat("%C3%BC%2F", 40)
	if got != want {
		t.Errorf("query = %s, want %s", got, want)
	}
	parsed, err := url.ParseQuery(gen.GetChannels.Request(nil, []string{"x", "ü/&=?#+%"}).Query)
	if err != nil {
		t.Fatal(err)
	}
	if parsed["slug"][1] != "ü/&=?#+%" || len(parsed["slug"]) != 2 {
		t.Errorf("parsed back: %v", parsed)
	}
	// Every number of digits, and the signs, as strconv writes them.
	ids := []int64{0, 9, 10, -1, -10, 99, 100, math.MaxInt64, math.MinInt64}
	v := url.Values{}
	for _, id := range ids {
		v.Add("id", strconv.FormatInt(id, 10))
	}
	if got, want := gen.GetUsers.Request(ids).Query, v.Encode(); got != want {
		t.Errorf("query of %v = %s, want %s", ids, got, want)
	}
	if q := gen.GetUsers.Request(nil).Query; q != "" {
		t.Errorf("empty query = %q", q)
	}
	// Optional scalars are left out at their zero value, required ones never.
	if q := gen.SearchCategoriesV1.Request("", 0).Query; q != "q=" {
		t.Errorf("query of a required empty q and no page = %q", q)
	}
}

// FuzzQueryEscape holds the query escaping of gen's builders to url.QueryEscape.
func FuzzQueryEscape(f *testing.F) {
	for _, s := range []string{"", "a b", "ü/&=?#+%", "-_.~", "\x00\xff", strings.Repeat("é ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := gen.SearchCategoriesV1.Request(s, 0).Query, "q="+url.QueryEscape(s); got != want {
			t.Fatalf("query of %q = %q, want %q", s, got, want)
		}
	})
}

// TestPathSegments checks the path of each operation with a parameter, and its escaping: a
// parameter is one segment, "/" and " " escaped.
func TestPathSegments(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		req  gen.Request
		path string
	}{
		{gen.DeleteChatMessage.Request("9ec70d6a-256c-4646-86c1-271e080d1d5c"), "/public/v1/chat/9ec70d6a-256c-4646-86c1-271e080d1d5c"},
		{gen.GetCategoryV1.Request(12), "/public/v1/categories/12"},
		{gen.UpdateChannelReward.Request("a/b c", nil), "/public/v1/channels/rewards/a%2Fb%20c"},
		{gen.DeleteChannelReward.Request("ü?#"), "/public/v1/channels/rewards/%C3%BC%3F%23"},
	} {
		if tt.req.Path != tt.path {
			t.Errorf("%s: path %q, want %q", tt.req.Operation.ID, tt.req.Path, tt.path)
		}
		u, err := url.Parse("https://api.kick.example" + tt.req.Path)
		if err != nil || u.EscapedPath() != tt.path {
			t.Errorf("%s: the path does not parse back: %v %v", tt.req.Operation.ID, u, err)
		}
	}
}
