package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
)

// maxResponseBytes caps the response body kick api reads; a longer one is an error, not cut.
const maxResponseBytes = 32 << 20

func apiCommand() *command {
	var (
		fieldList []field
		input     string
		headers   []string
		include   bool
	)
	return &command{
		name:  "api",
		args:  "METHOD PATH",
		short: "Make a raw API request and print the JSON answer",
		long: `Send a request to Kick's API and print the answer's body, indented JSON as Kick sent it.

PATH is appended to --base-url, or to --oauth-url when it starts with /oauth/, and may carry a
query string: kick api GET '/public/v1/users?id=1'.

Fields (-f key=value keeps the value a string; -F key=value makes true, false, null and numbers
JSON values, and reads @FILE, or @- for stdin, as a string):
  GET, HEAD and DELETE  the fields are query parameters; a repeated key is a repeated parameter
                        (-f id=1 -f id=2 sends ?id=1&id=2).
  POST, PUT and PATCH   the fields make a JSON object body; a repeated key, or a key ending in
                        [], makes an array (-F ids[]=5).
With --input FILE (- for stdin) the file is the body, sent as application/json unless a -H says
otherwise, and the fields are query parameters whatever the method.

The request goes through the kick package as every command's does. It carries the token its
operation takes: the stored user token or the app token (--app forces the app token), the
user's when both would do; for a path the SDK does not know, the user token, else the app
token. It carries none when neither is at hand, or when a -H sets Authorization. A 401 answer
refreshes the user token and sends the request once more; 429 and 5xx answers are retried as
the retry policy says, Retry-After honored; redirects are followed only to the same host.

A 2xx answer's body goes to stdout. Any other answer's body goes to stderr, and the exit status
is 1.`,
		flags: func(fs *flag.FlagSet) {
			// As in gh api: -f is --raw-field, a string; -F is --field, a typed value.
			fs.Var(fieldValue{&fieldList, false}, "raw-field", "add a string field `key=value`; repeatable")
			fs.Var(fieldValue{&fieldList, false}, "f", "add a string field `key=value`; repeatable")
			fs.Var(fieldValue{&fieldList, true}, "field", "add a typed field `key=value`; repeatable")
			fs.Var(fieldValue{&fieldList, true}, "F", "add a typed field `key=value`; repeatable")
			fs.StringVar(&input, "input", "", "send the contents of `file` as the body; - reads stdin")
			fs.Var(stringListValue{&headers}, "header", "add a request header `\"Name: value\"`; repeatable")
			fs.Var(stringListValue{&headers}, "H", "add a request header `\"Name: value\"`; repeatable")
			fs.BoolVar(&include, "include", false, "print the status line and the response headers before the body")
			fs.BoolVar(&include, "i", false, "print the status line and the response headers before the body")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if err := exactArgs(args, "METHOD", "PATH"); err != nil {
				return err
			}
			r := apiRequest{method: strings.ToUpper(args[0]), path: args[1], fields: fieldList, input: input, include: include}
			if !slices.Contains([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}, r.method) {
				return usagef("invalid METHOD %q: want GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS", args[0])
			}
			if !strings.HasPrefix(r.path, "/") {
				return usagef("invalid PATH %q: want a path starting with /, such as /public/v1/users", r.path)
			}
			r.header = http.Header{}
			for _, h := range headers {
				name, value, ok := strings.Cut(h, ":")
				if !ok || strings.TrimSpace(name) == "" {
					return usagef("invalid header %q: want \"Name: value\"", h)
				}
				r.header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
			}
			return r.do(ctx, a)
		},
	}
}

// field is one -f or -F.
type field struct {
	key   string // without a trailing []
	array bool   // the key ended in []
	value any    // string, bool, nil or json.Number
}

// fieldValue is the flag.Value of -f (typed false) and -F (typed true), appending to one list so
// that their order is kept.
type fieldValue struct {
	p     *[]field
	typed bool
}

func (v fieldValue) String() string { return "" }

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
		f.value = typed
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

func (v stringListValue) Set(s string) error {
	*v.p = append(*v.p, s)
	return nil
}

// apiRequest is one kick api call.
type apiRequest struct {
	method  string
	path    string
	fields  []field
	input   string
	header  http.Header
	include bool
}

// do sends the request with the kick client's NewRequest and BareDo, so that it gets what every
// command gets: the token the operation takes, retries and Retry-After, the refresh and replay
// after a 401, redirects kept to Kick's hosts, bounded answers and errors without secrets.
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
	case len(r.fields) > 0:
		b, err := jsonBody(r.fields)
		if err != nil {
			return err
		}
		body = b
	}

	s, err := a.sources(ctx)
	if err != nil {
		return err
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
	req, err := c.NewRequest(r.method, path, body)
	if err != nil {
		return usagef("invalid PATH %q: %v", redactPath(r.path), err)
	}
	for name, values := range r.header {
		req.Header[name] = values
	}
	var callOpts []kick.RequestOption
	if r.header.Get("Authorization") != "" || (s.user == nil && s.app == nil) {
		// The request's own credentials, or none at all: Kick answers what it makes of that.
		callOpts = append(callOpts, kick.WithoutToken())
	}
	resp, err := c.BareDo(ctx, req, callOpts...)
	var ae *kick.APIError
	switch {
	case errors.As(err, &ae) && resp != nil:
		// Kick's answer, with the call's credentials redacted from its body.
		if err := r.print(a.stderr, resp, ae.Body); err != nil {
			return err
		}
		return fmt.Errorf("%s %s: HTTP %s", r.method, redactPath(r.path), resp.Status)
	case err != nil:
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	respBody, err := io.ReadAll(resp.Body)
	if errors.Is(err, kick.ErrResponseTooLarge) {
		return fmt.Errorf("reading the answer: over %d MiB, more than kick api reads", maxResponseBytes>>20)
	}
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	return r.print(a.stdout, resp, respBody)
}

// print writes the answer: with --include the status line and the headers, then the body.
func (r *apiRequest) print(out io.Writer, resp *http.Response, body []byte) error {
	if r.include {
		fmt.Fprintf(out, "%s %s\n", resp.Proto, resp.Status)
		if err := resp.Header.Write(out); err != nil {
			return err
		}
		fmt.Fprintln(out)
	}
	return writeRawJSON(out, body)
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
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
