// Package redact removes credentials from what leaves kick-go: error messages, log lines and the
// copies of error answers kept in errors. Packages kick and kickauth share it, so that a secret
// is recognized in the same forms everywhere.
package redact

import (
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Mark stands in for a secret.
const Mark = "REDACTED"

// SecretParams are the query parameters whose values are credentials. URL replaces their values.
var SecretParams = []string{"token", "access_token", "refresh_token", "client_secret", "code", "code_verifier"}

// URL renders u without user info and with the values of SecretParams replaced by Mark.
func URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		changed := false
		for _, k := range SecretParams {
			if _, ok := q[k]; ok {
				q[k] = []string{Mark}
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	return c.String()
}

// Secrets is a set of credentials that were sent, each recognized in every form in which a server
// may echo it: as sent; percent-encoded as in a query, a form body or a path, with upper- or
// lower-case hex digits; JSON with escaped slashes (as PHP writes it); HTML-escaped. The forms are
// worked out when first needed, so adding a secret to a request that then succeeds costs little.
// The zero value is an empty set. A Secrets is safe for concurrent use.
type Secrets struct {
	mu     sync.Mutex
	raw    []string  // the secrets, as added
	inline [2]string // raw's first array: a call's token and its replacement cost no allocation
	done   int       // how many of raw have their forms in forms
	forms  []string  // longest first, so that a longer form is replaced before a shorter one in it
}

// MinLen is the length of the shortest secret looked for. No credential Kick issues is nearly this
// short (tokens, secrets, codes and verifiers have 32 characters or more), and a short one, such as
// a test's "user", would match ordinary words of every message.
const MinLen = 8

// New returns the set of the secrets (those of at least MinLen bytes).
func New(secrets ...string) *Secrets {
	s := &Secrets{}
	s.Add(secrets...)
	return s
}

// Add adds the secrets of at least MinLen bytes.
func (s *Secrets) Add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		s.raw = s.inline[:0]
	}
	for _, secret := range secrets {
		if len(secret) >= MinLen && !slices.Contains(s.raw, secret) {
			s.raw = append(s.raw, secret)
		}
	}
}

// snapshot returns the forms of every secret added so far; the slice is never modified.
func (s *Secrets) snapshot() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done < len(s.raw) {
		for _, secret := range s.raw[s.done:] {
			for _, f := range forms(secret) {
				if !slices.Contains(s.forms, f) {
					s.forms = append(s.forms, f)
				}
			}
		}
		s.done = len(s.raw)
		// A new slice: an earlier snapshot must not see the sort.
		s.forms = slices.Clone(s.forms)
		slices.SortStableFunc(s.forms, func(a, b string) int { return len(b) - len(a) })
	}
	return s.forms[:len(s.forms):len(s.forms)]
}

// forms returns the forms of secret, without repeats.
func forms(secret string) []string {
	out := []string{secret}
	add := func(f string) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, f := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
		add(f)
		add(lowerHex(f))
	}
	add(strings.ReplaceAll(secret, "/", `\/`))
	add(html.EscapeString(secret))
	return out
}

// lowerHex writes the hex digits of the percent-escapes in s in lower case.
func lowerHex(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if 'A' <= b[j] && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
			i += 2
		}
	}
	return string(b)
}

// maxEscape is the most bytes an echo of one character of a secret takes in a form spans
// recognizes: a JSON \u escape (6 bytes) behind up to three backslashes, as a JSON string that
// was escaped again (twice) holds it.
const maxEscape = 9

// MaxLen is the most bytes an echo of one of the secrets may take (maxEscape per byte of the
// longest), 0 for an empty set: a copy of the start of a body cut at a limit needs that many more
// bytes for a secret that starts before the limit to be redacted whole.
func (s *Secrets) MaxLen() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.raw {
		n = max(n, len(r))
	}
	return maxEscape * n
}

// secrets returns the secrets as added.
func (s *Secrets) secrets() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw[:len(s.raw):len(s.raw)]
}

// spans returns the byte ranges of text that hold a secret, sorted and merged: the exact forms
// (forms), and any echo whose escapes decode to a secret, however many of its characters are
// escaped and in whichever case: JSON's \uXXXX and \/ (behind up to three backslashes, for a
// string escaped again), and percent-escapes.
func (s *Secrets) spans(text string) [][2]int {
	var out [][2]int
	for _, f := range s.snapshot() {
		for i := 0; ; {
			j := strings.Index(text[i:], f)
			if j < 0 {
				break
			}
			out = append(out, [2]int{i + j, i + j + len(f)})
			i += j + len(f)
		}
	}
	if strings.ContainsAny(text, `\%`) {
		dec, at := decode(text)
		for _, secret := range s.secrets() {
			for i := 0; ; {
				j := strings.Index(dec[i:], secret)
				if j < 0 {
					break
				}
				out = append(out, [2]int{at[i+j], at[i+j+len(secret)]})
				i += j + 1
			}
		}
	}
	if len(out) < 2 {
		return out
	}
	slices.SortFunc(out, func(a, b [2]int) int { return a[0] - b[0] })
	merged := out[:1]
	for _, sp := range out[1:] {
		last := &merged[len(merged)-1]
		if sp[0] < last[1] {
			last[1] = max(last[1], sp[1])
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// decode returns text with its escapes decoded (see spans), and at, where at[i] is the offset in
// text of the escape or byte dec[i] comes from, and at[len(dec)] is len(text).
func decode(text string) (dec string, at []int) {
	b := make([]byte, 0, len(text))
	at = make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		c, n := text[i], 1
		switch text[i] {
		case '\\':
			k := i
			for k < len(text) && k-i < 3 && text[k] == '\\' {
				k++
			}
			switch {
			case k < len(text) && text[k] == '/':
				c, n = '/', k+1-i
			case k+5 <= len(text) && text[k] == 'u':
				if v, err := strconv.ParseUint(text[k+1:k+5], 16, 16); err == nil && v < 0x80 {
					c, n = byte(v), k+5-i
				}
			}
		case '%':
			if i+3 <= len(text) {
				if v, err := strconv.ParseUint(text[i+1:i+3], 16, 8); err == nil {
					c, n = byte(v), 3
				}
			}
		}
		b = append(b, c)
		at = append(at, i)
		i += n
	}
	return string(b), append(at, len(text))
}

// In reports whether text holds one of the secrets.
func (s *Secrets) In(text string) bool {
	return len(s.spans(text)) > 0
}

// String returns text with every form of every secret replaced by Mark.
func (s *Secrets) String(text string) string {
	sp := s.spans(text)
	if len(sp) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, r := range sp {
		b.WriteString(text[last:r[0]])
		b.WriteString(Mark)
		last = r[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// Prefix returns at most limit bytes of b with the secrets replaced by Mark, for a copy of the
// start of a body. A secret that begins within the first limit bytes is replaced whole, wherever
// it ends, so no piece of it is kept: b should hold limit+MaxLen bytes when more were available.
func (s *Secrets) Prefix(b []byte, limit int) []byte {
	sp := s.spans(string(b))
	out := make([]byte, 0, min(len(b), limit))
	last := 0
	for _, r := range sp {
		if r[0] >= limit || len(out) >= limit {
			break
		}
		out = append(out, b[last:r[0]]...)
		out = append(out, Mark...)
		last = r[1]
	}
	if len(out) < limit {
		out = append(out, b[last:min(len(b), last+limit-len(out))]...)
	}
	return out[:min(len(out), limit)]
}

// Error returns err, or, when its message holds a secret, an error whose message and chain have
// the secrets replaced. The levels of the chain that hold none are kept as they are, so that
// errors.Is and errors.As still find them (context.DeadlineExceeded, a *net.OpError); a *url.Error
// is rebuilt as a *url.Error.
func (s *Secrets) Error(err error) error {
	if err == nil || !s.In(err.Error()) {
		return err
	}
	if ue, ok := err.(*url.Error); ok { //nolint:errorlint // this level itself, not one below it
		return &url.Error{Op: ue.Op, URL: s.String(ue.URL), Err: s.Error(ue.Err)}
	}
	e := &scrubbed{msg: s.String(err.Error())}
	switch u := err.(type) { //nolint:errorlint // walks the chain one level at a time
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			e.errs = append(e.errs, s.Error(c))
		}
	case interface{ Unwrap() error }:
		if c := u.Unwrap(); c != nil {
			e.errs = []error{s.Error(c)}
		}
	}
	return e
}

// scrubbed is an error whose message had secrets; errs is its chain, scrubbed the same way.
type scrubbed struct {
	msg  string
	errs []error
}

func (e *scrubbed) Error() string   { return e.msg }
func (e *scrubbed) Unwrap() []error { return e.errs }
