package redact

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const secret = "tok+/=<&>~Zx9-value"

func TestStringRedactsEveryForm(t *testing.T) {
	t.Parallel()
	s := New(secret, "", "short")
	for _, form := range []string{
		secret,
		url.QueryEscape(secret),           // tok%2B%2F%3D%3C%26%3E~Zx9-value
		url.PathEscape(secret),            // tok+%2F=%3C&%3E~Zx9-value
		"tok%2b%2f%3d%3c%26%3e~Zx9-value", // lower-case hex
		`tok+\/=<&>~Zx9-value`,            // PHP's JSON
		"tok+/=&lt;&amp;&gt;~Zx9-value",   // HTML
	} {
		got := s.String("a " + form + " b " + form)
		if got != "a REDACTED b REDACTED" {
			t.Errorf("String(%q) = %q", form, got)
		}
		if !s.In("x" + form) {
			t.Errorf("In(%q) = false", form)
		}
	}
	if got := s.String("a short word, tok+/= alone"); got != "a short word, tok+/= alone" {
		t.Errorf("a secret under MinLen, or a piece of one, was redacted: %q", got)
	}
	if s.In("nothing here") {
		t.Error("In found a secret in nothing")
	}
	var empty Secrets
	if empty.String(secret) != secret || empty.MaxLen() != 0 || empty.In(secret) {
		t.Error("the zero Secrets redacts")
	}
	var nilSet *Secrets
	if nilSet.String(secret) != secret || nilSet.Error(errors.New(secret)).Error() != secret {
		t.Error("a nil *Secrets redacts")
	}
}

// TestStringRedactsEscapedEchoes: an echo whose characters are escaped, some or all, in any case,
// with JSON's \u escapes (once or escaped again), \/ or percent-escapes, is redacted whole.
func TestStringRedactsEscapedEchoes(t *testing.T) {
	t.Parallel()
	s := New(secret)
	all := func(format string) string {
		var b strings.Builder
		for _, c := range []byte(secret) {
			fmt.Fprintf(&b, format, c)
		}
		return b.String()
	}
	for _, form := range []string{
		`tok\u002B/=<&>~Zx9-value`,
		`tok\u002b\/\u003d\u003C&>~Zx9\u002Dvalue`,
		all(`\u%04x`),
		all(`\u%04X`),
		all(`\\u%04x`), // a JSON string holding the escapes, escaped again
		all(`%%%02x`),
		`tok%2B/%3d<%26>~Zx9-value`,
	} {
		got := s.String("a " + form + " b")
		if got != "a REDACTED b" {
			t.Errorf("String(%q) = %q", form, got)
		}
		if !s.In(form) {
			t.Errorf("In(%q) = false", form)
		}
		if got := string(s.Prefix([]byte("ab"+form+"cd"), 4)); got != "abRE" {
			t.Errorf("Prefix(%q) = %q", form, got)
		}
	}
	for _, text := range []string{`tok\u002B/=<&>~Zx9`, `\u0074ok+/=`, `100% \ fine \u12`, `%zz\`} {
		if got := s.String(text); got != text {
			t.Errorf("String(%q) = %q, want it unchanged", text, got)
		}
	}
}

func TestAddLater(t *testing.T) {
	t.Parallel()
	s := New("first-secret")
	if got := s.String("first-secret second-secret"); got != "REDACTED second-secret" {
		t.Fatalf("got %q", got)
	}
	s.Add("second-secret", "first-secret")
	if got := s.String("first-secret second-secret"); got != "REDACTED REDACTED" {
		t.Errorf("after Add: %q", got)
	}
	// The longest echo: every byte of the longest secret as \\\u00XX.
	if s.MaxLen() != len(`\\\\u0000`)*len("second-secret") {
		t.Errorf("MaxLen = %d", s.MaxLen())
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			s.Add(fmt.Sprintf("concurrent-%d", i))
			_ = s.String("concurrent-1")
		})
	}
	wg.Wait()
	if got := s.String("concurrent-7"); got != "REDACTED" {
		t.Errorf("concurrent Add: %q", got)
	}
}

func TestLongerFormFirst(t *testing.T) {
	t.Parallel()
	// "abcdefgh" is in "abcdefgh-and-more"; the longer secret goes whole.
	s := New("abcdefgh", "abcdefgh-and-more")
	if got := s.String("x abcdefgh-and-more y abcdefgh"); got != "x REDACTED y REDACTED" {
		t.Errorf("got %q", got)
	}
}

func TestPrefix(t *testing.T) {
	t.Parallel()
	s := New(secret)
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"abc " + secret + " def", 100, "abc REDACTED def"},
		// A secret that starts before the limit goes whole: no piece of it stays.
		{"abcdef" + secret + "tail", 8, "abcdefRE"},
		{"abcdef" + secret[:5], 8, "abcdeftok"[:8]},
		{"", 10, ""},
		{"plain text", 5, "plain"},
	}
	for _, tt := range tests {
		if got := string(s.Prefix([]byte(tt.in), tt.limit)); got != tt.want {
			t.Errorf("Prefix(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

// wrapped is an error with one cause.
type wrapped struct {
	msg string
	err error
}

func (e *wrapped) Error() string { return e.msg + ": " + e.err.Error() }
func (e *wrapped) Unwrap() error { return e.err }

func TestError(t *testing.T) {
	t.Parallel()
	s := New(secret)
	if err := s.Error(nil); err != nil {
		t.Errorf("Error(nil) = %v", err)
	}
	clean := errors.New("no secret here")
	if s.Error(clean) != clean { //nolint:errorlint // the very same error, not one like it
		t.Error("an error without a secret was replaced")
	}

	deadline := fmt.Errorf("read: %w", context.DeadlineExceeded)
	ue := &url.Error{Op: "Get", URL: "https://x.invalid/?t=" + url.QueryEscape(secret), Err: &wrapped{"echo " + secret, deadline}}
	got := s.Error(ue)
	if strings.Contains(got.Error(), "tok") {
		t.Errorf("Error() = %q", got)
	}
	var gotURL *url.Error
	if !errors.As(got, &gotURL) || gotURL.URL != "https://x.invalid/?t=REDACTED" {
		t.Errorf("the *url.Error was lost: %#v", got)
	}
	if !errors.Is(got, context.DeadlineExceeded) || !errors.Is(got, deadline) {
		t.Errorf("the clean cause was lost: %v", got)
	}
	for e := got; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), secret) {
			t.Errorf("a level of the chain holds the secret: %q", e)
		}
		if u, ok := e.(interface{ Unwrap() []error }); ok {
			for _, c := range u.Unwrap() {
				if strings.Contains(c.Error(), secret) {
					t.Errorf("a level of the chain holds the secret: %q", c)
				}
			}
		}
	}

	joined := s.Error(errors.Join(errors.New("a "+secret), context.Canceled))
	if strings.Contains(joined.Error(), secret) || !errors.Is(joined, context.Canceled) {
		t.Errorf("joined: %v", joined)
	}
	leaf := s.Error(errors.New("leaf " + secret))
	if leaf.Error() != "leaf REDACTED" || errors.Unwrap(leaf) != nil {
		t.Errorf("leaf: %v", leaf)
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://id.kick.com/oauth/revoke?token=abc&token_hint_type=access_token", "https://id.kick.com/oauth/revoke?token=REDACTED&token_hint_type=access_token"},
		{"https://u:p@api.kick.com/x?code=1&code_verifier=2&client_secret=3&refresh_token=4&access_token=5",
			"https://api.kick.com/x?access_token=REDACTED&client_secret=REDACTED&code=REDACTED&code_verifier=REDACTED&refresh_token=REDACTED"},
		{"https://api.kick.com/public/v1/users?id=1&id=2", "https://api.kick.com/public/v1/users?id=1&id=2"},
		{"/relative?token=x", "/relative?token=REDACTED"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, URL(u)); diff != "" {
			t.Errorf("URL(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
	if URL(nil) != "" {
		t.Error("URL(nil) is not empty")
	}
}
