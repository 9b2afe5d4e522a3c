package kick

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestQuery checks the query builder against url.Values: the same pairs, escaped alike.
func TestQuery(t *testing.T) {
	t.Parallel()
	var q query
	q.addInts("id", []int64{1, -2, 9223372036854775807})
	q.addStrings("slug", []string{"a b", "ü/&=?#+%", ""})
	long := strings.Repeat("ü/", 40)
	q.add("long", long)
	q.add("cursor", "eyJ9==")
	q.addInt("limit", 100)
	want := "id=1&id=-2&id=9223372036854775807&slug=a+b&slug=%C3%BC%2F%26%3D%3F%23%2B%25&slug=&long=" + strings.Repeat("%C3%BC%2F", 40) + "&cursor=eyJ9%3D%3D&limit=100"
	if got := q.String(); got != want {
		t.Errorf("query = %s, want %s", got, want)
	}
	parsed, err := url.ParseQuery(q.String())
	if err != nil {
		t.Fatal(err)
	}
	if parsed["slug"][1] != "ü/&=?#+%" || len(parsed["id"]) != 3 || parsed.Get("cursor") != "eyJ9==" {
		t.Errorf("parsed back: %v", parsed)
	}
	for _, v := range []int64{0, 9, 10, -1, -10, 99, 100, 9223372036854775807, -9223372036854775808} {
		if got, want := decimalLen(v), len(strconv.FormatInt(v, 10)); got != want {
			t.Errorf("decimalLen(%d) = %d, want %d", v, got, want)
		}
	}
	var empty query
	if empty.String() != "" {
		t.Errorf("empty query = %q", empty.String())
	}
}

// FuzzQueryEscape holds appendQueryEscape to url.QueryEscape.
func FuzzQueryEscape(f *testing.F) {
	for _, s := range []string{"", "a b", "ü/&=?#+%", "-_.~", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := url.QueryEscape(s)
		if got := string(appendQueryEscape(nil, s)); got != want {
			t.Fatalf("appendQueryEscape(%q) = %q, want %q", s, got, want)
		}
		var q query
		q.add("q", s)
		if got := q.String(); got != "q="+want {
			t.Fatalf("query of %q = %q, want q=%s", s, got, want)
		}
	})
}

// TestExpandPath checks the path of each endpoint with a parameter, and its escaping.
func TestExpandPath(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		template, value, path, escaped string
	}{
		{epDeleteChatMessage.path, "9ec70d6a-256c-4646-86c1-271e080d1d5c", "/public/v1/chat/9ec70d6a-256c-4646-86c1-271e080d1d5c", ""},
		{epGetCategoryV1.path, "12", "/public/v1/categories/12", ""},
		{epUpdateChannelReward.path, "a/b c", "/public/v1/channels/rewards/a/b c", "/public/v1/channels/rewards/a%2Fb%20c"},
	} {
		path, escaped := expandPath(tt.template, tt.value)
		if path != tt.path || escaped != tt.escaped {
			t.Errorf("expandPath(%q, %q) = %q, %q; want %q, %q", tt.template, tt.value, path, escaped, tt.path, tt.escaped)
		}
		u := url.URL{Path: path, RawPath: escaped}
		if got, want := u.EscapedPath(), cmpOr(tt.escaped, tt.path); got != want {
			t.Errorf("URL path %q, want %q", got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for a path without a parameter")
		}
	}()
	expandPath(epGetUsers.path, "1")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
