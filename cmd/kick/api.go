package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
)

// maxResponseBytes caps the response body kick api reads; a longer one is an error, not cut.
const maxResponseBytes = 32 << 20

// maxSlurpBytes caps the pages --slurp holds.
const maxSlurpBytes = 32 << 20

func (a *app) apiCommand() *cobra.Command {
	var (
		fieldList []field
		input     string
		headers   []string
		include   bool
		paginate  bool
		slurp     bool
		maxPages  int
	)
	c := &cobra.Command{
		Use:   "api METHOD PATH",
		Short: "Make a raw API request and print the JSON answer",
		Long: `Send a request to Kick's API and print the answer's body, indented JSON as Kick sent it.

PATH is appended to --base-url, or to --oauth-url when it starts with /oauth/, and may carry a
query string: kick api GET '/public/v1/users?id=1'.

Fields (-f key=value keeps the value a string; -F key=value makes true, false, null and numbers
JSON values, and reads @FILE, or @- for stdin, as a string, byte for byte, a final line break
included):
  GET, HEAD and DELETE  the fields are query parameters; a repeated key is a repeated parameter
                        (-f id=1 -f id=2 sends ?id=1&id=2).
  POST, PUT and PATCH   the fields make a JSON object body; a repeated key, or a key ending in
                        [], makes an array (-F ids[]=5). On a PATH of the OAuth server
                        (/oauth/...) they make a form, as the OAuth server takes.
With --input FILE (- for stdin) the file is the body, sent as application/json unless a -H says
otherwise, and the fields are query parameters whatever the method. -H @FILE reads header lines
from a file: a credential in a header or a field belongs in a file, not on the command line,
which the process list shows to every user.

--paginate follows Kick's cursors: while an answer has a "pagination": {"next_cursor": ...}, the
request is sent again with cursor= that cursor, and each page is printed as it comes, up to
--max-pages pages (1000 by default; then the command fails, saying how to go on). --slurp prints
one JSON array of the pages instead, at the end: it holds at most 32 MiB of them. --jq EXPR filters
each answer (or the slurped array) with jq's language, and --template formats it with a Go
template, as 'gh api' does. The answer is JSON as Kick sent it: -o takes json alone.

The request goes through the kick package as every command's does. It carries the token its
operation takes: the stored user token or the app token (--app forces the app token), the
user's when both would do; for a path the SDK does not know, the user token, else the app
token. It carries none when neither is at hand, or when a -H sets Authorization. A 401 answer
refreshes the user token and sends the request once more; 429 and 5xx answers are retried as
the retry policy says, Retry-After honored; redirects are followed only to the same host.

A 2xx answer's body goes to stdout. Any other answer's body goes to stderr, and the exit status
is 1.`,
		Example: `  kick api GET /public/v1/users -f id=1001
  kick api GET /public/v2/livestreams -f language_code=en --paginate --jq '.data[].channel.slug'
  kick api POST /public/v1/chat -f type=bot -f content=hi
  kick api POST /oauth/token -f grant_type=client_credentials -f client_id=ID -F client_secret=@secret.txt`,
		Args: argsExact("METHOD", "PATH"),
	}
	out := a.addJSONOutput(c)
	fs := c.Flags()
	// As in gh api: -f is --raw-field, a string; -F is --field, a typed value.
	fs.VarP(fieldValue{&fieldList, false}, "raw-field", "f", "add a string field `key=value`; repeatable")
	fs.VarP(fieldValue{&fieldList, true}, "field", "F", "add a typed field `key=value` (@FILE reads a file); repeatable")
	fs.StringVar(&input, "input", "", "send the contents of `file` as the body; - reads stdin")
	fs.VarP(stringListValue{&headers}, "header", "H", "add a request header `\"Name: value\"` (@FILE: the lines of a file); repeatable")
	fs.BoolVarP(&include, "include", "i", false, "print the status line and the response headers before the body")
	fs.BoolVar(&paginate, "paginate", false, "follow Kick's next_cursor and print every page")
	fs.BoolVar(&slurp, "slurp", false, "with --paginate, print one JSON array of the pages (at most 32 MiB of them)")
	maxPagesFlag(c, &maxPages)
	_ = c.MarkFlagFilename("input")
	c.RunE = func(c *cobra.Command, args []string) error {
		r := apiRequest{method: strings.ToUpper(args[0]), path: args[1], fields: fieldList, input: input, include: include,
			paginate: paginate, slurp: slurp, maxPages: maxPages, out: out}
		if !slices.Contains([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}, r.method) {
			return usagef("invalid METHOD %q: want GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS", args[0])
		}
		if !strings.HasPrefix(r.path, "/") {
			return usagef("invalid PATH %q: want a path starting with /, such as /public/v1/users", redactPath(r.path))
		}
		if slurp && !paginate {
			return usagef("--slurp goes with --paginate")
		}
		if err := checkMaxPages(maxPages); err != nil {
			return err
		}
		if paginate && (r.method != "GET" || input != "") {
			return usagef("--paginate follows the pages of a GET without --input")
		}
		if paginate && include {
			return usagef("--paginate and --include do not go together")
		}
		h, err := parseHeaderFlags(headers)
		if err != nil {
			return err
		}
		r.header = h
		warnCredentials(a.stderr, h, fieldList, headers...)
		ctx := c.Context()
		return r.do(ctx, a)
	}
	return c
}

// parseHeaderFlags parses the -H values: "Name: value", or @FILE for the lines of a file.
func parseHeaderFlags(values []string) (http.Header, error) {
	h := http.Header{}
	for _, v := range values {
		lines := []string{v}
		if name, ok := strings.CutPrefix(v, "@"); ok {
			b, err := readLimited(name, 64<<10)
			if err != nil {
				return nil, fmt.Errorf("-H @%s: %w", name, err)
			}
			lines = strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
		}
		for _, line := range lines {
			if strings.TrimSpace(line) == "" && v != line {
				continue
			}
			name, value, ok := strings.Cut(line, ":")
			if !ok || strings.TrimSpace(name) == "" {
				if v != line {
					return nil, usagef("invalid header line in %s: want \"Name: value\"", v)
				}
				return nil, usagef("invalid header %q: want \"Name: value\"", v)
			}
			h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
		}
	}
	return h, nil
}

// credentialKeys are field names whose values are credentials.
var credentialKeys = []string{"client_secret", "token", "access_token", "refresh_token", "code", "code_verifier", "password"}

// warnCredentials warns about credentials written on the command line, where the process list
// shows them: an Authorization header, or a credential field with its value in place.
func warnCredentials(w io.Writer, h http.Header, fields []field, headerFlags ...string) {
	var on []string
	for _, f := range fields {
		if s, ok := f.value.(string); ok && s != "" && slices.Contains(credentialKeys, f.key) && !f.fromFile {
			on = append(on, f.key)
		}
	}
	if len(on) > 0 {
		fmt.Fprintf(w, "warning: %s on the command line: other users of this machine can read it in the process list; use -F %s=@FILE\n",
			strings.Join(on, ", "), on[0])
	}
	if h.Get("Authorization") != "" && slices.ContainsFunc(headerFlags, func(v string) bool {
		return !strings.HasPrefix(v, "@") && strings.EqualFold(strings.TrimSpace(strings.SplitN(v, ":", 2)[0]), "Authorization")
	}) {
		fmt.Fprintln(w, "warning: an Authorization header on the command line: other users of this machine can read it in the process list; put it in a file and give -H @FILE")
	}
}

// field is one -f or -F.
type field struct {
	key   string // without a trailing []
	array bool   // the key ended in []
	value any    // string, bool, nil or json.Number
	// fromFile says the value came from @FILE (or @- for stdin), not from the command line.
	fromFile bool
}

// fieldValue is the flag.Value of -f (typed false) and -F (typed true), appending to one list so
// that their order is kept.
type fieldValue struct {
	p     *[]field
	typed bool
}

func (v fieldValue) String() string { return "" }

func (fieldValue) Type() string { return "key=value" }

func (v fieldValue) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok || key == "" || key == "[]" {
		return fmt.Errorf("want key=value")
	}
	f := field{key: key, value: value}
	if k, ok := strings.CutSuffix(key, "[]"); ok {
		f.key, f.array = k, true
	}
	if v.typed {
		typed, err := typedValue(value)
		if err != nil {
			return err
		}
		f.value, f.fromFile = typed, strings.HasPrefix(value, "@") && len(value) > 1
	}
	*v.p = append(*v.p, f)
	return nil
}

// typedValue is the JSON value of a -F value: true, false, null, a number, the contents of @FILE
// (@- for stdin is read when the request is built), or else the string itself.
func typedValue(s string) (any, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && json.Valid([]byte(s)) {
		return json.Number(s), nil
	}
	if name, ok := strings.CutPrefix(s, "@"); ok && name != "" {
		if name == "-" {
			return stdinValue{}, nil
		}
		b, err := os.ReadFile(name) //nolint:gosec // a file the user named on the command line
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	return s, nil
}

// stdinValue stands for a -F key=@- value until the request is built.
type stdinValue struct{}

// stringListValue is a repeatable flag that keeps each value whole.
type stringListValue struct{ p *[]string }

func (v stringListValue) String() string { return "" }

func (stringListValue) Type() string { return "header" }

func (v stringListValue) Set(s string) error {
	*v.p = append(*v.p, s)
	return nil
}

// apiRequest is one kick api call.
type apiRequest struct {
	method   string
	path     string
	fields   []field
	input    string
	header   http.Header
	include  bool
	paginate bool
	slurp    bool
	maxPages int
	out      *output
}

// do sends the request with the kick client's NewRequest and BareDo, so that it gets what every
// command gets: the token the operation takes, retries and Retry-After, the refresh and replay
// after a 401, redirects kept to Kick's hosts, bounded answers and errors without secrets. With
// --paginate it sends it again for each next cursor.
func (r *apiRequest) do(ctx context.Context, a *app) error {
	if err := r.readStdinFields(a.stdin); err != nil {
		return err
	}
	path := r.path
	var body any
	bodyless := r.method == "GET" || r.method == "HEAD" || r.method == "DELETE" || r.method == "OPTIONS"
	switch {
	case r.input != "":
		b, err := readInput(a.stdin, r.input)
		if err != nil {
			return err
		}
		body = b
		if path, err = withQuery(path, r.fields); err != nil {
			return err
		}
	case bodyless:
		var err error
		if path, err = withQuery(path, r.fields); err != nil {
			return err
		}
	case len(r.fields) > 0 && strings.HasPrefix(path, "/oauth/"):
		// Kick's OAuth server takes forms.
		form := url.Values{}
		for _, f := range r.fields {
			form.Add(f.key, queryString(f.value))
		}
		body = form
	case len(r.fields) > 0:
		b, err := jsonBody(r.fields)
		if err != nil {
			return err
		}
		body = b
	}

	var s sources
	if r.header.Get("Authorization") == "" { // else the request's own token: no stored one is looked at
		var err error
		if s, err = a.sources(ctx); err != nil {
			return err
		}
	}
	opts := append(a.clientOptions(), kick.WithMaxResponseBytes(maxResponseBytes))
	if s.user != nil {
		opts = append(opts, kick.WithUserTokenSource(s.user))
	}
	if s.app != nil {
		opts = append(opts, kick.WithAppTokenSource(s.app))
	}
	c, err := kick.NewClient(opts...)
	if err != nil {
		return err
	}
	var callOpts []kick.RequestOption
	if r.header.Get("Authorization") != "" || (s.user == nil && s.app == nil) {
		// The request's own credentials, or none at all: Kick answers what it makes of that.
		callOpts = append(callOpts, kick.WithoutToken())
	}
	var (
		pages [][]byte // --slurp's
		held  int      // their bytes
		seen  = map[string]bool{}
	)
	for n := 1; ; n++ {
		resp, respBody, err := r.send(ctx, a, c, path, body, callOpts)
		if err != nil {
			if len(pages) > 0 && ctx.Err() == nil {
				_ = r.emit(ctx, a, nil, slurped(pages)) // what came, then the error
			}
			return err
		}
		if !r.paginate {
			return r.emit(ctx, a, resp, respBody)
		}
		if r.slurp {
			if held += len(respBody); held > maxSlurpBytes {
				return fmt.Errorf("the pages come to more than %d MiB, and --slurp holds at most %d MiB of pages: drop --slurp to print each page as it comes, or narrow the query",
					maxSlurpBytes>>20, maxSlurpBytes>>20)
			}
			pages = append(pages, respBody)
		} else if err := r.emit(ctx, a, resp, respBody); err != nil {
			return err
		}
		next := nextCursor(respBody)
		if next == "" || seen[next] {
			break
		}
		if n >= r.maxPages {
			if r.slurp {
				if err := r.emit(ctx, a, nil, slurped(pages)); err != nil {
					return err
				}
			}
			return fmt.Errorf("stopped after %s (--max-pages); to go on, add -f cursor=%s", plural(n, "page"), shellQuote(next))
		}
		seen[next] = true
		if path, err = withCursor(path, next); err != nil {
			return err
		}
	}
	if !r.slurp {
		return nil
	}
	return r.emit(ctx, a, nil, slurped(pages))
}

// apiStatusError is an error answer to kick api: the method, PATH and status, and Kick's error.
type apiStatusError struct {
	msg string
	err *kick.APIError
}

func (e *apiStatusError) Error() string { return e.msg }
func (e *apiStatusError) Unwrap() error { return e.err }

// send makes one request and reads the answer; Kick's error answer is printed on stderr.
func (r *apiRequest) send(ctx context.Context, a *app, c *kick.Client, path string, body any, opts []kick.RequestOption) (*apiAnswer, []byte, error) {
	req, err := c.NewRequest(r.method, path, body)
	if err != nil {
		return nil, nil, usagef("invalid PATH %q: %v", redactPath(r.path), err)
	}
	for name, values := range r.header {
		req.Header[name] = values
	}
	resp, err := c.BareDo(ctx, req, opts...)
	var ae *kick.APIError
	switch {
	case errors.As(err, &ae) && resp != nil:
		_ = resp.Body.Close()
		// Kick's answer, with the call's credentials redacted from its body.
		if err := r.printAnswer(a.stderr, answerOf(resp), ae.Body); err != nil {
			return nil, nil, err
		}
		return nil, nil, &apiStatusError{msg: fmt.Sprintf("%s %s: HTTP %s", r.method, redactPath(r.path), resp.Status), err: ae}
	case err != nil:
		return nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	respBody, err := io.ReadAll(resp.Body)
	if errors.Is(err, kick.ErrResponseTooLarge) {
		return nil, nil, fmt.Errorf("reading the answer: over %d MiB, more than kick api reads", maxResponseBytes>>20)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the answer: %w", err)
	}
	return answerOf(resp), respBody, nil
}

// apiAnswer is what --include prints of an answer.
type apiAnswer struct {
	proto, status string
	header        http.Header
}

func answerOf(resp *http.Response) *apiAnswer {
	return &apiAnswer{proto: resp.Proto, status: resp.Status, header: resp.Header}
}

// emit prints an answer on stdout: through --jq or --template when given.
func (r *apiRequest) emit(ctx context.Context, a *app, resp *apiAnswer, body []byte) error {
	if r.out.code == nil && r.out.tmpl == nil {
		if resp == nil {
			return writeRawJSON(a.stdout, body)
		}
		return r.printAnswer(a.stdout, resp, body)
	}
	if r.include && resp != nil {
		if err := r.printAnswer(a.stdout, resp, nil); err != nil {
			return err
		}
	}
	if !json.Valid(body) {
		return errors.New("the answer is not JSON: --jq and --template need JSON")
	}
	return a.printRawJSON(ctx, r.out, body)
}

// printAnswer writes the answer: with --include the status line and the headers, then the body.
func (r *apiRequest) printAnswer(out io.Writer, resp *apiAnswer, body []byte) error {
	if r.include {
		fmt.Fprintf(out, "%s %s\n", resp.proto, resp.status)
		if err := resp.header.Write(out); err != nil {
			return err
		}
		fmt.Fprintln(out)
	}
	return writeRawJSON(out, body)
}

// slurped is the JSON array of pages.
func slurped(pages [][]byte) []byte {
	return append(append([]byte("["), bytes.Join(pages, []byte(","))...), ']')
}

// nextCursor is the next cursor of a page: Kick's "pagination": {"next_cursor": ...}, or a
// top-level "next_cursor".
func nextCursor(body []byte) string {
	var page struct {
		Pagination *struct {
			NextCursor string `json:"next_cursor"`
		} `json:"pagination"`
		NextCursor string `json:"next_cursor"`
	}
	if json.Unmarshal(body, &page) != nil {
		return ""
	}
	if page.Pagination != nil && page.Pagination.NextCursor != "" {
		return page.Pagination.NextCursor
	}
	return page.NextCursor
}

// withCursor sets path's cursor parameter.
func withCursor(path, cursor string) (string, error) {
	u, err := url.Parse(path)
	if err != nil {
		return "", usagef("invalid PATH %q: not a URL path", redactPath(path))
	}
	q := u.Query()
	q.Set("cursor", cursor)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// redactPath is PATH as kick api shows it in messages: with the values of the query parameters
// that carry credentials replaced, as the kick package does (kick.RedactURL).
func redactPath(p string) string {
	u, err := url.Parse(p)
	if err != nil {
		return "(a PATH that does not parse)"
	}
	return kick.RedactURL(u)
}

// withQuery adds the fields to path's query, after the parameters it carries.
func withQuery(path string, fields []field) (string, error) {
	if len(fields) == 0 {
		return path, nil
	}
	u, err := url.Parse(path)
	if err != nil {
		return "", usagef("invalid PATH %q: not a URL path", redactPath(path))
	}
	addQuery(u, fields)
	return u.String(), nil
}

func (r *apiRequest) readStdinFields(stdin io.Reader) error {
	var read bool
	for i, f := range r.fields {
		if _, ok := f.value.(stdinValue); !ok {
			continue
		}
		if read || r.input == "-" {
			return usagef("stdin can be read once only")
		}
		b, err := io.ReadAll(stdin)
		if err != nil {
			return err
		}
		r.fields[i].value, read = string(b), true
	}
	return nil
}

func readInput(stdin io.Reader, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name) //nolint:gosec // a file the user named on the command line
}

// addQuery adds the fields to u's query, after the parameters PATH carries.
func addQuery(u *url.URL, fields []field) {
	if len(fields) == 0 {
		return
	}
	q := u.Query()
	for _, f := range fields {
		q.Add(f.key, queryString(f.value))
	}
	u.RawQuery = q.Encode()
}

func queryString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return v.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// jsonBody makes a JSON object of the fields: a key given once is a value, a key given again or
// ending in [] an array of the values in order.
func jsonBody(fields []field) ([]byte, error) {
	obj := make(map[string]any)
	for _, f := range fields {
		prev, seen := obj[f.key]
		switch {
		case !seen && f.array:
			obj[f.key] = []any{f.value}
		case !seen:
			obj[f.key] = f.value
		default:
			if arr, ok := prev.([]any); ok {
				obj[f.key] = append(arr, f.value)
			} else {
				obj[f.key] = []any{prev, f.value}
			}
		}
	}
	return marshalJSON(obj)
}
